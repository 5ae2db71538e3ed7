//! TCP: [`TcpListener`] and [`TcpStream`], over `uv_tcp_t`.

use std::ffi::c_int;
use std::future::Future;
use std::io;
use std::mem::ManuallyDrop;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use uvco_runtime::sockaddr::RawSocketAddr;

use super::addr::sealed::Named;
use super::addr::{each_addr, each_literal_addr, ToSocketAddrs};
use super::fd::{self, IntoStdError};
use super::sockopt;
use super::split::{self, OwnedReadHalf, OwnedWriteHalf};
use super::stream::{gone_before_accept, AcceptWith, Listener, Stream};
use crate::buf::{BufResult, IoBuf};
use crate::requests::UvTcpConnect;
use crate::{current_loop, sys, UvError};

/// The backlog of pending connections a listener asks the kernel for.
const BACKLOG: c_int = 1024;

/// A TCP socket listening for connections, like [`std::net::TcpListener`].
///
/// Dropping it closes the socket.
///
/// ```
/// use uvco::net::{TcpListener, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let addr = listener.local_addr()?;
///     let server = uvco::spawn_local(async move {
///         let (mut conn, _peer) = listener.accept().await?;
///         let mut buf = [0u8; 64];
///         let n = conn.read(&mut buf).await?;
///         conn.write_all(&buf[..n]).await?; // echo
///         conn.shutdown().await
///     });
///     let mut client = TcpStream::connect(addr).await?;
///     client.write_all(b"ping").await?;
///     let mut buf = [0u8; 4];
///     let mut got = 0;
///     while got < 4 {
///         got += client.read(&mut buf[got..]).await?;
///     }
///     assert_eq!(&buf, b"ping");
///     server.await.unwrap()
/// }
/// ```
///
/// Not [`Send`]: it belongs to the thread whose runtime (libuv loop) made it. Share it
/// among that thread's tasks ([`spawn_local`](crate::spawn_local), an `Rc`), not across
/// threads.
///
/// ```compile_fail,E0277
/// fn send<T: Send>(_: T) {}
/// fn check(s: uvco::net::TcpListener) {
///     send(s);
/// }
/// ```
#[derive(Debug)]
pub struct TcpListener {
    inner: Listener<sys::uv_tcp_t>,
}

