//! Tasks: one block per task (header, then the future or its output), a raw waker vtable,
//! and the [`JoinHandle`].
//!
//! A task block is shared by reference count between: the scheduler's list of live tasks
//! (from spawn until the task finishes or the runtime drops it, though it goes on the list's
//! links only when a poll first leaves it pending), the ready queue (while queued), the
//! `JoinHandle`, and every `Waker`. Wakers may live on any thread, so the count is atomic;
//! everything else in the header is only touched on the scheduler's thread (the state word and
//! who may touch which field when: [`crate::state`]). The future and the output are created,
//! polled and dropped on that thread only: a waker on another thread at most frees the block,
//! and by then the block holds neither.
//!
//! This module knows nothing of the scheduler: a task reaches whoever runs it through the
//! [`Schedule`] functions in its vtable (as async-task's `Schedule` does), and its header holds
//! the scheduler's pointer as an opaque `owner`.

use std::any::Any;
use std::cell::{Cell, UnsafeCell};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
#[cfg(feature = "task-hook")]
use std::sync::atomic::AtomicPtr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use crate::alloc;
use crate::state::{Abort, EndPoll, State};

/// Identifies a task within its runtime; ids are never reused by a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u64);

/// What a task hook (`TaskHook`, with the `task-hook` feature) is told about a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEvent {
    /// The task was spawned: on the spawning thread, in the spawner's context (the caller of
    /// `spawn_local`), before its first poll.
    Spawned,
    /// A poll of the task's future begins, or its drop (as a `tracing::Instrument` future
    /// enters its span to drop what it wraps).
    Enter,
    /// That poll or drop ended (returned, or panicked).
    Exit,
    /// The task's future was dropped: it finished, panicked, was aborted, or its runtime was
    /// dropped. The last event of the task.
    Dropped,
}

/// Hook told of every task's life in the process: `(event, id, key)`, where `key` (the task's
/// address) is unique among live tasks of all runtimes and threads, unlike the id, which is
/// unique per runtime. Called on the task's thread; a panic in it is caught and dropped (it
/// runs inside libuv's callbacks).
#[cfg(feature = "task-hook")]
pub type TaskHook = fn(TaskEvent, TaskId, usize);

/// Without the `task-hook` feature there is no hook: the calls below compile to nothing.
#[cfg(not(feature = "task-hook"))]
#[derive(Clone, Copy)]
enum TaskHook {}

/// The process's [`TaskHook`], as a pointer; null for none.
#[cfg(feature = "task-hook")]
static TASK_HOOK: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

/// Sets the process's [`TaskHook`] (`None` removes it), for tasks spawned from now on; the
/// place for tracing spans (uvco's `tracing` feature sets one). Without one, each event
/// costs one atomic load; without the `task-hook` feature, which uvco's `tracing` feature
/// enables, there is neither this function nor any cost.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use uvco_runtime::{TaskEvent, TaskId};
///
/// static POLLS: AtomicUsize = AtomicUsize::new(0);
/// fn count(event: TaskEvent, _id: TaskId, _key: usize) {
///     if event == TaskEvent::Enter {
///         POLLS.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// uvco_runtime::set_task_hook(Some(count));
/// let rt = uvco_runtime::Runtime::new().unwrap();
/// rt.block_on(async {
///     uvco_runtime::spawn_local(uvco_runtime::yield_now()).await.unwrap();
/// });
/// uvco_runtime::set_task_hook(None);
/// // Two polls (one before the yield, one after) and the drop of the finished future.
/// assert_eq!(POLLS.load(Ordering::Relaxed), 3);
/// ```
#[cfg(feature = "task-hook")]
pub fn set_task_hook(hook: Option<TaskHook>) {
    let ptr = hook.map_or(std::ptr::null_mut(), |hook| hook as *mut ());
    TASK_HOOK.store(ptr, Ordering::Release);
}

/// The process's hook, if any: one atomic load.
#[cfg(feature = "task-hook")]
#[inline(always)]
fn task_hook() -> Option<TaskHook> {
    let ptr = TASK_HOOK.load(Ordering::Acquire);
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `set_task_hook` stores only `TaskHook`s (or null), and a fn pointer survives
    // the round trip through `*mut ()`.
    Some(unsafe { std::mem::transmute::<*mut (), TaskHook>(ptr) })
}

#[cfg(not(feature = "task-hook"))]
#[inline(always)]
fn task_hook() -> Option<TaskHook> {
    None
}

