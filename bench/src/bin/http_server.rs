//! One HTTP/1.1 file server, the same hyper service on uvco or on tokio current_thread, for
//! `scripts/bench-http.sh` (which drives it with wrk).
//!
//! ```text
//! http_server uvco|tokio PORT DIR
//! ```
//!
//! Serves the files of DIR on 127.0.0.1:PORT until killed: `GET /NAME` reads DIR/NAME on every
//! request (`uvco::fs::read` or `tokio::fs::read`) and answers with its bytes; anything else,
//! a missing file or a path that would leave DIR, is 404. Keep-alive unless the client asks
//! for `Connection: close`. Both runtimes get the same hyper http1 builder, `TCP_NODELAY` and a
//! task per connection; they differ only in the I/O under hyper and the file read.

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
    Fut: Future<Output = io::Result<Vec<u8>>>,
{
    let Some(path) = resolve(root, req.uri().path()).filter(|_| req.method() == Method::GET) else {
        return Ok(status(StatusCode::NOT_FOUND));
    };
    Ok(match read(path).await {
        Ok(bytes) => Response::new(Full::new(Bytes::from(bytes))),
        Err(_) => status(StatusCode::NOT_FOUND),
    })
}

/// DIR/NAME for a request path `/NAME`, if it names a file under DIR (no `..`, no root).
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let rel = Path::new(target.strip_prefix('/')?);
    let normal = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (normal && !target.ends_with('/') && rel.components().next().is_some()).then(|| root.join(rel))
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(b"not found\n")));
    *response.status_mut() = code;
    response
}

fn builder() -> hyper::server::conn::http1::Builder {
    hyper::server::conn::http1::Builder::new()
}

fn run_uvco(addr: SocketAddr, root: PathBuf) -> io::Result<()> {
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
            let root = root.clone();
            uvco::spawn_local(async move {
                let service = hyper::service::service_fn(move |req| {
                    let root = root.clone();
                    async move { serve_file(&root, req, uvco::fs::read).await }
                });
                let _ = builder().serve_connection(conn, service).await;
            })
            .detach();
        }
    })
}

fn run_tokio(addr: SocketAddr, root: PathBuf) -> io::Result<()> {
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
            let root = root.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let root = root.clone();
                    async move { serve_file(&root, req, tokio::fs::read).await }
                });
                let io = hyper_util::rt::TokioIo::new(conn);
                let _ = builder().serve_connection(io, service).await;
            });
        }
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, port, dir] = &args[..] else {
        eprintln!("usage: http_server uvco|tokio PORT DIR");
        std::process::exit(2);
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("http_server: bad port {port:?}");
        std::process::exit(2);
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let root = PathBuf::from(dir);
    let result = match which.as_str() {
        "uvco" => run_uvco(addr, root),
        "tokio" => run_tokio(addr, root),
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
