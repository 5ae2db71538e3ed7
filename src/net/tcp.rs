//! TCP: [`TcpListener`] and [`TcpStream`], over `uv_tcp_t`.

use std::ffi::c_int;
use std::io;
use std::mem::ManuallyDrop;
use std::net::SocketAddr;
use std::os::fd::FromRawFd;
use std::pin::Pin;
use std::task::{Context, Poll};

use uvco_runtime::sockaddr::RawSocketAddr;

use super::stream::{gone_before_accept, AcceptWith, Listener, Stream};
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
///     let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap())?;
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
    /// port; [`local_addr`](Self::local_addr) tells which.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
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
///     let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap())?;
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
    /// # Panics
    /// If called outside a uvco runtime.
    pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        let raw = RawSocketAddr::new(addr);
        // SAFETY: inside a runtime (`Stream::new` succeeded); libuv copies the address
        // during the call; the handle outlives the request, because closing it (if this
        // future is dropped) completes the request first.
        unsafe { UvTcpConnect::new(inner.as_ptr(), raw.as_ptr()) }.await?;
        Ok(TcpStream { inner })
    }

    /// Reads into `buf`, waiting until at least one byte is available; 0 means end of stream
    /// (or an empty `buf`). Cancel-safe.
    ///
    /// A read error (such as [`io::ErrorKind::ConnectionReset`]) is returned once; after it
    /// the read side is finished, and every later read returns 0 at once, as at end of
    /// stream. Bytes that arrived before the error are returned before it.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).await
    }

    /// Writes all of `buf`. What the kernel doesn't take at once is copied and written by a
    /// `uv_write` request; if this future is dropped, that request still completes in order.
    pub async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf).await
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
    /// Writes what the kernel takes now; if it takes nothing, copies `buf` into one write
    /// request and reports it written (the next write, flush or close waits for it).
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_write(cx, buf)
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
