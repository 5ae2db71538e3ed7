//! The runtime: a scheduler driven by a libuv loop, which it owns or borrows.
//!
//! Two handles connect the two. An idle handle is active exactly while tasks are ready: the
//! loop runs their polls in its idle phase, and, while it is active, polls for I/O without
//! blocking. A task woken by an I/O callback runs in the next turn's idle phase, which comes
//! before that turn's poll for I/O (R4), and once the queue is empty the handle stops, so the
//! poll blocks as it should. (A check handle, started and stopped with it, would run such a
//! task a phase sooner but cost two more libuv calls per wake: 42 of a 64-byte echo's
//! instructions, callgrind.) An async handle carries wakes from other threads. A prepare
//! handle is active only while `block_on` runs the loop until its future is done: right
//! before each poll for I/O it runs the woken tasks and polls that future if it was woken, so
//! a main wake costs a flag rather than a `uv_stop` and a re-entry of `uv_run`. A loop turn
//! with no task ready (a request in the callback form completing, a host's own I/O) runs none
//! of uvco's code beyond that prepare callback's check. Only the idle handle keeps the loop
//! alive, and only while there is work; so a host that runs a borrowed loop sees it exit when
//! nothing is left to do.

use std::cell::{Cell, RefCell, UnsafeCell};
use std::ffi::c_void;
use std::future::Future;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::pin::pin;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

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
    /// Active only while `block_on` runs the loop until its future is done (see
    /// [`MainPoll`]): ticks before every poll for I/O.
    prepare: UnsafeCell<sys::uv_prepare_t>,
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
    /// The id of `block_on`'s own entry on [`STACK`] while it runs (0 otherwise): ticks under
    /// it need no entry of their own, since no task can drop it.
    main_enter: Cell<u64>,
    /// Tasks are being polled (inside `tick`): neither `block_on` nor dropping the runtime is
    /// allowed from there.
    ticking: Cell<bool>,
    /// The newest registered handle (see [`HandleLink`]); the list is walked at shutdown.
    handles: Cell<*const HandleLink>,
    /// Registered handles: while any is left after shutdown, the driver and the loop stay.
    linked: Cell<usize>,
    /// The runtime's own loop, once it has shut down: closed (or handed to [`ORPHANS`]) when
    /// the driver is freed, since registered handles that outlive the runtime still use it.
    deferred_loop: Cell<Option<NonNull<sys::uv_loop_t>>>,
    /// See [`set_park_hook`].
    park_hook: Cell<Option<ParkHook>>,
    /// The idle handle is started (see [`stop_ticks`]).
    ticks_started: Cell<bool>,
    /// The `block_on` future, while `block_on` runs the loop until it completes: `tick` polls
    /// it after the tasks (see [`MainPoll`]).
    main_poll: Cell<Option<MainPoll>>,
    /// `block_on` is inside that run of the loop (set for all of it, unlike `main_poll`,
    /// which is taken out while the future is polled).
    main_in_loop: Cell<bool>,
}

/// `block_on`'s future as `tick` polls it from the loop's prepare (or idle) phase: a pointer
/// to the [`MainState`] on `block_on`'s stack and the poll function for its type. Polling it
/// there, rather than stopping the loop at each main wake and entering it again, saves
/// `uv_run`'s return and entry (a clock read and a timer run in `UV_RUN_DEFAULT`) on every
/// resume.
#[derive(Clone, Copy)]
struct MainPoll {
    state: *mut c_void,
    /// Polls the future once; true when it is done (with its output or its panic kept).
    poll: unsafe fn(*mut c_void) -> bool,
}

/// What [`MainPoll::state`] points at. `repr(C)` with `panic` first: [`tick`] catches the
/// poll's panic (the poll function has no landing pad of its own to pay for on every resume)
/// and stores it through the type-erased pointer.
#[repr(C)]
struct MainState<'a, 'b, F: Future> {
    /// A panic of the future's poll, which must not unwind through libuv: `block_on`
    /// resumes it once `uv_run` has returned.
    panic: MainPanic,
    future: std::pin::Pin<&'a mut F>,
    cx: &'a mut Context<'b>,
    output: Option<F::Output>,
}

/// [`MainState::panic`]'s type, which [`tick`] writes through the type-erased state pointer.
type MainPanic = Option<Box<dyn std::any::Any + Send>>;

/// [`MainPoll::poll`] for a future of type `F`. It may unwind: [`tick`] catches that.
///
/// # Safety
/// `state` points at a live `MainState<F>` that nothing else references during the call.
#[inline]
unsafe fn poll_main<F: Future>(state: *mut c_void) -> bool {
    // SAFETY: per the contract.
    let state = unsafe { &mut *state.cast::<MainState<'_, '_, F>>() };
    match state.future.as_mut().poll(state.cx) {
        Poll::Pending => false,
        Poll::Ready(output) => {
            state.output = Some(output);
            true
        }
    }
}

thread_local! {
    /// The driver whose tasks are running, or whose `block_on` or `enter` is active: the one
    /// of the newest entry of [`STACK`] (a cache of it, read on every request submission).
    static CURRENT: Cell<*const Driver> = const { Cell::new(ptr::null()) };
    /// The live `Enter`s of this thread, oldest first. Each entry holds one count of its
    /// driver's `enters`, so that no entry, and so neither `CURRENT`, ever dangles.
    static STACK: Stack = const {
        Stack { entries: RefCell::new(Vec::new()), top: Cell::new(0) }
    };
    static NEXT_ENTER: Cell<u64> = const { Cell::new(1) };
}

/// The entries of [`STACK`], and the id of the newest (0 for none) beside them: what the check
/// after every task's poll reads ([`truncate_above`]), without borrowing the entries.
struct Stack {
    entries: RefCell<Vec<(u64, *const Driver)>>,
    top: Cell<u64>,
}

impl Stack {
    /// Sets `top` and `CURRENT` from the newest of `entries` (the stack's own, borrowed by
    /// the caller that just changed them).
    fn changed(&self, entries: &[(u64, *const Driver)]) {
        let (id, driver) = entries.last().copied().unwrap_or((0, ptr::null()));
        self.top.set(id);
        CURRENT.set(driver);
    }
}

/// Makes `driver` current until dropped. Entries form a stack ([`STACK`]): the current driver
/// is the newest live one's. Dropping one out of order removes it from the middle, which
/// changes nothing unless it was the newest; an entry that is already gone (see
/// [`truncate_above`]) makes its drop a no-op.
struct Enter {
    id: u64,
}

