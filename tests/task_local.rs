//! uvco::task_local!: values carried across awaits on real timers and real fs requests, kept
//! apart between interleaving tasks, nested scopes restored on return, on panic and on drop,
//! not inherited by spawned tasks, and no allocation per poll.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use uvco::task::{yield_now, AccessError};

#[global_allocator]
static A: common::Counting = common::Counting;

uvco::task_local! {
    static NUM: u32;
    static NAME: String;
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    rt.close().unwrap();
    out
}

#[test]
fn value_survives_sleep_and_fs_request() {
    let dir = common::TempDir::new("task-local");
    let path = dir.join("f");
    run(async {
        NAME.scope("outer".to_string(), async {
            assert_eq!(NAME.get(), "outer");
            uvco::time::sleep(Duration::from_millis(5)).await;
            assert_eq!(NAME.get(), "outer", "after a real timer");
            uvco::fs::write(&path, b"hello".to_vec()).await.unwrap();
            let back = uvco::fs::read(&path).await.unwrap();
            assert_eq!(back, b"hello");
            NAME.with(|n| assert_eq!(n, "outer", "after real fs requests"));
        })
        .await;
        assert!(
            NAME.try_with(|_| ()).is_err(),
            "taken out again after the scope"
        );
    });
}

#[test]
fn interleaving_tasks_see_only_their_own_value() {
    run(async {
        // Each task checks its value at every step of the other's progress: `turn` makes the
        // two alternate (a then b then a ...) without any timing.
        let turn = Rc::new(Cell::new(0u32));
        let task = |me: u32, turn: Rc<Cell<u32>>| {
            NUM.scope(me, async move {
                for step in 0..20 {
                    while turn.get() % 2 != me {
                        yield_now().await;
                    }
                    assert_eq!(NUM.get(), me, "task {me} at step {step}");
                    uvco::time::sleep(Duration::from_millis(1)).await;
                    assert_eq!(NUM.get(), me, "task {me} after a sleep");
                    turn.set(turn.get() + 1);
                }
                NUM.get()
            })
        };
        let a = uvco::spawn_local(task(0, turn.clone()));
        let b = uvco::spawn_local(task(1, turn.clone()));
        // The spawning task, polled between the two, sees neither.
        yield_now().await;
        assert!(NUM.try_with(|_| ()).is_err());
        assert_eq!(a.await.unwrap(), 0);
        assert_eq!(b.await.unwrap(), 1);
        assert_eq!(turn.get(), 40);
        assert!(NUM.try_with(|_| ()).is_err());
    });
}

#[test]
fn nested_scopes_restore_the_outer_value() {
    run(async {
        NUM.scope(1, async {
            let inner = NUM.scope(2, async {
                yield_now().await;
                let deeper = NUM.scope(3, async {
                    uvco::time::sleep(Duration::from_millis(1)).await;
                    NUM.get()
                });
                assert_eq!(deeper.await, 3);
                NUM.get()
            });
            assert_eq!(inner.await, 2);
            assert_eq!(NUM.get(), 1);
            // A different key nests independently.
            NAME.scope("n".into(), async {
                assert_eq!((NUM.get(), NAME.get()), (1, "n".into()))
            })
            .await;
            assert_eq!(NUM.get(), 1);
        })
        .await;
        let sync = NUM.sync_scope(5, || (NUM.sync_scope(6, || NUM.get()), NUM.get()));
        assert_eq!(sync, (6, 5));
        assert!(NUM.try_get().is_err());
    });
}

#[test]
fn panicking_inner_future_restores_outer_value() {
    run(async {
        let handle = uvco::spawn_local(NUM.scope(10, async {
            let inner = uvco::spawn_local(async {
                NUM.scope(20, async {
                    yield_now().await;
                    panic!("inner scope panics");
                })
                .await
            });
            assert!(
                inner.await.unwrap_err().is_panic(),
                "caught by the JoinHandle"
            );
            assert_eq!(NUM.get(), 10);
            // Within one task too: the inner scope unwinds through the outer future's poll.
            let caught = std::panic::catch_unwind(|| {
                NUM.sync_scope(30, || panic!("sync inner scope panics"))
            });
            assert!(caught.is_err());
            assert_eq!(NUM.get(), 10, "the outer value is back after the unwind");
            NUM.get()
        }));
        assert_eq!(handle.await.unwrap(), 10);
        assert!(NUM.try_get().is_err(), "nothing leaks out to the spawner");

        // A panic inside a polled scope (not a sync one), in the same task as the outer scope:
        // the unwind passes the inner TaskLocalFuture's poll and is caught inside the outer.
        NUM.scope(1, async {
            let mut inner = Box::pin(NUM.scope(2, async {
                yield_now().await;
                panic!("polled inner panics");
            }));
            let waker = std::task::Waker::noop();
            let mut cx = std::task::Context::from_waker(waker);
            assert!(inner.as_mut().poll(&mut cx).is_pending());
            assert_eq!(NUM.get(), 1);
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = inner.as_mut().poll(&mut cx);
            }));
            assert!(caught.is_err());
            assert_eq!(NUM.get(), 1, "restored after the inner poll unwound");
        })
        .await;
    });
}

