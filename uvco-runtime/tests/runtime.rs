//! The runtime on a real libuv loop: allocation counts, cancellation, teardown, panics,
//! cross-thread wakes and borrowed loops. Requests here are submitted by hand through the
//! slot API, as the generated code does.

use std::cell::{Cell, RefCell};
use std::ffi::{c_int, CStr};
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::task::Poll;

use uvco_runtime::kind::{fns, Fs};
use uvco_runtime::slot::{complete, slot_size, submit_callback, Completion, Kind};
use uvco_runtime::{
    alloc, current_loop, spawn_local, sys, yield_now, JoinError, Keep, Op, Runtime, UvError,
};

mod common;
use common::fs_stat;
#[path = "../../tests/common/counting.rs"]
mod counting;
use counting::{allocs, Counting};

#[global_allocator]
static GLOBAL: Counting = Counting;

const CARGO_TOML: &CStr = c"Cargo.toml";

/// The same request in the callback form: `done` gets the stat's size, then submits the next
/// one, `left` times over.
fn stat_chain(left: usize, done: Rc<dyn Fn(u64)>) {
    // SAFETY: as in `fs_stat`.
    unsafe {
        submit_callback::<fns::uv_fs_stat, _, _>(
            (),
            |req, ()| {
                sys::uv_fs_stat(
                    current_loop(),
                    req,
                    CARGO_TOML.as_ptr(),
                    <Fs as Kind>::CALLBACK,
                )
            },
            move |res, ()| {
                done(res.expect("stat").st_size);
                if left > 1 {
                    stat_chain(left - 1, done);
                }
            },
        )
    }
    .expect("submitted");
}

#[test]
fn callback_form_runs_each_done_once_with_no_allocation() {
    let rt = Runtime::new().unwrap();
    let sizes = Rc::new(RefCell::new(Vec::with_capacity(1001)));
    let seen = sizes.clone();
    let done: Rc<dyn Fn(u64)> = Rc::new(move |size| seen.borrow_mut().push(size));
    {
        let _in_rt = rt.enter();
        stat_chain(1, done.clone()); // warms the slot's size class
    }
    rt.block_on(async {
        while sizes.borrow().is_empty() {
            yield_now().await;
        }
    });
    let before = allocs();
    {
        let _in_rt = rt.enter();
        stat_chain(1000, done);
    }
    // No task awaits the chain: the runtime drives the loop until its last callback.
    rt.block_on(async {
        while sizes.borrow().len() < 1001 {
            yield_now().await;
        }
    });
    assert_eq!(
        allocs() - before,
        0,
        "global allocations in 1000 chained stats"
    );
    let sizes = sizes.borrow();
    assert!(sizes.iter().all(|&size| size == sizes[0] && size > 0));
}

#[test]
fn callback_form_refused_request_runs_done_with_the_error() {
    let rt = Runtime::new().unwrap();
    let _in_rt = rt.enter();
    let got = Rc::new(Cell::new(None));
    let seen = got.clone();
    // SAFETY: a refused request: libuv checks for an empty buffer list before queueing.
    let res = unsafe {
        submit_callback::<fns::uv_fs_read, _, _>(
            (),
            |req, ()| {
                let cb = <Fs as Kind>::CALLBACK;
                sys::uv_fs_read(current_loop(), req, 0, std::ptr::null(), 0, 0, cb)
            },
            move |res, ()| seen.set(Some(res)),
        )
    };
    assert_eq!(res, Err(UvError::EINVAL));
    assert_eq!(
        got.get(),
        Some(Err(UvError::EINVAL)),
        "`done` ran once, with the error"
    );
    assert_eq!(
        uvco_runtime::slot::stats().submitted,
        uvco_runtime::slot::stats().completed
    );
}

#[test]
fn runtime_dropped_with_a_callback_request_in_flight_runs_it_once() {
    let rt = Runtime::new().unwrap();
    let count = Rc::new(Cell::new(0));
    {
        let _in_rt = rt.enter();
        let count = count.clone();
        let done: Rc<dyn Fn(u64)> = Rc::new(move |_| count.set(count.get() + 1));
        stat_chain(1, done);
    }
    drop(rt);
    assert_eq!(count.get(), 1, "the callback ran during teardown, once");
}

