//! `File`: an open file descriptor, read and written with owned buffers, or as a
//! `futures-io` stream with a cursor.

use std::cell::RefCell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io::{self, IoSlice, SeekFrom};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::raw::c_int;
use std::path::Path;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::task::{ready, Context, Poll, Waker};

use super::fd::Fd;
use super::one_hop::{self, OnPool, PoolJob};
use super::{Metadata, OpenOptions, Permissions};
use crate::requests::{
    UvFsClose, UvFsFchmod, UvFsFdatasync, UvFsFstat, UvFsFsync, UvFsFtruncate, UvFsRead, UvFsWrite,
};
use crate::Awaitable as _;
use crate::{sys, Keep, UvError};

/// An open file, as in `std::fs::File`, whose reads and writes are libuv requests.
///
/// A `File` has two APIs, which can be mixed:
///
/// - **owned buffers**: [`read_owned`](File::read_owned), [`write_owned`](File::write_owned), [`read_at`](File::read_at),
///   [`write_at`](File::write_at), [`read_to_end_owned`](File::read_to_end_owned) and
///   [`write_all_owned`](File::write_all_owned) take the buffer by value and give it back with the result
///   (the tokio-uring style): libuv fills or drains that very buffer on the threadpool, with
///   no copy;
/// - **a stream**, as tokio's `fs::File`: [`futures_io::AsyncRead`], [`AsyncBufRead`],
///   [`AsyncWrite`] and [`AsyncSeek`], with [`seek`](File::seek), [`rewind`](File::rewind),
///   [`stream_position`](File::stream_position) and [`flush`](File::flush). The stream keeps
///   a buffer of its own (up to [`max_buf_size`](File::set_max_buf_size) bytes, 2 MiB by
///   default), which the request slot owns while libuv reads into or writes from it; data is
///   copied between it and the caller's slices. Memory libuv writes into is never the
///   caller's, so a `poll_read` that is never polled again leaves nothing behind but the
///   bytes it read, which the next read returns.
///
/// [`futures_io::AsyncRead`]: futures_io::AsyncRead
/// [`AsyncBufRead`]: futures_io::AsyncBufRead
/// [`AsyncWrite`]: futures_io::AsyncWrite
/// [`AsyncSeek`]: futures_io::AsyncSeek
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use uvco::fs::File;
///
/// let path = std::env::temp_dir().join(format!("uvco-file-doc-{}", std::process::id()));
/// let mut file = File::create(&path).await?;
/// let (res, _) = file.write_all_owned(b"hello, file".to_vec()).await;
/// res?;
/// file.close().await?;
///
/// let mut file = File::open(&path).await?;
/// let (n, buf) = file.read_owned(Vec::with_capacity(64)).await;
/// assert_eq!(n?, 11);
/// assert_eq!(buf, b"hello, file");
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// # As a stream
///
/// The stream follows tokio's `File`: at most one request is in flight per file. A write is
/// reported done once its bytes are in the file's buffer, and is written in the background;
/// the next write, read, seek (or [`flush`](File::flush), [`sync_all`](File::sync_all), ...)
/// waits for it, and the error of a background write is reported by the next write or flush.
/// Call [`flush`](File::flush) (or `poll_flush`) to know that everything written has reached
/// the kernel. A read asks for at most the length of the caller's slice; a seek during a
/// write in flight waits for it first. A `File` dropped with a write in flight still
/// completes that write in the background, in a task of its own (its error is lost, as with
/// tokio), unless the runtime is dropped first: that cancels the write if no pool thread has
/// started it yet. Flush before dropping what must be written.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use std::future::poll_fn;
/// use std::io::SeekFrom;
/// use std::pin::Pin;
/// use futures_io::{AsyncRead, AsyncWrite};
/// use uvco::fs::File;
///
/// let path = std::env::temp_dir().join(format!("uvco-file-stream-{}", std::process::id()));
/// let mut file = File::options().read(true).write(true).create(true).truncate(true).open(&path).await?;
/// let n = poll_fn(|cx| Pin::new(&mut file).poll_write(cx, b"hello, stream")).await?;
/// assert_eq!(n, 13);
/// file.flush().await?;
/// assert_eq!(file.seek(SeekFrom::Start(7)).await?, 7);
/// let mut word = [0; 6];
/// let n = poll_fn(|cx| Pin::new(&mut file).poll_read(cx, &mut word)).await?;
/// assert_eq!(&word[..n], b"stream");
/// assert_eq!(file.stream_position().await?, 13);
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// The owned-buffer calls are named `*_owned` (as `read_owned` on the net streams), so that
/// with the extension traits of `futures-util` (`AsyncReadExt`, `AsyncWriteExt`) in scope,
/// `file.read(&mut buf)`, `file.write_all(b"...")` and `file.read_to_end(&mut v)` are the
/// traits' and work as written.
///
/// # Closing
///
/// [`close`](File::close) waits for a stream write in flight, then closes on the threadpool
/// and reports close(2)'s error. Dropping a `File` inside a runtime submits a detached
/// `uv_fs_close`, so that close(2) (which can block, on network file systems for one) stays
/// off the loop thread; its error is ignored, as `std::fs::File` ignores it. Outside a
/// runtime, drop closes directly.
///
/// The fd stays open while a request of a dropped read or write future is still running:
/// each request holds a reference to it, so a closed and reused fd number can never receive
/// another file's bytes.
///
/// # Cancellation
///
/// Dropping a future of this type is safe, but it doesn't undo or stop a request that
/// libuv's threadpool has already started: that request runs to its end in the background
/// (only one not yet started is cancelled). For [`read_owned`](File::read_owned),
/// [`read_to_end_owned`](File::read_to_end_owned), [`write_owned`](File::write_owned) and
/// [`write_all_owned`](File::write_all_owned), which use the file's current position, this means:
///
/// - a dropped read may still consume bytes, advancing the position, and those bytes are
///   lost;
/// - a dropped write may still write its bytes (for `write_all`, the chunk in flight;
///   the chunks after it are not written), advancing the position;
/// - the call made after the drop is submitted at once, and its request may run on another
///   threadpool thread before the orphaned one or at the same time. Nothing orders the two:
///   a later `write` may land before the dropped one's bytes, and a later `read` may see the
///   position before or after them. Requests that don't use the position
///   ([`set_len`](File::set_len), [`sync_all`](File::sync_all), [`metadata`](File::metadata),
///   ...) aren't ordered after the orphaned request either.
///
/// So for I/O that may be cancelled (under a timeout or `select!`), use the stream API (whose
/// request belongs to the `File`, not to a future, so that nothing is lost or reordered), or
/// [`read_at`](File::read_at) and [`write_at`](File::write_at), whose explicit offsets make
/// a late request touch only its own range (a dropped `write_at` may still write that
/// range later, so don't write over it again until it had time to finish), or don't reuse
/// the `File` for position-based I/O after dropping one of its owned-buffer writes or reads:
/// drop it (its fd is closed once the orphaned request is done) and open the file again.
///
/// # Threads
///
/// A `File` is neither `Send` nor `Sync`: its fd is shared, through an `Rc`, with the slots
/// of its requests in flight, which belong to the loop of the thread that made them, and
/// dropping it closes the fd with a request on that thread's loop. A file for another
/// thread can be had from [`into_std`](File::into_std), or from
/// [`as_fd`](AsFd::as_fd)`().try_clone_to_owned()` (a `dup`, which shares the position).
pub struct File {
    /// Shared with the slots of in-flight requests; the last owner closes it (`OwnedFd`).
    fd: Rc<Fd>,
    /// The stream API's state. Borrowed only inside one poll, never across an await.
    stream: RefCell<Stream>,
}

