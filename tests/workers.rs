//! uvco::workers on real threads and sockets: placement (chosen and least-loaded), `Send` and
//! `!Send` futures, panics, cross-worker joins, abort, a reuseport echo server per worker,
//! shutdown with work in flight, and no allocation per spawn in steady state.

mod common;

use std::collections::HashSet;
use std::future::{poll_fn, Future};
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use uvco::workers::{current_index, Handle, Workers};
use uvco::JoinError;

#[global_allocator]
static A: common::Counting = common::Counting;

/// A `Send` gate: futures from `wait` stay pending until `open`.
#[derive(Clone, Default)]
struct Gate(Arc<Mutex<(bool, Vec<Waker>)>>);

impl Gate {
    fn wait(&self) -> impl Future<Output = ()> + Send + 'static {
        let gate = self.0.clone();
        poll_fn(move |cx| {
            let mut state = gate.lock().unwrap();
            if state.0 {
                return Poll::Ready(());
            }
            state.1.push(cx.waker().clone());
            Poll::Pending
        })
    }

    fn open(&self) {
        let wakers = {
            let mut state = self.0.lock().unwrap();
            state.0 = true;
            std::mem::take(&mut state.1)
        };
        wakers.into_iter().for_each(Waker::wake);
    }
}

#[test]
fn each_worker_is_its_own_thread() {
    let workers = Workers::new(3).unwrap();
    assert_eq!(workers.len(), 3);
    let handles: Vec<_> = (0..3)
        .map(|i| workers.spawn_on(i, async { (std::thread::current().id(), current_index()) }))
        .collect();
    let mut ids = HashSet::new();
    for (i, handle) in handles.into_iter().enumerate() {
        let (id, index) = handle.join().unwrap();
        assert_eq!(index, Some(i));
        assert_ne!(id, std::thread::current().id());
        ids.insert(id);
    }
    assert_eq!(ids.len(), 3, "three workers, three threads");
    assert_eq!(current_index(), None);
    assert!(Handle::current().is_none());
}

#[test]
fn spawn_goes_to_the_least_loaded_worker() {
    let workers = Workers::new(2).unwrap();
    let gate = Gate::default();
    let busy: Vec<_> = (0..3)
        .map(|_| {
            let wait = gate.wait();
            workers.spawn_on(0, async move {
                wait.await;
                current_index()
            })
        })
        .collect();
    assert_eq!((workers.load(0), workers.load(1)), (3, 0));
    // Worker 1 is the least loaded until it has as many: all three go there.
    let placed: Vec<_> = (0..3)
        .map(|_| {
            let wait = gate.wait();
            workers.spawn(async move {
                wait.await;
                current_index()
            })
        })
        .collect();
    assert_eq!((workers.load(0), workers.load(1)), (3, 3));
    // Ties go round: two more, one each.
    let tied: Vec<_> = (0..2)
        .map(|_| {
            let wait = gate.wait();
            workers.spawn(async move {
                wait.await;
                current_index()
            })
        })
        .collect();
    assert_eq!((workers.load(0), workers.load(1)), (4, 4));
    gate.open();
    for handle in busy {
        assert_eq!(handle.join().unwrap(), Some(0));
    }
    for handle in placed {
        assert_eq!(handle.join().unwrap(), Some(1));
    }
    let mut tied: Vec<_> = tied.into_iter().map(|h| h.join().unwrap()).collect();
    tied.sort();
    assert_eq!(tied, [Some(0), Some(1)]);
    // A task leaves the count before its handle sees the output.
    assert_eq!((workers.load(0), workers.load(1)), (0, 0));
}

#[test]
fn a_future_doing_io_returns_its_output() {
    let workers = Workers::new(2).unwrap();
    let dir = common::TempDir::new("workers-send");
    let path = dir.join("file");
    std::fs::write(&path, b"from a worker").unwrap();
    // uvco's own futures belong to a loop (!Send): built on the worker.
    let read = workers.spawn_with(move || async move {
        uvco::time::sleep(Duration::from_millis(1)).await;
        uvco::fs::read(path).await
    });
    assert_eq!(read.join().unwrap().unwrap(), b"from a worker");
}

#[test]
fn a_non_send_future_is_built_and_run_on_its_worker() {
    let workers = Workers::new(2).unwrap();
    let handle = workers.spawn_with_on(1, || {
        let made_on = std::thread::current().id();
        let shared = Rc::new(std::cell::Cell::new(20));
        async move {
            // A !Send value held across awaits, shared with a local task.
            let task = uvco::spawn_local({
                let shared = shared.clone();
                async move { shared.set(shared.get() + 1) }
            });
            task.await.unwrap();
            uvco::time::sleep(Duration::from_millis(1)).await;
            let ran_on = std::thread::current().id();
            (made_on == ran_on, shared.get() * 2, current_index())
        }
    });
    assert_eq!(handle.join().unwrap(), (true, 42, Some(1)));
}

