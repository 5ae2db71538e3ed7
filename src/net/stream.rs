//! The stream core shared by TCP and Unix sockets: a connected stream ([`Stream`]) and a
//! listening one ([`Listener`]), generic over the libuv handle type (`uv_tcp_t`,
//! `uv_pipe_t`).
//!
//! Reading: each stream owns one read buffer ([`READ_BUF`] bytes, allocated on its first
//! read). The first read starts libuv reading into it, and libuv keeps reading while the
//! buffer has room: the read callback records what arrived (bytes, EOF or an error) and wakes
//! the reader, which copies out of the buffer. Only a full buffer, EOF or an error stops
//! reading (backpressure), and the next read that finds room starts it again; so a steady
//! stream costs no `uv_read_stop`/`uv_read_start` pair per read. Bytes that are not consumed
//! stay buffered, so dropping a read future loses nothing.
//!
//! Writing: first `uv_try_write`; what the kernel did not take is copied into an owned
//! `Vec<u8>` that moves into a `uv_write` request slot, so libuv never reads memory the
//! caller may free. At most one such request is outstanding per stream; its buffer comes
//! back with the result and is reused by the next one.
//!
//! Cancellation: the outstanding write request is kept by the stream, not by the future
//! that started it, so dropping a `write_all` future lets the write finish in order (its
//! error, if any, is reported by the next write, flush or shutdown). A request is only
//! cancelled when the stream itself is dropped: it is orphaned (`uv_cancel`), the handle is
//! closed, libuv completes it with `ECANCELED`, and its slot is freed before the handle's
//! block. (libuv's `uv_cancel` of a write also drops a partly written one from the queue,
//! which is only harmless because the stream is closing.)

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ffi::c_int;
use std::future::{poll_fn, Future};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::ptr;
use std::task::{ready, Context, Poll, Waker};

use crate::handle::{Handle, UvHandle};
use crate::requests::{UvShutdown, UvWrite};
use crate::{current_loop, sys, Keep, UvError};
use uvco_runtime::handles::HandleLink;
pub(crate) use uvco_runtime::wake::{register, wake};

/// Size of each stream's read buffer.
pub(crate) const READ_BUF: usize = 64 * 1024;

/// The largest write buffer a stream keeps for reuse; bigger ones are freed.
const MAX_SPARE: usize = 256 * 1024;

/// A libuv stream handle type.
///
/// # Safety
/// The type must start with the `uv_stream_t` fields.
pub(crate) unsafe trait UvStream: UvHandle + 'static {}

// SAFETY: uv_tcp_t is a libuv stream.
unsafe impl UvStream for sys::uv_tcp_t {}
// SAFETY: uv_pipe_t is a libuv stream.
unsafe impl UvStream for sys::uv_pipe_t {}

/// A lazily allocated byte buffer that libuv reads into; its memory stays at one address
/// until the owner (a handle's state, freed after the handle's close callback) is dropped.
pub(crate) struct RecvBuf {
    ptr: Cell<*mut u8>,
}

impl RecvBuf {
    pub(crate) const fn new() -> RecvBuf {
        RecvBuf {
            ptr: Cell::new(ptr::null_mut()),
        }
    }

    /// The buffer's start, allocating it on first use.
    pub(crate) fn get(&self) -> *mut u8 {
        if self.ptr.get().is_null() {
            let boxed: Box<[u8]> = vec![0u8; READ_BUF].into_boxed_slice();
            self.ptr.set(Box::into_raw(boxed).cast::<u8>());
        }
        self.ptr.get()
    }
}

impl Drop for RecvBuf {
    fn drop(&mut self) {
        let p = self.ptr.get();
        if !p.is_null() {
            // SAFETY: `p` came from `Box::into_raw` of a READ_BUF-byte boxed slice in `get`,
            // and libuv no longer uses it (the owner is dropped after the close callback).
            drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(p, READ_BUF)) });
        }
    }
}

/// What a connected stream's callbacks share with its owner.
pub(crate) struct StreamState {
    buf: RecvBuf,
    /// The unconsumed bytes are `buf[start..end]`.
    start: Cell<usize>,
    end: Cell<usize>,
    /// End of stream, or a read error already returned: reads return 0 from now on, and
    /// libuv is not asked to read again.
    eof: Cell<bool>,
    /// A read error the reader has not seen yet.
    error: Cell<Option<UvError>>,
    reading: Cell<bool>,
    reader: Cell<Option<Waker>>,
}

