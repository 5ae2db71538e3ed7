//! The runtime: a scheduler driven by a libuv loop, which it owns or borrows.
//!
//! Three handles connect the two. An idle handle is active exactly while tasks are ready, so
//! that the loop polls for I/O without blocking and runs their polls in its idle phase; a
//! check handle drains the queue right after I/O callbacks (which is when most wakes happen);
//! an async handle carries wakes from other threads. Only the idle handle keeps the loop
//! alive, and only while there is work; so a host that runs a borrowed loop sees it exit when
//! nothing is left to do.

use std::cell::{Cell, UnsafeCell};
use std::ffi::c_void;
use std::future::Future;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::pin::pin;
use std::ptr::{self, NonNull};
use std::task::{Context, Poll};

use crate::sys;

use crate::error::{RuntimeError, UvError};
use crate::libuv::{self, Version};
use crate::scheduler::{main_waker, Kick, PollHook, Scheduler};
use crate::task::JoinHandle;

/// Everything the loop's callbacks reach through `handle.data`; one allocation per runtime.
struct Driver {
    scheduler: Scheduler,
    loop_: *mut sys::uv_loop_t,
    // libuv writes to its handles while we hold `&Driver`, hence the UnsafeCells.
    idle: UnsafeCell<sys::uv_idle_t>,
    check: UnsafeCell<sys::uv_check_t>,
    wakeup: UnsafeCell<sys::uv_async_t>,
    /// Handles not yet closed. The driver is freed once they are all closed and no `Enter`
    /// guard points at it any more (see [`release_driver`]).
    open_handles: Cell<u8>,
    /// Live `Enter` guards of this driver. A forgotten `EnterGuard` keeps it (leaked) forever,
    /// so that `CURRENT` never dangles.
    enters: Cell<usize>,
    /// The runtime was dropped: `CURRENT` may still point here, but nothing may use it.
    shut_down: Cell<bool>,
    in_block_on: Cell<bool>,
    /// Tasks are being polled (inside `tick`): neither `block_on` nor dropping the runtime is
    /// allowed from there.
    ticking: Cell<bool>,
}

thread_local! {
    /// The driver whose tasks are running, or whose `block_on` or `enter` is active.
    static CURRENT: Cell<*const Driver> = const { Cell::new(ptr::null()) };
}

/// Makes `driver` current until dropped, restoring the previous one. Guards must be dropped
/// in reverse order of creation (they are, except for `EnterGuard`s a user drops out of order,
/// which panics).
struct Enter {
    driver: *const Driver,
    prev: *const Driver,
}

impl Enter {
    fn new(driver: *const Driver) -> Enter {
        // SAFETY: callers pass a live driver.
        let d = unsafe { &*driver };
        d.enters.set(d.enters.get() + 1);
        Enter {
            driver,
            prev: CURRENT.replace(driver),
        }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        // Restoring out of order would leave CURRENT pointing at a runtime that may be gone.
        assert!(
            CURRENT.get() == self.driver,
            "uvco: EnterGuards dropped out of order"
        );
        CURRENT.set(self.prev);
        // SAFETY: this guard's count keeps the driver alive until here.
        unsafe {
            let d = &*self.driver;
            d.enters.set(d.enters.get() - 1);
            release_driver(self.driver.cast_mut());
        }
    }
}

/// A guard from [`Runtime::enter`]: while it lives, [`spawn_local`] and the generated request
/// futures use this runtime. `!Send`. Guards must be dropped in the reverse order of their
/// creation (dropping one out of order panics); a forgotten guard leaks the runtime's
/// bookkeeping rather than leaving a dangling pointer behind.
pub struct EnterGuard<'a> {
    _enter: Enter,
    _runtime: PhantomData<&'a Runtime>,
}