#[test]
fn spawning_tasks_makes_no_allocation_after_warm_up() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let batch = |n: u32| async move {
            let handles: Vec<_> = (0..16).map(|i| spawn_local(async move { i * n })).collect();
            let mut sum = 0;
            for h in handles {
                sum += h.await.unwrap();
            }
            sum
        };
        // Warm-up: fills the free list (and the Vec's capacity is the only allocation left).
        batch(1).await;
        let mut handles = Vec::with_capacity(16);
        let before = allocs();
        let stats_before = alloc::stats();
        for round in 0..625u32 {
            // 625 rounds of 16 = 10 000 tasks.
            for i in 0..16u32 {
                handles.push(spawn_local(async move { round + i }));
            }
            for h in handles.drain(..) {
                h.await.unwrap();
            }
        }
        assert_eq!(
            allocs() - before,
            0,
            "global allocations while spawning 10k tasks"
        );
        let stats = alloc::stats();
        assert_eq!(
            stats.hits - stats_before.hits,
            10_000,
            "every task frame came from the free list"
        );
        assert_eq!(stats.in_use, stats_before.in_use);
    });
}

#[test]
fn request_round_trip_makes_no_allocation() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        fs_stat(CARGO_TOML).await.unwrap();
        let before = allocs();
        for _ in 0..1000 {
            let stat = fs_stat(CARGO_TOML).await.unwrap();
            assert!(stat.st_size > 0);
        }
        assert_eq!(
            allocs() - before,
            0,
            "global allocations for 1000 fs_stat round trips"
        );
    });
}

#[test]
fn a_burst_of_64_requests_allocates_only_in_its_first_round() {
    /// 64 tasks with a request each, all in flight at once, then all joined; the Vec comes
    /// back empty with its capacity, so that it is no allocation of its own.
    async fn round(
        mut handles: Vec<uvco_runtime::JoinHandle<()>>,
    ) -> Vec<uvco_runtime::JoinHandle<()>> {
        for _ in 0..64 {
            handles.push(spawn_local(async {
                fs_stat(CARGO_TOML).await.unwrap();
            }));
        }
        for h in handles.drain(..) {
            h.await.unwrap();
        }
        handles
    }
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let mut handles = round(Vec::with_capacity(64)).await;
        let before = allocs();
        for _ in 0..20 {
            handles = round(handles).await;
        }
        // 64 task frames and 64 request slots in flight, all freed at the end of each round:
        // a free list capped at 32 per class sent half of them to the global allocator.
        assert_eq!(
            allocs() - before,
            0,
            "global allocations in 20 rounds of 64 requests"
        );
    });
}

#[test]
fn errors_come_back_typed() {
    let rt = Runtime::new().unwrap();
    // Generated futures submit when created, so they are created inside the runtime.
    let err = rt
        .block_on(async { fs_stat(c"/definitely/not/here").await })
        .unwrap_err();
    assert_eq!(err, UvError::ENOENT);
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
}

// A work kind whose callback counts itself in the payload, to prove "exactly once".
enum CountedWork {}
// SAFETY: uv_work_t is the request of uv_queue_work, which uv_cancel accepts.
unsafe impl Kind for CountedWork {
    type Req = sys::uv_work_t;
    type Raw = c_int;
    type Callback = sys::uv_after_work_cb;
    const CALLBACK: sys::uv_after_work_cb = Some(counted_after_work);
    const CANCEL: bool = true;
}

// SAFETY: a status holds nothing.
unsafe impl Completion for CountedWork {
    type Kind = CountedWork;
    type Output = ();
    unsafe fn output(_: *mut sys::uv_work_t, status: c_int) -> Result<(), UvError> {
        UvError::check(status).map(drop)
    }
}

/// What the test observes of one request.
#[derive(Default)]
struct Counts {
    callbacks: AtomicUsize,
    cancelled: AtomicUsize,
}

/// The payload: barriers the threadpool thread meets, so the test decides when work starts
/// and finishes, and the counts its callback updates.
struct Gate {
    started: Arc<Barrier>,
    finish: Arc<Barrier>,
    counts: Arc<Counts>,
}

