//! What a task costs and how it is resumed: the heap bytes of an idle spawned task (issue 12:
//! at most 160, it was 248), and `block_on` running ready tasks itself without starving I/O
//! or its own wakes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::CStr;
use std::rc::Rc;

use uvco_runtime::{spawn_local, yield_now, Runtime};

mod common;
use common::fs_stat;

/// Counts the bytes live in the global allocator, per thread.
struct Bytes;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn add(n: isize) {
    let _ = LIVE.try_with(|live| live.set(live.get() + n));
}

// SAFETY: forwards to the system allocator; the counter is a const-initialised thread-local
// Cell, which never allocates.
unsafe impl GlobalAlloc for Bytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Bytes = Bytes;

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

#[test]
fn an_idle_spawned_task_costs_at_most_160_bytes() {
    // A thread of its own, so that no block is cached in its free lists yet: every task
    // block comes from the global allocator, and is counted.
    std::thread::spawn(|| {
        const N: usize = 2000;
        let rt = Runtime::new().unwrap();
        rt.block_on(async {
            let started = Rc::new(Cell::new(0usize));
            let mut handles = Vec::with_capacity(N);
            let before = live_bytes();
            for _ in 0..N {
                let started = started.clone();
                handles.push(spawn_local(async move {
                    started.set(started.get() + 1);
                    std::future::pending::<()>().await
                }));
            }
            while started.get() < N {
                yield_now().await;
            }
            let per_task = (live_bytes() - before) as f64 / N as f64;
            println!("an idle spawned task: {per_task} B of heap");
            assert!(per_task <= 160.0, "{per_task} B per idle task");
            for h in &handles {
                h.abort();
            }
        });
    })
    .join()
    .unwrap();
}

const CARGO_TOML: &CStr = c"Cargo.toml";

#[test]
fn tasks_that_never_wait_do_not_starve_io_under_block_on() {
    let rt = Runtime::new().unwrap();
    let yields = Rc::new(Cell::new(0u64));
    let stat = rt.block_on({
        let yields = yields.clone();
        async move {
            for _ in 0..4 {
                let yields = yields.clone();
                spawn_local(async move {
                    loop {
                        yields.set(yields.get() + 1);
                        yield_now().await;
                    }
                })
                .detach();
            }
            // Completes only if the loop still polls for I/O while tasks are always ready.
            fs_stat(CARGO_TOML).await
        }
    });
    assert!(stat.is_ok(), "{stat:?}");
    assert!(yields.get() > 0, "the busy tasks ran meanwhile");
}

#[test]
fn the_main_future_waking_itself_does_not_block_the_loop() {
    let rt = Runtime::new().unwrap();
    // The runtime's async handle keeps the loop alive during block_on: an iteration that
    // blocked for I/O after the main future woke itself would never return.
    let n = rt.block_on(async {
        let mut n = 0;
        for _ in 0..1000 {
            yield_now().await;
            n += 1;
        }
        n
    });
    assert_eq!(n, 1000);
}

#[test]
fn a_task_woken_from_another_thread_while_main_waits_on_it() {
    let rt = Runtime::new().unwrap();
    let out = rt.block_on(async {
        let (tx, rx) = std::sync::mpsc::channel::<std::task::Waker>();
        let woken = Rc::new(Cell::new(false));
        let task = spawn_local({
            let woken = woken.clone();
            std::future::poll_fn(move |cx| {
                if woken.replace(true) {
                    return std::task::Poll::Ready(7);
                }
                tx.send(cx.waker().clone()).unwrap();
                std::task::Poll::Pending
            })
        });
        let waker_thread = std::thread::spawn(move || rx.recv().unwrap().wake());
        let out = task.await.unwrap();
        waker_thread.join().unwrap();
        out
    });
    assert_eq!(out, 7);
}