/// The current driver, unless there is none or its runtime was dropped.
fn current() -> Option<&'static Driver> {
    let driver = CURRENT.get();
    // SAFETY: a non-null CURRENT was set by an Enter guard, whose count keeps the driver
    // allocated at least until the guard is dropped (forever, if it is forgotten).
    let driver = unsafe { driver.as_ref()? };
    (!driver.shut_down.get()).then_some(driver)
}

fn with_current<R>(what: &str, f: impl FnOnce(&Driver) -> R) -> R {
    let driver = current().unwrap_or_else(|| {
        panic!(
            "uvco: {what} called outside a uvco runtime (use block_on, a task, or Runtime::enter)"
        )
    });
    f(driver)
}

/// The loop of the current runtime, for the generated request futures.
///
/// # Panics
/// Outside a runtime (a task, `block_on`, or `Runtime::enter`).
pub fn current_loop() -> *mut sys::uv_loop_t {
    with_current("current_loop", |driver| driver.loop_)
}

/// The loop of the current runtime, or `None` outside one.
pub fn try_current_loop() -> Option<*mut sys::uv_loop_t> {
    current().map(|driver| driver.loop_)
}

/// Spawns a task on the current runtime. The future need not be `Send`: it runs on this
/// thread. Its frame comes from the runtime's free list when it fits a size class.
///
/// ```
/// let rt = uvco_runtime::Runtime::new().unwrap();
/// rt.block_on(async {
///     let shared = std::rc::Rc::new(5); // !Send is fine
///     let task = uvco_runtime::spawn_local({
///         let shared = shared.clone();
///         async move { *shared * 2 }
///     });
///     assert_eq!(task.await.unwrap(), 10);
/// });
/// ```
///
/// # Panics
/// Outside a runtime (a task, `block_on`, or `Runtime::enter`).
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
{
    with_current("spawn_local", |driver| driver.scheduler.spawn(future))
}

/// Options of a [`Runtime`] with a loop of its own, from [`Runtime::builder`].
///
/// ```
/// let rt = uvco_runtime::Runtime::builder().io_uring_sqpoll(true).build()?;
/// assert_eq!(rt.block_on(async { 2 + 2 }), 4);
/// # Ok::<(), uvco_runtime::RuntimeError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    io_uring_sqpoll: bool,
}

impl Builder {
    /// Configures the loop with `UV_LOOP_USE_IO_URING_SQPOLL`: fs requests go through an
    /// io_uring whose kernel thread polls the submission queue, instead of the threadpool.
    ///
    /// Measured on a 2-core VM (`make bench`): one fs request at a time is about 4x faster
    /// (no threadpool round trip), but with many in flight throughput drops, because the
    /// polling thread takes a core. libuv also treats SQPOLL as experimental and only enables
    /// it when the environment has `UV_USE_IO_URING=1`; without it this option has no effect.
    /// Off by default.
    pub fn io_uring_sqpoll(mut self, enabled: bool) -> Builder {
        self.io_uring_sqpoll = enabled;
        self
    }

    /// Creates the loop and the runtime on it.
    pub fn build(self) -> Result<Runtime, RuntimeError> {
        Runtime::with_options(self)
    }
}

/// A libuv loop with a task scheduler on it. `!Send`: one runtime per thread at a time is the
/// usual shape, though several may coexist on one thread or many.
///
/// ```
/// let rt = uvco_runtime::Runtime::new()?;
/// let n = rt.block_on(async { 1 + 1 });
/// assert_eq!(n, 2);
/// rt.close()?; // or just drop it
/// # Ok::<(), uvco_runtime::RuntimeError>(())
/// ```
pub struct Runtime {
    driver: NonNull<Driver>,
    /// The loop, when this runtime created it.
    owned_loop: Option<NonNull<sys::uv_loop_t>>,
    _not_send: PhantomData<*const ()>,
}

impl Runtime {
    /// A runtime on a new loop of its own.
    pub fn new() -> Result<Runtime, RuntimeError> {
        Builder::default().build()
    }

