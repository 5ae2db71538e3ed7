//! `uvco::net` on real sockets on 127.0.0.1 (and a Unix socket in a temp dir).

mod common;

use std::future::{poll_fn, Future};
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::task::Poll;

use futures_io::{AsyncRead, AsyncWrite};
use uvco::net::{TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};

#[global_allocator]
static A: common::Counting = common::Counting;

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Lets the loop run an iteration or so: returns Pending once, after waking itself.
async fn yield_once() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// Polls `fut` once; `Some` if it completed.
async fn poll_once<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = pin!(fut);
    match poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

async fn read_to_end_tcp(s: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// A connected pair: (client, server side).
async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind(localhost()).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[uvco::test]
async fn tcp_echo_round_trip() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    assert_ne!(addr.port(), 0);
    let server = uvco::spawn_local(async move {
        let (mut conn, _) = listener.accept().await?;
        let data = read_to_end_tcp(&mut conn).await?;
        conn.write_all(&data).await?;
        conn.shutdown().await?;
        io::Result::Ok(data.len())
    });
    // Big enough that the kernel can't take it all at once: exercises the write request.
    let data = payload(4 << 20);
    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(&data).await.unwrap();
    client.shutdown().await.unwrap();
    let echoed = read_to_end_tcp(&mut client).await.unwrap();
    assert_eq!(echoed.len(), data.len());
    assert!(echoed == data);
    assert_eq!(server.await.unwrap().unwrap(), data.len());
}

#[uvco::test]
async fn connect_refused() {
    let addr = {
        let listener = TcpListener::bind(localhost()).unwrap();
        listener.local_addr().unwrap()
    };
    yield_once().await;
    let err = TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
}

#[uvco::test]
async fn write_after_peer_closed_is_an_error() {
    let (mut client, server) = tcp_pair().await;
    drop(server);
    // The first write after the close may still succeed (the peer answers it with a reset),
    // then come ECONNRESET and EPIPE. libuv writes with writev(2), without MSG_NOSIGNAL, so
    // EPIPE comes with a SIGPIPE; std ignores SIGPIPE in Rust programs, and reaching the
    // end of this test shows the process survived it.
    let mut kinds = Vec::new();
    for _ in 0..500 {
        match client.write_all(b"are you there?").await {
            Ok(()) => std::thread::sleep(std::time::Duration::from_millis(1)),
            Err(err) => {
                kinds.push(err.kind());
                if err.kind() == ErrorKind::BrokenPipe {
                    break;
                }
            }
        }
    }
    assert_eq!(kinds.last(), Some(&ErrorKind::BrokenPipe), "{kinds:?}");
    assert!(
        kinds
            .iter()
            .all(|k| matches!(k, ErrorKind::BrokenPipe | ErrorKind::ConnectionReset)),
        "{kinds:?}"
    );
}

#[uvco::test]
async fn read_returns_zero_at_eof() {
    let (mut client, mut server) = tcp_pair().await;
    client.write_all(b"last words").await.unwrap();
    client.shutdown().await.unwrap();
    assert_eq!(read_to_end_tcp(&mut server).await.unwrap(), b"last words");
    let mut buf = [0u8; 4];
    assert_eq!(server.read(&mut buf).await.unwrap(), 0);
    assert_eq!(server.read(&mut buf).await.unwrap(), 0, "EOF stays EOF");
    // The other direction still works after a half-close.
    server.write_all(b"bye").await.unwrap();
    drop(server);
    assert_eq!(read_to_end_tcp(&mut client).await.unwrap(), b"bye");
}

#[uvco::test]
async fn small_reads_keep_the_rest_buffered() {
    let (mut client, mut server) = tcp_pair().await;
    client.write_all(b"abcdef").await.unwrap();
    client.shutdown().await.unwrap();
    let mut got = Vec::new();
    let mut two = [0u8; 2];
    loop {
        let n = server.read(&mut two).await.unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&two[..n]);
    }
    assert_eq!(got, b"abcdef");
}

#[uvco::test]
async fn dropped_read_future_loses_nothing() {
    let (mut client, mut server) = tcp_pair().await;
    let mut buf = [0u8; 16];
    // Start a read with nothing to read, and drop it.
    assert!(poll_once(server.read(&mut buf)).await.is_none());
    client.write_all(b"kept").await.unwrap();
    // Let the data arrive while nobody is reading.
    for _ in 0..5 {
        yield_once().await;
    }
    let n = server.read(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"kept");
}

