//! A task of one runtime waits on a handle of another, and that runtime shuts down meanwhile,
//! closing the handle under its owner: the waiter is woken, and ends as a closed handle ends
//! (an error, the end of a stream, or, for a sleep, a timer on the runtime polling it). Each
//! of these once waited for a callback that never came.

mod common;

use std::cell::Cell;
use std::fmt::Debug;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use uvco::net::{TcpListener, TcpStream, UdpSocket};
use uvco::task::spawn_local;
use uvco::time::timeout;
use uvco::Runtime;

/// Makes something holding `handles` handles in a runtime `a`, has a task of a runtime `b`
/// wait on it with `wait`, shuts `a` down from `b` meanwhile, and returns what the wait
/// ended with.
fn wait_across_shutdown<S: 'static, T: Debug + 'static>(
    handles: usize,
    make: impl Future<Output = S>,
    wait: impl FnOnce(S) -> Pin<Box<dyn Future<Output = T>>>,
) -> T {
    let _serial = common::serial();
    let a = Runtime::new().unwrap();
    let thing = a.block_on(make);
    let b = Runtime::new().unwrap();
    b.block_on(async move {
        let waiting = Rc::new(Cell::new(false));
        let wait = wait(thing);
        let task = spawn_local({
            let waiting = waiting.clone();
            async move {
                // Set in the poll that first polls `wait`, so once it is seen the task waits.
                waiting.set(true);
                wait.await
            }
        });
        poll_fn(|cx| {
            if waiting.get() {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        })
        .await;
        let report = a.shutdown(Duration::from_secs(10));
        assert_eq!(report.closed_handles, handles, "{report:?}");
        timeout(Duration::from_secs(10), task)
            .await
            .expect("the waiter was never woken")
            .expect("the waiting task")
    })
}

#[test]
fn an_accept_waiting_when_the_runtime_closes_the_listener_fails() {
    common::ebadf(wait_across_shutdown(
        1,
        async { TcpListener::bind("127.0.0.1:0").unwrap() },
        |listener| Box::pin(async move { listener.accept().await.map(|_| ()) }),
    ));
}

#[test]
fn a_receive_waiting_when_the_runtime_closes_the_socket_fails() {
    common::ebadf(wait_across_shutdown(
        1,
        async { UdpSocket::bind("127.0.0.1:0").unwrap() },
        |socket| {
            Box::pin(async move {
                let mut buf = [0u8; 16];
                let got = socket.recv_from(&mut buf).await.map(|_| ());
                // libuv would bind a new socket for the closed handle on a receive.
                assert_eq!(std::os::fd::AsRawFd::as_raw_fd(&socket), -1);
                got
            })
        },
    ));
}

#[test]
fn a_read_waiting_when_the_runtime_closes_the_stream_fails_then_ends() {
    let (first, then) = wait_across_shutdown(
        2,
        async {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let client = TcpStream::connect(listener.local_addr().unwrap()).await;
            (client.unwrap(), listener.accept().await.unwrap().0)
        },
        |(mut client, server)| {
            Box::pin(async move {
                let _open = server;
                let mut buf = [0u8; 16];
                let first = client.read(&mut buf).await;
                (first, client.read(&mut buf).await)
            })
        },
    );
    common::ebadf(first);
    assert_eq!(then.unwrap(), 0, "after the error, the read side is over");
}

#[test]
fn a_sleep_waiting_when_the_runtime_closes_its_timer_goes_on_in_the_next() {
    let deadline = wait_across_shutdown(
        1,
        // The sleep is handed to the other runtime's task unawaited, on purpose.
        #[allow(clippy::async_yields_async)]
        async {
            // Polled once here, so that its timer is this runtime's.
            let mut sleep = Box::pin(uvco::time::sleep(Duration::from_millis(50)));
            poll_fn(|cx| {
                assert!(sleep.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            sleep
        },
        |sleep| {
            Box::pin(async move {
                let deadline = sleep.deadline();
                sleep.await;
                deadline
            })
        },
    );
    assert!(uvco::time::Instant::now() >= deadline, "woke early");
}

#[test]
fn a_signal_stream_waiting_when_the_runtime_closes_it_ends() {
    let next = wait_across_shutdown(
        1,
        async { uvco::signal::signal(uvco::signal::SignalKind::user_defined2()).unwrap() },
        |mut signal| Box::pin(async move { signal.recv().await }),
    );
    assert_eq!(next, None);
}

#[test]
fn a_watch_waiting_when_the_runtime_closes_it_ends() {
    let dir = common::TempDir::new("closed-watch");
    let path = dir.path().to_owned();
    let next = wait_across_shutdown(
        1,
        async move { uvco::fs::watch(&path).unwrap() },
        |mut w| Box::pin(async move { w.next().await.map(|e| e.map(|_| ())) }),
    );
    assert!(next.is_none(), "{next:?}");
}

#[test]
fn a_child_waited_for_when_the_runtime_closes_its_handle_fails() {
    let status = wait_across_shutdown(
        1,
        async {
            let mut sleeper = uvco::process::Command::new("sleep");
            sleeper.arg("30").kill_on_drop(true);
            sleeper.spawn().unwrap()
        },
        |mut child| Box::pin(async move { child.wait().await.map(|_| ()) }),
    );
    let err = status.expect_err("the child's handle was closed before it exited");
    assert!(err.to_string().contains("shut down"), "{err}");
}
