//! Timers on a real loop: sleep, sleep_until and reset, timeout and timeout_at (which drop the
//! inner future with a request in flight: R1/R2), interval and interval_at with each
//! missed-tick behaviour, and no allocation when re-arming. Then the paused clock (pause,
//! advance, resume, `#[uvco::test(start_paused = true)]`): virtual time moves exactly by
//! advance and auto-advance, and never past real I/O in flight (a file read, a TCP echo).

mod common;

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::task::Poll;
use std::time::Duration;

use uvco::time::{
    advance, interval, interval_at, pause, resume, sleep, sleep_until, timeout, timeout_at,
    Elapsed, Instant, MissedTickBehavior,
};

#[global_allocator]
static A: common::Counting = common::Counting;

#[uvco::test]
async fn sleep_waits_at_least_its_duration() {
    let start = Instant::now();
    sleep(Duration::from_millis(30)).await;
    assert!(start.elapsed() >= Duration::from_millis(30));
    // Sub-millisecond sleeps round up rather than returning early or hanging.
    sleep(Duration::from_micros(10)).await;
}

#[uvco::test]
async fn timeout_passes_through_a_quick_future() {
    assert_eq!(timeout(Duration::from_secs(10), async { 5 }).await, Ok(5));
    let elapsed: Elapsed = timeout(Duration::ZERO, sleep(Duration::from_secs(10)))
        .await
        .unwrap_err();
    let err: std::io::Error = elapsed.into();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
}

#[uvco::test]
async fn timeout_drops_a_future_with_a_request_in_flight() {
    let baseline = uvco::runtime::alloc::stats().in_use;
    let started = Arc::new(Barrier::new(2));
    let release = Arc::new(Barrier::new(2));
    let finished = Arc::new(AtomicBool::new(false));
    let job = {
        let (started, release, finished) = (started.clone(), release.clone(), finished.clone());
        uvco::task::spawn_blocking(move || {
            started.wait();
            release.wait();
            finished.store(true, Ordering::SeqCst);
            vec![0u8; 1024] // a result that must be freed, not leaked, when nobody takes it
        })
    };
    let outcome = timeout(Duration::from_millis(20), async {
        // The threadpool is running the job, so uv_cancel can't stop it.
        started.wait();
        job.await
    })
    .await;
    assert!(
        outcome.is_err(),
        "the job is still blocked, so the deadline passes first"
    );
    release.wait();
    // The orphaned request completes later; its slot goes back to the free list.
    let deadline = Instant::now() + Duration::from_secs(10);
    while uvco::runtime::alloc::stats().in_use != baseline {
        assert!(
            Instant::now() < deadline,
            "the orphaned slot was never freed"
        );
        // Not `sleep`: each sleep's own timer block is in use until its close callback.
        uvco::task::yield_now().await;
    }
    assert!(finished.load(Ordering::SeqCst));
}

#[uvco::test]
async fn interval_ticks_at_its_period() {
    let before = Instant::now();
    let mut ticks = interval(Duration::from_millis(10));
    // The first tick completes in its first poll (no timing threshold: valgrind is slow).
    let mut first = Box::pin(ticks.tick());
    let start = poll_once(&mut first)
        .await
        .expect("the first tick is immediate");
    drop(first);
    assert!(start >= before);
    for k in 1..=3u32 {
        // Burst (the default) keeps the schedule: each tick reports its own slot.
        assert_eq!(ticks.tick().await, start + Duration::from_millis(10) * k);
    }
    assert!(start.elapsed() >= Duration::from_millis(30));
    assert_eq!(ticks.period(), Duration::from_millis(10));
}

#[uvco::test]
async fn dropped_timers_release_their_blocks() {
    let baseline = uvco::runtime::alloc::stats().in_use;
    for _ in 0..100 {
        let _ = timeout(Duration::from_millis(1), sleep(Duration::from_secs(60))).await;
    }
    // Closed handles are freed by their close callbacks, on the next loop turn.
    uvco::task::yield_now().await;
    uvco::task::yield_now().await;
    assert_eq!(uvco::runtime::alloc::stats().in_use, baseline);
}

/// Polls `fut` once, with this task's waker: `Some` if it completed in that poll.
async fn poll_once<F: std::future::Future + Unpin>(fut: &mut F) -> Option<F::Output> {
    std::future::poll_fn(|cx| match std::pin::Pin::new(&mut *fut).poll(cx) {
        Poll::Ready(out) => Poll::Ready(Some(out)),
        Poll::Pending => Poll::Ready(None),
    })
    .await
}