#[test]
fn panics_are_reported_and_the_worker_carries_on() {
    let workers = Workers::new(1).unwrap();
    let bad = workers.spawn_with(|| async {
        uvco::task::yield_now().await;
        panic!("boom");
    });
    let err = bad.join().unwrap_err();
    assert!(err.is_panic());
    assert_eq!(err.to_string(), "task panicked: boom");
    let bad_make = workers.spawn_with(|| -> std::future::Ready<()> { panic!("in make") });
    assert_eq!(
        bad_make.join().unwrap_err().to_string(),
        "task panicked: in make"
    );
    assert_eq!(workers.spawn(async { 7 }).join().unwrap(), 7);
    assert_eq!(workers.load(0), 0);
}

#[test]
fn a_task_awaits_a_task_on_another_worker() {
    let workers = Workers::new(2).unwrap();
    let gate = Gate::default();
    let wait = gate.wait();
    let outer = workers.spawn_on(0, async move {
        let handle = Handle::current().unwrap();
        let inner = handle.spawn_on(1, async move {
            wait.await;
            current_index()
        });
        let inner = inner.await.unwrap();
        (current_index(), inner)
    });
    std::thread::sleep(Duration::from_millis(5));
    assert!(!outer.is_finished());
    gate.open();
    assert_eq!(outer.join().unwrap(), (Some(0), Some(1)));
}

#[test]
fn abort_drops_the_future_on_its_worker() {
    let workers = Workers::new(2).unwrap();
    let dropped_on = Arc::new(Mutex::new(None));
    struct Probe(Arc<Mutex<Option<Option<usize>>>>);
    impl Drop for Probe {
        fn drop(&mut self) {
            *self.0.lock().unwrap() = Some(current_index());
        }
    }
    let probe = Probe(dropped_on.clone());
    let (started, up) = std::sync::mpsc::channel();
    let task = workers.spawn_on(1, async move {
        let _probe = probe;
        started.send(()).unwrap();
        std::future::pending::<()>().await
    });
    // Aborted once it runs (the future is there to drop) ...
    up.recv().unwrap();
    task.abort();
    assert!(matches!(task.join(), Err(JoinError::Aborted)));
    assert_eq!(*dropped_on.lock().unwrap(), Some(Some(1)));
    // ... and before it starts: the closure is dropped, never called. Worker 0's thread is
    // held inside an earlier closure (not at an await, where it would go on to start the
    // next task) until the abort is in.
    let (holding, held) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let blocker = workers.spawn_with_on(0, move || {
        holding.send(()).unwrap();
        released.recv().unwrap();
        async {}
    });
    held.recv().unwrap();
    let task = workers.spawn_with_on(0, || -> std::future::Pending<()> { unreachable!() });
    task.abort();
    release.send(()).unwrap();
    blocker.join().unwrap();
    assert!(matches!(task.join(), Err(JoinError::Aborted)));
}

#[test]
fn a_detached_task_runs_to_the_end() {
    let workers = Workers::new(2).unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..10 {
        let done = done.clone();
        drop(workers.spawn_with(move || async move {
            uvco::time::sleep(Duration::from_millis(1)).await;
            done.fetch_add(1, Ordering::SeqCst);
            Arc::new(()) // an output nobody takes, freed with the task
        }));
    }
    while done.load(Ordering::SeqCst) < 10 {
        std::thread::sleep(Duration::from_millis(1));
    }
    let reports = workers.shutdown(Duration::from_secs(1));
    assert!(reports.iter().all(|r| r.is_clean()), "{reports:?}");
}

