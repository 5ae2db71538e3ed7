//! uvco::task::JoinSet: spawn, join_next in finishing order, len/is_empty, try_join_next,
//! abort_all, shutdown, abort on drop, panics, join_all; on a real loop with real timers.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use uvco::task::JoinSet;

#[global_allocator]
static A: common::Counting = common::Counting;

fn run<F: std::future::Future>(f: F) -> F::Output {
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    rt.close().unwrap();
    out
}

/// Sets its flag when dropped: a task's future holding one shows whether it was dropped.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn join_next_in_finishing_order() {
    run(async {
        let mut set = JoinSet::new();
        assert!(set.is_empty());
        assert!(set.join_next().await.is_none(), "an empty set ends at once");
        // Each waits for the previous one's flag, so the finishing order is fixed (the reverse
        // of the spawning order) without timing.
        let gates: Vec<Rc<Cell<bool>>> = (0..4).map(|_| Rc::new(Cell::new(false))).collect();
        for i in 0..4usize {
            let mine = gates[i].clone();
            let after = (i < 3).then(|| gates[i + 1].clone());
            let id = set.spawn(async move {
                if let Some(after) = after {
                    while !after.get() {
                        uvco::task::yield_now().await;
                    }
                }
                mine.set(true);
                i
            });
            let _ = id;
        }
        assert_eq!(set.len(), 4);
        let mut order = Vec::new();
        while let Some(done) = set.join_next().await {
            order.push(done.unwrap());
            assert_eq!(set.len(), 4 - order.len());
        }
        assert_eq!(order, [3, 2, 1, 0]);
        assert!(set.is_empty());
    });
}

#[test]
fn join_next_with_id_names_the_task() {
    run(async {
        let mut set = JoinSet::new();
        let a = set.spawn(async { "a" });
        let b = set.spawn(async { "b" });
        let mut seen = Vec::new();
        while let Some((id, out)) = set.join_next_with_id().await {
            seen.push((id, out.unwrap()));
        }
        seen.sort_by_key(|(id, _)| id.0);
        assert_eq!(seen, [(a, "a"), (b, "b")]);
    });
}

#[test]
fn try_join_next_does_not_wait() {
    run(async {
        let mut set = JoinSet::new();
        set.spawn(async {
            uvco::time::sleep(Duration::from_secs(60)).await;
            0
        });
        set.spawn(async { 1 });
        assert!(set.try_join_next().is_none(), "nothing has run yet");
        uvco::task::yield_now().await;
        assert_eq!(set.try_join_next().unwrap().unwrap(), 1);
        assert!(
            set.try_join_next().is_none(),
            "the sleeper is still running"
        );
        assert_eq!(set.len(), 1);
        set.abort_all();
    });
}

#[test]
fn abort_all_gives_aborted_errors() {
    run(async {
        let mut set = JoinSet::new();
        let dropped: Vec<Rc<Cell<bool>>> = (0..5).map(|_| Rc::new(Cell::new(false))).collect();
        for flag in &dropped {
            let flag = DropFlag(flag.clone());
            set.spawn(async move {
                let _flag = flag;
                uvco::time::sleep(Duration::from_secs(60)).await;
            });
        }
        set.spawn(async {});
        uvco::task::yield_now().await;
        set.abort_all();
        assert!(
            dropped.iter().all(|f| f.get()),
            "aborted futures are dropped"
        );
        assert_eq!(set.len(), 6, "aborted tasks stay until joined");
        let (mut aborted, mut finished) = (0, 0);
        while let Some(done) = set.join_next().await {
            match done {
                Ok(()) => finished += 1,
                Err(err) => {
                    assert!(!err.is_panic());
                    aborted += 1;
                }
            }
        }
        assert_eq!((aborted, finished), (5, 1));
    });
}

#[test]
fn shutdown_aborts_and_empties() {
    run(async {
        let mut set = JoinSet::new();
        for _ in 0..3 {
            set.spawn(uvco::time::sleep(Duration::from_secs(60)));
        }
        set.shutdown().await;
        assert!(set.is_empty());
    });
}

#[test]
fn drop_aborts_every_task() {
    run(async {
        let dropped = Rc::new(Cell::new(false));
        let ran_on = Rc::new(Cell::new(false));
        {
            let mut set = JoinSet::new();
            let flag = DropFlag(dropped.clone());
            let ran_on = ran_on.clone();
            set.spawn(async move {
                let _flag = flag;
                uvco::task::yield_now().await;
                uvco::task::yield_now().await;
                ran_on.set(true);
            });
            uvco::task::yield_now().await; // started, parked in its first yield
        }
        assert!(dropped.get(), "the set's drop aborted its task");
        for _ in 0..5 {
            uvco::task::yield_now().await;
        }
        assert!(!ran_on.get(), "an aborted task never runs again");
    });
}

#[test]
fn a_panicking_task_is_a_join_error() {
    run(async {
        let mut set = JoinSet::new();
        set.spawn(async { panic!("boom") });
        set.spawn(async { 7 });
        let mut outputs = Vec::new();
        let mut panics = 0;
        while let Some(done) = set.join_next().await {
            match done {
                Ok(v) => outputs.push(v),
                Err(err) => {
                    assert!(err.is_panic());
                    let payload = err.into_panic();
                    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
                    panics += 1;
                }
            }
        }
        assert_eq!((outputs, panics), (vec![7], 1));
    });
}

#[test]
fn join_all_and_extend() {
    run(async {
        let mut set: JoinSet<u32> = JoinSet::default();
        set.extend((1..=10u32).map(|i| async move { i * i }));
        assert_eq!(set.len(), 10);
        let mut all = set.join_all().await;
        all.sort_unstable();
        assert_eq!(all, (1..=10u32).map(|i| i * i).collect::<Vec<_>>());
    });
}

#[test]
fn detach_all_lets_tasks_run_on() {
    run(async {
        let done = Rc::new(Cell::new(false));
        let mut set = JoinSet::new();
        let d = done.clone();
        set.spawn(async move {
            uvco::task::yield_now().await;
            d.set(true);
        });
        set.detach_all();
        assert!(set.is_empty());
        drop(set);
        while !done.get() {
            uvco::task::yield_now().await;
        }
    });
}

#[test]
fn steady_state_spawn_and_join_do_not_allocate() {
    run(async {
        let mut set = JoinSet::new();
        // Warm up: the Vec's capacity and the free list's task blocks.
        for _ in 0..2 {
            for i in 0..8u64 {
                set.spawn(async move { i });
            }
            while set.join_next().await.is_some() {}
        }
        let before = common::allocs();
        for _ in 0..10 {
            for i in 0..8u64 {
                set.spawn(async move { i });
            }
            while set.join_next().await.is_some() {}
        }
        assert_eq!(common::allocs() - before, 0);
    });
}