/// What a read or write request keeps in its slot until libuv's callback: the fd (so that it
/// stays open), the bytes, and the `uv_buf_t` describing them.
struct BufKeep {
    fd: Rc<Fd>,
    buf: Vec<u8>,
    uv: sys::uv_buf_t,
}

const NO_BUF: sys::uv_buf_t = sys::uv_buf_t {
    base: std::ptr::null_mut(),
    len: 0,
};

/// The largest request the stream makes by default, as tokio's `File`.
const DEFAULT_MAX_BUF_SIZE: usize = 2 * 1024 * 1024;

/// What `poll_fill_buf` asks for, when the buffer is empty.
const FILL_SIZE: usize = 8 * 1024;

/// The offset argument of a positional request.
fn offset(offset: u64) -> io::Result<i64> {
    i64::try_from(offset)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "file offset above i64::MAX"))
}

/// The byte count of a finished read or write request, as an `io::Result`.
fn count(res: Result<usize, UvError>) -> io::Result<usize> {
    res.map_err(Into::into)
}

/// Submits a read of at most `len` bytes into the spare capacity of `keep.buf`, at `offset`
/// (below 0: the current position).
fn submit_read(keep: BufKeep, len: usize, offset: i64) -> UvFsRead<Keep<BufKeep>> {
    // SAFETY: libuv writes into the Vec's spare capacity (at most `len` bytes of it), and
    // reads the uv_buf_t, until its callback has run; both are owned by `keep`, which stays
    // in the request's slot until then (moving a Vec doesn't move its heap bytes). The Rc
    // keeps the fd open as long.
    unsafe {
        UvFsRead::with_keep(keep, move |k| {
            let spare = k.buf.spare_capacity_mut();
            k.uv = sys::uv_buf_t {
                base: spare.as_mut_ptr().cast(),
                len: spare.len().min(len),
            };
            (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
        })
    }
}

/// Submits a write of `keep.buf[start..]` at `offset` (below 0: the current position).
fn submit_write(keep: BufKeep, start: usize, offset: i64) -> UvFsWrite<Keep<BufKeep>> {
    // SAFETY: libuv reads `buf[start..]` and the uv_buf_t until its callback has run; both
    // are owned by `keep`, which stays in the request's slot until then. libuv only reads
    // through the `*mut` base of a write buffer. The Rc keeps the fd open as long.
    unsafe {
        UvFsWrite::with_keep(keep, move |k| {
            let bytes = &k.buf[start.min(k.buf.len())..];
            k.uv = sys::uv_buf_t {
                base: bytes.as_ptr().cast_mut().cast(),
                len: bytes.len(),
            };
            (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
        })
    }
}

/// Grows `buf`'s length by what a read into its spare capacity gave.
fn filled(buf: &mut Vec<u8>, res: Result<usize, UvError>) -> io::Result<usize> {
    let n = count(res)?.min(buf.capacity() - buf.len());
    // SAFETY: libuv wrote `n` bytes (never more than the spare length it was given) right
    // after the initialised part.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

/// Reads into the spare capacity of `buf` at `offset` (below 0: the current position).
async fn read_owned(fd: &Rc<Fd>, buf: Vec<u8>, offset: i64) -> (io::Result<usize>, Vec<u8>) {
    let spare = buf.capacity() - buf.len();
    if spare == 0 {
        return (Ok(0), buf);
    }
    let keep = BufKeep {
        fd: Rc::clone(fd),
        buf,
        uv: NO_BUF,
    };
    let (res, BufKeep { mut buf, .. }) = submit_read(keep, spare, offset).await;
    (filled(&mut buf, res), buf)
}

/// Writes `buf[start..]` at `offset` (below 0: the current position).
async fn write_owned(
    fd: &Rc<Fd>,
    buf: Vec<u8>,
    start: usize,
    offset: i64,
) -> (io::Result<usize>, Vec<u8>) {
    if start >= buf.len() {
        return (Ok(0), buf);
    }
    let keep = BufKeep {
        fd: Rc::clone(fd),
        buf,
        uv: NO_BUF,
    };
    let (res, BufKeep { buf, .. }) = submit_write(keep, start, offset).await;
    (count(res), buf)
}

/// lseek(2) on the loop thread, for `SEEK_SET` and `SEEK_CUR`: Linux only moves the open
/// file's offset for those (network and FUSE file systems included), with no I/O, so it
/// doesn't block. `SEEK_END`, which may ask a file server for the size, runs on the pool.
fn lseek(fd: RawFd, offset: i64, whence: c_int) -> io::Result<u64> {
    // SAFETY: lseek(2) takes no pointers; on a bad fd it fails with EBADF.
    let pos = unsafe { libc::lseek(fd, offset, whence) };
    if pos < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(pos as u64)
    }
}

fn invalid_seek() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "invalid seek to a negative or overflowing position",
    )
}