impl StreamState {
    pub(crate) const fn new() -> StreamState {
        StreamState {
            buf: RecvBuf::new(),
            start: Cell::new(0),
            end: Cell::new(0),
            eof: Cell::new(false),
            error: Cell::new(None),
            reading: Cell::new(false),
            reader: Cell::new(None),
        }
    }
}

unsafe extern "C" fn alloc_cb<H: UvStream>(
    handle: *mut sys::uv_handle_t,
    _suggested: usize,
    buf: *mut sys::uv_buf_t,
) {
    // SAFETY: reading is only started on handles of a `Handle<H, StreamState>` block, which
    // lives until its close callback, after every read callback.
    let state = unsafe { Handle::<H, StreamState>::state_of(handle.cast::<H>()) };
    if state.start.get() == state.end.get() {
        // Everything was consumed: fill from the start again.
        state.start.set(0);
        state.end.set(0);
    }
    let end = state.end.get();
    // A full buffer gets a zero-length one: libuv then reports UV_ENOBUFS and `read_cb`
    // stops reading until the reader makes room.
    // SAFETY: `end <= READ_BUF`, so this stays within the buffer; libuv writes at most
    // `READ_BUF - end` bytes there before the read callback, while no task runs.
    unsafe {
        (*buf).base = state.buf.get().add(end).cast();
        (*buf).len = READ_BUF - end;
    }
}

unsafe extern "C" fn read_cb<H: UvStream>(
    stream: *mut sys::uv_stream_t,
    nread: isize,
    _buf: *const sys::uv_buf_t,
) {
    // SAFETY: as in `alloc_cb`.
    let state = unsafe { Handle::<H, StreamState>::state_of(stream.cast::<H>()) };
    let keep_reading = match nread {
        0 => return, // EAGAIN: nothing yet.
        n if n > 0 => {
            state.end.set(state.end.get() + n as usize);
            state.end.get() < READ_BUF
        }
        n if n == UvError::EOF.code() as isize => {
            state.eof.set(true);
            false
        }
        n if n == UV_ENOBUFS => false, // the buffer is full
        n => {
            state.error.set(Some(UvError::new(n as c_int)));
            false
        }
    };
    if !keep_reading {
        // SAFETY: a live stream handle; stopping a reading stream is always allowed.
        unsafe { sys::uv_read_stop(stream) };
        state.reading.set(false);
    }
    wake(&state.reader);
}

const UV_ENOBUFS: isize = sys::uv_errno_t_UV_ENOBUFS as isize;

/// The write request a stream has in flight: its buffer and the `uv_buf_t` pointing into it.
pub(crate) struct WriteBuf {
    data: Vec<u8>,
    buf: sys::uv_buf_t,
}

type WriteOp = UvWrite<Keep<WriteBuf>>;

/// A connected stream over handle type `H`.
pub(crate) struct Stream<H: UvStream> {
    // The requests come first: they are dropped (orphaned, cancelled where possible) before
    // the handle is closed, which completes them with ECANCELED.
    write: Option<WriteOp>,
    shutdown: Option<UvShutdown>,
    shut_down: bool,
    /// The buffer of the last completed write request, for the next one (if it was at
    /// most [`MAX_SPARE`] bytes).
    spare: Vec<u8>,
    handle: Handle<H, StreamState>,
}

impl<H: UvStream> Stream<H> {
    /// A stream whose handle `init` initialises (such as `uv_tcp_init`).
    pub(crate) fn new(init: impl FnOnce(*mut H) -> c_int) -> io::Result<Stream<H>> {
        Self::accepted(init, None)
    }

    /// A stream accepted by a listener, registered with the listener's runtime (`beside` is
    /// the listener's link) when no runtime is current.
    fn accepted(
        init: impl FnOnce(*mut H) -> c_int,
        beside: Option<&HandleLink>,
    ) -> io::Result<Stream<H>> {
        let handle = Handle::new_beside(StreamState::new(), init, beside)?;
        Ok(Stream {
            write: None,
            shutdown: None,
            shut_down: false,
            spare: Vec::new(),
            handle,
        })
    }

