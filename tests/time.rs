//! Timers on a real loop: sleep, sleep_until and reset, timeout and timeout_at (which drop the
//! inner future with a request in flight: R1/R2), interval and interval_at with each
//! missed-tick behaviour, and no allocation when re-arming.

mod common;

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::task::Poll;
use std::time::Duration;

use uvco::time::{
    interval, interval_at, sleep, sleep_until, timeout, timeout_at, Elapsed, Instant,
    MissedTickBehavior,
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
    let mut ticks = interval(Duration::from_millis(10));
    let start = Instant::now();
    ticks.tick().await; // immediate
    assert!(start.elapsed() < Duration::from_millis(10));
    for _ in 0..3 {
        ticks.tick().await;
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
