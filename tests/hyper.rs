//! hyper 1 on uvco streams (the `hyper` feature): a real hyper http1 server and a real hyper
//! http1 client (or raw requests) over TCP on 127.0.0.1 and over a Unix socket.
#![cfg(feature = "hyper")]

mod common;

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, Response, StatusCode};
use uvco::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use uvco::JoinHandle;

use common::{serially, Baseline, TempDir};

/// Larger than the kernel's socket buffers on loopback, so a response is still being
/// written when a peer stops reading.
const BIG: usize = 8 * 1024 * 1024;

fn pattern(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

/// The server's routes: `GET /hello`, `POST /echo` (the body back), `GET /big` ([`BIG`]
/// patterned bytes), 404 otherwise.
async fn route(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let body = match (req.method(), req.uri().path()) {
        (&Method::GET, "/hello") => Bytes::from_static(b"hello"),
        (&Method::POST, "/echo") => req.into_body().collect().await?.to_bytes(),
        (&Method::GET, "/big") => pattern(BIG),
        _ => {
            let mut not_found = Response::new(Full::new(Bytes::from_static(b"not found")));
            *not_found.status_mut() = StatusCode::NOT_FOUND;
            return Ok(not_found);
        }
    };
    Ok(Response::new(Full::new(body)))
}

/// A hyper http1 server on a uvco listener: one task per connection.
struct Server {
    accepted: Rc<Cell<usize>>,
    /// What each connection's `serve_connection` returned, in the order they ended.
    ended: Rc<RefCell<Vec<Result<(), hyper::Error>>>>,
    acceptor: JoinHandle<io::Result<()>>,
}

impl Server {
    fn start<S, L, F>(listener: L) -> Server
    where
        L: FnMut() -> F + 'static,
        F: std::future::Future<Output = io::Result<S>>,
        S: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    {
        let accepted = Rc::new(Cell::new(0));
        let ended = Rc::new(RefCell::new(Vec::new()));
        let (count, results) = (accepted.clone(), ended.clone());
        let mut accept = listener;
        let acceptor = uvco::spawn_local(async move {
            loop {
                let conn = accept().await?;
                count.set(count.get() + 1);
                let results = results.clone();
                uvco::spawn_local(async move {
                    let served = hyper::server::conn::http1::Builder::new()
                        .serve_connection(conn, hyper::service::service_fn(route))
                        .await;
                    results.borrow_mut().push(served);
                })
                .detach();
            }
        });
        Server {
            accepted,
            ended,
            acceptor,
        }
    }

    fn tcp() -> io::Result<(Server, SocketAddr)> {
        let listener = Rc::new(TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?);
        let addr = listener.local_addr()?;
        let server = Server::start(move || {
            let listener = listener.clone();
            async move { Ok(listener.accept().await?.0) }
        });
        Ok((server, addr))
    }

    /// Waits until `n` connections have ended.
    async fn wait_ended(&self, n: usize) {
        while self.ended.borrow().len() < n {
            uvco::task::yield_now().await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

/// A hyper http1 client on `stream`, its connection driven by a task of its own.
async fn client<S>(
    stream: S,
) -> Result<(SendRequest<Full<Bytes>>, JoinHandle<hyper::Result<()>>), hyper::Error>
where
    S: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(stream).await?;
    Ok((sender, uvco::spawn_local(conn)))
}

async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    method: Method,
    path: &str,
    body: Bytes,
) -> Result<(StatusCode, Bytes), hyper::Error> {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .body(Full::new(body))
        .unwrap();
    let response = sender.send_request(request).await?;
    let status = response.status();
    Ok((status, response.into_body().collect().await?.to_bytes()))
}

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// `#[test]`s running the named async fns one at a time, each on a runtime made once the
/// lock is held (`serially`): the hang-up test counts the process's open fds, which other
/// tests' sockets and loops would change.
macro_rules! serial_tests {
    ($($name:ident),* $(,)?) => {
        mod serial {
            $(
                #[test]
                fn $name() {
                    super::serially(async { super::$name().await.unwrap() });
                }
            )*
        }
    };
}

serial_tests!(
    get_and_not_found,
    post_with_a_body_is_echoed,
    keep_alive_serves_many_requests_on_one_connection,
    large_bodies_both_ways,
    connection_close_is_honoured,
    http_1_0_without_keep_alive_is_closed,
    unix_socket_server_and_client,
);

async fn get_and_not_found() -> TestResult {
    let (server, addr) = Server::tcp()?;
    let (mut sender, conn) = client(TcpStream::connect(addr).await?).await?;
    let (status, body) = send(&mut sender, Method::GET, "/hello", Bytes::new()).await?;
    assert_eq!((status, &body[..]), (StatusCode::OK, &b"hello"[..]));
    let (status, _) = send(&mut sender, Method::GET, "/nothing", Bytes::new()).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    drop(sender);
    conn.await??;
    server.wait_ended(1).await;
    assert!(server.ended.borrow()[0].is_ok());
    Ok(())
}

async fn post_with_a_body_is_echoed() -> TestResult {
    let (_server, addr) = Server::tcp()?;
    let (mut sender, _conn) = client(TcpStream::connect(addr).await?).await?;
    let sent = pattern(100_000);
    let (status, body) = send(&mut sender, Method::POST, "/echo", sent.clone()).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, sent);
    Ok(())
}

async fn keep_alive_serves_many_requests_on_one_connection() -> TestResult {
    let (server, addr) = Server::tcp()?;
    let (mut sender, _conn) = client(TcpStream::connect(addr).await?).await?;
    for i in 0..20 {
        if i % 2 == 0 {
            let (_, body) = send(&mut sender, Method::GET, "/hello", Bytes::new()).await?;
            assert_eq!(&body[..], b"hello");
        } else {
            let sent = Bytes::from(format!("request {i}"));
            let (_, body) = send(&mut sender, Method::POST, "/echo", sent.clone()).await?;
            assert_eq!(body, sent);
        }
    }
    assert_eq!(server.accepted.get(), 1, "keep-alive reused the connection");
    Ok(())
}

async fn large_bodies_both_ways() -> TestResult {
    let (_server, addr) = Server::tcp()?;
    let (mut sender, _conn) = client(TcpStream::connect(addr).await?).await?;
    let (status, body) = send(&mut sender, Method::GET, "/big", Bytes::new()).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(body == pattern(BIG), "the {BIG}-byte body arrived intact");
    let sent = pattern(3 * 1024 * 1024 + 7);
    let (_, body) = send(&mut sender, Method::POST, "/echo", sent.clone()).await?;
    assert!(body == sent, "the posted body came back intact");
    Ok(())
}

/// Sends `head` as a raw request and reads the response until the server closes.
async fn raw_exchange(addr: SocketAddr, head: &str) -> io::Result<String> {
    let mut conn = TcpStream::connect(addr).await?;
    conn.write_all(head.as_bytes()).await?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf).await? {
            0 => break,
            n => response.extend_from_slice(&buf[..n]),
        }
    }
    Ok(String::from_utf8_lossy(&response).into_owned())
}

