//! Owned libuv handles: a free-list block each, closed with `uv_close`, freed by the close
//! callback.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::NonNull;

use uvco_runtime::handles::{
    register_handle, register_handle_beside, unregister_handle, HandleLink,
};

use crate::sys;

/// A libuv handle struct type (`uv_tcp_t`, `uv_timer_t`, ...).
///
/// # Safety
/// The type must start with the `uv_handle_t` fields (all libuv handle types do).
pub(crate) unsafe trait UvHandle {}

/// A heap block holding a libuv handle `H` followed by state `S` that its callbacks use.
/// Dropping it closes the handle; the block is freed by the close callback, after every
/// callback libuv still owes the handle (including cancelled writes) has run.
///
/// The handle is registered with its runtime, which closes it if the runtime shuts down while
/// the owner lives on (so that the loop can finish: a queued write completes with
/// `ECANCELED`). The block then outlives the close callback until the owner drops it, and the
/// handle is closed: most of libuv's functions refuse it (`EBADF`, `EINVAL`) without touching
/// the loop, which stays allocated until the owner is gone. Not all: a UDP handle's first
/// send, receive or connect binds a new socket for it, so owners check
/// [`Handle::check_open`] first. Whoever waits for the handle's callbacks then is woken
/// ([`HandleState::runtime_closing`]).
pub(crate) struct Handle<H: UvHandle, S> {
    block: NonNull<Block<H, S>>,
}

#[repr(C)]
pub(crate) struct Block<H, S> {
    /// First, so that a `*mut H` (and a `*mut uv_handle_t`) is a `*mut Block`.
    pub(crate) handle: H,
    link: HandleLink,
    /// The owner (`Handle`) was dropped: the close callback frees the block.
    owner_gone: Cell<bool>,
    /// The close callback has run (after the runtime closed the handle).
    closed: Cell<bool>,
    pub(crate) state: S,
}

/// The state beside a handle, as the runtime's shutdown sees it.
pub(crate) trait HandleState {
    /// The runtime is closing the handle under its owner (it shuts down first): no callback
    /// of the handle will run again. Wakes whoever waits for one, after leaving the state so
    /// that their next poll finds the handle closed (an error or the end) instead of a
    /// reason to wait again. Called on the loop thread, outside any poll.
    fn runtime_closing(&self);
}

impl<H: UvHandle, S: HandleState> Handle<H, S> {
    /// Allocates the block and initialises the handle with `init` (such as `uv_tcp_init`).
    /// The handle's `data` field is left for `S`'s use-free callbacks: they find the block
    /// from the handle pointer itself.
    pub(crate) fn new(
        state: S,
        init: impl FnOnce(*mut H) -> std::ffi::c_int,
    ) -> Result<Self, crate::UvError> {
        Self::new_beside(state, init, None)
    }

    /// As [`Handle::new`], and registered with the runtime of the handle whose link `beside`
    /// is when no runtime is current (in a libuv callback while a host runs the loop).
    pub(crate) fn new_beside(
        state: S,
        init: impl FnOnce(*mut H) -> std::ffi::c_int,
        beside: Option<&HandleLink>,
    ) -> Result<Self, crate::UvError> {
        // SAFETY: a block is never zero-sized (the handle isn't); it is freed with the same
        // layout in `free_block`.
        let block = unsafe { crate::runtime::alloc::allocate(Layout::new::<Block<H, S>>()) }
            .cast::<Block<H, S>>();
        let raw = block.as_ptr();
        // Each field is written in place: a Block built on the stack and moved in was copied
        // whole, handle and state, on every connect and accept.
        // SAFETY: fresh block, sized and aligned for a Block<H, S>. A zeroed libuv handle is a
        // valid "not yet initialised" handle. The link's handle pointer is the block's own
        // handle, which doesn't move.
        unsafe {
            (&raw mut (*raw).handle).write_bytes(0, 1);
            (&raw mut (*raw).link).write(HandleLink::new(
                (&raw mut (*raw).handle).cast(),
                runtime_close::<H, S>,
            ));
            (&raw mut (*raw).owner_gone).write(Cell::new(false));
            (&raw mut (*raw).closed).write(Cell::new(false));
            (&raw mut (*raw).state).write(state);
        }
        // SAFETY: the handle is at its final address.
        let ret = init(unsafe { &raw mut (*raw).handle });
        if let Err(err) = crate::UvError::check(ret) {
            // SAFETY: init failed, so libuv holds no reference to the block.
            unsafe { free_block(block) };
            return Err(err);
        }
        // SAFETY: an initialised handle; the block (and the link in it) stays put until
        // `drop` unregisters it. `beside` is a live link of the caller's.
        unsafe {
            let link = &(*raw).link;
            if !register_handle(link) {
                if let Some(beside) = beside {
                    register_handle_beside(link, beside);
                }
            }
        }
        Ok(Handle { block })
    }
}

