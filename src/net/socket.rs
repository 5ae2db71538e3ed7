//! [`TcpSocket`]: a TCP socket configured before it binds, listens or connects, like
//! `tokio::net::TcpSocket`.

use std::ffi::c_int;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::time::Duration;

use super::{fd, sockopt, TcpListener, TcpStream};

/// A TCP socket not yet listening or connected: set options that must come before `bind`
/// (`SO_REUSEADDR`, `SO_REUSEPORT`, buffer sizes), then [`listen`](Self::listen) or
/// [`connect`](Self::connect). Dropping it closes the socket.
///
/// With [`set_reuseport`](Self::set_reuseport), several listeners (one per thread and runtime,
/// say) bind one port, and the kernel spreads the connections over them:
///
/// ```
/// use uvco::net::{TcpSocket, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let first = TcpSocket::new_v4()?;
///     first.set_reuseport(true)?;
///     first.bind("127.0.0.1:0".parse().unwrap())?;
///     let addr = first.local_addr()?;
///     let first = first.listen(1024)?;
///
///     let second = TcpSocket::new_v4()?;
///     second.set_reuseport(true)?;
///     second.bind(addr)?; // the same port
///     let second = second.listen(1024)?;
///     assert_eq!(second.local_addr()?, addr);
///
///     let client = TcpSocket::new_v4()?;
///     client.set_nodelay(true)?;
///     let client: TcpStream = client.connect(addr).await?;
///     assert!(client.nodelay()?);
///     # drop((first, second));
///     Ok(())
/// }
/// ```
///
/// Making and configuring one needs no runtime; `listen` and `connect` do. Options set here
/// carry over to the listener (and the streams it accepts, as the kernel copies them) or the
/// stream.
#[derive(Debug)]
pub struct TcpSocket {
    socket: OwnedFd,
}

impl TcpSocket {
    /// A new IPv4 TCP socket (close-on-exec, non-blocking).
    pub fn new_v4() -> io::Result<TcpSocket> {
        TcpSocket::new(libc::AF_INET)
    }

    /// A new IPv6 TCP socket (close-on-exec, non-blocking).
    pub fn new_v6() -> io::Result<TcpSocket> {
        TcpSocket::new(libc::AF_INET6)
    }

    fn new(family: c_int) -> io::Result<TcpSocket> {
        let flags = libc::SOCK_STREAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK;
        // SAFETY: socket(2) with constant arguments; it returns a new fd or -1.
        let fd = unsafe { libc::socket(family, flags, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh fd that nothing else owns.
        let socket = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(TcpSocket { socket })
    }

    fn fd(&self) -> RawFd {
        self.socket.as_raw_fd()
    }

    /// Allows binding an address whose old connections are still in `TIME_WAIT`
    /// (`SO_REUSEADDR`), so a restarted server gets its port back at once.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let socket = uvco::net::TcpSocket::new_v6()?;
    ///     socket.set_reuseaddr(true)?;
    ///     socket.set_keepalive(true)?;
    ///     socket.set_recv_buffer_size(64 * 1024)?;
    ///     socket.set_send_buffer_size(64 * 1024)?;
    ///     socket.set_linger(Some(Duration::from_secs(5)))?;
    ///     assert!(socket.reuseaddr()? && socket.keepalive()?);
    ///     assert!(socket.recv_buffer_size()? >= 64 * 1024); // Linux doubles it
    ///     assert!(socket.send_buffer_size()? >= 64 * 1024);
    ///     assert_eq!(socket.linger()?, Some(Duration::from_secs(5)));
    ///     Ok(())
    /// }
    /// ```
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        sockopt::set_flag(self.fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR, reuseaddr)
    }

    /// Whether `SO_REUSEADDR` is set.
    pub fn reuseaddr(&self) -> io::Result<bool> {
        sockopt::flag(self.fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR)
    }

    /// Allows several sockets, each with this set before binding, to bind one address and
    /// port (`SO_REUSEPORT`); the kernel spreads incoming connections over their listeners.
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        sockopt::set_reuseport(self.fd(), reuseport)
    }

    /// Whether `SO_REUSEPORT` is set.
    pub fn reuseport(&self) -> io::Result<bool> {
        sockopt::reuseport(self.fd())
    }

    /// Turns Nagle's algorithm off (`TCP_NODELAY`) for the stream `connect` makes.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        sockopt::set_flag(self.fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY, nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        sockopt::flag(self.fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY)
    }

    /// Turns TCP keepalive probes on or off (`SO_KEEPALIVE`), with the system's timings; a
    /// stream's [`set_keepalive`](TcpStream::set_keepalive) also sets the idle time.
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        sockopt::set_flag(self.fd(), libc::SOL_SOCKET, libc::SO_KEEPALIVE, keepalive)
    }

    /// Whether `SO_KEEPALIVE` is set.
    pub fn keepalive(&self) -> io::Result<bool> {
        sockopt::flag(self.fd(), libc::SOL_SOCKET, libc::SO_KEEPALIVE)
    }

    /// Sets the kernel's send buffer size (`SO_SNDBUF`; Linux doubles it for its own
    /// bookkeeping, and [`send_buffer_size`](Self::send_buffer_size) reports that).
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        sockopt::set_size(self.fd(), libc::SO_SNDBUF, size)
    }

    /// The kernel's send buffer size (`SO_SNDBUF`).
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        sockopt::size(self.fd(), libc::SO_SNDBUF)
    }

    /// Sets the kernel's receive buffer size (`SO_RCVBUF`; doubled by Linux, as for sends).
    /// Set before `listen` or `connect`, it also bounds the TCP window offered.
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        sockopt::set_size(self.fd(), libc::SO_RCVBUF, size)
    }

    /// The kernel's receive buffer size (`SO_RCVBUF`).
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        sockopt::size(self.fd(), libc::SO_RCVBUF)
    }

    /// Sets `SO_LINGER` (see [`TcpStream::set_linger`]).
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        sockopt::set_linger(self.fd(), linger)
    }

    /// The `SO_LINGER` setting.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sockopt::linger(self.fd())
    }

    /// Binds the socket to `addr` (port 0 picks a free port). An address of the other
    /// family than the socket's is an error from the kernel (`EINVAL` or `EAFNOSUPPORT`).
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        sockopt::bind_or_connect(self.fd(), addr, libc::bind)
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        // std's listener has the getsockname decoding; it only borrows the fd here.
        fd::with_std(self.fd(), std::net::TcpListener::local_addr)
    }

    /// Listens for connections, with a backlog of `backlog` (capped by the kernel's
    /// `somaxconn`). An unbound socket is bound to a free port first, by the kernel.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        let backlog = c_int::try_from(backlog).unwrap_or(c_int::MAX);
        TcpListener::from_fd(self.socket, backlog)
    }

    /// Connects to `addr`, on libuv's loop (`uv_tcp_connect`).
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        TcpStream::connect_fd(self.socket, addr).await
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd()
    }
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
}

impl IntoRawFd for TcpSocket {
    fn into_raw_fd(self) -> RawFd {
        self.socket.into_raw_fd()
    }
}

impl FromRawFd for TcpSocket {
    /// # Safety
    /// `fd` is an open TCP socket that nothing else owns.
    unsafe fn from_raw_fd(fd: RawFd) -> TcpSocket {
        TcpSocket {
            // SAFETY: the caller's contract.
            socket: unsafe { OwnedFd::from_raw_fd(fd) },
        }
    }
}
