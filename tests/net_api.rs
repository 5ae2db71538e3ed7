//! The socket API a tokio user reaches for (issue 11, item 4), on real sockets on 127.0.0.1 and
//! Unix sockets in a temp dir: `ToSocketAddrs` in connect, `TcpSocket`,
//! `from_std`/`into_std`, `AsRawFd`/`AsFd`, TCP and UDP options, connected and multicast UDP.
//! Every test runs `serially`: some count the process's fds, which the others' sockets would
//! change under them.

mod common;

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd};
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use futures_io::AsyncWrite;
use uvco::net::{TcpListener, TcpSocket, TcpStream, UdpSocket, UnixListener, UnixStream};
use uvco::time::timeout;

#[global_allocator]
static A: common::Counting = common::Counting;

fn localhost() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// A port nothing listens on: bound, then closed.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The local address of `fd`'s socket, read by std through a copy of the fd: what `as_fd`
/// hands out is the socket itself.
fn std_local_addr(fd: std::os::fd::BorrowedFd<'_>) -> SocketAddr {
    std::net::TcpStream::from(fd.try_clone_to_owned().unwrap())
        .local_addr()
        .unwrap()
}

#[test]
fn connect_takes_every_address_form() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let addr = listener.local_addr().unwrap();
        let port = addr.port();
        let host_port = format!("127.0.0.1:{port}");
        let by_name = format!("localhost:{port}");
        let list = [addr];
        let conns = [
            TcpStream::connect(addr).await,
            TcpStream::connect(&addr).await,
            TcpStream::connect((IpAddr::V4(Ipv4Addr::LOCALHOST), port)).await,
            TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await,
            TcpStream::connect(("127.0.0.1", port)).await,
            TcpStream::connect(("127.0.0.1".to_string(), port)).await,
            TcpStream::connect(host_port.as_str()).await,
            TcpStream::connect(host_port.clone()).await,
            TcpStream::connect(&list[..]).await,
            // Names go through uv_getaddrinfo; localhost may resolve to ::1 first, which nothing
            // listens on, so this also shows the next address being tried.
            TcpStream::connect(("localhost", port)).await,
            TcpStream::connect(by_name.as_str()).await,
        ];
        for (i, conn) in conns.into_iter().enumerate() {
            let conn = conn.unwrap_or_else(|e| panic!("form {i}: {e}"));
            assert_eq!(conn.peer_addr().unwrap(), addr, "form {i}");
            let (server, peer) = listener.accept().await.unwrap();
            assert_eq!(peer, conn.local_addr().unwrap());
            drop(server);
        }
    });
}

#[test]
fn connect_by_address_allocates_nothing_in_steady_state() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let addr = listener.local_addr().unwrap();
        let round = || async {
            let client = TcpStream::connect(addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            drop((client, server));
        };
        // Warm up: the free list's blocks and the accept queue. A closed handle's block comes
        // back a loop turn later, in its close callback, so this takes a few rounds.
        for _ in 0..5 {
            round().await;
        }
        let before = common::allocs();
        for _ in 0..20 {
            round().await;
        }
        // A SocketAddr goes straight to uv_tcp_connect: no address list, no lookup.
        assert_eq!(common::allocs() - before, 0, "allocations in 20 connects");
    });
}

#[test]
fn a_connect_dropped_during_its_lookup_leaks_nothing() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = common::Baseline::take();
        for polls in 1..4 {
            let mut connect = std::pin::pin!(TcpStream::connect(("localhost", port)));
            for _ in 0..polls {
                let _ = poll_fn(|cx| std::task::Poll::Ready(connect.as_mut().poll(cx))).await;
            }
        }
        base.settle().await;
        // And the listener took nothing half-made: a real connection still goes through.
        let client = TcpStream::connect(("localhost", port)).await.unwrap();
        let (_server, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
    });
}

#[test]
fn connect_tries_each_address_and_returns_the_last_error() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let good = listener.local_addr().unwrap();
        let refused = SocketAddr::from(([127, 0, 0, 1], closed_port()));
        let conn = TcpStream::connect(&[refused, refused, good][..])
            .await
            .unwrap();
        assert_eq!(conn.peer_addr().unwrap(), good);

        let err = TcpStream::connect(&[refused, refused][..])
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");

        let none: &[SocketAddr] = &[];
        let err = TcpStream::connect(none).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("any addresses"), "{err}");
    });
}