/// Tells `hook` of `event`, out of the hot path.
#[cfg(feature = "task-hook")]
#[cold]
#[inline(never)]
fn task_event(hook: TaskHook, event: TaskEvent, header: NonNull<Header>) {
    // SAFETY: the caller holds a reference to the block.
    let id = unsafe { header.as_ref().id };
    let key = header.as_ptr() as usize;
    let _ = panic::catch_unwind(|| hook(event, id, key));
}

#[cfg(not(feature = "task-hook"))]
#[inline(always)]
fn task_event(hook: TaskHook, _: TaskEvent, _: NonNull<Header>) {
    match hook {}
}

/// What a task needs of whoever runs it. The scheduler implements it; a task's vtable holds
/// these functions, so that a waker reaches the scheduler without this module naming it.
pub(crate) trait Schedule: 'static {
    /// Queues the woken task, taking over one reference. Any thread.
    ///
    /// # Safety
    /// The caller owns the reference.
    unsafe fn schedule(header: NonNull<Header>);

    /// Takes a task that is done off the live list (releasing the list's reference).
    ///
    /// # Safety
    /// Scheduler thread; the caller holds a reference of its own.
    unsafe fn unlink(header: NonNull<Header>);

    /// Releases the header's `owner` when the block is freed. Any thread.
    ///
    /// # Safety
    /// Called once per task, with the `owner` it was allocated with.
    unsafe fn drop_owner(owner: NonNull<()>);
}

// Field order is the compiler's: `refs` and `state` share one word. 72 bytes on 64-bit.
pub(crate) struct Header {
    /// A 32-bit count: 4 billion references to one task is a leak, and it aborts there.
    refs: AtomicU32,
    pub(crate) state: State,
    pub(crate) id: TaskId,
    vtable: &'static TaskVtable,
    /// The scheduler's pointer for this task (opaque here), released with the block through
    /// [`Schedule::drop_owner`].
    pub(crate) owner: NonNull<()>,
    /// Link in the ready queue.
    pub(crate) next_ready: Cell<Option<NonNull<Header>>>,
    /// Links in the scheduler's list of live tasks.
    pub(crate) prev_live: Cell<Option<NonNull<Header>>>,
    pub(crate) next_live: Cell<Option<NonNull<Header>>>,
    join_waker: UnsafeCell<Option<Waker>>,
}

// An idle task (this header and a small future) must fit the 128-byte class.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Header>() == 72);

struct TaskVtable {
    /// Polls the future once.
    poll: unsafe fn(NonNull<Header>) -> Polled,
    /// Drops the future; `output` says what a `JoinHandle` will see instead.
    cancel: unsafe fn(NonNull<Header>, JoinError),
    /// Where the body starts, from the header: a `JoinHandle<T>` knows the output's type but
    /// not the future's, whose alignment may move the body. It reads the output there itself,
    /// without a call.
    body_offset: usize,
    /// Frees the block (whose body holds nothing by then).
    dealloc: unsafe fn(NonNull<Header>),
    /// [`Schedule::schedule`].
    schedule: unsafe fn(NonNull<Header>),
    /// [`Schedule::unlink`].
    unlink: unsafe fn(NonNull<Header>),
}

/// What follows the header: the future until the task is done, then its output while a
/// `JoinHandle` may take it, then nothing. The state word says which (`DONE` and `OUTPUT`,
/// see [`crate::state`]), so the body keeps no tag of its own, and a handle reads the output
/// without knowing the future's type.
#[repr(C)]
union Body<F: Future> {
    future: ManuallyDrop<F>,
    output: ManuallyDrop<Result<F::Output, JoinError>>,
}

#[repr(C)]
struct TaskCell<F: Future> {
    header: Header,
    body: UnsafeCell<Body<F>>,
}

/// Why a task produced no output.
pub enum JoinError {
    /// The task panicked; the payload is kept for [`JoinError::into_panic`].
    Panicked(Box<dyn Any + Send + 'static>),
    /// [`JoinHandle::abort`] dropped it.
    Aborted,
    /// The runtime was dropped before the task finished.
    RuntimeDropped,
}

impl JoinError {
    /// True when the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self, JoinError::Panicked(_))
    }

