//! Whole-file reads and writes: `read`, `read_to_string`, `write`.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::raw::c_int;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

#[cfg(target_os = "linux")]
use super::cached::{self, Attempt};
use super::fd::Fd;
use super::one_hop::{self, CPathBuf, LoopPtr, PoolJob, SyncFs};
use super::scratch;
use crate::requests::{UvFsClose, UvFsRead};
use crate::Awaitable as _;
use crate::{sys, UvError};

/// Bytes read past the size `fstat` reported, to find the end of the file without growing
/// the buffer when the size was right.
pub(super) const PROBE: usize = 32;

/// The least spare capacity each read of a file of unknown size asks for.
const CHUNK: usize = 8 * 1024;

const S_IFMT: u64 = 0o170_000;
const S_IFREG: u64 = 0o100_000;
const S_IFDIR: u64 = 0o040_000;

/// What each read request of [`read`] keeps in its slot: the fd (closed if the future is
/// dropped), the buffer, the probe past its capacity, and the two `uv_buf_t`s over them.
struct ReadKeep {
    fd: Fd,
    buf: Vec<u8>,
    probe: [u8; PROBE],
    bufs: [sys::uv_buf_t; 2],
}

const NO_BUF: sys::uv_buf_t = sys::uv_buf_t {
    base: std::ptr::null_mut(),
    len: 0,
};

/// Reads the whole file at `path`. The returned `Vec` is the only heap allocation (for
/// paths under 512 bytes, and a file that doesn't grow while it is read), and its capacity is
/// the file's size.
///
/// On Linux, a regular file of up to 64 KiB that is in the page cache is read on the loop
/// thread, during the first poll, with system calls that never wait for I/O: the path is
/// resolved only from the kernel's cache (`openat2` with `RESOLVE_CACHED`, Linux 5.12), and
/// the bytes read only if all are cached (`preadv2` with `RWF_NOWAIT`). That skips the
/// threadpool round trip, which costs several times what reading a small cached file does.
/// Whatever those calls refuse (a path not in the cache, a network or FUSE file system,
/// tmpfs, which refuses `RWF_NOWAIT`, a page not in memory, an older kernel) goes to the
/// threadpool as below.
///
/// Otherwise a regular file is read in one threadpool job: open, fstat, read until the end,
/// close, back to back on a pool thread (as `tokio::fs::read` does), instead of four libuv
/// requests and four round trips through the loop. A file of up to 16 KiB is read into a scratch buffer
/// the thread reuses and copied into a `Vec` allocated on the loop thread; a larger one into
/// a `Vec` the pool thread allocates at the size fstat reports. The end of the file is found
/// by reading into a small probe buffer past that size, without one more read.
///
/// Files that are not regular (a FIFO, a pipe such as `/dev/stdin`, a character device) are
/// read sequentially, one libuv read request at a time, until a read returns 0, as
/// `std::fs::read` does; the allocation bound above holds for regular files only.
///
/// Dropping the future at any point is safe: the job (and its buffer) stays in the request's
/// slot until the pool thread is done with it, and stops at its next read; the file is
/// closed.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("uvco-read-doc-{}", std::process::id()));
/// uvco::fs::write(&path, [1, 2, 3]).await?;
/// assert_eq!(uvco::fs::read(&path).await?, [1, 2, 3]);
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    read_path(path.as_ref()).await
}

async fn read_path(path: &Path) -> io::Result<Vec<u8>> {
    let path = CPathBuf::new(path)?;
    #[cfg(target_os = "linux")]
    let opened = match cached::try_read(path.as_c_str()) {
        Attempt::Read(bytes) => return Ok(bytes),
        Attempt::Open(fd) => Some(fd),
        Attempt::Miss => None,
    };
    #[cfg(not(target_os = "linux"))]
    let opened = None;
    let job = ReadJob {
        loop_: LoopPtr::current(),
        path,
        opened,
        buf: scratch::take(),
        in_scratch: true,
        scratch: Vec::new(),
        probe: [0; PROBE],
        outcome: Err(UvError::ECANCELED),
        sequential: None,
    };
    let mut job = one_hop::run(job).await?;
    let outcome = job.outcome;
    if let Some(fd) = job.sequential.take() {
        scratch::give(std::mem::take(&mut job.buf));
        return read_sequential(Fd::from(fd)).await;
    }
    if let Err(err) = outcome {
        scratch::give(std::mem::take(&mut job.buf));
        return Err(err.into());
    }
    if !job.in_scratch {
        scratch::give(std::mem::take(&mut job.scratch));
        return Ok(job.buf);
    }
    let mut exact = Vec::new();
    exact
        .try_reserve_exact(job.buf.len())
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    exact.extend_from_slice(&job.buf);
    scratch::give(job.buf);
    Ok(exact)
}

