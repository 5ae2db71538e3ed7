//! Every request kind, awaited through its generated future on a real loop: file ops in a
//! temp dir, DNS of localhost, TCP connect + write + shutdown against a listener on
//! 127.0.0.1, a Unix socket connect + write2, UDP send to a bound socket, threadpool work,
//! random bytes.

mod common;

use std::ffi::{c_int, CStr, CString};
use std::io::Read;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{RawHandle, TempDir};
use uvco::requests::*;
use uvco::sys;
use uvco::Awaitable as _;

fn c(path: &std::path::Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

const O_WRONLY: c_int = 0o1;
const O_CREAT: c_int = 0o100;

#[uvco::test]
async fn fs_requests() {
    let dir = TempDir::new("requests");
    let file = c(&dir.join("a.txt"));
    let renamed = c(&dir.join("b.txt"));
    let copy = c(&dir.join("c.txt"));
    let link = c(&dir.join("link"));
    // SAFETY: every C string outlives the constructor call (libuv copies paths); the write
    // buffer is moved into the request slot with `with_keep`.
    unsafe {
        let fd = UvFsOpen::new(file.as_ptr(), O_WRONLY | O_CREAT, 0o644)
            .await
            .unwrap();
        let (written, data) = UvFsWrite::with_keep(
            (
                b"hello uvco".to_vec(),
                sys::uv_buf_t {
                    base: std::ptr::null_mut(),
                    len: 0,
                },
            ),
            |(data, buf)| {
                *buf = sys::uv_buf_init(data.as_mut_ptr().cast(), data.len() as u32);
                (fd, &raw const *buf, 1, 0)
            },
        )
        .await;
        assert_eq!(written.unwrap(), 10);
        assert_eq!(data.0, b"hello uvco");
        UvFsFsync::new(fd).await.unwrap();
        let stat = UvFsFstat::new(fd).await.unwrap();
        assert_eq!(stat.st_size, 10);
        UvFsClose::new(fd).await.unwrap();

        UvFsRename::new(file.as_ptr(), renamed.as_ptr())
            .await
            .unwrap();
        assert_eq!(
            UvFsStat::new(file.as_ptr()).await.unwrap_err(),
            uvco::UvError::ENOENT
        );
        UvFsCopyfile::new(renamed.as_ptr(), copy.as_ptr(), 0)
            .await
            .unwrap();
        UvFsSymlink::new(copy.as_ptr(), link.as_ptr(), 0)
            .await
            .unwrap();
        let target = UvFsReadlink::new(link.as_ptr()).await.unwrap();
        assert_eq!(target.as_c_str(), copy.as_c_str());
        assert!(UvFsLstat::new(link.as_ptr()).await.is_ok());

        let scan = c(dir.path());
        let mut names: Vec<_> = UvFsScandir::new(scan.as_ptr(), 0)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        names.sort();
        assert_eq!(names, [c"b.txt", c"c.txt", c"link"].map(CStr::to_owned));

        let tpl = c(&dir.join("tmp-XXXXXX"));
        let made = UvFsMkdtemp::new(tpl.as_ptr()).await.unwrap();
        assert!(std::path::Path::new(std::ffi::OsStr::from_bytes(made.to_bytes())).is_dir());
        UvFsRmdir::new(made.as_ptr()).await.unwrap();
        UvFsUnlink::new(link.as_ptr()).await.unwrap();
    }
}

#[uvco::test]
async fn dns_requests() {
    // SAFETY: the C strings and the address outlive the constructor calls; libuv copies them.
    unsafe {
        let list = UvGetaddrinfo::new(c"localhost".as_ptr(), c"80".as_ptr(), std::ptr::null())
            .await
            .unwrap();
        let addrs: Vec<SocketAddr> = list.iter().collect();
        assert!(
            addrs.iter().any(|a| a.ip().is_loopback() && a.port() == 80),
            "{addrs:?}"
        );

        let addr = uvco_runtime_sockaddr("127.0.0.1:80".parse().unwrap());
        let info = UvGetnameinfo::new(addr.as_ptr(), 0).await.unwrap();
        assert!(!info.host.is_empty());
        let unknown = UvGetaddrinfo::new(
            c"nonexistent.invalid".as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
        )
        .await;
        assert!(unknown.is_err());
    }
}

fn uvco_runtime_sockaddr(addr: SocketAddr) -> uvco_runtime::sockaddr::RawSocketAddr {
    uvco_runtime::sockaddr::RawSocketAddr::new(addr)
}

#[uvco::test]
async fn tcp_connect_write_shutdown() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        conn.read_to_end(&mut got).unwrap(); // returns at EOF: after the shutdown
        got
    });
    let tcp = RawHandle::<sys::uv_tcp_t>::new(|h| {
        // SAFETY: a valid loop and a fresh handle.
        unsafe { sys::uv_tcp_init(uvco::current_loop(), h) }
    });
    let raw = uvco_runtime_sockaddr(addr);
    // SAFETY: the handle lives until the end of the test; the address is copied by libuv; the
    // bytes are moved into the slot.
    unsafe {
        UvTcpConnect::new(tcp.0, raw.as_ptr()).await.unwrap();
        let (res, _) = UvWrite::with_keep(
            (b"ping".to_vec(), sys::uv_buf_init(std::ptr::null_mut(), 0)),
            |(data, buf)| {
                *buf = sys::uv_buf_init(data.as_mut_ptr().cast(), data.len() as u32);
                (tcp.0.cast(), &raw const *buf, 1)
            },
        )
        .await;
        res.unwrap();
        UvShutdown::new(tcp.0.cast()).await.unwrap();
    }
    assert_eq!(server.join().unwrap(), b"ping");
}