    /// Options for a runtime on a loop of its own.
    pub fn builder() -> Builder {
        Builder::default()
    }

    fn with_options(options: Builder) -> Result<Runtime, RuntimeError> {
        libuv::check_own_loop()?;
        const SQPOLL_SINCE: Version = Version {
            major: 1,
            minor: 49,
            patch: 0,
        };
        if options.io_uring_sqpoll && libuv::version() < SQPOLL_SINCE {
            return Err(RuntimeError::Unsupported {
                what: "UV_LOOP_USE_IO_URING_SQPOLL",
                since: SQPOLL_SINCE,
                found: libuv::version(),
            });
        }
        let layout = std::alloc::Layout::new::<sys::uv_loop_t>();
        // SAFETY: uv_loop_t has a non-zero size; a zeroed loop is what uv_loop_init expects.
        let loop_ = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<sys::uv_loop_t>();
        let loop_ = NonNull::new(loop_).unwrap_or_else(|| std::alloc::handle_alloc_error(layout));
        // SAFETY: a fresh, zeroed loop.
        if let Err(err) = UvError::check(unsafe { sys::uv_loop_init(loop_.as_ptr()) }) {
            // SAFETY: init failed, so libuv holds nothing of it.
            unsafe { std::alloc::dealloc(loop_.cast().as_ptr(), layout) };
            return Err(err.into());
        }
        if options.io_uring_sqpoll {
            // SAFETY: a fresh loop, not running. On kernels or builds without io_uring, libuv
            // ignores the option.
            let ret = unsafe {
                sys::uv_loop_configure(
                    loop_.as_ptr(),
                    sys::uv_loop_option_UV_LOOP_USE_IO_URING_SQPOLL,
                )
            };
            if let Err(err) = UvError::check(ret) {
                // SAFETY: no handles on it yet.
                unsafe {
                    sys::uv_loop_close(loop_.as_ptr());
                    std::alloc::dealloc(loop_.cast().as_ptr(), layout);
                }
                return Err(err.into());
            }
        }
        // SAFETY: the loop is initialised, runs on this thread, and outlives the runtime.
        match unsafe { Self::attach_inner(loop_.as_ptr()) } {
            Ok(mut rt) => {
                rt.owned_loop = Some(loop_);
                Ok(rt)
            }
            Err(err) => {
                // SAFETY: no handles were left on it.
                unsafe {
                    sys::uv_loop_close(loop_.as_ptr());
                    std::alloc::dealloc(loop_.cast().as_ptr(), layout);
                }
                Err(err.into())
            }
        }
    }

    /// A runtime on a loop someone else owns and runs, such as a host's.
    ///
    /// The runtime adds three handles of its own to the loop and never touches `loop->data`
    /// or any request's `data`. Tasks run from the loop's idle and check phases whenever the
    /// host runs the loop on this thread. Dropping the runtime drops its tasks and closes
    /// its handles; their close callbacks (which free the runtime's memory) run the next time
    /// the host runs the loop.
    ///
    /// The loop must be served by the libuv uvco calls. `attach` checks what it can and
    /// refuses with an error instead of crashing later: [`RuntimeError::ForeignLibuv`] when
    /// the process exports another libuv (a default, bundled build of uvco loaded into
    /// Node.js: build it with the `host` feature), [`RuntimeError::TooOld`] below
    /// [`libuv::MIN_VERSION`], [`RuntimeError::AbiMismatch`] when libuv's struct sizes are
    /// not the ones uvco allocates.
    ///
    /// Tasks that wait only on wakes from other threads don't keep the host's loop alive
    /// (the runtime's async handle is unreferenced); wait on a libuv handle or request too.
    ///
    /// # Safety
    /// `loop_` must be an initialised loop that is only run on this thread, and it must
    /// outlive the runtime and the close callbacks of its handles.
    ///
    /// # Panics
    /// Dropping the runtime or calling [`block_on`](Runtime::block_on) from one of its own
    /// tasks panics: the host is running the loop at that point, and libuv loops don't nest.
    pub unsafe fn attach(loop_: *mut sys::uv_loop_t) -> Result<Runtime, RuntimeError> {
        libuv::check_borrowed_loop()?;
        // SAFETY: forwarded contract.
        Ok(unsafe { Self::attach_inner(loop_) }?)
    }