impl Enter {
    fn new(driver: *const Driver) -> Enter {
        // SAFETY: callers pass a live driver.
        let d = unsafe { &*driver };
        let id = NEXT_ENTER.with(|next| next.replace(next.get() + 1));
        let pushed = STACK.try_with(|stack| {
            let mut entries = stack.entries.borrow_mut();
            entries.push((id, driver));
            stack.changed(&entries);
        });
        if pushed.is_err() {
            // The thread is exiting and the stack is gone: nothing can be entered any more.
            return Enter { id: 0 };
        }
        d.enters.set(d.enters.get() + 1);
        Enter { id }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        if self.id == 0 {
            return;
        }
        let removed = STACK
            .try_with(|stack| {
                let mut entries = stack.entries.borrow_mut();
                // Guards are nearly always dropped newest first: pop without a search.
                let (_, driver) = match entries.last() {
                    Some(&(id, _)) if id == self.id => entries.pop()?,
                    _ => {
                        let at = entries.iter().rposition(|&(id, _)| id == self.id)?;
                        entries.remove(at)
                    }
                };
                stack.changed(&entries);
                Some(driver)
            })
            .ok()
            .flatten();
        if let Some(driver) = removed {
            // SAFETY: the entry's count kept the driver alive until here.
            unsafe { leave(driver) };
        }
    }
}

/// Drops the count an entry held.
///
/// # Safety
/// `driver` is live, and the caller gives up one count of its `enters`.
unsafe fn leave(driver: *const Driver) {
    // SAFETY: per the contract.
    unsafe {
        let d = &*driver;
        d.enters.set(d.enters.get() - 1);
        release_driver(driver.cast_mut());
    }
}

/// Removes the entries newer than `id`'s: those a task made during its poll and did not drop
/// (a guard held across an `.await`, or forgotten). They stop applying (their guards' drops
/// become no-ops), so that the next task runs under its own runtime again.
#[inline]
fn truncate_above(stack: &Stack, id: u64) {
    // The common case, checked inline after every poll: the task left no guard behind.
    if stack.top.get() == id {
        return;
    }
    truncate_stale(stack, id);
}

#[cold]
fn truncate_stale(stack: &Stack, id: u64) {
    let stale: Vec<*const Driver> = {
        let mut entries = stack.entries.borrow_mut();
        match entries.iter().rposition(|&(entry, _)| entry == id) {
            Some(at) if at + 1 < entries.len() => {
                let stale = entries.drain(at + 1..).map(|(_, d)| d).collect();
                stack.changed(&entries);
                stale
            }
            _ => Vec::new(),
        }
    };
    for driver in stale {
        // SAFETY: each removed entry held a count.
        unsafe { leave(driver) };
    }
}

/// A guard from [`Runtime::enter`]: while it lives, [`spawn_local`] and the generated request
/// futures use this runtime. `!Send`.
///
/// Guards nest: the current runtime is the one of the newest guard (or `block_on`, or task
/// poll) still in effect. Dropping guards out of order is allowed: a guard dropped before a
/// newer one just stops counting, and the newest one's runtime stays current.
///
/// In a task, a guard applies until the task's poll returns: when the task waits at an
/// `.await`, the guards it made stop applying, so that the runtime's other tasks never run
/// under another runtime, and when it resumes it runs under its own runtime again (dropping
/// such a guard later does nothing). A guard `mem::forget`-ten in a task therefore leaks
/// nothing. Outside tasks, a forgotten guard keeps its runtime current (and the runtime's
/// bookkeeping allocated, never dangling) until the thread exits.
///
/// ```
/// let a = uvco_runtime::Runtime::new()?;
/// let b = uvco_runtime::Runtime::new()?;
/// let in_a = a.enter();
/// let in_b = b.enter();
/// assert_eq!(uvco_runtime::try_current_loop(), Some(b.loop_ptr()));
/// drop(in_a); // out of order: b stays current
/// assert_eq!(uvco_runtime::try_current_loop(), Some(b.loop_ptr()));
/// drop(in_b);
/// assert_eq!(uvco_runtime::try_current_loop(), None);
/// # Ok::<(), uvco_runtime::RuntimeError>(())
/// ```
pub struct EnterGuard<'a> {
    _enter: Enter,
    _runtime: PhantomData<(&'a Runtime, *const ())>,
}

/// The current driver, unless there is none or its runtime was dropped.
#[inline]
fn current() -> Option<&'static Driver> {
    let driver = CURRENT.get();
    // SAFETY: a non-null CURRENT was set by an Enter guard, whose count keeps the driver
    // allocated at least until the guard is dropped (forever, if it is forgotten).
    let driver = unsafe { driver.as_ref()? };
    (!driver.shut_down.get()).then_some(driver)
}

/// What a [`WakerCell`](crate::wake::WakerCell) keeps instead of a clone of `waker` when it
/// is the main waker of the current runtime's `block_on`: its data pointer (the scheduler's
/// `Shared`), uncounted. Null for any other waker, so also for a main waker of another
/// thread's runtime, which only a counted clone can reach.
#[inline]
pub(crate) fn main_marker(waker: &Waker) -> *const () {
    if !crate::scheduler::is_main_waker(waker) {
        return ptr::null();
    }
    match current_driver() {
        Some(driver) if is_marked(driver, waker.data()) => waker.data(),
        _ => ptr::null(),
    }
}

/// Wakes the `block_on` future a [`main_marker`] stands for, from its thread: as its main
/// waker would, but with no thread check and no reference count, since the marker is only
/// compared. Its runtime is nearly always the current one. Otherwise it is one entered lower
/// down this thread's stack (a guard of another runtime held across an `.await`), or gone, or
/// not in `block_on`; only the first can be in `block_on` (which holds its entry), and the
/// others' main waker would do nothing either. (A runtime gone may have left its address to a
/// new one, whose `block_on` future then sees a spurious wake: harmless, as futures allow.)
#[inline]
pub(crate) fn wake_main_marker(marker: *const ()) {
    match current_driver() {
        Some(driver) if is_marked(driver, marker) => driver.scheduler.wake_main(),
        _ => wake_entered_main(marker),
    }
}

