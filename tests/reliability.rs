//! Regression tests of the defects issue 13 lists: each one failed (aborted, hung or returned
//! a wrong result) before its fix. Tests whose old failure was an abort run in a child process
//! (this binary again, with one test selected), so that a regression fails one test instead of
//! killing the whole binary; tests whose old failure was a hang run under a watchdog.

mod common;

use std::cell::Cell;
use std::future::Future;
use std::io::Write as _;
use std::pin::pin;
use std::rc::Rc;
use std::sync::mpsc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use std::time::{Duration, Instant};

use common::TempDir;
use uvco::time::Elapsed;
use uvco::Runtime;

/// Set in the child process that runs one test alone.
const CHILD: &str = "UVCO_RELIABILITY_CHILD";

/// Long enough that only a hang reaches it.
const WATCHDOG: Duration = Duration::from_secs(60);

/// Runs the named test of this binary again, alone, with `env` set and `stdin` as its input;
/// fails if the child fails (an abort included). Returns true in the child, where the caller
/// then runs the test's body.
fn in_child(test: &str, env: &[(&str, &str)], stdin: &[u8]) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran nothing:\n{stdout}"
    );
    false
}

/// Runs `f` on a thread of its own and fails if it doesn't return within [`WATCHDOG`]: a hang
/// becomes a test failure (the stuck thread is left behind).
fn within_watchdog<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(WATCHDOG) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("hung for {WATCHDOG:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test thread panicked"),
    }
}

/// Quiets the panic hook while `f` runs: the panics these tests provoke are expected.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(prev);
    out
}

// ---- 1. EnterGuards of another runtime inside tasks, and out of order ----

#[test]
fn foreign_enter_guard_held_across_an_await_in_a_task() {
    if !in_child(
        "foreign_enter_guard_held_across_an_await_in_a_task",
        &[],
        b"",
    ) {
        return;
    }
    let a = Runtime::new().unwrap();
    let b = Rc::new(Runtime::new().unwrap());
    let (a_loop, b_loop) = (a.loop_ptr(), b.loop_ptr());
    let seen = Rc::new(Cell::new(None));
    a.block_on(async {
        let holder = uvco::spawn_local({
            let b = b.clone();
            async move {
                let guard = b.enter();
                assert_eq!(uvco::try_current_loop(), Some(b_loop));
                uvco::task::yield_now().await;
                // Resumed by runtime a: its own runtime is current again.
                assert_eq!(uvco::try_current_loop(), Some(a_loop));
                drop(guard);
                assert_eq!(uvco::try_current_loop(), Some(a_loop));
            }
        });
        // Polled right after the holder, in the same tick: it must not run under b.
        let other = uvco::spawn_local({
            let seen = seen.clone();
            async move { seen.set(uvco::try_current_loop()) }
        });
        holder.await.unwrap();
        other.await.unwrap();
    });
    assert_eq!(seen.get(), Some(a_loop));
    assert_eq!(uvco::try_current_loop(), None);
    assert_eq!(b.live_tasks(), 0, "nothing was spawned onto b");
}

#[test]
fn foreign_enter_guard_forgotten_in_a_task() {
    if !in_child("foreign_enter_guard_forgotten_in_a_task", &[], b"") {
        return;
    }
    let a = Runtime::new().unwrap();
    let b = Rc::new(Runtime::new().unwrap());
    let a_loop = a.loop_ptr();
    a.block_on(async {
        let forgetter = uvco::spawn_local({
            let b = b.clone();
            async move { std::mem::forget(b.enter()) }
        });
        let other = uvco::spawn_local(async move {
            // A request submitted here goes to a's loop, or it would never complete.
            uvco::fs::metadata("Cargo.toml").await.unwrap();
            uvco::try_current_loop()
        });
        forgetter.await.unwrap();
        assert_eq!(other.await.unwrap(), Some(a_loop));
        assert_eq!(uvco::try_current_loop(), Some(a_loop));
    });
    assert_eq!(uvco::try_current_loop(), None);
    drop(b);
    drop(a);
}

#[test]
fn enter_guards_dropped_out_of_order() {
    let a = Runtime::new().unwrap();
    let b = Runtime::new().unwrap();
    let ga = a.enter();
    let gb = b.enter();
    assert_eq!(uvco::try_current_loop(), Some(b.loop_ptr()));
    drop(ga);
    assert_eq!(
        uvco::try_current_loop(),
        Some(b.loop_ptr()),
        "the newest live guard's runtime stays current"
    );
    drop(gb);
    assert_eq!(uvco::try_current_loop(), None);

    let ga = a.enter();
    let gb = b.enter();
    drop(gb);
    assert_eq!(uvco::try_current_loop(), Some(a.loop_ptr()));
    drop(ga);
    assert_eq!(uvco::try_current_loop(), None);
}

