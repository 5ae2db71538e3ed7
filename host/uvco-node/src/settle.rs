//! Settling a JS promise or calling a JS callback when a uvco future completes, inside the
//! async context of the call that started it.

use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll};

use napi::bindgen_prelude::ToNapiValue;
use napi::{sys, Env, JsFunction, JsObject, JsUnknown, NapiRaw, NapiValue};

use crate::error::Error;
use crate::runtime::{env_runtime, with_env, Drain, EnvRuntime};

/// Returns a promise that `future`, run on `env`'s uvco runtime, resolves with its value or
/// rejects with its [`Error`].
pub fn promise<F, T>(env: &Env, future: F) -> napi::Result<JsObject>
where
    F: Future<Output = crate::Result<T>> + 'static,
    T: ToNapiValue + 'static,
{
    let mut promise = ptr::null_mut();
    start(env, future, |state| {
        promise_target(env, state, &mut promise)
    })?;
    // SAFETY: `promise` was made by napi_create_promise in this call's scope.
    Ok(unsafe { JsObject::from_raw_unchecked(env.raw(), promise) })
}

fn promise_target(
    env: &Env,
    state: &EnvRuntime,
    promise: &mut sys::napi_value,
) -> napi::Result<Target> {
    let mut deferred = ptr::null_mut();
    // SAFETY: called during the JS call that `env` belongs to.
    napi::check_status!(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, promise) })?;
    Ok(Target::Promise {
        deferred,
        drain: state.drain,
    })
}

/// Calls `callback(err)` or `callback(null, value)` when `future`, run on `env`'s uvco
/// runtime, completes: Node's callback convention.
pub fn callback<F, T>(env: &Env, callback: JsFunction, future: F) -> napi::Result<()>
where
    F: Future<Output = crate::Result<T>> + 'static,
    T: ToNapiValue + 'static,
{
    start(env, future, |_| callback_target(env, &callback))
}

fn callback_target(env: &Env, callback: &JsFunction) -> napi::Result<Target> {
    // napi-rs takes any object (or symbol) for a `JsFunction` argument; the reference made
    // of it below would too, and the result would go nowhere, silently.
    crate::args::callback(env, callback)?;
    let raw = env.raw();
    {
        let mut context = ptr::null_mut();
        let mut func = ptr::null_mut();
        // SAFETY: during a JS call of `env`, with a live function value of it. A null resource
        // makes Node create (and hold) the async resource itself, which captures the caller's
        // async context (AsyncLocalStorage's store) here, at the start. Both are released
        // once: by the settle, or by the drop of an operation that never settles.
        unsafe {
            let name = crate::error::string(raw, "uvco");
            napi::check_status!(
                sys::napi_async_init(raw, ptr::null_mut(), name, &mut context),
                "napi_async_init"
            )?;
            if let Err(err) = napi::check_status!(sys::napi_create_reference(
                raw,
                callback.raw(),
                1,
                &mut func
            )) {
                sys::napi_async_destroy(raw, context);
                return Err(err);
            }
        }
        Ok(Target::Callback { func, context })
    }
}