/// A value that only the loop thread touches, inside a job that crosses to a pool thread.
struct LoopOnly<T>(T);

// SAFETY: a `LoopOnly` is created, read and dropped on the loop thread only: `SeekEnd::run`,
// the only code that runs on the pool thread, never touches it, and libuv runs the
// after-work callback, which drops an orphaned job, on the loop thread.
unsafe impl<T> Send for LoopOnly<T> {}

/// `lseek(fd, offset, SEEK_END)` on a pool thread.
struct SeekEnd {
    raw: RawFd,
    /// Keeps `raw` open (and its number not reused) until the job is done.
    _fd: LoopOnly<Rc<Fd>>,
    offset: i64,
    result: io::Result<u64>,
}

impl PoolJob for SeekEnd {
    type Output = io::Result<u64>;

    fn run(&mut self, _cancelled: &AtomicBool) {
        self.result = lseek(self.raw, self.offset, libc::SEEK_END);
    }

    fn finish(self) -> io::Result<u64> {
        self.result
    }
}

/// The one request of the stream API in flight, which the `File` owns (not a future).
enum State {
    Idle,
    Read(UvFsRead<Keep<BufKeep>>),
    /// A write of the buffer, from `.1` on (after a short write, the rest is resubmitted).
    Write(UvFsWrite<Keep<BufKeep>>, usize),
    /// A seek to `End(.1)`.
    SeekEnd(OnPool<SeekEnd>, i64),
}

