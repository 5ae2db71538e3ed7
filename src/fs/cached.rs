//! [`read`](super::read) of a small file that is already in the page cache, on the loop
//! thread, with calls that never wait for I/O: no threadpool round trip, which is most of the
//! cost of reading a small cached file (two thread wake-ups against a few microseconds of
//! system calls).
//!
//! Each step refuses rather than blocks, and a refusal sends the read on to the threadpool
//! as before:
//! - the path is resolved with `openat2(RESOLVE_CACHED)` (Linux 5.12), which fails with
//!   `EAGAIN` when any component is not in the dentry cache or needs revalidating (network
//!   file systems); io_uring opens files inline under the same flag;
//! - it is first opened `O_PATH`, which opens nothing for reading (a FIFO's writer isn't
//!   released, a device's open isn't run), to learn from `statx(AT_STATX_DONT_SYNC)` (cached
//!   attributes, no round trip to a server) that it is a regular file of at most
//!   [`INLINE_MAX`] bytes;
//! - the bytes are read with `preadv2(RWF_NOWAIT)`, which fails with `EAGAIN` when they are
//!   not all cached, or `EOPNOTSUPP` on a file system that can't say (tmpfs, procfs, FUSE;
//!   the device is remembered, per thread, so that its next files go to the pool at once).
//!
//! Once the file is open for reading, a refusal hands the fd to the pool job, which reads it
//! from the start and closes it there (a FUSE file's close waits for its daemon).

use std::cell::Cell;
use std::ffi::CStr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};

// Bytes asked for past the size `statx` reported, to see the end of the file in the same
// read: the pool job's probe.
use super::contents::PROBE;

/// The largest file read on the loop thread. Measured on a 2-core VM: `fs::read` of a cached
/// 64 KiB file took 8 µs this way (std's blocking read 7.8 µs), and of a 65 KiB file 55 µs
/// through the pool. Bigger files would be faster here too (256 KiB: 13 µs against 61 µs),
/// but every microsecond here holds up every other task and connection of the loop, while
/// the pool's round trip is latency for this caller alone; 64 KiB keeps the hold-up within a
/// few syscalls' worth.
pub(super) const INLINE_MAX: u64 = 64 * 1024;

/// What [`try_read`] did.
pub(super) enum Attempt {
    /// The whole file, in a `Vec` of its size.
    Read(Vec<u8>),
    /// A regular file, open for reading, whose bytes aren't all cached: the pool reads it.
    Open(OwnedFd),
    /// Nothing was opened: the pool reads the path as before.
    Miss,
}