/// The most one read(2) of a [`ReadJob`] asks for: it checks whether its future was dropped
/// between reads, so that a dropped read of a big file stops early.
const READ_AT_ONCE: usize = 8 << 20;

/// [`read`] of a regular file on a pool thread.
struct ReadJob {
    loop_: LoopPtr,
    path: CPathBuf,
    /// The file, already open for reading (see [`cached`]): the job reads it instead of
    /// opening `path`.
    opened: Option<OwnedFd>,
    /// What was read: into a scratch buffer (`in_scratch`), or a `Vec` of its own.
    buf: Vec<u8>,
    in_scratch: bool,
    /// The scratch buffer, set aside when the file didn't fit it, to go back to the thread.
    scratch: Vec<u8>,
    probe: [u8; PROBE],
    /// `Ok(())` once the whole file is in `buf`.
    outcome: Result<(), UvError>,
    /// Not a regular file: the open fd, for the loop thread to read sequentially.
    sequential: Option<OwnedFd>,
}

/// What [`ReadJob`] gives back to the loop thread: its fields but the path and the probe.
struct ReadDone {
    buf: Vec<u8>,
    in_scratch: bool,
    scratch: Vec<u8>,
    outcome: Result<(), UvError>,
    sequential: Option<OwnedFd>,
}

impl PoolJob for ReadJob {
    type Output = ReadDone;

    fn finish(self) -> ReadDone {
        ReadDone {
            buf: self.buf,
            in_scratch: self.in_scratch,
            scratch: self.scratch,
            outcome: self.outcome,
            sequential: self.sequential,
        }
    }

    fn run(&mut self, cancelled: &AtomicBool) {
        let mut fs = SyncFs::new(self.loop_);
        let fd = match self.opened.take() {
            Some(fd) => fd,
            None => {
                let flags = sys::UV_FS_O_RDONLY as c_int;
                let path = self.path.as_c_str().as_ptr();
                // SAFETY: a synchronous open of a C string that outlives the call.
                match unsafe { fs.call(|l, r| sys::uv_fs_open(l, r, path, flags, 0, None)) } {
                    // SAFETY: a successful open returned a new fd that nothing else owns;
                    // from here on it closes when the job is done with it (or handed over
                    // to the loop thread).
                    Ok(fd) => unsafe { OwnedFd::from_raw_fd(fd as c_int) },
                    Err(err) => {
                        self.outcome = Err(err);
                        return;
                    }
                }
            }
        };
        self.outcome = match self.read_open(&mut fs, fd.as_raw_fd(), cancelled) {
            Ok(true) => Ok(()),
            Ok(false) => {
                // Not a regular file: the loop thread reads it, one request at a time.
                self.sequential = Some(fd);
                self.outcome = Ok(());
                return;
            }
            Err(err) => Err(err),
        };
        // SAFETY: a synchronous close of the fd, whose ownership `into_raw_fd` gives up.
        let closed = unsafe {
            let fd = fd.into_raw_fd();
            fs.call(|l, r| sys::uv_fs_close(l, r, fd, None))
        };
        if let (Ok(()), Err(err)) = (self.outcome, closed) {
            self.outcome = Err(err);
        }
    }
}