    unsafe fn attach_inner(loop_: *mut sys::uv_loop_t) -> Result<Runtime, UvError> {
        // SAFETY: the three are libuv handle structs, initialised below before any use.
        let (idle, check, wakeup) = unsafe { (zeroed_handle(), zeroed_handle(), zeroed_handle()) };
        let driver = Box::new(Driver {
            scheduler: Scheduler::new(),
            loop_,
            idle,
            check,
            wakeup,
            open_handles: Cell::new(0),
            enters: Cell::new(0),
            shut_down: Cell::new(false),
            in_block_on: Cell::new(false),
            ticking: Cell::new(false),
        });
        let driver = NonNull::from(Box::leak(driver));
        let d = driver.as_ptr();
        // SAFETY: the driver is at its final address; each handle is initialised once on a
        // valid loop, and `data` points back to the driver, which outlives the handles (it is
        // freed by the last close callback).
        unsafe {
            let init = (|| {
                UvError::check(sys::uv_idle_init(loop_, (*d).idle.get()))?;
                (*d).open_handles.set(1);
                UvError::check(sys::uv_check_init(loop_, (*d).check.get()))?;
                (*d).open_handles.set(2);
                UvError::check(sys::uv_async_init(
                    loop_,
                    (*d).wakeup.get(),
                    Some(on_wakeup),
                ))?;
                (*d).open_handles.set(3);
                Ok(())
            })();
            (*(*d).idle.get()).data = d.cast();
            (*(*d).check.get()).data = d.cast();
            (*(*d).wakeup.get()).data = d.cast();
            if let Err(err) = init {
                (*d).shut_down.set(true);
                close_handles(d);
                return Err(err);
            }
            // Cannot fail on an initialised check handle with a callback.
            sys::uv_check_start((*d).check.get(), Some(on_check));
            sys::uv_unref(((*d).check.get()).cast());
            sys::uv_unref(((*d).wakeup.get()).cast());
            (*d).scheduler.install(
                Kick {
                    func: kick_idle,
                    data: d.cast(),
                },
                Kick {
                    func: kick_async,
                    data: ((*d).wakeup.get()).cast(),
                },
            );
        }
        Ok(Runtime {
            driver,
            owned_loop: None,
            _not_send: PhantomData,
        })
    }

    fn driver(&self) -> &Driver {
        // SAFETY: the driver lives until the runtime is dropped.
        unsafe { self.driver.as_ref() }
    }

    /// The libuv loop this runtime runs on.
    pub fn loop_ptr(&self) -> *mut sys::uv_loop_t {
        self.driver().loop_
    }

    /// Spawns a task on this runtime (see [`spawn_local`]).
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
    {
        self.driver().scheduler.spawn(future)
    }

    /// Tasks spawned and not yet finished.
    pub fn live_tasks(&self) -> usize {
        self.driver().scheduler.live_tasks()
    }

