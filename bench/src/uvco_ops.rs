//! The uvco variants: the same work as `raw.rs`, written with `await` — on the generated
//! request futures (`uvco::requests`), and on the safe API (`uvco::net`, `uvco::dns`) where
//! it exists. Everything runs inside `Runtime::block_on`, which is what `#[uvco::main]` does.

use std::cell::Cell;
use std::ffi::{c_char, c_int, CStr};
use std::hint::black_box;
use std::mem::zeroed;
use std::net::SocketAddr;
use std::rc::Rc;

use uvco::requests::{UvFsClose, UvFsFstat, UvFsOpen, UvFsRead, UvFsStat, UvGetaddrinfo};
use uvco::Awaitable as _;
use uvco::{spawn_local, sys, Runtime};

fn runtime() -> Runtime {
    Runtime::new().expect("uvco runtime")
}

/// A uvco runtime on its own loop (`io_uring: false`), or attached to a loop configured with
/// `UV_LOOP_USE_IO_URING_SQPOLL`, whose fs requests go through io_uring.
pub fn fs_runtime(io_uring: bool) -> Runtime {
    if !io_uring {
        return runtime();
    }
    let lp = crate::raw::Loop::with_io_uring();
    // SAFETY: the loop is initialised, only run on this thread, and never freed.
    unsafe { Runtime::attach(lp.ptr()) }.expect("uvco runtime on an io_uring loop")
}

/// Awaits `uv_fs_stat` of `path`.
async fn stat(path: *const c_char) -> i64 {
    // SAFETY: `path` is a C string that outlives the call (libuv copies it).
    let stat = unsafe { UvFsStat::new(path) }.await.expect("uv_fs_stat");
    stat.st_size as i64
}

pub fn fs_stat(rt: Runtime, path: &CStr) -> impl FnMut(u64) {
    let path = path.to_owned();
    move |n| {
        rt.block_on(async {
            let mut sum = 0;
            for _ in 0..n {
                sum += stat(path.as_ptr()).await;
            }
            black_box(sum);
        })
    }
}

/// The same stats in the callback form (`UvFsStat::with_callback`): no task per request;
/// each `done` submits the next, and the last wakes the `block_on` future that waits for
/// the batch.
pub fn fs_stat_callback(rt: Runtime, path: &CStr) -> impl FnMut(u64) {
    let path = Rc::new(path.to_owned());
    move |n| {
        if n == 0 {
            return;
        }
        let chain = Rc::new(Chain {
            left: Cell::new(n),
            sum: Cell::new(0),
            waker: Cell::new(None),
        });
        rt.block_on(async {
            stat_chain(path.clone(), chain.clone());
            std::future::poll_fn(|cx| {
                if chain.left.get() == 0 {
                    return std::task::Poll::Ready(());
                }
                chain.waker.set(Some(cx.waker().clone()));
                std::task::Poll::Pending
            })
            .await;
        });
        black_box(chain.sum.get());
    }
}

/// A batch of chained callback-form stats.
struct Chain {
    left: Cell<u64>,
    sum: Cell<i64>,
    waker: Cell<Option<std::task::Waker>>,
}

fn stat_chain(path: Rc<std::ffi::CString>, chain: Rc<Chain>) {
    // SAFETY: the path is kept in the slot (libuv copies it anyway).
    unsafe {
        UvFsStat::with_callback(
            (path, chain),
            |(path, _)| (path.as_ptr(),),
            |res, (path, chain)| {
                let stat = res.expect("uv_fs_stat");
                chain.sum.set(chain.sum.get() + stat.st_size as i64);
                chain.left.set(chain.left.get() - 1);
                if chain.left.get() > 0 {
                    stat_chain(path, chain);
                } else if let Some(waker) = chain.waker.take() {
                    waker.wake();
                }
            },
        )
    }
    .expect("uv_fs_stat submitted");
}

/// `width` tasks, each awaiting its share of the `n` stats one after another.
pub fn fs_stat_wide(rt: Runtime, path: &CStr, width: usize) -> impl FnMut(u64) {
    let path = Rc::new(path.to_owned());
    let mut handles = Vec::with_capacity(width);
    move |n| {
        rt.block_on(async {
            let width = (n as usize).min(width) as u64;
            for i in 0..width {
                let count = n / width + u64::from(i < n % width);
                let path = path.clone();
                handles.push(spawn_local(async move {
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += stat(path.as_ptr()).await;
                    }
                    sum
                }));
            }
            for h in handles.drain(..) {
                black_box(h.await.expect("task"));
            }
        })
    }
}

