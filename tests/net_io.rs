//! Stream I/O beyond read/write_all, on real sockets: owned and vectored writes, bounded
//! copies under `AsyncWrite`, split halves, peek and the non-waiting calls, shutdown after the
//! peer has gone.

mod common;

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::io::{ErrorKind, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;

use futures_io::AsyncWrite;
use uvco::buf::IoBuf;
use uvco::net::{TcpListener, TcpStream, UnixListener, UnixStream};

#[global_allocator]
static A: common::Counting = common::Counting;

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
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

fn payload(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i + seed) % 251) as u8).collect()
}

/// Reads exactly `n` bytes (or to EOF, if it comes first).
async fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = s.read(&mut out[got..]).await.unwrap();
        if k == 0 {
            break;
        }
        got += k;
    }
    out.truncate(got);
    out
}

async fn read_to_end(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = s.read(&mut buf).await.unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// A buffer that counts its drops, to see that the runtime gives back or frees each one
/// exactly once.
struct Counted {
    bytes: Vec<u8>,
    drops: Rc<Cell<u32>>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

// SAFETY: the bytes are the Vec's heap memory, which moving `Counted` does not move.
unsafe impl IoBuf for Counted {
    fn stable_ptr(&self) -> *const u8 {
        self.bytes.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.bytes.len()
    }
}

#[uvco::test]
async fn an_owned_write_moves_the_buffer_and_gives_the_same_one_back() {
    let (mut client, mut server) = tcp_pair().await;
    const LEN: usize = 8 << 20; // far more than the socket buffers take at once
    let mut body = payload(LEN, 1);
    let mut sink = vec![0u8; LEN];
    for round in 0..2 {
        let at = body.as_ptr();
        // The reader's memory is allocated before, so that what is counted is the write's.
        let mut out = std::mem::take(&mut sink);
        let reader = uvco::spawn_local(async move {
            let mut got = 0;
            while got < LEN {
                got += server.read(&mut out[got..]).await.unwrap();
            }
            (server, out)
        });
        let before = common::allocs();
        let (result, back) = client.write_all_owned(body).await;
        let during = common::allocs() - before;
        result.unwrap();
        assert_eq!(back.as_ptr(), at, "the same buffer comes back");
        // The first round allocates the read buffer and the request slot's block.
        if round == 1 {
            assert_eq!(during, 0, "an owned write copies nothing into new memory");
        }
        let (s, out) = reader.await.unwrap();
        assert!(out == back);
        (server, sink, body) = (s, out, back);
    }
}

#[uvco::test]
async fn owned_writes_reuse_their_slot_and_allocate_nothing_in_steady_state() {
    let (mut client, mut server) = tcp_pair().await;
    let mut buf = vec![3u8; 256];
    let mut sink = [0u8; 256];
    for _ in 0..10 {
        let (r, b) = client.write_all_owned(buf).await;
        r.unwrap();
        buf = b;
        assert_eq!(read_n(&mut server, 256).await.len(), 256);
    }
    let before = common::allocs();
    for _ in 0..100 {
        let (r, b) = client.write_all_owned(buf).await;
        r.unwrap();
        buf = b;
        let mut got = 0;
        while got < 256 {
            got += server.read(&mut sink[got..]).await.unwrap();
        }
    }
    assert_eq!(
        common::allocs() - before,
        0,
        "allocations in 100 owned round trips"
    );
}

#[uvco::test]
async fn a_vectored_owned_write_sends_every_buffer_in_order() {
    let (mut client, mut server) = tcp_pair().await;
    let big = payload(4 << 20, 7);
    let bufs: Vec<Vec<u8>> = vec![
        b"head ".to_vec(),
        Vec::new(),
        big.clone(),
        b" middle ".to_vec(),
        payload(100_000, 3),
        b"tail".to_vec(),
    ];
    let mut expected = Vec::new();
    for b in &bufs {
        expected.extend_from_slice(b);
    }
    let total = expected.len();
    let reader = uvco::spawn_local(async move { read_n(&mut server, total).await });
    let (result, back) = client.write_vectored_all_owned(bufs).await;
    result.unwrap();
    assert_eq!(back.len(), 6, "every buffer comes back");
    assert_eq!(back[2], big);
    assert_eq!(reader.await.unwrap(), expected);

    // 'static buffers need no allocation at all.
    let (mut client, mut server) = tcp_pair().await;
    let parts: Vec<&'static [u8]> = vec![b"one ", b"two ", b"three"];
    let (result, _) = client.write_vectored_all_owned(parts).await;
    result.unwrap();
    assert_eq!(read_n(&mut server, 13).await, b"one two three");
}

#[uvco::test]
async fn a_dropped_owned_write_still_completes_in_order_and_frees_its_buffer_once() {
    let (mut client, mut server) = tcp_pair().await;
    let drops = Rc::new(Cell::new(0));
    let first = Counted {
        bytes: payload(8 << 20, 5),
        drops: drops.clone(),
    };
    let expected_first = first.bytes.clone();
    {
        // Polled once: the kernel takes what fits, the rest is submitted; then dropped.
        let fut = client.write_all_owned(first);
        let mut fut = std::pin::pin!(fut);
        let done = poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx))).await;
        assert!(
            done.is_pending(),
            "8 MiB should not fit in the socket buffers"
        );
    }
    assert_eq!(
        drops.get(),
        0,
        "the runtime holds the buffer while libuv may read it"
    );
    let reader = uvco::spawn_local(async move { read_to_end(&mut server).await });
    // The next write queues behind the orphaned one.
    client.write_all(b"after").await.unwrap();
    client.shutdown().await.unwrap();
    let got = reader.await.unwrap();
    assert_eq!(got.len(), expected_first.len() + 5);
    assert!(
        got[..expected_first.len()] == expected_first[..],
        "the first write, whole"
    );
    assert_eq!(&got[expected_first.len()..], b"after");
    assert_eq!(drops.get(), 1, "freed once, after its callback");
}

