//! Composite fs operations in one threadpool hop: a job that runs several file-system calls
//! back to back on a libuv threadpool thread (one `uv_queue_work`), instead of one request,
//! and one loop round trip, per call.
//!
//! The job lives in the request's slot from submission until libuv's after-work callback
//! has run, and the pool thread works on it in place: whatever it writes into (a buffer, an
//! fd it opened) is owned by the slot, so a future dropped mid-job frees nothing the pool
//! thread still uses. Dropping the future raises the job's `cancelled` flag, which long jobs
//! check between system calls to stop early, and asks libuv to cancel a job not yet started.
//!
//! On the pool thread the calls are libuv's own `uv_fs_*` functions, called synchronously
//! (no callback: libuv runs the system call inline and never touches the loop), so errors,
//! `O_CLOEXEC`, `statx` and `uv_stat_t` are exactly those of the request-per-call path.

use std::cell::UnsafeCell;
use std::ffi::{c_int, CStr, CString};
use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::os::unix::ffi::OsStrExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::pin::Pin;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use uvco_runtime::slot::{keep_of, output_of};

use crate::requests::UvQueueWork;
use crate::Awaitable as _;
use crate::{sys, Keep, UvError};

/// Work that runs on a threadpool thread, in one hop.
pub(super) trait PoolJob: Send + 'static {
    /// What the awaiting task gets: the part of the job it needs, without its inputs (a
    /// path of up to 512 bytes), so that only that much moves on from the slot.
    type Output;

    /// Does the work. `cancelled` turns true once the future awaiting the job is dropped:
    /// nobody will look at the result, so a job may stop at its next system call.
    fn run(&mut self, cancelled: &AtomicBool);

    /// The output of a job that ran, on the loop thread.
    fn finish(self) -> Self::Output;
}

/// What the slot keeps: the job, and the flags the two threads share. The job is only
/// touched through the `UnsafeCell`, by the pool thread while the request is in flight and
/// by the loop thread after the callback; the flags are the only fields both see at once.
struct Shared<J> {
    cancelled: AtomicBool,
    panicked: AtomicBool,
    job: UnsafeCell<J>,
}

/// Runs `job` on libuv's threadpool and resolves to its output once it has run.
///
/// # Panics
/// Outside a runtime.
pub(super) fn run<J: PoolJob>(job: J) -> OnPool<J> {
    let shared = Shared {
        cancelled: AtomicBool::new(false),
        panicked: AtomicBool::new(false),
        job: UnsafeCell::new(job),
    };
    let mut flag: *const AtomicBool = ptr::null();
    // SAFETY: the job lives in the slot until the after-work callback has run; `work` finds
    // it there through the request, and nothing else touches the job while the request is
    // in flight. `flag` points into the slot, which stays at its address while `op` lives.
    let op = unsafe {
        UvQueueWork::with_keep(shared, |shared| {
            flag = &shared.cancelled;
            (Some(work::<J> as unsafe extern "C" fn(_)),)
        })
    };
    OnPool {
        op,
        cancelled: flag,
    }
}

/// The work callback: runs the job found in the request's slot, on a pool thread.
unsafe extern "C" fn work<J: PoolJob>(req: *mut sys::uv_work_t) {
    // SAFETY: `req` is the request of a Work slot whose payload is `Keep<Shared<J>>`; while
    // it runs, only this thread touches the job, and the loop thread only the flags.
    let shared = unsafe { &(*keep_of::<uvco_runtime::kind::Work, Keep<Shared<J>>>(req)).0 };
    // SAFETY: as above: the job is this thread's alone until the request completes.
    let job = unsafe { &mut *shared.job.get() };
    // Never unwind into libuv's threadpool.
    if panic::catch_unwind(AssertUnwindSafe(|| job.run(&shared.cancelled))).is_err() {
        shared.panicked.store(true, Ordering::Relaxed);
    }
}

/// The future of [`run`]: resolves to the job's output after it ran; an error if it was cancelled
/// before it started (runtime shutdown) or panicked.
pub(super) struct OnPool<J: PoolJob> {
    op: UvQueueWork<Keep<Shared<J>>>,
    /// The job's flag in the slot; null once the slot is given back.
    cancelled: *const AtomicBool,
}

impl<J: PoolJob> Future for OnPool<J> {
    type Output = io::Result<J::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<J::Output>> {
        let (res, shared) = match Pin::new(&mut self.op).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        // The slot is freed: the flag went with it.
        self.cancelled = ptr::null();
        res?;
        if shared.panicked.into_inner() {
            return Poll::Ready(Err(io::Error::other("uvco: a threadpool fs job panicked")));
        }
        Poll::Ready(Ok(shared.job.into_inner().finish()))
    }
}

