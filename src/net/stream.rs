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
//! Writing: first `uv_try_write` (a `writev` of all the caller's slices); what the kernel
//! did not take is copied into an owned `Vec<u8>` that moves into a `uv_write` request slot,
//! so libuv never reads memory the caller may free. At most one such request is outstanding
//! per stream; its buffer comes back with the result and is reused by the next one.
//! `poll_write` copies at most [`COPY_MAX`] bytes and reports only those written (bounded
//! memory under `AsyncWrite` callers such as hyper); `write_all` copies all of the rest.
//! Owned writes (`write_all_owned`, `write_vectored_all_owned`) move the caller's buffers
//! into the request instead and copy nothing.
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
use std::ffi::{c_int, c_uint};
use std::future::{poll_fn, Future};
use std::io::{self, IoSlice};
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::ptr;
use std::task::{ready, Context, Poll, Waker};

use crate::buf::{BufResult, IoBuf};
use crate::handle::{Handle, HandleState, UvHandle};
use crate::requests::{UvShutdown, UvWrite};
use crate::Awaitable as _;
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
    ///
    /// The memory is left uninitialised: only the bytes libuv has written are ever read
    /// (`start..end`), and zeroing 64 KiB per connection was most of the cost of a short
    /// connection (and made every page resident).
    #[inline]
    pub(crate) fn get(&self) -> *mut u8 {
        if self.ptr.get().is_null() {
            self.allocate();
        }
        self.ptr.get()
    }

    #[cold]
    fn allocate(&self) {
        let boxed: Box<[MaybeUninit<u8>]> = Box::new_uninit_slice(READ_BUF);
        self.ptr.set(Box::into_raw(boxed).cast::<u8>());
    }
}