impl ReadJob {
    /// Reads the open file `fd` into `buf`; `Ok(false)` for a file to read sequentially.
    fn read_open(
        &mut self,
        fs: &mut SyncFs,
        fd: c_int,
        cancelled: &AtomicBool,
    ) -> Result<bool, UvError> {
        // SAFETY: a synchronous fstat of an open fd.
        let (mode, size) = unsafe {
            fs.call_with(
                |l, r| sys::uv_fs_fstat(l, r, fd, None),
                |req| (req.statbuf.st_mode & S_IFMT, req.statbuf.st_size),
            )
        }?;
        let is_regular = mode == S_IFREG;
        if !is_regular && mode != S_IFDIR {
            // A FIFO, a pipe, a tty, a socket: reads may block, and never end for some;
            // they go one request at a time, each its own hop.
            return Ok(false);
        }
        let size = usize::try_from(size).map_err(|_| enomem())?;
        // As in `reached_eof`: a size of 0 (procfs) says nothing, nor a directory's.
        let known_size = (is_regular && size > 0).then_some(size);
        if known_size.unwrap_or(0) > self.buf.capacity().saturating_sub(PROBE) {
            // Too big for the scratch buffer: read straight into a Vec of the file's size.
            self.scratch = std::mem::take(&mut self.buf);
            self.in_scratch = false;
            self.buf.try_reserve_exact(size).map_err(|_| enomem())?;
        }
        loop {
            if cancelled.load(Ordering::Relaxed) {
                return Err(UvError::ECANCELED);
            }
            if known_size.is_none() && self.buf.capacity() - self.buf.len() < CHUNK {
                self.grow(CHUNK.max(self.buf.len()))?;
            }
            let spare = self.buf.capacity() - self.buf.len();
            let ask = spare.min(READ_AT_ONCE);
            // The probe only follows the read that reaches the end of the buffer.
            let probe = if ask == spare { PROBE } else { 0 };
            let offset = self.buf.len() as i64;
            let tail = self.buf.spare_capacity_mut();
            let bufs = [
                sys::uv_buf_t {
                    base: tail.as_mut_ptr().cast(),
                    len: ask,
                },
                sys::uv_buf_t {
                    base: self.probe.as_mut_ptr().cast(),
                    len: probe,
                },
            ];
            let nbufs = if probe > 0 { 2 } else { 1 };
            // SAFETY: a synchronous preadv into the Vec's spare capacity and the probe, both
            // owned by this job (in the request's slot) for the whole call.
            let n = match unsafe {
                fs.call(|l, r| sys::uv_fs_read(l, r, fd, bufs.as_ptr(), nbufs, offset, None))
            } {
                Ok(n) => n.min(ask + probe),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            let filled = n.min(ask);
            // SAFETY: preadv filled the first `filled` bytes of the spare capacity, in order,
            // before any byte of the probe.
            unsafe { self.buf.set_len(self.buf.len() + filled) };
            if n > ask {
                // The file grew since fstat: keep the probe's bytes.
                self.grow(n - ask)?;
                self.buf.extend_from_slice(&self.probe[..n - ask]);
            }
            if reached_eof(n, ask + probe, self.buf.len(), known_size) {
                return Ok(true);
            }
        }
    }

    /// Makes room for `more` bytes: in the buffer if it has it, or in one of its own (the
    /// scratch buffer's bytes moved over) when the scratch buffer is full.
    fn grow(&mut self, more: usize) -> Result<(), UvError> {
        if self.buf.capacity() - self.buf.len() >= more {
            return Ok(());
        }
        let oom = |_| enomem();
        if self.in_scratch {
            let mut own = Vec::new();
            own.try_reserve(self.buf.len() + more.max(self.buf.len()))
                .map_err(oom)?;
            own.extend_from_slice(&self.buf);
            self.scratch = std::mem::replace(&mut self.buf, own);
            self.in_scratch = false;
            return Ok(());
        }
        self.buf.try_reserve(more).map_err(oom)
    }
}

/// What libuv reports for a failed allocation.
fn enomem() -> UvError {
    UvError::new(sys::uv_errno_t_UV_ENOMEM as c_int)
}

/// The rest of [`read`] for a file that isn't regular: reads from the position open left it
/// at (where std starts too; preadv fails with ESPIPE on a FIFO, a pipe or a tty), in libuv
/// read requests whose buffer grows with what has arrived, until one returns 0, then closes.
async fn read_sequential(fd: Fd) -> io::Result<Vec<u8>> {
    let mut keep = ReadKeep {
        fd,
        buf: Vec::new(),
        probe: [0; PROBE],
        bufs: [NO_BUF; 2],
    };
    loop {
        if keep.buf.capacity() - keep.buf.len() < CHUNK {
            // Nothing says how much is left: read in chunks that double with what has
            // arrived, rather than a probe's worth at a time.
            let more = CHUNK.max(keep.buf.len());
            keep.buf
                .try_reserve(more)
                .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        }
        let spare = keep.buf.capacity() - keep.buf.len();
        // SAFETY: libuv writes into the Vec's spare capacity and the probe, and reads the two
        // uv_buf_t, until its callback has run; all are owned by `keep`, which stays in the
        // request's slot until then (moving a Vec doesn't move its heap bytes), as does the
        // fd.
        let op = unsafe {
            UvFsRead::with_keep(keep, move |k| {
                let spare = k.buf.spare_capacity_mut();
                k.bufs = [
                    sys::uv_buf_t {
                        base: spare.as_mut_ptr().cast(),
                        len: spare.len(),
                    },
                    sys::uv_buf_t {
                        base: k.probe.as_mut_ptr().cast(),
                        len: PROBE,
                    },
                ];
                (k.fd.as_raw_fd(), k.bufs.as_ptr(), 2, -1)
            })
        };
        let (res, back) = op.await;
        keep = back;
        let n = match res {
            Ok(n) => n.min(spare + PROBE),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err.into()),
        };
        let filled = n.min(spare);
        // SAFETY: readv filled the first `filled` bytes of the spare capacity, in order,
        // before any byte of the probe.
        unsafe { keep.buf.set_len(keep.buf.len() + filled) };
        if n > spare {
            keep.buf.extend_from_slice(&keep.probe[..n - spare]);
        }
        if reached_eof(n, spare + PROBE, keep.buf.len(), None) {
            break;
        }
    }

