//! Helpers shared by the integration tests: temporary directories (std only) and a counting
//! global allocator (each test binary that wants it declares `#[global_allocator]`).
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Counts the global-allocator calls of the current thread.
pub struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a const-initialised thread-local
// Cell, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Global-allocator calls made by this thread so far.
pub fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

/// The number of open file descriptors of this process.
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