#[uvco::test]
async fn sleep_until_waits_for_its_deadline_and_a_past_one_is_ready_at_once() {
    let deadline = Instant::now() + Duration::from_millis(20);
    let nap = sleep_until(deadline);
    assert_eq!(nap.deadline(), deadline);
    assert!(!nap.is_elapsed());
    nap.await;
    assert!(Instant::now() >= deadline);

    let mut past = sleep_until(deadline);
    assert!(past.is_elapsed());
    assert_eq!(poll_once(&mut past).await, Some(()));
    // `sleep`'s deadline is counted from the call, as tokio's.
    let before = Instant::now();
    let nap = sleep(Duration::from_secs(1));
    assert!(nap.deadline() >= before + Duration::from_secs(1));
}

#[uvco::test]
async fn sleep_reset_moves_the_deadline_later_and_earlier() {
    // Later: a started 10 ms sleep reset to 60 ms waits the 60.
    let mut nap = sleep(Duration::from_millis(10));
    assert_eq!(poll_once(&mut nap).await, None); // its timer is armed now
    let later = Instant::now() + Duration::from_millis(60);
    Pin::new(&mut nap).reset(later);
    assert_eq!(nap.deadline(), later);
    (&mut nap).await;
    assert!(Instant::now() >= later);
    assert!(nap.is_elapsed());

    // Earlier: a started one-minute sleep reset to 10 ms ends well inside the minute (the
    // outer timeout only turns a hang into a failure).
    let mut long = sleep(Duration::from_secs(60));
    assert_eq!(poll_once(&mut long).await, None);
    let sooner = Instant::now() + Duration::from_millis(10);
    Pin::new(&mut long).reset(sooner);
    assert_eq!(timeout(Duration::from_secs(30), &mut long).await, Ok(()));
    assert!(Instant::now() >= sooner);

    // After completing, a reset sleeps again, on the same timer.
    let again = Instant::now() + Duration::from_millis(15);
    Pin::new(&mut long).reset(again);
    assert!(!long.is_elapsed());
    assert_eq!(poll_once(&mut long).await, None);
    long.await;
    assert!(Instant::now() >= again);
}

#[uvco::test]
async fn timeout_at_uses_the_deadline_and_gives_back_the_future() {
    let deadline = Instant::now() + Duration::from_millis(15);
    let res = timeout_at(deadline, sleep(Duration::from_secs(60))).await;
    assert!(res.is_err());
    assert!(Instant::now() >= deadline);
    assert_eq!(
        res.unwrap_err().to_string(),
        "deadline has elapsed",
        "Elapsed displays as tokio's"
    );
    // A ready future wins over a past deadline: it is polled first.
    assert_eq!(timeout_at(deadline, async { 1 }).await, Ok(1));

    let mut t = timeout(Duration::from_secs(60), sleep(Duration::from_secs(60)));
    assert!(!t.get_ref().is_elapsed());
    let soon = Instant::now() + Duration::from_millis(5);
    Pin::new(t.get_mut()).reset(soon);
    assert_eq!(t.await, Ok(()), "the inner sleep, reset, ends first");
    let inner = timeout(Duration::from_secs(60), std::future::ready(8)).into_inner();
    assert_eq!(inner.await, 8);
}

#[uvco::test]
async fn interval_at_ticks_on_its_schedule() {
    let start = Instant::now() + Duration::from_millis(10);
    let period = Duration::from_millis(5);
    let mut every = interval_at(start, period);
    assert_eq!(every.missed_tick_behavior(), MissedTickBehavior::Burst);
    for k in 0..4u32 {
        // Burst keeps the schedule whatever the load: each tick reports its slot.
        let due = every.tick().await;
        assert_eq!(due, start + period * k);
        assert!(Instant::now() >= due);
    }
    // reset: the next tick is a period after the call, not on the old schedule.
    let before = Instant::now();
    every.reset();
    let due = every.tick().await;
    assert!(due >= before + period);
    assert!(Instant::now() >= due);
}

/// Ticks an interval of `period` once, blocks the thread for `block`, then counts the ticks
/// that complete at once (in their first poll). Returns (start, those ticks' due times, the
/// due time of the next tick after them).
async fn missed_ticks(
    behavior: MissedTickBehavior,
    period: Duration,
    block: Duration,
) -> (Instant, Vec<Instant>, Instant) {
    let mut every = interval(period);
    every.set_missed_tick_behavior(behavior);
    let start = every.tick().await;
    std::thread::sleep(block); // the task is busy: ticks are missed
    let mut at_once = Vec::new();
    loop {
        let mut tick = Box::pin(every.tick());
        match poll_once(&mut tick).await {
            Some(due) => at_once.push(due),
            None => break,
        }
    }
    let next = every.tick().await;
    (start, at_once, next)
}

