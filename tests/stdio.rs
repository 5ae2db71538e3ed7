//! uvco::io's stdin/stdout/stderr on the real things, in child processes (this test binary,
//! run again with `UVCO_STDIO_CHILD=<mode>`): a pty (openpty) for the terminal, socket pairs
//! from uvco::process for pipes, and regular files redirected as stdin and stdout.
//!
//! The child reports what it checked on stderr as `CHECK <name> <value>` lines (and its
//! harness's own output lands on stdout before uvco's, which the parents skip by markers).

mod common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use uvco::io::{stderr, stdin, stdout, StdioKind, TtyMode};
use uvco::process::{Command, Stdio};

#[global_allocator]
static A: common::Counting = common::Counting;

const CHILD: &str = "UVCO_STDIO_CHILD";

/// The child's entry: a no-op test unless `UVCO_STDIO_CHILD` names a mode.
#[test]
fn child() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    if mode == "tty-teardown" {
        std::process::exit(child_tty_teardown());
    }
    let rt = uvco::Runtime::new().unwrap();
    let code = rt.block_on(async {
        match mode.as_str() {
            "write" => child_write().await,
            "cat" => child_cat().await,
            "tty" => child_tty().await,
            "closed" => child_closed(),
            "unsupported" => child_unsupported(),
            other => panic!("unknown mode {other}"),
        }
    });
    rt.close().unwrap();
    // Leave before the harness reports on stdout.
    std::process::exit(code);
}

fn check(name: &str, value: impl std::fmt::Display) {
    eprintln!("CHECK {name} {value}");
}

fn nonblocking(fd: i32) -> bool {
    // SAFETY: F_GETFL on an fd number.
    unsafe { libc::fcntl(fd, libc::F_GETFL) & libc::O_NONBLOCK != 0 }
}