/// Both forms for one libuv request submitted in uvco's callback form (`with_callback`, which
/// `uvco::Awaitable` gives every `#[uv_awaitable]` type), with no task: `submit` submits it and, in the
/// request's `done`, hands the outcome to the [`Settle`] it is given, which settles the
/// promise or calls the callback right there, from libuv's callback, as Node's own `fs`
/// callbacks are called. [`settle`] with an `async` block does the same for any future,
/// through a uvco task.
///
/// `submit` runs with `env`'s runtime current. If libuv refuses the request (`with_callback`
/// returns the error, after running `done` with it), the promise is rejected or the callback
/// called with the error on the next loop turn, never during this call.
///
/// ```ignore
/// #[napi]
/// pub fn stat_size(env: Env, path: String, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
///     let path = std::ffi::CString::new(path)?;
///     uvco_node::request(&env, cb, |settle| unsafe {
///         UvFsStat::with_callback(path, |p| (p.as_ptr(),), move |res, _path| {
///             settle.send(res.map(|stat| stat.st_size as f64).map_err(Into::into))
///         })
///     })
/// }
/// ```
pub fn request<T, S>(env: &Env, callback: Option<JsFunction>, submit: S) -> napi::Result<JsUnknown>
where
    T: ToNapiValue + 'static,
    S: FnOnce(Settle<T>) -> std::result::Result<(), uvco::UvError>,
{
    let state = env_runtime(env)?;
    let mut promise = ptr::null_mut();
    let target = match &callback {
        Some(cb) => callback_target(env, cb)?,
        None => promise_target(env, &state, &mut promise)?,
    };
    let settle = Settle {
        pending: Pending {
            env: env.raw(),
            target: Some(target),
        },
        _output: PhantomData,
    };
    {
        let _current = state.runtime.enter();
        /// Counts this call in `SUBMITTING` while it lives, unwinding included.
        struct Submitting;
        impl Drop for Submitting {
            fn drop(&mut self) {
                SUBMITTING.set(SUBMITTING.get() - 1);
            }
        }
        SUBMITTING.set(SUBMITTING.get() + 1);
        let _submitting = Submitting;
        // A refusal runs `done` (and so `Settle::send`) here, which defers: see `send`. A
        // panic in `submit` drops the Settle, which settles with the panic (see its `Drop`).
        // `with_callback` reports its error through `done` too, so the result is not needed.
        let _ = submit(settle);
    }
    match callback {
        Some(_) => Ok(env.get_undefined()?.into_unknown()),
        // SAFETY: made by napi_create_promise in this call's scope.
        None => Ok(unsafe { JsUnknown::from_raw_unchecked(env.raw(), promise) }),
    }
}

thread_local! {
    /// How many [`request`] calls are submitting on this thread: a `Settle` sent then is a
    /// refusal, reported on the next loop turn rather than inside the JS call.
    static SUBMITTING: Cell<usize> = const { Cell::new(0) };
}

/// The promise or callback of one [`request`], settled once with [`send`](Settle::send) from
/// the request's `done`. Dropped unsent (`done` panicked), it settles with the panic's error.
pub struct Settle<T: ToNapiValue + 'static> {
    pending: Pending,
    _output: PhantomData<fn(T)>,
}

impl<T: ToNapiValue + 'static> Settle<T> {
    /// The operation, leaving an empty one (whose drop does nothing) in its place.
    fn take(&mut self) -> Pending {
        let env = self.pending.env;
        std::mem::replace(&mut self.pending, Pending { env, target: None })
    }

    /// Settles with `result`: resolves or calls back with the value, rejects or calls back with
    /// the error. From libuv's callback, right away; during the submitting call (a refusal), on
    /// the next loop turn; once the environment is being torn down, nothing is called (the
    /// operation is released as a task's would be).
    pub fn send(mut self, result: crate::Result<T>) {
        let pending = self.take();
        if with_env(pending.env, |_| ()).is_none() {
            return; // torn down: `pending` drops, releasing its target
        }
        if SUBMITTING.get() > 0 {
            uvco::spawn_local(async move { pending.settle(Ok(result)) }).detach();
        } else {
            pending.settle(Ok(result));
        }
    }
}

impl<T: ToNapiValue + 'static> Drop for Settle<T> {
    fn drop(&mut self) {
        if self.pending.target.is_none() || !std::thread::panicking() {
            return; // sent; or released unsent by `Pending`'s drop
        }
        let pending = self.take();
        if with_env(pending.env, |_| ()).is_some() {
            let panic =
                Error::new("Rust panic in a uvco request's callback").with_code("ERR_RUST_PANIC");
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                pending.settle::<()>(Ok(Err(panic)))
            }));
        }
    }
}