// ---- 2. User code that panics inside libuv's callbacks ----

struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("PanicOnDrop dropped");
    }
}

#[test]
fn cancelled_blocking_job_whose_payload_panics_on_drop() {
    if !in_child(
        "cancelled_blocking_job_whose_payload_panics_on_drop",
        &[("UV_THREADPOOL_SIZE", "1")],
        b"",
    ) {
        return;
    }
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        // Occupy the only pool thread, so that the next job stays queued.
        let (release, wait) = mpsc::channel::<()>();
        let blocker = uvco::spawn_local(uvco::task::spawn_blocking(move || wait.recv()));
        uvco::task::yield_now().await;
        let payload = PanicOnDrop;
        let job = uvco::task::spawn_blocking(move || drop(payload));
        {
            let mut job = pin!(job);
            let waker = Waker::noop();
            assert!(job
                .as_mut()
                .poll(&mut Context::from_waker(waker))
                .is_pending());
        } // dropped while queued: cancelled, and orphaned
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap().unwrap();
        // The cancelled job's callback has run by now (it completes before the blocker's).
        let stats = uvco::runtime::slot::stats();
        assert_eq!(stats.submitted, stats.completed);
    });
    drop(rt);
}

static PANIC_WAKER: RawWakerVTable = RawWakerVTable::new(
    |data| RawWaker::new(data, &PANIC_WAKER),
    |_| panic!("waker woken"),
    |_| panic!("waker woken by ref"),
    |_| {},
);

static PANIC_DROP_WAKER: RawWakerVTable = RawWakerVTable::new(
    |data| RawWaker::new(data, &PANIC_DROP_WAKER),
    |_| {},
    |_| {},
    |_| panic!("waker dropped"),
);

/// Polls `future` once with a waker built on `vtable`.
fn poll_with<F: Future + Unpin>(
    future: &mut F,
    vtable: &'static RawWakerVTable,
) -> Poll<F::Output> {
    // SAFETY: the vtables above ignore their data pointer.
    let waker = std::mem::ManuallyDrop::new(unsafe {
        Waker::from_raw(RawWaker::new(std::ptr::null(), vtable))
    });
    std::pin::Pin::new(future).poll(&mut Context::from_waker(&waker))
}

#[test]
fn wakers_that_panic_inside_callbacks() {
    if !in_child("wakers_that_panic_inside_callbacks", &[], b"") {
        return;
    }
    let rt = Runtime::new().unwrap();
    quietly(|| {
        rt.block_on(async {
            // A request whose callback wakes a panicking waker.
            let mut stat = Box::pin(uvco::fs::metadata("Cargo.toml"));
            assert!(poll_with(&mut stat, &PANIC_WAKER).is_pending());
            // A timer likewise.
            let mut sleep = uvco::time::sleep(Duration::from_millis(1));
            assert!(poll_with(&mut sleep, &PANIC_WAKER).is_pending());
            uvco::time::sleep(Duration::from_millis(20)).await;
            assert!(stat.await.is_ok(), "the request completed all the same");
            sleep.await;
            // A timer closed while it holds a waker whose drop panics: the close callback
            // drops it.
            let mut sleep = uvco::time::sleep(Duration::from_secs(60));
            assert!(poll_with(&mut sleep, &PANIC_DROP_WAKER).is_pending());
            drop(sleep);
            uvco::time::sleep(Duration::from_millis(5)).await;
            // A connection callback waking a panicking acceptor.
            let listener = uvco::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let mut accept = Box::pin(listener.accept());
            assert!(poll_with(&mut accept, &PANIC_WAKER).is_pending());
            let _client = std::net::TcpStream::connect(addr).unwrap();
            let (conn, _) = accept.await.unwrap();
            drop(conn);
        })
    });
    drop(rt);
}

// ---- 3. Reading non-seekable files whole ----

#[test]
fn read_a_fifo() {
    let dir = TempDir::new("reliability-fifo");
    let fifo = dir.join("fifo");
    common::mkfifo(&fifo);
    // More than one read's worth, written in pieces, so that reads come back short.
    let expected: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let writer = {
        let (fifo, data) = (fifo.clone(), expected.clone());
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            for chunk in data.chunks(7_000) {
                f.write_all(chunk).unwrap();
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let rt = Runtime::new().unwrap();
    let got = rt.block_on(uvco::fs::read(&fifo)).unwrap();
    writer.join().unwrap();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "bytes differ");

    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "over a fifo").unwrap())
    };
    let text = rt.block_on(uvco::fs::read_to_string(&fifo)).unwrap();
    writer.join().unwrap();
    assert_eq!(text, "over a fifo");
}