impl<H: UvHandle, S> Handle<H, S> {
    /// The handle, for libuv calls.
    pub(crate) fn as_ptr(&self) -> *mut H {
        // SAFETY: the block lives until the close callback, which runs after `self` is gone.
        unsafe { &raw mut (*self.block.as_ptr()).handle }
    }

    /// The handle as a `uv_stream_t` (for stream handle types).
    pub(crate) fn as_stream(&self) -> *mut sys::uv_stream_t {
        self.as_ptr().cast()
    }

    /// The state next to the handle.
    pub(crate) fn state(&self) -> &S {
        // SAFETY: as in `as_ptr`; shared access only (state uses Cells).
        unsafe { &(*self.block.as_ptr()).state }
    }

    /// The block of a handle pointer that libuv passed to a callback.
    ///
    /// # Safety
    /// `handle` must be the handle of a live `Block<H, S>`.
    pub(crate) unsafe fn state_of<'a>(handle: *const H) -> &'a S {
        // SAFETY: per the contract; the handle is the block's first field.
        unsafe { &(*handle.cast::<Block<H, S>>()).state }
    }

    /// The runtime link of a handle pointer that libuv passed to a callback.
    ///
    /// # Safety
    /// As for [`Handle::state_of`].
    pub(crate) unsafe fn link_of<'a>(handle: *const H) -> &'a HandleLink {
        // SAFETY: per the contract; the handle is the block's first field.
        unsafe { &(*handle.cast::<Block<H, S>>()).link }
    }
}

impl<H: UvHandle, S> Drop for Handle<H, S> {
    fn drop(&mut self) {
        let block = self.block.as_ptr();
        let handle = self.as_ptr().cast::<sys::uv_handle_t>();
        // SAFETY: the block is live until the close callback has run and the owner is gone,
        // whichever is last; `closed` is read before `unregister_handle`, which may run the
        // loop's last callbacks (this handle's close callback among them) and free the block.
        unsafe {
            (*block).owner_gone.set(true);
            if !(*block).link.closed_by_runtime() {
                unregister_handle(&(*block).link);
                // An initialised handle, closed once (here). The close callback frees the
                // block once libuv is done with it.
                sys::uv_close(handle, Some(close_cb::<H, S>));
            } else if (*block).closed.get() {
                unregister_handle(&(*block).link);
                free_block(self.block);
            } else {
                // The close callback, still to come, frees the block.
                unregister_handle(&(*block).link);
            }
        }
    }
}

/// Closes the handle for a runtime shutting down while the owner lives on, waking whoever
/// waits for its callbacks first.
unsafe fn runtime_close<H: UvHandle, S: HandleState>(handle: *mut sys::uv_handle_t) {
    // SAFETY: the runtime passes the handle of a registered, open block of this type.
    unsafe {
        Handle::<H, S>::state_of(handle.cast::<H>()).runtime_closing();
        sys::uv_close(handle, Some(close_cb::<H, S>));
    }
}

unsafe extern "C" fn close_cb<H: UvHandle, S>(handle: *mut sys::uv_handle_t) {
    let block = handle.cast::<Block<H, S>>();
    // SAFETY: the handle is the first field of a Block made in `Handle::new`, and this is
    // its last callback; the block is freed here unless its owner still holds it.
    unsafe {
        (*block).closed.set(true);
        if (*block).owner_gone.get() {
            free_block(NonNull::new_unchecked(block));
        }
    }
}