/// The stream API's state.
struct Stream {
    state: State,
    /// While idle: bytes read ahead are `buf[pos..]`. While a read or write is in flight it
    /// is in the request's slot, and this is an empty Vec.
    buf: Vec<u8>,
    pos: usize,
    max_buf_size: usize,
    /// The last read found the end of the file: the next read returns 0 without a request.
    eof: bool,
    /// The error of the last read, for the next read.
    read_err: Option<io::Error>,
    /// The error of a background write, for the next write or flush.
    write_err: Option<io::Error>,
    /// A seek to the end that completed, with its target, for the `poll_seek` that asked.
    seeked: Option<(i64, io::Result<u64>)>,
    /// The waker the request in flight was last polled with through a shared reference, and
    /// the others that waited meanwhile (woken when it completes).
    polled_by: Option<Waker>,
    waiters: Vec<Waker>,
    /// The stream of a task that finishes a dropped file's write: dropped in turn (when its
    /// runtime drops the task), it lets the request go rather than spawn again.
    finishing: bool,
}

impl Stream {
    fn new() -> Stream {
        Stream {
            state: State::Idle,
            buf: Vec::new(),
            pos: 0,
            max_buf_size: DEFAULT_MAX_BUF_SIZE,
            eof: false,
            read_err: None,
            write_err: None,
            seeked: None,
            polled_by: None,
            waiters: Vec::new(),
            finishing: false,
        }
    }