/// open + fstat + read + close, each awaited, reading into a buffer that is moved into the
/// read request and handed back.
async fn read_file_chain(path: *const c_char, buf: Vec<u8>) -> (usize, Vec<u8>) {
    // SAFETY: the path outlives the call; the read buffer and its uv_buf_t live in the slot
    // (`with_keep`) until the read's callback has run.
    unsafe {
        let fd = UvFsOpen::new(path, 0, 0).await.expect("open");
        let size = UvFsFstat::new(fd).await.expect("fstat").st_size as usize;
        let (read, (buf, _)) =
            UvFsRead::with_keep((buf, zeroed::<sys::uv_buf_t>()), |(buf, ub)| {
                *ub = sys::uv_buf_init(buf.as_mut_ptr().cast(), size.min(buf.len()) as u32);
                (fd, &raw const *ub, 1, 0)
            })
            .await;
        let n = read.expect("read");
        UvFsClose::new(fd).await.expect("close");
        (n, buf)
    }
}

pub fn readfile(rt: Runtime, path: &CStr, cap: usize) -> impl FnMut(u64) {
    let path = path.to_owned();
    let mut buf = Some(vec![0u8; cap]);
    move |n| {
        rt.block_on(async {
            let mut b = buf.take().expect("buffer");
            for _ in 0..n {
                let (len, back) = read_file_chain(path.as_ptr(), b).await;
                black_box(len);
                b = back;
            }
            buf = Some(b);
        })
    }
}

pub fn getaddrinfo(host: &CStr) -> impl FnMut(u64) {
    let rt = runtime();
    let host = host.to_owned();
    // SAFETY: zeroed hints are valid.
    let mut hints: sys::addrinfo = unsafe { zeroed() };
    hints.ai_socktype = sys::SOCK_STREAM as c_int;
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                // SAFETY: libuv copies node and hints during the call.
                let list = unsafe { UvGetaddrinfo::new(host.as_ptr(), std::ptr::null(), &hints) }
                    .await
                    .expect("getaddrinfo");
                black_box(list.iter().count());
            }
        })
    }
}

/// `uvco::dns::lookup`: the safe API, which returns a `Vec<SocketAddr>`.
pub fn dns_lookup(host: &'static str) -> impl FnMut(u64) {
    let rt = runtime();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                black_box(uvco::dns::lookup(host, 0).await.expect("lookup").len());
            }
        })
    }
}

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// `TcpStream::connect` to a `TcpListener` on the same runtime, whose accepting task takes
/// each connection; both sides drop (close) theirs.
pub fn tcp_connect() -> impl FnMut(u64) {
    let rt = runtime();
    let listener = rt
        .block_on(async { uvco::net::TcpListener::bind(localhost()) })
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let listener = Rc::new(listener);
    move |n| {
        rt.block_on(async {
            let l = listener.clone();
            let acceptor = spawn_local(async move {
                for _ in 0..n {
                    drop(l.accept().await.expect("accept"));
                }
            });
            for _ in 0..n {
                drop(uvco::net::TcpStream::connect(addr).await.expect("connect"));
            }
            acceptor.await.expect("acceptor");
        })
    }
}

/// A connected pair; a task on the runtime reads the server side until EOF.
fn tcp_pair(rt: &Runtime) -> uvco::net::TcpStream {
    rt.block_on(async {
        let listener = uvco::net::TcpListener::bind(localhost()).expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let accept = spawn_local(async move { listener.accept().await.map(|(s, _)| s) });
        let client = uvco::net::TcpStream::connect(addr).await.expect("connect");
        let mut server = accept.await.expect("task").expect("accept");
        spawn_local(async move {
            let mut buf = vec![0u8; 256 * 1024];
            while server.read(&mut buf).await.expect("read") > 0 {}
        })
        .detach();
        client
    })
}

/// `TcpStream::write_all` of `size` bytes, awaited one at a time.
pub fn tcp_write(size: usize) -> impl FnMut(u64) {
    let rt = runtime();
    let mut client = tcp_pair(&rt);
    let data = vec![0x5au8; size];
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                client.write_all(&data).await.expect("write_all");
            }
        })
    }
}

/// `spawn_local` of an empty task and awaiting its `JoinHandle`.
pub fn spawn_join() -> impl FnMut(u64) {
    let rt = runtime();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                spawn_local(async {}).await.expect("join");
            }
        })
    }
}

/// `uvco::fs::metadata`: the safe API over `uv_fs_stat`.
pub fn fs_metadata(path: &std::path::Path) -> impl FnMut(u64) {
    let rt = runtime();
    let path = path.to_owned();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                black_box(uvco::fs::metadata(&path).await.expect("metadata").len());
            }
        })
    }
}