const PERIOD: Duration = Duration::from_millis(200);
const BLOCK: Duration = Duration::from_millis(900);

#[uvco::test]
async fn missed_ticks_burst() {
    let (start, at_once, next) = missed_ticks(MissedTickBehavior::Burst, PERIOD, BLOCK).await;
    // Slots 1..=4 (200..800 ms) passed while blocked: at least those four come at once, each
    // reporting its own slot.
    assert!(at_once.len() >= 4, "{} ticks at once", at_once.len());
    for (k, due) in at_once.iter().enumerate() {
        assert_eq!(*due, start + PERIOD * (k as u32 + 1));
    }
    assert_eq!(next, start + PERIOD * (at_once.len() as u32 + 1));
}

#[uvco::test]
async fn missed_ticks_delay() {
    let blocked_until = Instant::now() + BLOCK;
    let (start, at_once, next) = missed_ticks(MissedTickBehavior::Delay, PERIOD, BLOCK).await;
    // One late tick (slot 1), then a full period from when it came.
    assert_eq!(at_once, vec![start + PERIOD]);
    assert!(next >= blocked_until + PERIOD);
}

#[uvco::test]
async fn missed_ticks_skip() {
    let blocked_until = Instant::now() + BLOCK;
    let (start, at_once, next) = missed_ticks(MissedTickBehavior::Skip, PERIOD, BLOCK).await;
    assert_eq!(at_once, vec![start + PERIOD]);
    // The next tick is back on the original schedule, past the missed slots.
    assert!(next > blocked_until);
    assert_eq!((next - start).as_nanos() % PERIOD.as_nanos(), 0);
}

#[test]
#[should_panic(expected = "the period must be non-zero")]
fn interval_with_a_zero_period_panics() {
    let _ = interval_at(Instant::now(), Duration::ZERO);
}

#[uvco::test]
async fn reset_and_ticks_do_not_allocate() {
    let mut nap = sleep(Duration::from_millis(1));
    (&mut nap).await;
    let mut every = interval(Duration::from_millis(1));
    for _ in 0..3 {
        every.tick().await;
        Pin::new(&mut nap).reset(Instant::now() + Duration::from_millis(1));
        (&mut nap).await;
    }
    let before = common::allocs();
    for _ in 0..50 {
        Pin::new(&mut nap).reset(Instant::now() + Duration::from_millis(1));
        (&mut nap).await;
        every.tick().await;
    }
    assert_eq!(
        common::allocs() - before,
        0,
        "re-arming a sleep and 50 interval ticks reuse their timers"
    );
}

#[uvco::test]
async fn huge_durations_mean_never_not_a_panic() {
    let mut every = interval(Duration::MAX);
    every.tick().await; // the first tick is now
    let mut next = Box::pin(every.tick());
    assert_eq!(poll_once(&mut next).await, None);
    let mut nap = sleep(Duration::MAX);
    assert!(nap.deadline() > Instant::now() + Duration::from_secs(86400 * 365));
    assert_eq!(poll_once(&mut nap).await, None);
    assert!(timeout(Duration::MAX, async { 2 }).await == Ok(2));
}

// ---- The paused clock ----

const HOUR: Duration = Duration::from_secs(3600);

#[uvco::test(start_paused = true)]
async fn an_hour_of_sleep_under_a_paused_clock_is_exactly_an_hour_of_virtual_time() {
    let start = Instant::now();
    let blocks = uvco::runtime::alloc::stats().in_use;
    let mut nap = sleep(HOUR);
    assert_eq!(poll_once(&mut nap).await, None);
    // Waiting in virtual time: no libuv timer, so no handle block in use.
    assert_eq!(uvco::runtime::alloc::stats().in_use, blocks);
    nap.await;
    assert_eq!(
        Instant::now() - start,
        HOUR,
        "auto-advanced to the deadline"
    );
    // The clock stands still between timers.
    assert_eq!(Instant::now() - start, HOUR);
}

#[uvco::test(start_paused = true)]
async fn advance_wakes_what_is_due_and_nothing_else_and_never_while_tasks_are_ready() {
    let start = Instant::now();
    let ten = uvco::spawn_local(async move {
        sleep(Duration::from_secs(10)).await;
        Instant::now()
    });
    // Ready tasks (this one, yielding) keep the clock still: no auto-advance.
    for _ in 0..3 {
        uvco::task::yield_now().await;
    }
    assert!(!ten.is_finished());
    assert_eq!(Instant::now(), start);
    advance(Duration::from_secs(9)).await;
    assert!(!ten.is_finished());
    assert_eq!(Instant::now() - start, Duration::from_secs(9));
    advance(Duration::from_secs(1)).await;
    assert!(ten.is_finished(), "advance yields to the tasks it woke");
    assert_eq!(ten.await.unwrap() - start, Duration::from_secs(10));
}

