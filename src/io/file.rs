//! Standard streams that are regular files (or other things libuv can't poll, such as
//! `/dev/null`): positional `uv_fs_read`/`uv_fs_write` requests on the threadpool.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, OwnedFd};
use std::pin::Pin;
use std::ptr;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use crate::requests::{UvFsRead, UvFsWrite};
use crate::Awaitable as _;
use crate::{sys, Keep};

/// Bytes a file-backed stdin reads ahead per request.
const READ_CHUNK: usize = 64 * 1024;

/// What a file request keeps in its slot until libuv's callback: the fd (open as long), the
/// bytes and the `uv_buf_t` describing them.
pub(super) struct FileBuf {
    fd: Rc<OwnedFd>,
    buf: Vec<u8>,
    uv: sys::uv_buf_t,
}

type ReadOp = UvFsRead<Keep<FileBuf>>;
type WriteOp = UvFsWrite<Keep<FileBuf>>;

/// A standard stream on a file: our own dup of fd 0, 1 or 2, which shares the file's
/// position with the process's fd. Each message takes its range at the shared position when
/// it starts, moving the position past it with one `lseek` (so code using the fd before or
/// afterwards, std's `println!` among it, carries on where uvco left off, and messages in
/// flight together never overlap); reads and writes then go to those explicit offsets. When
/// the file can't seek (or appends), the requests use the position itself.
pub(super) struct FileIo {
    fd: Rc<OwnedFd>,
    /// Requests go to explicit offsets (the file seeks and doesn't append).
    positioned: bool,
    /// Read ahead: `buf[start..]` is unread.
    rbuf: RefCell<Vec<u8>>,
    rstart: Cell<usize>,
    read: RefCell<Option<ReadOp>>,
}

impl FileIo {
    pub(super) fn new(fd: OwnedFd) -> FileIo {
        // SAFETY: fcntl and lseek on our own open fd.
        let (append, pos) = unsafe {
            let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
            let pos = libc::lseek(fd.as_raw_fd(), 0, libc::SEEK_CUR);
            (flags >= 0 && flags & libc::O_APPEND != 0, pos)
        };
        FileIo {
            fd: Rc::new(fd),
            positioned: !append && pos >= 0,
            rbuf: RefCell::new(Vec::new()),
            rstart: Cell::new(0),
            read: RefCell::new(None),
        }
    }

    /// Takes `n` bytes at the shared position, moving it past them: the offset for a
    /// request of `n` bytes (-1: the fd's own position). The position is the kernel's, not
    /// a copy: whatever else wrote through the fd since (std, another handle) is counted.
    fn advance(&self, n: usize) -> i64 {
        if !self.positioned {
            return -1;
        }
        // SAFETY: lseek on our own open fd; it only moves the shared position.
        let end = unsafe { libc::lseek(self.fd.as_raw_fd(), n as libc::off_t, libc::SEEK_CUR) };
        if end < 0 {
            -1
        } else {
            end - n as i64
        }
    }

