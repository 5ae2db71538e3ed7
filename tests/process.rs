//! uvco::process on real child processes: pipes round trips, exit codes and signals, env and
//! cwd, bad input, many at once, reaping of dropped children, and a spawn+wait allocation
//! count.

mod common;

use std::future::poll_fn;
use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_io::{AsyncRead, AsyncWrite};
use uvco::process::{Command, Stdio};
use uvco::task::JoinSet;

#[global_allocator]
static A: common::Counting = common::Counting;

/// Runs `f` on a fresh runtime, one test at a time (the fd count of the bad-input test sees
/// no other test's pipes).
fn run<F: std::future::Future>(f: F) -> F::Output {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    rt.close().unwrap();
    out
}

/// The state letter of `/proc/<pid>/stat` (`Z` for a zombie), or `None` once it is gone.
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Turns the loop until `pid` is neither running nor a zombie: reaped. A generous bound only
/// keeps a broken build from hanging.
async fn until_reaped(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while proc_state(pid).is_some() {
        assert!(
            Instant::now() < deadline,
            "pid {pid} not reaped: {:?}",
            proc_state(pid)
        );
        uvco::time::sleep(Duration::from_millis(5)).await;
    }
}

#[test]
fn echo_output() {
    run(async {
        let out = Command::new("echo")
            .args(["hello", "world"])
            .output()
            .await
            .unwrap();
        assert!(out.status.success());
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(out.stdout, b"hello world\n");
        assert!(out.stderr.is_empty());
    });
}

#[test]
fn cat_round_trip_through_pipes() {
    run(async {
        let payload: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        assert!(child.id().is_some());
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // More than a pipe holds: the writer and the reader must run at once.
        let expect = payload.clone();
        let writer = uvco::spawn_local(async move {
            stdin.write_all(&payload).await.unwrap();
            stdin.shutdown().await.unwrap();
        });
        let mut got = Vec::new();
        stdout.read_to_end(&mut got).await.unwrap();
        writer.await.unwrap();
        assert_eq!(got.len(), expect.len());
        assert!(got == expect, "cat changed the bytes");
        let status = child.wait().await.unwrap();
        assert!(status.success());
        assert_eq!(
            child.id(),
            None,
            "the pid is gone once the status is collected"
        );
    });
}