#[cold]
#[inline(never)]
fn wake_entered_main(marker: *const ()) {
    let found = STACK
        .try_with(|stack| {
            // Never borrowed mutably across a callback (every `borrow_mut` of the entries is
            // a push, a pop or a drain that runs no libuv or user code), so this borrow can't
            // fail here; if it ever could, the wake would be lost rather than panic in libuv.
            let entries = stack.entries.try_borrow().ok()?;
            entries.iter().rev().find_map(|&(_, driver)| {
                // SAFETY: each entry holds a count of its driver, which keeps it allocated.
                is_marked(unsafe { &*driver }, marker).then_some(driver)
            })
        })
        .ok()
        .flatten();
    if let Some(driver) = found {
        // SAFETY: entered (so live) a moment ago; waking enters and leaves nothing.
        unsafe { (*driver).scheduler.wake_main() };
    }
}

/// The driver of the newest entry, also once its runtime shut down (unlike [`current`]).
#[inline]
fn current_driver() -> Option<&'static Driver> {
    // SAFETY: as in `current`.
    unsafe { CURRENT.get().as_ref() }
}

#[inline]
fn is_marked(driver: &Driver, marker: *const ()) -> bool {
    ptr::eq(Arc::as_ptr(&driver.scheduler.shared).cast(), marker)
}

#[inline]
fn with_current<R>(what: &str, f: impl FnOnce(&Driver) -> R) -> R {
    match current() {
        Some(driver) => f(driver),
        None => outside_runtime(what),
    }
}

#[cold]
#[inline(never)]
fn outside_runtime(what: &str) -> ! {
    panic!("uvco: {what} called outside a uvco runtime (use block_on, a task, or Runtime::enter)")
}

/// The loop of the current runtime, for the generated request futures.
///
/// # Panics
/// Outside a runtime (a task, `block_on`, or `Runtime::enter`).
// Inline: every generated future's submit calls it, from the user's crate.
#[inline]
pub fn current_loop() -> *mut sys::uv_loop_t {
    with_current("current_loop", |driver| driver.loop_)
}

/// The loop of the current runtime, or `None` outside one.
pub fn try_current_loop() -> Option<*mut sys::uv_loop_t> {
    current().map(|driver| driver.loop_)
}

/// What [`Runtime::block_on`] tells a [`ParkHook`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Park {
    /// Nothing is ready and the loop is about to block: true asks `block_on` to poll the loop
    /// once without blocking instead, then call again with `Advance` if that readied nothing.
    Idle,
    /// Still nothing ready after that poll.
    Advance,
    /// The runtime is shutting down (its tasks are dropped); the hook is uninstalled.
    ShutDown,
}

/// A hook of the runtime's loop, for `uvco::time`'s paused clock (which moves to its next
/// timer when the runtime is idle, and forgets the runtime when it shuts down).
#[doc(hidden)]
pub type ParkHook = fn(*mut sys::uv_loop_t, Park) -> bool;