    /// The panic payload; panics with the error itself if the task did not panic.
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        match self {
            JoinError::Panicked(payload) => payload,
            other => panic!("{other}"),
        }
    }

    fn panic_message(&self) -> Option<&str> {
        let JoinError::Panicked(payload) = self else {
            return None;
        };
        payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "task panicked: {msg}"),
                None => f.write_str("task panicked"),
            },
            JoinError::Aborted => f.write_str("task was aborted"),
            JoinError::RuntimeDropped => {
                f.write_str("the runtime was dropped before the task finished")
            }
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JoinError({self})")
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for std::io::Error {
    fn from(err: JoinError) -> std::io::Error {
        std::io::Error::other(err.to_string())
    }
}

impl Header {
    fn cell<F: Future>(header: NonNull<Header>) -> NonNull<TaskCell<F>> {
        // `TaskCell` is repr(C) with the header first.
        header.cast()
    }
}

/// Allocates a task block for `future` with three references: the live list's, the
/// `JoinHandle`'s and the ready queue's, and the state of [`State::spawned`]. The caller
/// links it into both. `owner` is released with the block by `S::drop_owner`.
pub(crate) fn allocate<F: Future + 'static, S: Schedule>(
    future: F,
    id: TaskId,
    owner: NonNull<()>,
) -> NonNull<Header> {
    let layout = std::alloc::Layout::new::<TaskCell<F>>();
    // SAFETY: a TaskCell is never zero-sized (the header isn't).
    let block = unsafe { alloc::allocate(layout) }.cast::<TaskCell<F>>();
    let cell = TaskCell {
        header: Header {
            refs: AtomicU32::new(3),
            state: State::spawned(),
            id,
            vtable: vtable::<F, S>(),
            owner,
            next_ready: Cell::new(None),
            prev_live: Cell::new(None),
            next_live: Cell::new(None),
            join_waker: UnsafeCell::new(None),
        },
        body: UnsafeCell::new(Body {
            future: ManuallyDrop::new(future),
        }),
    };
    // SAFETY: the block is fresh, sized and aligned for a TaskCell<F>.
    unsafe { block.as_ptr().write(cell) };
    if let Some(hook) = task_hook() {
        task_event(hook, TaskEvent::Spawned, block.cast());
    }
    block.cast()
}

/// The vtable of tasks of `F` run by `S`, as a constant (so that `&` of it is `'static`).
struct VtableOf<F, S>(PhantomData<(F, S)>);

impl<F: Future + 'static, S: Schedule> VtableOf<F, S> {
    const VTABLE: TaskVtable = TaskVtable {
        poll: poll::<F>,
        cancel: cancel::<F>,
        body_offset: std::mem::offset_of!(TaskCell<F>, body),
        dealloc: dealloc::<F, S>,
        schedule: S::schedule,
        unlink: S::unlink,
    };
}

fn vtable<F: Future + 'static, S: Schedule>() -> &'static TaskVtable {
    &VtableOf::<F, S>::VTABLE
}

/// What a poll of a task left it as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Polled {
    /// Waiting for a wake.
    Pending,
    /// Waiting for a wake, for the first time: the caller puts it on the live list's links
    /// (its state says `LISTED` already).
    List,
    /// Done: finished, panicked or aborted.
    Done,
}

/// Polls the task once.
///
/// # Safety
/// Scheduler thread only; `header` is a live task whose future has not been dropped.
pub(crate) unsafe fn poll_task(header: NonNull<Header>) -> Polled {
    // SAFETY: live task per the contract; the vtable matches the block.
    unsafe { (header.as_ref().vtable.poll)(header) }
}

/// Drops the task's future, if it has one, leaving `error` for its `JoinHandle`.
///
/// # Safety
/// Scheduler thread only; `header` is a live task not being polled.
pub(crate) unsafe fn cancel_task(header: NonNull<Header>, error: JoinError) {
    // SAFETY: live task per the contract.
    unsafe { (header.as_ref().vtable.cancel)(header, error) }
}