    /// The handle, for type-specific libuv calls.
    pub(crate) fn as_ptr(&self) -> *mut H {
        self.handle.as_ptr()
    }

    fn stream(&self) -> *mut sys::uv_stream_t {
        self.handle.as_stream()
    }

    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let state = self.handle.state();
        let (start, end) = (state.start.get(), state.end.get());
        if start < end {
            let n = out.len().min(end - start);
            // SAFETY: `buf[start..end]` holds bytes libuv has written; libuv is not writing
            // now (callbacks never run during a poll), and `out` is a distinct Rust slice.
            unsafe { ptr::copy_nonoverlapping(state.buf.get().add(start), out.as_mut_ptr(), n) };
            state.start.set(start + n);
            // Room again after a full buffer stopped reading: let more arrive meanwhile. (An
            // error starting is reported by the next read, after these bytes.)
            if let Err(err) = self.start_reading() {
                state.error.set(Some(err));
            }
            return Poll::Ready(Ok(n));
        }
        if let Some(err) = state.error.take() {
            // Reported once; after that the read side is over, like at EOF.
            state.eof.set(true);
            return Poll::Ready(Err(err.into()));
        }
        if state.eof.get() || out.is_empty() {
            return Poll::Ready(Ok(0));
        }
        if let Err(err) = self.start_reading() {
            state.eof.set(true);
            return Poll::Ready(Err(err.into()));
        }
        register(&state.reader, cx);
        Poll::Pending
    }

    /// Starts libuv reading into the buffer, unless it is already, or reading has ended.
    fn start_reading(&self) -> Result<(), UvError> {
        let state = self.handle.state();
        if state.reading.get() || state.eof.get() || state.error.get().is_some() {
            return Ok(());
        }
        state.buf.get(); // allocate before libuv asks for it
                         // SAFETY: a live stream handle of a `Handle<H, StreamState>` block, which is what the
                         // callbacks expect.
        let ret =
            unsafe { sys::uv_read_start(self.stream(), Some(alloc_cb::<H>), Some(read_cb::<H>)) };
        UvError::check(ret)?;
        state.reading.set(true);
        Ok(())
    }

    pub(crate) async fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, out)).await
    }

    /// Waits for the outstanding write request, if any, and recycles its buffer.
    pub(crate) fn poll_write_done(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(op) = self.write.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let (result, mut kept) = ready!(std::pin::Pin::new(op).poll(cx));
        self.write = None;
        if kept.data.capacity() <= MAX_SPARE {
            kept.data.clear();
            self.spare = kept.data;
        }
        Poll::Ready(result.map_err(io::Error::from))
    }

    /// Writes `data` now as far as the kernel takes it, and submits the rest as one write
    /// request (which [`poll_write_done`](Self::poll_write_done) then waits for). There must
    /// be no outstanding request.
    fn start_write(&mut self, data: &[u8]) -> io::Result<()> {
        debug_assert!(self.write.is_none());
        let mut done = 0;
        if !data.is_empty() {
            let buf = sys::uv_buf_t {
                base: data.as_ptr().cast_mut().cast(),
                len: data.len(),
            };
            // SAFETY: a live stream; `buf` describes `data`, which libuv only reads during
            // this call (try_write never queues).
            let ret = unsafe { sys::uv_try_write(self.stream(), &buf, 1) };
            match UvError::check(ret) {
                Ok(n) => done = n as usize,
                Err(UvError::EAGAIN) => {}
                Err(err) => return Err(err.into()),
            }
        }
        if done == data.len() {
            return Ok(());
        }
        let mut owned = std::mem::take(&mut self.spare);
        owned.extend_from_slice(&data[done..]);
        let keep = WriteBuf {
            data: owned,
            buf: sys::uv_buf_t {
                base: ptr::null_mut(),
                len: 0,
            },
        };
        let stream = self.stream();
        // SAFETY: inside a runtime (the handle was made in one). The bytes libuv reads are
        // the Vec's heap memory and the uv_buf_t, both owned by the request slot until the
        // callback has run; the stream handle outlives the request (closing it completes the
        // request first).
        let op = unsafe {
            UvWrite::with_keep(keep, move |k| {
                k.buf.base = k.data.as_mut_ptr().cast();
                k.buf.len = k.data.len();
                (stream, &raw const k.buf, 1)
            })
        };
        self.write = Some(op);
        Ok(())
    }

    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_write_done(cx))?;
        self.start_write(data)?;
        Poll::Ready(Ok(data.len()))
    }

    pub(crate) async fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        poll_fn(|cx| self.poll_write_done(cx)).await?;
        self.start_write(data)?;
        poll_fn(|cx| self.poll_write_done(cx)).await
    }

    pub(crate) fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_write_done(cx))?;
        if self.shut_down {
            return Poll::Ready(Ok(()));
        }
        let stream = self.stream();
        // SAFETY: inside a runtime; the stream handle outlives the request (closing it
        // completes the request first).
        let op = self
            .shutdown
            .get_or_insert_with(|| unsafe { UvShutdown::new(stream) });
        let result = ready!(std::pin::Pin::new(op).poll(cx));
        self.shutdown = None;
        self.shut_down = result.is_ok();
        Poll::Ready(result.map_err(io::Error::from))
    }

    pub(crate) async fn shutdown(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_shutdown(cx)).await
    }
}