#[test]
fn malformed_and_unknown_targets_are_typed_errors() {
    common::serially(async {
        for bad in [
            "127.0.0.1",
            "localhost",
            "localhost:http",
            "localhost:65536",
            "",
        ] {
            let err = TcpStream::connect(bad).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}: {err}");
        }
        let err = TcpStream::connect(("bad\0host", 80)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        // `.invalid` never resolves (RFC 6761); whatever the resolver says, it is an error, not
        // a connection and not a panic.
        assert!(TcpStream::connect("no-such-host.invalid:80").await.is_err());
    });
}

#[test]
fn reuseport_listeners_on_one_port_both_accept() {
    common::serially(async {
        let listen = |addr: SocketAddr| {
            let socket = TcpSocket::new_v4().unwrap();
            socket.set_reuseport(true).unwrap();
            assert!(socket.reuseport().unwrap());
            socket.bind(addr).unwrap();
            socket.listen(128).unwrap()
        };
        let first = listen("127.0.0.1:0".parse().unwrap());
        let addr = first.local_addr().unwrap();
        let second = listen(addr);
        assert_eq!(second.local_addr().unwrap(), addr);

        // Without SO_REUSEPORT the port is taken.
        let plain = TcpSocket::new_v4().unwrap();
        let err = plain.bind(addr).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AddrInUse, "{err}");

        let accepted = [Rc::new(Cell::new(0usize)), Rc::new(Cell::new(0usize))];
        for (listener, count) in [first, second].into_iter().zip(accepted.iter().cloned()) {
            uvco::spawn_local(async move {
                loop {
                    let (conn, _) = listener.accept().await.unwrap();
                    count.set(count.get() + 1);
                    drop(conn);
                }
            });
        }
        // The kernel spreads connections over the group by a hash of their addresses: with 64
        // client ports, all landing on one listener has a chance of 2^-63.
        const N: usize = 64;
        let mut clients = Vec::new();
        for _ in 0..N {
            clients.push(TcpStream::connect(addr).await.unwrap());
        }
        while accepted[0].get() + accepted[1].get() < N {
            uvco::task::yield_now().await;
        }
        assert!(
            accepted[0].get() > 0 && accepted[1].get() > 0,
            "accepted {} and {}",
            accepted[0].get(),
            accepted[1].get()
        );
    });
}

/// The point of SO_REUSEPORT: a listener per thread, each on its own runtime and loop, all on
/// one port, with the kernel spreading the connections over them.
#[test]
fn a_reuseport_listener_per_thread() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};
    const THREADS: usize = 2;
    const N: usize = 64;
    let _serial = common::serial();
    let total = Arc::new(AtomicUsize::new(0));
    let bound = Arc::new(Barrier::new(THREADS + 1));
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let port = Arc::new(std::sync::OnceLock::new());
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (total, bound, port_tx, port) =
                (total.clone(), bound.clone(), port_tx.clone(), port.clone());
            std::thread::spawn(move || {
                let rt = uvco::Runtime::new().unwrap();
                rt.block_on(async move {
                    let socket = TcpSocket::new_v4().unwrap();
                    socket.set_reuseport(true).unwrap();
                    if i == 0 {
                        socket.bind(localhost()).unwrap();
                        let addr = socket.local_addr().unwrap();
                        port.set(addr.port()).unwrap();
                        port_tx.send(addr).unwrap();
                    } else {
                        let addr = port_rx_wait(&port);
                        socket
                            .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, addr)))
                            .unwrap();
                    }
                    let listener = socket.listen(128).unwrap();
                    bound.wait();
                    let mut mine = 0;
                    // Every thread keeps accepting until all N arrived somewhere.
                    while total.load(Ordering::SeqCst) < N {
                        let accept = std::pin::pin!(listener.accept());
                        let tick = std::pin::pin!(uvco::time::sleep(Duration::from_millis(5)));
                        if let Some(conn) = first_of(accept, tick).await {
                            conn.unwrap();
                            mine += 1;
                            total.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    mine
                })
            })
        })
        .collect();
    let addr = port_rx.recv().unwrap();
    bound.wait();
    let clients: Vec<_> = (0..N)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    let per_thread: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(per_thread.iter().sum::<usize>(), N);
    // Spread by a hash of the client's port: all 64 on one thread has a chance of 2^-63.
    assert!(per_thread.iter().all(|&n| n > 0), "{per_thread:?}");
    drop(clients);
}