unsafe fn poll<F: Future + 'static>(header: NonNull<Header>) -> Polled {
    let cell = Header::cell::<F>(header);
    // SAFETY: the block is live.
    let head = unsafe { &(*cell.as_ptr()).header };
    if head.state.is_done() {
        return Polled::Done;
    }
    // SAFETY: not done, so the body holds the future; it is only touched on this thread, and
    // no other reference to it exists while we poll (RUNNING keeps `abort` away from it).
    let future = unsafe { &mut *(*(*cell.as_ptr()).body.get()).future };
    if !head.state.start_poll() {
        // Re-entrant poll (the runtime refuses the nesting that could cause it): leave it.
        return Polled::Pending;
    }
    // SAFETY: the borrowed waker doesn't own a reference: ManuallyDrop keeps it from
    // releasing one, and clones take their own.
    let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw_waker(header)) });
    let mut cx = Context::from_waker(&waker);
    // SAFETY: the future lives in the block, which never moves, until it is dropped in place.
    let future = unsafe { Pin::new_unchecked(future) };
    let hook = task_hook();
    if let Some(hook) = hook {
        task_event(hook, TaskEvent::Enter, header);
    }
    let result = panic::catch_unwind(AssertUnwindSafe(|| future.poll(&mut cx)));
    if let Some(hook) = hook {
        task_event(hook, TaskEvent::Exit, header);
    }
    let output = match (
        head.state.end_poll(matches!(result, Ok(Poll::Pending))),
        result,
    ) {
        (EndPoll::Idle, _) => return Polled::Pending,
        (EndPoll::List, _) => return Polled::List,
        (EndPoll::Finish, Ok(Poll::Pending)) => Err(JoinError::Aborted),
        (EndPoll::Finish, Ok(Poll::Ready(value))) => Ok(value),
        (EndPoll::Finish, Err(payload)) => Err(JoinError::Panicked(payload)),
    };
    // SAFETY: same block, not borrowed elsewhere now.
    unsafe { finish::<F>(header, output) };
    Polled::Done
}

unsafe fn cancel<F: Future + 'static>(header: NonNull<Header>, error: JoinError) {
    // SAFETY: the block is live.
    let head = unsafe { header.as_ref() };
    // Never drop a future from under its own poll (Deferred): it goes when the poll returns.
    if head.state.abort() != Abort::Now {
        return;
    }
    // SAFETY: `Abort::Now`: not done, so the body holds the future, and not being polled;
    // this is the scheduler's thread.
    unsafe { finish::<F>(header, Err(error)) };
}

/// Replaces the future by its output (dropping the output when nobody wants it) and wakes the
/// `JoinHandle`.
///
/// # Safety
/// Scheduler thread; the task is not done (its body holds the future) and not being polled.
#[inline(always)]
unsafe fn finish<F: Future + 'static>(
    header: NonNull<Header>,
    output: Result<F::Output, JoinError>,
) {
    let cell = Header::cell::<F>(header).as_ptr();
    // SAFETY: per the contract; no other borrow of the body or the header's cells is live.
    unsafe {
        let head = &(*cell).header;
        // DONE first: the future's destructor may run user code that wakes or aborts this
        // task, or polls its handle, and they must find it done, with no output yet.
        head.state.finish();
        let body = &mut *(*cell).body.get();
        let hook = task_hook();
        if let Some(hook) = hook {
            task_event(hook, TaskEvent::Enter, header);
        }
        // A destructor that panics has still dropped what it could; DONE without OUTPUT says
        // the body holds nothing either way.
        let dropped =
            panic::catch_unwind(AssertUnwindSafe(|| ManuallyDrop::drop(&mut body.future)));
        if let Some(hook) = hook {
            task_event(hook, TaskEvent::Exit, header);
            task_event(hook, TaskEvent::Dropped, header);
        }
        let output = match (output, dropped) {
            // A destructor that panics is reported, whatever ended the task.
            (_, Err(payload)) => Err(JoinError::Panicked(payload)),
            (output, Ok(())) => output,
        };
        if head.state.store_output() {
            body.output = ManuallyDrop::new(output);
            if let Some(waker) = (*head.join_waker.get()).take() {
                // User code (a foreign waker) must not unwind into libuv's callback.
                let _ = panic::catch_unwind(AssertUnwindSafe(|| waker.wake()));
            }
        } else {
            // Nobody wants it; its destructor is user code and must not unwind into libuv.
            let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(output)));
        }
    }
}

/// Moves the output out of the task's body.
///
/// # Safety
/// Scheduler thread; [`State::take_output`] just said there is an output (and cleared
/// `OUTPUT`, so it is read once), and `T` is the task's output type.
unsafe fn read_output<T>(header: NonNull<Header>) -> Result<T, JoinError> {
    // SAFETY: per the contract: the block is live, the body at `body_offset` holds a
    // `Result<T, JoinError>` (the union's fields all start at its start), and nothing else
    // borrows it.
    unsafe {
        let offset = header.as_ref().vtable.body_offset;
        header
            .cast::<u8>()
            .add(offset)
            .cast::<Result<T, JoinError>>()
            .read()
    }
}