unsafe extern "C" fn wait_at_gate(req: *mut sys::uv_work_t) {
    // SAFETY: `data` points at the slot's Gate, kept alive by the slot until the callback.
    let gate = unsafe { &*(*req).data.cast::<Gate>() };
    gate.started.wait();
    gate.finish.wait();
}

unsafe extern "C" fn counted_after_work(req: *mut sys::uv_work_t, status: c_int) {
    {
        // SAFETY: as in `wait_at_gate`; the reference ends before `complete` frees the slot.
        let gate = unsafe { &*(*req).data.cast::<Gate>() };
        gate.counts.callbacks.fetch_add(1, Ordering::SeqCst);
        if status == UvError::ECANCELED.code() {
            gate.counts.cancelled.fetch_add(1, Ordering::SeqCst);
        }
    }
    // SAFETY: a request of a CountedWork slot.
    unsafe { complete::<CountedWork>(req, status) }
}

fn gated_work(gate: Gate) -> Op<CountedWork, Keep<Gate>> {
    // SAFETY: the Gate lives in the slot until after_work has run.
    unsafe {
        Op::submit(Keep(gate), |req: *mut sys::uv_work_t, keep| {
            (*req).data = (&raw mut keep.0).cast();
            sys::uv_queue_work(
                current_loop(),
                req,
                Some(wait_at_gate),
                Some(counted_after_work),
            )
        })
    }
}

/// Gives the loop turns until `cond` holds.
async fn until(cond: impl Fn() -> bool) {
    while !cond() {
        yield_now().await;
    }
}

#[test]
fn dropped_mid_flight_leaks_nothing_and_completes_once() {
    let rt = Runtime::new().unwrap();
    let baseline = alloc::stats().in_use;
    let started = Arc::new(Barrier::new(2));
    let finish = Arc::new(Barrier::new(2));
    let counts = Arc::new(Counts::default());
    rt.block_on(async {
        let op = gated_work(Gate {
            started: started.clone(),
            finish: finish.clone(),
            counts: counts.clone(),
        });
        started.wait(); // a threadpool thread runs it now, so uv_cancel will fail
        drop(op);
        finish.wait(); // let it finish; its callback finds the slot orphaned
        until(|| counts.callbacks.load(Ordering::SeqCst) == 1).await;
    });
    assert_eq!(counts.callbacks.load(Ordering::SeqCst), 1);
    assert_eq!(counts.cancelled.load(Ordering::SeqCst), 0);
    assert_eq!(
        Arc::strong_count(&started),
        1,
        "the payload was dropped with the slot"
    );
    assert_eq!(
        alloc::stats().in_use,
        baseline,
        "the slot went back to the free list"
    );
}

#[test]
fn cancelled_before_start_reports_ecanceled_once() {
    // Hold every threadpool thread (libuv's default is 4) so the last request stays queued.
    let rt = Runtime::new().unwrap();
    let baseline = alloc::stats().in_use;
    let threads = 4;
    let started = Arc::new(Barrier::new(threads + 1));
    let finish = Arc::new(Barrier::new(threads + 1));
    let busy_counts = Arc::new(Counts::default());
    let queued_counts = Arc::new(Counts::default());
    rt.block_on(async {
        let gate = || Gate {
            started: started.clone(),
            finish: finish.clone(),
            counts: busy_counts.clone(),
        };
        let busy: Vec<_> = (0..threads).map(|_| gated_work(gate())).collect();
        started.wait();
        let never = Arc::new(Barrier::new(usize::MAX)); // would block forever if it ran
        let queued = gated_work(Gate {
            started: never.clone(),
            finish: never,
            counts: queued_counts.clone(),
        });
        drop(queued); // still queued: uv_cancel succeeds, the callback sees UV_ECANCELED
        finish.wait();
        for op in busy {
            op.await.0.unwrap();
        }
        until(|| queued_counts.callbacks.load(Ordering::SeqCst) == 1).await;
    });
    assert_eq!(busy_counts.callbacks.load(Ordering::SeqCst), threads);
    assert_eq!(queued_counts.callbacks.load(Ordering::SeqCst), 1);
    assert_eq!(queued_counts.cancelled.load(Ordering::SeqCst), 1);
    assert_eq!(alloc::stats().in_use, baseline);
}