#[uvco::test]
async fn dropping_the_stream_with_an_owned_write_in_flight_frees_the_buffer() {
    let slots = uvco_runtime::slot::stats();
    let drops = Rc::new(Cell::new(0));
    {
        let (mut client, server) = tcp_pair().await;
        let buf = Counted {
            bytes: payload(16 << 20, 9),
            drops: drops.clone(),
        };
        {
            let fut = client.write_all_owned(buf);
            let mut fut = std::pin::pin!(fut);
            let done = poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx))).await;
            assert!(done.is_pending());
        }
        drop(client);
        drop(server);
    }
    // The close completes the request (ECANCELED), whose slot then drops the buffer.
    for _ in 0..1000 {
        let now = uvco_runtime::slot::stats();
        if now.completed - slots.completed == now.submitted - slots.submitted {
            break;
        }
        uvco::task::yield_now().await;
    }
    let now = uvco_runtime::slot::stats();
    assert_eq!(
        now.completed - slots.completed,
        now.submitted - slots.submitted
    );
    assert!(now.orphaned > slots.orphaned, "the write was orphaned");
    assert_eq!(drops.get(), 1);
}

#[uvco::test]
async fn poll_write_copies_a_bounded_amount_when_the_peer_is_not_reading() {
    // A Unix socket: its capacity doesn't grow while nobody reads (TCP's autotuning would),
    // so "full" stays full.
    let dir = common::TempDir::new("net-io-bounded");
    let listener = UnixListener::bind(dir.join("s.sock")).unwrap();
    let mut client = UnixStream::connect(dir.join("s.sock")).await.unwrap();
    let mut server = listener.accept().await.unwrap();
    let fill = payload(1 << 20, 8);
    let mut sent = Vec::new();
    loop {
        match client.try_write(&fill) {
            Ok(n) => sent.extend_from_slice(&fill[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => panic!("{e}"),
        }
    }
    // Now the kernel takes nothing, and poll_write copies 64 KiB of the 32 MiB, not all.
    let big = payload(32 << 20, 2);
    let n = poll_fn(|cx| Pin::new(&mut client).poll_write(cx, &big))
        .await
        .unwrap();
    assert_eq!(n, 64 * 1024);
    sent.extend_from_slice(&big[..n]);
    // With that copy still queued, the next poll_write waits instead of copying more.
    let more =
        poll_fn(|cx| std::task::Poll::Ready(Pin::new(&mut client).poll_write(cx, &big[n..]))).await;
    assert!(more.is_pending());
    let reader = uvco::spawn_local(async move {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = server.read(&mut buf).await.unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    });
    poll_fn(|cx| Pin::new(&mut client).poll_flush(cx))
        .await
        .unwrap();
    client.shutdown().await.unwrap();
    let got = reader.await.unwrap();
    assert_eq!(got.len(), sent.len());
    assert!(got == sent, "everything written arrives, in order");
}

#[uvco::test]
async fn poll_write_vectored_writes_across_slices_in_order() {
    let (mut client, mut server) = tcp_pair().await;
    let a = payload(1000, 1);
    let b = payload(300_000, 2);
    let c = payload(10, 3);
    let mut expected = Vec::new();
    for part in [&a, &b, &c] {
        expected.extend_from_slice(part);
    }
    let total = expected.len();
    let reader = uvco::spawn_local(async move { read_n(&mut server, total).await });
    let mut sent = 0;
    while sent < total {
        // The slices from `sent` on.
        let mut skip = sent;
        let mut slices = Vec::new();
        for part in [&a, &b, &c] {
            if skip >= part.len() {
                skip -= part.len();
                continue;
            }
            slices.push(IoSlice::new(&part[skip..]));
            skip = 0;
        }
        let n = poll_fn(|cx| Pin::new(&mut client).poll_write_vectored(cx, &slices))
            .await
            .unwrap();
        assert!(n > 0);
        sent += n;
    }
    poll_fn(|cx| Pin::new(&mut client).poll_flush(cx))
        .await
        .unwrap();
    assert_eq!(reader.await.unwrap(), expected);
}

#[uvco::test]
async fn split_halves_read_and_write_from_two_tasks() {
    let (client, server) = tcp_pair().await;
    // An echo server on split halves: the reader task forwards to the writer task's half.
    let (mut srd, mut swr) = server.into_split();
    let echo = uvco::spawn_local(async move {
        let mut buf = vec![0u8; 4096];
        let mut echoed = 0;
        loop {
            let n = srd.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            swr.write_all(&buf[..n]).await.unwrap();
            echoed += n;
        }
        (echoed, srd, swr)
    });
    let (mut crd, mut cwr) = client.into_split();
    let data = payload(1 << 20, 4);
    let expected = data.clone();
    // The client writes from one task while another reads the echo.
    let writer = uvco::spawn_local(async move {
        for chunk in data.chunks(10_000) {
            cwr.write_all(chunk).await.unwrap();
        }
        cwr.shutdown().await.unwrap();
        cwr
    });
    let mut got = Vec::new();
    let mut buf = vec![0u8; 8192];
    while got.len() < expected.len() {
        let n = crd.read(&mut buf).await.unwrap();
        assert!(n > 0, "EOF after {} bytes", got.len());
        got.extend_from_slice(&buf[..n]);
    }
    assert!(got == expected);
    let cwr = writer.await.unwrap();
    let (echoed, srd, swr) = echo.await.unwrap();
    assert_eq!(echoed, expected.len());
    // Halves of different streams don't reunite, and come back; the right ones do.
    let err = crd.reunite(swr).unwrap_err();
    let (crd, swr) = (err.0, err.1);
    let _client: TcpStream = crd.reunite(cwr).unwrap();
    let _server: TcpStream = srd.reunite(swr).unwrap();
}

#[uvco::test]
async fn dropping_the_write_half_shuts_down_the_write_side() {
    let (client, mut server) = tcp_pair().await;
    let (mut rd, mut wr) = client.into_split();
    wr.write_all(b"bye").await.unwrap();
    drop(wr);
    // The peer reads the bytes, then EOF, while the read half still works.
    assert_eq!(read_to_end(&mut server).await, b"bye");
    server.write_all(b"still here").await.unwrap();
    let mut buf = [0u8; 32];
    let n = rd.read(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"still here");

    // `forget` drops the half without the shutdown.
    let (client, mut server) = tcp_pair().await;
    let (_rd, mut wr) = client.into_split();
    wr.write_all(b"x").await.unwrap();
    wr.forget();
    assert_eq!(read_n(&mut server, 1).await, b"x");
    assert_eq!(
        server.try_read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock,
        "no EOF after forget"
    );
}

#[uvco::test]
async fn unix_streams_split_too() {
    let dir = common::TempDir::new("net-io-unix");
    let path = dir.join("s.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let client = UnixStream::connect(&path).await.unwrap();
    let server = listener.accept().await.unwrap();
    let (mut rd, mut wr) = client.into_split();
    let (mut srd, mut swr) = server.into_split();
    wr.write_all(b"ping").await.unwrap();
    let mut buf = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        n += srd.read(&mut buf[n..]).await.unwrap();
    }
    swr.write_all(&buf).await.unwrap();
    let mut back = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        n += rd.read(&mut back[n..]).await.unwrap();
    }
    assert_eq!(&back, b"ping");
    let _: UnixStream = rd.reunite(wr).unwrap();
}

#[uvco::test]
async fn peek_leaves_the_bytes_for_the_next_read() {
    let (mut client, mut server) = tcp_pair().await;
    client.write_all(b"hello world").await.unwrap();
    let mut buf = [0u8; 5];
    let n = server.peek(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], &b"hello"[..n]);
    let again = server.peek(&mut buf).await.unwrap();
    assert_eq!(again, n, "peeking twice sees the same bytes");
    assert_eq!(read_n(&mut server, 11).await, b"hello world");
    client.shutdown().await.unwrap();
    assert_eq!(server.peek(&mut buf).await.unwrap(), 0, "EOF");
}

