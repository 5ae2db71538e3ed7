//! `File`: an open file descriptor, read and written with owned buffers.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

use super::fd::Fd;
use std::os::raw::c_int;
use std::path::Path;
use std::rc::Rc;

use super::{Metadata, OpenOptions, Permissions};
use crate::requests::{
    UvFsClose, UvFsFchmod, UvFsFdatasync, UvFsFstat, UvFsFsync, UvFsFtruncate, UvFsRead, UvFsWrite,
};
use crate::sys;

/// An open file, as in `std::fs::File`, whose reads and writes are libuv requests.
///
/// Reads and writes take the buffer by value and give it back with the result (the
/// tokio-uring style): libuv fills or drains it on the threadpool while the task is
/// suspended, so it must not be memory the caller could free meanwhile.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use uvco::fs::File;
///
/// let path = std::env::temp_dir().join(format!("uvco-file-doc-{}", std::process::id()));
/// let mut file = File::create(&path).await?;
/// let (res, _) = file.write_all(b"hello, file".to_vec()).await;
/// res?;
/// file.close().await?;
///
/// let mut file = File::open(&path).await?;
/// let (n, buf) = file.read(Vec::with_capacity(64)).await;
/// assert_eq!(n?, 11);
/// assert_eq!(buf, b"hello, file");
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// # Closing
///
/// [`close`](File::close) closes on the threadpool and reports close(2)'s error. Dropping a
/// `File` inside a runtime submits a detached `uv_fs_close`, so that close(2) (which can
/// block, on network file systems for one) stays off the loop thread; its error is ignored,
/// as `std::fs::File` ignores it. Outside a runtime, drop closes directly.
///
/// The fd stays open while a request of a dropped read or write future is still running:
/// each request holds a reference to it, so a closed and reused fd number can never receive
/// another file's bytes.
///
/// # Cancellation
///
/// Dropping a future of this type is safe, but it doesn't undo or stop a request that
/// libuv's threadpool has already started: that request runs to its end in the background
/// (only one not yet started is cancelled). For [`read`](File::read),
/// [`read_to_end`](File::read_to_end), [`write`](File::write) and
/// [`write_all`](File::write_all), which use the file's current position, this means:
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
/// So for I/O that may be cancelled (under a timeout or `select!`), use
/// [`read_at`](File::read_at) and [`write_at`](File::write_at), whose explicit offsets make
/// a late request touch only its own range (a dropped `write_at` may still write that
/// range later, so don't write over it again until it had time to finish), or don't reuse
/// the `File` for position-based I/O after dropping one of its writes or reads: drop it
/// (its fd is closed once the orphaned request is done) and open the file again.
///
/// # Threads
///
/// A `File` is neither `Send` nor `Sync`: its fd is shared, through an `Rc`, with the slots
/// of its requests in flight, which belong to the loop of the thread that made them, and
/// dropping it closes the fd with a request on that thread's loop. A file for another
/// thread can be had from [`as_fd`](AsFd::as_fd)`().try_clone_to_owned()` (a `dup`, which
/// shares the position).
pub struct File {
    /// Shared with the slots of in-flight requests; the last owner closes it (`OwnedFd`).
    fd: Rc<Fd>,
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

/// The offset argument of a positional request.
fn offset(offset: u64) -> io::Result<i64> {
    i64::try_from(offset)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "file offset above i64::MAX"))
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
    // SAFETY: libuv writes into the Vec's spare capacity, and reads the uv_buf_t, until its
    // callback has run; both are owned by `keep`, which stays in the request's slot until
    // then (moving a Vec doesn't move its heap bytes). The Rc keeps the fd open as long.
    let op = unsafe {
        UvFsRead::with_keep(keep, move |k| {
            let spare = k.buf.spare_capacity_mut();
            k.uv = sys::uv_buf_t {
                base: spare.as_mut_ptr().cast(),
                len: spare.len(),
            };
            (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
        })
    };
    let (res, BufKeep { mut buf, .. }) = op.await;
    match res {
        Ok(n) => {
            let n = n.min(spare);
            // SAFETY: libuv wrote `n` bytes (never more than the spare length it was given)
            // right after the initialised part.
            unsafe { buf.set_len(buf.len() + n) };
            (Ok(n), buf)
        }
        Err(err) => (Err(err.into()), buf),
    }
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
    // SAFETY: libuv reads `buf[start..]` and the uv_buf_t until its callback has run; both
    // are owned by `keep`, which stays in the request's slot until then. libuv only reads
    // through the `*mut` base of a write buffer. The Rc keeps the fd open as long.
    let op = unsafe {
        UvFsWrite::with_keep(keep, move |k| {
            let bytes = &k.buf[start..];
            k.uv = sys::uv_buf_t {
                base: bytes.as_ptr().cast_mut().cast(),
                len: bytes.len(),
            };
            (k.fd.as_raw_fd(), &raw const k.uv, 1, offset)
        })
    };
    let (res, BufKeep { buf, .. }) = op.await;
    (res.map_err(Into::into), buf)
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

    /// Reads at the current position into the spare capacity of `buf`,
    /// `buf[buf.len()..buf.capacity()]`, and grows its length by the count read, which is
    /// returned with the buffer. `Ok(0)` means end of file, or that `buf` had no spare
    /// capacity (then nothing is submitted). Dropping the future before it completes may
    /// lose bytes read from the file, and leaves the position undetermined (see
    /// [Cancellation](File#cancellation)).
    pub async fn read(&mut self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        read_owned(&self.fd, buf, -1).await
    }

    /// As [`read`](File::read), at `offset` from the start of the file (pread(2)), leaving
    /// the current position alone.
    pub async fn read_at(&self, buf: Vec<u8>, offset: u64) -> (io::Result<usize>, Vec<u8>) {
        match self::offset(offset) {
            Ok(offset) => read_owned(&self.fd, buf, offset).await,
            Err(err) => (Err(err), buf),
        }
    }

    /// Reads from the current position to the end of the file, appending to `buf` (which
    /// grows as needed), and returns the count read.
    pub async fn read_to_end(&mut self, mut buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
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
    /// may still land after later ones (see [Cancellation](File#cancellation)).
    pub async fn write(&mut self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        write_owned(&self.fd, buf, 0, -1).await
    }

    /// As [`write`](File::write), at `offset` from the start of the file (pwrite(2)), leaving
    /// the current position alone. (On Linux, a file opened with `append` appends anyway.)
    pub async fn write_at(&self, buf: Vec<u8>, offset: u64) -> (io::Result<usize>, Vec<u8>) {
        match self::offset(offset) {
            Ok(offset) => write_owned(&self.fd, buf, 0, offset).await,
            Err(err) => (Err(err), buf),
        }
    }

    /// Writes all of `buf` at the current position, in as many requests as it takes. On an
    /// error, some of it may have been written.
    pub async fn write_all(&mut self, mut buf: Vec<u8>) -> (io::Result<()>, Vec<u8>) {
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

    /// The file's metadata (fstat(2)).
    pub async fn metadata(&self) -> io::Result<Metadata> {
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFstat::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        Ok(Metadata::from_stat(op.await.0?))
    }

    /// Truncates or extends the file to `size` bytes (ftruncate(2)).
    pub async fn set_len(&self, size: u64) -> io::Result<()> {
        let size = offset(size)?;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op =
            unsafe { UvFsFtruncate::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(), size)) };
        op.await.0?;
        Ok(())
    }

    /// Sets the file's permission bits (fchmod(2)).
    pub async fn set_permissions(&self, perm: Permissions) -> io::Result<()> {
        let mode = (perm.mode() & 0o7777) as c_int;
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFchmod::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(), mode)) };
        op.await.0?;
        Ok(())
    }

    /// Flushes data and metadata to the disk (fsync(2)).
    pub async fn sync_all(&self) -> io::Result<()> {
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFsync::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        op.await.0?;
        Ok(())
    }

    /// Flushes data, and only the metadata needed to read it back, to the disk
    /// (fdatasync(2)).
    pub async fn sync_data(&self) -> io::Result<()> {
        // SAFETY: no pointers; the Rc in the slot keeps the fd open until the callback.
        let op = unsafe { UvFsFdatasync::with_keep(Rc::clone(&self.fd), |fd| (fd.as_raw_fd(),)) };
        op.await.0?;
        Ok(())
    }

    /// Closes the file on the threadpool, reporting close(2)'s error.
    ///
    /// If a request of a dropped read or write future still uses the fd, it is closed when
    /// that request finishes instead, and this returns `Ok(())` at once.
    pub async fn close(self) -> io::Result<()> {
        let Ok(fd) = Rc::try_unwrap(self.fd) else {
            return Ok(());
        };
        // SAFETY: no pointers; the fd is ours alone, and libuv closes it: `into_raw_fd`
        // gives up our ownership, so it is closed exactly once.
        let op = unsafe { UvFsClose::new(fd.into_raw_fd()) };
        op.await?;
        Ok(())
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