#[test]
fn runtime_dropped_with_1000_requests_in_flight_closes_its_loop() {
    let baseline = alloc::stats().in_use;
    let rt = Runtime::new().unwrap();
    let started = Rc::new(Cell::new(0));
    rt.block_on(async {
        for _ in 0..1000 {
            let started = started.clone();
            spawn_local(async move {
                started.set(started.get() + 1);
                // Always one request in flight, until the runtime drops the task.
                loop {
                    fs_stat(CARGO_TOML).await.unwrap();
                }
            })
            .detach();
        }
        // One turn: every task runs once and submits its request.
        yield_now().await;
    });
    assert_eq!(started.get(), 1000);
    assert_eq!(rt.live_tasks(), 1000);
    assert_eq!(rt.close(), Ok(()), "uv_loop_close returned 0");
    assert_eq!(
        alloc::stats().in_use,
        baseline,
        "every task frame and slot was freed"
    );
}

#[test]
fn a_panicking_task_does_not_stop_the_others() {
    let rt = Runtime::new().unwrap();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (bad, good) = rt.block_on(async {
        let bad = spawn_local(async {
            fs_stat(CARGO_TOML).await.unwrap();
            panic!("in the middle of a chain of requests");
        });
        let good = spawn_local(async {
            fs_stat(CARGO_TOML).await.unwrap();
            fs_stat(CARGO_TOML).await.unwrap().st_size
        });
        (bad.await, good.await)
    });
    std::panic::set_hook(prev);
    let err = bad.unwrap_err();
    assert!(err.is_panic());
    assert!(err.to_string().contains("in the middle of a chain"));
    assert!(good.unwrap() > 0);
}

#[test]
fn a_block_on_future_panicking_inside_the_loop_resumes_in_the_caller() {
    let rt = Runtime::new().unwrap();
    let polls = Cell::new(0);
    // The stat completes inside `uv_run`, so the poll after it (the one that panics) is the
    // loop's, not block_on's own: the panic must cross no libuv frame, and come out here.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            polls.set(polls.get() + 1);
            fs_stat(CARGO_TOML).await.unwrap();
            polls.set(polls.get() + 1);
            panic!("after the stat");
        })
    }));
    let payload = caught.expect_err("block_on resumes the future's panic");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"after the stat"));
    assert_eq!(polls.get(), 2);
    // The runtime carries on: the loop was stopped, not left mid-run.
    let size = rt.block_on(async { fs_stat(CARGO_TOML).await.unwrap().st_size });
    assert!(size > 0);
    assert_eq!(rt.close(), Ok(()));
}

#[test]
fn a_waker_moved_to_another_thread_wakes_its_task() {
    let rt = Runtime::new().unwrap();
    let value = rt.block_on(async {
        let task = spawn_local(async {
            let mut sent = false;
            poll_fn(|cx| {
                if sent {
                    return Poll::Ready(7);
                }
                sent = true;
                let waker = cx.waker().clone();
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    waker.wake();
                });
                Poll::Pending
            })
            .await
        });
        task.await.unwrap()
    });
    assert_eq!(value, 7);
}

#[test]
fn abort_cancels_the_request_of_the_task() {
    let rt = Runtime::new().unwrap();
    let baseline = alloc::stats().in_use;
    let started = Arc::new(Barrier::new(2));
    let finish = Arc::new(Barrier::new(2));
    let counts = Arc::new(Counts::default());
    let result = rt.block_on(async {
        let gate = Gate {
            started: started.clone(),
            finish: finish.clone(),
            counts: counts.clone(),
        };
        let task = spawn_local(async move { gated_work(gate).await.0 });
        yield_now().await; // the task runs and submits
        started.wait(); // the task ran and submitted; the threadpool runs the work
        task.abort();
        finish.wait();
        until(|| counts.callbacks.load(Ordering::SeqCst) == 1).await;
        task.await
    });
    assert!(matches!(result, Err(JoinError::Aborted)));
    assert_eq!(alloc::stats().in_use, baseline);
}