    let ReadKeep { fd, buf, .. } = keep;
    // SAFETY: no pointers; libuv closes the fd, whose ownership `into_raw_fd` gives up.
    let close = unsafe { UvFsClose::new(fd.into_raw_fd()) };
    close.await?;
    Ok(buf)
}

/// Whether a read of [`read`] that returned `n` of the `asked` bytes, leaving `read_so_far`
/// bytes in the buffer, found the end of the file. `known_size` is the size fstat reported
/// for a regular file (`None` for anything else, or a size of 0).
///
/// A read that returns 0 is the end. A short read is the end too, saving one more read (and
/// threadpool round trip) to see 0, but only once the size fstat reported has been read: a
/// single read(2) returns at most `UV__IO_MAX_BYTES` (0x7ffff000, as Linux caps it too), and
/// libuv drops the probe buffer from a request above that, so the reads of a file larger
/// than about 2 GiB are short long before its end.
fn reached_eof(n: usize, asked: usize, read_so_far: usize, known_size: Option<usize>) -> bool {
    n == 0 || (n < asked && known_size.is_some_and(|size| read_so_far >= size))
}

/// Reads the whole file at `path` as UTF-8; `InvalidData` if it isn't.
///
/// ```
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let toml = uvco::fs::read_to_string("Cargo.toml").await?;
///     assert!(toml.contains("[package]"));
///     Ok(())
/// }
/// ```
pub async fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let bytes = read_path(path.as_ref()).await?;
    String::from_utf8(bytes).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// Writes `contents` as the whole file at `path`, creating it (mode `0o666` before the