impl<H: UvStream> std::fmt::Debug for Stream<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("handle", &self.handle.as_ptr())
            .field("write_pending", &self.write.is_some())
            .finish()
    }
}

/// The tasks waiting, through a shared `&self`, for one kind of event on a handle (a
/// connection, a datagram). The event wakes them all: the first to be polled takes it, and
/// the others register again. (Keeping only the last waker would leave an earlier waiter
/// asleep while its event goes to the other.)
///
/// Each waiting future holds a [`Waiter`], whose entry goes when it is dropped, so a
/// cancelled wait leaves no waker behind. The list keeps its capacity, so it allocates
/// only when it first grows past the most waiters seen at once, not per wait.
pub(crate) struct Waiters {
    next_id: Cell<u64>,
    list: Cell<Vec<(u64, Waker)>>,
}

impl Waiters {
    pub(crate) const fn new() -> Waiters {
        Waiters {
            next_id: Cell::new(0),
            list: Cell::new(Vec::new()),
        }
    }

    /// A new waiter, for one waiting future.
    pub(crate) fn waiter(&self) -> Waiter<'_> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        Waiter { waiters: self, id }
    }

    /// Wakes every registered waiter and clears the list (keeping its memory).
    pub(crate) fn wake_all(&self) {
        let mut list = self.list.take();
        for (_, waker) in list.drain(..) {
            // From a libuv callback: a waker that panics must not unwind into libuv, nor
            // keep the others asleep.
            uvco_runtime::wake::wake_contained(waker);
        }
        // Waking only schedules tasks, so nothing registered meanwhile; but if something
        // did, keep it.
        list.append(&mut self.list.take());
        self.list.set(list);
    }
}

/// One future's entry in a [`Waiters`] list.
pub(crate) struct Waiter<'a> {
    waiters: &'a Waiters,
    id: u64,
}

impl Waiter<'_> {
    /// Registers (or updates) this future's waker.
    pub(crate) fn register(&self, cx: &Context<'_>) {
        let mut list = self.waiters.list.take();
        let mut replaced = None;
        match list.iter_mut().find(|(id, _)| *id == self.id) {
            Some((_, waker)) if waker.will_wake(cx.waker()) => {}
            Some((_, waker)) => replaced = Some(std::mem::replace(waker, cx.waker().clone())),
            None => list.push((self.id, cx.waker().clone())),
        }
        self.waiters.list.set(list);
        drop(replaced); // after the list is back, in case dropping a waker runs code
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        let mut list = self.waiters.list.take();
        let removed = list
            .iter()
            .position(|(id, _)| *id == self.id)
            .map(|i| list.swap_remove(i));
        self.waiters.list.set(list);
        drop(removed);
    }
}

/// Connections a listener accepts ahead of its `accept` calls; past this, libuv is left to
/// hold the next one (and stop watching the socket) until an `accept` makes room.
const ACCEPT_QUEUE: usize = 128;