async fn connection_close_is_honoured() -> TestResult {
    let (server, addr) = Server::tcp()?;
    // The read loop ends only because the server closes the connection after the response.
    let response = raw_exchange(
        addr,
        "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await?;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response
        .to_ascii_lowercase()
        .contains("\r\nconnection: close\r\n"));
    assert!(response.ends_with("\r\n\r\nhello"), "{response}");
    server.wait_ended(1).await;
    assert!(server.ended.borrow()[0].is_ok());
    Ok(())
}

async fn http_1_0_without_keep_alive_is_closed() -> TestResult {
    let (_server, addr) = Server::tcp()?;
    let response = raw_exchange(addr, "GET /hello HTTP/1.0\r\n\r\n").await?;
    assert!(response.starts_with("HTTP/1.0 200 OK\r\n"), "{response}");
    assert!(response.ends_with("hello"), "{response}");
    Ok(())
}

#[test]
fn peer_hanging_up_mid_response_ends_the_connection_cleanly() {
    serially(async {
        let base = Baseline::take();
        {
            let (server, addr) = Server::tcp().unwrap();
            let mut conn = TcpStream::connect(addr).await.unwrap();
            conn.write_all(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 1024];
            let mut got = 0;
            while got < 1024 {
                got += conn.read(&mut buf[got..]).await.unwrap();
            }
            assert!(buf.starts_with(b"HTTP/1.1 200 OK\r\n"));
            // Unread bytes in its receive queue: closing makes the kernel reset the
            // connection while the server is still writing most of the body.
            drop(conn);
            server.wait_ended(1).await;
            let ended = server.ended.borrow_mut().pop().unwrap();
            let err = ended.expect_err("the server cannot have sent the whole body");
            let io = std::error::Error::source(&err)
                .and_then(|e| e.downcast_ref::<io::Error>())
                .unwrap_or_else(|| panic!("an I/O error: {err:?}"));
            assert!(
                matches!(
                    io.kind(),
                    io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
                ),
                "{io:?}"
            );
        }
        // The connection's stream, its write requests and the listener are all gone.
        base.settle().await;
    });
}

async fn unix_socket_server_and_client() -> TestResult {
    let dir = TempDir::new("hyper-unix");
    let path = dir.join("http.sock");
    let listener = Rc::new(UnixListener::bind(&path)?);
    let server = Server::start(move || {
        let listener = listener.clone();
        async move { listener.accept().await }
    });
    let (mut sender, conn) = client(UnixStream::connect(&path).await?).await?;
    let (_, body) = send(&mut sender, Method::GET, "/hello", Bytes::new()).await?;
    assert_eq!(&body[..], b"hello");
    let sent = pattern(1024 * 1024);
    let (_, body) = send(&mut sender, Method::POST, "/echo", sent.clone()).await?;
    assert!(body == sent);
    drop(sender);
    conn.await??;
    server.wait_ended(1).await;
    Ok(())
}