    /// Copies read-ahead bytes to `out`, or reads more (one request at a time, whoever
    /// waits); `Ok(0)` at the end of the file.
    pub(super) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        out: &mut [MaybeUninit<u8>],
    ) -> Poll<io::Result<usize>> {
        if out.is_empty() {
            return Poll::Ready(Ok(0));
        }
        loop {
            {
                let buf = self.rbuf.borrow();
                let start = self.rstart.get();
                if start < buf.len() {
                    let n = out.len().min(buf.len() - start);
                    // SAFETY: `buf[start..start + n]` is initialised and `out` is valid for
                    // `n` writes; they are distinct allocations.
                    unsafe {
                        ptr::copy_nonoverlapping(
                            buf.as_ptr().add(start),
                            out.as_mut_ptr().cast(),
                            n,
                        )
                    };
                    self.rstart.set(start + n);
                    return Poll::Ready(Ok(n));
                }
            }
            let mut read = self.read.borrow_mut();
            if read.is_none() {
                let mut buf = std::mem::take(&mut *self.rbuf.borrow_mut());
                buf.clear();
                buf.reserve(READ_CHUNK);
                let keep = FileBuf {
                    fd: Rc::clone(&self.fd),
                    buf,
                    uv: sys::uv_buf_t {
                        base: ptr::null_mut(),
                        len: 0,
                    },
                };
                // The position moves when the bytes arrive (we don't know how many yet); one
                // read is in flight at a time, so nothing else uses it meanwhile.
                let offset = self.advance(0);
                // SAFETY: libuv writes into the Vec's spare capacity and reads the uv_buf_t
                // until its callback; both are owned by `keep`, in the request's slot until
                // then. The Rc keeps the fd open as long.
                *read = Some(unsafe {
                    UvFsRead::with_keep(keep, move |k| {
                        let spare = k.buf.spare_capacity_mut();
                        k.uv = sys::uv_buf_t {
                            base: spare.as_mut_ptr().cast(),
                            len: spare.len(),
                        };
                        (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
                    })
                });
            }
            let op = read.as_mut().expect("a read in flight");
            let (res, FileBuf { mut buf, .. }) = ready!(Pin::new(op).poll(cx));
            *read = None;
            let n = match res {
                Ok(n) => n.min(buf.capacity()),
                Err(err) => {
                    *self.rbuf.borrow_mut() = buf;
                    return Poll::Ready(Err(err.into()));
                }
            };
            // SAFETY: libuv wrote `n` bytes (at most the spare length it was given) at the
            // start of the (cleared) Vec.
            unsafe { buf.set_len(n) };
            self.rstart.set(0);
            *self.rbuf.borrow_mut() = buf;
            if n == 0 {
                return Poll::Ready(Ok(0));
            }
            self.advance(n);
        }
    }

    /// Starts writing `data` as one message, at its own range of the file (or appended).
    pub(super) fn start_write(&self, data: Vec<u8>) -> FileWrite {
        let offset = self.advance(data.len());
        FileWrite {
            op: Some(self.submit(data, 0, offset)),
            offset,
            written: 0,
        }
    }

    fn submit(&self, buf: Vec<u8>, start: usize, offset: i64) -> WriteOp {
        let keep = FileBuf {
            fd: Rc::clone(&self.fd),
            buf,
            uv: sys::uv_buf_t {
                base: ptr::null_mut(),
                len: 0,
            },
        };
        // SAFETY: libuv reads `buf[start..]` and the uv_buf_t until its callback; both are
        // owned by `keep`, in the request's slot until then, and only read through the
        // `*mut` base. The Rc keeps the fd open as long.
        unsafe {
            UvFsWrite::with_keep(keep, move |k| {
                let bytes = &k.buf[start..];
                k.uv = sys::uv_buf_t {
                    base: bytes.as_ptr().cast_mut().cast(),
                    len: bytes.len(),
                };
                (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
            })
        }
    }
}

/// One message being written to a file: short writes go on at the rest of its range.
/// Dropping it lets the request in flight finish (file writes are not cancelled once a pool
/// thread has them); the rest of a short write is then not written.
pub(super) struct FileWrite {
    op: Option<WriteOp>,
    /// Where the message starts (-1: appended, or the fd's own position).
    offset: i64,
    /// Bytes of the message written so far.
    written: usize,
}

impl FileWrite {
    /// Completes the message; gives its buffer back for reuse.
    pub(super) fn poll(&mut self, io: &FileIo, cx: &mut Context<'_>) -> Poll<io::Result<Vec<u8>>> {
        loop {
            let Some(op) = self.op.as_mut() else {
                return Poll::Ready(Ok(Vec::new()));
            };
            let (res, FileBuf { buf, .. }) = ready!(Pin::new(op).poll(cx));
            self.op = None;
            let n = match res {
                Ok(n) => n,
                Err(err) => return Poll::Ready(Err(err.into())),
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
            if self.written >= buf.len() {
                return Poll::Ready(Ok(buf));
            }
            // A short write: the rest, at the rest of the message's range.
            let offset = if self.offset < 0 {
                -1
            } else {
                self.offset + self.written as i64
            };
            self.op = Some(io.submit(buf, self.written, offset));
        }
    }
}