impl Drop for RecvBuf {
    fn drop(&mut self) {
        let p = self.ptr.get();
        if !p.is_null() {
            // SAFETY: `p` came from `Box::into_raw` of a READ_BUF-element boxed slice of
            // `MaybeUninit<u8>` in `get`, and libuv no longer uses it (the owner is dropped
            // after the close callback).
            drop(unsafe {
                Box::from_raw(ptr::slice_from_raw_parts_mut(
                    p.cast::<MaybeUninit<u8>>(),
                    READ_BUF,
                ))
            });
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
    /// Bytes arrive faster than they are read (the last read emptied a full buffer, or a
    /// direct read found some): the next read tries the socket itself first.
    hot: Cell<bool>,
    /// The buffer of a waiting `read_owned`, which libuv reads into when the stream's own
    /// buffer is empty (so the bytes land where the caller wants them, uncopied).
    lent: RefCell<Option<Lent>>,
    /// Whether `lent` holds a buffer: what libuv's callbacks test, once per read, without
    /// borrowing it.
    has_lent: Cell<bool>,
    /// Bytes a dropped `read_owned` received but did not return: `(buffer, first unread)`.
    /// They come before anything in `buf`.
    front: RefCell<Option<(Vec<u8>, usize)>>,
    has_front: Cell<bool>,
}

/// A `read_owned` caller's buffer, held by the stream while the read waits.
struct Lent {
    buf: Vec<u8>,
    /// Its length when lent: bytes from here on arrived while it was lent.
    base_len: usize,
    /// libuv put bytes into it; the next alloc_cb uses the stream's own buffer.
    filled: bool,
    /// The last alloc_cb handed it to libuv (for the read callback to tell).
    handed: bool,
}

impl HandleState for StreamState {
    fn runtime_closing(&self) {
        // A read that finds nothing buffered now reports EBADF (once; then the end, as after
        // any read error), rather than wait on a reading that won't deliver.
        self.reading.set(false);
        self.hot.set(false);
        if !self.eof.get() {
            self.error.set(Some(UvError::EBADF));
        }
        wake(&self.reader);
    }
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
            hot: Cell::new(false),
            lent: RefCell::new(None),
            has_lent: Cell::new(false),
            front: RefCell::new(None),
            has_front: Cell::new(false),
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
        // A reader waits with a buffer of its own: read into that.
        if state.has_lent.get() {
            if let Some(lent) = state.lent.borrow_mut().as_mut() {
                let spare = lent.buf.capacity() - lent.buf.len();
                if !lent.filled && spare > 0 {
                    lent.handed = true;
                    // SAFETY: the Vec's spare capacity, which libuv fills before the read
                    // callback (no task runs in between, so nothing else touches the Vec); the
                    // Vec stays in the stream's state until then.
                    unsafe {
                        (*buf).base = lent.buf.as_mut_ptr().add(lent.buf.len()).cast();
                        (*buf).len = spare;
                    }
                    return;
                }
                lent.handed = false;
            }
        }
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
            let mut lent = state.has_lent.get().then(|| state.lent.borrow_mut());
            match lent.as_mut().and_then(|l| l.as_mut()).filter(|l| l.handed) {
                Some(l) => {
                    l.handed = false;
                    l.filled = true;
                    // SAFETY: libuv wrote `n` bytes into the spare capacity `alloc_cb`
                    // handed it, right after the initialised ones.
                    unsafe { l.buf.set_len(l.buf.len() + n as usize) };
                    true
                }
                None => {
                    state.end.set(state.end.get() + n as usize);
                    state.end.get() < READ_BUF
                }
            }
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

/// An owned write in flight: the caller's buffers and the `uv_buf_t`s pointing into them.
pub(crate) struct OwnedWrite<B, V> {
    bufs: B,
    iov: V,
}

/// An owned write, started: finished at once, or a request the caller awaits.
pub(crate) enum OwnedStart<B: IoBuf> {
    Done(BufResult<(), B>),
    Pending(UvWrite<Keep<OwnedWrite<B, sys::uv_buf_t>>>),
}

impl<B: IoBuf> OwnedStart<B> {
    pub(crate) async fn finish(self) -> BufResult<(), B> {
        match self {
            OwnedStart::Done(done) => done,
            OwnedStart::Pending(op) => {
                let (result, kept) = op.await;
                (result.map_err(io::Error::from), kept.bufs)
            }
        }
    }
}

/// The most a `poll_write` copies into one request (of what the kernel did not take at
/// once); the caller loops over the rest, as `AsyncWrite` callers do.
const COPY_MAX: usize = 64 * 1024;

/// The largest `uv_buf_t` list a stream keeps for the next vectored owned write.
const MAX_SPARE_IOV: usize = 1024;

// `try_write_now` passes `&[IoSlice]` to libuv as `*const uv_buf_t`.
const _: () = {
    assert!(std::mem::size_of::<IoSlice<'static>>() == std::mem::size_of::<sys::uv_buf_t>());
    assert!(std::mem::align_of::<IoSlice<'static>>() == std::mem::align_of::<sys::uv_buf_t>());
};

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
    /// The `uv_buf_t` list of the last vectored owned write, for the next one.
    spare_iov: Vec<sys::uv_buf_t>,
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
            spare_iov: Vec::new(),
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
        // SAFETY: `out` is valid for writes of its length, and initialised memory stays
        // initialised when bytes are copied over it.
        self.poll_read_raw(cx, out.as_mut_ptr(), out.len())
    }

    /// Like [`poll_read`](Self::poll_read), into memory that need not be initialised: fills
    /// the front of `out` and returns how many bytes it filled.
    #[cfg_attr(not(feature = "hyper"), allow(dead_code))]
    pub(crate) fn poll_read_uninit(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut [MaybeUninit<u8>],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_raw(cx, out.as_mut_ptr().cast(), out.len())
    }

    /// Copies buffered bytes to `out` (valid for writes of `len` bytes), or waits for some.
    ///
    /// Inline, with what is not a plain copy out of the buffer out of line: this runs twice per
    /// message on a request/response stream (the poll that waits, the one that copies), and
    /// as one function its register saves alone cost more than the copy's bookkeeping.
    #[inline]
    fn poll_read_raw(
        &self,
        cx: &mut Context<'_>,
        out: *mut u8,
        len: usize,
    ) -> Poll<io::Result<usize>> {
        let state = self.handle.state();
        let (start, end) = (state.start.get(), state.end.get());
        if !state.has_front.get() && len != 0 {
            if start != end {
                return Poll::Ready(Ok(self.take_from_buf(out, len, start, end)));
            }
            // Nothing yet, libuv is reading, and nothing else to report: wait. (While reading,
            // the read side has neither ended nor failed: the read callback stops reading
            // when it records either.)
            if state.reading.get() && !state.hot.get() {
                register(&state.reader, cx);
                return Poll::Pending;
            }
        }
        self.poll_read_rest(cx, out, len)
    }

    /// The rest of [`poll_read_raw`](Self::poll_read_raw): bytes a dropped `read_owned` left,
    /// an error, the end of the stream, a direct read, or waiting.
    #[inline(never)]
    fn poll_read_rest(
        &self,
        cx: &mut Context<'_>,
        out: *mut u8,
        len: usize,
    ) -> Poll<io::Result<usize>> {
        let state = self.handle.state();
        if let Some(n) = self.take_buffered(out, len, true) {
            return Poll::Ready(Ok(n));
        }
        if let Some(err) = state.error.take() {
            // Reported once; after that the read side is over, like at EOF.
            state.eof.set(true);
            return Poll::Ready(Err(err.into()));
        }
        if state.eof.get() || len == 0 {
            return Poll::Ready(Ok(0));
        }
        if state.hot.get() {
            if let Some(done) = self.read_directly(out, len) {
                return Poll::Ready(done);
            }
        }
        if let Err(err) = self.start_reading() {
            state.eof.set(true);
            return Poll::Ready(Err(err.into()));
        }
        register(&state.reader, cx);
        Poll::Pending
    }

    /// On a stream that is delivering faster than it is read (`hot`), reads from the socket
    /// straight into `out` during this poll, saving the copy out of the stream's buffer.
    /// `None` when the socket has nothing now (and the stream is no longer hot).
    ///
    /// Only called with nothing buffered, so no byte overtakes another. libuv may be reading
    /// too; its next read finds the socket empty, which it reports as "nothing yet". A
    /// stream carrying small exchanges never turns hot, and so costs no failing read(2).
    fn read_directly(&self, out: *mut u8, len: usize) -> Option<io::Result<usize>> {
        let state = self.handle.state();
        let mut fd: sys::uv_os_fd_t = -1;
        // SAFETY: a live stream handle; libuv writes the fd into `fd`.
        if unsafe { sys::uv_fileno(self.handle.as_ptr().cast(), &mut fd) } != 0 {
            state.hot.set(false);
            return None;
        }
        // SAFETY: `fd` is the stream's open, non-blocking socket (libuv made it so); `out` is
        // valid for writes of `len` bytes, and read(2) writes at most that many.
        let ret = unsafe { libc::read(fd, out.cast(), len) };
        let done = match ret {
            0 => {
                self.end_reading();
                Ok(0)
            }
            n if n > 0 => Ok(n as usize),
            _ => {
                let err = io::Error::last_os_error();
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) {
                    state.hot.set(false);
                    return None;
                }
                self.end_reading();
                Err(err)
            }
        };
        Some(done)
    }

    /// The read side is over (EOF or an error seen by a direct read): libuv stops reading.
    fn end_reading(&self) {
        let state = self.handle.state();
        state.eof.set(true);
        state.hot.set(false);
        if state.reading.replace(false) {
            // SAFETY: a live stream handle; stopping a reading stream is always allowed.
            unsafe { sys::uv_read_stop(self.stream()) };
        }
    }

    /// Copies up to `len` buffered bytes to `out`, consuming them if `consume`; `None` when
    /// nothing is buffered.
    fn take_buffered(&self, out: *mut u8, len: usize, consume: bool) -> Option<usize> {
        let state = self.handle.state();
        if state.has_front.get() {
            return Some(self.take_front(out, len, consume));
        }
        let (start, end) = (state.start.get(), state.end.get());
        if start == end {
            return None;
        }
        if consume {
            return Some(self.take_from_buf(out, len, start, end));
        }
        let n = len.min(end - start);
        // SAFETY: as in `take_from_buf`.
        unsafe { ptr::copy_nonoverlapping(state.buf.get().add(start), out, n) };
        Some(n)
    }

    /// Moves up to `len` of the buffered bytes `buf[start..end]` (not empty) to `out`.
    #[inline]
    fn take_from_buf(&self, out: *mut u8, len: usize, start: usize, end: usize) -> usize {
        let state = self.handle.state();
        let n = len.min(end - start);
        // SAFETY: `buf[start..end]` holds bytes libuv has written; libuv is not writing now
        // (callbacks never run during a poll), and `out` is valid for `len >= n` bytes of a
        // distinct allocation (the caller's, never the stream's own buffer).
        unsafe { ptr::copy_nonoverlapping(state.buf.get().add(start), out, n) };
        // Emptying a buffer that libuv had filled: more is likely waiting in the socket.
        if start + n == end && end == READ_BUF {
            state.hot.set(true);
        }
        state.start.set(start + n);
        // Room again after a full buffer stopped reading: let more arrive meanwhile. (An
        // error starting is reported by the next read, after these bytes.)
        if !state.reading.get() {
            self.restart_reading();
        }
        n
    }

    #[cold]
    fn restart_reading(&self) {
        if let Err(err) = self.start_reading() {
            self.handle.state().error.set(Some(err));
        }
    }

    /// `take_buffered` from the bytes a dropped `read_owned` left.
    #[cold]
    fn take_front(&self, out: *mut u8, len: usize, consume: bool) -> usize {
        let state = self.handle.state();
        let mut front = state.front.borrow_mut();
        let (bytes, pos) = front.as_mut().expect("has_front");
        let n = len.min(bytes.len() - *pos);
        // SAFETY: `out` is valid for `len >= n` bytes of the caller's, which don't overlap
        // the Vec's.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr().add(*pos), out, n) };
        if consume {
            *pos += n;
            if *pos == bytes.len() {
                *front = None;
                state.has_front.set(false);
            }
        }
        n
    }

    /// Reads into the spare capacity of `buf` (appending; nothing when it has none), and
    /// hands it back with the number of bytes read; 0 means end of stream. When nothing is
    /// buffered the stream holds `buf` while it waits, and libuv reads into it directly.
    pub(crate) fn read_owned(&mut self, buf: Vec<u8>) -> ReadOwned<'_, H> {
        ReadOwned {
            stream: self,
            buf: Some(buf),
        }
    }

    /// Starts libuv reading into the buffer, unless it is already, or reading has ended.
    fn start_reading(&self) -> Result<(), UvError> {
        let state = self.handle.state();
        if state.reading.get() || state.eof.get() || state.error.get().is_some() {
            return Ok(());
        }
        // Allocate before libuv asks for it.
        state.buf.get();
        // SAFETY: a live stream handle of a `Handle<H, StreamState>` block, which is what the
        // callbacks expect.
        let ret =
            unsafe { sys::uv_read_start(self.stream(), Some(alloc_cb::<H>), Some(read_cb::<H>)) };
        UvError::check(ret)?;
        state.reading.set(true);
        Ok(())
    }

    /// A plain `poll_fn`, not an `async fn`: the streams' `read` return it as it is, so that
    /// a read awaited in a loop is one small state machine, not three nested ones.
    pub(crate) fn read<'a>(
        &'a mut self,
        out: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + 'a {
        poll_fn(move |cx| self.poll_read(cx, out))
    }