#[uvco::test]
async fn try_read_and_try_write_never_wait() {
    let (mut client, mut server) = tcp_pair().await;
    let mut buf = [0u8; 16];
    assert_eq!(
        server.try_read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    assert_eq!(client.try_write(b"abc").unwrap(), 3);
    server.readable().await.unwrap();
    assert_eq!(server.try_read(&mut buf).unwrap(), 3);
    assert_eq!(&buf[..3], b"abc");

    // Fill the socket: try_write takes less and less, then nothing.
    let chunk = vec![1u8; 1 << 20];
    let mut total = 0;
    let blocked = loop {
        match client.try_write(&chunk) {
            Ok(n) => total += n,
            Err(e) => break e,
        }
        assert!(total < 1 << 30, "the socket never filled");
    };
    assert_eq!(blocked.kind(), ErrorKind::WouldBlock);
    // A waiting reader is not confused by the failed tries.
    let got = read_n(&mut server, total).await;
    assert_eq!(got.len(), total);
}

#[uvco::test]
async fn shutdown_after_the_peer_reset_is_ok() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = std::net::TcpStream::connect(addr).unwrap();
    let (mut conn, _) = listener.accept().await.unwrap();
    common::reset_on_close(&peer);
    drop(peer);
    let mut buf = [0u8; 16];
    let err = loop {
        match conn.read(&mut buf).await {
            Ok(0) => panic!("EOF, not a reset"),
            Ok(_) => continue,
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    // Nothing is left to shut down: as under tokio, that is not an error.
    conn.shutdown().await.unwrap();
    conn.shutdown().await.unwrap();
    // Writing is still an error.
    let werr = conn.write_all(b"late").await.unwrap_err();
    assert!(
        matches!(
            werr.kind(),
            ErrorKind::BrokenPipe | ErrorKind::ConnectionReset | ErrorKind::NotConnected
        ),
        "{werr:?}"
    );
}

#[uvco::test]
async fn a_reader_behind_a_fast_writer_gets_every_byte_in_order_then_eof() {
    // The writer runs ahead, so the reader finds full buffers and then reads the socket
    // directly; the read sizes vary so both paths interleave.
    let (mut client, mut server) = tcp_pair().await;
    let data = payload(16 << 20, 6);
    let expected = data.clone();
    let writer = uvco::spawn_local(async move {
        let (r, _) = client.write_all_owned(data).await;
        r.unwrap();
        client.shutdown().await.unwrap();
        client
    });
    let mut got = Vec::with_capacity(expected.len());
    let sizes = [1usize, 4096, 65536, 300_000, 7, 1 << 20];
    let mut buf = vec![0u8; 1 << 20];
    let mut i = 0;
    loop {
        let want = sizes[i % sizes.len()];
        i += 1;
        let n = server.read(&mut buf[..want]).await.unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got.len(), expected.len());
    assert!(got == expected);
    assert_eq!(server.read(&mut buf).await.unwrap(), 0, "EOF stays");
    drop(writer.await.unwrap());
}

#[uvco::test]
async fn a_reset_seen_by_a_direct_read_is_returned_once() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let mut peer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut conn, _) = listener.accept().await.unwrap();
    // More than the stream's 64 KiB buffer, so that it turns hot.
    std::io::Write::write_all(&mut peer, &payload(1 << 20, 0)).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    while total < 200_000 {
        total += conn.read(&mut buf).await.unwrap();
    }
    common::reset_on_close(&peer);
    drop(peer);
    let err = loop {
        match conn.read(&mut buf).await {
            Ok(0) => panic!("EOF, not a reset"),
            Ok(n) => total += n,
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert!(total <= 1 << 20);
    assert_eq!(
        conn.read(&mut buf).await.unwrap(),
        0,
        "after the error, the read side ends"
    );
}

#[uvco::test]
async fn read_owned_fills_spare_capacity_and_streams_every_byte_in_order() {
    let (mut client, mut server) = tcp_pair().await;
    let data = payload(8 << 20, 11);
    let expected = data.clone();
    let writer = uvco::spawn_local(async move {
        for chunk in data.chunks(100_000) {
            client.write_all(chunk).await.unwrap();
            uvco::task::yield_now().await;
        }
        client.shutdown().await.unwrap();
        client
    });
    let mut got = Vec::with_capacity(expected.len());
    let mut buf = Vec::with_capacity(256 * 1024);
    loop {
        buf.clear();
        let (n, back) = server.read_owned(buf).await;
        buf = back;
        let n = n.unwrap();
        assert_eq!(buf.len(), n, "appended to the empty buffer");
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf);
    }
    assert!(got == expected);
    drop(writer.await.unwrap());
    // No spare capacity: nothing read, nothing lost.
    let (n, back) = server.read_owned(Vec::new()).await;
    assert_eq!((n.unwrap(), back.len()), (0, 0));
}

#[uvco::test]
async fn read_owned_appends_and_allocates_nothing_in_steady_state() {
    let (mut client, mut server) = tcp_pair().await;
    let mut buf = Vec::with_capacity(4096);
    buf.extend_from_slice(b"kept:");
    client.write_all(b"abc").await.unwrap();
    let (n, back) = server.read_owned(buf).await;
    let n = n.unwrap();
    assert_eq!(
        &back[..5 + n],
        &b"kept:abc"[..5 + n],
        "appended after the bytes there"
    );
    let mut buf = back;
    let mut sink = [0u8; 64];
    for _ in 0..10 {
        client.write_all(&sink).await.unwrap();
        buf.clear();
        let (n, b) = server.read_owned(buf).await;
        buf = b;
        let mut got = n.unwrap();
        while got < 64 {
            got += server.read(&mut sink).await.unwrap();
        }
    }
    let before = common::allocs();
    for _ in 0..100 {
        client.write_all(&sink).await.unwrap();
        let mut got = 0;
        while got < 64 {
            buf.clear();
            let (n, b) = server.read_owned(buf).await;
            buf = b;
            got += n.unwrap();
        }
    }
    assert_eq!(
        common::allocs() - before,
        0,
        "allocations in 100 owned reads"
    );
}

#[uvco::test]
async fn bytes_a_dropped_read_owned_received_go_to_the_next_read() {
    let (mut client, mut server) = tcp_pair().await;
    {
        // Polled once with nothing there: the buffer is lent to the stream.
        let fut = server.read_owned(Vec::with_capacity(1024));
        let mut fut = std::pin::pin!(fut);
        let first = poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx))).await;
        assert!(first.is_pending());
        // The bytes land in the lent buffer; the future is dropped before it sees them.
        client
            .write_all(b"landed in the lent buffer")
            .await
            .unwrap();
        for _ in 0..20 {
            uvco::task::yield_now().await;
        }
    }
    client.write_all(b", then more").await.unwrap();
    client.shutdown().await.unwrap();
    // Peeking sees them first, then reads return them in order.
    let mut peeked = [0u8; 6];
    let n = server.peek(&mut peeked).await.unwrap();
    assert_eq!(&peeked[..n], &b"landed"[..n]);
    let got = read_to_end(&mut server).await;
    assert_eq!(got, b"landed in the lent buffer, then more");
}