    fn ahead(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Drives the request in flight to its end (resubmitting the rest of a short write).
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            match &mut self.state {
                State::Idle => return Poll::Ready(()),
                State::Read(op) => {
                    let (res, mut keep) = ready!(Pin::new(op).poll(cx));
                    match filled(&mut keep.buf, res) {
                        Ok(n) => self.eof = n == 0,
                        Err(err) => self.read_err = Some(err),
                    }
                    self.buf = keep.buf;
                    self.pos = 0;
                }
                State::Write(op, start) => {
                    let start = *start;
                    let (res, mut keep) = ready!(Pin::new(op).poll(cx));
                    let rest = match count(res) {
                        Ok(0) if start < keep.buf.len() => {
                            self.write_err = Some(io::ErrorKind::WriteZero.into());
                            None
                        }
                        Ok(n) => Some(start + n).filter(|&at| at < keep.buf.len()),
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => Some(start),
                        Err(err) => {
                            self.write_err = Some(err);
                            None
                        }
                    };
                    if let Some(at) = rest {
                        self.state = State::Write(submit_write(keep, at, -1), at);
                        continue;
                    }
                    keep.buf.clear();
                    self.buf = keep.buf;
                    self.pos = 0;
                }
                State::SeekEnd(op, to) => {
                    let to = *to;
                    let res = ready!(Pin::new(op).poll(cx));
                    self.seeked = Some((to, res.and_then(|pos| pos)));
                }
            }
            self.state = State::Idle;
            self.polled_by = None;
            for waker in self.waiters.drain(..) {
                waker.wake();
            }
        }
    }

    /// [`poll_idle`](Stream::poll_idle) for a waiter that holds only a shared reference, of
    /// which there may be several (in several tasks): each is woken when the request
    /// completes, whoever polls it last.
    fn poll_idle_shared(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.poll_idle(cx).is_ready() {
            return Poll::Ready(());
        }
        match &self.polled_by {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => {
                if let Some(prev) = self.polled_by.replace(cx.waker().clone()) {
                    if !self.waiters.iter().any(|w| w.will_wake(&prev)) {
                        self.waiters.push(prev);
                    }
                }
            }
        }
        Poll::Pending
    }

    /// Forgets what was read ahead, moving the file's position back over it.
    fn unread(&mut self, fd: &Fd) -> io::Result<()> {
        let ahead = self.ahead();
        if ahead > 0 {
            let back = i64::try_from(ahead).map_err(|_| invalid_seek())?;
            lseek(fd.as_raw_fd(), -back, libc::SEEK_CUR)?;
        }
        self.forget();
        Ok(())
    }

    /// Forgets what was read ahead and what the last read or seek left to report.
    fn forget(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.eof = false;
        self.read_err = None;
        self.seeked = None;
    }

    fn start_read(&mut self, fd: &Rc<Fd>, want: usize) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        buf.reserve(want);
        self.pos = 0;
        self.seeked = None;
        let keep = BufKeep {
            fd: Rc::clone(fd),
            buf,
            uv: NO_BUF,
        };
        self.state = State::Read(submit_read(keep, want, -1));
    }

    fn poll_read(
        &mut self,
        fd: &Rc<Fd>,
        cx: &mut Context<'_>,
        dst: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.poll_idle(cx));
            if self.pos < self.buf.len() {
                let n = self.ahead().min(dst.len());
                dst[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                return Poll::Ready(Ok(n));
            }
            if let Some(err) = self.read_err.take() {
                return Poll::Ready(Err(err));
            }
            if std::mem::take(&mut self.eof) || dst.is_empty() {
                return Poll::Ready(Ok(0));
            }
            self.start_read(fd, dst.len().min(self.max_buf_size));
        }
    }

    fn poll_fill_buf(&mut self, fd: &Rc<Fd>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        loop {
            ready!(self.poll_idle(cx));
            if self.pos < self.buf.len() || std::mem::take(&mut self.eof) {
                break;
            }
            if let Some(err) = self.read_err.take() {
                return Poll::Ready(Err(err));
            }
            self.start_read(fd, FILL_SIZE.min(self.max_buf_size));
        }
        Poll::Ready(Ok(&self.buf[self.pos..]))
    }

    fn poll_write(
        &mut self,
        fd: &Rc<Fd>,
        cx: &mut Context<'_>,
        src: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_idle(cx));
        if let Some(err) = self.write_err.take() {
            return Poll::Ready(Err(err));
        }
        if src.iter().all(|s| s.is_empty()) {
            return Poll::Ready(Ok(0));
        }
        self.unread(fd)?;
        let mut buf = std::mem::take(&mut self.buf);
        for s in src {
            let room = self.max_buf_size.saturating_sub(buf.len());
            if room == 0 {
                break;
            }
            buf.extend_from_slice(&s[..s.len().min(room)]);
        }
        let n = buf.len();
        let keep = BufKeep {
            fd: Rc::clone(fd),
            buf,
            uv: NO_BUF,
        };
        self.state = State::Write(submit_write(keep, 0, -1), 0);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_idle(cx));
        match self.write_err.take() {
            Some(err) => Poll::Ready(Err(err)),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_seek(
        &mut self,
        fd: &Rc<Fd>,
        cx: &mut Context<'_>,
        pos: SeekFrom,
    ) -> Poll<io::Result<u64>> {
        loop {
            ready!(self.poll_idle(cx));
            if let Some((to, res)) = self.seeked.take() {
                if pos == SeekFrom::End(to) {
                    return Poll::Ready(res);
                }
            }
            let raw = fd.as_raw_fd();
            let res = match pos {
                SeekFrom::Start(to) => i64::try_from(to)
                    .map_err(|_| invalid_seek())
                    .and_then(|to| lseek(raw, to, libc::SEEK_SET)),
                // One lseek, from the file's position (past what was read ahead).
                SeekFrom::Current(by) => i64::try_from(self.ahead())
                    .ok()
                    .and_then(|ahead| by.checked_sub(ahead))
                    .ok_or_else(invalid_seek)
                    .and_then(|by| lseek(raw, by, libc::SEEK_CUR)),
                SeekFrom::End(to) => {
                    self.unread(fd)?;
                    let job = SeekEnd {
                        raw,
                        _fd: LoopOnly(Rc::clone(fd)),
                        offset: to,
                        result: Err(io::ErrorKind::Interrupted.into()),
                    };
                    self.state = State::SeekEnd(one_hop::run(job), to);
                    continue;
                }
            };
            if res.is_ok() {
                self.forget();
            }
            return Poll::Ready(res);
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // A write reported done must still happen: finish it in a task of its own (a frame
        // from the free list), as tokio's blocking write goes on without its `File`. Outside
        // a runtime, or when that task is dropped unfinished (its runtime shuts down), the
        // request is dropped, which cancels it if no pool thread has started it.
        if matches!(self.state, State::Write(..))
            && !self.finishing
            && crate::try_current_loop().is_some()
        {
            let mut rest = Stream::new();
            rest.finishing = true;
            rest.state = std::mem::replace(&mut self.state, State::Idle);
            crate::spawn_local(async move { poll_fn(|cx| rest.poll_idle(cx)).await }).detach();
        }
    }
}

/// Waits, through a shared reference, until the stream API has no request in flight.
struct Settle<'a> {
    stream: &'a RefCell<Stream>,
    waiting: bool,
}