#[uvco::test(start_paused = true)]
async fn tasks_sleeping_in_virtual_time_end_in_deadline_order_at_their_deadlines() {
    let start = Instant::now();
    let order = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let tasks: Vec<_> = [3u64, 1, 2]
        .into_iter()
        .map(|secs| {
            let order = order.clone();
            uvco::spawn_local(async move {
                sleep(Duration::from_secs(secs)).await;
                order.borrow_mut().push((secs, Instant::now() - start));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let secs = |s| Duration::from_secs(s);
    assert_eq!(*order.borrow(), [(1, secs(1)), (2, secs(2)), (3, secs(3))]);
}

#[uvco::test(start_paused = true)]
async fn interval_ticks_as_the_clock_is_advanced() {
    let period = Duration::from_millis(10);
    let mut every = interval(period);
    let start = every.tick().await; // the first tick is now
    assert_eq!(start, Instant::now());
    for k in 1..=3u32 {
        advance(period / 2).await;
        let mut tick = Box::pin(every.tick());
        assert_eq!(poll_once(&mut tick).await, None, "half a period: not due");
        advance(period / 2).await;
        assert_eq!(poll_once(&mut tick).await, Some(start + period * k));
    }
    // Auto-advance: awaiting the next tick moves the clock exactly one period.
    assert_eq!(every.tick().await, start + period * 4);
    assert_eq!(Instant::now(), start + period * 4);
    // Advancing past several periods: the missed ticks burst, each with its own slot.
    advance(period * 3).await;
    for k in 5..=7u32 {
        let mut tick = Box::pin(every.tick());
        assert_eq!(poll_once(&mut tick).await, Some(start + period * k));
    }
}

#[uvco::test(start_paused = true)]
async fn timeouts_elapse_in_virtual_time() {
    let start = Instant::now();
    let never = std::future::pending::<()>();
    assert!(timeout(HOUR, never).await.is_err());
    assert_eq!(Instant::now() - start, HOUR);
    assert!(timeout(HOUR, sleep(HOUR * 2)).await.is_err());
    assert_eq!(Instant::now() - start, HOUR * 2);
    assert_eq!(timeout(HOUR * 2, sleep(HOUR)).await, Ok(()));
    assert_eq!(Instant::now() - start, HOUR * 3);
    let deadline = Instant::now() + Duration::from_secs(5);
    assert!(timeout_at(deadline, sleep(HOUR)).await.is_err());
    assert_eq!(Instant::now(), deadline);
}

#[uvco::test(start_paused = true)]
async fn a_file_read_completes_under_a_paused_clock_before_its_timeout() {
    let dir = common::TempDir::new("time-paused-read");
    let path = dir.join("data");
    // Over 64 KiB, so that even from the page cache it is read by a threadpool job, not on
    // the loop thread.
    let data = b"read while paused".repeat(4000);
    std::fs::write(&path, &data).unwrap();
    let start = Instant::now();
    // The read is a threadpool job: a request in flight, so the clock must not skip to the
    // timeout's deadline while it runs.
    for _ in 0..20 {
        let got = timeout(Duration::from_secs(1), uvco::fs::read(&path)).await;
        assert!(got.unwrap().unwrap() == data, "the bytes read while paused");
    }
    assert_eq!(Instant::now(), start, "no timer was due, so no time passed");

    // A FIFO whose writer comes later: the job waits in open(2) and read(2), in real time.
    let fifo = dir.join("fifo");
    common::mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::write(fifo, "late").unwrap();
        })
    };
    let got = timeout(Duration::from_secs(1), uvco::fs::read(&fifo)).await;
    assert_eq!(got.expect("the read completed first").unwrap(), b"late");
    assert_eq!(Instant::now(), start);
    writer.join().unwrap();
}

#[uvco::test(start_paused = true)]
async fn a_tcp_echo_with_a_peer_thread_completes_under_a_paused_clock() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 64];
        for _ in 0..5 {
            let n = conn.read(&mut buf).unwrap();
            // Slow on purpose: the answer must be waited for, not polled for once.
            std::thread::sleep(Duration::from_millis(20));
            conn.write_all(&buf[..n]).unwrap();
        }
    });
    let start = Instant::now();
    let exchange = async {
        let mut conn = uvco::net::TcpStream::connect(addr).await?;
        for i in 0..5u8 {
            conn.write_all(&[i; 8]).await?;
            let mut got = [0u8; 8];
            let mut have = 0;
            while have < got.len() {
                have += conn.read(&mut got[have..]).await?;
            }
            assert_eq!(got, [i; 8]);
        }
        std::io::Result::Ok(())
    };
    // The peer answers in real time; a clock that skipped to the deadline meanwhile would
    // time the exchange out.
    timeout(Duration::from_secs(1), exchange)
        .await
        .expect("the echo completed first")
        .unwrap();
    assert_eq!(Instant::now(), start);
    peer.join().unwrap();
}