#[uvco::test]
async fn addresses_and_nodelay() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let laddr = listener.local_addr().unwrap();
    let client = TcpStream::connect(laddr).await.unwrap();
    let (server, peer) = listener.accept().await.unwrap();
    assert_eq!(client.peer_addr().unwrap(), laddr);
    assert_eq!(server.local_addr().unwrap(), laddr);
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(server.peer_addr().unwrap(), client.local_addr().unwrap());
    client.set_nodelay(true).unwrap();
    client.set_nodelay(false).unwrap();
}

#[uvco::test]
async fn bind_in_use_is_an_error() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let err = TcpListener::bind(listener.local_addr().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse, "{err}");
}

#[uvco::test]
async fn udp_round_trip() {
    let a = UdpSocket::bind(localhost()).unwrap();
    let b = UdpSocket::bind(localhost()).unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    assert_eq!(a.send_to(b"ping", b_addr).await.unwrap(), 4);
    let mut buf = [0u8; 64];
    let (n, from) = b.recv_from(&mut buf).await.unwrap();
    assert_eq!((&buf[..n], from), (&b"ping"[..], a_addr));
    assert_eq!(b.send_to(b"pong!", from).await.unwrap(), 5);
    // A short buffer gets the start of the datagram.
    let mut short = [0u8; 3];
    let (n, from) = a.recv_from(&mut short).await.unwrap();
    assert_eq!((&short[..n], from), (&b"pon"[..], b_addr));
    // An empty datagram is a datagram.
    a.send_to(b"", b_addr).await.unwrap();
    assert_eq!(b.recv_from(&mut buf).await.unwrap(), (0, a_addr));
}