impl TcpListener {
    /// Binds to `addr` and starts listening (with a backlog of 1024). Port 0 picks a free
    /// port; [`local_addr`](Self::local_addr) tells which. `addr` is any
    /// [`ToSocketAddrs`] form that needs no lookup (`"127.0.0.1:8080"`, `(Ipv4Addr, u16)`,
    /// a `SocketAddr`, a list tried in turn); a host name is an
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) error, since resolving it would wait on
    /// the network, and this is synchronous, as std's is (binding never waits on the loop).
    /// [`TcpSocket`](super::TcpSocket) binds with options such as `SO_REUSEPORT`.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        each_literal_addr(&addr, Self::bind_one)
    }

    fn bind_one(addr: SocketAddr) -> io::Result<TcpListener> {
        let inner = Listener::new(&ACCEPT)?;
        let raw = RawSocketAddr::new(addr);
        // SAFETY: an initialised TCP handle; libuv copies the address during the call. On an
        // error, dropping `inner` closes the handle.
        UvError::check(unsafe { sys::uv_tcp_bind(inner.as_ptr(), raw.as_ptr(), 0) })?;
        inner.listen(BACKLOG)?;
        Ok(TcpListener { inner })
    }

    /// Waits for a connection and returns it with the peer's address.
    ///
    /// Cancel-safe: a connection is only taken off the queue when it is returned. Several
    /// tasks may wait at once (through an `Rc`, say); each connection goes to one of them. A
    /// connection the peer reset or aborted before it was accepted (so it has no peer
    /// address any more) is closed and skipped, and this keeps waiting for the next one: a
    /// remote peer cannot make `accept` fail.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        loop {
            let inner = self.inner.accept().await?;
            let stream = TcpStream { inner };
            match stream.peer_addr() {
                Ok(peer) => return Ok((stream, peer)),
                // Reset or aborted while queued: drop (close) it and wait for the next one.
                Err(err) if gone_before_accept(&err) => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        sockname(self.inner.as_ptr(), sys::uv_tcp_getsockname)
    }

    /// Listens on `socket` (a bound socket, or one the kernel then binds to a free port),
    /// which the listener owns from now on.
    pub(crate) fn from_fd(socket: OwnedFd, backlog: c_int) -> io::Result<TcpListener> {
        let inner = Listener::new(&ACCEPT)?;
        open(inner.as_ptr(), socket)?;
        inner.listen(backlog)?;
        Ok(TcpListener { inner })
    }

    /// A listener on a socket made by std (bound, and listening or not), with a backlog of
    /// 1024. The socket is made non-blocking.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = std_listener.local_addr()?;
    ///     let listener = uvco::net::TcpListener::from_std(std_listener)?;
    ///     // The socket itself, for what uvco has no call for.
    ///     use std::os::fd::AsFd;
    ///     let view = std::net::TcpListener::from(listener.as_fd().try_clone_to_owned()?);
    ///     assert_eq!(view.local_addr()?, addr);
    ///     let _client = uvco::net::TcpStream::connect(addr).await?;
    ///     let (_conn, _peer) = listener.accept().await?;
    ///     // And back: a std listener on the same socket, blocking as std's are.
    ///     let std_listener = listener.into_std()?;
    ///     assert_eq!(std_listener.local_addr()?, addr);
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        TcpListener::from_fd(listener.into(), BACKLOG)
    }

    /// The listening socket as a std listener, in blocking mode; this listener is closed.
    ///
    /// The socket is copied (`dup`) before libuv's handle is closed, so it keeps listening,
    /// and connections still in the kernel's queue wait for the std listener. But uvco accepts
    /// ahead of [`accept`](Self::accept) (up to 128 connections, in the loop's connection
    /// callback), and connections it took that way and nobody has accepted yet are closed.
    pub fn into_std(self) -> io::Result<std::net::TcpListener> {
        let socket = fd::dup_for_std(self.inner.as_ptr())?;
        drop(self);
        Ok(socket.into())
    }

    /// Sets the IP time-to-live (`IP_TTL`) of the connections it accepts.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = uvco::net::TcpListener::bind("127.0.0.1:0")?;
    ///     listener.set_ttl(8)?;
    ///     assert_eq!(listener.ttl()?, 8);
    ///     let client = uvco::net::TcpStream::connect(listener.local_addr()?).await?;
    ///     let (conn, _) = listener.accept().await?;
    ///     assert_eq!(conn.ttl()?, 8); // the kernel copies it to accepted sockets
    ///     # drop(client);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        fd::with_std(self.fd()?, |s: &std::net::TcpListener| s.set_ttl(ttl))
    }

    /// The IP time-to-live (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        fd::with_std(self.fd()?, std::net::TcpListener::ttl)
    }

    fn fd(&self) -> io::Result<RawFd> {
        fd::fileno(self.inner.as_ptr())
    }
}

impl AsRawFd for TcpListener {
    /// The socket, or -1 if the runtime has closed it (shut down while this lived on).
    fn as_raw_fd(&self) -> RawFd {
        fd::raw_fd(self.inner.as_ptr())
    }
}

impl AsFd for TcpListener {
    /// # Panics
    /// If the runtime has closed the socket (shut down while this lived on).
    fn as_fd(&self) -> BorrowedFd<'_> {
        fd::borrow_fd(self.inner.as_ptr(), self)
    }
}

/// The `uv_tcp_connect` request of `inner` to `addr`.
fn connect_request(inner: &Stream<sys::uv_tcp_t>, addr: SocketAddr) -> UvTcpConnect {
    let raw = RawSocketAddr::new(addr);
    // SAFETY: inside a runtime (the stream was made in one); libuv copies the address during
    // the call; the handle outlives the request, because closing it (if the future awaiting
    // it is dropped) completes the request first.
    unsafe { UvTcpConnect::new(inner.as_ptr(), raw.as_ptr()) }
}