/// The port the first thread bound, once it has.
fn port_rx_wait(port: &std::sync::OnceLock<u16>) -> u16 {
    loop {
        if let Some(&p) = port.get() {
            return p;
        }
        std::thread::yield_now();
    }
}

/// `a`'s output if it finishes first, `None` if `b` does.
async fn first_of<A: Future, B: Future>(
    mut a: std::pin::Pin<&mut A>,
    mut b: std::pin::Pin<&mut B>,
) -> Option<A::Output> {
    poll_fn(|cx| {
        if let std::task::Poll::Ready(out) = a.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(out));
        }
        b.as_mut().poll(cx).map(|_| None)
    })
    .await
}

#[test]
fn tcp_socket_options_carry_over() {
    common::serially(async {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        assert!(socket.reuseaddr().unwrap());
        socket.set_recv_buffer_size(64 * 1024).unwrap();
        // Linux doubles what it is given, for its bookkeeping.
        assert!(socket.recv_buffer_size().unwrap() >= 64 * 1024);
        socket.set_send_buffer_size(32 * 1024).unwrap();
        assert!(socket.send_buffer_size().unwrap() >= 32 * 1024);
        let err = socket.set_send_buffer_size(u32::MAX).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        // Unbound: listening picks a free port.
        let listener = socket.listen(16).unwrap();
        let addr = listener.local_addr().unwrap();
        assert_ne!(addr.port(), 0);

        let client = TcpSocket::new_v4().unwrap();
        client.set_nodelay(true).unwrap();
        client.set_keepalive(true).unwrap();
        assert!(client.nodelay().unwrap() && client.keepalive().unwrap());
        client.set_linger(Some(Duration::from_secs(3))).unwrap();
        assert_eq!(client.linger().unwrap(), Some(Duration::from_secs(3)));
        client.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let from = client.local_addr().unwrap();
        let client = client.connect(addr).await.unwrap();
        assert_eq!(client.local_addr().unwrap(), from);
        assert!(client.nodelay().unwrap());
        assert!(client.keepalive().unwrap().is_some());
        assert_eq!(client.linger().unwrap(), Some(Duration::from_secs(3)));
        let (_server, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, from);

        // A v6 socket and a v4 address: the kernel's error, typed.
        let v6 = TcpSocket::new_v6().unwrap();
        assert!(v6.bind("127.0.0.1:0".parse().unwrap()).is_err());
        let err = TcpSocket::new_v4()
            .unwrap()
            .connect(from)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable
            ),
            "{err}"
        );
    });
}

#[test]
fn tcp_stream_options() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();

        assert_eq!(client.keepalive().unwrap(), None);
        client.set_keepalive(Some(Duration::from_secs(45))).unwrap();
        assert_eq!(client.keepalive().unwrap(), Some(Duration::from_secs(45)));
        // Whole seconds, rounded up: a sub-second idle time is 1 s, not "off".
        client
            .set_keepalive(Some(Duration::from_millis(300)))
            .unwrap();
        assert_eq!(client.keepalive().unwrap(), Some(Duration::from_secs(1)));
        client.set_keepalive(None).unwrap();
        assert_eq!(client.keepalive().unwrap(), None);

        client.set_nodelay(true).unwrap();
        assert!(client.nodelay().unwrap());
        client.set_nodelay(false).unwrap();
        assert!(!client.nodelay().unwrap());

        client.set_ttl(17).unwrap();
        assert_eq!(client.ttl().unwrap(), 17);
        listener.set_ttl(33).unwrap();
        assert_eq!(listener.ttl().unwrap(), 33);
        let err = client.set_ttl(1000).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");

        assert_eq!(client.linger().unwrap(), None);
        client
            .set_linger(Some(Duration::from_millis(1500)))
            .unwrap();
        assert_eq!(client.linger().unwrap(), Some(Duration::from_secs(2)));
        // Linger 0: closing resets the connection, which the peer reads as an error.
        client.set_linger(Some(Duration::ZERO)).unwrap();
        client.write_all(b"unread").await.unwrap();
        let mut buf = [0u8; 16];
        let n = server.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"unread");
        drop(client);
        let err = server.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    });
}