#[uvco::test]
async fn unix_echo() {
    let dir = common::TempDir::new("net-unix");
    let path = dir.join("echo.sock");
    let listener = UnixListener::bind(&path).unwrap();
    assert_eq!(listener.local_addr().unwrap(), path);
    let server = uvco::spawn_local(async move {
        let mut conn = listener.accept().await?;
        let mut buf = [0u8; 4096];
        loop {
            let n = conn.read(&mut buf).await?;
            if n == 0 {
                return conn.shutdown().await;
            }
            conn.write_all(&buf[..n]).await?;
        }
    });
    let mut client = UnixStream::connect(&path).await.unwrap();
    assert_eq!(client.peer_addr().unwrap(), path);
    let data = payload(100_000);
    let mut echoed = Vec::new();
    let mut buf = [0u8; 4096];
    for chunk in data.chunks(10_000) {
        client.write_all(chunk).await.unwrap();
        let mut got = 0;
        while got < chunk.len() {
            let n = client.read(&mut buf).await.unwrap();
            assert_ne!(n, 0);
            echoed.extend_from_slice(&buf[..n]);
            got += n;
        }
    }
    client.shutdown().await.unwrap();
    assert_eq!(client.read(&mut buf).await.unwrap(), 0);
    assert!(echoed == data);
    server.await.unwrap().unwrap();

    let err = UnixStream::connect(dir.join("missing.sock"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let err = UnixStream::connect("bad\0path").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

// The futures-io traits, driven by hand (no `futures` crate).

async fn write_all_via<W: AsyncWrite + Unpin>(w: &mut W, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        let n = poll_fn(|cx| Pin::new(&mut *w).poll_write(cx, data)).await?;
        assert_ne!(n, 0);
        data = &data[n..];
    }
    Ok(())
}

async fn read_to_end_via<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = poll_fn(|cx| Pin::new(&mut *r).poll_read(cx, &mut buf)).await?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[uvco::test]
async fn async_read_write_traits() {
    let (mut client, mut server) = tcp_pair().await;
    let data = payload(3 << 20);
    let reader = uvco::spawn_local(async move { read_to_end_via(&mut server).await });
    write_all_via(&mut client, &data).await.unwrap();
    poll_fn(|cx| Pin::new(&mut client).poll_flush(cx))
        .await
        .unwrap();
    poll_fn(|cx| Pin::new(&mut client).poll_close(cx))
        .await
        .unwrap();
    // Closing twice is fine.
    poll_fn(|cx| Pin::new(&mut client).poll_close(cx))
        .await
        .unwrap();
    let got = reader.await.unwrap().unwrap();
    assert_eq!(got.len(), data.len());
    assert!(got == data);

    // And over a Unix socket.
    let dir = common::TempDir::new("net-traits");
    let listener = UnixListener::bind(dir.join("s")).unwrap();
    let mut client = UnixStream::connect(dir.join("s")).await.unwrap();
    let mut server = listener.accept().await.unwrap();
    write_all_via(&mut client, b"through the traits")
        .await
        .unwrap();
    poll_fn(|cx| Pin::new(&mut client).poll_close(cx))
        .await
        .unwrap();
    assert_eq!(
        read_to_end_via(&mut server).await.unwrap(),
        b"through the traits"
    );
}

/// Set in the child process that runs the fd-counting test alone.
const ALONE: &str = "UVCO_NET_TEST_ALONE";

/// Runs the test `name` of this binary by itself in a child process, for checks of
/// process-wide state (open fds) that tests running in parallel would disturb; true in
/// the child, where the caller then does the work.
fn in_own_process(name: &str) -> bool {
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} in its own process: {}\n{stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

#[test]
fn dropping_a_stream_with_a_write_pending_leaks_nothing() {
    if !in_own_process("dropping_a_stream_with_a_write_pending_leaks_nothing") {
        return;
    }
    let rt = uvco::Runtime::new().unwrap();
    // Warm up: libuv keeps one reserve fd per loop (for EMFILE) from the first stream on.
    rt.block_on(async {
        drop(tcp_pair().await);
        for _ in 0..10 {
            yield_once().await; // until the close callbacks have run
        }
    });
    let fds_before = common::open_fds();
    let blocks_before = uvco::runtime::alloc::stats().in_use;
    rt.block_on(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let addr = listener.local_addr().unwrap();
        let chunk = payload(1 << 20);
        for _ in 0..10 {
            let mut client = TcpStream::connect(addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            // The server doesn't read, so the kernel buffers fill and a request is left
            // pending.
            let mut pending = false;
            for _ in 0..64 {
                if poll_once(client.write_all(&chunk)).await.is_none() {
                    pending = true;
                    break;
                }
            }
            assert!(pending, "the kernel took 64 MiB without a reader");
            drop(client);
            drop(server);
        }
        drop(listener);
        for _ in 0..10 {
            yield_once().await;
        }
    });
    assert_eq!(common::open_fds(), fds_before);
    assert_eq!(
        uvco::runtime::alloc::stats().in_use,
        blocks_before,
        "blocks still in use"
    );
    rt.close().expect("every handle closed");
}

#[uvco::test]
async fn small_write_all_does_not_allocate() {
    let (mut client, mut server) = tcp_pair().await;
    let msg = [7u8; 64];
    let mut buf = [0u8; 64];
    // Warm up: the read buffer, wakers, free lists.
    for _ in 0..10 {
        client.write_all(&msg).await.unwrap();
        let mut got = 0;
        while got < 64 {
            got += server.read(&mut buf[got..]).await.unwrap();
        }
    }
    let before = common::allocs();
    for _ in 0..100 {
        client.write_all(&msg).await.unwrap();
    }
    let writes = common::allocs() - before;
    assert_eq!(writes, 0, "allocations in 100 write_all calls of 64 bytes");

    // A write and the matching read on the other end, also allocation-free.
    let mut drained = 0;
    while drained < 100 * 64 {
        drained += server.read(&mut buf).await.unwrap();
    }
    let before = common::allocs();
    for _ in 0..100 {
        client.write_all(&msg).await.unwrap();
        let mut got = 0;
        while got < 64 {
            got += server.read(&mut buf[got..]).await.unwrap();
        }
    }
    assert_eq!(
        common::allocs() - before,
        0,
        "allocations in 100 round trips"
    );
}

const PROMPTLY: std::time::Duration = std::time::Duration::from_secs(5);

#[uvco::test]
async fn accept_skips_a_connection_reset_before_it_was_accepted() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    // Queued, then reset before anyone accepts it: its peer address is gone (ENOTCONN).
    let aborted = std::net::TcpStream::connect(addr).unwrap();
    common::reset_on_close(&aborted);
    drop(aborted);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let client = std::net::TcpStream::connect(addr).unwrap();
    let (_server, peer) = uvco::time::timeout(PROMPTLY, listener.accept())
        .await
        .expect("accept timed out")
        .expect("a reset connection made accept fail");
    assert_eq!(peer, client.local_addr().unwrap());
}

#[uvco::test]
async fn a_read_error_is_returned_once_then_reads_end() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().await.unwrap();
    common::reset_on_close(&client);
    drop(client);
    let mut buf = [0u8; 16];
    let err = uvco::time::timeout(PROMPTLY, server.read(&mut buf))
        .await
        .expect("read timed out")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    // From then on: end of stream, at the first poll (libuv is not asked to read again).
    for _ in 0..2 {
        let again = poll_once(server.read(&mut buf)).await;
        assert_eq!(again.map(|r| r.unwrap()), Some(0));
    }
    // Through the AsyncRead trait as well.
    let n = poll_fn(|cx| Pin::new(&mut server).poll_read(cx, &mut buf)).await;
    assert_eq!(n.unwrap(), 0);
}

#[uvco::test]
async fn concurrent_accepts_all_complete() {
    let listener = std::rc::Rc::new(TcpListener::bind(localhost()).unwrap());
    let addr = listener.local_addr().unwrap();
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let listener = listener.clone();
            uvco::spawn_local(async move { listener.accept().await })
        })
        .collect();
    // Both acceptors are waiting before the first connection arrives.
    uvco::time::sleep(std::time::Duration::from_millis(20)).await;
    let _a = TcpStream::connect(addr).await.unwrap();
    let _b = TcpStream::connect(addr).await.unwrap();
    for task in tasks {
        // (Not a timeout inside the task: its expiry would poll `accept` once more, and the
        // lost wakeup would go unnoticed.)
        uvco::time::timeout(PROMPTLY, task)
            .await
            .expect("an acceptor was never woken")
            .unwrap()
            .unwrap();
    }

    // The same for a Unix listener.
    let dir = common::TempDir::new("net-acceptors");
    let path = dir.join("s");
    let listener = std::rc::Rc::new(UnixListener::bind(&path).unwrap());
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let listener = listener.clone();
            uvco::spawn_local(async move { listener.accept().await })
        })
        .collect();
    uvco::time::sleep(std::time::Duration::from_millis(20)).await;
    let _a = UnixStream::connect(&path).await.unwrap();
    let _b = UnixStream::connect(&path).await.unwrap();
    for task in tasks {
        // (Not a timeout inside the task: its expiry would poll `accept` once more, and the
        // lost wakeup would go unnoticed.)
        uvco::time::timeout(PROMPTLY, task)
            .await
            .expect("an acceptor was never woken")
            .unwrap()
            .unwrap();
    }
}