/// Installs (or removes) the current runtime's park hook.
///
/// # Panics
/// Outside a runtime.
#[doc(hidden)]
pub fn set_park_hook(hook: Option<ParkHook>) {
    with_current("set_park_hook", |driver| {
        driver.park_hook.set(hook);
        if driver.main_in_loop.get() {
            // A `block_on` running the loop until its future is done must come back to ask
            // the hook before the loop next blocks.
            // SAFETY: `main_in_loop` is set only while that `uv_run` runs, on this thread.
            unsafe { sys::uv_stop(driver.loop_) };
        }
    });
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
    /// The runtime adds two handles of its own to the loop and never touches `loop->data`
    /// or any request's `data`. Tasks run from the loop's idle phase whenever the
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
        // SAFETY: both are libuv handle structs, initialised below before any use.
        let (idle, prepare, wakeup) =
            unsafe { (zeroed_handle(), zeroed_handle(), zeroed_handle()) };
        let driver = Box::new(Driver {
            scheduler: Scheduler::new(),
            loop_,
            idle,
            prepare,
            wakeup,
            open_handles: Cell::new(0),
            enters: Cell::new(0),
            shut_down: Cell::new(false),
            in_block_on: Cell::new(false),
            main_enter: Cell::new(0),
            ticking: Cell::new(false),
            handles: Cell::new(ptr::null()),
            linked: Cell::new(0),
            deferred_loop: Cell::new(None),
            park_hook: Cell::new(None),
            ticks_started: Cell::new(false),
            main_poll: Cell::new(None),
            main_in_loop: Cell::new(false),
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
                UvError::check(sys::uv_async_init(
                    loop_,
                    (*d).wakeup.get(),
                    Some(on_wakeup),
                ))?;
                (*d).open_handles.set(2);
                UvError::check(sys::uv_prepare_init(loop_, (*d).prepare.get()))?;
                (*d).open_handles.set(3);
                Ok(())
            })();
            (*(*d).idle.get()).data = d.cast();
            (*(*d).wakeup.get()).data = d.cast();
            (*(*d).prepare.get()).data = d.cast();
            if let Err(err) = init {
                (*d).shut_down.set(true);
                close_handles(d);
                return Err(err);
            }
            sys::uv_unref(((*d).wakeup.get()).cast());
            sys::uv_unref(((*d).prepare.get()).cast());
            const TIMERS_AFTER_POLL: Version = Version {
                major: 1,
                minor: 45,
                patch: 0,
            };
            (*d).scheduler
                .main_kick
                .set(libuv::version() < TIMERS_AFTER_POLL);
            (*d).scheduler.install(
                Kick {
                    func: Some(kick_idle),
                    data: d.cast(),
                },
                Kick {
                    func: Some(kick_async),
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
                self.0.main_enter.set(0);
                self.0.scheduler.main_active.set(false);
                self.0.scheduler.main_woken.set(false);
                self.0.main_in_loop.set(false);
                self.0.main_poll.set(None);
                // SAFETY: the async handle is open until the runtime is dropped.
                unsafe { sys::uv_unref(self.0.wakeup.get().cast()) };
            }
        }
        let _exit = Exit(driver);
        let enter = Enter::new(driver);
        driver.main_enter.set(enter.id);
        // While blocked on the future, wakes from other threads must keep the loop waiting.
        // SAFETY: the async handle is open until the runtime is dropped.
        unsafe { sys::uv_ref(driver.wakeup.get().cast()) };
        let waker = main_waker(&driver.scheduler.shared);
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        driver.scheduler.main_active.set(true);
        driver.scheduler.main_woken.set(true);
        // Ticks run here, without a loop iteration, since the loop last polled for I/O.
        let mut direct = 0;
        // The loop just ran: the tasks it woke come before the main future (below).
        let mut from_loop = false;
        loop {
            if std::mem::take(&mut from_loop)
                && driver.scheduler.main_woken.get()
                && driver.scheduler.has_queued()
            {
                // One round of the tasks woken in the loop turn that also woke the main
                // future: the round that turn's idle phase would have run, had uv_stop not
                // ended it. So a task finishing a write the main future saw complete lets go
                // of what it holds before the main future goes on.
                // SAFETY: the driver is live; not ticking (block_on refuses that).
                unsafe { tick(driver) };
            }
            if driver.scheduler.main_woken.replace(false) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
                // The wake that brought us here left the idle handle running; with nothing
                // ready any more, the loop may block for I/O right away instead of spinning
                // through one more non-blocking iteration.
                if !driver.scheduler.has_ready() {
                    // SAFETY: the handles are open while the runtime lives.
                    unsafe { stop_ticks(driver) };
                }
            }
            if driver.scheduler.has_queued() && direct < DIRECT_TICKS {
                // Tasks are ready and the loop has polled I/O recently: run them now rather
                // than through a loop iteration (a clock read, an epoll_wait, the idle
                // phase), as tokio's scheduler polls I/O only every 61 tasks.
                direct += 1;
                // SAFETY: the driver is live; not ticking (block_on refuses that).
                unsafe { tick(driver) };
                continue;
            }
            direct = 0;
            // Unless the future woke itself (a yield): that asks for a whole loop turn first,
            // poll for I/O included (below), and the loop's first idle or prepare phase
            // would come before that poll. (Tasks left after DIRECT_TICKS rounds run in that
            // first idle phase either way.)
            if driver.park_hook.get().is_none() && !driver.scheduler.main_woken.get() {
                // Nothing for block_on to do until the main future is woken: the loop runs
                // as many turns as that takes, and its prepare phase, right before each poll
                // for I/O, runs the woken tasks and then the future if it was woken, as the
                // idle phase runs tasks (R4). A wake needs no kick then, only its flag
                // (unless prepare handles of the host's run after ours, below). The
                // loop stops when the future is done (or a task installs a park hook, which
                // block_on must consult before the loop next blocks). This saves uv_run's
                // return and entry (a clock read, a timer run) at every main wake, and the
                // idle handle's start and stop at every wake.
                let mut state = MainState {
                    panic: None,
                    future: future.as_mut(),
                    cx: &mut cx,
                    output: None,
                };
                driver.main_poll.set(Some(MainPoll {
                    state: (&raw mut state).cast(),
                    poll: poll_main::<F>,
                }));
                driver.main_in_loop.set(true);
                // Prepare handles started before ours run after it, just before the poll: a
                // wake from one of those must still kick, as it would without block_on.
                // SAFETY: the loop is valid; its prepare queue is only read.
                let alone = unsafe { no_prepare_handles(driver.loop_) };
                let main_kick = driver.scheduler.main_kick.replace(!alone);
                let kick = alone.then(|| driver.scheduler.replace_kick(Kick::noop()));
                // SAFETY: the loop is valid and not running (in_block_on guards re-entry);
                // `state` outlives the run, and `main_poll` is cleared right after it. The
                // prepare handle is open while the runtime lives. `uv_run` cannot unwind
                // (every callback of ours is `extern "C"` and contains its panics), so
                // nothing skips the restoring below.
                unsafe {
                    sys::uv_prepare_start(driver.prepare.get(), Some(on_prepare::<F>));
                    sys::uv_run(driver.loop_, sys::uv_run_mode_UV_RUN_DEFAULT);
                    sys::uv_prepare_stop(driver.prepare.get());
                }
                if let Some(kick) = kick {
                    driver.scheduler.replace_kick(kick);
                }
                driver.scheduler.main_kick.set(main_kick);
                driver.main_poll.set(None);
                driver.main_in_loop.set(false);
                if driver.scheduler.has_queued() {
                    // Woken in the last turn, without a kick: the idle handle may be off.
                    // SAFETY: the driver and its handles are live.
                    unsafe { kick_idle(ptr::from_ref(driver).cast_mut().cast()) };
                }
                if let Some(payload) = state.panic.take() {
                    std::panic::resume_unwind(payload);
                }
                if let Some(output) = state.output.take() {
                    return output;
                }
                from_loop = true;
                continue;
            }
            let mode = if driver.scheduler.has_ready() {
                sys::uv_run_mode_UV_RUN_NOWAIT
            } else {
                sys::uv_run_mode_UV_RUN_ONCE
            };
            // A paused clock waiting only for its timers: rather than block, poll for what is
            // ready now, and if nothing is, let it move to its next timer.
            if mode == sys::uv_run_mode_UV_RUN_ONCE
                && driver
                    .park_hook
                    .get()
                    .is_some_and(|hook| hook(driver.loop_, Park::Idle))
            {
                // SAFETY: as below.
                unsafe { sys::uv_run(driver.loop_, sys::uv_run_mode_UV_RUN_NOWAIT) };
                from_loop = true;
                if let (false, Some(hook)) = (driver.scheduler.has_ready(), driver.park_hook.get())
                {
                    hook(driver.loop_, Park::Advance);
                }
                continue;
            }
            // SAFETY: the loop is valid and not running (in_block_on guards re-entry).
            unsafe { sys::uv_run(driver.loop_, mode) };
            from_loop = true;
        }
    }

    /// Drops the runtime, and for a loop it owns, reports whether `uv_loop_close` succeeded:
    /// it fails with `EBUSY` if something was still pending when the [default
    /// bound](Runtime::DEFAULT_SHUTDOWN_BOUND) ran out, or if handles the runtime doesn't know
    /// (created by code outside uvco) are still open, or if uvco handles outlive the runtime
    /// (the loop is then closed when the last of them is dropped). See
    /// [`shutdown`](Runtime::shutdown) for the details.
    pub fn close(self) -> Result<(), UvError> {
        let mut this = std::mem::ManuallyDrop::new(self);
        let report = this.shut_down(Self::DEFAULT_SHUTDOWN_BOUND);
        if report.loop_closed || this.owned_loop.is_none() {
            Ok(())
        } else {
            Err(UvError::EBUSY)
        }
    }

    /// How long dropping a runtime waits for what libuv can't cancel: 1 second.
    pub const DEFAULT_SHUTDOWN_BOUND: Duration = Duration::from_secs(1);

    /// Drops the runtime, waiting at most `bound` for what is still in flight, and reports
    /// what was left. Dropping a runtime does the same with
    /// [`DEFAULT_SHUTDOWN_BOUND`](Runtime::DEFAULT_SHUTDOWN_BOUND).
    ///
    /// In order: every task's future is dropped (their requests are cancelled where libuv
    /// can); every uvco handle still open (a stream, a listener, a socket, a timer owned by
    /// something that outlives the runtime) is closed, so that its queued writes, connects
    /// and shutdowns complete with `ECANCELED`; then, for a loop the runtime owns, the loop
    /// runs until every callback has been delivered, or `bound` has passed.
    ///
    /// What libuv can't cancel is a threadpool job a pool thread has already started (an
    /// `open(2)` of a FIFO nobody writes to blocks it for as long as that lasts). Such jobs
    /// are counted in the report and left to finish without the runtime: the loop, still
    /// open, and each job's request slot are kept (deliberately leaked, for now) so that the
    /// pool thread's completion has valid memory to touch. Nothing of it runs until a later
    /// runtime on the same thread shuts down, or the thread exits (which waits up to
    /// [`DEFAULT_SHUTDOWN_BOUND`](Runtime::DEFAULT_SHUTDOWN_BOUND) for them): then the loop
    /// delivers the late callbacks (which release what their requests hold, closing an fd the
    /// job opened) and is closed and freed. A job that never ends leaks its slot and the loop
    /// (a few kilobytes) for good. uvco handles that outlive the runtime are closed: their
    /// methods fail (`EBADF`, `EINVAL`), or their streams end, a task waiting on one (of
    /// any runtime) is woken to find that out, and the loop is closed when the last one is
    /// dropped.
    ///
    /// ```
    /// let rt = uvco_runtime::Runtime::new()?;
    /// rt.block_on(async { uvco_runtime::yield_now().await });
    /// let report = rt.shutdown(std::time::Duration::from_secs(1));
    /// assert!(report.is_clean(), "{report:?}");
    /// # Ok::<(), uvco_runtime::RuntimeError>(())
    /// ```
    ///
    /// # Panics
    /// From inside one of its own tasks (as dropping it does).
    pub fn shutdown(self, bound: Duration) -> ShutdownReport {
        let mut this = std::mem::ManuallyDrop::new(self);
        this.shut_down(bound)
    }

    fn shut_down(&mut self, bound: Duration) -> ShutdownReport {
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
        let mut report = ShutdownReport::default();
        {
            // Also what keeps the driver alive until the end of this function, whatever its
            // close callbacks do meanwhile.
            let _enter = Enter::new(d);
            // SAFETY: the driver is live until its handles' close callbacks have run.
            unsafe { (*d).scheduler.shutdown() };
            if let Some(hook) = driver.park_hook.take() {
                hook(driver.loop_, Park::ShutDown);
            }
            driver.shut_down.set(true);
            // SAFETY: registered links are live handles (their owners unregister on drop),
            // not closing yet; each owner's `close` closes its handle once.
            unsafe {
                let mut at = driver.handles.get();
                while let Some(link) = at.as_ref() {
                    at = link.next.get();
                    if !link.closed.replace(true) {
                        (link.close)(link.handle);
                        report.closed_handles += 1;
                    }
                }
            }
            // SAFETY: the handles are open; the last close callback frees the driver.
            unsafe { close_handles(d) };
            if let Some(loop_) = self.owned_loop {
                let loop_ = loop_.as_ptr();
                // SAFETY: our own loop, not running (`ticking` and `in_block_on` are false).
                // Unreferenced handles don't keep it running, so the run ends once every
                // request has called back and every closing handle has closed, or at `bound`.
                unsafe {
                    sys::uv_walk(loop_, Some(unref_handle), ptr::null_mut());
                    run_bounded(loop_, bound);
                    (report.threadpool, report.other_requests) = loop_pending(loop_);
                    sys::uv_walk(
                        loop_,
                        Some(count_open_handle),
                        (&raw mut report.foreign_handles).cast(),
                    );
                }
                // Closed when the driver goes: now, unless handles or guards outlive us.
                driver.deferred_loop.set(self.owned_loop);
                // Our own entry is the one count of `enters` expected here.
                report.loop_closed =
                    report.is_clean() && driver.linked.get() == 0 && driver.enters.get() == 1;
            } else {
                // SAFETY: the host's loop; only counted.
                (report.threadpool, report.other_requests) = unsafe { loop_pending(driver.loop_) };
            }
        }
        reap_orphans(Duration::ZERO);
        report
    }
}