#[uvco::test]
async fn pipe_connect_and_write2() {
    let dir = TempDir::new("pipe");
    let path = dir.join("sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        conn.read_to_end(&mut got).unwrap();
        got
    });
    let pipe = RawHandle::<sys::uv_pipe_t>::new(|h| {
        // SAFETY: a valid loop and a fresh handle.
        unsafe { sys::uv_pipe_init(uvco::current_loop(), h, 0) }
    });
    let name = c(&path);
    // SAFETY: as in the TCP test; a null send_handle makes write2 a plain write.
    unsafe {
        UvPipeConnect2::new(pipe.0, name.as_ptr(), name.as_bytes().len(), 0)
            .await
            .unwrap();
        let (res, _) = UvWrite2::with_keep(
            (b"pong".to_vec(), sys::uv_buf_init(std::ptr::null_mut(), 0)),
            |(data, buf)| {
                *buf = sys::uv_buf_init(data.as_mut_ptr().cast(), data.len() as u32);
                (pipe.0.cast(), &raw const *buf, 1, std::ptr::null_mut())
            },
        )
        .await;
        res.unwrap();
        UvShutdown::new(pipe.0.cast()).await.unwrap();
    }
    assert_eq!(server.join().unwrap(), b"pong");
}

#[uvco::test]
async fn udp_send_to_a_bound_socket() {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = uvco_runtime_sockaddr(receiver.local_addr().unwrap());
    let udp = RawHandle::<sys::uv_udp_t>::new(|h| {
        // SAFETY: a valid loop and a fresh handle.
        unsafe { sys::uv_udp_init(uvco::current_loop(), h) }
    });
    // SAFETY: the handle lives until the end of the test; libuv copies the address; the
    // bytes are moved into the slot.
    let (res, _) = unsafe {
        UvUdpSend::with_keep(
            (
                b"datagram".to_vec(),
                sys::uv_buf_init(std::ptr::null_mut(), 0),
            ),
            |(data, buf)| {
                *buf = sys::uv_buf_init(data.as_mut_ptr().cast(), data.len() as u32);
                (udp.0, &raw const *buf, 1, target.as_ptr())
            },
        )
        .await
    };
    res.unwrap();
    let mut got = [0u8; 64];
    let (n, _) = receiver.recv_from(&mut got).unwrap();
    assert_eq!(&got[..n], b"datagram");
}

static WORK_RUNS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn count_work(_req: *mut sys::uv_work_t) {
    WORK_RUNS.fetch_add(1, Ordering::SeqCst);
}

#[uvco::test]
async fn queue_work_and_random() {
    // SAFETY: the work callback touches only a static.
    unsafe { UvQueueWork::new(Some(count_work)).await.unwrap() };
    assert_eq!(WORK_RUNS.load(Ordering::SeqCst), 1);
    assert_eq!(uvco::task::spawn_blocking(|| 6 * 7).await.unwrap(), 42);

    // SAFETY: the buffer is moved into the slot and comes back with the result.
    let (res, bytes) = unsafe {
        UvRandom::with_keep([0u8; 64], |buf| (buf.as_mut_ptr().cast(), buf.len(), 0)).await
    };
    res.unwrap();
    assert!(
        bytes.iter().any(|&b| b != 0),
        "64 random bytes are not all zero"
    );
}
