//! The resume scheduler: a ready queue of tasks, drained by the runtime between libuv's
//! callbacks, and the path by which wakes from other threads reach it.
//!
//! A wake on the scheduler's own thread links the task into an intrusive queue: no
//! allocation, no lock, no syscall. The first wake into an empty queue calls the scheduler's
//! `kick`, which the runtime points at `uv_idle_start` so that the loop polls for I/O without
//! blocking until the queue is drained. A wake from another thread pushes the task onto a
//! mutex-protected queue in [`Shared`] and calls the remote kick (`uv_async_send`).
//!
//! This module knows nothing of libuv; the kicks are plain function pointers, which is what
//! lets its tests run under miri.

use std::cell::Cell;
use std::ffi::c_void;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{RawWaker, RawWakerVTable, Waker};

use crate::state::Unlink;
use crate::task::{self, Header, JoinError, JoinHandle, Polled, Schedule, TaskId};

/// A callback with its argument: how a scheduler nudges whatever drives it.
#[derive(Clone, Copy)]
pub(crate) struct Kick {
    /// `None` for [`Kick::noop`]: a test and no call (`block_on` runs with it installed).
    pub(crate) func: Option<unsafe fn(*mut c_void)>,
    pub(crate) data: *mut c_void,
}

impl Kick {
    pub(crate) fn noop() -> Kick {
        Kick {
            func: None,
            data: ptr::null_mut(),
        }
    }

    #[inline]
    pub(crate) fn call(self) {
        if let Some(func) = self.func {
            // SAFETY: whoever installed the kick keeps `data` valid while it is installed.
            unsafe { func(self.data) }
        }
    }
}

/// The part of a scheduler that other threads may touch. Tasks and wakers keep it alive
/// (`Arc`), so a wake after the runtime is gone finds it and does nothing.
pub(crate) struct Shared {
    /// The thread the scheduler runs on (see [`thread_id`]).
    owner: u64,
    /// The scheduler, while it exists; read and written on `owner` only.
    local: Cell<*const Scheduler>,
    remote: Mutex<Remote>,
}

struct Remote {
    tasks: Vec<NonNull<Header>>,
    main_woken: bool,
    /// `None` once the scheduler is gone: wakes then only drop their reference.
    kick: Option<Kick>,
}

// SAFETY: `local` is only accessed on the owner thread (checked with `thread_id`), the task
// pointers in `remote` each own a reference (whose count is atomic), and a kick's data is
// required to be usable from any thread (it is `uv_async_send`'s handle).
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

/// A process-unique id of the calling thread, cheaper than `std::thread::current().id()`.
pub(crate) fn thread_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static ID: Cell<u64> = const { Cell::new(0) };
    }
    ID.with(|id| {
        if id.get() == 0 {
            id.set(NEXT.fetch_add(1, Ordering::Relaxed));
        }
        id.get()
    })
}

/// Hook called around every poll of a task: `(id, true)` before, `(id, false)` after. It runs
/// inside libuv's callbacks; if it panics, the panic is caught and dropped.
pub type PollHook = fn(TaskId, bool);

/// Room for wakes from other threads that each of the remote queue's two buffers starts
/// with: a waker that grows the queue allocates on its own thread, so the first few wakes
/// must find room even when none came before (a worker whose spawner happened to see every
/// task done before it waited, during a warm-up, then waits once).
const REMOTE_ROOM: usize = 8;

/// The loop-thread side of a scheduler.
pub(crate) struct Scheduler {
    pub(crate) shared: Arc<Shared>,
    ready_head: Cell<Option<NonNull<Header>>>,
    ready_tail: Cell<Option<NonNull<Header>>>,
    ready_len: Cell<usize>,
    live_head: Cell<Option<NonNull<Header>>>,
    live_len: Cell<usize>,
    next_id: Cell<u64>,
    /// The `block_on` future wants a poll.
    pub(crate) main_woken: Cell<bool>,
    /// A `block_on` is running: only then do main-waker wakes count (a stale one, after
    /// `block_on` returned, must not keep the idle handle running).
    pub(crate) main_active: Cell<bool>,
    /// Called when the ready queue becomes non-empty (and on main wakes, with `main_kick`).
    kick: Cell<Kick>,
    /// Main wakes kick too: for a libuv whose `UV_RUN_ONCE` runs timers before its poll for
    /// I/O (before 1.45), where a timer that wakes the `block_on` future would otherwise
    /// leave that poll blocking.
    pub(crate) main_kick: Cell<bool>,
    /// Spare buffer swapped with the remote queue, so draining it doesn't allocate.
    spare: Cell<Vec<NonNull<Header>>>,
    pub(crate) hook: Cell<Option<PollHook>>,
}

