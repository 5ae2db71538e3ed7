//! One uvco runtime per Node.js environment, attached to that environment's loop.
//!
//! The main thread and each `worker_threads` worker are environments with loops of their own,
//! each on its own thread; the runtime lives in a thread-local beside its `napi_env`, so the
//! addon's instance data stays the user's. It is created on first use and dropped by an async
//! cleanup hook when the environment is torn down.

use std::cell::RefCell;
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use napi::{sys, Env, Status};
use uvco::sys as uv;

/// An environment's runtime, with what settling needs of the environment.
pub(crate) struct EnvRuntime {
    pub(crate) runtime: uvco::Runtime,
    pub(crate) env: sys::napi_env,
}

thread_local! {
    static ENVS: RefCell<Envs> = const { RefCell::new(Envs(Vec::new())) };
}

/// The runtimes of this thread's environments.
struct Envs(Vec<Rc<EnvRuntime>>);

impl Drop for Envs {
    /// Thread-local destruction: the thread is ending without the environment's cleanup hook
    /// having run, which is what `process.exit()` does (it shuts libuv's threadpool down, then
    /// calls `exit`). The loop and the threadpool may be gone, so the runtime must not touch
    /// them: leave it to the process's end.
    fn drop(&mut self) {
        for env in self.0.drain(..) {
            std::mem::forget(env);
        }
    }
}

/// `env`'s runtime, attached to its loop on first use; every call from the same environment
/// finds the same one.
///
/// An error if Node's loop is not served by the libuv uvco calls (an addon built without
/// uvco's `host` feature) or is older than uvco's minimum.
pub(crate) fn env_runtime(env: &Env) -> napi::Result<Rc<EnvRuntime>> {
    let raw = env.raw();
    if let Some(found) = ENVS.with(|envs| envs.borrow().0.iter().find(|e| e.env == raw).cloned()) {
        return Ok(found);
    }
    let loop_ = env.get_uv_event_loop()?.cast::<uv::uv_loop_t>();
    // SAFETY: Node's loop for this environment: initialised, run only on this thread, and
    // alive until after the environment's cleanup hooks, where the runtime is dropped (and
    // Node runs the loop until its handles are closed: see `cleanup`).
    let runtime = unsafe { uvco::Runtime::attach(loop_) }.map_err(|err| {
        napi::Error::new(
            Status::GenericFailure,
            format!("uvco can't run on this Node.js loop: {err}"),
        )
    })?;
    let state = Rc::new(EnvRuntime { runtime, env: raw });
    let mut handle = ptr::null_mut();
    // SAFETY: `raw` is live; the hook's argument is the env pointer, which it only compares.
    napi::check_status!(unsafe {
        sys::napi_add_async_cleanup_hook(raw, Some(cleanup), raw.cast(), &mut handle)
    })?;
    ENVS.with(|envs| envs.borrow_mut().0.push(state.clone()));
    Ok(state)
}

/// Runs `f` with `env`'s runtime current: for `uvco::spawn_local`, or code that needs a
/// runtime outside a task (a synchronous `uvco::net::TcpListener::bind`, say).
pub fn enter<R>(env: &Env, f: impl FnOnce() -> R) -> napi::Result<R> {
    let state = env_runtime(env)?;
    let _guard = state.runtime.enter();
    Ok(f())
}

/// What the async cleanup hook waits for: uvco's requests on this thread to call back.
struct Drain {
    check: uv::uv_check_t,
    hook: sys::napi_async_cleanup_hook_handle,
}

/// The environment is going away: drop its runtime (which cancels in-flight requests, drops
/// the tasks and closes the runtime's handles), then keep Node waiting, through the hook, until
/// libuv has called back for every request uvco submitted on this thread, so that the loop
/// Node closes next has nothing of ours on it.
unsafe extern "C" fn cleanup(hook: sys::napi_async_cleanup_hook_handle, arg: *mut c_void) {
    let env: sys::napi_env = arg.cast();
    // Nothing else holds the state (tasks hold only the env pointer and JS calls hold it only
    // while they run), so `into_inner` gives it back and this drops the runtime. Should
    // anything still hold it, the runtime is left to it: better a leak than a panic here.
    let state = ENVS.with(|envs| {
        let mut envs = envs.borrow_mut();
        let at = envs.0.iter().position(|e| e.env == env)?;
        Rc::into_inner(envs.0.swap_remove(at))
    });
    let Some(state) = state else {
        // SAFETY: the handle Node gave this hook.
        unsafe { sys::napi_remove_async_cleanup_hook(hook) };
        return;
    };
    let loop_ = state.runtime.loop_ptr();
    // A panic here would unwind into Node: contain it, and still release the hook.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(state.runtime)));
    let drain = Box::into_raw(Box::new(Drain {
        // SAFETY: a zeroed uv_check_t is what uv_check_init expects.
        check: unsafe { std::mem::zeroed() },
        hook,
    }));
    // SAFETY: the loop is alive (Node runs it until every async cleanup hook is removed);
    // `drain` is at its final address and freed by `drained`'s close callback.
    unsafe {
        uv::uv_check_init(loop_, &mut (*drain).check);
        (*drain).check.data = drain.cast();
        uv::uv_check_start(&mut (*drain).check, Some(on_check));
        // The first check runs after this loop iteration's callbacks.
    }
}

/// Each loop iteration until uvco's requests on this thread have all called back.
unsafe extern "C" fn on_check(check: *mut uv::uv_check_t) {
    let stats = uvco::runtime::slot::stats();
    if stats.submitted != stats.completed {
        return;
    }
    // SAFETY: the check handle started in `cleanup`; closing it once is what ends the drain.
    unsafe { uv::uv_close(check.cast(), Some(drained)) };
}

unsafe extern "C" fn drained(handle: *mut uv::uv_handle_t) {
    // SAFETY: `data` is the Drain box made in `cleanup`, freed only here.
    let drain = unsafe { Box::from_raw((*handle).data.cast::<Drain>()) };
    // SAFETY: the handle Node gave the hook, removed once.
    unsafe { sys::napi_remove_async_cleanup_hook(drain.hook) };
}
