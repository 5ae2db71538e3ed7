//! uvco::signal with real signals sent to this process with kill(2): delivery (and its
//! latency, printed), several listeners on one and on two loops, ctrl_c, refused signals,
//! and listeners that outlive their runtime.
//!
//! Signals are process-wide: every test holds the serial lock, so that no test's signal
//! reaches another's listener, and each sends a signal only while a listener of its own is
//! started (the default action of SIGUSR1 and SIGINT ends the process).

mod common;

use std::future::poll_fn;
use std::io::ErrorKind;
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use uvco::signal::{ctrl_c, signal, SignalKind};

fn raise(signum: libc::c_int) {
    // SAFETY: kill(2) on our own pid; the caller has a listener started for `signum`.
    assert_eq!(unsafe { libc::kill(libc::getpid(), signum) }, 0);
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    rt.close().unwrap();
    out
}

#[test]
fn delivery_and_its_latency() {
    run(async {
        let mut usr1 = signal(SignalKind::user_defined1()).unwrap();
        assert_eq!(usr1.kind(), SignalKind::user_defined1());
        let mut micros = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            raise(libc::SIGUSR1);
            assert_eq!(usr1.recv().await, Some(()));
            micros.push(start.elapsed().as_secs_f64() * 1e6);
        }
        micros.sort_by(f64::total_cmp);
        println!(
            "signal delivery latency (kill -> recv), 20 rounds: min {:.1} us, median {:.1} us, max {:.1} us",
            micros[0], micros[10], micros[19]
        );
        // Nothing more is pending once each delivery was received.
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(usr1.poll_recv(&mut cx), Poll::Pending);
    });
}

#[test]
fn several_listeners_each_get_it() {
    run(async {
        let mut a = signal(SignalKind::user_defined2()).unwrap();
        let mut b = signal(SignalKind::user_defined2()).unwrap();
        let mut c = signal(SignalKind::from_raw(libc::SIGUSR2)).unwrap();
        raise(libc::SIGUSR2);
        assert_eq!(a.recv().await, Some(()));
        assert_eq!(b.recv().await, Some(()));
        assert_eq!(c.recv().await, Some(()));
        // One listener dropped: the others still get the next one.
        drop(b);
        raise(libc::SIGUSR2);
        assert_eq!(c.recv().await, Some(()));
        assert_eq!(a.recv().await, Some(()));
    });
}

#[test]
fn listeners_on_two_loops_each_get_it() {
    let _serial = common::serial();
    let ready = Arc::new(Barrier::new(3));
    let got = Arc::new(Barrier::new(3));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (ready, got) = (ready.clone(), got.clone());
            std::thread::spawn(move || {
                let rt = uvco::Runtime::new().unwrap();
                rt.block_on(async {
                    let mut hup = signal(SignalKind::hangup()).unwrap();
                    ready.wait();
                    assert_eq!(hup.recv().await, Some(()));
                    // Hold the listener until both have it, so SIGHUP keeps a handler.
                    got.wait();
                });
                rt.close().unwrap();
            })
        })
        .collect();
    ready.wait();
    raise(libc::SIGHUP);
    got.wait();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn ctrl_c_sees_sigint() {
    run(async {
        let ctrl_c = ctrl_c();
        // Raised before the first poll: the listener started with the call.
        raise(libc::SIGINT);
        ctrl_c.await.unwrap();
    });
}

#[test]
fn poll_recv_as_a_stream() {
    run(async {
        let mut term = signal(SignalKind::terminate()).unwrap();
        let mut count = 0;
        for _ in 0..3 {
            raise(libc::SIGTERM);
            poll_fn(|cx| term.poll_recv(cx)).await.unwrap();
            count += 1;
        }
        assert_eq!(count, 3);
    });
}

#[test]
fn refused_signals_are_typed_errors() {
    run(async {
        let base = common::Baseline::take();
        for signum in [
            libc::SIGKILL,
            libc::SIGSTOP,
            libc::SIGSEGV,
            libc::SIGILL,
            libc::SIGFPE,
            libc::SIGBUS,
            0,
            -1,
            100_000,
        ] {
            let err = signal(SignalKind::from_raw(signum)).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::InvalidInput,
                "signal {signum}: {err}"
            );
        }
        // The refused handles were closed and their blocks freed.
        base.settle().await;
    });
}

#[test]
fn dropped_listener_frees_its_handle() {
    run(async {
        let base = common::Baseline::take();
        for _ in 0..10 {
            let mut s = signal(SignalKind::user_defined1()).unwrap();
            raise(libc::SIGUSR1);
            s.recv().await.unwrap();
        }
        // Closed, freed, and no fd left (libuv's signal pipe is the loop's, opened once).
        base.settle().await;
    });
}

#[test]
fn listener_outliving_its_runtime_ends() {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let mut s = rt.block_on(async { signal(SignalKind::window_change()).unwrap() });
    drop(rt);
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(s.poll_recv(&mut cx), Poll::Ready(None));
}