#[uvco::test]
async fn resume_hands_waiting_sleeps_back_to_real_timers() {
    pause();
    let start = Instant::now();
    advance(HOUR).await;
    let mut nap = sleep(Duration::from_millis(5));
    assert_eq!(poll_once(&mut nap).await, None); // waits in virtual time
    resume();
    let resumed = Instant::now();
    assert!(resumed - start >= HOUR, "advanced time stays advanced");
    nap.await; // on a libuv timer now: nothing advances a running clock
    assert!(Instant::now() - start >= HOUR + Duration::from_millis(5));
    // Paused again, from where it runs now.
    pause();
    let again = Instant::now();
    sleep(HOUR).await;
    assert_eq!(Instant::now() - again, HOUR);
}

#[uvco::test(start_paused = true)]
async fn paused_sleeps_do_not_allocate() {
    let mut every = interval(Duration::from_secs(1));
    for _ in 0..3 {
        sleep(Duration::from_secs(1)).await;
        every.tick().await;
    }
    let before = common::allocs();
    for _ in 0..50 {
        sleep(Duration::from_secs(1)).await;
        every.tick().await;
        let _ = timeout(Duration::from_millis(1), std::future::pending::<()>()).await;
    }
    assert_eq!(
        common::allocs() - before,
        0,
        "virtual timers reuse their slots, and make no libuv timer"
    );
}

#[test]
fn instant_outside_a_runtime_is_std_time_and_a_paused_clock_is_its_runtime_s_alone() {
    let rt = uvco::Runtime::new().unwrap();
    let frozen = rt.block_on(async {
        pause();
        Instant::now()
    });
    // Outside the runtime, and in another runtime on the same thread, time runs.
    let other = uvco::Runtime::new().unwrap();
    let later = Instant::now() + Duration::from_millis(1);
    std::thread::sleep(Duration::from_millis(2));
    assert!(Instant::now() > later);
    assert!(other.block_on(async { Instant::now() }) > later);
    // Back in the paused runtime, the clock stood still.
    assert_eq!(rt.block_on(async { Instant::now() }), frozen);
    // Dropping the runtime forgets its clock: a new runtime's clock runs (and can pause).
    drop(rt);
    let rt = uvco::Runtime::new().unwrap();
    assert!(rt.block_on(async { Instant::now() }) > later);
    rt.block_on(async { pause() });
}

#[test]
#[should_panic(expected = "uvco::time::pause called outside a uvco runtime")]
fn pause_outside_a_runtime_panics() {
    pause();
}

#[uvco::test(start_paused = true)]
#[should_panic(expected = "uvco::time::pause: the clock is already paused")]
async fn pausing_twice_panics() {
    pause();
}

#[uvco::test]
#[should_panic(expected = "uvco::time::advance: the clock is not paused")]
async fn advance_without_pause_panics() {
    advance(Duration::from_secs(1)).await;
}

#[uvco::test]
#[should_panic(expected = "uvco::time::resume: the clock is not paused")]
async fn resume_without_pause_panics() {
    resume();
}

#[uvco::test]
async fn a_sleep_started_before_the_pause_ends_exactly_at_its_deadline() {
    let mut nap = sleep(Duration::from_millis(20));
    assert_eq!(poll_once(&mut nap).await, None); // on a libuv timer
    let deadline = nap.deadline();
    pause();
    // On a slow machine (valgrind) the deadline may be past already when the clock stops.
    let paused_at = Instant::now();
    // Its libuv timer counts as pending: the clock doesn't auto-advance past it; when it
    // fires, the sleep moves to virtual time and the clock goes to its deadline.
    let other = uvco::spawn_local(sleep(HOUR));
    nap.await;
    assert_eq!(Instant::now(), deadline.max(paused_at));
    assert!(!other.is_finished());
    other.await.unwrap();
}