/// `width` tasks awaiting `uvco::fs::metadata`.
pub fn fs_metadata_wide(path: &std::path::Path, width: usize) -> impl FnMut(u64) {
    let rt = runtime();
    let path = Rc::new(path.to_owned());
    let mut handles = Vec::with_capacity(width);
    move |n| {
        rt.block_on(async {
            let width = (n as usize).min(width) as u64;
            for i in 0..width {
                let count = n / width + u64::from(i < n % width);
                let path = path.clone();
                handles.push(spawn_local(async move {
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += uvco::fs::metadata(&*path).await.expect("metadata").len();
                    }
                    sum
                }));
            }
            for h in handles.drain(..) {
                black_box(h.await.expect("task"));
            }
        })
    }
}

/// `uvco::fs::read`: the safe API, returning a new `Vec<u8>`.
pub fn fs_read(path: &std::path::Path) -> impl FnMut(u64) {
    fs_read_on(runtime(), path)
}

/// [`fs_read`] on the runtime `rt` (on an io_uring loop, say).
pub fn fs_read_on(rt: Runtime, path: &std::path::Path) -> impl FnMut(u64) {
    let path = path.to_owned();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                black_box(uvco::fs::read(&path).await.expect("read").len());
            }
        })
    }
}

/// Echo round trips of `size`-byte messages: a task echoes what it reads, the client writes
/// with `write_all` and reads the message back.
pub fn tcp_echo(size: usize) -> impl FnMut(u64) {
    let rt = runtime();
    let mut client = rt.block_on(async {
        let listener = uvco::net::TcpListener::bind(localhost()).expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        spawn_local(async move {
            let (mut conn, _) = listener.accept().await.expect("accept");
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = conn.read(&mut buf).await {
                conn.write_all(&buf[..n]).await.expect("echo");
            }
        })
        .detach();
        uvco::net::TcpStream::connect(addr).await.expect("connect")
    });
    let data = vec![0x5au8; size];
    let mut back = vec![0u8; size];
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                client.write_all(&data).await.expect("write");
                let mut got = 0;
                while got < size {
                    got += client.read(&mut back[got..]).await.expect("read");
                }
            }
        })
    }
}

/// `uvco::fs::write` of `data`, replacing the file each time.
pub fn fs_write(path: &std::path::Path, data: &[u8]) -> impl FnMut(u64) {
    let rt = runtime();
    let path = path.to_owned();
    let data = data.to_owned();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                uvco::fs::write(&path, data.clone()).await.expect("write");
            }
        })
    }
}

/// Sums the sizes of everything under `dir` with `read_dir_metadata`, a task per directory.
fn walk_listed(
    dir: std::path::PathBuf,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = u64>>> {
    Box::pin(async move {
        let entries = uvco::fs::read_dir_metadata(&dir)
            .await
            .expect("read_dir_metadata");
        let mut sum = 0;
        let mut subdirs = Vec::new();
        for entry in entries {
            let meta = entry.metadata().await.expect("metadata");
            sum += meta.len();
            if meta.is_dir() {
                subdirs.push(spawn_local(walk_listed(entry.path())));
            }
        }
        for task in subdirs {
            sum += task.await.expect("task");
        }
        sum
    })
}

/// Sums the sizes of everything under `dir` with `read_dir` and each entry's `metadata()`
/// (a request per batch of 32 entries and one per entry), a task per directory.
fn walk_requests(
    dir: std::path::PathBuf,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = u64>>> {
    Box::pin(async move {
        let mut entries = uvco::fs::read_dir(&dir).await.expect("read_dir");
        let mut sum = 0;
        let mut subdirs = Vec::new();
        while let Some(entry) = entries.next_entry().await.expect("next_entry") {
            let meta = entry.metadata().await.expect("metadata");
            sum += meta.len();
            if meta.is_dir() {
                subdirs.push(spawn_local(walk_requests(entry.path())));
            }
        }
        for task in subdirs {
            sum += task.await.expect("task");
        }
        sum
    })
}

/// A walk of the tree under `root`: with `read_dir_metadata` (`listed`), or `read_dir` and
/// `DirEntry::metadata`.
pub fn walk(root: &std::path::Path, listed: bool) -> impl FnMut(u64) {
    let rt = runtime();
    let root = root.to_owned();
    move |n| {
        rt.block_on(async {
            for _ in 0..n {
                let sum = if listed {
                    walk_listed(root.clone()).await
                } else {
                    walk_requests(root.clone()).await
                };
                black_box(sum);
            }
        })
    }
}
