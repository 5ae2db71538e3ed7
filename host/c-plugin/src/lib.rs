//! A uvco plugin for a C program that owns and runs its own libuv loop (`host/c-host/host.c`):
//! the shape of embedding in Neovim, Julia or any C host. Built with uvco's `host` feature, it
//! links no libuv; its `uv_*` calls bind to the host's `libuv.so.1` when it is `dlopen`ed.
//!
//! The C side calls `uvco_plugin_start(loop, path)`, runs its loop until it is idle, reads
//! `uvco_plugin_report()`, then `uvco_plugin_stop()` and runs the loop once more so that the
//! runtime's handles close before `uv_loop_close`.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CStr, CString};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

thread_local! {
    static RUNTIME: RefCell<Option<uvco::Runtime>> = const { RefCell::new(None) };
    static REPORT: RefCell<String> = const { RefCell::new(String::new()) };
    static REPORT_C: RefCell<CString> = RefCell::new(CString::default());
}

fn note(line: String) {
    REPORT.with(|r| {
        let mut r = r.borrow_mut();
        r.push_str(&line);
        r.push('\n');
    });
}

async fn tour(path: String) -> std::io::Result<()> {
    let meta = uvco::fs::metadata(&path).await?;
    let text = uvco::fs::read(&path).await?;
    note(format!(
        "stat {path}: {} bytes; read {} bytes",
        meta.len(),
        text.len()
    ));
    assert_eq!(meta.len(), text.len() as u64);

    let missing = uvco::fs::metadata("/nonexistent/uvco").await.unwrap_err();
    note(format!("stat of a missing file: {:?}", missing.kind()));

    let start = std::time::Instant::now();
    uvco::time::sleep(Duration::from_millis(10)).await;
    note(format!("slept {} ms", start.elapsed().as_millis()));

    let addrs = uvco::dns::lookup("localhost", 0).await?;
    note(format!("localhost resolves to {}", addrs[0].ip()));

    let listener = uvco::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = listener.local_addr()?;
    let server = uvco::spawn_local(async move {
        let (mut conn, _) = listener.accept().await?;
        let mut buf = [0u8; 64];
        let n = conn.read(&mut buf).await?;
        conn.write_all(&buf[..n]).await?;
        std::io::Result::Ok(())
    });
    let mut conn = uvco::net::TcpStream::connect(addr).await?;
    conn.write_all(b"hello from the C host's loop").await?;
    let mut buf = [0u8; 64];
    let n = conn.read(&mut buf).await?;
    server.await.expect("echo server task")?;
    note(format!("tcp echo: {}", String::from_utf8_lossy(&buf[..n])));

    // uv_pipe_bind2 and uv_pipe_connect2 are libuv 1.46: on an older host, uvco falls back to
    // uv_pipe_bind and uv_pipe_connect.
    let sock = std::env::temp_dir().join(format!("uvco-c-host-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&sock);
    let listener = uvco::net::UnixListener::bind(&sock)?;
    let server = uvco::spawn_local(async move {
        let mut conn = listener.accept().await?;
        let mut buf = [0u8; 64];
        let n = conn.read(&mut buf).await?;
        conn.write_all(&buf[..n]).await?;
        std::io::Result::Ok(())
    });
    let mut conn = uvco::net::UnixStream::connect(&sock).await?;
    conn.write_all(b"over a unix socket").await?;
    let n = conn.read(&mut buf).await?;
    server.await.expect("unix echo server task")?;
    let _ = std::fs::remove_file(&sock);
    note(format!("unix echo: {}", String::from_utf8_lossy(&buf[..n])));
    Ok(())
}

/// Attaches a uvco runtime to `loop_` and starts the tour on it. 0 on success; -1 with the
/// reason in the report if uvco can't run on this loop.
///
/// # Safety
/// `loop_` is an initialised loop run only on this thread, alive until after
/// `uvco_plugin_stop` and one more `uv_run`; `path` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn uvco_plugin_start(
    loop_: *mut uvco::sys::uv_loop_t,
    path: *const c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    let path = unsafe { CStr::from_ptr(path) }
        .to_string_lossy()
        .into_owned();
    // Nothing may unwind into C.
    let started = std::panic::catch_unwind(move || {
        // SAFETY: the caller's contract on `loop_`.
        let rt = match unsafe { uvco::Runtime::attach(loop_) } {
            Ok(rt) => rt,
            Err(err) => {
                note(format!("attach refused: {err}"));
                return -1;
            }
        };
        note(format!(
            "attached to libuv {}",
            uvco::runtime::libuv::version()
        ));
        rt.spawn_local(async move {
            match tour(path).await {
                Ok(()) => note("tour: ok".into()),
                Err(err) => note(format!("tour failed: {err}")),
            }
        })
        .detach();
        RUNTIME.with(|r| *r.borrow_mut() = Some(rt));
        0
    });
    started.unwrap_or(-1)
}

/// What the tour saw, one line per step; valid until the next call.
#[no_mangle]
pub extern "C" fn uvco_plugin_report() -> *const c_char {
    let text = REPORT.with(|r| r.borrow().clone());
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "  {line}");
    }
    REPORT_C.with(|c| {
        *c.borrow_mut() = CString::new(out).unwrap_or_default();
        c.borrow().as_ptr()
    })
}

/// Drops the runtime; its handles close the next time the host runs its loop.
#[no_mangle]
pub extern "C" fn uvco_plugin_stop() {
    let _ = std::panic::catch_unwind(|| RUNTIME.with(|r| drop(r.borrow_mut().take())));
}