use std::future::Future;

/// Reads the key when dropped: shows which value a future's destructor sees.
struct SeesOnDrop(Rc<Cell<Option<u32>>>);

impl Drop for SeesOnDrop {
    fn drop(&mut self) {
        self.0.set(NUM.try_get().ok());
    }
}

#[test]
fn scope_dropped_mid_flight() {
    run(async {
        let seen = Rc::new(Cell::new(None));
        NUM.scope(1, async {
            let guard = SeesOnDrop(seen.clone());
            let mut inner = Box::pin(NUM.scope(2, async move {
                let _guard = guard;
                uvco::time::sleep(Duration::from_secs(3600)).await;
            }));
            let waker = std::task::Waker::noop();
            let mut cx = std::task::Context::from_waker(waker);
            assert!(
                inner.as_mut().poll(&mut cx).is_pending(),
                "the sleep is in flight"
            );
            assert_eq!(NUM.get(), 1);
            drop(inner);
            assert_eq!(
                seen.get(),
                Some(2),
                "the inner future is dropped with its value set"
            );
            assert_eq!(NUM.get(), 1, "and the outer value is back after");
        })
        .await;

        // A task aborted while its scope sleeps: its future is dropped with its value set,
        // and nothing is left set on the thread.
        let seen = Rc::new(Cell::new(None));
        let guard = SeesOnDrop(seen.clone());
        let task = uvco::spawn_local(NUM.scope(7, async move {
            let _guard = guard;
            uvco::time::sleep(Duration::from_secs(3600)).await;
        }));
        yield_now().await;
        task.abort();
        assert!(matches!(task.await, Err(uvco::task::JoinError::Aborted)));
        assert_eq!(seen.get(), Some(7));
        assert!(NUM.try_get().is_err());
    });
}

#[test]
fn spawned_task_does_not_inherit() {
    run(async {
        let mut child = None;
        NUM.scope(4, async {
            child = Some(uvco::spawn_local(async {
                yield_now().await;
                NUM.try_get()
            }));
            yield_now().await;
            assert_eq!(NUM.get(), 4);
        })
        .await;
        let child = child.unwrap();
        assert!(
            child.await.unwrap().is_err(),
            "as under tokio: no inheritance"
        );
    });
}

#[test]
#[should_panic(expected = "outside any scope")]
fn with_outside_scope_panics_clearly() {
    NUM.with(|_| ());
}

#[test]
fn access_error_is_typed() {
    let err: AccessError = NUM.try_with(|n| *n).unwrap_err();
    assert!(err.to_string().contains("not set"), "{err}");
    let _: &dyn std::error::Error = &err;
}

#[test]
fn no_allocation_per_poll() {
    run(async {
        // The first access of a thread-local may register its destructor with the C runtime
        // (which can allocate): warm the key up before counting.
        NUM.sync_scope(0, || ());
        let polls = Rc::new(Cell::new(0u32));
        let counted = polls.clone();
        let before = common::allocs();
        let got = NUM
            .scope(9, async move {
                for _ in 0..1000 {
                    yield_now().await;
                    counted.set(counted.get() + 1);
                    assert_eq!(NUM.get(), 9);
                }
                NUM.get()
            })
            .await;
        let allocs = common::allocs() - before;
        assert_eq!(got, 9);
        assert_eq!(polls.get(), 1000);
        assert_eq!(
            allocs, 0,
            "scope + 1001 polls + with/get: no heap allocation"
        );
    });
}

#[test]
#[should_panic(expected = "from inside `LocalKey::with`")]
fn scope_inside_with_of_same_key_panics_clearly() {
    NUM.sync_scope(1, || NUM.with(|_| NUM.sync_scope(2, || ())));
}

#[test]
fn other_key_scope_inside_with_is_fine() {
    let both = NUM.sync_scope(1, || {
        NUM.with(|n| NAME.sync_scope("x".into(), || (*n, NAME.get())))
    });
    assert_eq!(both, (1, "x".to_string()));
}

#[test]
#[should_panic(expected = "polled after it finished")]
fn poll_after_finish_panics_clearly() {
    let mut fut = Box::pin(NUM.scope(1, async { NUM.get() }));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert_eq!(fut.as_mut().poll(&mut cx), std::task::Poll::Ready(1));
    let _ = fut.as_mut().poll(&mut cx);
}
