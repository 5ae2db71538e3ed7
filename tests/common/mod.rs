//! Helpers shared by the integration tests: temporary directories (std only) and a counting
//! global allocator (each test binary that wants it declares `#[global_allocator]`).
#![allow(dead_code)]

mod counting;
#[allow(unused_imports)] // not every test binary counts allocations
pub use counting::{allocs, Counting};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("uvco-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The number of open file descriptors of this process.
/// Makes a FIFO at `path` (mode 0600).
pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string, live for the call.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
        0,
        "mkfifo {path:?}"
    );
}

pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A raw libuv handle for tests that drive generated futures by hand; closed on drop and
/// freed by its close callback.
pub struct RawHandle<H>(pub *mut H);

impl<H> RawHandle<H> {
    pub fn new(init: impl FnOnce(*mut H) -> std::ffi::c_int) -> RawHandle<H> {
        // SAFETY: a zeroed handle, initialised by `init` before use.
        let h = Box::into_raw(Box::new(unsafe { std::mem::zeroed::<H>() }));
        assert_eq!(init(h), 0);
        RawHandle(h)
    }
}

impl<H> Drop for RawHandle<H> {
    fn drop(&mut self) {
        unsafe extern "C" fn free<H>(h: *mut uvco::sys::uv_handle_t) {
            // SAFETY: the Box made in `new`, freed once by this last callback.
            drop(unsafe { Box::from_raw(h.cast::<H>()) });
        }
        // SAFETY: an initialised handle, closed once.
        unsafe { uvco::sys::uv_close(self.0.cast(), Some(free::<H>)) };
    }
}

/// Tests that count process-wide resources (fds, the threadpool) take this lock.
static SERIAL: Mutex<()> = Mutex::new(());

pub fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `test` on a fresh runtime, one test at a time (the runtime's own fds included).
pub fn serially(test: impl std::future::Future<Output = ()>) {
    let _serial = serial();
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        // The first stream on a loop opens libuv's reserve fd (for EMFILE), kept until the
        // loop closes: open it before any baseline is taken.
        // SAFETY: a valid loop and a fresh handle.
        drop(RawHandle::new(|h| unsafe {
            uvco::sys::uv_tcp_init(uvco::current_loop(), h)
        }));
        test.await
    });
    rt.close().unwrap();
}

/// What a test starts from: request counters, free-list blocks in use, open fds.
pub struct Baseline {
    pub slots: uvco_runtime::slot::SlotStats,
    pub in_use: isize,
    pub fds: usize,
}

impl Baseline {
    pub fn take() -> Baseline {
        Baseline {
            slots: uvco_runtime::slot::stats(),
            in_use: uvco::runtime::alloc::stats().in_use,
            fds: open_fds(),
        }
    }

    /// Turns the loop until every request submitted since the baseline has called back, then
    /// checks that nothing leaked. Returns how many requests were orphaned.
    pub async fn settle(&self) -> u64 {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let now = uvco_runtime::slot::stats();
            if now.completed - self.slots.completed == now.submitted - self.slots.submitted
                && uvco::runtime::alloc::stats().in_use == self.in_use
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "requests still in flight: {now:?} from {:?}",
                self.slots
            );
            uvco::task::yield_now().await;
        }
        assert_eq!(open_fds(), self.fds, "an fd leaked");
        uvco_runtime::slot::stats().orphaned - self.slots.orphaned
    }
}

/// Makes closing `s` reset the connection (SO_LINGER with a zero timeout), as a peer that
/// aborts does. (`TcpStream::set_linger` is not stable in std.)
pub fn reset_on_close(s: &std::net::TcpStream) {
    use std::ffi::{c_int, c_void};
    use std::os::fd::AsRawFd;
    #[repr(C)]
    struct Linger {
        l_onoff: c_int,
        l_linger: c_int,
    }
    unsafe extern "C" {
        fn setsockopt(fd: c_int, level: c_int, name: c_int, val: *const c_void, len: u32) -> c_int;
    }
    const SOL_SOCKET: c_int = 1; // Linux
    const SO_LINGER: c_int = 13; // Linux
    let linger = Linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd, and a `struct linger` of the size passed.
    let ret = unsafe {
        setsockopt(
            s.as_raw_fd(),
            SOL_SOCKET,
            SO_LINGER,
            (&raw const linger).cast(),
            std::mem::size_of::<Linger>() as u32,
        )
    };
    assert_eq!(ret, 0, "setsockopt: {}", std::io::Error::last_os_error());
}

/// Asserts `result` is the error of a handle its runtime closed under its owner: `EBADF`.
pub fn ebadf<T: std::fmt::Debug>(result: std::io::Result<T>) {
    let err = result.expect_err("a handle its runtime closed must fail");
    assert_eq!(err.raw_os_error(), Some(libc::EBADF), "{err}");
}
