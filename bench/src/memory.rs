//! Memory at load: what one in-flight fs request and one idle spawned task cost, with
//! `n` of them alive at once. Two measures: the RSS delta (what the OS sees, page-granular,
//! including allocator overhead and thread stacks) and the heap delta (bytes live in the
//! Rust global allocator plus libuv's mallocs, as requested).

use std::cell::Cell;
use std::ffi::{c_int, CStr};
use std::mem::{size_of, zeroed};
use std::rc::Rc;

use libuv_sys2 as sys;

use crate::counting::{trim, Snapshot};
use crate::raw;

extern "C" {
    fn getpagesize() -> c_int;
}

/// Resident set size in bytes, from /proc/self/statm.
pub fn rss() -> i64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: i64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    // SAFETY: no preconditions.
    pages * i64::from(unsafe { getpagesize() })
}

pub struct Mem {
    pub what: &'static str,
    pub variant: &'static str,
    pub n: usize,
    pub rss_per: f64,
    pub heap_per: f64,
    pub note: String,
}

struct Probe {
    rss: i64,
    heap: Snapshot,
}

impl Probe {
    fn start() -> Probe {
        trim();
        Probe {
            rss: rss(),
            heap: Snapshot::now(),
        }
    }

    /// Per-item deltas, less `own` bytes per item that the measuring code itself holds.
    fn per(&self, n: usize, own: usize) -> (f64, f64) {
        let d = Snapshot::now().since(self.heap);
        let rss = (rss() - self.rss) as f64 / n as f64 - own as f64;
        let heap = (d.rust_live + d.uv_live) as f64 / n as f64 - own as f64;
        (rss, heap)
    }
}

/// `n` `uv_fs_stat` futures created (so submitted) and not yet awaited.
pub fn uvco_fs_in_flight(path: &CStr, n: usize) -> Mem {
    let rt = uvco::Runtime::new().expect("runtime");
    rt.block_on(async {
        let mut futs = Vec::with_capacity(n);
        let a0 = uvco::runtime::alloc::stats();
        let probe = Probe::start();
        for _ in 0..n {
            // SAFETY: the path outlives the call (libuv copies it).
            futs.push(unsafe { uvco::requests::UvFsStat::new(path.as_ptr()) });
        }
        let (rss_per, heap_per) = probe.per(n, size_of::<uvco::requests::UvFsStat>());
        let a1 = uvco::runtime::alloc::stats();
        let slot = uvco_runtime::slot::slot_size::<uvco_runtime::kind::Fs, ()>();
        for f in futs {
            f.await.expect("stat");
        }
        Mem {
            what: "in-flight fs_stat",
            variant: "uvco",
            n,
            rss_per,
            heap_per,
            note: format!(
                "slot {slot} B (free-list class); free list: {} blocks in use (+{}), {} from the global allocator, {} reused",
                a1.in_use,
                a1.in_use - a0.in_use,
                a1.misses - a0.misses,
                a1.hits - a0.hits
            ),
        }
    })
}

unsafe extern "C" fn free_stat(req: *mut sys::uv_fs_t) {
    // SAFETY: a request boxed by `raw_fs_in_flight`, done with after cleanup.
    unsafe {
        sys::uv_fs_req_cleanup(req);
        drop(Box::from_raw(req));
    }
}

/// `n` malloc'd `uv_fs_t` submitted with `uv_fs_stat`, as a C program would.
pub fn raw_fs_in_flight(path: &CStr, n: usize) -> Mem {
    let lp = raw::Loop::new();
    let mut ptrs: Vec<*mut sys::uv_fs_t> = Vec::with_capacity(n);
    let probe = Probe::start();
    for _ in 0..n {
        // SAFETY: a zeroed request, freed by its callback; libuv copies the path.
        unsafe {
            let req = Box::into_raw(Box::new(zeroed::<sys::uv_fs_t>()));
            raw::check(
                sys::uv_fs_stat(lp.ptr(), req, path.as_ptr(), Some(free_stat)),
                "uv_fs_stat",
            );
            ptrs.push(req);
        }
    }
    let (rss_per, heap_per) = probe.per(n, size_of::<*mut sys::uv_fs_t>());
    lp.run();
    Mem {
        what: "in-flight fs_stat",
        variant: "raw",
        n,
        rss_per,
        heap_per,
        note: format!(
            "uv_fs_t {} B, malloc'd one by one",
            size_of::<sys::uv_fs_t>()
        ),
    }
}