impl Scheduler {
    /// A scheduler for the calling thread. It must not move after [`Scheduler::install`].
    pub(crate) fn new() -> Scheduler {
        Scheduler {
            shared: Arc::new(Shared {
                owner: thread_id(),
                local: Cell::new(ptr::null()),
                remote: Mutex::new(Remote {
                    tasks: Vec::with_capacity(REMOTE_ROOM),
                    main_woken: false,
                    kick: None,
                }),
            }),
            ready_head: Cell::new(None),
            ready_tail: Cell::new(None),
            ready_len: Cell::new(0),
            live_head: Cell::new(None),
            live_len: Cell::new(0),
            next_id: Cell::new(1),
            main_woken: Cell::new(false),
            main_active: Cell::new(false),
            kick: Cell::new(Kick::noop()),
            main_kick: Cell::new(true),
            spare: Cell::new(Vec::with_capacity(REMOTE_ROOM)),
            hook: Cell::new(None),
        }
    }

    /// Publishes this scheduler (at its final address) to wakers, with its two kicks.
    ///
    /// # Safety
    /// `self` stays at this address until [`Scheduler::shutdown`]; `remote` may be called
    /// from any thread until then.
    pub(crate) unsafe fn install(&self, local: Kick, remote: Kick) {
        self.kick.set(local);
        self.shared.local.set(self);
        lock(&self.shared.remote).kick = Some(remote);
    }

    /// Replaces the local kick, returning the old one.
    pub(crate) fn replace_kick(&self, kick: Kick) -> Kick {
        self.kick.replace(kick)
    }

    pub(crate) fn has_ready(&self) -> bool {
        self.ready_len.get() > 0 || self.main_woken.get()
    }

    /// Tasks are queued (the `block_on` future aside).
    pub(crate) fn has_queued(&self) -> bool {
        self.ready_len.get() > 0
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.live_len.get()
    }

    /// Spawns `future` as a task; it is polled the next time the queue is drained.
    pub(crate) fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
    {
        let id = TaskId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        let owner = Arc::into_raw(Arc::clone(&self.shared)).cast_mut();
        // SAFETY: `Arc::into_raw` never returns null.
        let owner = unsafe { NonNull::new_unchecked(owner) }.cast();
        let header = task::allocate::<F, Tasks>(future, id, owner);
        // Counted as live now; on the list's links only once a poll leaves it pending (a task
        // done by its first poll never touches them).
        self.live_len.set(self.live_len.get() + 1);
        // SAFETY: fresh block; we own its three references (live list, ready queue, handle),
        // and its state says it is linked and queued.
        unsafe {
            self.push_ready(header);
            JoinHandle::from_raw(header)
        }
    }

    /// Queues `header` (whose state was just made `SCHEDULED`), taking over one reference.
    unsafe fn push_ready(&self, header: NonNull<Header>) {
        // SAFETY: the caller's reference keeps the block live.
        let head = unsafe { header.as_ref() };
        head.next_ready.set(None);
        match self.ready_tail.replace(Some(header)) {
            // SAFETY: queued tasks are live (the queue holds a reference).
            Some(tail) => unsafe { tail.as_ref().next_ready.set(Some(header)) },
            None => self.ready_head.set(Some(header)),
        }
        self.ready_len.set(self.ready_len.get() + 1);
        if self.ready_len.get() == 1 {
            self.kick.get().call();
        }
    }

    fn pop_ready(&self) -> Option<NonNull<Header>> {
        let header = self.ready_head.get()?;
        // SAFETY: queued tasks are live.
        let next = unsafe { header.as_ref().next_ready.replace(None) };
        self.ready_head.set(next);
        if next.is_none() {
            self.ready_tail.set(None);
        }
        self.ready_len.set(self.ready_len.get() - 1);
        Some(header)
    }