/// Drops the state and returns the block to the free list.
unsafe fn free_block<H, S>(block: NonNull<Block<H, S>>) {
    // SAFETY: the caller guarantees libuv is done with the block; it came from `allocate`
    // with this layout. The state holds wakers, which may be anyone's, and this runs in the
    // close callback: a panicking drop is contained, and the block freed all the same.
    unsafe {
        uvco_runtime::wake::contain_panic(|| std::ptr::drop_in_place(block.as_ptr()));
        crate::runtime::alloc::deallocate(block.cast(), Layout::new::<Block<H, S>>());
    }
}

// SAFETY: each of these is a libuv handle struct.
unsafe impl UvHandle for sys::uv_tcp_t {}
// SAFETY: as above.
unsafe impl UvHandle for sys::uv_pipe_t {}
// SAFETY: as above.
unsafe impl UvHandle for sys::uv_udp_t {}
// SAFETY: as above.
unsafe impl UvHandle for sys::uv_timer_t {}

impl<H: UvHandle, S> Handle<H, S> {
    /// Whether the runtime closed the handle (it shut down while the owner lived on): libuv
    /// calls on it would fail, and no callback of it will run again.
    pub(crate) fn closed_by_runtime(&self) -> bool {
        // SAFETY: the block lives until the owner (`self`) is gone.
        unsafe { (*self.block.as_ptr()).link.closed_by_runtime() }
    }

    /// `EBADF` once the runtime has closed the handle. For the calls that libuv doesn't
    /// refuse on a closed handle (a UDP socket's first send, receive or connect binds a new
    /// socket, on a loop nobody runs, that nothing closes), and before a waiter registers
    /// for a callback that won't come.
    pub(crate) fn check_open(&self) -> Result<(), crate::UvError> {
        if self.closed_by_runtime() {
            Err(crate::UvError::EBADF)
        } else {
            Ok(())
        }
    }
}

/// The events a handle's callback produced that its owner has not taken yet, and the task
/// waiting for the next one: the state of every handle whose callback fires many times and
/// that is read as a stream (`uv_fs_event_t`, `uv_fs_poll_t`, ...).
///
/// At most `limit` events wait; past that, [`push`](EventQueue::push) hands the new event
/// to a `merge` of the adapter's choosing, with the newest queued one (fold the two into
/// one, or count a lost event), so that a consumer that stops reading costs bounded memory.
/// The queue keeps its capacity: in steady state an event costs no allocation of the queue's.
pub(crate) struct EventQueue<E> {
    queue: std::cell::RefCell<std::collections::VecDeque<E>>,
    limit: usize,
    waker: Cell<Option<std::task::Waker>>,
}

impl<E> HandleState for EventQueue<E> {
    fn runtime_closing(&self) {
        // The stream sees the handle closed once the queue is drained, and ends.
        uvco_runtime::wake::wake(&self.waker);
    }
}

impl<E> EventQueue<E> {
    pub(crate) const fn new(limit: usize) -> EventQueue<E> {
        EventQueue {
            queue: std::cell::RefCell::new(std::collections::VecDeque::new()),
            limit,
            waker: Cell::new(None),
        }
    }

    /// Queues `event` (or merges it into the newest queued one, when `limit` are waiting)
    /// and wakes the waiting task. For the handle's callback.
    pub(crate) fn push(&self, event: E, merge: impl FnOnce(&mut E, E)) {
        {
            let mut queue = self.queue.borrow_mut();
            let full = queue.len() >= self.limit;
            match queue.back_mut() {
                Some(last) if full => merge(last, event),
                _ => queue.push_back(event),
            }
        }
        uvco_runtime::wake::wake(&self.waker);
    }

    /// The next event, or `cx` registered to be woken by the next push.
    pub(crate) fn poll_pop(&self, cx: &std::task::Context<'_>) -> std::task::Poll<E> {
        if let Some(event) = self.queue.borrow_mut().pop_front() {
            return std::task::Poll::Ready(event);
        }
        uvco_runtime::wake::register(&self.waker, cx);
        std::task::Poll::Pending
    }
}