/// Initialises a stream handle of type `H` on a loop (such as `uv_tcp_init`).
pub(crate) type InitOn<H> = fn(*mut sys::uv_loop_t, *mut H) -> c_int;

/// How a listener of handle type `H` accepts connections itself, past the one libuv gives
/// each loop turn.
pub(crate) struct AcceptWith<H> {
    /// Initialises a stream handle on a loop (such as `uv_tcp_init`).
    pub(crate) init: InitOn<H>,
    /// Accepts one connection on a listening socket (non-blocking, so `WouldBlock` when
    /// there is none) and returns its socket, close-on-exec.
    pub(crate) accept: fn(RawFd) -> io::Result<OwnedFd>,
    /// Opens a handle on an accepted socket (such as `uv_tcp_open`).
    pub(crate) open: unsafe fn(*mut H, RawFd) -> c_int,
}

/// What a listening stream's connection callback shares with its owner.
///
/// The callback accepts each connection right away, into `ready`, and then the rest of the
/// kernel's backlog (up to [`ACCEPT_QUEUE`]): libuv itself accepts one connection per loop
/// turn, and the next only once that one is taken with `uv_accept`, so a burst of 100
/// clients took 100 loop turns, each with its `epoll_wait`.
pub(crate) struct ListenState<H: UvStream> {
    with: &'static AcceptWith<H>,
    /// Accepted streams nobody has taken yet.
    ready: RefCell<VecDeque<Stream<H>>>,
    /// Whether libuv holds a connection that `ready` had no room for.
    held: Cell<bool>,
    error: Cell<Option<io::Error>>,
    acceptors: Waiters,
}

impl<H: UvStream> ListenState<H> {
    /// A stream handle on `server`'s loop, registered with `server`'s runtime when none is
    /// current, to accept a connection into.
    fn new_stream(&self, server: *mut sys::uv_stream_t) -> io::Result<Stream<H>> {
        // SAFETY: a live listening handle of a `Handle<H, ListenState<H>>` block (the only
        // kind `connection_cb` and `Listener` pass); its loop outlives it.
        let (loop_, beside) = unsafe {
            (
                (*server).loop_,
                Handle::<H, ListenState<H>>::link_of(server.cast::<H>()),
            )
        };
        Stream::accepted(|h| (self.with.init)(loop_, h), Some(beside))
    }

    /// Takes the connection libuv holds on `server` into `ready`. An error (the stream's
    /// handle could not be made) is kept for the next `accept`, and the connection stays with
    /// libuv.
    fn take_held(&self, server: *mut sys::uv_stream_t) {
        let stream = match self.new_stream(server) {
            Ok(stream) => stream,
            Err(err) => {
                self.held.set(true);
                self.error.set(Some(err));
                return;
            }
        };
        // SAFETY: both are live stream handles of the same type; libuv reported a connection
        // on the server that nobody has accepted.
        let ret = unsafe { sys::uv_accept(server, stream.stream()) };
        self.held.set(false);
        match UvError::check(ret) {
            Ok(_) => self.ready.borrow_mut().push_back(stream),
            Err(err) => self.error.set(Some(err.into())),
        }
    }

    /// Accepts what else the kernel has queued on `server`, until it has none or `ready` is
    /// full. A failure (out of file descriptors, say) stops it and is kept for the next
    /// `accept`: the connections it could not take stay queued in the kernel.
    fn drain(&self, server: *mut sys::uv_stream_t) {
        let mut fd = -1;
        // SAFETY: a live listening handle; `fd` is an out-parameter.
        if unsafe { sys::uv_fileno(server.cast(), &mut fd) } != 0 {
            return;
        }
        while self.ready.borrow().len() < ACCEPT_QUEUE {
            let socket = match (self.with.accept)(fd) {
                Ok(socket) => socket,
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return,
                // Reset or aborted while queued: nothing to hand out; try the next one. (std
                // retries EINTR itself.)
                Err(err) if gone_before_accept(&err) => continue,
                Err(err) => {
                    self.error.set(Some(err));
                    return;
                }
            };
            let opened = self.new_stream(server).and_then(|stream| {
                // SAFETY: a fresh handle of this loop and a connected socket that nothing
                // else owns; on success the handle owns it.
                let ret = unsafe { (self.with.open)(stream.as_ptr(), socket.as_raw_fd()) };
                UvError::check(ret)?;
                std::mem::forget(socket);
                Ok(stream)
            });
            match opened {
                Ok(stream) => self.ready.borrow_mut().push_back(stream),
                Err(err) => {
                    self.error.set(Some(err));
                    return;
                }
            }
        }
    }
}