    /// Waits for the outstanding write request, if any, and recycles its buffer.
    /// Inline for the common case, no request outstanding (the kernel took the last write).
    #[inline]
    pub(crate) fn poll_write_done(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.write.is_none() {
            return Poll::Ready(Ok(()));
        }
        self.poll_write_request(cx)
    }

    #[inline(never)]
    fn poll_write_request(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
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

    /// Writes what the kernel takes of `bufs` now, without queueing: the number of bytes
    /// written, 0 when the socket is full (or writes are queued in libuv).
    fn try_write_now(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        let empty = match bufs {
            [one] => one.is_empty(),
            _ => bufs.iter().all(|b| b.is_empty()),
        };
        if empty {
            return Ok(0);
        }
        let nbufs = bufs.len().min(c_uint::MAX as usize) as c_uint;
        // SAFETY: a live stream. `IoSlice` is ABI-compatible with `struct iovec` (std's
        // guarantee on Unix), and so is `uv_buf_t` on Unix (libuv's: it is declared as
        // `{ char* base; size_t len; }` so that it can be cast to `iovec`); the sizes are
        // checked at compile time below. libuv reads the slices only during this call
        // (try_write never queues).
        let ret = unsafe { sys::uv_try_write(self.stream(), bufs.as_ptr().cast(), nbufs) };
        match UvError::check(ret) {
            Ok(n) => Ok(n as usize),
            Err(UvError::EAGAIN) => Ok(0),
            Err(err) => Err(err.into()),
        }
    }

    /// Writes `bufs` now as far as the kernel takes them, and copies up to `limit` bytes of
    /// the rest into one write request (which [`poll_write_done`](Self::poll_write_done)
    /// then waits for): the number of bytes taken, at least one unless `bufs` is empty. There
    /// must be no outstanding request.
    ///
    /// `poll_write` bounds the copy ([`COPY_MAX`]), so that a large write through the
    /// `AsyncWrite` traits costs at most that much memory beyond the caller's buffer;
    /// `write_all` copies everything, so that a dropped `write_all` still writes its whole
    /// message. Owned writes ([`write_all_owned`](Self::write_all_owned)) copy nothing.
    fn start_write(&mut self, bufs: &[IoSlice<'_>], limit: usize) -> io::Result<usize> {
        debug_assert!(self.write.is_none());
        let done = self.try_write_now(bufs)?;
        // The common case of a small write: the kernel took all of it.
        if let [one] = bufs {
            if done == one.len() {
                return Ok(done);
            }
        }
        self.copy_rest(bufs, done, limit)
    }

    /// `start_write`'s copy of what the kernel did not take, and its request.
    #[inline(never)]
    fn copy_rest(&mut self, bufs: &[IoSlice<'_>], done: usize, limit: usize) -> io::Result<usize> {
        let mut owned = std::mem::take(&mut self.spare);
        let mut skip = done;
        for b in bufs {
            if owned.len() >= limit {
                break;
            }
            if skip >= b.len() {
                skip -= b.len();
                continue;
            }
            let rest = &b[skip..];
            skip = 0;
            let room = limit - owned.len();
            owned.extend_from_slice(&rest[..rest.len().min(room)]);
        }
        let copied = owned.len();
        if copied == 0 {
            self.spare = owned;
            return Ok(done);
        }
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
        Ok(done + copied)
    }

    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(data)])
    }