impl Future for Settle<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Ok(mut stream) = self.stream.try_borrow_mut() else {
            // Only inside another poll of the same file (a waker that polls in place): retry.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        let poll = stream.poll_idle_shared(cx);
        drop(stream);
        self.waiting = poll.is_pending();
        poll
    }
}

impl Drop for Settle<'_> {
    fn drop(&mut self) {
        // The request may hold our waker alone: hand the wait over to the others.
        if self.waiting {
            if let Ok(mut stream) = self.stream.try_borrow_mut() {
                stream.polled_by = None;
                for waker in stream.waiters.drain(..) {
                    waker.wake();
                }
            }
        }
    }
}

impl File {
    /// Takes ownership of a file descriptor that libuv just opened.
    ///
    /// # Safety
    /// `fd` is an open file descriptor that nothing else owns or closes.
    pub(crate) unsafe fn from_new_fd(fd: c_int) -> File {
        // SAFETY: per the contract.
        File::from(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// Opens `path` for reading.
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new().read(true).open(path).await
    }

    /// Opens `path` for writing, creating it or truncating it.
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .await
    }

    /// Creates `path` for reading and writing, failing with `AlreadyExists` if it exists.
    pub async fn create_new(path: impl AsRef<Path>) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .await
    }

    /// A new [`OpenOptions`].
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// Converts a `std::fs::File` (as [`From`] does), for the stream API or the owned-buffer
    /// calls; its position is where the stream starts.
    ///
    /// ```
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let path = std::env::temp_dir().join(format!("uvco-from-std-{}", std::process::id()));
    /// std::fs::write(&path, "abc")?;
    /// let file = uvco::fs::File::from_std(std::fs::File::open(&path)?);
    /// assert_eq!(file.metadata().await?.len(), 3);
    /// # uvco::fs::remove_file(&path).await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn from_std(file: std::fs::File) -> File {
        File::from(file)
    }

    /// Waits until the stream API has no request in flight. With `write_err`, reports the
    /// error of a background write. With `unread`, forgets what the stream read ahead
    /// (moving the file's position back over it), so that the kernel's position is the
    /// stream's, and no stale bytes stay buffered.
    async fn settle(&self, write_err: bool, unread: bool) -> io::Result<()> {
        Settle {
            stream: &self.stream,
            waiting: false,
        }
        .await;
        let mut stream = self.stream.borrow_mut();
        if write_err {
            if let Some(err) = stream.write_err.take() {
                return Err(err);
            }
        }
        if unread {
            stream.unread(&self.fd)?;
        }
        Ok(())
    }

    /// Reads at the current position into the spare capacity of `buf`,
    /// `buf[buf.len()..buf.capacity()]`, and grows its length by the count read, which is
    /// returned with the buffer. `Ok(0)` means end of file, or that `buf` had no spare
    /// capacity (then nothing is submitted). Dropping the future before it completes may
    /// lose bytes read from the file, and leaves the position undetermined (see
    /// [Cancellation](File#cancellation)).
    pub async fn read_owned(&mut self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        if let Err(err) = self.settle(false, true).await {
            return (Err(err), buf);
        }
        read_owned(&self.fd, buf, -1).await
    }

    /// As [`read_owned`](File::read_owned), at `offset` from the start of the file
    /// (pread(2)), leaving the current position alone. A stream write in flight is waited for first.
    pub async fn read_at(&self, buf: Vec<u8>, offset: u64) -> (io::Result<usize>, Vec<u8>) {
        let offset = match self::offset(offset) {
            Ok(offset) => offset,
            Err(err) => return (Err(err), buf),
        };
        if let Err(err) = self.settle(false, false).await {
            return (Err(err), buf);
        }
        read_owned(&self.fd, buf, offset).await
    }

    /// Reads from the current position to the end of the file, appending to `buf` (which
    /// grows as needed), and returns the count read.
    pub async fn read_to_end_owned(&mut self, mut buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        if let Err(err) = self.settle(false, true).await {
            return (Err(err), buf);
        }
        let start = buf.len();
        loop {
            if buf.len() == buf.capacity() {
                buf.reserve(buf.capacity().clamp(256, 1 << 20));
            }
            let (res, back) = read_owned(&self.fd, buf, -1).await;
            buf = back;
            match res {
                Ok(0) => return (Ok(buf.len() - start), buf),
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return (Err(err), buf),
            }
        }
    }

    /// Writes `buf` at the current position (at the end with `append`), returning how many
    /// bytes were written (maybe fewer than `buf.len()`) with the buffer. A dropped write
    /// may still land after later ones (see [Cancellation](File#cancellation)). A stream
    /// write in flight is waited for first, and its error reported.
    pub async fn write_owned(&mut self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        if let Err(err) = self.settle(true, true).await {
            return (Err(err), buf);
        }
        write_owned(&self.fd, buf, 0, -1).await
    }

    /// As [`write_owned`](File::write_owned), at `offset` from the start of the file
    /// (pwrite(2)), leaving the current position alone. (On Linux, a file opened with `append` appends anyway.)
    pub async fn write_at(&self, buf: Vec<u8>, offset: u64) -> (io::Result<usize>, Vec<u8>) {
        let offset = match self::offset(offset) {
            Ok(offset) => offset,
            Err(err) => return (Err(err), buf),
        };
        if let Err(err) = self.settle(true, true).await {
            return (Err(err), buf);
        }
        write_owned(&self.fd, buf, 0, offset).await
    }

    /// Writes all of `buf` at the current position, in as many requests as it takes. On an
    /// error, some of it may have been written.
    pub async fn write_all_owned(&mut self, mut buf: Vec<u8>) -> (io::Result<()>, Vec<u8>) {
        if let Err(err) = self.settle(true, true).await {
            return (Err(err), buf);
        }
        let mut done = 0;
        while done < buf.len() {
            let (res, back) = write_owned(&self.fd, buf, done, -1).await;
            buf = back;
            match res {
                Ok(0) => return (Err(io::ErrorKind::WriteZero.into()), buf),
                Ok(n) => done += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return (Err(err), buf),
            }
        }
        (Ok(()), buf)
    }

    /// Waits until what the stream API wrote has reached the kernel, and reports the error of
    /// a background write (as `AsyncWrite::poll_flush`).
    pub async fn flush(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.stream.get_mut().poll_flush(cx)).await
    }

    /// Moves the stream's position (as `std::io::Seek::seek`), after the request in flight,
    /// and returns the new position from the start of the file. Bytes read ahead are
    /// accounted for: `SeekFrom::Current(0)` is the position of the next byte a read returns.
    pub async fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let fd = &self.fd;
        let stream = self.stream.get_mut();
        poll_fn(|cx| stream.poll_seek(fd, cx, pos)).await
    }

    /// Moves the stream's position to the start of the file.
    pub async fn rewind(&mut self) -> io::Result<()> {
        self.seek(SeekFrom::Start(0)).await.map(drop)
    }

    /// The stream's position: where the next read or write happens.
    pub async fn stream_position(&mut self) -> io::Result<u64> {
        self.seek(SeekFrom::Current(0)).await
    }

    /// Sets the largest request the stream API makes (and so the most it buffers); 2 MiB by
    /// default, as tokio's. A read asks for at most this much, a write takes at most this
    /// much of the caller's bytes.
    pub fn set_max_buf_size(&mut self, max_buf_size: usize) {
        self.stream.get_mut().max_buf_size = max_buf_size.max(1);
    }

    /// The largest request the stream API makes.
    pub fn max_buf_size(&self) -> usize {
        self.stream.borrow().max_buf_size
    }

    /// A second `File` for the same open file (dup(2), close-on-exec): both share the
    /// position. A stream write in flight is waited for first, and bytes read ahead are given
    /// back to the position, so the clone starts where this file's stream is.
    pub async fn try_clone(&self) -> io::Result<File> {
        self.settle(false, true).await?;
        Ok(File::from(self.fd.as_fd().try_clone_to_owned()?))
    }

    /// The `std::fs::File` of this file, once the stream API is done (a write in flight is
    /// waited for, and its error reported; bytes read ahead are given back to the position).
    /// If a request of a dropped owned-buffer future still holds the fd, the std file is a
    /// dup of it, sharing the position.
    pub async fn into_std(self) -> io::Result<std::fs::File> {
        self.settle(true, true).await?;
        let File { fd, stream } = self;
        drop(stream);
        let fd = match Rc::try_unwrap(fd) {
            Ok(fd) => fd.into_raw_fd(),
            Err(shared) => return Ok(shared.as_fd().try_clone_to_owned()?.into()),
        };
        // SAFETY: `into_raw_fd` gave up the Fd's ownership of this open fd.
        Ok(unsafe { std::fs::File::from_raw_fd(fd) })
    }

    /// The `std::fs::File` of this file now, or the file back if the stream API has a
    /// request in flight, an error to report, bytes read ahead that can't be given back, or
    /// a request of a dropped owned-buffer future still holds the fd.
    // The error is the file itself, given back whole, as tokio's `try_into_std` does.
    #[allow(clippy::result_large_err)]
    pub fn try_into_std(self) -> Result<std::fs::File, File> {
        {
            let mut stream = self.stream.borrow_mut();
            if !matches!(stream.state, State::Idle)
                || stream.write_err.is_some()
                || stream.unread(&self.fd).is_err()
            {
                drop(stream);
                return Err(self);
            }
        }
        if Rc::strong_count(&self.fd) != 1 {
            return Err(self);
        }
        let File { fd, stream } = self;
        drop(stream);
        let Ok(fd) = Rc::try_unwrap(fd) else {
            unreachable!("the count was 1")
        };
        // SAFETY: `into_raw_fd` gave up the Fd's ownership of this open fd.
        Ok(unsafe { std::fs::File::from_raw_fd(fd.into_raw_fd()) })
    }

    /// The file's metadata (fstat(2)). A stream write in flight is waited for first, so the
    /// length includes it.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        self.settle(false, false).await?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFstat::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        Ok(Metadata::from_stat(op.await.0?))
    }

    /// Truncates or extends the file to `size` bytes (ftruncate(2)), after a stream write in
    /// flight; the stream's position doesn't move.
    pub async fn set_len(&self, size: u64) -> io::Result<()> {
        let size = offset(size)?;
        self.settle(false, true).await?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op =
            unsafe { UvFsFtruncate::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(), size)) };
        op.await.0?;
        Ok(())
    }

    /// Sets the file's permission bits (fchmod(2)).
    pub async fn set_permissions(&self, perm: Permissions) -> io::Result<()> {
        let mode = (perm.mode() & 0o7777) as c_int;
        self.settle(false, false).await?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFchmod::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(), mode)) };
        op.await.0?;
        Ok(())
    }

    /// Flushes data and metadata to the disk (fsync(2)), after a stream write in flight,
    /// whose error it reports.
    pub async fn sync_all(&self) -> io::Result<()> {
        self.settle(true, false).await?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFsync::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        op.await.0?;
        Ok(())
    }

    /// Flushes data, and only the metadata needed to read it back, to the disk
    /// (fdatasync(2)), after a stream write in flight, whose error it reports.
    pub async fn sync_data(&self) -> io::Result<()> {
        self.settle(true, false).await?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFdatasync::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        op.await.0?;
        Ok(())
    }

    /// Closes the file on the threadpool, reporting close(2)'s error, after a stream write in
    /// flight, whose error it reports (the fd is closed either way).
    ///
    /// If a request of a dropped read or write future still uses the fd, it is closed when
    /// that request finishes instead, and this returns `Ok(())` at once.
    pub async fn close(self) -> io::Result<()> {
        let flushed = self.settle(true, false).await;
        let File { fd, stream } = self;
        drop(stream);
        let Ok(fd) = Rc::try_unwrap(fd) else {
            return flushed;
        };
        // SAFETY: no pointers; the fd is ours alone, and libuv closes it: `into_raw_fd`
        // gives up our ownership, so it is closed exactly once.
        let op = unsafe { UvFsClose::new(fd.into_raw_fd()) };
        let closed = op.await;
        flushed?;
        closed?;
        Ok(())
    }
}