#[test]
fn attached_to_a_loop_the_test_creates_and_runs() {
    // SAFETY: a zeroed loop initialised here, run on this thread, closed at the end.
    unsafe {
        let mut loop_: Box<sys::uv_loop_t> = Box::new(std::mem::zeroed());
        assert_eq!(sys::uv_loop_init(&mut *loop_), 0);
        loop_.data = 0xfeed as *mut _; // the host's; the runtime must leave it alone
        let rt = Runtime::attach(&mut *loop_).unwrap();
        let sizes = Rc::new(RefCell::new(Vec::new()));
        for _ in 0..3 {
            let sizes = sizes.clone();
            rt.spawn_local(async move {
                let stat = fs_stat(CARGO_TOML).await.unwrap();
                sizes.borrow_mut().push(stat.st_size);
            })
            .detach();
        }
        // The host runs its loop; it returns when there is nothing left to do.
        sys::uv_run(&mut *loop_, sys::uv_run_mode_UV_RUN_DEFAULT);
        assert_eq!(sizes.borrow().len(), 3);
        assert_eq!(loop_.data, 0xfeed as *mut _);
        drop(rt);
        // The runtime's handles close the next time the host runs its loop.
        sys::uv_run(&mut *loop_, sys::uv_run_mode_UV_RUN_DEFAULT);
        assert_eq!(sys::uv_loop_close(&mut *loop_), 0);
    }
}

#[test]
fn runtimes_on_several_threads() {
    let threads: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let rt = Runtime::new().unwrap();
                let n = rt.block_on(async move {
                    let mut total = 0;
                    for _ in 0..50 {
                        total += spawn_local(async move { fs_stat(CARGO_TOML).await.map(|_| i) })
                            .await
                            .unwrap()
                            .unwrap();
                    }
                    total
                });
                rt.close().unwrap();
                n
            })
        })
        .collect();
    let totals: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(totals, vec![0, 50, 100, 150]);
}

#[test]
fn poll_hook_sees_every_resume_with_its_task_id() {
    thread_local! {
        static EVENTS: RefCell<Vec<(u64, bool)>> = const { RefCell::new(Vec::new()) };
    }
    fn hook(id: uvco_runtime::TaskId, entering: bool) {
        EVENTS.with(|e| e.borrow_mut().push((id.0, entering)));
    }
    let rt = Runtime::new().unwrap();
    rt.set_poll_hook(Some(hook));
    let id = rt.block_on(async {
        let task = spawn_local(async {
            fs_stat(CARGO_TOML).await.unwrap(); // two polls: before and after the request
        });
        let id = task.id().0;
        task.await.unwrap();
        id
    });
    let events = EVENTS.with(|e| e.take());
    assert_eq!(
        events,
        vec![(id, true), (id, false), (id, true), (id, false)]
    );
}

#[test]
fn slot_sizes_per_kind() {
    use std::mem::size_of;
    use uvco_runtime::kind::*;
    let sizes = [
        ("fs", size_of::<sys::uv_fs_t>(), slot_size::<Fs, ()>()),
        (
            "getaddrinfo",
            size_of::<sys::uv_getaddrinfo_t>(),
            slot_size::<Getaddrinfo, ()>(),
        ),
        (
            "getnameinfo",
            size_of::<sys::uv_getnameinfo_t>(),
            slot_size::<Getnameinfo, ()>(),
        ),
        (
            "write",
            size_of::<sys::uv_write_t>(),
            slot_size::<Write, ()>(),
        ),
        (
            "connect",
            size_of::<sys::uv_connect_t>(),
            slot_size::<Connect, ()>(),
        ),
        (
            "shutdown",
            size_of::<sys::uv_shutdown_t>(),
            slot_size::<Shutdown, ()>(),
        ),
        (
            "udp_send",
            size_of::<sys::uv_udp_send_t>(),
            slot_size::<UdpSend, ()>(),
        ),
        ("work", size_of::<sys::uv_work_t>(), slot_size::<Work, ()>()),
        (
            "random",
            size_of::<sys::uv_random_t>(),
            slot_size::<Random, ()>(),
        ),
    ];
    for (kind, req, slot) in sizes {
        println!("{kind:<12} request {req:>5} B  slot {slot:>5} B");
        assert!(slot >= req);
    }
    // The contract of issue 5: an in-flight fs request costs at most 512 bytes of slot.
    assert!(slot_size::<Fs, ()>() <= 512);
}

