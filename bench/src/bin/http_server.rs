//! One HTTP/1.1 file server, the same hyper service on uvco or on tokio current_thread, for
//! `scripts/bench-http.sh` (which drives it with wrk).
//!
//! ```text
//! http_server uvco|tokio PORT DIR [mem]
//! ```
//!
//! With `mem`, the files of DIR are read once at start and served from memory: the same
//! responses without the file read, which tells the network's share of the time from the
//! file system's.
//!
//! Serves the files of DIR on 127.0.0.1:PORT until killed: `GET /NAME` reads DIR/NAME on every
//! request (`uvco::fs::read` or `tokio::fs::read`) and answers with its bytes; anything else,
//! a missing file or a path that would leave DIR, is 404. Keep-alive unless the client asks
//! for `Connection: close`. Both runtimes get the same hyper http1 builder, `TCP_NODELAY` and a
//! task per connection; they differ only in the I/O under hyper and the file read.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};

/// The service both runtimes run: the file named by the request path, read with `read`.
async fn serve_file<F, Fut>(
    root: &Path,
    req: Request<Incoming>,
    read: F,
) -> Result<Response<Full<Bytes>>, io::Error>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = io::Result<Bytes>>,
{
    let Some(path) = resolve(root, req.uri().path()).filter(|_| req.method() == Method::GET) else {
        return Ok(status(StatusCode::NOT_FOUND));
    };
    Ok(match read(path).await {
        Ok(bytes) => Response::new(Full::new(bytes)),
        Err(_) => status(StatusCode::NOT_FOUND),
    })
}

/// DIR/NAME for a request path `/NAME`, if it names a file under DIR (no `..`, no root).
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let rel = Path::new(target.strip_prefix('/')?);
    let normal = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (normal && !target.ends_with('/') && rel.components().next().is_some()).then(|| root.join(rel))
}

async fn into_bytes(read: impl Future<Output = io::Result<Vec<u8>>>) -> io::Result<Bytes> {
    read.await.map(Bytes::from)
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(b"not found\n")));
    *response.status_mut() = code;
    response
}

fn builder() -> hyper::server::conn::http1::Builder {
    hyper::server::conn::http1::Builder::new()
}

/// The files of `dir` (not its subdirectories), by path, for `mem` mode.
type Cache = Arc<HashMap<PathBuf, Bytes>>;

fn load(dir: &Path) -> io::Result<Cache> {
    let mut files = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() {
            files.insert(path.clone(), Bytes::from(std::fs::read(&path)?));
        }
    }
    Ok(Arc::new(files))
}

/// A file from the cache, as `uvco::fs::read` or `tokio::fs::read` would return it.
async fn cached(cache: Cache, path: PathBuf) -> io::Result<Bytes> {
    cache
        .get(&path)
        .cloned()
        .ok_or_else(|| io::ErrorKind::NotFound.into())
}

fn run_uvco(addr: SocketAddr, root: PathBuf, cache: Option<Cache>) -> io::Result<()> {
    let rt = uvco::Runtime::new()?;
    rt.block_on(async move {
        let listener = uvco::net::TcpListener::bind(addr)?;
        let root: Arc<Path> = root.into();
        println!("listening on {addr}");
        loop {
            let (conn, _) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    // EMFILE and the like: keep serving the connections already open.
                    eprintln!("accept: {err}");
                    uvco::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            };
            conn.set_nodelay(true)?;
            let (root, cache) = (root.clone(), cache.clone());
            uvco::spawn_local(async move {
                let service = hyper::service::service_fn(move |req| {
                    let root = root.clone();
                    let cache = cache.clone();
                    async move {
                        match cache {
                            Some(cache) => serve_file(&root, req, |p| cached(cache, p)).await,
                            None => serve_file(&root, req, |p| into_bytes(uvco::fs::read(p))).await,
                        }
                    }
                });
                let _ = builder().serve_connection(conn, service).await;
            })
            .detach();
        }
    })
}

fn run_tokio(addr: SocketAddr, root: PathBuf, cache: Option<Cache>) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let root: Arc<Path> = root.into();
        println!("listening on {addr}");
        loop {
            let (conn, _) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    eprintln!("accept: {err}");
                    tokio::task::yield_now().await;
                    continue;
                }
            };
            conn.set_nodelay(true)?;
            let (root, cache) = (root.clone(), cache.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let root = root.clone();
                    let cache = cache.clone();
                    async move {
                        match cache {
                            Some(cache) => serve_file(&root, req, |p| cached(cache, p)).await,
                            None => {
                                serve_file(&root, req, |p| into_bytes(tokio::fs::read(p))).await
                            }
                        }
                    }
                });
                let io = hyper_util::rt::TokioIo::new(conn);
                let _ = builder().serve_connection(io, service).await;
            });
        }
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (which, port, dir, mem) = match &args[..] {
        [which, port, dir] => (which, port, dir, false),
        [which, port, dir, mem] if mem == "mem" => (which, port, dir, true),
        _ => {
            eprintln!("usage: http_server uvco|tokio PORT DIR [mem]");
            std::process::exit(2);
        }
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("http_server: bad port {port:?}");
        std::process::exit(2);
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let root = PathBuf::from(dir);
    let cache = match mem.then(|| load(&root)).transpose() {
        Ok(cache) => cache,
        Err(err) => {
            eprintln!("http_server: reading {dir}: {err}");
            std::process::exit(1);
        }
    };
    let result = match which.as_str() {
        "uvco" => run_uvco(addr, root, cache),
        "tokio" => run_tokio(addr, root, cache),
        other => {
            eprintln!("http_server: unknown runtime {other:?} (uvco or tokio)");
            std::process::exit(2);
        }
    };
    if let Err(err) = result {
        eprintln!("http_server: {err}");
        std::process::exit(1);
    }
}
