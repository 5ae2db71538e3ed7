//! The tokio variants: a current_thread runtime with a `LocalSet` (so that tasks may be
//! `!Send`, like uvco's), its default blocking pool for fs and DNS, and its own reactor for
//! TCP.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::{Builder, Runtime};
use tokio::task::LocalSet;

pub struct Tokio {
    rt: Runtime,
    local: LocalSet,
}

impl Default for Tokio {
    fn default() -> Tokio {
        Tokio::new()
    }
}

impl Tokio {
    pub fn new() -> Tokio {
        let rt = Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        Tokio {
            rt,
            local: LocalSet::new(),
        }
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.local.block_on(&self.rt, f)
    }
}

pub fn fs_stat(path: &Path) -> impl FnMut(u64) {
    let t = Tokio::new();
    let path = path.to_owned();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                black_box(tokio::fs::metadata(&path).await.expect("metadata").len());
            }
        })
    }
}

pub fn fs_stat_wide(path: &Path, width: usize) -> impl FnMut(u64) {
    let t = Tokio::new();
    let path: Rc<PathBuf> = Rc::new(path.to_owned());
    let mut handles = Vec::with_capacity(width);
    move |n| {
        t.block_on(async {
            let width = (n as usize).min(width) as u64;
            for i in 0..width {
                let count = n / width + u64::from(i < n % width);
                let path = path.clone();
                handles.push(tokio::task::spawn_local(async move {
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += tokio::fs::metadata(&*path).await.expect("metadata").len();
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

pub fn readfile(path: &Path) -> impl FnMut(u64) {
    let t = Tokio::new();
    let path = path.to_owned();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                black_box(tokio::fs::read(&path).await.expect("read").len());
            }
        })
    }
}

pub fn getaddrinfo(host: &'static str) -> impl FnMut(u64) {
    let t = Tokio::new();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                black_box(
                    tokio::net::lookup_host((host, 0))
                        .await
                        .expect("lookup_host")
                        .count(),
                );
            }
        })
    }
}

pub fn tcp_connect() -> impl FnMut(u64) {
    let t = Tokio::new();
    let listener = t
        .block_on(async { tokio::net::TcpListener::bind("127.0.0.1:0").await })
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let listener = Rc::new(listener);
    move |n| {
        t.block_on(async {
            let l = listener.clone();
            let acceptor = tokio::task::spawn_local(async move {
                for _ in 0..n {
                    drop(l.accept().await.expect("accept"));
                }
            });
            for _ in 0..n {
                drop(tokio::net::TcpStream::connect(addr).await.expect("connect"));
            }
            acceptor.await.expect("acceptor");
        })
    }
}

/// A connected pair over loopback: (client, server).
async fn tcp_pair() -> (tokio::net::TcpStream, tokio::net::TcpStream) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let client = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (server, _) = listener.accept().await.expect("accept");
    (client, server)
}

pub fn tcp_write(size: usize) -> impl FnMut(u64) {
    let t = Tokio::new();
    let mut client = t.block_on(async {
        let (client, mut server) = tcp_pair().await;
        tokio::task::spawn_local(async move {
            let mut buf = vec![0u8; 256 * 1024];
            while server.read(&mut buf).await.expect("read") > 0 {}
        });
        client
    });
    let data = vec![0x5au8; size];
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                client.write_all(&data).await.expect("write_all");
            }
        })
    }
}

/// Echo round trips of `size`-byte messages: a task echoes what it reads, the client writes
/// with `write_all` and reads the message back (as uvco_ops::tcp_echo).
pub fn tcp_echo(size: usize) -> impl FnMut(u64) {
    let t = Tokio::new();
    let mut client = t.block_on(async {
        let (client, mut server) = tcp_pair().await;
        tokio::task::spawn_local(async move {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = server.read(&mut buf).await {
                server.write_all(&buf[..n]).await.expect("echo");
            }
        });
        client
    });
    let data = vec![0x5au8; size];
    let mut back = vec![0u8; size];
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                client.write_all(&data).await.expect("write_all");
                client.read_exact(&mut back).await.expect("read_exact");
            }
        })
    }
}

pub fn spawn_join() -> impl FnMut(u64) {
    let t = Tokio::new();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                tokio::task::spawn_local(async {}).await.expect("join");
            }
        })
    }
}

pub fn writefile(path: &Path, data: &[u8]) -> impl FnMut(u64) {
    let t = Tokio::new();
    let path = path.to_owned();
    let data = data.to_owned();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                tokio::fs::write(&path, data.clone()).await.expect("write");
            }
        })
    }
}

/// `tokio::fs::read_dir` and each entry's `metadata()`, a task per directory.
fn walk_dir(dir: PathBuf) -> std::pin::Pin<Box<dyn std::future::Future<Output = u64>>> {
    Box::pin(async move {
        let mut entries = tokio::fs::read_dir(&dir).await.expect("read_dir");
        let mut sum = 0;
        let mut subdirs = Vec::new();
        while let Some(entry) = entries.next_entry().await.expect("next_entry") {
            let meta = entry.metadata().await.expect("metadata");
            sum += meta.len();
            if meta.is_dir() {
                subdirs.push(tokio::task::spawn_local(walk_dir(entry.path())));
            }
        }
        for task in subdirs {
            sum += task.await.expect("task");
        }
        sum
    })
}

pub fn walk(root: &Path) -> impl FnMut(u64) {
    let t = Tokio::new();
    let root = root.to_owned();
    move |n| {
        t.block_on(async {
            for _ in 0..n {
                black_box(walk_dir(root.clone()).await);
            }
        })
    }
}