/// umask) or truncating it. Owned contents (`Vec<u8>`, `String`) are moved into the job
/// without a copy.
///
/// Open, write and close run back to back on a pool thread, in one threadpool job. Dropping
/// the future is safe: the contents stay in the request's slot until the pool thread is
/// done, and it stops before its next write (at most 8 MiB each), leaving a prefix of the
/// contents in the file; a job not yet started is cancelled.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("uvco-write-doc-{}", std::process::id()));
/// uvco::fs::write(&path, "some text").await?;
/// uvco::fs::write(&path, String::from("other text")).await?;
/// assert_eq!(uvco::fs::read_to_string(&path).await?, "other text");
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn write(path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> io::Result<()> {
    let job = WriteJob {
        loop_: LoopPtr::current(),
        path: CPathBuf::new(path.as_ref())?,
        data: contents.into(),
        outcome: Err(WriteError::Uv(UvError::ECANCELED)),
    };
    match one_hop::run(job).await? {
        Ok(()) => Ok(()),
        Err(WriteError::Uv(err)) => Err(err.into()),
        Err(WriteError::Zero) => Err(io::ErrorKind::WriteZero.into()),
    }
}

/// [`write`] on a pool thread.
struct WriteJob {
    loop_: LoopPtr,
    path: CPathBuf,
    data: Vec<u8>,
    outcome: Result<(), WriteError>,
}

#[derive(Clone, Copy)]
enum WriteError {
    Uv(UvError),
    /// A write(2) that wrote nothing.
    Zero,
}

impl PoolJob for WriteJob {
    type Output = Result<(), WriteError>;

    fn finish(self) -> Result<(), WriteError> {
        self.outcome
    }

    fn run(&mut self, cancelled: &AtomicBool) {
        let mut fs = SyncFs::new(self.loop_);
        let flags = (sys::UV_FS_O_WRONLY | sys::UV_FS_O_CREAT | sys::UV_FS_O_TRUNC) as c_int;
        let path = self.path.as_c_str().as_ptr();
        // SAFETY: a synchronous open of a C string that outlives the call.
        let fd = match unsafe { fs.call(|l, r| sys::uv_fs_open(l, r, path, flags, 0o666, None)) } {
            Ok(fd) => fd as c_int,
            Err(err) => {
                self.outcome = Err(WriteError::Uv(err));
                return;
            }
        };
        let mut done = 0;
        self.outcome = Ok(());
        while done < self.data.len() && !cancelled.load(Ordering::Relaxed) {
            let chunk = &self.data[done..(done + WRITE_AT_ONCE).min(self.data.len())];
            let buf = sys::uv_buf_t {
                base: chunk.as_ptr().cast_mut().cast(),
                len: chunk.len(),
            };
            // SAFETY: a synchronous write(2) (offset -1: at the position, which works on a
            // FIFO too) of bytes the job owns, and an fd it opened.
            match unsafe { fs.call(|l, r| sys::uv_fs_write(l, r, fd, &buf, 1, -1, None)) } {
                Ok(0) => {
                    self.outcome = Err(WriteError::Zero);
                    break;
                }
                Ok(n) => done += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.outcome = Err(WriteError::Uv(err));
                    break;
                }
            }
        }
        // SAFETY: a synchronous close of the fd this job opened, once.
        let closed = unsafe { fs.call(|l, r| sys::uv_fs_close(l, r, fd, None)) };
        if let (Ok(()), Err(err)) = (self.outcome, closed) {
            self.outcome = Err(WriteError::Uv(err));
        }
    }
}

/// The most one write(2) of a [`WriteJob`] hands over, so that a dropped write stops early.
const WRITE_AT_ONCE: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::reached_eof;

    /// Just under 2 GiB: the most one read request returns (`UV__IO_MAX_BYTES`).
    const IO_MAX: usize = 0x7fff_f000;

    #[test]
    fn zero_is_always_the_end() {
        assert!(reached_eof(0, 100, 0, None));
        assert!(reached_eof(0, 100, 0, Some(50)));
        assert!(reached_eof(0, 100, 10, Some(50)), "the file shrank");
    }

    #[test]
    fn a_short_read_past_the_known_size_is_the_end() {
        assert!(reached_eof(50, 82, 50, Some(50)));
        assert!(reached_eof(10, 82, 60, Some(50)), "grew a little");
    }

    #[test]
    fn a_full_read_is_not_the_end() {
        assert!(
            !reached_eof(82, 82, 82, Some(50)),
            "the probe filled: it grew"
        );
        assert!(!reached_eof(82, 82, 82, None));
    }

    #[test]
    fn a_short_read_of_an_unknown_size_is_not_the_end() {
        assert!(!reached_eof(10, 4096, 10, None));
    }

    #[test]
    fn a_read_capped_below_a_big_files_size_is_not_the_end() {
        let size = (1 << 31) + (64 << 20);
        let asked = size + 32;
        // The first read of a 2.2 GB file stops at the cap...
        assert!(!reached_eof(IO_MAX, asked, IO_MAX, Some(size)));
        // ... a short read of a file that shrank since fstat isn't trusted either ...
        assert!(!reached_eof(
            1000,
            asked - IO_MAX,
            IO_MAX + 1000,
            Some(size)
        ));
        // ... and the read that reaches its size, with the probe short, is the end.
        assert!(reached_eof(size - IO_MAX, asked - IO_MAX, size, Some(size)));
    }
}