#[uvco::test]
async fn a_cancelled_accept_leaves_the_connection_for_the_next() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    for _ in 0..3 {
        assert!(poll_once(listener.accept()).await.is_none());
    }
    let client = TcpStream::connect(addr).await.unwrap();
    let (_, peer) = uvco::time::timeout(PROMPTLY, listener.accept())
        .await
        .expect("accept timed out")
        .unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
}

#[uvco::test]
async fn concurrent_receivers_all_get_a_datagram() {
    let socket = std::rc::Rc::new(UdpSocket::bind(localhost()).unwrap());
    let addr = socket.local_addr().unwrap();
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let socket = socket.clone();
            uvco::spawn_local(async move {
                let mut buf = [0u8; 16];
                let (n, _) = socket.recv_from(&mut buf).await?;
                io::Result::Ok(buf[..n].to_vec())
            })
        })
        .collect();
    uvco::time::sleep(std::time::Duration::from_millis(20)).await;
    let sender = UdpSocket::bind(localhost()).unwrap();
    sender.send_to(b"a", addr).await.unwrap();
    sender.send_to(b"b", addr).await.unwrap();
    let mut got = Vec::new();
    for task in tasks {
        let datagram = uvco::time::timeout(PROMPTLY, task)
            .await
            .expect("a receiver was never woken");
        got.push(datagram.unwrap().unwrap());
    }
    got.sort();
    assert_eq!(got, [b"a".to_vec(), b"b".to_vec()]);
}

#[uvco::test]
async fn accept_and_recv_do_not_allocate_per_call() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    let a = UdpSocket::bind(localhost()).unwrap();
    let b = UdpSocket::bind(localhost()).unwrap();
    let b_addr = b.local_addr().unwrap();
    let mut buf = [0u8; 16];
    let mut round = async || {
        // An accept that has to wait (and so registers a waker) ...
        let mut accept = std::pin::pin!(listener.accept());
        assert!(poll_once(accept.as_mut()).await.is_none());
        let client = TcpStream::connect(addr).await.unwrap();
        let (server, _) = accept.await.unwrap();
        drop((client, server));
        // ... and a receive that has to wait.
        let mut recv = std::pin::pin!(b.recv_from(&mut buf));
        assert!(poll_once(recv.as_mut()).await.is_none());
        a.send_to(b"x", b_addr).await.unwrap();
        recv.await.unwrap();
    };
    // Warm up: waiter lists, free lists, the receive buffer.
    for _ in 0..5 {
        round().await;
    }
    for _ in 0..10 {
        yield_once().await; // until the closed handles are freed
    }
    let waits_before = common::allocs();
    for _ in 0..20 {
        round().await;
    }
    let allocs = common::allocs() - waits_before;
    // Each round makes two stream handles (pooled blocks) and closes them; what is counted
    // here is the global allocator, which waiting must not touch.
    assert_eq!(allocs, 0, "allocations in 20 accept + recv_from rounds");
}