unsafe fn dealloc<F: Future + 'static, S: Schedule>(header: NonNull<Header>) {
    let cell = Header::cell::<F>(header);
    // SAFETY: the last reference is gone, so nothing else can touch the block. The task is
    // done and its output taken or dropped (a `JoinHandle` holds a reference while it may
    // take one), so the body holds nothing. The header has nothing to drop either: its one
    // field with a destructor, the join waker, is set only by the handle, whose drop clears
    // it, and that drop comes before the last release. `owner` is the one the block was
    // allocated with.
    unsafe {
        let head = &raw const (*cell.as_ptr()).header;
        debug_assert!((*head).state.is_done() && !(*head).state.has_output());
        debug_assert!((*(*head).join_waker.get()).is_none());
        let owner = (*head).owner;
        S::drop_owner(owner);
        alloc::deallocate(cell.cast(), std::alloc::Layout::new::<TaskCell<F>>());
    }
}

/// Takes one more reference.
pub(crate) fn retain(header: NonNull<Header>) {
    // SAFETY: the caller holds a reference, so the block is live.
    let refs = unsafe { &header.as_ref().refs };
    // Relaxed is enough to add a reference to one we already hold (as in `Arc::clone`).
    if refs.fetch_add(1, Ordering::Relaxed) > i32::MAX as u32 {
        std::process::abort();
    }
}

/// Gives up one reference, freeing the block with the last.
///
/// # Safety
/// The caller owns the reference it gives up.
pub(crate) unsafe fn release(header: NonNull<Header>) {
    // SAFETY: forwarded.
    unsafe { release_many(header, 1) }
}

/// Gives up `n` references at once (one atomic operation), freeing the block with the last.
///
/// # Safety
/// The caller owns the references it gives up.
#[inline]
pub(crate) unsafe fn release_many(header: NonNull<Header>, n: u32) {
    // SAFETY: the caller's references keep the block live until this decrement.
    let refs = unsafe { &header.as_ref().refs };
    if refs.fetch_sub(n, Ordering::Release) == n {
        std::sync::atomic::fence(Ordering::Acquire);
        // SAFETY: that was the last reference.
        unsafe { (header.as_ref().vtable.dealloc)(header) };
    }
}

static WAKER_VTABLE: RawWakerVTable =
    RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

fn raw_waker(header: NonNull<Header>) -> RawWaker {
    RawWaker::new(header.as_ptr().cast_const().cast(), &WAKER_VTABLE)
}

unsafe fn waker_clone(data: *const ()) -> RawWaker {
    let header = NonNull::new(data.cast_mut()).expect("task waker").cast();
    retain(header);
    raw_waker(header)
}

/// Wakes the task, taking over one reference.
///
/// # Safety
/// The caller owns the reference.
unsafe fn schedule(header: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the block live; the vtable matches it.
    unsafe { (header.as_ref().vtable.schedule)(header) }
}

unsafe fn waker_wake(data: *const ()) {
    let header = NonNull::new(data.cast_mut()).expect("task waker").cast();
    // SAFETY: the waker's reference moves into the scheduler.
    unsafe { schedule(header) };
}

unsafe fn waker_wake_by_ref(data: *const ()) {
    let header = NonNull::new(data.cast_mut()).expect("task waker").cast();
    retain(header);
    // SAFETY: the reference just taken moves into the scheduler.
    unsafe { schedule(header) };
}

unsafe fn waker_drop(data: *const ()) {
    let header = NonNull::new(data.cast_mut()).expect("task waker").cast();
    // SAFETY: the waker owned this reference.
    unsafe { release(header) };
}

/// Owned permission to await a spawned task's output, from [`spawn_local`](crate::spawn_local).
///
/// Awaiting it gives the task's output, or a [`JoinError`] if the task panicked, was aborted,
/// or its runtime was dropped first. Dropping it detaches the task, which keeps running.
/// It is `!Send`: it belongs to the thread of the task's runtime.
///
/// ```
/// let rt = uvco_runtime::Runtime::new().unwrap();
/// let answer = rt.block_on(async {
///     let handle = uvco_runtime::spawn_local(async { 6 * 7 });
///     handle.await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
pub struct JoinHandle<T> {
    header: NonNull<Header>,
    _output: PhantomData<(T, *const ())>,
}