    pub(crate) fn poll_write_vectored(
        &mut self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_write_done(cx))?;
        Poll::Ready(self.start_write(bufs, COPY_MAX))
    }

    /// As a flat `poll_fn` for the reason `read` is.
    pub(crate) fn write_all<'a>(
        &'a mut self,
        data: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + 'a {
        let mut started = false;
        poll_fn(move |cx| {
            if !started {
                // A request an earlier, dropped write left comes first.
                ready!(self.poll_write_done(cx))?;
                started = true;
                self.start_write(&[IoSlice::new(data)], usize::MAX)?;
            }
            // Ready at once when the kernel took it all (no request).
            self.poll_write_done(cx)
        })
    }

    /// Writes all of `buf`, moving it into the write request rather than copying what the
    /// kernel does not take at once; it comes back with the result. If this future is
    /// dropped, the request still completes in order, and the runtime drops the buffer then.
    pub(crate) async fn write_all_owned<B: IoBuf>(&mut self, buf: B) -> BufResult<(), B> {
        if let Err(err) = poll_fn(|cx| self.poll_write_done(cx)).await {
            return (Err(err), buf);
        }
        self.start_owned(buf).finish().await
    }

    /// Writes what the kernel takes of `buf` now and submits the rest, by ownership, as a
    /// write request (which the caller awaits, not the stream). There must be no outstanding
    /// borrowed-write request.
    pub(crate) fn start_owned<B: IoBuf>(&mut self, buf: B) -> OwnedStart<B> {
        debug_assert!(self.write.is_none());
        let done = match self.try_write_now(&[IoSlice::new(buf.as_bytes())]) {
            Ok(n) => n,
            Err(err) => return OwnedStart::Done((Err(err), buf)),
        };
        if done == buf.bytes_init() {
            return OwnedStart::Done((Ok(()), buf));
        }
        let stream = self.stream();
        let keep = OwnedWrite {
            bufs: buf,
            iov: sys::uv_buf_t {
                base: ptr::null_mut(),
                len: 0,
            },
        };
        // SAFETY: inside a runtime (the handle was made in one). libuv reads the buffer's
        // bytes from `done` on, which `IoBuf` keeps at their address while the value lives
        // in the request slot (until the callback has run), and the uv_buf_t, also in the
        // slot. The stream handle outlives the request: closing it completes the request
        // first.
        let op = unsafe {
            UvWrite::with_keep(keep, move |k| {
                k.iov.base = k.bufs.stable_ptr().add(done).cast_mut().cast();
                k.iov.len = k.bufs.bytes_init() - done;
                (stream, &raw const k.iov, 1)
            })
        };
        OwnedStart::Pending(op)
    }

    /// Writes all of `bufs` in order, in one `uv_write` (a `writev` of all of them as far as
    /// the kernel takes it), moving them into the request instead of copying.
    pub(crate) async fn write_vectored_all_owned<B: IoBuf>(
        &mut self,
        bufs: Vec<B>,
    ) -> BufResult<(), Vec<B>> {
        if let Err(err) = poll_fn(|cx| self.poll_write_done(cx)).await {
            return (Err(err), bufs);
        }
        let mut iov = std::mem::take(&mut self.spare_iov);
        iov.clear();
        iov.extend(
            bufs.iter()
                .map(|b| IoSlice::new(b.as_bytes()))
                .map(|s| sys::uv_buf_t {
                    base: s.as_ptr().cast_mut().cast(),
                    len: s.len(),
                }),
        );
        // SAFETY: `uv_buf_t` and `IoSlice` have the layout of `iovec` (see `try_write_now`),
        // and every entry points into a buffer of `bufs`, alive for this call.
        let slices: &[IoSlice<'_>] =
            unsafe { std::slice::from_raw_parts(iov.as_ptr().cast(), iov.len()) };
        let mut done = match self.try_write_now(slices) {
            Ok(n) => n,
            Err(err) => {
                self.spare_iov = iov;
                return (Err(err), bufs);
            }
        };
        // Drop what the kernel took: whole buffers, then the front of a partly written one.
        let whole = iov.iter().take_while(|b| {
            let all = done >= b.len;
            if all {
                done -= b.len;
            }
            all
        });
        let whole = whole.count();
        iov.drain(..whole);
        if let Some(first) = iov.first_mut() {
            // SAFETY: `done < first.len` bytes of this buffer were written.
            first.base = unsafe { first.base.add(done) };
            first.len -= done;
        }
        if iov.iter().all(|b| b.len == 0) {
            self.spare_iov = iov;
            return (Ok(()), bufs);
        }
        let stream = self.stream();
        let keep = OwnedWrite { bufs, iov };
        // SAFETY: inside a runtime. The uv_buf_t entries point into the buffers of `bufs`,
        // whose bytes `IoBuf` keeps at their addresses while they live in the request slot
        // with the entries themselves (until the callback has run); moving the two Vecs into
        // the slot moves neither heap block. The stream outlives the request, as above.
        let op = unsafe {
            UvWrite::with_keep(keep, move |k| {
                let n = k.iov.len().min(c_uint::MAX as usize) as c_uint;
                (stream, k.iov.as_ptr(), n)
            })
        };
        let (result, kept) = op.await;
        let OwnedWrite { bufs, iov } = kept;
        if iov.capacity() <= MAX_SPARE_IOV {
            self.spare_iov = iov;
        }
        (result.map_err(io::Error::from), bufs)
    }

    /// Copies the next bytes to `out` without consuming them, waiting until some arrive.
    pub(crate) fn poll_peek(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_readable(cx))?;
        let n = self.take_buffered(out.as_mut_ptr(), out.len(), false);
        Poll::Ready(Ok(n.unwrap_or(0)))
    }

    /// Ready when a read would not wait: bytes are buffered, or the read side has ended
    /// (EOF, or an error, which stays for the read to return).
    pub(crate) fn poll_readable(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let state = self.handle.state();
        // An error is left for the next read, which reports it and ends the read side.
        if state.has_front.get()
            || state.start.get() < state.end.get()
            || state.eof.get()
            || state.error.get().is_some()
        {
            return Poll::Ready(Ok(()));
        }
        if let Err(err) = self.start_reading() {
            state.error.set(Some(err));
            return Poll::Ready(Ok(()));
        }
        register(&state.reader, cx);
        Poll::Pending
    }

    /// A read that never waits: [`io::ErrorKind::WouldBlock`] when nothing is buffered.
    /// (Reading starts, so that what arrives next is buffered for the next try.)
    pub(crate) fn try_read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut cx = Context::from_waker(Waker::noop());
        match self.poll_read(&mut cx, out) {
            Poll::Ready(result) => result,
            Poll::Pending => {
                // The no-op waker must not stay registered in place of a real reader's.
                self.handle.state().reader.set(None);
                Err(io::ErrorKind::WouldBlock.into())
            }
        }
    }

    /// A write that never waits or copies: what the kernel takes now, or
    /// [`io::ErrorKind::WouldBlock`] if it takes nothing or an earlier write is still going.
    pub(crate) fn try_write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut cx = Context::from_waker(Waker::noop());
        match self.poll_write_done(&mut cx) {
            Poll::Ready(result) => result?,
            Poll::Pending => return Err(io::ErrorKind::WouldBlock.into()),
        }
        match self.try_write_now(&[IoSlice::new(data)])? {
            0 if !data.is_empty() => Err(io::ErrorKind::WouldBlock.into()),
            n => Ok(n),
        }
    }

    /// `write_all`'s start, for callers that wait themselves: copies what the kernel does
    /// not take into the stream's write request.
    pub(crate) fn start_write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.start_write(&[IoSlice::new(data)], usize::MAX)
            .map(drop)
    }

    /// Shuts the write side down after the pending writes, with nobody waiting for the
    /// result (a dropped write half). Outside a runtime there is no loop to run it on, and
    /// the stream's close sends the FIN instead.
    pub(crate) fn shutdown_in_background(&mut self) {
        if self.shut_down || self.shutdown.is_some() || crate::try_current_loop().is_none() {
            return;
        }
        let stream = self.stream();
        // SAFETY: inside a runtime (checked above); the stream handle outlives the request
        // (closing it completes the request first). Dropping the future orphans the request,
        // whose slot the runtime frees when libuv's callback runs.
        drop(unsafe { UvShutdown::new(stream) });
        self.shut_down = true;
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
        let result = match ready!(std::pin::Pin::new(op).poll(cx)) {
            // The peer has gone (a reset, or a read error, after which libuv refuses to
            // shut down): there is no write side left to shut, which is what was asked.
            // tokio's shutdown(2), made before the reset arrives, succeeds alike.
            Err(UvError::ENOTCONN) => Ok(()),
            other => other,
        };
        self.shutdown = None;
        self.shut_down = result.is_ok();
        Poll::Ready(result.map_err(io::Error::from))
    }

    pub(crate) async fn shutdown(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_shutdown(cx)).await
    }
}

