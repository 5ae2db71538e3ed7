//! Timers on a real loop: sleep, timeout (which drops the inner future with a request in
//! flight: R1/R2), interval.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use uvco::time::{interval, sleep, timeout, Elapsed};

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