/// Both forms from one definition: with a callback, [`callback`] (and returns `undefined`);
/// without, [`promise`].
pub fn settle<F, T>(env: &Env, callback: Option<JsFunction>, future: F) -> napi::Result<JsUnknown>
where
    F: Future<Output = crate::Result<T>> + 'static,
    T: ToNapiValue + 'static,
{
    match callback {
        Some(cb) => {
            self::callback(env, cb, future)?;
            Ok(env.get_undefined()?.into_unknown())
        }
        None => Ok(promise(env, future)?.into_unknown()),
    }
}

enum Target {
    /// A promise settles in the async context V8 gave it when the call made it, and then runs
    /// its reactions through `drain` (see [`Drain`]).
    Promise {
        deferred: sys::napi_deferred,
        drain: Drain,
    },
    /// A callback is called with `napi_make_callback` in the async context made for this
    /// operation when it started, so AsyncLocalStorage and async_hooks see the caller's.
    Callback {
        func: sys::napi_ref,
        context: sys::napi_async_context,
    },
}

/// An operation between its start and its settle. Dropped without settling only when the
/// environment is torn down with the operation in flight.
struct Pending {
    env: sys::napi_env,
    target: Option<Target>,
}

fn start<F, T>(
    env: &Env,
    future: F,
    target: impl FnOnce(&EnvRuntime) -> napi::Result<Target>,
) -> napi::Result<()>
where
    F: Future<Output = crate::Result<T>> + 'static,
    T: ToNapiValue + 'static,
{
    // The runtime first: if uvco can't run here, nothing has been made that needs settling.
    let state = env_runtime(env)?;
    let mut pending = Pending {
        env: env.raw(),
        target: None,
    };
    pending.target = Some(target(&state)?);
    state
        .runtime
        .spawn_local(async move {
            let output = CatchUnwind(future).await;
            pending.settle(output);
        })
        .detach();
    Ok(())
}

impl Pending {
    fn settle<T: ToNapiValue>(mut self, output: std::thread::Result<crate::Result<T>>) {
        let Some(target) = self.target.take() else {
            return;
        };
        let env = self.env;
        // SAFETY: on the env's own thread, from a uvco task (run by the loop, outside any JS
        // frame): a handle scope makes values legal, and each napi call gets values of it.
        // The drain's and the callback's function and context are the env's, alive until its
        // cleanup, which drops this task first.
        unsafe {
            let mut scope = ptr::null_mut();
            sys::napi_open_handle_scope(env, &mut scope);
            // The value, or the JS error to reject (or call back) with.
            let result = match output {
                // A conversion can fail with a JS exception thrown (a Buffer past V8's
                // largest): that exception is the error. Left pending, it made the reject
                // fail (the promise never settled) and reached `uncaughtException`.
                Ok(Ok(value)) => T::to_napi_value(env, value).map_err(|err| {
                    take_exception(env).unwrap_or_else(|| js_error(env, &Error::from(err)))
                }),
                Ok(Err(err)) => Err(js_error(env, &err)),
                Err(panic) => Err(js_error(env, &panic_error(panic))),
            };
            let mut recv = ptr::null_mut();
            sys::napi_get_global(env, &mut recv);
            match target {
                Target::Promise { deferred, drain } => {
                    match result {
                        Ok(value) => sys::napi_resolve_deferred(env, deferred, value),
                        Err(err) => sys::napi_reject_deferred(env, deferred, err),
                    };
                    let mut noop = ptr::null_mut();
                    sys::napi_get_reference_value(env, drain.noop, &mut noop);
                    call(env, drain.context, recv, noop, &[]);
                }
                Target::Callback {
                    func: func_ref,
                    context,
                } => {
                    let mut func = ptr::null_mut();
                    sys::napi_get_reference_value(env, func_ref, &mut func);
                    sys::napi_delete_reference(env, func_ref);
                    let mut argv = [ptr::null_mut(); 2];
                    let argc = match result {
                        Ok(value) => {
                            sys::napi_get_null(env, &mut argv[0]);
                            argv[1] = value;
                            2
                        }
                        Err(err) => {
                            argv[0] = err;
                            1
                        }
                    };
                    call(env, context, recv, func, &argv[..argc]);
                    sys::napi_async_destroy(env, context);
                }
            }
            sys::napi_close_handle_scope(env, scope);
        }
    }
}