impl<J: PoolJob> Drop for OnPool<J> {
    fn drop(&mut self) {
        // SAFETY: not null, so `op` (dropped after this) still owns the slot the flag is in.
        if let Some(flag) = unsafe { self.cancelled.as_ref() } {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// A path as a C string the job owns: on the slot's bytes when it is short (no allocation),
/// in a `CString` otherwise.
#[allow(clippy::large_enum_variant)] // inline on purpose: it saves the allocation
pub(super) enum CPathBuf {
    /// The first `len + 1` bytes are the path and its NUL; the rest is never read.
    Inline {
        len: usize,
        bytes: [MaybeUninit<u8>; INLINE_PATH],
    },
    Heap(CString),
}

/// Paths shorter than this live inline, as `with_c_path` keeps them on the stack (a job with
/// one still fits a 1024-byte slot).
const INLINE_PATH: usize = 512;

impl CPathBuf {
    /// `path` as a C string; `InvalidInput` if it holds a NUL byte, as for every fs function.
    pub(super) fn new(path: &Path) -> io::Result<CPathBuf> {
        let bytes = path.as_os_str().as_bytes();
        if crate::path::has_nul(bytes) {
            return Err(crate::path::nul_error());
        }
        if bytes.len() < INLINE_PATH {
            let mut inline = [MaybeUninit::uninit(); INLINE_PATH];
            for (to, &from) in inline.iter_mut().zip(bytes) {
                to.write(from);
            }
            inline[bytes.len()].write(0);
            return Ok(CPathBuf::Inline {
                len: bytes.len(),
                bytes: inline,
            });
        }
        // No NUL inside (checked above), so this can't fail.
        CString::new(bytes)
            .map(CPathBuf::Heap)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    pub(super) fn as_c_str(&self) -> &CStr {
        match self {
            // SAFETY: `new` wrote the first `len + 1` bytes: the path, which has no NUL
            // inside, and its terminating NUL.
            CPathBuf::Inline { len, bytes } => unsafe {
                let bytes = std::slice::from_raw_parts(bytes.as_ptr().cast::<u8>(), len + 1);
                CStr::from_bytes_with_nul_unchecked(bytes)
            },
            CPathBuf::Heap(path) => path,
        }
    }
}

/// The loop a synchronous libuv call is recorded against (libuv only stores it in the
/// request; a call without a callback never touches the loop).
#[derive(Clone, Copy)]
pub(super) struct LoopPtr(*mut sys::uv_loop_t);

// SAFETY: never dereferenced by uvco; libuv only stores it in a synchronous request.
unsafe impl Send for LoopPtr {}

impl LoopPtr {
    /// The current runtime's loop.
    pub(super) fn current() -> LoopPtr {
        LoopPtr(crate::current_loop())
    }
}

/// A `uv_fs_t` for synchronous libuv calls on a pool thread, reused call after call.
pub(super) struct SyncFs {
    loop_: LoopPtr,
    req: sys::uv_fs_t,
}

impl SyncFs {
    pub(super) fn new(loop_: LoopPtr) -> SyncFs {
        SyncFs {
            loop_,
            // SAFETY: a zeroed uv_fs_t is a valid request not yet started.
            req: unsafe { std::mem::zeroed() },
        }
    }

    /// Runs one synchronous libuv fs call (`call(loop, req)` with no callback) and cleans the
    /// request up: its result (a byte count, an fd, 0) or its error.
    ///
    /// # Safety
    /// `call` passes `req` to a `uv_fs_*` function with a null callback, and every pointer
    /// it passes is valid for the call.
    pub(super) unsafe fn call(
        &mut self,
        call: impl FnOnce(*mut sys::uv_loop_t, *mut sys::uv_fs_t) -> c_int,
    ) -> Result<usize, UvError> {
        // SAFETY: forwarded contract.
        unsafe { self.call_with(call, |req| req.result as usize) }
    }

    /// As [`call`](SyncFs::call), reading what the request produced with `read` (on
    /// success, before the cleanup frees it: the entries of a readdir, an opendir's
    /// directory).
    ///
    /// # Safety
    /// As for `call`.
    pub(super) unsafe fn call_with<T>(
        &mut self,
        call: impl FnOnce(*mut sys::uv_loop_t, *mut sys::uv_fs_t) -> c_int,
        read: impl FnOnce(&sys::uv_fs_t) -> T,
    ) -> Result<T, UvError> {
        let req = &raw mut self.req;
        call(self.loop_.0, req);
        // SAFETY: a request a synchronous call just completed; read, then cleaned up once.
        unsafe {
            let result = (*req).result;
            let out = (result >= 0).then(|| read(&*req));
            sys::uv_fs_req_cleanup(req);
            out.ok_or_else(|| UvError::new(result as c_int))
        }
    }

    /// As [`call`](SyncFs::call) for `uv_fs_stat`, `uv_fs_lstat` or `uv_fs_fstat`, giving
    /// the request's stat buffer as [`Metadata`](super::Metadata).
    ///
    /// # Safety
    /// As for `call`, with one of those three functions.
    pub(super) unsafe fn stat(
        &mut self,
        call: impl FnOnce(*mut sys::uv_loop_t, *mut sys::uv_fs_t) -> c_int,
    ) -> Result<super::Metadata, UvError> {
        let req = &raw mut self.req;
        call(self.loop_.0, req);
        // SAFETY: a completed stat-family fs request; the fs kind's `output` copies its
        // result out exactly as for a request the loop completed, then it is cleaned up.
        let stat = unsafe { output_of::<crate::kind::fns::uv_fs_stat>(req, ()) }?;
        Ok(super::Metadata::from_stat(stat))
    }
}
