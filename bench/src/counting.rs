//! Allocation counting: a global allocator that counts Rust heap allocations, and counting
//! wrappers around libc's malloc family that libuv is told to use (`uv_replace_allocator`).
//!
//! Counts made on the benchmark's own thread go to plain thread-local cells (no atomic
//! read-modify-write on the hot path, so counting costs every variant about the same as
//! nothing); counts made on other threads (libuv's threadpool, tokio's blocking pool) go to
//! shared atomics. A [`Snapshot`] adds the two.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// Per-thread counters; `MAIN` marks the thread whose counts are kept locally.
struct Local {
    main: Cell<bool>,
    rust_allocs: Cell<u64>,
    rust_live: Cell<i64>,
    uv_allocs: Cell<u64>,
}

thread_local! {
    static LOCAL: Local = const {
        Local {
            main: Cell::new(false),
            rust_allocs: Cell::new(0),
            rust_live: Cell::new(0),
            uv_allocs: Cell::new(0),
        }
    };
}

static OTHER_RUST_ALLOCS: AtomicU64 = AtomicU64::new(0);
static OTHER_RUST_LIVE: AtomicI64 = AtomicI64::new(0);
static OTHER_UV_ALLOCS: AtomicU64 = AtomicU64::new(0);
/// Bytes libuv holds through the wrappers, all threads (rare enough for an atomic).
static UV_LIVE: AtomicI64 = AtomicI64::new(0);

#[inline]
fn count_rust(delta_bytes: i64, new_block: bool) {
    let counted = LOCAL
        .try_with(|l| {
            if !l.main.get() {
                return false;
            }
            if new_block {
                l.rust_allocs.set(l.rust_allocs.get() + 1);
            }
            l.rust_live.set(l.rust_live.get() + delta_bytes);
            true
        })
        .unwrap_or(false);
    if !counted {
        if new_block {
            OTHER_RUST_ALLOCS.fetch_add(1, Relaxed);
        }
        OTHER_RUST_LIVE.fetch_add(delta_bytes, Relaxed);
    }
}

/// The counting global allocator (forwards to the system allocator).
pub struct Counting;

// SAFETY: every call forwards to `System` with the same arguments; the counters are
// const-initialised thread-locals and atomics, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_rust(layout.size() as i64, true);
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_rust(layout.size() as i64, true);
        // SAFETY: forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count_rust(-(layout.size() as i64), false);
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_rust(new_size as i64 - layout.size() as i64, true);
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn calloc(n: usize, size: usize) -> *mut c_void;
    fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
    fn malloc_usable_size(ptr: *mut c_void) -> usize;
    fn malloc_trim(pad: usize) -> i32;
}

#[inline]
fn count_uv(new_block: bool) {
    if !new_block {
        return;
    }
    let counted = LOCAL
        .try_with(|l| {
            if l.main.get() {
                l.uv_allocs.set(l.uv_allocs.get() + 1);
            }
            l.main.get()
        })
        .unwrap_or(false);
    if !counted {
        OTHER_UV_ALLOCS.fetch_add(1, Relaxed);
    }
}

unsafe extern "C" fn uv_malloc(size: usize) -> *mut c_void {
    count_uv(true);
    // SAFETY: libc malloc.
    let p = unsafe { malloc(size) };
    if !p.is_null() {
        // SAFETY: a live block from malloc.
        UV_LIVE.fetch_add(unsafe { malloc_usable_size(p) } as i64, Relaxed);
    }
    p
}

unsafe extern "C" fn uv_calloc(n: usize, size: usize) -> *mut c_void {
    count_uv(true);
    // SAFETY: libc calloc.
    let p = unsafe { calloc(n, size) };
    if !p.is_null() {
        // SAFETY: a live block from calloc.
        UV_LIVE.fetch_add(unsafe { malloc_usable_size(p) } as i64, Relaxed);
    }
    p
}

unsafe extern "C" fn uv_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    count_uv(true);
    // SAFETY: `ptr` is null or a live block from these wrappers.
    let old = if ptr.is_null() {
        0
    } else {
        unsafe { malloc_usable_size(ptr) }
    };
    // SAFETY: libc realloc on a block of ours.
    let p = unsafe { realloc(ptr, size) };
    if !p.is_null() {
        // SAFETY: a live block.
        UV_LIVE.fetch_add(
            unsafe { malloc_usable_size(p) } as i64 - old as i64,
            Relaxed,
        );
    }
    p
}

unsafe extern "C" fn uv_free(ptr: *mut c_void) {
    if !ptr.is_null() {
        // SAFETY: a live block from these wrappers.
        UV_LIVE.fetch_sub(unsafe { malloc_usable_size(ptr) } as i64, Relaxed);
    }
    // SAFETY: libc free of a block from these wrappers (or null).
    unsafe { free(ptr) }
}

/// Marks the calling thread as the benchmark thread and makes libuv allocate through the
/// counting wrappers. Must run before any libuv call that allocates.
pub fn install() {
    LOCAL.with(|l| l.main.set(true));
    // SAFETY: called once at the start of main, before libuv allocated anything; the
    // wrappers have the signatures libuv expects.
    let rc = unsafe {
        libuv_sys2::uv_replace_allocator(
            Some(uv_malloc),
            Some(uv_realloc),
            Some(uv_calloc),
            Some(uv_free),
        )
    };
    assert_eq!(
        rc, 0,
        "uv_replace_allocator failed: libuv allocated before main"
    );
}

/// Returns free heap memory to the OS, so that RSS deltas measure what a phase holds.
pub fn trim() {
    // SAFETY: glibc's malloc_trim has no preconditions.
    unsafe { malloc_trim(0) };
}

/// Counter values at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Snapshot {
    /// Rust heap allocations (alloc, alloc_zeroed, realloc), all threads.
    pub rust_allocs: u64,
    /// Rust heap bytes live, all threads.
    pub rust_live: i64,
    /// libuv mallocs (malloc, calloc, realloc), all threads.
    pub uv_allocs: u64,
    /// Bytes libuv holds (usable sizes), all threads.
    pub uv_live: i64,
}

impl Snapshot {
    /// The counters now.
    pub fn now() -> Snapshot {
        let (ra, rl, ua) =
            LOCAL.with(|l| (l.rust_allocs.get(), l.rust_live.get(), l.uv_allocs.get()));
        Snapshot {
            rust_allocs: ra + OTHER_RUST_ALLOCS.load(Relaxed),
            rust_live: rl + OTHER_RUST_LIVE.load(Relaxed),
            uv_allocs: ua + OTHER_UV_ALLOCS.load(Relaxed),
            uv_live: UV_LIVE.load(Relaxed),
        }
    }

    /// `self - earlier`.
    pub fn since(self, earlier: Snapshot) -> Snapshot {
        Snapshot {
            rust_allocs: self.rust_allocs - earlier.rust_allocs,
            rust_live: self.rust_live - earlier.rust_live,
            uv_allocs: self.uv_allocs - earlier.uv_allocs,
            uv_live: self.uv_live - earlier.uv_live,
        }
    }
}