#[uvco::test]
async fn unix_paths_too_long_for_sun_path_are_errors_not_truncated() {
    let dir = common::TempDir::new("net-long");
    let base = dir.path().as_os_str().len() + 1;
    // Exactly sun_path (108 bytes, no room for a NUL) is still a valid name on Linux.
    let exact = dir.join(&"x".repeat(108 - base));
    assert_eq!(exact.as_os_str().len(), 108);
    let listener = UnixListener::bind(&exact).unwrap();
    let _client = UnixStream::connect(&exact).await.unwrap();
    let _server = listener.accept().await.unwrap();

    // Longer: truncated to 108 bytes it would name `exact`, so connecting would reach it.
    let longer = dir.join(&"x".repeat(150 - base));
    let err = UnixStream::connect(&longer).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    let err = UnixListener::bind(&longer).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(!longer.exists());
}

/// Loop iterations so far (libuv's own count).
fn loop_count() -> u64 {
    // SAFETY: a zeroed uv_metrics_t is a valid out-parameter; the loop is the running one.
    unsafe {
        let mut metrics: uvco::sys::uv_metrics_t = std::mem::zeroed();
        assert_eq!(
            uvco::sys::uv_metrics_info(uvco::current_loop(), &mut metrics),
            0
        );
        metrics.loop_count
    }
}

#[uvco::test]
async fn a_burst_of_connections_is_accepted_in_one_loop_turn() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    // 100 connections complete in the kernel's backlog before the loop sees any.
    let clients: Vec<_> = (0..100)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    for (i, mut c) in clients.iter().enumerate() {
        std::io::Write::write_all(&mut c, &[i as u8])?;
    }
    let start = loop_count();
    let mut peers = Vec::new();
    let mut conns = Vec::new();
    for _ in 0..clients.len() {
        let (conn, peer) = listener.accept().await?;
        peers.push(peer);
        conns.push(conn);
    }
    let turns = loop_count() - start;
    // Every accepted stream works (most were opened on a socket uvco accepted itself).
    let mut got = Vec::new();
    for conn in &mut conns {
        let mut b = [0u8; 1];
        assert_eq!(conn.read(&mut b).await?, 1);
        got.push(b[0]);
    }
    got.sort();
    assert_eq!(got, (0..100u8).collect::<Vec<_>>());
    // libuv accepts one connection per loop turn, which cost one turn per connection (100);
    // the connection callback now drains the kernel's queue, up to 128 per turn.
    assert!(turns <= 3, "100 accepts took {turns} loop turns");
    let mut want: Vec<_> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    want.sort();
    peers.sort();
    assert_eq!(peers, want, "each connection accepted once");
    Ok(())
}

#[uvco::test]
async fn a_burst_past_the_accept_queue_is_still_accepted_in_full() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let clients: Vec<_> = (0..300)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    for _ in 0..clients.len() {
        listener.accept().await?;
    }
    // And the listener still works for one more afterwards.
    let late = std::thread::spawn(move || std::net::TcpStream::connect(addr).map(drop));
    listener.accept().await?;
    late.join().unwrap()?;
    Ok(())
}

#[uvco::test]
async fn a_burst_of_unix_connections_is_accepted_in_one_loop_turn() -> io::Result<()> {
    let dir = common::TempDir::new("unix-burst");
    let path = dir.join("sock");
    let listener = UnixListener::bind(&path)?;
    let mut clients: Vec<_> = (0..50)
        .map(|_| std::os::unix::net::UnixStream::connect(&path).unwrap())
        .collect();
    for (i, c) in clients.iter_mut().enumerate() {
        std::io::Write::write_all(c, &[i as u8])?;
    }
    let start = loop_count();
    let mut conns = Vec::new();
    for _ in 0..clients.len() {
        conns.push(listener.accept().await?);
    }
    let turns = loop_count() - start;
    assert!(turns <= 3, "50 accepts took {turns} loop turns");
    let mut got = Vec::new();
    for conn in &mut conns {
        let mut b = [0u8; 1];
        assert_eq!(conn.read(&mut b).await?, 1);
        got.push(b[0]);
    }
    got.sort();
    assert_eq!(got, (0..50u8).collect::<Vec<_>>());
    Ok(())
}