#[test]
fn tcp_from_std_and_into_std_keep_the_connection() {
    common::serially(async {
        let base = common::Baseline::take();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = std_listener.local_addr().unwrap();
        let listener = TcpListener::from_std(std_listener).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);

        let std_client = std::net::TcpStream::connect(addr).unwrap();
        let mut client = TcpStream::from_std(std_client).unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        client.write_all(b"uvco;").await.unwrap();
        let mut buf = [0u8; 5];
        let mut got = 0;
        while got < 5 {
            got += server.read(&mut buf[got..]).await.unwrap();
        }
        assert_eq!(&buf, b"uvco;");

        // Back to std: blocking, and the same connection in both directions.
        let mut std_client = client.into_std().unwrap();
        let mut std_server = server.into_std().unwrap();
        std_client.write_all(b"std;").unwrap();
        let mut four = [0u8; 4];
        std_server.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"std;");
        std_server.write_all(b"back").unwrap();
        std_client.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"back");

        // The listener keeps listening as a std one.
        let std_listener = listener.into_std().unwrap();
        let late = std::net::TcpStream::connect(addr).unwrap();
        let (accepted, peer) = std_listener.accept().unwrap();
        assert_eq!(peer, late.local_addr().unwrap());
        drop((accepted, late, std_listener, std_client, std_server));
        base.settle().await;
    });
}

#[test]
fn into_std_is_refused_while_a_write_is_in_flight() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        // Nobody reads, so the kernel's buffers fill and what they don't take waits in a
        // uv_write request: a write in flight.
        let data: Vec<u8> = (0..32u32 << 20).map(|i| (i % 251) as u8).collect();
        let sent = poll_fn(|cx| Pin::new(&mut client).poll_write(cx, &data))
            .await
            .unwrap();
        assert!(sent > 0);
        let refused = client.into_std().unwrap_err();
        assert_eq!(refused.error().kind(), ErrorKind::WouldBlock);
        assert!(refused.to_string().contains("flush"), "{refused}");
        let mut client = refused.into_inner();

        // Read on std's side of the server while the client flushes: every byte, in order.
        let mut std_server = server.into_std().unwrap();
        let reader = std::thread::spawn(move || {
            let mut got = vec![0u8; sent];
            std_server.read_exact(&mut got).map(|()| got)
        });
        poll_fn(|cx| Pin::new(&mut client).poll_flush(cx))
            .await
            .unwrap();
        let std_client = client.into_std().unwrap();
        let got = loop {
            if reader.is_finished() {
                break reader.join().unwrap().unwrap();
            }
            uvco::task::yield_now().await;
        };
        assert!(
            got == data[..sent],
            "bytes lost or reordered across into_std"
        );
        drop(std_client);
    });
}

#[test]
fn unix_into_std_is_refused_while_a_write_is_in_flight() {
    common::serially(async {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut a = UnixStream::from_std(a).unwrap();
        let data = vec![5u8; 16 << 20];
        let sent = poll_fn(|cx| Pin::new(&mut a).poll_write(cx, &data))
            .await
            .unwrap();
        assert!(sent > 0);
        let refused = a.into_std().unwrap_err();
        assert_eq!(refused.error().kind(), ErrorKind::WouldBlock);
        let mut a = refused.into_inner();
        let reader = std::thread::spawn(move || {
            let mut b = b;
            let mut got = vec![0u8; sent];
            b.read_exact(&mut got).map(|()| got)
        });
        poll_fn(|cx| Pin::new(&mut a).poll_flush(cx)).await.unwrap();
        let _a = a.into_std().unwrap();
        while !reader.is_finished() {
            uvco::task::yield_now().await;
        }
        assert!(reader.join().unwrap().unwrap() == data[..sent]);
    });
}

