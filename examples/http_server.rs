//! An HTTP/1.1 file server: hyper 1 over `uvco::net`, files read with `uvco::fs`.
//!
//! ```sh
//! cargo run --features hyper --example http_server                          # self-test, exit
//! cargo run --features hyper --example http_server -- DIR [127.0.0.1:8000]  # serve DIR
//! ```
//!
//! `GET /path` answers with the file's bytes (keep-alive, as hyper does by default); a missing
//! file or a directory is 404, a path that would leave DIR is 403, other methods are 405. With
//! no arguments it fills a temporary directory, serves it on a free port of 127.0.0.1, sends
//! requests to itself over one keep-alive connection with hyper's client (also on uvco),
//! checks each answer, removes the directory and exits.

use std::cell::Cell;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use http_body_util::{BodyExt, Empty, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use uvco::net::{TcpListener, TcpStream};

/// Accepts connections until the task is aborted, one task per connection, each served by
/// hyper's http1 server; counts the connections in `accepted`.
async fn serve(listener: TcpListener, root: Rc<Path>, accepted: Rc<Cell<u32>>) -> io::Result<()> {
    loop {
        let (conn, peer) = listener.accept().await?;
        accepted.set(accepted.get() + 1);
        conn.set_nodelay(true)?;
        let root = root.clone();
        uvco::spawn_local(async move {
            let service = hyper::service::service_fn(move |req| respond(root.clone(), req));
            if let Err(err) = hyper::server::conn::http1::Builder::new()
                .serve_connection(conn, service)
                .await
            {
                eprintln!("{peer}: {err}");
            }
        })
        .detach();
    }
}

/// The answer to one request: the file, or a status with its reason as the body.
async fn respond(
    root: Rc<Path>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.method() != Method::GET {
        return Ok(status(StatusCode::METHOD_NOT_ALLOWED));
    }
    let Some(path) = resolve(&root, req.uri().path()) else {
        return Ok(status(StatusCode::FORBIDDEN));
    };
    // A directory fails to read (EISDIR), which is a 404 here: no listings.
    Ok(match uvco::fs::read(&path).await {
        Ok(body) => {
            let mut response = Response::new(Full::new(Bytes::from(body)));
            let content_type = HeaderValue::from_static(content_type(&path));
            response.headers_mut().insert(CONTENT_TYPE, content_type);
            response
        }
        Err(err) if err.kind() == io::ErrorKind::PermissionDenied => status(StatusCode::FORBIDDEN),
        Err(_) => status(StatusCode::NOT_FOUND),
    })
}

/// `root` joined with the request path, or `None` if the path would leave `root`. hyper has
/// already split off the query; percent-escapes are not decoded, so `%2e%2e` is a name.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let mut resolved = root.to_path_buf();
    for component in Path::new(path.strip_prefix('/')?).components() {
        match component {
            Component::Normal(name) => resolved.push(name),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let reason = code.canonical_reason().unwrap_or("");
    let mut response = Response::new(Full::new(Bytes::from(format!("{reason}\n"))));
    *response.status_mut() = code;
    response
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("txt" | "md" | "rs" | "toml") => "text/plain; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

type Client = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

/// `method target` on the client's connection; returns the status and the body.
async fn fetch(
    client: &mut Client,
    method: Method,
    target: &str,
) -> Result<(StatusCode, Bytes), Box<dyn std::error::Error>> {
    let request = Request::builder()
        .method(method)
        .uri(target)
        .header("host", "127.0.0.1")
        .body(Empty::new())?;
    let response = client.send_request(request).await?;
    let status = response.status();
    Ok((status, response.into_body().collect().await?.to_bytes()))
}

async fn self_test() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::temp_dir().join(format!("uvco-http-server-{}", std::process::id()));
    uvco::fs::create_dir_all(root.join("docs")).await?;
    let hello = "hello from hyper, on uvco::net and uvco::fs\n";
    uvco::fs::write(root.join("hello.txt"), hello).await?;
    let big: Vec<u8> = (0..2 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    uvco::fs::write(root.join("docs/big.bin"), big.clone()).await?;

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = listener.local_addr()?;
    println!("serving {} on http://{addr}/", root.display());
    let accepted = Rc::new(Cell::new(0));
    let server = uvco::spawn_local(serve(listener, Rc::from(root.as_path()), accepted.clone()));

    let (mut client, conn) =
        hyper::client::conn::http1::handshake(TcpStream::connect(addr).await?).await?;
    let conn = uvco::spawn_local(conn);

    let (status, body) = fetch(&mut client, Method::GET, "/hello.txt").await?;
    assert_eq!((status, &body[..]), (StatusCode::OK, hello.as_bytes()));
    println!("GET /hello.txt: {status}, body checked");

    let (status, body) = fetch(&mut client, Method::GET, "/docs/big.bin").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(body == big, "the 2 MiB body arrived intact");
    println!("GET /docs/big.bin: {status}, {} bytes checked", body.len());

    let refused = [
        (Method::GET, "/docs/missing.txt", StatusCode::NOT_FOUND),
        (Method::GET, "/docs", StatusCode::NOT_FOUND),
        (Method::GET, "/../hello.txt", StatusCode::FORBIDDEN),
        (Method::GET, "/docs/../../hello.txt", StatusCode::FORBIDDEN),
        (Method::GET, "/%2e%2e/hello.txt", StatusCode::NOT_FOUND),
        (Method::DELETE, "/hello.txt", StatusCode::METHOD_NOT_ALLOWED),
    ];
    for (method, target, expected) in refused.iter().cloned() {
        let (status, _) = fetch(&mut client, method.clone(), target).await?;
        assert_eq!(status, expected, "{method} {target}");
        println!("{method} {target}: {status}");
    }
    assert_eq!(accepted.get(), 1, "all on one keep-alive connection");
    println!("{} requests, all on 1 connection", 2 + refused.len());

    // Closing the client's side ends its connection task and the server's.
    drop(client);
    conn.await??;
    server.abort();
    uvco::fs::remove_dir_all(&root).await?;
    println!("ok");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rt = uvco::Runtime::new()?;
    match args.next() {
        None => rt.block_on(self_test())?,
        Some(dir) => {
            let addr: SocketAddr = args.next().as_deref().unwrap_or("127.0.0.1:8000").parse()?;
            rt.block_on(async {
                let listener = TcpListener::bind(addr)?;
                println!("serving {dir} on http://{}/", listener.local_addr()?);
                let accepted = Rc::new(Cell::new(0));
                serve(listener, Rc::from(Path::new(&dir)), accepted).await
            })?;
        }
    }
    // Closing explicitly reports a loop that could not be closed (nothing may leak).
    rt.close()?;
    Ok(())
}