#[uvco::test]
async fn read_owned_sees_eof_and_errors_like_read() {
    let (mut client, mut server) = tcp_pair().await;
    let reader = uvco::spawn_local(async move {
        let (n, buf) = server.read_owned(Vec::with_capacity(16)).await;
        (n.unwrap(), buf, server)
    });
    uvco::task::yield_now().await;
    client.shutdown().await.unwrap();
    let (n, buf, _server) = reader.await.unwrap();
    assert_eq!((n, buf.len(), buf.capacity() >= 16), (0, 0, true));

    let listener = TcpListener::bind(localhost()).unwrap();
    let peer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut conn, _) = listener.accept().await.unwrap();
    let reader = uvco::spawn_local(async move {
        let (n, _) = conn.read_owned(Vec::with_capacity(16)).await;
        let after = conn.read_owned(Vec::with_capacity(16)).await.0.unwrap();
        (n, after)
    });
    uvco::task::yield_now().await;
    common::reset_on_close(&peer);
    drop(peer);
    let (n, after) = reader.await.unwrap();
    assert_eq!(n.unwrap_err().kind(), ErrorKind::ConnectionReset);
    assert_eq!(after, 0, "after the error, the read side ends");
}

#[uvco::test]
async fn a_split_read_half_reads_owned_while_the_write_half_writes() {
    let (client, mut server) = tcp_pair().await;
    let (mut rd, mut wr) = client.into_split();
    // The read half waits with a lent buffer while the write half writes from another task.
    let writer = uvco::spawn_local(async move {
        wr.write_all(b"request").await.unwrap();
        wr
    });
    assert_eq!(read_n(&mut server, 7).await, b"request");
    let reader = uvco::spawn_local(async move {
        let mut got = Vec::new();
        while got.len() < 8 {
            let (n, back) = rd.read_owned(Vec::with_capacity(64)).await;
            assert!(n.unwrap() > 0);
            got.extend_from_slice(&back);
        }
        (got, rd)
    });
    uvco::task::yield_now().await;
    server.write_all(b"response").await.unwrap();
    let (got, rd) = reader.await.unwrap();
    assert_eq!(got, b"response");
    let wr = writer.await.unwrap();
    let _: TcpStream = rd.reunite(wr).unwrap();
}
