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
    /// What settling a promise needs to run the microtasks and nextTicks after it.
    pub(crate) drain: Drain,
    /// The environment's compiled factory of each [`Shape`](crate::Shape) used in it.
    pub(crate) shapes: RefCell<Vec<(*const crate::Shape, sys::napi_ref)>>,
}

/// A JS function that does nothing and an async context of the environment's, made once:
/// calling the one with `napi_make_callback` in the other, after resolving a promise, is what
/// runs the `.then`s and nextTicks right away. That call's scope lives on Node's stack, where
/// `napi_open_callback_scope` allocates two objects per settle; and the context is the
/// environment's, not the operation's, because a promise's reactions run in the async context
/// V8 gave the promise when the call made it (AsyncLocalStorage's store included), whatever
/// context resolves it.
#[derive(Clone, Copy)]
pub(crate) struct Drain {
    pub(crate) context: sys::napi_async_context,
    pub(crate) noop: sys::napi_ref,
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
    if let Some(found) = with_env(raw, Rc::clone) {
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
    // SAFETY: during a JS call of `env`.
    let drain = unsafe { make_drain(raw)? };
    let state = Rc::new(EnvRuntime {
        runtime,
        env: raw,
        drain,
        shapes: RefCell::new(Vec::new()),
    });
    let mut handle = ptr::null_mut();
    // SAFETY: `raw` is live; the hook's argument is the env pointer, which it only compares.
    napi::check_status!(unsafe {
        sys::napi_add_async_cleanup_hook(raw, Some(cleanup), raw.cast(), &mut handle)
    })?;
    ENVS.with(|envs| envs.borrow_mut().0.push(state.clone()));
    Ok(state)
}

/// # Safety
/// During a JS call of `env`, on its thread.
unsafe fn make_drain(env: sys::napi_env) -> napi::Result<Drain> {
    let mut context = ptr::null_mut();
    let mut noop = ptr::null_mut();
    // SAFETY: the caller's contract. The context is destroyed and the reference deleted by
    // `cleanup`, after the runtime (and with it every task that could use them) is gone.
    unsafe {
        let mut scope = ptr::null_mut();
        napi::check_status!(sys::napi_open_handle_scope(env, &mut scope))?;
        let made = (|| {
            let name = crate::error::string(env, "uvco");
            napi::check_status!(sys::napi_async_init(
                env,
                ptr::null_mut(),
                name,
                &mut context
            ))?;
            let function = crate::shape::compile(env, "(function () {})")?;
            napi::check_status!(sys::napi_create_reference(env, function, 1, &mut noop))
        })();
        sys::napi_close_handle_scope(env, scope);
        made?;
    }
    Ok(Drain { context, noop })
}

/// Calls `f` with the state of `env`, if it has a runtime.
pub(crate) fn with_env<R>(env: sys::napi_env, f: impl FnOnce(&Rc<EnvRuntime>) -> R) -> Option<R> {
    ENVS.with(|envs| envs.borrow().0.iter().find(|e| e.env == env).map(f))
}

/// Runs `f` with `env`'s runtime current: for `uvco::spawn_local`, or code that needs a
/// runtime outside a task (a synchronous `uvco::net::TcpListener::bind`, say).
pub fn enter<R>(env: &Env, f: impl FnOnce() -> R) -> napi::Result<R> {
    let state = env_runtime(env)?;
    let _guard = state.runtime.enter();
    Ok(f())
}

/// What the async cleanup hook waits for: uvco's requests on this thread to call back.
struct CleanupWait {
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
    // SAFETY: made for this env in `env_runtime` and `Shape::object`; nothing uses them now
    // that the runtime, and every task with it, is gone.
    unsafe {
        for (_, reference) in state.shapes.take() {
            sys::napi_delete_reference(env, reference);
        }
        sys::napi_delete_reference(env, state.drain.noop);
        sys::napi_async_destroy(env, state.drain.context);
    }
    let wait = Box::into_raw(Box::new(CleanupWait {
        // SAFETY: a zeroed uv_check_t is what uv_check_init expects.
        check: unsafe { std::mem::zeroed() },
        hook,
    }));
    // SAFETY: the loop is alive (Node runs it until every async cleanup hook is removed);
    // `wait` is at its final address and freed by `drained`'s close callback.
    unsafe {
        uv::uv_check_init(loop_, &mut (*wait).check);
        (*wait).check.data = wait.cast();
        uv::uv_check_start(&mut (*wait).check, Some(on_check));
        // The first check runs after this loop iteration's callbacks.
    }
}

/// Each loop iteration until uvco's requests on this thread have all called back.
unsafe extern "C" fn on_check(check: *mut uv::uv_check_t) {
    let stats = uvco::runtime::slot::stats();
    if stats.submitted != stats.completed {
        return;
    }
    // SAFETY: the check handle started in `cleanup`; closing it once is what ends the wait.
    unsafe { uv::uv_close(check.cast(), Some(drained)) };
}

unsafe extern "C" fn drained(handle: *mut uv::uv_handle_t) {
    // SAFETY: `data` is the CleanupWait box made in `cleanup`, freed only here.
    let wait = unsafe { Box::from_raw((*handle).data.cast::<CleanupWait>()) };
    // SAFETY: the handle Node gave the hook, removed once.
    unsafe { sys::napi_remove_async_cleanup_hook(wait.hook) };
}