    /// Queues a task woken on this thread, taking over the waker's reference.
    ///
    /// # Safety
    /// The caller owns the reference.
    unsafe fn wake_local(&self, header: NonNull<Header>) {
        // SAFETY: the caller's reference keeps the block live.
        let head = unsafe { header.as_ref() };
        if head.state.schedule() {
            // SAFETY: passes the caller's reference on.
            unsafe { self.push_ready(header) };
        } else {
            // SAFETY: the caller's reference, not needed: it is queued already, or done.
            unsafe { task::release(header) };
        }
    }

    /// Without `main_kick`, no kick: `block_on` looks at the flag before each loop iteration
    /// (and runs that one without blocking when it is set), and since libuv 1.45 a wake
    /// inside `uv_run(UV_RUN_ONCE)` comes from a phase whose poll for I/O won't block (the
    /// pending and idle phases, which make that iteration's poll non-blocking when they have
    /// work) or is over (I/O, check, closing and timer callbacks). Only a foreign prepare
    /// handle's callback could wake it just before a blocking poll. While `block_on` runs
    /// the loop with its future inside, the runtime looks at the flag before each poll for
    /// I/O, and sets `main_kick` only when foreign prepare handles run after its own.
    #[inline]
    pub(crate) fn wake_main(&self) {
        if !self.main_active.get() {
            return;
        }
        if !self.main_woken.replace(true) && self.main_kick.get() && self.ready_len.get() == 0 {
            self.kick.get().call();
        }
    }

    /// Puts a task that a poll left pending for the first time on the live list's links (it
    /// has been counted, and the list's reference taken, since spawn).
    unsafe fn list(&self, header: NonNull<Header>) {
        // SAFETY: live tasks are valid; only this thread touches the links.
        unsafe {
            if let Some(old) = self.live_head.get() {
                old.as_ref().prev_live.set(Some(header));
            }
            header.as_ref().next_live.set(self.live_head.get());
            header.as_ref().prev_live.set(None);
        }
        self.live_head.set(Some(header));
    }

    /// Takes a finished task off the live list and drops the list's reference.
    fn unlink(&self, header: NonNull<Header>) {
        if self.take_off_list(header) != 0 {
            // SAFETY: the list's reference.
            unsafe { task::release(header) };
        }
    }

    /// [`unlink`](Scheduler::unlink) without the release: how many references (0 or 1, the
    /// list's) the caller now owns and must release.
    #[inline]
    fn take_off_list(&self, header: NonNull<Header>) -> u32 {
        // SAFETY: the caller's reference keeps the block live.
        let head = unsafe { header.as_ref() };
        match head.state.unlink() {
            Unlink::Already => return 0,
            Unlink::Unlisted => {}
            Unlink::Listed => {
                let (prev, next) = (head.prev_live.take(), head.next_live.take());
                // SAFETY: neighbours on the list are live.
                unsafe {
                    match prev {
                        Some(prev) => prev.as_ref().next_live.set(next),
                        None => self.live_head.set(next),
                    }
                    if let Some(next) = next {
                        next.as_ref().prev_live.set(prev);
                    }
                }
            }
        }
        self.live_len.set(self.live_len.get() - 1);
        1
    }

    /// Moves tasks woken from other threads onto the ready queue.
    pub(crate) fn drain_remote(&self) {
        let mut spare = self.spare.take();
        let main_woken = {
            let mut remote = lock(&self.shared.remote);
            // The buffer that goes in gets the room the one coming out grew to: wakers push
            // into whichever of the two is in, and a push that grows it allocates on the
            // waker's thread, in the middle of what that thread is doing (and, with the two
            // alternating, the other buffer may not have grown yet in a burst seen before).
            // Here, on the scheduler's thread, once per new high of the queue's length.
            if spare.capacity() < remote.tasks.capacity() {
                spare.reserve_exact(remote.tasks.capacity());
            }
            std::mem::swap(&mut remote.tasks, &mut spare);
            std::mem::take(&mut remote.main_woken)
        };
        for header in spare.drain(..) {
            // SAFETY: each entry owns a reference.
            unsafe { self.wake_local(header) };
        }
        self.spare.set(spare);
        if main_woken {
            self.wake_main();
        }
    }

    /// Polls the tasks that are ready now; tasks woken meanwhile wait for the next call, so
    /// that I/O gets its turn. Returns the number polled.
    #[cfg(test)]
    pub(crate) fn run_ready(&self) -> usize {
        self.run_ready_then(|| {})
    }