/// Gives `socket` to the TCP handle `h`, which closes it from now on.
fn open(h: *mut sys::uv_tcp_t, socket: OwnedFd) -> io::Result<()> {
    // SAFETY: a fresh, initialised TCP handle with no socket yet; on an error the socket
    // stays `socket`'s (libuv takes it only on success).
    UvError::check(unsafe { sys::uv_tcp_open(h, socket.as_raw_fd()) })?;
    let _ = socket.into_raw_fd();
    Ok(())
}

/// Initialises a TCP handle on `loop_`: the current one, or a listener's (from its connection
/// callback, where no runtime need be current).
fn init(loop_: *mut sys::uv_loop_t, h: *mut sys::uv_tcp_t) -> c_int {
    // SAFETY: `h` is a zeroed uv_tcp_t at its final address; `loop_` is a live loop.
    unsafe { sys::uv_tcp_init(loop_, h) }
}

/// How a listener accepts past libuv's one connection per loop turn.
static ACCEPT: AcceptWith<sys::uv_tcp_t> = AcceptWith {
    init,
    accept: |fd| {
        // SAFETY: `fd` is the listener's socket, borrowed for the call and never closed here.
        let listener = ManuallyDrop::new(unsafe { std::net::TcpListener::from_raw_fd(fd) });
        listener.accept().map(|(stream, _)| stream.into())
    },
    open: |h, fd| {
        // SAFETY: the caller's contract: a fresh handle and a connected socket it may own.
        unsafe { sys::uv_tcp_open(h, fd) }
    },
};

/// Reads a socket address with `uv_tcp_getsockname` or `uv_tcp_getpeername`.
fn sockname(
    h: *const sys::uv_tcp_t,
    f: unsafe extern "C" fn(*const sys::uv_tcp_t, *mut sys::sockaddr, *mut c_int) -> c_int,
) -> io::Result<SocketAddr> {
    let mut raw = RawSocketAddr::zeroed();
    let mut len = RawSocketAddr::capacity() as c_int;
    // SAFETY: a live TCP handle; `raw` has room for `len` bytes.
    UvError::check(unsafe { f(h, raw.as_mut_ptr(), &mut len) })?;
    raw.to_std()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an IP socket address"))
}

/// A connected TCP stream, like [`std::net::TcpStream`].
///
/// Reads are cancel-safe (bytes that arrived stay buffered in the stream); `write_all`
/// first writes directly and copies only what the kernel did not take. Also usable through
/// [`futures_io::AsyncRead`] and [`futures_io::AsyncWrite`]. Dropping it closes the socket;
/// a write still in flight then completes as cancelled.
///
/// ```
/// use uvco::net::{TcpListener, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
///     let (mut server, peer) = listener.accept().await?;
///     assert_eq!(peer, client.local_addr()?);
///     client.set_nodelay(true)?;
///     client.write_all(b"hi").await?;
///     client.shutdown().await?;
///     let mut buf = [0u8; 8];
///     let mut got = 0;
///     loop {
///         let n = server.read(&mut buf[got..]).await?;
///         if n == 0 {
///             break; // EOF
///         }
///         got += n;
///     }
///     assert_eq!(&buf[..got], b"hi");
///     Ok(())
/// }
/// ```
///
/// Not [`Send`]: it belongs to the thread whose runtime (libuv loop) made it. Share it
/// among that thread's tasks ([`spawn_local`](crate::spawn_local), an `Rc`), not across
/// threads.
///
/// ```compile_fail,E0277
/// fn send<T: Send>(_: T) {}
/// fn check(s: uvco::net::TcpStream) {
///     send(s);
/// }
/// ```
#[derive(Debug)]
pub struct TcpStream {
    inner: Stream<sys::uv_tcp_t>,
}