    /// Makes this the current runtime for code running outside its tasks, such as a host's
    /// callbacks on a borrowed loop.
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard {
            _enter: Enter::new(self.driver.as_ptr()),
            _runtime: PhantomData,
        }
    }

    /// Calls `hook(id, true)` before and `hook(id, false)` after each poll of a task: the
    /// place for tracing spans and task-local context.
    pub fn set_poll_hook(&self, hook: Option<PollHook>) {
        self.driver().scheduler.hook.set(hook);
    }

    /// Runs the loop until `future` completes, running spawned tasks meanwhile.
    ///
    /// # Panics
    /// When called from inside this runtime's loop (a task, a callback): libuv loops do not
    /// nest. A panic of `future` itself propagates to the caller.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let driver = self.driver();
        assert!(
            !driver.ticking.get(),
            "uvco: block_on called from a task of the same runtime (libuv loops do not nest)"
        );
        assert!(
            !driver.in_block_on.replace(true),
            "uvco: block_on called from inside the runtime"
        );
        struct Exit<'a>(&'a Driver);
        impl Drop for Exit<'_> {
            fn drop(&mut self) {
                self.0.in_block_on.set(false);
                self.0.scheduler.main_active.set(false);
                self.0.scheduler.main_woken.set(false);
                // SAFETY: the async handle is open until the runtime is dropped.
                unsafe { sys::uv_unref(self.0.wakeup.get().cast()) };
            }
        }
        let _exit = Exit(driver);
        let _enter = Enter::new(driver);
        // While blocked on the future, wakes from other threads must keep the loop waiting.
        // SAFETY: the async handle is open until the runtime is dropped.
        unsafe { sys::uv_ref(driver.wakeup.get().cast()) };
        let waker = main_waker(&driver.scheduler.shared);
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        driver.scheduler.main_active.set(true);
        driver.scheduler.main_woken.set(true);
        loop {
            if driver.scheduler.main_woken.replace(false) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
                // The wake that brought us here left the idle handle running; with nothing
                // ready any more, the loop may block for I/O right away instead of spinning
                // through one more non-blocking iteration.
                if !driver.scheduler.has_ready() {
                    // SAFETY: the idle handle is open while the runtime lives.
                    unsafe { sys::uv_idle_stop(driver.idle.get()) };
                }
            }
            // SAFETY: the loop is valid and not running (in_block_on guards re-entry).
            unsafe { sys::uv_run(driver.loop_, sys::uv_run_mode_UV_RUN_ONCE) };
        }
    }

    /// Drops the runtime, and for a loop it owns, reports whether `uv_loop_close` succeeded:
    /// it fails with `EBUSY` only if handles created by code outside the runtime are still open.
    pub fn close(self) -> Result<(), UvError> {
        let mut this = std::mem::ManuallyDrop::new(self);
        this.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), UvError> {
        let d = self.driver.as_ptr();
        // SAFETY: the driver is live until the runtime is dropped (this call).
        let driver = unsafe { &*d };
        // Dropping the futures of running tasks from under their own poll would free them
        // while they run; only a borrowed loop's host could get here (a task owning the
        // runtime), and it must not.
        assert!(
            !driver.ticking.get(),
            "uvco: a runtime can't be dropped from inside one of its own tasks"
        );
        {
            let _enter = Enter::new(d);
            // SAFETY: the driver is live until its handles' close callbacks have run.
            unsafe { (*d).scheduler.shutdown() };
        }
        driver.shut_down.set(true);
        // SAFETY: the handles are open; the last close callback frees the driver.
        unsafe { close_handles(d) };
        let Some(loop_) = self.owned_loop else {
            return Ok(());
        };
        let loop_ = loop_.as_ptr();
        // SAFETY: our own loop, not running. Unreferenced handles don't keep uv_run going, so
        // this returns once every request (including orphaned ones) has called back and every
        // closing handle has closed.
        unsafe {
            sys::uv_walk(loop_, Some(unref_handle), ptr::null_mut());
            while sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_DEFAULT) != 0 {}
            let closed = UvError::check(sys::uv_loop_close(loop_));
            if closed.is_ok() {
                std::alloc::dealloc(loop_.cast(), std::alloc::Layout::new::<sys::uv_loop_t>());
            }
            // else: handles owned by objects still alive; leaking the loop keeps them sound.
            closed.map(drop)
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("loop", &self.loop_ptr())
            .field("owned", &self.owned_loop.is_some())
            .finish()
    }
}