/// `func(...argv)` in `context`, as Node calls a callback: when it returns, the microtasks and
/// nextTicks run; an exception it throws goes to `process.on('uncaughtException')`.
///
/// # Safety
/// On `env`'s thread outside any JS frame, inside a handle scope; all values live in it.
unsafe fn call(
    env: sys::napi_env,
    context: sys::napi_async_context,
    recv: sys::napi_value,
    func: sys::napi_value,
    argv: &[sys::napi_value],
) {
    let mut ret = ptr::null_mut();
    // SAFETY: the caller's contract.
    unsafe {
        let status = sys::napi_make_callback(
            env,
            context,
            recv,
            func,
            argv.len(),
            argv.as_ptr(),
            &mut ret,
        );
        if status == sys::Status::napi_pending_exception {
            let mut exception = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut exception);
            sys::napi_fatal_exception(env, exception);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // SAFETY: the env is alive (operations are dropped at the latest by the env's cleanup
        // hook); the context and reference were made for this operation and are released once.
        unsafe {
            match self.target.take() {
                Some(Target::Callback { func, context }) => {
                    sys::napi_delete_reference(self.env, func);
                    sys::napi_async_destroy(self.env, context);
                }
                Some(Target::Promise { deferred, .. }) => {
                    // Only at teardown. Rejecting frees the deferred where Node still allows
                    // it; where it no longer runs JS, the deferred goes with the isolate.
                    let mut scope = ptr::null_mut();
                    sys::napi_open_handle_scope(self.env, &mut scope);
                    let err = Error::new("the Node.js environment was torn down")
                        .with_code("ERR_UVCO_TEARDOWN");
                    sys::napi_reject_deferred(self.env, deferred, js_error(self.env, &err));
                    sys::napi_close_handle_scope(self.env, scope);
                }
                None => {}
            }
        }
    }
}

/// The JS exception pending on `env`, cleared, if there is one.
///
/// # Safety
/// Inside a handle scope of `env`, on its thread.
unsafe fn take_exception(env: sys::napi_env) -> Option<sys::napi_value> {
    let mut pending = false;
    let mut exception = ptr::null_mut();
    // SAFETY: the caller's contract.
    unsafe {
        sys::napi_is_exception_pending(env, &mut pending);
        if !pending {
            return None;
        }
        sys::napi_get_and_clear_last_exception(env, &mut exception);
    }
    (!exception.is_null()).then_some(exception)
}

/// The JS error for `err`, or `undefined` if V8 could not make one.
///
/// # Safety
/// Inside a handle scope of `env`, on its thread.
unsafe fn js_error(env: sys::napi_env, err: &Error) -> sys::napi_value {
    // SAFETY: the caller's contract.
    let value = unsafe { err.to_js(env) };
    if value.is_null() {
        let mut undefined = ptr::null_mut();
        // SAFETY: as above.
        unsafe { sys::napi_get_undefined(env, &mut undefined) };
        return undefined;
    }
    value
}

fn panic_error(panic: Box<dyn Any + Send>) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic with a non-string payload");
    Error::new(format!("Rust panic in a uvco operation: {what}")).with_code("ERR_RUST_PANIC")
}

/// Polls the inner future inside `catch_unwind`, so that a panicking operation rejects
/// instead of unwinding through the uvco task (and from there toward Node).
struct CatchUnwind<F>(F);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: structural pinning: the inner future is never moved out of `self`.
        let inner = unsafe { self.map_unchecked_mut(|this| &mut this.0) };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}
