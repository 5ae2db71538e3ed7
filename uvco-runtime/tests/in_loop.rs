//! `block_on` runs its loop with the future polled inside it (from the prepare and idle
//! phases): what that must keep from the old "stop the loop at every wake" design. Each case
//! broke in a first version of it (found in review).

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use uvco_runtime::{spawn_local, sys, yield_now, Runtime};

mod common;
use common::fs_stat;
#[path = "../../tests/common/turns.rs"]
mod turns;
use turns::{turns, TurnCounter};

/// With B attached to A's loop, `B.block_on` inside A's future runs A's loop, whose ticks
/// must not poll A's future again while that poll is still on the stack.
#[test]
fn the_main_future_is_not_polled_again_by_a_nested_run_of_its_loop() {
    let a = Runtime::new().unwrap();
    let lp = a.loop_ptr();
    let depth = Cell::new(0u32);
    let deepest = Cell::new(0u32);
    let polls = Cell::new(0u32);
    a.block_on(poll_fn(|cx| {
        depth.set(depth.get() + 1);
        deepest.set(deepest.get().max(depth.get()));
        polls.set(polls.get() + 1);
        let out = match polls.get() {
            _ if depth.get() > 1 => Poll::Pending,
            1 => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            2 => {
                // Woken before the nested run: its ticks see the flag.
                cx.waker().wake_by_ref();
                // SAFETY: A's loop, on this thread; B is dropped before A.
                let b = unsafe { Runtime::attach(lp) }.unwrap();
                b.block_on(yield_now());
                drop(b);
                Poll::Pending
            }
            _ => Poll::Ready(()),
        };
        depth.set(depth.get() - 1);
        out
    }));
    assert_eq!(
        deepest.get(),
        1,
        "polled re-entrantly ({} polls)",
        polls.get()
    );
}

thread_local! {
    static PREPARE_WAKES: RefCell<Option<Waker>> = const { RefCell::new(None) };
    static TIMER_FIRED: Cell<bool> = const { Cell::new(false) };
}

unsafe extern "C" fn wake_from_prepare(_: *mut sys::uv_prepare_t) {
    if let Some(waker) = PREPARE_WAKES.with(|w| w.borrow_mut().take()) {
        waker.wake();
    }
}

unsafe extern "C" fn timer_fired(_: *mut sys::uv_timer_t) {
    TIMER_FIRED.with(|f| f.set(true));
}

/// A prepare handle of the host's, started before `block_on` (so libuv runs it after the
/// runtime's own), wakes the main future (`main`) or a task just before the poll for I/O.
/// The wake must keep that poll from blocking: the only other event is a 60 s timer, which
/// must not have fired by the time `block_on` returns.
fn woken_from_a_foreign_prepare(main: bool) {
    let rt = Runtime::new().unwrap();
    let lp = rt.loop_ptr();
    // SAFETY: zeroed handles (libuv's init fills them), initialised on rt's loop, boxed so
    // they stay put, and closed (with a loop turn to run the closes) before the runtime drops.
    let (mut prepare, mut timer): (Box<sys::uv_prepare_t>, Box<sys::uv_timer_t>) =
        unsafe { (Box::new(std::mem::zeroed()), Box::new(std::mem::zeroed())) };
    // SAFETY: as above.
    unsafe {
        sys::uv_prepare_init(lp, &mut *prepare);
        sys::uv_prepare_start(&mut *prepare, Some(wake_from_prepare));
        sys::uv_timer_init(lp, &mut *timer);
        sys::uv_timer_start(&mut *timer, Some(timer_fired), 60_000, 0);
    }
    TIMER_FIRED.with(|f| f.set(false));
    rt.block_on(async {
        let polled = Rc::new(Cell::new(false));
        let seen = polled.clone();
        let task = spawn_local(poll_fn(move |cx| {
            if seen.replace(true) {
                return Poll::Ready(());
            }
            if !main {
                PREPARE_WAKES.with(|w| *w.borrow_mut() = Some(cx.waker().clone()));
            }
            Poll::Pending
        }));
        if main {
            let mut first = true;
            poll_fn(|cx| {
                if std::mem::take(&mut first) {
                    PREPARE_WAKES.with(|w| *w.borrow_mut() = Some(cx.waker().clone()));
                    return Poll::Pending;
                }
                Poll::Ready(())
            })
            .await;
            task.abort();
        } else {
            task.await.unwrap();
        }
    });
    assert!(
        !TIMER_FIRED.with(Cell::get),
        "the wake was lost: the loop slept until its timer"
    );
    // SAFETY: the handles are open and ours; the turn runs their close callbacks (none).
    unsafe {
        sys::uv_close((&raw mut *prepare).cast(), None);
        sys::uv_close((&raw mut *timer).cast(), None);
        sys::uv_run(lp, sys::uv_run_mode_UV_RUN_NOWAIT);
    }
}

#[test]
fn a_task_woken_by_a_foreign_prepare_callback_runs_before_the_loop_sleeps() {
    woken_from_a_foreign_prepare(false);
}

#[test]
fn the_main_future_woken_by_a_foreign_prepare_callback_runs_before_the_loop_sleeps() {
    woken_from_a_foreign_prepare(true);
}

/// Each `yield_now` of the main future is a loop turn (its check phase counts them), as it
/// was when `block_on` polled the future outside the loop: the idle phase's poll of a future
/// that yields must not be followed by another in the same turn's prepare phase.
#[test]
fn each_yield_of_the_main_future_is_a_loop_turn() {
    let rt = Runtime::new().unwrap();
    let counter = TurnCounter::start(&rt);
    let turns = rt.block_on(async {
        // A task parked for good: tasks are live, as in most programs.
        let parked = spawn_local(std::future::pending::<()>());
        let before = turns();
        for _ in 0..100 {
            yield_now().await;
        }
        parked.abort();
        turns() - before
    });
    drop(counter);
    assert!(turns >= 99, "100 yields made {turns} loop turns");
}

/// The main future resumed by a completion alone is polled in the prepare phase without the
/// tick's rounds (a fast path); what it does there keeps the rounds' rules: a task it spawns
/// runs before the loop sleeps, and a yield is a loop turn even with that task to run.
#[test]
fn the_main_future_resumed_by_a_completion_keeps_the_rules_of_a_tick() {
    let rt = Runtime::new().unwrap();
    let _counter = TurnCounter::start(&rt);
    let ran = Rc::new(Cell::new(0u32));
    rt.block_on(async {
        for i in 1..=20 {
            fs_stat(c"Cargo.toml").await.expect("stat");
            let ran2 = ran.clone();
            spawn_local(async move { ran2.set(ran2.get() + 1) }).detach();
            let before = turns();
            yield_now().await;
            assert!(turns() > before, "yield {i} made no loop turn");
            assert_eq!(
                ran.get(),
                i,
                "the task spawned before yield {i} has not run"
            );
        }
    });
}