/// A started libuv handle read as a stream of the events its callback queues: the generic
/// part of [`crate::fs::watch`], [`crate::fs::poll`] and the like. The adapter supplies the
/// init and start calls and a callback that finds the queue with
/// [`HandleStream::queue_of`]; dropping the stream stops and closes the handle (`uv_close`
/// stops any handle), and once the runtime has closed it the stream ends (`None`).
pub(crate) struct HandleStream<H: UvHandle, E> {
    handle: Handle<H, EventQueue<E>>,
}

impl<H: UvHandle, E> HandleStream<H, E> {
    /// Makes the handle with `init`, then starts it with `start`; an error of either closes
    /// it again.
    pub(crate) fn new(
        limit: usize,
        init: impl FnOnce(*mut H) -> std::ffi::c_int,
        start: impl FnOnce(*mut H) -> std::ffi::c_int,
    ) -> Result<Self, crate::UvError> {
        let handle = Handle::new(EventQueue::new(limit), init)?;
        crate::UvError::check(start(handle.as_ptr()))?;
        Ok(HandleStream { handle })
    }

    /// The queue of a handle pointer that libuv passed to a callback.
    ///
    /// # Safety
    /// `handle` must be the handle of a live `HandleStream<H, E>`'s block (which a started
    /// handle's callback always gets: the block outlives the close callback).
    pub(crate) unsafe fn queue_of<'a>(handle: *const H) -> &'a EventQueue<E> {
        // SAFETY: per the contract.
        unsafe { Handle::<H, EventQueue<E>>::state_of(handle) }
    }

    /// The next event; `None` once the runtime has closed the handle (and the queue is
    /// drained).
    pub(crate) fn poll_next(&self, cx: &std::task::Context<'_>) -> std::task::Poll<Option<E>> {
        match self.handle.state().poll_pop(cx) {
            std::task::Poll::Ready(event) => std::task::Poll::Ready(Some(event)),
            std::task::Poll::Pending if self.handle.closed_by_runtime() => {
                std::task::Poll::Ready(None)
            }
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }

    /// The handle, for libuv calls.
    pub(crate) fn as_ptr(&self) -> *mut H {
        self.handle.as_ptr()
    }
}

/// Something to do to a handle just before the runtime closes it at shutdown (while its
/// owner lives on), such as putting a terminal back into its normal mode.
pub(crate) trait BeforeRuntimeClose {
    /// # Safety
    /// `handle` is the open handle of the block that [`set_before_runtime_close`] was given.
    unsafe fn before_close(handle: *mut sys::uv_handle_t);
}

/// Makes the runtime run `C::before_close` on `handle` before it closes it at shutdown: the
/// handle's runtime link is re-made with a close function that does so (it is unregistered
/// and registered again, with the current runtime).
///
/// # Safety
/// `handle` is the handle of a live `Handle<H, S>` block that is registered with the current
/// runtime (made inside it), not closed.
pub(crate) unsafe fn set_before_runtime_close<
    H: UvHandle,
    S: HandleState,
    C: BeforeRuntimeClose,
>(
    handle: *mut H,
) {
    unsafe fn close_with<H: UvHandle, S: HandleState, C: BeforeRuntimeClose>(
        handle: *mut sys::uv_handle_t,
    ) {
        // SAFETY: the runtime passes the open handle of the block this link belongs to.
        unsafe {
            C::before_close(handle);
            runtime_close::<H, S>(handle);
        }
    }
    let block = handle.cast::<Block<H, S>>();
    // SAFETY: per the contract, a live, registered block; its link is unregistered before
    // it is overwritten (HandleLink has no drop), and the new one is at the same address,
    // registered the same way, unregistered by `Handle::drop`.
    unsafe {
        unregister_handle(&(*block).link);
        std::ptr::write(
            &raw mut (*block).link,
            HandleLink::new(handle.cast(), close_with::<H, S, C>),
        );
        register_handle(&(*block).link);
    }
}