#[test]
fn tcp_socket_v6() {
    common::serially(async {
        let socket = TcpSocket::new_v6().unwrap();
        match socket.bind(SocketAddr::from((Ipv6Addr::LOCALHOST, 0))) {
            Ok(()) => {}
            // A sandbox without IPv6 on loopback: the kernel's typed refusal.
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::AddrNotAvailable, "{err}");
                return;
            }
        }
        let listener = socket.listen(16).unwrap();
        let addr = listener.local_addr().unwrap();
        assert!(addr.is_ipv6());
        let client = TcpSocket::new_v6().unwrap().connect(addr).await.unwrap();
        let (_server, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        // `[::1]:port` and `("::1", port)` need no lookup.
        let again = TcpStream::connect(format!("[::1]:{}", addr.port()))
            .await
            .unwrap();
        assert_eq!(again.peer_addr().unwrap(), addr);
    });
}

#[test]
fn unix_from_std_and_into_std_keep_the_connection() {
    common::serially(async {
        let dir = common::TempDir::new("net-api");
        let path = dir.join("s");
        let base = common::Baseline::take();
        let listener =
            UnixListener::from_std(std::os::unix::net::UnixListener::bind(&path).unwrap()).unwrap();
        assert_eq!(listener.local_addr().unwrap(), path);
        let std_client = std::os::unix::net::UnixStream::connect(&path).unwrap();
        let mut client = UnixStream::from_std(std_client).unwrap();
        let mut server = listener.accept().await.unwrap();
        client.write_all(b"pipe").await.unwrap();
        let mut four = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            got += server.read(&mut four[got..]).await.unwrap();
        }
        assert_eq!(&four, b"pipe");

        let mut std_client = client.into_std().unwrap();
        let mut std_server = server.into_std().unwrap();
        std_server.write_all(b"back").unwrap();
        std_client.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"back");

        let std_listener = listener.into_std().unwrap();
        let _late = std::os::unix::net::UnixStream::connect(&path).unwrap();
        let (_accepted, _) = std_listener.accept().unwrap();
        drop((_accepted, _late, std_listener, std_client, std_server));
        base.settle().await;
    });
}

#[test]
fn udp_from_std_and_into_std() {
    common::serially(async {
        let base = common::Baseline::take();
        let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = std_socket.local_addr().unwrap();
        let socket = UdpSocket::from_std(std_socket).unwrap();
        assert_eq!(socket.local_addr().unwrap(), addr);
        socket.send_to(b"loop", addr).await.unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(socket.recv_from(&mut buf).await.unwrap(), (4, addr));

        let std_socket = socket.into_std().unwrap();
        std_socket.send_to(b"std", addr).unwrap();
        assert_eq!(std_socket.recv_from(&mut buf).unwrap(), (3, addr));

        // A connected std socket stays connected in uvco.
        let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        std_socket.connect(peer.local_addr().unwrap()).unwrap();
        let socket = UdpSocket::from_std(std_socket).unwrap();
        assert_eq!(socket.peer_addr().unwrap(), peer.local_addr().unwrap());
        socket.send(b"hi").await.unwrap();
        assert_eq!(peer.recv_from(&mut buf).unwrap(), (2, addr));
        drop((socket, peer));
        base.settle().await;
    });
}