/// A handle struct before its `uv_*_init`.
///
/// # Safety
/// `H` must be a libuv handle struct: plain C data, for which all-zero bytes are valid.
unsafe fn zeroed_handle<H>() -> UnsafeCell<H> {
    // SAFETY: per the contract.
    UnsafeCell::new(unsafe { MaybeUninit::zeroed().assume_init() })
}

/// Closes whichever of the driver's handles were initialised.
unsafe fn close_handles(d: *mut Driver) {
    // SAFETY: the handles below `open_handles` were initialised and are not yet closing.
    unsafe {
        let open = (*d).open_handles.get();
        if open == 0 {
            release_driver(d);
            return;
        }
        let handles: [*mut sys::uv_handle_t; 3] = [
            ((*d).idle.get()).cast(),
            ((*d).check.get()).cast(),
            ((*d).wakeup.get()).cast(),
        ];
        for handle in &handles[..open as usize] {
            sys::uv_close(*handle, Some(on_close));
        }
    }
}

unsafe extern "C" fn on_close(handle: *mut sys::uv_handle_t) {
    // SAFETY: `data` is the driver, live until this callback frees it for the last handle.
    unsafe {
        let d = (*handle).data.cast::<Driver>();
        (*d).open_handles.set((*d).open_handles.get() - 1);
        release_driver(d);
    }
}

/// Frees the driver once its runtime is gone, its handles are closed and no `Enter` guard
/// points at it.
///
/// # Safety
/// `d` is a live driver; after this call it may be freed.
unsafe fn release_driver(d: *mut Driver) {
    // SAFETY: live per the contract; freed at most once, when the last of the three
    // conditions becomes true (each caller changed one of them just before).
    unsafe {
        let driver = &*d;
        if driver.shut_down.get() && driver.open_handles.get() == 0 && driver.enters.get() == 0 {
            drop(Box::from_raw(d));
        }
    }
}

unsafe extern "C" fn unref_handle(handle: *mut sys::uv_handle_t, _arg: *mut c_void) {
    // SAFETY: uv_walk passes live handles of the loop.
    unsafe { sys::uv_unref(handle) }
}

/// Runs the ready tasks; keeps the idle handle active while any remain.
unsafe fn tick(d: *const Driver) {
    // SAFETY: called from the driver's own handle callbacks, while the driver is live.
    let driver = unsafe { &*d };
    let _enter = Enter::new(d);
    driver.ticking.set(true);
    driver.scheduler.run_ready();
    driver.ticking.set(false);
    if !driver.scheduler.has_ready() {
        // SAFETY: the idle handle is open while the driver's callbacks can run.
        unsafe { sys::uv_idle_stop(driver.idle.get()) };
    }
}

unsafe extern "C" fn on_idle(handle: *mut sys::uv_idle_t) {
    // SAFETY: `data` is the driver that owns this handle.
    unsafe { tick((*handle).data.cast()) }
}

unsafe extern "C" fn on_check(handle: *mut sys::uv_check_t) {
    // SAFETY: `data` is the driver that owns this handle.
    unsafe { tick((*handle).data.cast()) }
}

unsafe extern "C" fn on_wakeup(handle: *mut sys::uv_async_t) {
    // SAFETY: `data` is the driver that owns this handle.
    let driver = unsafe { &*(*handle).data.cast::<Driver>() };
    driver.scheduler.drain_remote();
}

unsafe fn kick_idle(data: *mut c_void) {
    let d = data.cast::<Driver>();
    // SAFETY: the scheduler calls its kick only while installed, i.e. while the driver and
    // its idle handle are live. Starting an active idle handle is a no-op, and no syscall.
    unsafe { sys::uv_idle_start((*d).idle.get(), Some(on_idle)) };
}

unsafe fn kick_async(data: *mut c_void) {
    // SAFETY: called under the scheduler's remote lock while installed, so the async handle
    // is open; uv_async_send is safe from any thread.
    unsafe { sys::uv_async_send(data.cast()) };
}