/// Set once the kernel refuses `openat2` or `RESOLVE_CACHED` (older than 5.12, or a seccomp
/// filter that doesn't know the call), so that later reads don't try again.
static UNSUPPORTED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The device whose file system last refused `RWF_NOWAIT` (`EOPNOTSUPP`: tmpfs, procfs,
    /// FUSE): reads there go straight to the pool, without allocating a buffer here first.
    static NO_NOWAIT_DEV: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Reads the regular file at `path` from the page cache, if it is there and small, without
/// waiting for I/O; see the module docs for what sends it to the pool instead.
pub(super) fn try_read(path: &CStr) -> Attempt {
    if UNSUPPORTED.load(Ordering::Relaxed) {
        return Attempt::Miss;
    }
    let Some(located) = open_cached(path, libc::O_PATH) else {
        return Attempt::Miss;
    };
    let Some((id, _)) = regular_size(&located).filter(|&(_, size)| size <= INLINE_MAX) else {
        return Attempt::Miss;
    };
    if NO_NOWAIT_DEV.with(Cell::get) == Some(id.0) {
        return Attempt::Miss;
    }
    // A second lookup, for reading, non-blocking in case the path was replaced by a FIFO in
    // between (whose blocking open would wait for a writer); so it is checked to be the file
    // just looked at.
    let flags = libc::O_RDONLY | libc::O_NOCTTY | libc::O_NONBLOCK;
    let Some(file) = open_cached(path, flags) else {
        return Attempt::Miss;
    };
    drop(located);
    let size = match regular_size(&file) {
        Some((same, size)) if same == id => size,
        // Not the file looked at: the pool opens the path afresh.
        _ => return Attempt::Miss,
    };
    if size <= INLINE_MAX {
        match read_cached(&file, size as usize) {
            Ok(bytes) => return Attempt::Read(bytes),
            Err(Some(libc::EOPNOTSUPP)) => NO_NOWAIT_DEV.with(|dev| dev.set(Some(id.0))),
            Err(_) => {}
        }
    }
    // The pool's reads block, as some file systems want of an fd without O_NONBLOCK.
    // SAFETY: F_GETFL/F_SETFL on an open fd.
    unsafe {
        let fl = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        if fl < 0 || libc::fcntl(file.as_raw_fd(), libc::F_SETFL, fl & !libc::O_NONBLOCK) < 0 {
            return Attempt::Miss;
        }
    }
    Attempt::Open(file)
}

/// `openat2(path, flags | O_CLOEXEC, RESOLVE_CACHED)`; `None` when it refused or failed (the
/// pool's open reports a real error the usual way).
fn open_cached(path: &CStr, flags: libc::c_int) -> Option<OwnedFd> {
    // SAFETY: an all-zero open_how is valid (no flags, mode or resolve bits).
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (flags | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_CACHED;
    // SAFETY: `path` is a NUL-terminated string and `how` a valid open_how of the size
    // passed, both live for the call.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            libc::AT_FDCWD,
            path.as_ptr(),
            &how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd < 0 {
        let errno = std::io::Error::last_os_error().raw_os_error();
        // ENOSYS: no openat2 (or a filter hiding it); EINVAL, E2BIG: it doesn't know
        // RESOLVE_CACHED or this open_how. EAGAIN and the rest are about this path.
        if matches!(errno, Some(libc::ENOSYS | libc::EINVAL | libc::E2BIG)) {
            UNSUPPORTED.store(true, Ordering::Relaxed);
        }
        return None;
    }
    // SAFETY: a successful openat2 returned a new fd that nothing else owns.
    Some(unsafe { OwnedFd::from_raw_fd(fd as libc::c_int) })
}

/// The file's identity (device, inode) and size from its cached attributes, if it is a
/// regular file.
fn regular_size(fd: &OwnedFd) -> Option<((u64, u64), u64)> {
    // SAFETY: an all-zero statx is a valid buffer for statx to fill.
    let mut stx: libc::statx = unsafe { std::mem::zeroed() };
    let want = libc::STATX_TYPE | libc::STATX_SIZE | libc::STATX_INO;
    // SAFETY: `fd` is open; the empty path with AT_EMPTY_PATH means the fd itself; `stx`
    // is a valid, writable statx for the call.
    let ret = unsafe {
        libc::statx(
            fd.as_raw_fd(),
            c"".as_ptr(),
            libc::AT_EMPTY_PATH | libc::AT_STATX_DONT_SYNC,
            want,
            &mut stx,
        )
    };
    let regular = u32::from(stx.stx_mode) & libc::S_IFMT == libc::S_IFREG;
    if ret != 0 || stx.stx_mask & want != want || !regular {
        return None;
    }
    let dev = (u64::from(stx.stx_dev_major) << 32) | u64::from(stx.stx_dev_minor);
    Some(((dev, stx.stx_ino), stx.stx_size))
}

/// Reads the `size`-byte file `fd` whole with one `preadv2(RWF_NOWAIT)` into a `Vec` of that
/// size and a probe past it; an error (with its errno, if the read failed) if the bytes
/// weren't all cached, or the file isn't `size` bytes any more.
fn read_cached(fd: &OwnedFd, size: usize) -> Result<Vec<u8>, Option<i32>> {
    let mut buf: Vec<u8> = Vec::new();
    buf.try_reserve_exact(size).map_err(|_| None)?;
    let mut probe = [0u8; PROBE];
    let iov = [
        libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: size,
        },
        libc::iovec {
            iov_base: probe.as_mut_ptr().cast(),
            iov_len: PROBE,
        },
    ];
    // SAFETY: the two iovecs cover the Vec's `size` bytes of spare capacity and the probe,
    // both writable and live for the call; `fd` is open for reading.
    let n = unsafe { libc::preadv2(fd.as_raw_fd(), iov.as_ptr(), 2, 0, libc::RWF_NOWAIT) };
    // Exactly the size: the file ended where its cached size said. A short read may be a
    // page that isn't cached, and a longer one a file that grew: the pool reads those.
    if n < 0 {
        return Err(std::io::Error::last_os_error().raw_os_error());
    }
    if n as usize != size {
        return Err(None);
    }
    // SAFETY: preadv2 filled the first `size` bytes of the spare capacity.
    unsafe { buf.set_len(size) };
    Ok(buf)
}