/// The future of [`Stream::read_owned`].
pub(crate) struct ReadOwned<'a, H: UvStream> {
    stream: &'a mut Stream<H>,
    /// `None` while the stream holds it (`StreamState::lent`).
    buf: Option<Vec<u8>>,
}

impl<H: UvStream> Future for ReadOwned<'_, H> {
    type Output = BufResult<usize, Vec<u8>>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.stream.poll_read_owned(cx, &mut this.buf)
    }
}

impl<H: UvStream> Drop for ReadOwned<'_, H> {
    fn drop(&mut self) {
        if self.buf.is_none() {
            self.stream.reclaim_lent();
        }
    }
}

impl<H: UvStream> Stream<H> {
    /// `read_owned`'s poll: `buf` is the caller's buffer until it is lent to the stream
    /// (`None` from then on, until the result gives it back).
    pub(crate) fn poll_read_owned(
        &self,
        cx: &mut Context<'_>,
        buf: &mut Option<Vec<u8>>,
    ) -> Poll<BufResult<usize, Vec<u8>>> {
        let state = self.handle.state();
        if let Some(mut buf) = buf.take() {
            let (len, spare) = (buf.len(), buf.capacity() - buf.len());
            if spare == 0 {
                return Poll::Ready((Ok(0), buf));
            }
            // SAFETY: the spare capacity is valid for writes of `spare` bytes; `set_len`
            // below covers only those written.
            let out = unsafe { buf.as_mut_ptr().add(len) };
            return match self.poll_read_raw(cx, out, spare) {
                Poll::Ready(Ok(n)) => {
                    // SAFETY: `n <= spare` bytes after `len` were just written.
                    unsafe { buf.set_len(len + n) };
                    Poll::Ready((Ok(n), buf))
                }
                Poll::Ready(Err(err)) => Poll::Ready((Err(err), buf)),
                Poll::Pending => {
                    // Reading has started and the waker is registered: lend the buffer.
                    *state.lent.borrow_mut() = Some(Lent {
                        buf,
                        base_len: len,
                        filled: false,
                        handed: false,
                    });
                    state.has_lent.set(true);
                    Poll::Pending
                }
            };
        }
        let filled = state.lent.borrow().as_ref().is_some_and(|l| l.filled);
        if filled || state.eof.get() || state.error.get().is_some() {
            let lent = state.lent.borrow_mut().take().expect("lent while waiting");
            state.has_lent.set(false);
            let mut buf = lent.buf;
            if filled {
                return Poll::Ready((Ok(buf.len() - lent.base_len), buf));
            }
            // The read side ended while lent: answer as a read does (error once, then 0).
            // SAFETY: as above, into the spare capacity (nothing is buffered: only EOF or the
            // error can be left).
            let out = unsafe { buf.as_mut_ptr().add(buf.len()) };
            let spare = buf.capacity() - buf.len();
            return match self.poll_read_raw(cx, out, spare) {
                Poll::Ready(Ok(n)) => {
                    // SAFETY: `n` bytes were written after the initialised ones.
                    unsafe { buf.set_len(buf.len() + n) };
                    Poll::Ready((Ok(n), buf))
                }
                Poll::Ready(Err(err)) => Poll::Ready((Err(err), buf)),
                Poll::Pending => unreachable!("a read after EOF or an error is ready"),
            };
        }
        // A wake before any bytes: wait on.
        if let Err(err) = self.start_reading() {
            state.error.set(Some(err));
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        register(&state.reader, cx);
        Poll::Pending
    }

    /// A `read_owned` dropped while its buffer was lent: the stream drops the buffer, and
    /// keeps bytes that arrived in it, in front, for the next read.
    pub(crate) fn reclaim_lent(&self) {
        let state = self.handle.state();
        let Some(lent) = state.lent.borrow_mut().take() else {
            return;
        };
        state.has_lent.set(false);
        if lent.buf.len() > lent.base_len {
            *state.front.borrow_mut() = Some((lent.buf, lent.base_len));
            state.has_front.set(true);
        }
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
        // Closed by its runtime: no connection callback will come.
        self.handle.check_open()?;
        waiter.register(cx);
        Poll::Pending
    }
}

impl<H: UvStream> HandleState for ListenState<H> {
    fn runtime_closing(&self) {
        // `poll_accept` finds the handle closed (`EBADF`).
        self.acceptors.wake_all();
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
