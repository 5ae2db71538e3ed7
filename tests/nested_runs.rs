//! A second runtime attached to the loop of one whose `block_on` is running, blocking on
//! something from inside it: a run of the loop nested in a task's poll or in the `block_on`
//! future's. `block_on` polls its future inside the loop; these are the cases where that must
//! not happen (found in review; both failed before the fix). And a runtime entered inside
//! another's `block_on` future, while that future waits on a request.

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::sync::mpsc;
use std::task::Poll;
use std::time::Duration;

use uvco::sys;
use uvco::time::sleep;
use uvco::{spawn_local, Runtime};

#[path = "common/turns.rs"]
mod turns;
use turns::{turns, TurnCounter};

/// Runs `f` on a thread of its own and fails if it hasn't returned after a minute: a guard
/// against a hang (what the first test's bug was), far beyond the milliseconds `f` takes.
fn returns(f: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("block_on never returned"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test's thread panicked"),
    }
}

/// A's future is woken (its sleep ends) while a task of A blocks on B for longer. It must
/// not be polled, and complete, inside that task's poll: its `uv_stop` would end B's run,
/// not A's, and A's run would then wait for good.
#[test]
fn a_future_woken_during_a_tasks_nested_run_ends_its_block_on() {
    returns(|| {
        let a = Runtime::new().unwrap();
        let lp = a.loop_ptr();
        let polled_inside = std::rc::Rc::new(Cell::new(false));
        let inside = std::rc::Rc::new(Cell::new(false));
        let (seen, flag) = (polled_inside.clone(), inside.clone());
        a.block_on(async move {
            spawn_local(async move {
                sleep(Duration::from_millis(5)).await;
                // SAFETY: A's loop, on this thread; B is dropped before A.
                let b = unsafe { Runtime::attach(lp) }.unwrap();
                flag.set(true);
                b.block_on(sleep(Duration::from_millis(100)));
                flag.set(false);
                drop(b);
            })
            .detach();
            sleep(Duration::from_millis(20)).await;
            seen.set(inside.get());
        });
        assert!(
            !polled_inside.get(),
            "A's future was polled inside its task's poll"
        );
    });
}

/// A's future, woken, blocks on B for 50 ms from inside its poll. A's ticks in B's run can't
/// poll it (it is being polled), so its wake is no reason to keep the loop from sleeping: a
/// handful of loop turns, not tens of thousands.
#[test]
fn a_woken_future_does_not_make_a_nested_run_spin() {
    let a = Runtime::new().unwrap();
    let lp = a.loop_ptr();
    let counter = TurnCounter::start(&a);
    let turns = a.block_on(async move {
        sleep(Duration::from_millis(5)).await;
        // Woken again, as by any wake that comes in during the nested run.
        poll_fn(|cx| {
            cx.waker().wake_by_ref();
            Poll::Ready(())
        })
        .await;
        let before = turns();
        // SAFETY: A's loop, on this thread; B is dropped before A.
        let b = unsafe { Runtime::attach(lp) }.unwrap();
        b.block_on(sleep(Duration::from_millis(50)));
        drop(b);
        turns() - before
    });
    drop(counter);
    assert!(turns < 50, "a 50 ms sleep took {turns} loop turns");
}

/// A `block_on` future's request keeps no clone of its waker, only a mark of its runtime,
/// which the completion looks for among the runtimes entered on the thread. Here the future
/// holds another runtime's guard across its wait, so that one is the current runtime when the
/// request completes: the wake must still reach the future (or `block_on` waits for good).
#[test]
fn a_request_wakes_the_main_future_while_another_runtime_is_entered() {
    await_with_another_runtime_entered(false);
}

/// The same with the waker registered again once the other runtime is entered: the mark is
/// not of the current runtime then, so the request keeps a counted clone of the main waker.
#[test]
fn a_request_polled_again_under_another_runtimes_guard_wakes_the_main_future() {
    await_with_another_runtime_entered(true);
}

/// A `block_on` future that submits a stat under its runtime, then enters another and keeps
/// it entered to the end; `poll_again`: it polls the stat once more right after entering.
fn await_with_another_runtime_entered(poll_again: bool) {
    returns(move || {
        let rt = Runtime::new().unwrap();
        let other = Runtime::new().unwrap();
        let meta = rt.block_on(async {
            let mut meta = std::pin::pin!(uvco::fs::metadata("/"));
            let mut guard = None;
            poll_fn(|cx| {
                if guard.is_none() {
                    // Submitted under `rt` (on `other`'s loop it would never complete).
                    assert!(meta.as_mut().poll(cx).is_pending());
                    guard = Some(other.enter());
                    if !poll_again {
                        return Poll::Pending;
                    }
                }
                meta.as_mut().poll(cx)
            })
            .await
        });
        assert!(meta.unwrap().is_dir());
    });
}

/// A request whose `block_on` future returned it unfinished outlives its runtime: it
/// completes in the runtime's teardown (the mark of a runtime in teardown wakes nothing), and
/// a later runtime, perhaps at the same address, awaits it to the end.
#[test]
fn a_request_that_outlives_its_runtime_is_awaited_under_the_next() {
    let rt = Runtime::new().unwrap();
    let mut meta = Box::pin(uvco::fs::metadata("/"));
    let first = rt.block_on(poll_fn(|cx| Poll::Ready(meta.as_mut().poll(cx))));
    assert!(first.is_pending());
    drop(rt);
    let rt = Runtime::new().unwrap();
    let meta = rt.block_on(meta.as_mut());
    assert!(meta.unwrap().is_dir());
}