/// `n` tokio tasks, each awaiting `tokio::fs::metadata`, all started.
#[cfg(feature = "tokio")]
pub fn tokio_fs_in_flight(path: &std::path::Path, n: usize) -> Mem {
    let t = crate::tokio_ops::Tokio::new();
    let path = Rc::new(path.to_owned());
    t.block_on(async {
        let started = Rc::new(Cell::new(0usize));
        let mut handles = Vec::with_capacity(n);
        let probe = Probe::start();
        for _ in 0..n {
            let (path, started) = (path.clone(), started.clone());
            handles.push(tokio::task::spawn_local(async move {
                started.set(started.get() + 1);
                tokio::fs::metadata(&*path).await.map(|m| m.len())
            }));
        }
        while started.get() < n {
            tokio::task::yield_now().await;
        }
        let (rss_per, heap_per) = probe.per(n, size_of::<tokio::task::JoinHandle<()>>());
        for h in handles {
            h.await.expect("task").expect("metadata");
        }
        Mem {
            what: "in-flight fs_stat",
            variant: "tokio",
            n,
            rss_per,
            heap_per,
            note: "a task each, awaiting spawn_blocking on the default pool (threads included)"
                .into(),
        }
    })
}

/// `n` spawned tasks parked on a future that never completes; the runtime drops them.
pub fn uvco_idle_tasks(n: usize) -> Mem {
    let rt = uvco::Runtime::new().expect("runtime");
    let mem = rt.block_on(async {
        let started = Rc::new(Cell::new(0usize));
        let mut handles = Vec::with_capacity(n);
        let a0 = uvco::runtime::alloc::stats();
        let probe = Probe::start();
        for _ in 0..n {
            let started = started.clone();
            handles.push(uvco::spawn_local(async move {
                started.set(started.get() + 1);
                std::future::pending::<()>().await
            }));
        }
        while started.get() < n {
            uvco::task::yield_now().await;
        }
        let (rss_per, heap_per) = probe.per(n, size_of::<uvco::JoinHandle<()>>());
        let a1 = uvco::runtime::alloc::stats();
        Mem {
            what: "idle spawned task",
            variant: "uvco",
            n,
            rss_per,
            heap_per,
            note: format!(
                "free list: {} blocks in use (+{}), {} from the global allocator",
                a1.in_use,
                a1.in_use - a0.in_use,
                a1.misses - a0.misses
            ),
        }
    });
    drop(rt);
    mem
}

#[cfg(feature = "tokio")]
pub fn tokio_idle_tasks(n: usize) -> Mem {
    let t = crate::tokio_ops::Tokio::new();
    t.block_on(async {
        let started = Rc::new(Cell::new(0usize));
        let mut handles = Vec::with_capacity(n);
        let probe = Probe::start();
        for _ in 0..n {
            let started = started.clone();
            handles.push(tokio::task::spawn_local(async move {
                started.set(started.get() + 1);
                std::future::pending::<()>().await
            }));
        }
        while started.get() < n {
            tokio::task::yield_now().await;
        }
        let (rss_per, heap_per) = probe.per(n, size_of::<tokio::task::JoinHandle<()>>());
        for h in &handles {
            h.abort();
        }
        Mem {
            what: "idle spawned task",
            variant: "tokio",
            n,
            rss_per,
            heap_per,
            note: "LocalSet::spawn_local".into(),
        }
    })
}

pub fn print(results: &[Mem]) {
    println!("| at load | variant | n | RSS delta per item | heap per item | notes |");
    println!("|---|---|--:|--:|--:|---|");
    for m in results {
        println!(
            "| {} | {} | {} | {:.0} B | {:.0} B | {} |",
            m.what, m.variant, m.n, m.rss_per, m.heap_per, m.note
        );
    }
}