    /// [`run_ready`](Scheduler::run_ready), calling `after` after each task's poll.
    #[inline]
    pub(crate) fn run_ready_then(&self, mut after: impl FnMut()) -> usize {
        let n = self.ready_len.get();
        for _ in 0..n {
            let Some(header) = self.pop_ready() else {
                break;
            };
            // SAFETY: the queue's reference keeps the task live.
            let head = unsafe { header.as_ref() };
            // The queue's reference, and the list's once the task is done: one release.
            let mut refs = 1;
            if head.state.dequeue() {
                // SAFETY: a live task on its scheduler's thread, not being polled.
                let polled = unsafe {
                    match self.hook.get() {
                        None => task::poll_task(header),
                        Some(hook) => poll_hooked(hook, head.id, header),
                    }
                };
                after();
                match polled {
                    Polled::Pending => {}
                    // SAFETY: a live task whose state was just made LISTED.
                    Polled::List => unsafe { self.list(header) },
                    Polled::Done => refs += self.take_off_list(header),
                }
            }
            // SAFETY: the queue's reference (and the list's, taken off above).
            unsafe { task::release_many(header, refs) };
        }
        n
    }

    /// Drops every task's future (their `JoinHandle`s see [`JoinError::RuntimeDropped`]) and
    /// every queued reference, and stops accepting wakes. Idempotent.
    pub(crate) fn shutdown(&self) {
        self.shared.local.set(ptr::null());
        let remote_tasks = {
            let mut remote = lock(&self.shared.remote);
            remote.kick = None;
            std::mem::take(&mut remote.tasks)
        };
        for header in remote_tasks {
            // SAFETY: each entry owns a reference.
            unsafe { task::release(header) };
        }
        // Dropping a future may wake, spawn or abort other tasks; loop until all is quiet.
        loop {
            while let Some(header) = self.pop_ready() {
                // SAFETY: the queue's reference; a task not done, and never left pending by a
                // poll (not listed), was never polled (see `crate::state`): this queue is
                // the only place that finds it, and we are not polling.
                unsafe {
                    let state = &header.as_ref().state;
                    if state.dequeue() && !state.is_listed() {
                        task::cancel_task(header, JoinError::RuntimeDropped);
                        self.unlink(header);
                    }
                    task::release(header);
                }
            }
            let Some(header) = self.live_head.get() else {
                break;
            };
            // SAFETY: a live task on this thread, not being polled (we are not polling).
            unsafe { task::cancel_task(header, JoinError::RuntimeDropped) };
            self.unlink(header);
        }
        self.kick.set(Kick::noop());
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// [`task::poll_task`] between two calls of the poll hook; out of line, so that a runtime
/// without a hook tests for one once per poll.
///
/// # Safety
/// As for [`task::poll_task`].
#[cold]
#[inline(never)]
unsafe fn poll_hooked(hook: PollHook, id: TaskId, header: NonNull<Header>) -> Polled {
    call_hook(hook, id, true);
    // SAFETY: forwarded.
    let polled = unsafe { task::poll_task(header) };
    call_hook(hook, id, false);
    polled
}

/// Runs the poll hook; a panicking hook is contained (this runs inside libuv's callbacks,
/// which must not unwind) and ignored.
fn call_hook(hook: PollHook, id: TaskId, entering: bool) {
    let _ = std::panic::catch_unwind(|| hook(id, entering));
}

/// The tasks' side of the scheduler: what their vtables call. A task's `owner` is one strong
/// count of its scheduler's [`Shared`] (from `Arc::into_raw`).
pub(crate) enum Tasks {}

/// The `Shared` of a task's scheduler.
///
/// # Safety
/// The caller holds a reference to the task, which keeps the block, and so `owner`, live.
unsafe fn shared_of<'a>(header: NonNull<Header>) -> &'a Shared {
    // SAFETY: per the contract; `owner` came from `Arc::into_raw` in `Scheduler::spawn`.
    unsafe { header.as_ref().owner.cast::<Shared>().as_ref() }
}

impl Schedule for Tasks {
    unsafe fn schedule(header: NonNull<Header>) {
        // SAFETY: forwarded contract.
        unsafe { schedule(header) }
    }

    unsafe fn unlink(header: NonNull<Header>) {
        // SAFETY: the caller's reference keeps the block live.
        let shared = unsafe { shared_of(header) };
        if shared.owner == thread_id() {
            // SAFETY: owner thread; a non-null `local` is the installed, live scheduler.
            if let Some(scheduler) = unsafe { shared.local.get().as_ref() } {
                scheduler.unlink(header);
            }
        }
    }

    #[inline]
    unsafe fn drop_owner(owner: NonNull<()>) {
        // SAFETY: the strong count `Scheduler::spawn` took for this task, released once.
        unsafe { Arc::decrement_strong_count(owner.cast::<Shared>().as_ptr()) };
    }
}

/// Wakes the task, taking over one reference: the waker's `wake`.
///
/// # Safety
/// The caller owns the reference.
unsafe fn schedule(header: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the block, and so `shared`, live.
    let shared = unsafe { shared_of(header) };
    if shared.owner == thread_id() {
        // SAFETY: owner thread; a non-null `local` is the installed, live scheduler.
        match unsafe { shared.local.get().as_ref() } {
            // SAFETY: passes the caller's reference on.
            Some(scheduler) => unsafe { scheduler.wake_local(header) },
            // SAFETY: the runtime is gone; drop the reference.
            None => unsafe { task::release(header) },
        }
        return;
    }
    // SAFETY: forwarded.
    unsafe { schedule_remote(shared, header) }
}

/// [`schedule`] from another thread than the scheduler's: out of line, so that the local wake
/// saves no registers for the lock.
///
/// # Safety
/// As for [`schedule`]; `shared` is the task's.
#[cold]
#[inline(never)]
unsafe fn schedule_remote(shared: &Shared, header: NonNull<Header>) {
    let mut remote = lock(&shared.remote);
    let Some(kick) = remote.kick else {
        drop(remote);
        // SAFETY: the runtime is gone; drop the reference.
        unsafe { task::release(header) };
        return;
    };
    remote.tasks.push(header);
    if remote.tasks.len() == 1 {
        // Under the lock, so the scheduler can't go away between the check and the call.
        kick.call();
    }
}

fn lock(remote: &Mutex<Remote>) -> MutexGuard<'_, Remote> {
    // A panic while holding the lock leaves the queue consistent (pushes are atomic).
    remote.lock().unwrap_or_else(|poison| poison.into_inner())
}

// The waker of a `block_on` future: data is an `Arc<Shared>` (counted, no allocation).
static MAIN_VTABLE: RawWakerVTable =
    RawWakerVTable::new(main_clone, main_wake, main_wake_by_ref, main_drop);

/// Whether `waker` is a main waker (of some scheduler: its data is that scheduler's
/// `Shared`). The vtable is a `static`, whose address is unique, so the comparison is exact.
#[inline]
pub(crate) fn is_main_waker(waker: &Waker) -> bool {
    ptr::eq(waker.vtable(), &MAIN_VTABLE)
}

/// A waker that sets the scheduler's `main_woken`.
pub(crate) fn main_waker(shared: &Arc<Shared>) -> ManuallyDrop<Waker> {
    let raw = RawWaker::new(Arc::as_ptr(shared).cast(), &MAIN_VTABLE);
    // SAFETY: the vtable's contract holds (each clone owns one Arc count); this borrowed
    // instance owns none, which is why it is ManuallyDrop and must not outlive `shared`.
    ManuallyDrop::new(unsafe { Waker::from_raw(raw) })
}

unsafe fn main_clone(data: *const ()) -> RawWaker {
    // SAFETY: `data` is an Arc<Shared> kept alive by the waker being cloned.
    unsafe { Arc::increment_strong_count(data.cast::<Shared>()) };
    RawWaker::new(data, &MAIN_VTABLE)
}

unsafe fn main_wake(data: *const ()) {
    // SAFETY: as in `main_clone`; then this waker's count is released.
    unsafe {
        main_wake_by_ref(data);
        main_drop(data);
    }
}

unsafe fn main_wake_by_ref(data: *const ()) {
    // SAFETY: the waker keeps the Arc alive.
    let shared = unsafe { &*data.cast::<Shared>() };
    if shared.owner == thread_id() {
        // SAFETY: owner thread; a non-null `local` is live.
        if let Some(scheduler) = unsafe { shared.local.get().as_ref() } {
            scheduler.wake_main();
        }
        return;
    }
    wake_main_remote(shared);
}

/// [`main_wake_by_ref`] from another thread; out of line, as [`schedule_remote`].
#[cold]
#[inline(never)]
fn wake_main_remote(shared: &Shared) {
    let mut remote = lock(&shared.remote);
    if let Some(kick) = remote.kick {
        remote.main_woken = true;
        kick.call();
    }
}

unsafe fn main_drop(data: *const ()) {
    // SAFETY: each non-borrowed main waker owns one count.
    unsafe { Arc::decrement_strong_count(data.cast::<Shared>()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::future::poll_fn;
    use std::rc::Rc;
    use std::task::Poll;

    /// Runs `test` with a scheduler whose remote kick counts; the scheduler is boxed and never
    /// moved after `install`, as the runtime does.
    fn with_scheduler(test: impl FnOnce(&Scheduler, &std::sync::atomic::AtomicUsize)) {
        let sched = Box::new(Scheduler::new());
        let remote_kicks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        unsafe fn count(data: *mut c_void) {
            // SAFETY: `data` is the AtomicUsize inside the Arc the test keeps alive.
            unsafe {
                (*data.cast::<std::sync::atomic::AtomicUsize>()).fetch_add(1, Ordering::SeqCst)
            };
        }
        let remote = Kick {
            func: Some(count),
            data: Arc::as_ptr(&remote_kicks).cast_mut().cast(),
        };
        // SAFETY: boxed and not moved until dropped below; the counter outlives it.
        unsafe { sched.install(Kick::noop(), remote) };
        test(&sched, &remote_kicks);
        drop(sched);
    }

    /// A future that parks its waker in `slot` once, then completes when polled again.
    fn parked(slot: Rc<RefCell<Option<Waker>>>) -> impl Future<Output = u32> {
        let mut parked = false;
        poll_fn(move |cx| {
            if parked {
                return Poll::Ready(7);
            }
            parked = true;
            *slot.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
    }

    /// Runs the ready tasks with the panic hook silenced (they panic on purpose).
    fn run_ready_quietly(sched: &Scheduler) {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        sched.run_ready();
        std::panic::set_hook(prev);
    }

    fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        let waker = Waker::noop();
        std::pin::Pin::new(f).poll(&mut std::task::Context::from_waker(waker))
    }

    #[test]
    fn spawn_run_and_join() {
        with_scheduler(|sched, _| {
            let mut handle = sched.spawn(async { 40 + 2 });
            assert_eq!(sched.live_tasks(), 1);
            assert!(poll_once(&mut handle).is_pending());
            assert_eq!(sched.run_ready(), 1);
            assert_eq!(sched.live_tasks(), 0);
            assert_eq!(poll_once(&mut handle).map(Result::unwrap), Poll::Ready(42));
        });
    }

    #[test]
    fn local_wake_requeues_once() {
        with_scheduler(|sched, _| {
            let slot = Rc::new(RefCell::new(None));
            let mut handle = sched.spawn(parked(slot.clone()));
            sched.run_ready();
            let waker = slot.borrow_mut().take().unwrap();
            waker.wake_by_ref();
            waker.wake_by_ref();
            assert_eq!(
                sched.ready_len.get(),
                1,
                "a queued task is not queued twice"
            );
            drop(waker);
            sched.run_ready();
            assert_eq!(poll_once(&mut handle).map(Result::unwrap), Poll::Ready(7));
        });
    }

    #[test]
    fn remote_wake_goes_through_the_kick() {
        with_scheduler(|sched, kicks| {
            let slot = Rc::new(RefCell::new(None));
            let mut handle = sched.spawn(parked(slot.clone()));
            sched.run_ready();
            let waker = slot.borrow_mut().take().unwrap();
            std::thread::spawn(move || waker.wake()).join().unwrap();
            assert_eq!(kicks.load(Ordering::SeqCst), 1);
            assert_eq!(sched.ready_len.get(), 0);
            sched.drain_remote();
            sched.run_ready();
            assert_eq!(poll_once(&mut handle).map(Result::unwrap), Poll::Ready(7));
        });
    }

    #[test]
    fn remote_wakes_grow_the_queue_on_the_scheduler_thread_only() {
        with_scheduler(|sched, _| {
            let slots: Vec<_> = (0..6).map(|_| Rc::new(RefCell::new(None))).collect();
            let handles: Vec<_> = slots
                .iter()
                .map(|s| sched.spawn(parked(s.clone())))
                .collect();
            sched.run_ready();
            let wake_all_remotely = || {
                let wakers: Vec<Waker> =
                    slots.iter().map(|s| s.borrow().clone().unwrap()).collect();
                std::thread::spawn(move || wakers.into_iter().for_each(|w| w.wake_by_ref()))
                    .join()
                    .unwrap();
            };
            // A burst of six grows the queue the wakers found; after the drain, the one put
            // in its place has as much room, so the same burst again grows nothing.
            wake_all_remotely();
            let grown = lock(&sched.shared.remote).tasks.capacity();
            assert!(grown >= 6);
            sched.drain_remote();
            assert!(lock(&sched.shared.remote).tasks.capacity() >= grown);
            sched.run_ready();
            wake_all_remotely();
            assert_eq!(lock(&sched.shared.remote).tasks.capacity(), grown);
            sched.drain_remote();
            sched.run_ready();
            for mut handle in handles {
                assert_eq!(poll_once(&mut handle).map(Result::unwrap), Poll::Ready(7));
            }
        });
    }

    #[test]
    fn panic_is_reported_and_others_run() {
        with_scheduler(|sched, _| {
            let mut bad = sched.spawn(async { panic!("boom") });
            let mut good = sched.spawn(async { 1 });
            run_ready_quietly(sched);
            let Poll::Ready(Err(err)) = poll_once(&mut bad) else {
                panic!("no panic reported")
            };
            assert!(err.is_panic());
            assert_eq!(err.to_string(), "task panicked: boom");
            assert_eq!(poll_once(&mut good).map(Result::unwrap), Poll::Ready(1));
        });
    }

    #[test]
    fn abort_drops_the_future_now() {
        with_scheduler(|sched, _| {
            let dropped = Rc::new(Cell::new(false));
            struct Flag(Rc<Cell<bool>>);
            impl Drop for Flag {
                fn drop(&mut self) {
                    self.0.set(true);
                }
            }
            let flag = Flag(dropped.clone());
            let slot = Rc::new(RefCell::new(None));
            let parked = parked(slot.clone());
            let mut handle = sched.spawn(async move {
                let _flag = flag;
                parked.await
            });
            sched.run_ready();
            handle.abort();
            assert!(dropped.get());
            assert_eq!(sched.live_tasks(), 0);
            // A stale wake of the aborted task is harmless.
            slot.borrow_mut().take().unwrap().wake();
            sched.run_ready();
            assert!(matches!(
                poll_once(&mut handle),
                Poll::Ready(Err(JoinError::Aborted))
            ));
        });
    }

    #[test]
    fn output_of_an_over_aligned_future_is_read_where_it_is() {
        // The body of this task starts past the header's end (at 128, not 72): the handle
        // reads the output at the offset the vtable gives, not where a small future's is.
        #[repr(align(128))]
        struct Aligned(u8);
        with_scheduler(|sched, _| {
            let big = Aligned(5);
            let mut handle = sched.spawn(async move {
                let big = &big;
                std::future::ready(()).await;
                (vec![big.0; 3], String::from("out"))
            });
            sched.run_ready();
            let Poll::Ready(Ok((v, s))) = poll_once(&mut handle) else {
                panic!("no output")
            };
            assert_eq!((v, s.as_str()), (vec![5, 5, 5], "out"));
        });
    }

    #[test]
    fn an_output_nobody_took_is_dropped_with_the_handle() {
        with_scheduler(|sched, _| {
            let out = Rc::new(());
            let out2 = out.clone();
            let handle = sched.spawn(async move { out2 });
            sched.run_ready();
            assert!(handle.is_finished());
            assert_eq!(Rc::strong_count(&out), 2, "the task holds its output");
            drop(handle);
            assert_eq!(Rc::strong_count(&out), 1);
        });
    }

    #[test]
    fn a_destructor_that_panics_is_the_tasks_error() {
        struct Bomb;
        impl Drop for Bomb {
            fn drop(&mut self) {
                panic!("bomb")
            }
        }
        with_scheduler(|sched, _| {
            let live = Rc::new(());
            let live2 = live.clone();
            let bomb = Bomb;
            // Its poll returns without a panic; the bomb goes off when `finish` drops the
            // future, and what the future holds beside it is dropped all the same.
            let mut handle = sched.spawn(poll_fn(move |_| {
                let _ = (&bomb, &live2);
                Poll::Ready(1)
            }));
            run_ready_quietly(sched);
            let Poll::Ready(Err(err)) = poll_once(&mut handle) else {
                panic!("no panic reported")
            };
            assert_eq!(err.to_string(), "task panicked: bomb");
            assert_eq!(Rc::strong_count(&live), 1, "the future was dropped whole");
        });
    }

    #[test]
    fn detached_task_runs_and_frees_its_output() {
        with_scheduler(|sched, _| {
            let out = Rc::new(());
            let out2 = out.clone();
            sched.spawn(async move { out2 }).detach();
            sched.run_ready();
            assert_eq!(
                Rc::strong_count(&out),
                1,
                "output of a detached task is dropped"
            );
        });
    }

    #[test]
    fn shutdown_drops_pending_tasks_and_reports_it() {
        with_scheduler(|sched, _| {
            let slot = Rc::new(RefCell::new(None));
            let mut handle = sched.spawn(parked(slot.clone()));
            sched.run_ready();
            sched.spawn(async {}).detach();
            sched.shutdown();
            assert_eq!(sched.live_tasks(), 0);
            assert!(matches!(
                poll_once(&mut handle),
                Poll::Ready(Err(JoinError::RuntimeDropped))
            ));
            // A waker that outlives the scheduler only releases its reference.
            let waker = slot.borrow_mut().take().unwrap();
            std::thread::spawn(move || waker.wake()).join().unwrap();
        });
    }

    #[test]
    fn shutdown_drops_the_futures_of_tasks_never_polled() {
        with_scheduler(|sched, _| {
            let dropped = Rc::new(Cell::new(0));
            struct Count(Rc<Cell<u32>>);
            impl Drop for Count {
                fn drop(&mut self) {
                    self.0.set(self.0.get() + 1);
                }
            }
            // Never polled, so on no list but the ready queue: one joined, one detached.
            let count = Count(dropped.clone());
            let mut joined = sched.spawn(async move {
                let _count = count;
            });
            let count = Count(dropped.clone());
            sched
                .spawn(async move {
                    let _count = count;
                })
                .detach();
            assert_eq!(sched.live_tasks(), 2);
            sched.shutdown();
            assert_eq!(dropped.get(), 2, "both futures dropped, neither polled");
            assert_eq!(sched.live_tasks(), 0);
            assert!(matches!(
                poll_once(&mut joined),
                Poll::Ready(Err(JoinError::RuntimeDropped))
            ));
        });
    }

    #[test]
    fn abort_before_the_first_poll_and_the_live_list_around_it() {
        with_scheduler(|sched, _| {
            let slot = Rc::new(RefCell::new(None));
            // Listed (pending after its first poll) on both sides of one that never is.
            let mut first = sched.spawn(parked(slot.clone()));
            sched.run_ready();
            let mut never = sched.spawn(async { 1 });
            never.abort();
            assert_eq!(sched.live_tasks(), 1, "the aborted one is gone at once");
            let other = Rc::new(RefCell::new(None));
            let mut second = sched.spawn(parked(other.clone()));
            assert_eq!(
                sched.run_ready(),
                2,
                "the aborted task stays queued, not polled"
            );
            assert!(matches!(
                poll_once(&mut never),
                Poll::Ready(Err(JoinError::Aborted))
            ));
            assert_eq!(sched.live_tasks(), 2);
            // Unlinking the oldest (the list's tail), then the newest (its head), empties it.
            slot.borrow_mut().take().unwrap().wake();
            sched.run_ready();
            assert_eq!(sched.live_tasks(), 1);
            other.borrow_mut().take().unwrap().wake();
            sched.run_ready();
            assert_eq!(sched.live_tasks(), 0);
            assert!(sched.live_head.get().is_none());
            assert_eq!(poll_once(&mut first).map(Result::unwrap), Poll::Ready(7));
            assert_eq!(poll_once(&mut second).map(Result::unwrap), Poll::Ready(7));
        });
    }

    #[test]
    fn main_waker_sets_the_flag_from_any_thread() {
        with_scheduler(|sched, kicks| {
            let waker = (*main_waker(&sched.shared)).clone();
            waker.wake_by_ref();
            assert!(
                !sched.main_woken.get(),
                "no block_on: a stale wake is ignored"
            );
            sched.main_active.set(true);
            waker.wake_by_ref();
            assert!(sched.main_woken.replace(false));
            std::thread::spawn(move || waker.wake()).join().unwrap();
            assert_eq!(kicks.load(Ordering::SeqCst), 1);
            sched.drain_remote();
            assert!(sched.main_woken.get());
        });
    }
}