/// What [`Runtime::shutdown`] left behind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Threadpool jobs (fs, work, getaddrinfo, getnameinfo, random) still running when the
    /// bound ran out; each one's slot and the loop are kept until it ends.
    pub threadpool: usize,
    /// Other requests still pending: those on handles the runtime doesn't know, and requests
    /// uvco didn't submit.
    pub other_requests: usize,
    /// uvco handles whose owners outlived the runtime, which it closed.
    pub closed_handles: usize,
    /// Handles still open that uvco didn't create; they keep the loop from closing.
    pub foreign_handles: usize,
    /// The runtime's own loop was closed and freed (false for a borrowed loop, and while
    /// closed uvco handles outlive the runtime).
    pub loop_closed: bool,
}

impl ShutdownReport {
    /// Nothing was left pending: no request, and no handle uvco doesn't know.
    pub fn is_clean(&self) -> bool {
        self.threadpool == 0 && self.other_requests == 0 && self.foreign_handles == 0
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shut_down(Self::DEFAULT_SHUTDOWN_BOUND);
    }
}

/// Runs `loop_` until nothing keeps it alive, or `bound` has passed. Returns whether it ran
/// out of work.
///
/// # Safety
/// A valid loop, on its thread, not running.
unsafe fn run_bounded(loop_: *mut sys::uv_loop_t, bound: Duration) -> bool {
    if bound.is_zero() {
        // SAFETY: per the contract.
        return unsafe { sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_NOWAIT) } == 0;
    }
    struct Bound {
        timer: sys::uv_timer_t,
        /// Set by the timer's callback, during `uv_run`.
        fired: Cell<bool>,
    }
    unsafe extern "C" fn on_bound(timer: *mut sys::uv_timer_t) {
        // SAFETY: the timer is the first field of a live `Bound`.
        unsafe { (*timer.cast::<Bound>()).fired.set(true) };
    }
    unsafe extern "C" fn free_bound(timer: *mut sys::uv_handle_t) {
        // SAFETY: the `Bound` was boxed below; this is its handle's last callback.
        drop(unsafe { Box::from_raw(timer.cast::<Bound>()) });
    }
    let ms = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX).max(1);
    // SAFETY: a zeroed timer is what uv_timer_init expects; the box is freed by the close
    // callback, which libuv runs at the latest on the next run of this loop. The timer is
    // unreferenced: it bounds each blocking poll without keeping the loop alive itself.
    unsafe {
        let bound = Box::into_raw(Box::new(Bound {
            timer: MaybeUninit::zeroed().assume_init(),
            fired: Cell::new(false),
        }));
        let timer = &raw mut (*bound).timer;
        if sys::uv_timer_init(loop_, timer) != 0 {
            drop(Box::from_raw(bound));
            return sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_NOWAIT) == 0;
        }
        sys::uv_timer_start(timer, Some(on_bound), ms, 0);
        sys::uv_unref(timer.cast());
        let mut idle = false;
        while !(*bound).fired.get() {
            if sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_ONCE) == 0 {
                idle = true;
                break;
            }
        }
        sys::uv_close(timer.cast(), Some(free_bound));
        let rest = sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_NOWAIT) == 0;
        idle || rest
    }
}