/// 8 tasks write 100 numbered lines of 2000 bytes each through clones of stdout; before them
/// 100 small writes are counted for allocations; after them the handle is dropped, the
/// process's fd 1 is checked and used by std, and stdout is acquired again.
async fn child_write() -> i32 {
    let out = stdout().unwrap();
    check("kind", format!("{:?}", out.kind()));
    check("fd1_nonblocking_during", nonblocking(1));
    out.write_all(b"<<BEGIN>>\n").await.unwrap();
    for _ in 0..10 {
        out.write_all(b"warm\n").await.unwrap();
    }
    let before = common::allocs();
    for _ in 0..100 {
        out.write_all(b"small message, written at once\n")
            .await
            .unwrap();
    }
    check("allocs", common::allocs() - before);
    let mut tasks = Vec::new();
    for t in 0..8 {
        let out = out.clone();
        tasks.push(uvco::spawn_local(async move {
            for i in 0..100 {
                let mut line = format!("<T{t}:{i:03}:").into_bytes();
                line.resize(1998, b'a' + t as u8);
                line.extend_from_slice(b">\n");
                out.write_all(&line).await.unwrap();
                if i % 7 == 0 {
                    uvco::task::yield_now().await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // futures-io's poll_write, then flush.
    {
        let mut w = out.clone();
        std::future::poll_fn(|cx| {
            futures_io::AsyncWrite::poll_write(std::pin::Pin::new(&mut w), cx, b"<<POLLED>>\n")
        })
        .await
        .unwrap();
        w.flush().await.unwrap();
    }
    // Messages whose future or value is dropped before they are written still arrive
    // whole, before the messages that follow.
    {
        let mut big = vec![b'B'; 200_000];
        big.push(b'\n');
        let mut write = std::pin::pin!(out.write_all(&big));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let _ = std::future::Future::poll(write.as_mut(), &mut cx);
    }
    {
        let mut big = vec![b'C'; 200_000];
        big.push(b'\n');
        let mut w = out.clone();
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let polled = futures_io::AsyncWrite::poll_write(std::pin::Pin::new(&mut w), &mut cx, &big);
        assert!(matches!(polled, std::task::Poll::Ready(Ok(200_001))));
        drop(w);
    }
    out.write_all(b"<<END>>\n").await.unwrap();
    drop(out);
    // SAFETY: F_GETFD on fd 1.
    check("fd1_open", unsafe { libc::fcntl(1, libc::F_GETFD) } != -1);
    check("fd1_nonblocking_after", nonblocking(1));
    std_println(b"<<STD>>\n");
    let again = stdout().unwrap();
    again.write_all(b"<<AGAIN>>\n").await.unwrap();
    // With a handle alive throughout, std writes in between and uvco's next message still
    // follows it (on a file: the position is the fd's, not a copy the handle keeps).
    std_println(b"<<STD2>>\n");
    again.write_all(b"<<HELD>>\n").await.unwrap();
    // stderr works alongside.
    stderr()
        .unwrap()
        .write_all(b"CHECK stderr_kind_written true\n")
        .await
        .unwrap();
    0
}

/// Writes through std's own stdout (fd 1), flushed.
fn std_println(line: &[u8]) {
    let mut std_out = std::io::stdout().lock();
    std_out.write_all(line).unwrap();
    std_out.flush().unwrap();
}

/// Two tasks read stdin at once to the end; what they read, in order, goes to stdout. (Were
/// only the last reader to wait woken, the other would sleep through EOF and hang here.)
async fn child_cat() -> i32 {
    let input = stdin().unwrap();
    check("stdin_kind", format!("{:?}", input.kind()));
    let got = Rc::new(RefCell::new(Vec::new()));
    let reads = Rc::new(RefCell::new([0usize; 2]));
    let mut tasks = Vec::new();
    for r in 0..2 {
        let mut input = input.clone();
        let (got, reads) = (got.clone(), reads.clone());
        tasks.push(uvco::spawn_local(async move {
            let mut buf = vec![0u8; 1000 + r * 333];
            loop {
                let n = input.read(&mut buf).await.unwrap();
                if n == 0 {
                    return;
                }
                got.borrow_mut().extend_from_slice(&buf[..n]);
                reads.borrow_mut()[r] += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    drop(input);
    let data = std::mem::take(&mut *got.borrow_mut());
    check("read_bytes", data.len());
    check("readers_both_read", reads.borrow().iter().all(|&n| n > 0));
    // SAFETY: lseek on fd 0 (fails with ESPIPE on a pipe).
    check("stdin_pos", unsafe { libc::lseek(0, 0, libc::SEEK_CUR) });
    let out = stdout().unwrap();
    check("stdout_kind", format!("{:?}", out.kind()));
    out.write_all(b"<<BEGIN>>\n").await.unwrap();
    let (res, _) = out.write_all_owned(data).await;
    res.unwrap();
    out.write_all(b"<<END>>\n").await.unwrap();
    drop(out);
    println!("<<STD>>");
    0
}

fn icanon() -> bool {
    // SAFETY: tcgetattr into a zeroed termios, on fd 0.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(0, &mut t), 0);
        t.c_lflag & libc::ICANON != 0
    }
}

/// On a pty: the runtime shuts down while a raw-mode stdin lives on.
fn child_tty_teardown() -> i32 {
    let rt = uvco::Runtime::new().unwrap();
    let kept = rt.block_on(async {
        let input = stdin().unwrap();
        input.set_mode(TtyMode::Raw).unwrap();
        input
    });
    check("icanon_raw", icanon());
    drop(rt);
    check("icanon_after_shutdown", icanon());
    // Outside any runtime now: its calls fail, typed.
    check(
        "set_mode_after_shutdown",
        kept.set_mode(TtyMode::Raw).is_err(),
    );
    drop(kept);
    check("icanon_after_drop", icanon());
    0
}

/// On a pty: kinds, window size, raw mode (and its restoring), a key read in raw mode.
async fn child_tty() -> i32 {
    let mut input = stdin().unwrap();
    let out = stdout().unwrap();
    check("stdin_kind", format!("{:?}", input.kind()));
    check("stdout_kind", format!("{:?}", out.kind()));
    let (cols, rows) = out.window_size().unwrap();
    check("winsize", format!("{cols}x{rows}"));
    check("icanon_before", icanon());
    input.set_mode(TtyMode::Raw).unwrap();
    check("icanon_raw", icanon());
    out.write_all(b"READY\n").await.unwrap();
    let mut key = [0u8; 1];
    let n = input.read(&mut key).await.unwrap();
    check("key", String::from_utf8_lossy(&key[..n]));
    drop(input);
    check("icanon_after_drop", icanon());
    check("fd0_nonblocking", nonblocking(0));
    out.write_all(b"DONE\n").await.unwrap();
    drop(out);
    0
}

fn child_closed() -> i32 {
    // SAFETY: closing our own fd 0, which nothing else of this process uses.
    unsafe { libc::close(0) };
    let err = stdin().unwrap_err();
    check("closed_errno", err.raw_os_error().unwrap_or(-1));
    0
}

fn child_unsupported() -> i32 {
    let err = stdin().unwrap_err();
    check("unsupported_kind", format!("{:?}", err.kind()));
    0
}

fn child_args() -> [&'static str; 5] {
    ["child", "--exact", "--nocapture", "--test-threads=1", "-q"]
}

/// The `CHECK` lines of a child's stderr.
fn checks(stderr: &[u8]) -> std::collections::BTreeMap<String, String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("CHECK "))
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The bytes between `<<BEGIN>>\n` and `<<END>>\n`, and what follows.
fn between_markers(out: &[u8]) -> (&[u8], &[u8]) {
    let find = |hay: &[u8], pat: &[u8]| hay.windows(pat.len()).position(|w| w == pat);
    let start = find(out, b"<<BEGIN>>\n").expect("a BEGIN marker") + 10;
    let end = start + find(&out[start..], b"<<END>>\n").expect("an END marker");
    (&out[start..end], &out[end + 8..])
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    rt.close().unwrap();
    out
}

#[test]
fn stdout_pipe_messages_stay_whole() {
    let exe = std::env::current_exe().unwrap();
    let (stdout, stderr, status) = run(async {
        let mut child = Command::new(&exe)
            .args(child_args())
            .env(CHILD, "write")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        // Let the child fill the socket, so that its writes queue behind each other.
        uvco::time::sleep(Duration::from_millis(100)).await;
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        out.read_to_end(&mut stdout).await.unwrap();
        err.read_to_end(&mut stderr).await.unwrap();
        (stdout, stderr, child.wait().await.unwrap())
    });
    let c = checks(&stderr);
    assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
    assert_eq!(c["kind"], "Pipe");
    assert_eq!(c["allocs"], "0", "small writes the kernel takes at once");
    assert_eq!(c["fd1_open"], "true");
    // A socket can't be reopened: its one description is non-blocking while uvco has it.
    assert_eq!(c["fd1_nonblocking_during"], "true");
    assert_eq!(c["fd1_nonblocking_after"], "false", "fd 1 blocking again");
    assert_eq!(c["stderr_kind_written"], "true");
    let (body, rest) = between_markers(&stdout);
    let mut seen = BTreeSet::new();
    let mut smalls = 0;
    let mut bigs = Vec::new();
    for line in body.split_inclusive(|&b| b == b'\n') {
        match line {
            b"warm\n" | b"<<POLLED>>\n" => {}
            b"small message, written at once\n" => smalls += 1,
            _ if line.len() == 200_001 => {
                assert!(
                    line[..200_000].iter().all(|&b| b == line[0]),
                    "a dropped message whole"
                );
                bigs.push(line[0]);
            }
            _ => {
                assert_eq!(
                    line.len(),
                    2000,
                    "a whole line: {:?}",
                    String::from_utf8_lossy(&line[..40.min(line.len())])
                );
                let head = std::str::from_utf8(&line[..9]).unwrap();
                let t: u8 = head[2..3].parse().unwrap();
                assert!(
                    line[9..1998].iter().all(|&b| b == b'a' + t),
                    "no other bytes inside"
                );
                assert!(seen.insert(head.to_string()), "each line once");
            }
        }
    }
    assert_eq!(smalls, 100);
    assert_eq!(seen.len(), 800);
    assert_eq!(bigs, b"BC", "both dropped messages, in order, before END");
    let rest = String::from_utf8_lossy(rest);
    assert!(
        rest.starts_with("<<STD>>\n<<AGAIN>>\n<<STD2>>\n<<HELD>>\n"),
        "std after uvco, then uvco again: {rest:?}"
    );
}

#[test]
fn stdout_fifo_is_reopened_and_fd1_stays_blocking() {
    // std's piped stdio is a pipe(2), which uvco reopens through /proc/self/fd.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(child_args())
        .env(CHILD, "write")
        .stdout(std::process::Stdio::piped())
        .output()
        .unwrap();
    let c = checks(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(c["kind"], "Pipe");
    assert_eq!(
        c["fd1_nonblocking_during"], "false",
        "a description of uvco's own"
    );
    assert_eq!(c["fd1_nonblocking_after"], "false");
    let (body, rest) = between_markers(&out.stdout);
    let long = body
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| l.len() == 2000)
        .count();
    assert_eq!(long, 800);
    assert!(String::from_utf8_lossy(rest).starts_with("<<STD>>\n<<AGAIN>>\n<<STD2>>\n<<HELD>>\n"));
}

#[test]
fn stdin_pipe_two_readers_and_back() {
    let exe = std::env::current_exe().unwrap();
    let input: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let (stdout, stderr, status) = run(async {
        let mut child = Command::new(&exe)
            .args(child_args())
            .env(CHILD, "cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut w = child.stdin.take().unwrap();
        let data = input.clone();
        let writer = uvco::spawn_local(async move {
            for chunk in data.chunks(7000) {
                w.write_all(chunk).await.unwrap();
                uvco::task::yield_now().await;
            }
        });
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        out.read_to_end(&mut stdout).await.unwrap();
        err.read_to_end(&mut stderr).await.unwrap();
        writer.await.unwrap();
        (stdout, stderr, child.wait().await.unwrap())
    });
    let c = checks(&stderr);
    assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
    assert_eq!(c["stdin_kind"], "Pipe");
    assert_eq!(c["stdout_kind"], "Pipe");
    assert_eq!(c["read_bytes"], input.len().to_string());
    // Which reader gets which bytes is the scheduler's; that both end (the EOF woke both
    // waiting readers, not only the last to register) is what awaiting them checks.
    assert!(c.contains_key("readers_both_read"));
    let (body, rest) = between_markers(&stdout);
    assert!(body == input, "bytes in order");
    assert_eq!(rest, b"<<STD>>\n");
}

#[test]
fn files_as_stdin_and_stdout() {
    let dir = common::TempDir::new("stdio");
    let input: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(dir.join("in"), &input).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(child_args())
        .env(CHILD, "cat")
        .stdin(std::fs::File::open(dir.join("in")).unwrap())
        .stdout(std::fs::File::create(dir.join("out")).unwrap())
        .output()
        .unwrap();
    let c = checks(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(c["stdin_kind"], "File");
    assert_eq!(c["stdout_kind"], "File");
    assert_eq!(c["read_bytes"], input.len().to_string());
    assert_eq!(
        c["stdin_pos"],
        input.len().to_string(),
        "fd 0's position follows"
    );
    let written = std::fs::read(dir.join("out")).unwrap();
    let (body, rest) = between_markers(&written);
    assert!(body == input);
    // std's println after uvco lands after uvco's bytes: the shared position followed them.
    assert_eq!(rest, b"<<STD>>\n");
}

#[test]
fn file_stdout_messages_get_their_own_ranges() {
    let dir = common::TempDir::new("stdio");
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(child_args())
        .env(CHILD, "write")
        .stdout(std::fs::File::create(dir.join("out")).unwrap())
        .output()
        .unwrap();
    let c = checks(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(c["kind"], "File");
    let written = std::fs::read(dir.join("out")).unwrap();
    let (body, rest) = between_markers(&written);
    let lines: Vec<&[u8]> = body.split_inclusive(|&b| b == b'\n').collect();
    let long = lines.iter().filter(|l| l.len() == 2000).count();
    assert_eq!(long, 800, "every line whole, none lost or overwritten");
    let dropped = lines.iter().filter(|l| l.len() == 200_001).count();
    assert_eq!(
        dropped, 2,
        "messages whose future or value was dropped, whole"
    );
    assert!(!body.contains(&0), "no holes");
    assert!(String::from_utf8_lossy(rest).starts_with("<<STD>>\n<<AGAIN>>\n<<STD2>>\n<<HELD>>\n"));
}

/// A pty pair: (master, slave).
fn openpty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-parameters for the two fds; a null name and termios, and a winsize.
    let ret = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(ret, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: two fresh fds that we own.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

#[test]
fn terminal_on_a_pty() {
    let (master, slave) = openpty(101, 37);
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(child_args())
        .env(CHILD, "tty")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(slave);
    let mut reader = std::fs::File::from(master.try_clone().unwrap());
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let pump = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // Ends with EIO once the child (the last slave holder) exits.
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("READY") {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(chunk) => seen.extend(chunk),
            Err(_) => panic!(
                "no READY from the child: {:?}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    // Raw mode: the key arrives alone, without a newline.
    std::fs::File::from(master).write_all(b"x").unwrap();
    let mut stderr = Vec::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    pump.join().unwrap();
    seen.extend(rx.try_iter().flatten());
    let c = checks(&stderr);
    assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
    assert_eq!(c["stdin_kind"], "Terminal");
    assert_eq!(c["stdout_kind"], "Terminal");
    assert_eq!(c["winsize"], "101x37");
    assert_eq!(c["icanon_before"], "true");
    assert_eq!(c["icanon_raw"], "false");
    assert_eq!(c["key"], "x");
    assert_eq!(c["icanon_after_drop"], "true", "the terminal restored");
    assert_eq!(
        c["fd0_nonblocking"], "false",
        "libuv reopened the tty; fd 0 untouched"
    );
    assert!(String::from_utf8_lossy(&seen).contains("DONE"));
}

#[test]
fn closed_and_unsupported_stdin_are_errors() {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(&exe)
        .args(child_args())
        .env(CHILD, "closed")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(checks(&out.stderr)["closed_errno"], libc::EBADF.to_string());

    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let out = std::process::Command::new(&exe)
        .args(child_args())
        .env(CHILD, "unsupported")
        .stdin(OwnedFd::from(udp))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(checks(&out.stderr)["unsupported_kind"], "Unsupported");
}

#[test]
fn kinds_in_process_are_consistent() {
    // Whatever this process's stdin is (a terminal, a pipe, /dev/null), two values share
    // one handle and report the same kind; the fd stays open once both are gone.
    run(async {
        if let Ok(a) = stdin() {
            let b = stdin().unwrap();
            assert_eq!(a.kind(), b.kind());
            assert_eq!(a.as_raw_fd(), 0);
            if a.kind() != StdioKind::Terminal {
                assert_eq!(
                    a.set_mode(TtyMode::Raw).unwrap_err().kind(),
                    std::io::ErrorKind::Unsupported
                );
            }
        }
    });
    // SAFETY: F_GETFD on fd 0.
    assert_ne!(unsafe { libc::fcntl(0, libc::F_GETFD) }, -1);
}

#[test]
fn terminal_restored_when_the_runtime_shuts_down_first() {
    let (master, slave) = openpty(80, 24);
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(child_args())
        .env(CHILD, "tty-teardown")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    drop(master);
    let c = checks(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(c["icanon_raw"], "false");
    assert_eq!(
        c["icanon_after_shutdown"], "true",
        "restored by the runtime's shutdown"
    );
    assert_eq!(c["set_mode_after_shutdown"], "true");
    assert_eq!(c["icanon_after_drop"], "true");
}