#[test]
fn fds_are_the_sockets() {
    common::serially(async {
        let listener = TcpListener::bind(localhost()).unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        assert_eq!(std_local_addr(listener.as_fd()), addr);
        assert_eq!(std_local_addr(server.as_fd()), addr);
        assert_eq!(std_local_addr(client.as_fd()), client.local_addr().unwrap());
        assert_eq!(client.as_raw_fd(), client.as_fd().as_raw_fd());

        let udp = UdpSocket::bind(localhost()).unwrap();
        let copy = std::net::UdpSocket::from(udp.as_fd().try_clone_to_owned().unwrap());
        assert_eq!(copy.local_addr().unwrap(), udp.local_addr().unwrap());

        let dir = common::TempDir::new("net-api-fd");
        let path = dir.join("s");
        let ulistener = UnixListener::bind(&path).unwrap();
        let uclient = UnixStream::connect(&path).await.unwrap();
        let userver = ulistener.accept().await.unwrap();
        let fds = [
            listener.as_raw_fd(),
            client.as_raw_fd(),
            server.as_raw_fd(),
            udp.as_raw_fd(),
            ulistener.as_raw_fd(),
            uclient.as_raw_fd(),
            userver.as_raw_fd(),
        ];
        let mut distinct = fds.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), fds.len(), "{fds:?}");
        assert!(fds.iter().all(|&fd| fd >= 0), "{fds:?}");
        let copy =
            std::os::unix::net::UnixListener::from(ulistener.as_fd().try_clone_to_owned().unwrap());
        assert_eq!(
            copy.local_addr().unwrap().as_pathname(),
            Some(path.as_path())
        );
    });
}

#[test]
fn a_socket_its_runtime_closed_has_no_fd() {
    let _serial = common::serial();
    let rt = uvco::Runtime::new().unwrap();
    let listener = rt.block_on(async { TcpListener::bind(localhost()).unwrap() });
    assert!(listener.as_raw_fd() >= 0);
    // Shutting down closes the handles of sockets that outlive the runtime.
    let _report = rt.shutdown(Duration::from_secs(10));
    assert_eq!(listener.as_raw_fd(), -1);
    assert!(listener.ttl().is_err());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = listener.as_fd();
    }));
    assert!(
        panicked.is_err(),
        "as_fd of a closed socket must not hand out an fd"
    );
}

#[test]
fn sockets_their_runtime_closed_fail_at_once_and_bind_nothing() {
    let _serial = common::serial();
    let dir = common::TempDir::new("closed-sockets");
    let a = uvco::Runtime::new().unwrap();
    let (tcp, unix, udp) = a.block_on(async {
        (
            TcpListener::bind(localhost()).unwrap(),
            UnixListener::bind(dir.join("sock")).unwrap(),
            UdpSocket::bind(localhost()).unwrap(),
        )
    });
    let report = a.shutdown(Duration::from_secs(10));
    assert_eq!(report.closed_handles, 3, "{report:?}");
    let b = uvco::Runtime::new().unwrap();
    b.block_on(async {
        // Each of these once waited forever: no callback comes on a closed handle.
        let limit = Duration::from_secs(10);
        let mut buf = [0u8; 16];
        common::ebadf(timeout(limit, tcp.accept()).await.expect("accept waited"));
        common::ebadf(timeout(limit, unix.accept()).await.expect("accept waited"));
        common::ebadf(
            timeout(limit, udp.recv_from(&mut buf))
                .await
                .expect("recv waited"),
        );
        // libuv binds a UDP handle without a socket on its first send, receive or
        // connect: that was a new socket on 0.0.0.0, watched by a dead loop, never closed.
        common::ebadf(udp.send_to(b"ping", localhost()).await);
        common::ebadf(udp.connect(localhost()).await);
        common::ebadf(udp.recv_from(&mut buf).await);
    });
    assert_eq!(
        udp.as_raw_fd(),
        -1,
        "a socket was bound for the closed handle"
    );
}

#[test]
fn connected_udp() {
    common::serially(async {
        let a = UdpSocket::bind(localhost()).unwrap();
        let b = UdpSocket::bind(localhost()).unwrap();
        let c = UdpSocket::bind(localhost()).unwrap();
        let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());

        let err = a.peer_addr().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotConnected, "{err}");
        assert!(a.send(b"nowhere").await.is_err());

        a.connect(b_addr).await.unwrap();
        assert_eq!(a.peer_addr().unwrap(), b_addr);
        a.send(b"to b").await.unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(b.recv_from(&mut buf).await.unwrap(), (4, a_addr));
        assert_eq!(&buf[..4], b"to b");
        // Connected, a hears only b: c's datagram, sent first, is dropped by the kernel.
        c.send_to(b"from c", a_addr).await.unwrap();
        b.send_to(b"from b", a_addr).await.unwrap();
        let n = a.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"from b");
        let err = a.send_to(b"x", c.local_addr().unwrap()).await.unwrap_err();
        assert!(err.to_string().contains("connected"), "{err}");

        // Connecting again replaces the peer, through any form of address.
        let c_port = c.local_addr().unwrap().port();
        a.connect(("127.0.0.1", c_port)).await.unwrap();
        assert_eq!(a.peer_addr().unwrap(), c.local_addr().unwrap());
        a.connect(format!("localhost:{c_port}")).await.unwrap();
        assert_eq!(a.peer_addr().unwrap().port(), c_port);
        a.send(b"to c").await.unwrap();
        let (n, from) = c.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"to c"[..], a_addr));
    });
}

