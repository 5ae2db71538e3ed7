//! One HTTP/1.1 file server, the same hyper service on uvco or on tokio, for
//! `scripts/bench-http.sh` (which drives it with wrk).
//!
//! ```text
//! http_server uvco|tokio|tokio-mt PORT DIR [mem] [--workers N]
//! ```
//!
//! `uvco` is one runtime on the main thread, or with `--workers N`, N threads with a runtime
//! each (`uvco::workers::Workers`), each accepting on its own `SO_REUSEPORT` listener of the
//! one port. `tokio` is tokio's current_thread runtime; `tokio-mt` its multi-thread runtime
//! with N worker threads (`--workers N`; default: one per core), one listener, work stealing.
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

/// What every server serves: DIR, and its files in `mem` mode.
#[derive(Clone)]
struct Files {
    root: Arc<Path>,
    cache: Option<Cache>,
}

/// One connection, on either runtime: the hyper service over `io`, files read with `read`
/// (the runtime's `fs::read`) unless they are cached.
async fn serve_conn<I, R, RF>(io: I, files: Files, read: R)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    R: Fn(PathBuf) -> RF + Clone + 'static,
    RF: Future<Output = io::Result<Vec<u8>>>,
{
    let service = hyper::service::service_fn(move |req| {
        let (files, read) = (files.clone(), read.clone());
        async move {
            match files.cache {
                Some(cache) => serve_file(&files.root, req, |p| cached(cache, p)).await,
                None => serve_file(&files.root, req, |p| into_bytes(read(p))).await,
            }
        }
    });
    let _ = builder().serve_connection(io, service).await;
}

/// The accept loop every server runs: `spawn` starts a task per connection; an accept error
/// (EMFILE and the like) is reported and `pause`d on, and the connections already open are
/// served on.
async fn accept_loop<C>(
    mut accept: impl AsyncFnMut() -> io::Result<C>,
    mut pause: impl AsyncFnMut(),
    mut spawn: impl FnMut(C),
) {
    loop {
        match accept().await {
            Ok(conn) => spawn(conn),
            Err(err) => {
                eprintln!("accept: {err}");
                pause().await;
            }
        }
    }
}

/// A uvco server on `listener`, on the current runtime: a `spawn_local` task per connection.
async fn serve_uvco(listener: uvco::net::TcpListener, files: Files) {
    accept_loop(
        async || {
            let (conn, _) = listener.accept().await?;
            conn.set_nodelay(true)?;
            Ok(conn)
        },
        async || uvco::time::sleep(std::time::Duration::from_millis(10)).await,
        |conn| {
            let read = |p: PathBuf| uvco::fs::read(p);
            uvco::spawn_local(serve_conn(conn, files.clone(), read)).detach();
        },
    )
    .await
}

/// One uvco runtime on this thread, or with `workers`, that many threads with a runtime and
/// an `SO_REUSEPORT` listener each (`uvco::workers`).
fn run_uvco(addr: SocketAddr, files: Files, workers: Option<usize>) -> io::Result<()> {
    let Some(n) = workers else {
        let rt = uvco::Runtime::new()?;
        return rt.block_on(async move {
            let listener = uvco::net::TcpListener::bind(addr)?;
            println!("listening on {addr}");
            serve_uvco(listener, files).await;
            Ok(())
        });
    };
    let workers = uvco::workers::Workers::new(n)?;
    let servers = workers.listen(addr, move |listener| serve_uvco(listener, files.clone()))?;
    println!("listening on {addr} ({n} uvco workers)");
    for server in servers.into_servers() {
        server
            .join()
            .map_err(|err| io::Error::other(err.to_string()))??;
    }
    Ok(())
}

/// tokio current_thread, or with `workers`, the multi-thread runtime with that many worker
/// threads; `tokio::spawn` per connection either way.
fn run_tokio(addr: SocketAddr, files: Files, workers: Option<usize>) -> io::Result<()> {
    let rt = match workers {
        None => tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?,
        Some(n) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_io()
            .build()?,
    };
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("listening on {addr}");
        accept_loop(
            async || {
                let (conn, _) = listener.accept().await?;
                conn.set_nodelay(true)?;
                Ok(conn)
            },
            async || tokio::task::yield_now().await,
            |conn| {
                let io = hyper_util::rt::TokioIo::new(conn);
                let read = |p: PathBuf| tokio::fs::read(p);
                tokio::spawn(serve_conn(io, files.clone(), read));
            },
        )
        .await;
        Ok(())
    })
}

fn usage() -> ! {
    eprintln!("usage: http_server uvco|tokio|tokio-mt PORT DIR [mem] [--workers N]");
    std::process::exit(2);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut workers = None;
    if let Some(at) = args.iter().position(|a| a == "--workers") {
        let n = args.get(at + 1).and_then(|n| n.parse::<usize>().ok());
        let Some(n) = n.filter(|&n| n > 0) else {
            usage()
        };
        workers = Some(n);
        args.drain(at..at + 2);
    }
    let (which, port, dir, mem) = match &args[..] {
        [which, port, dir] => (which, port, dir, false),
        [which, port, dir, mem] if mem == "mem" => (which, port, dir, true),
        _ => usage(),
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
    let files = Files {
        root: root.into(),
        cache,
    };
    let result = match which.as_str() {
        "uvco" => run_uvco(addr, files, workers),
        "tokio" if workers.is_none() => run_tokio(addr, files, None),
        // The multi-thread runtime, with as many workers as cores unless told.
        "tokio-mt" => run_tokio(
            addr,
            files,
            Some(
                workers
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
            ),
        ),
        other => {
            eprintln!("http_server: unknown runtime {other:?} (uvco, tokio or tokio-mt)");
            std::process::exit(2);
        }
    };
    if let Err(err) = result {
        eprintln!("http_server: {err}");
        std::process::exit(1);
    }
}