#[test]
fn futures_io_traits_on_pipes() {
    run(async {
        let mut child = Command::new("tr")
            .args(["a-z", "A-Z"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let n = poll_fn(|cx| Pin::new(&mut stdin).poll_write(cx, b"shout"))
            .await
            .unwrap();
        assert_eq!(n, 5);
        poll_fn(|cx| Pin::new(&mut stdin).poll_flush(cx))
            .await
            .unwrap();
        poll_fn(|cx| Pin::new(&mut stdin).poll_close(cx))
            .await
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        loop {
            let n = poll_fn(|cx| Pin::new(&mut stdout).poll_read(cx, &mut buf))
                .await
                .unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"SHOUT");
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn exit_codes() {
    run(async {
        for code in [0, 1, 7, 255] {
            let status = Command::new("sh")
                .args(["-c", &format!("exit {code}")])
                .status()
                .await
                .unwrap();
            assert_eq!(status.code(), Some(code));
            assert_eq!(status.signal(), None);
            assert_eq!(status.success(), code == 0);
        }
        let out = Command::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 3"])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
    });
}

#[test]
fn killed_by_signal() {
    run(async {
        let mut child = Command::new("sleep").arg("100").spawn().unwrap();
        assert_eq!(child.try_wait().unwrap(), None, "still running");
        child.kill().await.unwrap();
        let status = child.wait().await.unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        assert_eq!(status.code(), None);
        assert!(!status.success());
        // Killing an exited child is no error, as std's.
        child.start_kill().unwrap();

        let mut child = Command::new("sleep").arg("100").spawn().unwrap();
        child.send_signal(libc::SIGTERM).unwrap();
        assert_eq!(child.wait().await.unwrap().signal(), Some(libc::SIGTERM));

        // The child's own signal (a shell killing itself) is reported alike.
        let status = Command::new("sh")
            .args(["-c", "kill -USR1 $$"])
            .status()
            .await
            .unwrap();
        assert_eq!(status.signal(), Some(libc::SIGUSR1));

        let mut child = Command::new("sleep").arg("100").spawn().unwrap();
        let err = child.send_signal(100_000).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        child.kill().await.unwrap();
    });
}

#[test]
fn env_and_cwd() {
    let dir = common::TempDir::new("process-cwd");
    let canonical = std::fs::canonicalize(dir.path()).unwrap();
    run(async {
        let out = Command::new("/bin/sh")
            .args(["-c", "echo \"$UVCO_A|${UVCO_B-unset}|${HOME-nohome}\"; pwd"])
            .env_clear()
            .env("UVCO_A", "one two")
            .current_dir(dir.path())
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("one two|unset|nohome"));
        assert_eq!(lines.next(), Some(canonical.to_str().unwrap()));

        // Without env_clear the parent's environment is inherited, with changes.
        let out = Command::new("sh")
            .args(["-c", "echo \"${PATH:+path}|$UVCO_C|${UVCO_GONE-removed}\""])
            .envs([("UVCO_C", "c"), ("UVCO_GONE", "x")])
            .env_remove("UVCO_GONE")
            .output()
            .await
            .unwrap();
        assert_eq!(out.stdout, b"path|c|removed\n");

        // A relative program is found relative to the working directory.
        let script = dir.join("hello.sh");
        std::fs::write(&script, "#!/bin/sh\necho from script\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let out = Command::new("./hello.sh")
            .current_dir(dir.path())
            .output()
            .await
            .unwrap();
        assert_eq!(out.stdout, b"from script\n");
    });
}

#[test]
fn null_stdio() {
    run(async {
        // stdin from /dev/null: cat ends at once; stdout to /dev/null: nothing comes back.
        let out = Command::new("cat")
            .stdin(Stdio::null())
            .output()
            .await
            .unwrap();
        assert!(out.status.success());
        assert!(out.stdout.is_empty());
        let out = Command::new("echo")
            .arg("gone")
            .stdout(Stdio::null())
            .output()
            .await
            .unwrap();
        assert!(out.stdout.is_empty());
    });
}

#[test]
fn bad_input_is_a_typed_error_and_leaks_nothing() {
    run(async {
        // The first pipe opens libuv's reserve fd: warm up before counting fds.
        Command::new("true").output().await.unwrap();
        // Its handles' and pipes' blocks are freed by close callbacks still to come: turn
        // the loop (with no timer, whose own block would count) before the baseline.
        for _ in 0..200 {
            uvco::task::yield_now().await;
        }
        let base = common::Baseline::take();

        let err = Command::new("/no/such/program").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        let err = Command::new("uvco-no-such-program-in-path")
            .stdout(Stdio::piped())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

        let err = Command::new("echo").arg("a\0b").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains("NUL"), "{err}");
        let err = Command::new("ec\0ho").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let err = Command::new("echo").env("A", "b\0").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let err = Command::new("echo").env("A=B", "c").spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let err = Command::new("echo")
            .current_dir("/no/such/dir")
            .output()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert!(err.to_string().contains("working directory"), "{err}");

        let file = common::TempDir::new("process-bad");
        let not_exec = file.join("plain");
        std::fs::write(&not_exec, "data").unwrap();
        let err = Command::new(&not_exec).spawn().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");

        // Every failed spawn's handle closed and its block freed, every pipe closed.
        base.settle().await;
    });
}

#[test]
fn fifty_at_once() {
    run(async {
        let mut set = JoinSet::new();
        for i in 0..50u8 {
            set.spawn(async move {
                let out = Command::new("sh")
                    .args(["-c", &format!("echo {i}; exit {i}")])
                    .output()
                    .await
                    .unwrap();
                (i, out)
            });
        }
        let mut seen = [false; 50];
        while let Some(done) = set.join_next().await {
            let (i, out) = done.unwrap();
            assert_eq!(out.status.code(), Some(i32::from(i)));
            assert_eq!(out.stdout, format!("{i}\n").into_bytes());
            seen[usize::from(i)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    });
}

#[test]
fn dropped_child_with_kill_on_drop_is_killed_and_reaped() {
    run(async {
        let child = Command::new("sleep")
            .arg("100")
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let pid = child.id().unwrap();
        assert!(matches!(proc_state(pid), Some(s) if s != 'Z'));
        drop(child);
        until_reaped(pid).await;
    });
}

#[test]
fn dropped_child_runs_on_and_is_reaped_when_it_exits() {
    run(async {
        let child = Command::new("sleep").arg("100").spawn().unwrap();
        let pid = child.id().unwrap();
        drop(child);
        // Still running after a few loop turns: no kill without kill_on_drop.
        for _ in 0..5 {
            uvco::time::sleep(Duration::from_millis(2)).await;
        }
        assert!(
            matches!(proc_state(pid), Some(s) if s != 'Z'),
            "{:?}",
            proc_state(pid)
        );
        // SAFETY: kill(2) of our own child, which is not reaped yet (so the pid is its).
        assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) }, 0);
        // The background task reaps it: no zombie.
        until_reaped(pid).await;
    });
}

#[test]
fn child_dropped_after_its_runtime_is_reaped() {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let child = rt.block_on(async { Command::new("sleep").arg("0.2").spawn().unwrap() });
    let pid = child.id().unwrap();
    drop(rt);
    drop(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while proc_state(pid).is_some() {
        assert!(
            Instant::now() < deadline,
            "pid {pid}: {:?}",
            proc_state(pid)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn kill_on_drop_after_its_runtime_kills() {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let mut child = rt.block_on(async {
        Command::new("sleep")
            .arg("100")
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    });
    let pid = child.id().unwrap();
    drop(rt);
    // The runtime closed the handle, so no wait can come; signals still reach the child.
    assert!(child.try_wait().is_err());
    child.send_signal(libc::SIGCONT).unwrap();
    drop(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while proc_state(pid).is_some() {
        assert!(
            Instant::now() < deadline,
            "pid {pid}: {:?}",
            proc_state(pid)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn wait_is_cancel_safe() {
    run(async {
        let mut child = Command::new("sh")
            .args(["-c", "sleep 0.05; exit 4"])
            .spawn()
            .unwrap();
        let early = uvco::time::timeout(Duration::from_millis(1), child.wait()).await;
        if early.is_err() {
            // Dropped mid-wait: a later wait still gets the status.
            assert_eq!(child.wait().await.unwrap().code(), Some(4));
        }
        assert_eq!(child.wait().await.unwrap().code(), Some(4), "status kept");
    });
}

#[test]
fn spawn_and_wait_allocations() {
    run(async {
        let mut cmd = Command::new("true");
        for _ in 0..3 {
            assert!(cmd.status().await.unwrap().success());
        }
        let mut counts = Vec::new();
        for _ in 0..5 {
            let before = common::allocs();
            assert!(cmd.status().await.unwrap().success());
            counts.push(common::allocs() - before);
        }
        println!("spawn + wait of `true`: Rust heap allocations per round trip: {counts:?}");
        // The Command keeps argv; the process handle's block comes from the free list.
        assert!(counts.iter().all(|&n| n == 0), "{counts:?}");
    });
}