#[test]
fn read_dev_stdin_from_a_pipe() {
    let input: Vec<u8> = (0..100_000u32).map(|i| (i % 241) as u8).collect();
    if !in_child("read_dev_stdin_from_a_pipe", &[], &input) {
        return;
    }
    let rt = Runtime::new().unwrap();
    let got = rt.block_on(uvco::fs::read("/dev/stdin")).unwrap();
    assert!(
        got == input,
        "read {} bytes, not the {} piped",
        got.len(),
        input.len()
    );
}

// ---- 4. Dropping a runtime while a stream outlives it with a queued write ----

#[test]
fn drop_runtime_with_a_queued_write_to_a_peer_that_never_reads() {
    within_watchdog(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let rt = Runtime::new().unwrap();
        let mut stream = rt.block_on(uvco::net::TcpStream::connect(addr)).unwrap();
        let (peer, _) = listener.accept().unwrap();
        // Far more than the socket buffers hold: the rest waits in a uv_write request.
        let big = vec![7u8; 64 << 20];
        rt.block_on(async {
            let write = stream.write_all(&big);
            let res = uvco::time::timeout(Duration::from_millis(50), write).await;
            assert!(
                res.is_err(),
                "the peer doesn't read; the write can't finish"
            );
        });
        // This hung.
        drop(rt);
        // The stream outlived its runtime: it fails, and its drop is sound.
        let err = stream.peer_addr();
        assert!(err.is_err(), "a stream whose runtime is gone is closed");
        drop(stream);
        drop(peer);
    });
}

#[test]
fn shutdown_closes_a_stream_accepted_while_a_host_ran_the_loop() {
    within_watchdog(|| {
        // A loop the test runs itself, as a host does: libuv's callbacks (the listener's
        // connection callback among them) run with no runtime current.
        // SAFETY: a zeroed loop is what uv_loop_init expects; it is closed at the end, after
        // the runtime and every handle on it are gone.
        let lp = Box::into_raw(Box::new(unsafe {
            std::mem::zeroed::<uvco::sys::uv_loop_t>()
        }));
        assert_eq!(unsafe { uvco::sys::uv_loop_init(lp) }, 0);
        // SAFETY: the loop is initialised, runs on this thread and outlives the runtime.
        let rt = unsafe { Runtime::attach(lp) }.unwrap();
        let listener = {
            let _in = rt.enter();
            uvco::net::TcpListener::bind("127.0.0.1:0").unwrap()
        };
        let addr = listener.local_addr().unwrap();
        let peer = std::net::TcpStream::connect(addr).unwrap();
        let kept = Rc::new(Cell::new(None));
        let done = Rc::new(Cell::new(false));
        let (k, d) = (kept.clone(), done.clone());
        rt.spawn_local(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let big = vec![7u8; 64 << 20];
            let write = stream.write_all(&big);
            let res = uvco::time::timeout(Duration::from_millis(50), write).await;
            assert!(
                res.is_err(),
                "the peer doesn't read; the write can't finish"
            );
            k.set(Some(stream));
            d.set(true);
        })
        .detach();
        while !done.get() {
            // SAFETY: the loop is live; this thread runs it.
            unsafe { uvco::sys::uv_run(lp, uvco::sys::uv_run_mode_UV_RUN_ONCE) };
        }
        // The loop is the host's, so shutdown closes what it knows of and leaves the rest to
        // the host's next turns. Unregistered, the accepted stream was not closed, and its
        // write kept the loop alive for good.
        let report = rt.shutdown(Duration::from_secs(30));
        assert_eq!(report.closed_handles, 1, "{report:?}");
        // SAFETY: the loop is live; this thread runs it. With the stream closed, the write
        // completes with ECANCELED and nothing keeps the loop alive.
        unsafe { uvco::sys::uv_run(lp, uvco::sys::uv_run_mode_UV_RUN_DEFAULT) };
        assert_eq!(
            uvco::runtime::slot::stats().submitted,
            uvco::runtime::slot::stats().completed
        );
        drop(kept.take());
        drop(peer);
        // SAFETY: the runtime and its handles are gone; nothing else uses the loop.
        unsafe {
            uvco::sys::uv_run(lp, uvco::sys::uv_run_mode_UV_RUN_NOWAIT);
            assert_eq!(uvco::sys::uv_loop_close(lp), 0);
            drop(Box::from_raw(lp));
        }
    });
}