/// Whether `err`, from accepting a connection or from an accepted connection's peer address,
/// means the peer reset or aborted it while it was queued (`ENOTCONN`, `ECONNABORTED`).
pub(crate) fn gone_before_accept(err: &io::Error) -> bool {
    const ECONNABORTED: c_int = sys::uv_errno_t_UV_ECONNABORTED as c_int;
    UvError::from_io(err).is_some_and(|e| e == UvError::ENOTCONN || e.code() == ECONNABORTED)
}

unsafe extern "C" fn connection_cb<H: UvStream>(server: *mut sys::uv_stream_t, status: c_int) {
    // SAFETY: listening is only started on handles of a `Handle<H, ListenState<H>>` block,
    // which lives until its close callback.
    let state = unsafe { Handle::<H, ListenState<H>>::state_of(server.cast::<H>()) };
    match UvError::check(status) {
        Ok(_) if state.ready.borrow().len() < ACCEPT_QUEUE => {
            state.take_held(server);
            state.drain(server);
        }
        Ok(_) => state.held.set(true),
        Err(err) => state.error.set(Some(err.into())),
    }
    state.acceptors.wake_all();
}

/// A listening stream over handle type `H`.
pub(crate) struct Listener<H: UvStream> {
    handle: Handle<H, ListenState<H>>,
}

impl<H: UvStream> Listener<H> {
    /// A listener whose handle `with.init` initialises on the current loop (and the caller
    /// then binds); connections are accepted `with` the rest.
    pub(crate) fn new(with: &'static AcceptWith<H>) -> io::Result<Listener<H>> {
        let state = ListenState {
            with,
            ready: RefCell::new(VecDeque::new()),
            held: Cell::new(false),
            error: Cell::new(None),
            acceptors: Waiters::new(),
        };
        Ok(Listener {
            handle: Handle::new(state, |h| (with.init)(current_loop(), h))?,
        })
    }

    /// Starts listening, with a backlog of `backlog` connections.
    pub(crate) fn listen(&self, backlog: c_int) -> io::Result<()> {
        // SAFETY: a live, bound stream handle of a `Handle<H, ListenState<H>>` block, which
        // is what the callback expects.
        let ret =
            unsafe { sys::uv_listen(self.handle.as_stream(), backlog, Some(connection_cb::<H>)) };
        UvError::check(ret)?;
        Ok(())
    }

    /// The handle, for type-specific libuv calls.
    pub(crate) fn as_ptr(&self) -> *mut H {
        self.handle.as_ptr()
    }

    /// Waits for a connection and returns its stream. Cancel-safe; any number of tasks may
    /// wait at once (each connection goes to one).
    pub(crate) async fn accept(&self) -> io::Result<Stream<H>> {
        let waiter = self.handle.state().acceptors.waiter();
        poll_fn(|cx| self.poll_accept(cx, &waiter)).await
    }

    fn poll_accept(
        &self,
        cx: &mut Context<'_>,
        waiter: &Waiter<'_>,
    ) -> Poll<io::Result<Stream<H>>> {
        let state = self.handle.state();
        if state.held.get() {
            // Room in `ready` again (or a failed take to retry): taking the held connection
            // also makes libuv watch the socket again.
            state.take_held(self.handle.as_stream());
        }
        if let Some(stream) = state.ready.borrow_mut().pop_front() {
            return Poll::Ready(Ok(stream));
        }
        if let Some(err) = state.error.take() {
            return Poll::Ready(Err(err));
        }
        waiter.register(cx);
        Poll::Pending
    }
}

impl<H: UvStream> Drop for Listener<H> {
    fn drop(&mut self) {
        // Close the accepted streams nobody took now, not from the listener's close callback.
        drop(self.handle.state().ready.take());
    }
}

impl<H: UvStream> std::fmt::Debug for Listener<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("handle", &self.handle.as_ptr())
            .finish()
    }
}