#[test]
fn deliberate_leak_forgotten_enter_guard_leaves_nothing_dangling() {
    let rt = Runtime::new().unwrap();
    std::mem::forget(rt.enter());
    drop(rt);
    // The guard's runtime is gone: as if outside any runtime, not a dangling pointer.
    assert!(uvco_runtime::try_current_loop().is_none());
    assert!(std::panic::catch_unwind(|| spawn_local(async {})).is_err());
}

#[test]
fn enter_guards_dropped_out_of_order_keep_the_newest_current() {
    let (rt1, rt2) = (Runtime::new().unwrap(), Runtime::new().unwrap());
    let g1 = rt1.enter();
    let g2 = rt2.enter();
    // Once a panic (and, inside a libuv callback, an abort): now the older guard just stops
    // counting.
    drop(g1);
    assert_eq!(uvco_runtime::try_current_loop(), Some(rt2.loop_ptr()));
    drop(g2);
    drop(rt2);
    drop(rt1);
    assert!(uvco_runtime::try_current_loop().is_none());
}

/// A host loop for the attached-runtime tests, closed at the end.
fn with_host_loop(test: impl FnOnce(*mut sys::uv_loop_t)) {
    // SAFETY: a zeroed loop initialised here, run on this thread, closed at the end.
    unsafe {
        let loop_ = Box::into_raw(Box::new(std::mem::zeroed::<sys::uv_loop_t>()));
        assert_eq!(sys::uv_loop_init(loop_), 0);
        test(loop_);
        sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_DEFAULT);
        assert_eq!(sys::uv_loop_close(loop_), 0);
        drop(Box::from_raw(loop_));
    }
}

#[test]
fn block_on_from_a_task_of_an_attached_runtime_panics_in_that_task() {
    with_host_loop(|loop_| {
        // SAFETY: the host loop outlives the runtime, which is dropped before it closes.
        let rt = Rc::new(unsafe { Runtime::attach(loop_) }.unwrap());
        let inner = rt.clone();
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let task = rt.spawn_local(async move { inner.block_on(async {}) });
        // SAFETY: the host runs its loop, on this thread.
        unsafe { sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_DEFAULT) };
        std::panic::set_hook(prev);
        let err = rt.block_on(task).unwrap_err();
        assert!(
            err.to_string().contains("block_on called from a task"),
            "{err}"
        );
        drop(rt);
    });
}

#[test]
fn a_stale_main_wake_does_not_keep_a_host_loop_spinning() {
    with_host_loop(|loop_| {
        // SAFETY: as above.
        let rt = unsafe { Runtime::attach(loop_) }.unwrap();
        let waker = rt.block_on(poll_fn(|cx| Poll::Ready(cx.waker().clone())));
        waker.wake(); // after block_on returned: nobody is waiting for it
                      // SAFETY: the host runs its loop; with nothing to do it must stop being alive.
        unsafe {
            for _ in 0..10 {
                sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_NOWAIT);
            }
            assert_eq!(
                sys::uv_loop_alive(loop_),
                0,
                "the idle handle is still running"
            );
        }
        drop(rt);
    });
}

#[test]
fn a_join_handle_dropped_with_an_output_that_panics_in_drop_frees_the_task() {
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("PanicsOnDrop dropped");
        }
    }
    let rt = Runtime::new().unwrap();
    let baseline = alloc::stats().in_use;
    rt.block_on(async {
        let handle = spawn_local(async { PanicsOnDrop });
        while !handle.is_finished() {
            yield_now().await;
        }
        // The output's drop unwinds out of the handle's drop; the task's block was given
        // back first (it leaked, before).
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(handle)));
        assert!(dropped.is_err(), "the output's drop panics");
    });
    assert_eq!(alloc::stats().in_use, baseline, "the task's block leaked");
}