impl TcpStream {
    /// Connects to `addr`. A refused connection is an [`io::ErrorKind::ConnectionRefused`]
    /// error.
    ///
    /// `addr` is any [`ToSocketAddrs`]: a [`SocketAddr`], `("example.org", 80)`,
    /// `"localhost:8080"`, ... A host name is resolved through uvco's DNS
    /// ([`dns::lookup`](crate::dns::lookup), on libuv's threadpool: the loop never blocks),
    /// and each address is tried in turn, as tokio does; if none connects, the last error is
    /// returned.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        match addr.named() {
            // One address (the common case) connects in this future itself: no list, and no
            // future per attempt to poll through (callgrind: 4212 instructions per connect
            // and accept before ToSocketAddrs, 4448 through `each_addr`, 4243 like this).
            Named::One(addr) => {
                let inner = Stream::new(|h| init(current_loop(), h))?;
                connect_request(&inner, addr).await?;
                Ok(TcpStream { inner })
            }
            _ => each_addr(&addr, TcpStream::connect_one).await,
        }
    }

    async fn connect_one(addr: SocketAddr) -> io::Result<TcpStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        connect_request(&inner, addr).await?;
        Ok(TcpStream { inner })
    }

    /// Connects `socket` (a TCP socket, bound or not), which the stream owns from now on.
    pub(crate) async fn connect_fd(socket: OwnedFd, addr: SocketAddr) -> io::Result<TcpStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        open(inner.as_ptr(), socket)?;
        connect_request(&inner, addr).await?;
        Ok(TcpStream { inner })
    }

    /// Reads into `buf`, waiting until at least one byte is available; 0 means end of stream
    /// (or an empty `buf`). Cancel-safe.
    ///
    /// A read error (such as [`io::ErrorKind::ConnectionReset`]) is returned once; after it
    /// the read side is finished, and every later read returns 0 at once, as at end of
    /// stream. Bytes that arrived before the error are returned before it.
    pub fn read<'a>(
        &'a mut self,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + 'a {
        self.inner.read(buf)
    }

    /// Writes all of `buf`. What the kernel doesn't take at once is copied and written by a
    /// `uv_write` request; if this future is dropped, that request still completes in order.
    pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> impl Future<Output = io::Result<()>> + 'a {
        self.inner.write_all(buf)
    }

    /// Reads into the spare capacity of `buf` (appending to it) and hands it back with the
    /// number of bytes read; 0 means end of stream (or no spare capacity). While it waits, the
    /// stream holds the buffer and libuv reads into it directly: nothing is copied. If this
    /// future is dropped after bytes arrived, they are kept for the next read. Cancel-safe.
    ///
    /// ```
    /// use uvco::net::{TcpListener, TcpStream};
    ///
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (mut server, _) = listener.accept().await?;
    ///     client.write_all(b"hello").await?;
    ///     let mut buf = Vec::with_capacity(64);
    ///     while buf.len() < 5 {
    ///         let (n, back) = server.read_owned(buf).await;
    ///         assert!(n? > 0, "EOF");
    ///         buf = back;
    ///     }
    ///     assert_eq!(buf, b"hello");
    ///     Ok(())
    /// }
    /// ```
    pub async fn read_owned(&mut self, buf: Vec<u8>) -> BufResult<usize, Vec<u8>> {
        self.inner.read_owned(buf).await
    }

    /// Copies the next bytes into `buf` without consuming them, waiting until some arrive; 0
    /// means end of stream. The next read returns them again.
    pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        std::future::poll_fn(|cx| self.inner.poll_peek(cx, buf)).await
    }

    /// Reads what is buffered now, without waiting: [`io::ErrorKind::WouldBlock`] if nothing
    /// is (then what arrives next is buffered for the next try; [`readable`](TcpStream::readable)
    /// waits for it).
    pub fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.try_read(buf)
    }

    /// Waits until a read would not wait (bytes buffered, end of stream, or an error).
    pub async fn readable(&mut self) -> io::Result<()> {
        std::future::poll_fn(|cx| self.inner.poll_readable(cx)).await
    }

    /// Writes what the kernel takes of `buf` now, copying nothing and never waiting:
    /// [`io::ErrorKind::WouldBlock`] if it takes nothing, or an earlier write is still going.
    pub fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.try_write(buf)
    }

    /// Splits the stream into a read half and a write half that can move to different tasks
    /// (see [`OwnedReadHalf`](crate::net::OwnedReadHalf)); `reunite` puts them back together.
    pub fn into_split(self) -> (OwnedReadHalf<TcpStream>, OwnedWriteHalf<TcpStream>) {
        split::split(self)
    }

    /// Writes all of `buf`, moving it into the write request instead of copying what the
    /// kernel does not take at once, and hands it back with the result (see [`crate::buf`]).
    /// If this future is dropped, the write still completes in order and the runtime drops
    /// the buffer afterwards; its error, if any, is then lost.
    pub async fn write_all_owned<B: IoBuf>(&mut self, buf: B) -> BufResult<(), B> {
        self.inner.write_all_owned(buf).await
    }

    /// Writes all of `bufs`, in order, in one `uv_write` (one `writev` as far as the kernel
    /// takes them), moving them into the request; they come back with the result. As
    /// [`write_all_owned`](TcpStream::write_all_owned) otherwise.
    pub async fn write_vectored_all_owned<B: IoBuf>(
        &mut self,
        bufs: Vec<B>,
    ) -> BufResult<(), Vec<B>> {
        self.inner.write_vectored_all_owned(bufs).await
    }

    /// Shuts down the write side, once pending writes are done; the peer reads EOF.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.inner.shutdown().await
    }

    /// The address of the peer.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        sockname(self.inner.as_ptr(), sys::uv_tcp_getpeername)
    }

    /// The local address of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        sockname(self.inner.as_ptr(), sys::uv_tcp_getsockname)
    }

    /// Enables or disables Nagle's algorithm (`TCP_NODELAY`).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        // SAFETY: a live TCP handle.
        UvError::check(unsafe { sys::uv_tcp_nodelay(self.inner.as_ptr(), c_int::from(nodelay)) })?;
        Ok(())
    }

    /// Whether Nagle's algorithm is off (`TCP_NODELAY`).
    pub fn nodelay(&self) -> io::Result<bool> {
        fd::with_std(self.fd()?, std::net::TcpStream::nodelay)
    }

    /// Turns TCP keepalive probes on (`SO_KEEPALIVE`), after `idle` without traffic
    /// (`TCP_KEEPIDLE`, in whole seconds, rounded up, at least 1), or off with `None`. With
    /// libuv 1.53, the probes then go every second, up to 10 (`TCP_KEEPINTVL`, `TCP_KEEPCNT`);
    /// older libuvs leave those at the system's defaults.
    ///
    /// ```
    /// use std::time::Duration;
    /// use uvco::net::{TcpListener, TcpStream};
    ///
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?).await?;
    ///     assert_eq!(stream.keepalive()?, None);
    ///     stream.set_keepalive(Some(Duration::from_secs(30)))?;
    ///     assert_eq!(stream.keepalive()?, Some(Duration::from_secs(30)));
    ///     stream.set_ttl(42)?;
    ///     assert_eq!(stream.ttl()?, 42);
    ///     stream.set_linger(Some(Duration::ZERO))?; // close with a reset
    ///     assert_eq!(stream.linger()?, Some(Duration::ZERO));
    ///     Ok(())
    /// }
    /// ```
    pub fn set_keepalive(&self, idle: Option<Duration>) -> io::Result<()> {
        let secs = idle.map_or(Ok(0), sockopt::whole_seconds)?.max(1) as std::ffi::c_uint;
        // SAFETY: a live TCP handle.
        let ret = unsafe {
            sys::uv_tcp_keepalive(self.inner.as_ptr(), c_int::from(idle.is_some()), secs)
        };
        UvError::check(ret)?;
        Ok(())
    }

    /// The keepalive idle time, if keepalive is on (see [`set_keepalive`](Self::set_keepalive)).
    pub fn keepalive(&self) -> io::Result<Option<Duration>> {
        sockopt::keepalive(self.fd()?)
    }

    /// Sets the IP time-to-live (`IP_TTL`) of the packets it sends.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        fd::with_std(self.fd()?, |s: &std::net::TcpStream| s.set_ttl(ttl))
    }

    /// The IP time-to-live (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        fd::with_std(self.fd()?, std::net::TcpStream::ttl)
    }

    /// Sets `SO_LINGER`: with `Some(t)`, closing waits up to `t` (in whole seconds, rounded
    /// up) for unsent data to go out; `Some(Duration::ZERO)` makes closing discard it and
    /// reset the connection. Closing never blocks the loop either way (libuv closes on the
    /// loop thread, and a lingering close returns when the kernel is done or `t` is over).
    /// `None` is the default: closing returns at once and the kernel sends the rest.
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        sockopt::set_linger(self.fd()?, linger)
    }

    /// The `SO_LINGER` setting (see [`set_linger`](Self::set_linger)).
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sockopt::linger(self.fd()?)
    }

    /// A stream on a connected socket made by std. The socket is made non-blocking.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     use std::io::Read;
    ///     let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let std_stream = std::net::TcpStream::connect(listener.local_addr()?)?;
    ///     let (mut peer, _) = listener.accept()?;
    ///     let mut stream = uvco::net::TcpStream::from_std(std_stream)?;
    ///     stream.write_all(b"from uvco").await?;
    ///     // And back: a blocking std stream on the same connection.
    ///     let mut std_stream = stream.into_std()?;
    ///     std::io::Write::write_all(&mut std_stream, b", then std")?;
    ///     drop(std_stream);
    ///     let mut got = String::new();
    ///     peer.read_to_string(&mut got)?;
    ///     assert_eq!(got, "from uvco, then std");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        open(inner.as_ptr(), stream.into())?;
        Ok(TcpStream { inner })
    }

    /// The connection as a std stream, in blocking mode; this stream is closed.
    ///
    /// The socket is copied (`dup`) before libuv's handle is closed, so the connection stays
    /// open. Bytes that arrived but were not read yet are in this stream's buffer, not the
    /// kernel's, and are lost: call it where the protocol has nothing in flight towards you.
    /// Refused while a write is still in flight (what `write_all` or `poll_write` handed to
    /// libuv and the kernel has not taken yet: closing would drop it): the
    /// [`IntoStdError`] gives the stream back, to flush and try again.
    pub fn into_std(self) -> Result<std::net::TcpStream, IntoStdError<TcpStream>> {
        // SAFETY: a live stream handle.
        if unsafe { sys::uv_stream_get_write_queue_size(self.inner.as_ptr().cast()) } > 0 {
            return Err(IntoStdError::in_flight(self, fd::WRITE_IN_FLIGHT));
        }
        match fd::dup_for_std(self.inner.as_ptr()) {
            Ok(socket) => Ok(socket.into()),
            Err(err) => Err(IntoStdError::new(self, err)),
        }
    }

    fn fd(&self) -> io::Result<RawFd> {
        fd::fileno(self.inner.as_ptr())
    }
}