#[test]
fn an_echo_server_per_worker_on_one_reuseport_address() {
    let workers = Workers::new(2).unwrap();
    let served: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let counts = served.clone();
    let servers = workers
        .listen("127.0.0.1:0", move |listener| {
            let counts = counts.clone();
            async move {
                loop {
                    let (mut conn, _) = listener.accept().await.unwrap();
                    counts[current_index().unwrap()].fetch_add(1, Ordering::SeqCst);
                    uvco::spawn_local(async move {
                        let mut buf = vec![0; 256];
                        while let Ok(n @ 1..) = conn.read(&mut buf).await {
                            conn.write_all(&buf[..n]).await.unwrap();
                        }
                    })
                    .detach();
                }
            }
        })
        .unwrap();
    let addr = servers.local_addr();
    assert_ne!(addr.port(), 0);
    // Clients on four threads, 32 connections each, all open at once per thread.
    let clients: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let mut conns: Vec<_> = (0..32)
                    .map(|_| std::net::TcpStream::connect(addr).unwrap())
                    .collect();
                for (i, conn) in conns.iter_mut().enumerate() {
                    let msg = format!("client {t}.{i}");
                    conn.write_all(msg.as_bytes()).unwrap();
                    let mut reply = vec![0; msg.len()];
                    conn.read_exact(&mut reply).unwrap();
                    assert_eq!(reply, msg.as_bytes());
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    let (a, b) = (
        served[0].load(Ordering::SeqCst),
        served[1].load(Ordering::SeqCst),
    );
    assert_eq!(a + b, 128);
    // The kernel hashes each connection to a listener: 128 on one alone won't happen.
    assert!(a > 0 && b > 0, "served {a} and {b}");
    drop(workers);
    for server in servers.into_servers() {
        assert!(matches!(server.join(), Err(JoinError::RuntimeDropped)));
    }
}

#[test]
fn reuseport_listeners_share_a_port_and_refuse_a_taken_one() {
    let sockets = uvco::workers::reuseport_listeners("127.0.0.1:0", 2).unwrap();
    let addr = sockets[0].local_addr().unwrap();
    assert_eq!(sockets[1].local_addr().unwrap(), addr);
    // A plain listener (no SO_REUSEPORT) holds this one: the group can't join it.
    let plain = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let err = uvco::workers::reuseport_listeners(plain.local_addr().unwrap(), 2).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let workers = Workers::new(1).unwrap();
    let err = workers
        .listen(plain.local_addr().unwrap(), |_| async {})
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn dropping_workers_cancels_work_in_flight() {
    let live = Arc::new(());
    let workers = Workers::new(2).unwrap();
    let gate = Gate::default();
    let mut handles = Vec::new();
    // Tasks waiting on a timer, on a socket, on a gate, and on nothing; !Send ones too.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    for i in 0..2 {
        let (l1, l2, l3) = (live.clone(), live.clone(), live.clone());
        handles.push(workers.spawn_with_on(i, move || async move {
            let _l = l1;
            uvco::time::sleep(Duration::from_secs(3600)).await;
        }));
        handles.push(workers.spawn_with_on(i, move || {
            let local = Rc::new(l2);
            async move {
                let _local = local;
                let mut conn = uvco::net::TcpStream::connect(addr).await.unwrap();
                let mut buf = [0; 8];
                let _ = conn.read(&mut buf).await;
            }
        }));
        let wait = gate.wait();
        handles.push(workers.spawn_on(i, async move {
            let _l = l3;
            wait.await
        }));
    }
    // And a burst of jobs that may still be queued when the workers stop.
    for _ in 0..100 {
        let l = live.clone();
        handles.push(workers.spawn(async move {
            let _l = l;
            std::future::pending::<()>().await
        }));
    }
    let reports = workers.shutdown(Duration::from_secs(1));
    assert!(reports.iter().all(|r| r.is_clean()), "{reports:?}");
    assert_eq!(
        Arc::strong_count(&live),
        1,
        "every future and closure was dropped"
    );
    for handle in handles {
        assert!(matches!(handle.join(), Err(JoinError::RuntimeDropped)));
    }
}

#[test]
fn a_handle_outliving_its_workers_spawns_nothing() {
    let workers = Workers::new(1).unwrap();
    let handle = workers.handle().clone();
    drop(workers);
    let live = Arc::new(());
    let l = live.clone();
    let task = handle.spawn(async move { drop(l) });
    assert!(task.is_finished());
    assert!(matches!(task.join(), Err(JoinError::RuntimeDropped)));
    assert_eq!(Arc::strong_count(&live), 1);
}

#[test]
fn join_inside_a_runtime_panics() {
    let workers = Workers::new(1).unwrap();
    let task = workers.spawn(async { 1 });
    let rt = uvco::Runtime::new().unwrap();
    let caught = rt.block_on(async move {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task.join())).is_err()
    });
    assert!(caught);
}

#[test]
fn no_allocation_per_spawn_in_steady_state() {
    let workers = Workers::new(2).unwrap();
    let handle = workers.handle().clone();
    let counts = workers.spawn_on(0, async move {
        let round = |n: usize| {
            let handle = handle.clone();
            async move {
                for i in 0..n {
                    assert_eq!(
                        handle.spawn_on(1, async move { i * 2 }).await.unwrap(),
                        i * 2
                    );
                }
            }
        };
        round(100).await; // warm up: queues, free lists, wake paths
                          // And two in flight, so this thread's free list holds a spare packet: when worker 1
                          // drops a packet's last reference after the handle here has (preempted between
                          // publishing the output and releasing), the block comes home a little later, while
                          // the next spawn here already needs one. Steady state includes one in transit.
        for i in 0..10 {
            let a = handle.spawn_on(1, async move { i });
            let b = handle.spawn_on(1, async move { i + 1 });
            assert_eq!((a.await.unwrap(), b.await.unwrap()), (i, i + 1));
        }
        let here = common::allocs();
        let there = handle
            .spawn_on(1, async { common::allocs() })
            .await
            .unwrap();
        round(1000).await;
        let there = handle
            .spawn_on(1, async { common::allocs() })
            .await
            .unwrap()
            - there;
        (common::allocs() - here, there)
    });
    assert_eq!(
        counts.join().unwrap(),
        (0, 0),
        "allocations on workers 0 and 1"
    );
}

#[test]
fn workers_dropped_by_their_own_task_shut_down() {
    let workers = Workers::new(2).unwrap();
    let handle = workers.handle().clone();
    let gate = Gate::default();
    let wait = gate.wait();
    let pending = workers.spawn_on(1, wait);
    // The task owns the workers and drops them: worker 1 is joined, worker 0 (its own) not.
    let dropper = handle.spawn_on(0, async move {
        drop(workers);
        current_index()
    });
    assert_eq!(dropper.join().unwrap(), Some(0));
    assert!(matches!(pending.join(), Err(JoinError::RuntimeDropped)));
    drop(gate);
}