impl futures_io::AsyncRead for File {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.stream.get_mut().poll_read(&this.fd, cx, buf)
    }
}

impl futures_io::AsyncBufRead for File {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        this.stream.get_mut().poll_fill_buf(&this.fd, cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let stream = self.get_mut().stream.get_mut();
        stream.pos = (stream.pos + amt).min(stream.buf.len());
    }
}

impl futures_io::AsyncWrite for File {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.stream
            .get_mut()
            .poll_write(&this.fd, cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.stream.get_mut().poll_write(&this.fd, cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stream.get_mut().poll_flush(cx)
    }

    /// Flushes; the fd is closed when the `File` is dropped (or by [`File::close`]).
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stream.get_mut().poll_flush(cx)
    }
}

impl futures_io::AsyncSeek for File {
    fn poll_seek(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        pos: SeekFrom,
    ) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        this.stream.get_mut().poll_seek(&this.fd, cx, pos)
    }
}

impl AsRawFd for File {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for File {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl From<OwnedFd> for File {
    fn from(fd: OwnedFd) -> File {
        File {
            fd: Rc::new(Fd::from(fd)),
            stream: RefCell::new(Stream::new()),
        }
    }
}

impl From<std::fs::File> for File {
    fn from(file: std::fs::File) -> File {
        File::from(OwnedFd::from(file))
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("fd", &self.fd.as_raw_fd())
            .finish()
    }
}