#[test]
fn udp_options() {
    common::serially(async {
        let socket = UdpSocket::bind(localhost()).unwrap();
        assert!(!socket.broadcast().unwrap());
        socket.set_broadcast(true).unwrap();
        assert!(socket.broadcast().unwrap());
        socket.set_ttl(9).unwrap();
        assert_eq!(socket.ttl().unwrap(), 9);
        socket.set_multicast_ttl_v4(4).unwrap();
        assert_eq!(socket.multicast_ttl_v4().unwrap(), 4);
        socket.set_multicast_loop_v4(false).unwrap();
        assert!(!socket.multicast_loop_v4().unwrap());
        socket.set_multicast_loop_v4(true).unwrap();
        assert!(socket.multicast_loop_v4().unwrap());
        // Not a multicast group: the kernel's EINVAL, typed.
        let err = socket
            .join_multicast_v4(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::LOCALHOST)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    });
}

/// Joins a group on the loopback interface and hears its own datagram. A kernel that refuses
/// multicast on loopback answers with a typed error, which is asserted instead.
#[test]
fn multicast_v4_on_loopback() {
    common::serially(async {
        let group = Ipv4Addr::new(239, 255, 42, 99);
        let receiver = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
        let port = receiver.local_addr().unwrap().port();
        match receiver.join_multicast_v4(group, Ipv4Addr::LOCALHOST) {
            Ok(()) => {}
            Err(err) => {
                assert!(err.raw_os_error().is_some(), "{err}");
                eprintln!("multicast refused by this kernel: {err}");
                return;
            }
        }
        let sender = UdpSocket::bind(localhost()).unwrap();
        sender
            .set_multicast_interface_v4(Ipv4Addr::LOCALHOST)
            .unwrap();
        sender.set_multicast_loop_v4(true).unwrap();
        sender
            .send_to(b"to the group", SocketAddr::from((group, port)))
            .await
            .unwrap();
        let mut buf = [0u8; 32];
        let (n, from) = receiver.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"to the group");
        assert_eq!(from, sender.local_addr().unwrap());
        receiver
            .leave_multicast_v4(group, Ipv4Addr::LOCALHOST)
            .unwrap();
        let err = receiver
            .leave_multicast_v4(group, Ipv4Addr::LOCALHOST)
            .unwrap_err();
        assert!(err.raw_os_error().is_some(), "leaving twice: {err}");
    });
}

#[test]
fn multicast_v6_join_and_leave() {
    common::serially(async {
        // ff02::/16 is link-local: on the loopback interface (index 1 on Linux). An IPv6-less
        // sandbox refuses with an OS error, which is what's asserted then.
        let group: Ipv6Addr = "ff02::1:7".parse().unwrap();
        let socket = match UdpSocket::bind((Ipv6Addr::UNSPECIFIED, 0)) {
            Ok(socket) => socket,
            Err(err) => {
                assert!(err.raw_os_error().is_some() || err.kind() == ErrorKind::AddrNotAvailable);
                return;
            }
        };
        socket.set_multicast_loop_v6(false).unwrap();
        assert!(!socket.multicast_loop_v6().unwrap());
        match socket.join_multicast_v6(group, 1) {
            Ok(()) => socket.leave_multicast_v6(group, 1).unwrap(),
            Err(err) => assert!(err.raw_os_error().is_some(), "{err}"),
        }
    });
}