impl<T> JoinHandle<T> {
    /// # Safety
    /// `header` is a task whose output type is `T`; the handle takes over one reference.
    pub(crate) unsafe fn from_raw(header: NonNull<Header>) -> JoinHandle<T> {
        JoinHandle {
            header,
            _output: PhantomData,
        }
    }

    fn header(&self) -> &Header {
        // SAFETY: the handle holds a reference, so the block is live.
        unsafe { self.header.as_ref() }
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.header().id
    }

    /// True once the task has finished, panicked, or been aborted.
    pub fn is_finished(&self) -> bool {
        self.header().state.is_done()
    }

    /// Lets the task run on without anyone awaiting it; its output is dropped.
    pub fn detach(self) {}

    /// Drops the task's future now (or right after its current poll, when it aborts itself);
    /// awaiting the handle then gives [`JoinError::Aborted`]. Does nothing once it is done.
    pub fn abort(&self) {
        let header = self.header();
        // SAFETY: JoinHandle is !Send, so this is the scheduler's thread; `cancel` defers the
        // drop when the task is being polled (it aborts itself), and does nothing once it is
        // done. The live list keeps its reference until the scheduler unlinks it.
        unsafe { cancel_task(self.header, JoinError::Aborted) };
        if header.state.is_done() {
            // SAFETY: scheduler thread; the handle holds a reference of its own.
            unsafe { (header.vtable.unlink)(self.header) };
        }
    }
}

// A handle is a pointer to the task and a marker: nothing in it depends on its own address
// (the output moves out of the task's frame, never through the handle), as with tokio's.
impl<T> Unpin for JoinHandle<T> {}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    // Inline: awaited once per spawn, and small once the panic is out of line.
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let header = self.header();
        if header.state.take_output() {
            // SAFETY: scheduler thread (!Send handle); there is an output, of type T.
            return Poll::Ready(unsafe { read_output::<T>(self.header) });
        }
        if header.state.is_done() {
            polled_after_output();
        }
        // SAFETY: only touched on this thread, and not borrowed anywhere else right now.
        let slot = unsafe { &mut *header.join_waker.get() };
        match slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

#[cold]
#[inline(never)]
fn polled_after_output() -> ! {
    panic!("JoinHandle polled after it returned its output")
}

impl<T> Drop for JoinHandle<T> {
    // Inline, as `poll`: dropped once per spawn, most often right after the output was taken.
    #[inline]
    fn drop(&mut self) {
        let header = self.header();
        header.state.drop_join_interest();
        if header.state.take_output() {
            // SAFETY: as in `poll`; an output nobody took, on this thread, and the handle's
            // reference.
            unsafe { release_with_output::<T>(self.header) };
            return;
        }
        // SAFETY: the handle's reference.
        unsafe { release_handle(self.header) };
    }
}

/// Gives up a `JoinHandle`'s reference, dropping its join waker after: a waker's drop is
/// anyone's code, and one that panics must not leak the task's block.
///
/// # Safety
/// On the scheduler thread; the caller gives up the handle's reference.
#[inline]
unsafe fn release_handle(header: NonNull<Header>) {
    // SAFETY: only touched on this thread, and not borrowed anywhere else right now.
    let waker = unsafe { (*header.as_ref().join_waker.get()).take() };
    // SAFETY: the handle's reference, per the contract.
    unsafe { release(header) };
    drop(waker);
}

/// A `JoinHandle`'s drop when the output is there and nobody took it: out of line, off the
/// path of a handle that took it. The output is moved out and dropped last, after the
/// reference is given up, so that a panicking drop of it leaks nothing.
///
/// # Safety
/// As for [`read_output`]; the caller gives up the handle's reference.
#[inline(never)]
unsafe fn release_with_output<T>(header: NonNull<Header>) {
    // SAFETY: per the contract.
    let output = unsafe { read_output::<T>(header) };
    // SAFETY: per the contract.
    unsafe { release_handle(header) };
    drop(output);
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Yields to the scheduler once: other ready tasks and pending I/O run before this task
/// continues.
///
/// ```
/// # uvco_runtime::Runtime::new().unwrap().block_on(async {
/// uvco_runtime::yield_now().await;
/// # });
/// ```
pub fn yield_now() -> impl Future<Output = ()> {
    struct YieldNow(bool);
    impl Future for YieldNow {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
    YieldNow(false)
}