// ---- 5. Dropping a runtime while a threadpool job can't be cancelled ----

/// Opens `fifo` for writing (which completes the open(2) stuck on its read side) from a
/// thread, so that a job left behind by a runtime finishes. Only for a job a pool thread has
/// taken (see [`timed_out_read`]): with no reader ever, this open would block for good.
fn unblock(fifo: std::path::PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || drop(std::fs::OpenOptions::new().write(true).open(fifo)))
}

/// Reads `fifo`, which nobody writes to, until a 20 ms timeout, but lets the timeout run only
/// once the read's threadpool job is past cancelling: started, so that it opens the FIFO and
/// blocks there. Without that, on a slow machine (valgrind) the timeout could fire while the
/// job is still queued; dropping the runtime then cancels it, nobody ever opens the read side,
/// and [`unblock`]'s writer blocks forever.
///
/// The proof is a second pool job, submitted after the read's, having completed: libuv's pool
/// threads take jobs (fs work and `uv_queue_work` alike) from one queue in order, so the read's
/// job was taken first, and a taken job can't be cancelled and always runs its open(2).
async fn timed_out_read(fifo: &std::path::Path) -> Result<std::io::Result<Vec<u8>>, Elapsed> {
    let mut read = pin!(uvco::fs::read(fifo));
    // The first poll submits the job.
    let first = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
    assert!(first.is_pending(), "nobody writes: the open can't finish");
    uvco::task::spawn_blocking(|| ()).await.unwrap();
    uvco::time::timeout(Duration::from_millis(20), read).await
}

/// Waits until every request this thread submitted has completed: the job a runtime left
/// behind finished, and a later runtime's shutdown ran its callback.
fn wait_for_leftovers() {
    let start = Instant::now();
    loop {
        drop(Runtime::new().unwrap());
        let stats = uvco::runtime::slot::stats();
        if stats.submitted == stats.completed {
            return;
        }
        assert!(
            start.elapsed() < WATCHDOG,
            "the left job never completed: {stats:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn drop_runtime_after_a_timed_out_read_of_a_fifo_without_writer() {
    let dir = TempDir::new("reliability-stuck");
    let fifo = dir.join("fifo");
    common::mkfifo(&fifo);
    within_watchdog(move || {
        let rt = Runtime::new().unwrap();
        let res = rt.block_on(timed_out_read(&fifo));
        assert!(res.is_err(), "nobody writes: the open can't finish");
        drop(rt); // hung here
        let writer = unblock(fifo);
        wait_for_leftovers();
        writer.join().unwrap();
    });
}

#[test]
fn shutdown_reports_a_threadpool_job_it_could_not_wait_for() {
    let dir = TempDir::new("reliability-report");
    let fifo = dir.join("fifo");
    common::mkfifo(&fifo);
    within_watchdog(move || {
        let rt = Runtime::new().unwrap();
        let res = rt.block_on(timed_out_read(&fifo));
        assert!(res.is_err());
        let report = rt.shutdown(Duration::from_millis(100));
        assert_eq!(report.threadpool, 1, "{report:?}");
        assert_eq!(report.other_requests, 0, "{report:?}");
        assert!(!report.is_clean());
        let writer = unblock(fifo);
        wait_for_leftovers();
        writer.join().unwrap();
    });
}

#[test]
fn shutdown_of_an_idle_runtime_is_clean() {
    let rt = Runtime::new().unwrap();
    rt.block_on(uvco::time::sleep(Duration::from_millis(1)));
    let report = rt.shutdown(Duration::from_secs(5));
    assert!(report.is_clean(), "{report:?}");
}

// ---- 6. Sleeps never end early ----

#[test]
fn sleep_never_returns_early() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        for i in 0..600u32 {
            // Sub-millisecond parts too: they are what rounding gets wrong.
            let d = Duration::from_micros(300 + u64::from(i % 7) * 350);
            let start = Instant::now();
            uvco::time::sleep(d).await;
            let elapsed = start.elapsed();
            assert!(elapsed >= d, "sleep({d:?}) returned after {elapsed:?}");
        }
    });
}

#[test]
fn sleeps_after_cpu_work_never_return_early() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        for i in 0..300u32 {
            // Burn part of a millisecond first, so that the loop's clock is stale.
            let spin = Instant::now();
            while spin.elapsed() < Duration::from_micros(u64::from(i % 5) * 230) {}
            let d = Duration::from_millis(1 + u64::from(i % 3));
            let start = Instant::now();
            uvco::time::sleep(d).await;
            let elapsed = start.elapsed();
            assert!(elapsed >= d, "sleep({d:?}) returned after {elapsed:?}");
        }
    });
}
