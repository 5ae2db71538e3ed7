//! Faults from the outside world: running out of file descriptors, invalid ports, and a task
//! panicking halfway through a chain of requests.

mod common;

use std::ffi::c_int;
use std::io::ErrorKind;
use std::net::SocketAddr;

use uvco::requests::{UvFsClose, UvFsOpen};

/// Set in the child process that runs a test under a low fd limit.
const CHILD: &str = "UVCO_FAULTS_CHILD";

/// Runs the named test of this binary again, alone, with `ulimit -n 64`.
fn run_with_fd_limit(test: &str) {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 64 && exec "$0" --exact "$1" --nocapture --test-threads=1"#)
        .arg(exe)
        .arg(test)
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran nothing:\n{stdout}"
    );
}

#[test]
fn running_out_of_fds_is_an_error_not_a_panic() {
    if std::env::var_os(CHILD).is_none() {
        return run_with_fd_limit("running_out_of_fds_is_an_error_not_a_panic");
    }
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        let mut fds: Vec<c_int> = Vec::new();
        let err = loop {
            // SAFETY: a static path (libuv copies it).
            match unsafe { UvFsOpen::new(c"/dev/null".as_ptr(), 0, 0) }.await {
                Ok(fd) => fds.push(fd),
                Err(err) => break err,
            }
            assert!(fds.len() < 64, "the fd limit was not applied");
        };
        assert_eq!(err.name(), "EMFILE");
        let io: std::io::Error = err.into();
        assert_eq!(io.raw_os_error(), Some(24));

        // Sockets fail the same way, as errors.
        let listener = std::net::TcpListener::bind("127.0.0.1:0");
        if let Ok(listener) = listener {
            let res = uvco::net::TcpStream::connect(listener.local_addr().unwrap()).await;
            assert!(res.is_err(), "connected with no fd left");
        }
        let lookup = uvco::dns::lookup("localhost", 80).await;
        let _ = lookup; // may succeed or fail; it must not panic

        // Give the fds back: everything works again.
        for fd in fds {
            // SAFETY: fds this test opened.
            unsafe { UvFsClose::new(fd) }.await.unwrap();
        }
        // SAFETY: as above.
        let fd = unsafe { UvFsOpen::new(c"/dev/null".as_ptr(), 0, 0) }
            .await
            .unwrap();
        // SAFETY: as above.
        unsafe { UvFsClose::new(fd) }.await.unwrap();
    });
    rt.close().unwrap();
}

#[uvco::test]
async fn connecting_to_port_zero_is_an_error() {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let err = uvco::net::TcpStream::connect(addr).await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::InvalidInput
        ),
        "{err:?}"
    );
}

#[uvco::test]
async fn a_task_panicking_mid_chain_leaves_the_runtime_working() {
    let dir = common::TempDir::new("faults");
    let path = dir.join("f");
    std::fs::write(&path, b"data").unwrap();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let task = uvco::spawn_local(async move {
        let mut file = uvco::fs::File::open(&path).await.unwrap();
        let (n, _) = file.read_owned(Vec::with_capacity(16)).await;
        assert_eq!(n.unwrap(), 4);
        panic!("halfway through open + read + close"); // the File closes as the task unwinds
    });
    let err = task.await.unwrap_err();
    std::panic::set_hook(prev);
    assert!(err.is_panic());
    // The runtime carries on; the panicked task's frame and slot are gone.
    let again = uvco::spawn_local(async { 1 + 1 }).await.unwrap();
    assert_eq!(again, 2);
}