/// `(threadpool, other)`: the requests still pending on `loop_`.
///
/// # Safety
/// A valid loop.
unsafe fn loop_pending(loop_: *mut sys::uv_loop_t) -> (usize, usize) {
    // SAFETY: per the contract; `count` is the union's member libuv uses.
    let active = unsafe { (*loop_).active_reqs.count } as usize;
    // SAFETY: only compared.
    let (threadpool, _) = unsafe { crate::slot::in_flight_on(loop_) };
    let threadpool = threadpool.min(active);
    (threadpool, active - threadpool)
}

unsafe extern "C" fn count_open_handle(handle: *mut sys::uv_handle_t, arg: *mut c_void) {
    // SAFETY: uv_walk passes live handles; `arg` is the report's counter.
    unsafe {
        if sys::uv_is_closing(handle) == 0 {
            *arg.cast::<usize>() += 1;
        }
    }
}

thread_local! {
    /// Loops of runtimes that shut down with threadpool jobs still running: kept open, and
    /// run (then closed) by later shutdowns on this thread and when the thread exits.
    static ORPHANS: Orphans = const { Orphans(RefCell::new(Vec::new())) };
}

struct Orphans(RefCell<Vec<NonNull<sys::uv_loop_t>>>);

impl Drop for Orphans {
    fn drop(&mut self) {
        let loops = std::mem::take(&mut *self.0.borrow_mut());
        for loop_ in loops {
            // SAFETY: an orphaned loop is owned by this list alone, and not running.
            if unsafe { !try_finish(loop_, Runtime::DEFAULT_SHUTDOWN_BOUND) } {
                // The job never ended: the loop is leaked for good (see `Runtime::shutdown`).
            }
        }
    }
}

/// Runs each orphaned loop for at most `bound`, and closes and frees those that are done.
fn reap_orphans(bound: Duration) {
    let Ok(loops) = ORPHANS.try_with(|o| std::mem::take(&mut *o.0.borrow_mut())) else {
        return;
    };
    let mut left = Vec::new();
    for loop_ in loops {
        // SAFETY: as in `Orphans::drop`.
        if unsafe { !try_finish(loop_, bound) } {
            left.push(loop_);
        }
    }
    if !left.is_empty() {
        let kept = ORPHANS.try_with(|o| o.0.borrow_mut().append(&mut left));
        // Only when the thread is exiting; the loops are leaked then.
        let _ = kept;
    }
}

/// Runs a runtime's own loop (whose driver is gone) for at most `bound`, then closes and
/// frees it. False if it is still busy.
///
/// # Safety
/// Nothing else owns the loop, and it is not running.
unsafe fn try_finish(loop_: NonNull<sys::uv_loop_t>, bound: Duration) -> bool {
    let loop_ = loop_.as_ptr();
    // SAFETY: per the contract.
    unsafe {
        sys::uv_walk(loop_, Some(unref_handle), ptr::null_mut());
        run_bounded(loop_, bound);
        if sys::uv_loop_close(loop_) != 0 {
            return false;
        }
        std::alloc::dealloc(loop_.cast(), std::alloc::Layout::new::<sys::uv_loop_t>());
    }
    true
}

/// Closes the loop of a driver that was just freed, or hands it to [`ORPHANS`].
///
/// # Safety
/// As for [`try_finish`].
unsafe fn finish_loop(loop_: NonNull<sys::uv_loop_t>) {
    // SAFETY: per the contract.
    if unsafe { try_finish(loop_, Duration::ZERO) } {
        return;
    }
    if ORPHANS.try_with(|o| o.0.borrow_mut().push(loop_)).is_err() {
        // The thread is exiting: the loop is leaked (see `Runtime::shutdown`).
    }
}

/// The runtime's record of a uvco handle (a stream, a timer, ...), so that shutting down can
/// close it for an owner that outlives the runtime. Lives in the handle's block, next to the
/// handle, from [`register_handle`] until [`unregister_handle`].
pub struct HandleLink {
    handle: *mut sys::uv_handle_t,
    close: unsafe fn(*mut sys::uv_handle_t),
    /// Closed by the runtime: the owner must not close it again.
    closed: Cell<bool>,
    driver: Cell<*const Driver>,
    prev: Cell<*const HandleLink>,
    next: Cell<*const HandleLink>,
}

impl HandleLink {
    /// A link for `handle`, which `close` closes (with `uv_close` and the owner's close
    /// callback) when the runtime shuts down first.
    pub fn new(handle: *mut sys::uv_handle_t, close: unsafe fn(*mut sys::uv_handle_t)) -> Self {
        HandleLink {
            handle,
            close,
            closed: Cell::new(false),
            driver: Cell::new(ptr::null()),
            prev: Cell::new(ptr::null()),
            next: Cell::new(ptr::null()),
        }
    }

    /// Whether the runtime closed the handle (it shut down while the owner lived).
    pub fn closed_by_runtime(&self) -> bool {
        self.closed.get()
    }
}

/// Records `link`'s handle with the current runtime, if the handle is on its loop. Returns
/// whether it did.
///
/// # Safety
/// `link.handle` is an initialised handle; `link` stays at its address, and is passed to
/// [`unregister_handle`] before it is freed.
pub unsafe fn register_handle(link: &HandleLink) -> bool {
    // SAFETY: the caller's contract.
    current().is_some_and(|driver| unsafe { link_handle(driver, link) })
}