impl AsRawFd for TcpStream {
    /// The socket, or -1 if the runtime has closed it (shut down while this lived on).
    fn as_raw_fd(&self) -> RawFd {
        fd::raw_fd(self.inner.as_ptr())
    }
}

impl AsFd for TcpStream {
    /// # Panics
    /// If the runtime has closed the socket (shut down while this lived on).
    fn as_fd(&self) -> BorrowedFd<'_> {
        fd::borrow_fd(self.inner.as_ptr(), self)
    }
}

impl futures_io::AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_read(cx, buf)
    }
}

impl futures_io::AsyncWrite for TcpStream {
    /// Writes what the kernel takes now, and copies up to 64 KiB of the rest into one write
    /// request, reporting it written (the next write, flush or close waits for it).
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_write(cx, buf)
    }

    /// Writes what the kernel takes of `bufs` now, in one `writev`; as `poll_write` otherwise.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.poll_write_done(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.poll_shutdown(cx)
    }
}

// hyper's I/O traits (the `hyper` feature) live in src/hyper/; they need the private `inner`.
#[cfg(feature = "hyper")]
#[path = "../hyper/tcp.rs"]
mod hyper_io;

impl split::Split for TcpStream {}

#[allow(private_interfaces)]
impl split::sealed::Sealed for TcpStream {
    type Handle = sys::uv_tcp_t;
    fn into_stream(self) -> Stream<sys::uv_tcp_t> {
        self.inner
    }
    fn from_stream(inner: Stream<sys::uv_tcp_t>) -> Self {
        TcpStream { inner }
    }
}