/// Records `link`'s handle with the runtime `beside` is recorded with: for a handle made in a
/// libuv callback, where no runtime need be current (a listener's accepted streams, made in
/// its connection callback while a host runs the loop). Returns whether it did.
///
/// # Safety
/// As for [`register_handle`]; `beside` is a live link.
pub unsafe fn register_handle_beside(link: &HandleLink, beside: &HandleLink) -> bool {
    // SAFETY: a registered link's driver is live: its `linked` count keeps it.
    match unsafe { beside.driver.get().as_ref() } {
        // SAFETY: the caller's contract.
        Some(driver) if !beside.closed.get() => unsafe { link_handle(driver, link) },
        _ => false,
    }
}

/// # Safety
/// As for [`register_handle`].
unsafe fn link_handle(driver: &Driver, link: &HandleLink) -> bool {
    // SAFETY: an initialised handle, per the contract.
    if unsafe { (*link.handle).loop_ } != driver.loop_ {
        return false;
    }
    link.driver.set(driver);
    link.prev.set(ptr::null());
    link.next.set(driver.handles.get());
    // SAFETY: registered links are live.
    if let Some(next) = unsafe { driver.handles.get().as_ref() } {
        next.prev.set(link);
    }
    driver.handles.set(link);
    driver.linked.set(driver.linked.get() + 1);
    true
}

/// Forgets `link`'s handle; after a shutdown, the last one lets the runtime's loop close.
///
/// # Safety
/// `link` was passed to [`register_handle`] (or is unregistered, making this a no-op). If the
/// runtime closed the handle, its close callback has run (or will run and free nothing the
/// loop still needs).
pub unsafe fn unregister_handle(link: &HandleLink) {
    let d = link.driver.replace(ptr::null());
    // SAFETY: a registered link's driver is live: `linked` keeps it.
    let Some(driver) = (unsafe { d.as_ref() }) else {
        return;
    };
    let (prev, next) = (link.prev.take(), link.next.take());
    // SAFETY: neighbours are live registered links.
    unsafe {
        match prev.as_ref() {
            Some(prev) => prev.next.set(next),
            None => driver.handles.set(next),
        }
        if let Some(next) = next.as_ref() {
            next.prev.set(prev);
        }
    }
    driver.linked.set(driver.linked.get() - 1);
    // SAFETY: the driver is live until this call, which may free it.
    unsafe { release_driver(d.cast_mut()) };
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
            ((*d).wakeup.get()).cast(),
            ((*d).prepare.get()).cast(),
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
        if driver.shut_down.get()
            && driver.open_handles.get() == 0
            && driver.enters.get() == 0
            && driver.linked.get() == 0
        {
            let loop_ = driver.deferred_loop.take();
            drop(Box::from_raw(d));
            if let Some(loop_) = loop_ {
                finish_loop(loop_);
            }
        }
    }
}

unsafe extern "C" fn unref_handle(handle: *mut sys::uv_handle_t, _arg: *mut c_void) {
    // SAFETY: uv_walk passes live handles of the loop.
    unsafe { sys::uv_unref(handle) }
}

/// How many rounds of ready tasks `block_on` runs itself before it lets the loop poll for I/O
/// (and run timers, and the tasks woken meanwhile) again.
const DIRECT_TICKS: u32 = 32;

/// Runs the ready tasks; keeps the idle handle active while any remain. Under `block_on`'s
/// run of the loop ([`MainPoll`]) it polls the woken main future after them, and goes on in
/// rounds while anything is ready (at most [`DIRECT_TICKS`]), as `block_on` does itself.
unsafe fn tick(d: *const Driver) {
    // SAFETY: called from the driver's own handle callbacks (or `block_on`), while the driver
    // is live.
    let driver = unsafe { &*d };
    let mut rounds = 0;
    loop {
        if driver.scheduler.has_queued() {
            // SAFETY: forwarded.
            unsafe { run_round(d) };
        }
        // Without a future to poll here (block_on polls it itself, or this tick runs inside
        // its poll, or inside a task's: a run of this loop nested in it), one round: what
        // polls next is up to block_on's own loop, or the outer tick.
        let Some(main) = main_pollable(driver) else {
            break;
        };
        if driver.scheduler.main_woken.replace(false) {
            // SAFETY: forwarded; `main` came from `main_pollable`.
            if unsafe { poll_main_now(driver, main, |state| (main.poll)(state)) } {
                break;
            }
            if driver.scheduler.main_woken.get() {
                // It woke itself (a yield): that asks for a loop turn, as it does when
                // block_on polls it.
                break;
            }
        }
        rounds += 1;
        if !driver.scheduler.has_ready() || rounds >= DIRECT_TICKS {
            break;
        }
    }
    // SAFETY: forwarded.
    unsafe { end_tick(driver) }
}

/// What a tick leaves for the loop: with nothing ready, the idle handle stops; with work
/// left under `block_on`'s run of the loop, it starts.
///
/// # Safety
/// As for [`tick`].
// Inline: also called from the prepare callback, which is compiled in the user's crate.
#[inline]
unsafe fn end_tick(driver: &Driver) {
    if !driver.scheduler.has_ready() {
        // SAFETY: the handles are open while the driver's callbacks can run.
        unsafe { stop_ticks(driver) };
    } else if driver.main_in_loop.get()
        && (driver.scheduler.has_queued() || main_pollable(driver).is_some())
    {
        // Work is left, and wakes under block_on's run may not have kicked: the idle handle
        // keeps the coming poll for I/O from blocking (and runs it in the next turn). A
        // woken future that only an outer tick may poll is no such work: kicking for it
        // would make a nested run of the loop spin.
        // SAFETY: as above.
        unsafe { kick_idle(ptr::from_ref(driver).cast_mut().cast()) };
    }
}

/// Polls the woken `block_on` future once (its wake flag already cleared) with `poll` (its
/// [`MainPoll::poll`], or that function itself where its type is known); true when it is
/// done, and the loop is stopped for `block_on` to return.
///
/// # Safety
/// As for [`tick`]; `main` is what [`main_pollable`] returned, and `poll` is `main.poll` or
/// does what it does.
#[inline(always)]
unsafe fn poll_main_now(
    driver: &Driver,
    main: MainPoll,
    poll: impl FnOnce(*mut c_void) -> bool,
) -> bool {
    // Taken out while it is polled: should the poll run this loop (a runtime attached to it,
    // blocking on something), that run's ticks must not poll it again.
    driver.main_poll.set(None);
    // A panic must not unwind through libuv: it is kept for `block_on` to resume.
    let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // `block_on` keeps the state live while `main_poll` is set, and is inside `uv_run`,
        // touching none of it; nothing else polls it meanwhile (the caller's contract).
        poll(main.state)
    }));
    let done = polled.unwrap_or_else(|payload| {
        // SAFETY: `MainState` is `repr(C)` with `panic` first; the poll that borrowed the
        // state has unwound.
        unsafe { *main.state.cast::<MainPanic>() = Some(payload) };
        true
    });
    if done {
        // SAFETY: the loop is running on this thread (this is its idle or prepare phase).
        unsafe { sys::uv_stop(driver.loop_) };
    } else {
        driver.main_poll.set(Some(main));
    }
    done
}

/// The `block_on` future, if this tick may poll it: it is in the loop (`main_poll`), not
/// being polled (it is taken out meanwhile), and no task of this runtime is (a task's poll
/// that runs the loop, blocking on another runtime attached to it, must not see the future
/// polled, or completed, under it: the `uv_stop` would end that inner run, not ours).
fn main_pollable(driver: &Driver) -> Option<MainPoll> {
    if driver.ticking.get() {
        return None;
    }
    driver.main_poll.get()
}

/// One round of the ready tasks.
///
/// # Safety
/// As for [`tick`]; tasks are queued.
unsafe fn run_round(d: *const Driver) {
    // SAFETY: per the contract.
    let driver = unsafe { &*d };
    // Restored, not cleared, at the end: a round nested in a task's poll (that task ran this
    // loop) ends inside the outer round.
    let outer = driver.ticking.replace(true);
    // A task that leaves a guard of another runtime behind (held across an `.await`, or
    // forgotten) must not redirect the next task's spawns and requests.
    // The stack is looked up once per round, not once per poll: thread-local access is a
    // `__tls_get_addr` call in a cdylib (a Node addon), and this runs after every poll.
    let ran = STACK.try_with(|stack| {
        // Under `block_on`, whose entry is the newest, the tasks run under that entry.
        let main = driver.main_enter.get();
        let under_main = main != 0 && stack.top.get() == main;
        let own = (!under_main).then(|| Enter::new(d));
        let anchor = own.as_ref().map_or(main, |enter| enter.id);
        driver
            .scheduler
            .run_ready_then(|| truncate_above(stack, anchor))
    });
    if ran.is_err() {
        // The thread is exiting and the stack is gone: nothing can be left on it.
        driver.scheduler.run_ready_then(|| ());
    }
    driver.ticking.set(outer);
}

/// Nothing is ready: the loop's idle phase stops calling us (until the next kick).
///
/// # Safety
/// The driver's handles are open.
#[inline]
unsafe fn stop_ticks(driver: &Driver) {
    if driver.ticks_started.replace(false) {
        // SAFETY: forwarded.
        unsafe { sys::uv_idle_stop(driver.idle.get()) };
    }
}

/// The prepare callback of `block_on::<F>`'s run of the loop, whose future is an `F`: the
/// type is known here, so its poll is inlined, not called through [`MainPoll::poll`].
unsafe extern "C" fn on_prepare<F: Future>(handle: *mut sys::uv_prepare_t) {
    // SAFETY: `data` is the driver that owns this handle, and outlives its callbacks.
    let driver = unsafe { &*(*handle).data.cast::<Driver>() };
    // Nothing woken since this turn's idle phase: most turns that end in a wait for I/O,
    // such as the one after a request's submit. Or the idle handle is active, so this turn's
    // idle phase ran the tasks and the main future already, and what they left (a yield,
    // DIRECT_TICKS rounds used up) waits for the next turn, whose poll won't block.
    if !driver.scheduler.has_ready() || driver.ticks_started.get() {
        return;
    }
    if !driver.scheduler.has_queued() {
        // Only the block_on future is woken: the turn after a request it awaits completes.
        // It is polled here as `tick` would, without the rounds around it.
        if let Some(main) = main_pollable(driver) {
            driver.scheduler.main_woken.set(false);
            // SAFETY: the driver's own prepare phase; `main` came from `main_pollable`. It is
            // block_on::<F>'s: only block_on sets `main_poll`, and only for the run that
            // started this handle with this callback (block_on can't nest on one driver).
            let done = unsafe { poll_main_now(driver, main, |state| poll_main::<F>(state)) };
            if done || driver.scheduler.main_woken.get() || !driver.scheduler.has_queued() {
                // Done; or pending, perhaps woken by itself (a yield asks for a loop turn).
                // SAFETY: as above.
                return unsafe { end_tick(driver) };
            }
            // It spawned or woke tasks: they run now, as in `tick`'s next round.
        }
    }
    // SAFETY: as above.
    unsafe { tick(driver) }
}

unsafe extern "C" fn on_idle(handle: *mut sys::uv_idle_t) {
    // SAFETY: `data` is the driver that owns this handle.
    unsafe { tick((*handle).data.cast()) }
}

unsafe extern "C" fn on_wakeup(handle: *mut sys::uv_async_t) {
    // SAFETY: `data` is the driver that owns this handle.
    let driver = unsafe { &*(*handle).data.cast::<Driver>() };
    driver.scheduler.drain_remote();
}

unsafe fn kick_idle(data: *mut c_void) {
    // SAFETY: the scheduler calls its kick only while installed, i.e. while the driver and
    // its handles are live.
    let driver = unsafe { &*data.cast::<Driver>() };
    if !driver.ticks_started.replace(true) {
        // SAFETY: as above; starting a handle is no syscall.
        unsafe { sys::uv_idle_start(driver.idle.get(), Some(on_idle)) };
    }
}

/// Whether no prepare handle is active on the loop.
///
/// # Safety
/// `loop_` is a live loop. (In its prepare phase, when `block_on` runs nested in a prepare
/// callback, the queue holds the handles that have run this turn, the caller's among them,
/// and so is not empty: the answer errs on the safe side.)
unsafe fn no_prepare_handles(loop_: *mut sys::uv_loop_t) -> bool {
    // SAFETY: per the contract. An empty libuv queue links to itself; the field is part of
    // `uv_loop_t`'s layout, which libuv keeps across 1.x (and host mode checks its size).
    unsafe {
        let queue = &raw mut (*loop_).prepare_handles;
        (*queue).next.cast() == queue
    }
}

unsafe fn kick_async(data: *mut c_void) {
    // SAFETY: called under the scheduler's remote lock while installed, so the async handle
    // is open; uv_async_send is safe from any thread.
    unsafe { sys::uv_async_send(data.cast()) };
}
