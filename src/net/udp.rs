//! UDP: [`UdpSocket`], over `uv_udp_t`.

use std::cell::Cell;
use std::ffi::{c_int, c_uint};
use std::future::poll_fn;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, RawFd};
use std::ptr;
use std::task::{Context, Poll};

use uvco_runtime::sockaddr::{self, RawSocketAddr};

use super::addr::{each_addr, each_literal_addr, ToSocketAddrs};
use super::fd::{self, IntoStdError};
use super::stream::{RecvBuf, Waiter, Waiters, READ_BUF};
use crate::handle::{Handle, HandleState};
use crate::requests::UvUdpSend;
use crate::Awaitable as _;
use crate::{current_loop, sys, UvError};

/// What the receive callback shares with the socket.
struct UdpState {
    buf: RecvBuf,
    /// A received datagram not yet returned: its length in `buf`, and its sender.
    datagram: Cell<Option<(usize, SocketAddr)>>,
    error: Cell<Option<UvError>>,
    receiving: Cell<bool>,
    receivers: Waiters,
}

impl HandleState for UdpState {
    fn runtime_closing(&self) {
        // `poll_recv_from` finds the handle closed (`EBADF`).
        self.receivers.wake_all();
    }
}

unsafe extern "C" fn alloc_cb(
    handle: *mut sys::uv_handle_t,
    _suggested: usize,
    buf: *mut sys::uv_buf_t,
) {
    // SAFETY: receiving is only started on the handle of a `Handle<uv_udp_t, UdpState>`
    // block, which lives until its close callback, after every receive callback.
    let state = unsafe { Handle::<sys::uv_udp_t, UdpState>::state_of(handle.cast()) };
    // SAFETY: the whole buffer is free (receiving stops once a datagram is held); libuv
    // writes at most READ_BUF bytes there before the receive callback, while no task runs.
    unsafe {
        (*buf).base = state.buf.get().cast();
        (*buf).len = READ_BUF;
    }
}

unsafe extern "C" fn recv_cb(
    handle: *mut sys::uv_udp_t,
    nread: isize,
    _buf: *const sys::uv_buf_t,
    addr: *const sys::sockaddr,
    _flags: c_uint,
) {
    // SAFETY: as in `alloc_cb`.
    let state = unsafe { Handle::<sys::uv_udp_t, UdpState>::state_of(handle) };
    if nread < 0 {
        state.error.set(Some(UvError::new(nread as c_int)));
    } else {
        // SAFETY: libuv passes null or the sender's address.
        match unsafe { sockaddr::to_std(addr) } {
            // A datagram (possibly empty, possibly truncated to the buffer).
            Some(from) => state.datagram.set(Some((nread as usize, from))),
            // Nothing to read (EAGAIN), or a sender that isn't IP: keep receiving.
            None => return,
        }
    }
    // SAFETY: a live UDP handle; stopping is always allowed.
    unsafe { sys::uv_udp_recv_stop(handle) };
    state.receiving.set(false);
    state.receivers.wake_all();
}

/// The datagram a send request carries: its bytes, and the `uv_buf_t` pointing into them.
struct SendBuf {
    data: Vec<u8>,
    buf: sys::uv_buf_t,
}

/// A UDP socket, like [`std::net::UdpSocket`]. Dropping it closes the socket.
///
/// ```
/// use uvco::net::UdpSocket;
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let a = UdpSocket::bind("127.0.0.1:0")?;
///     let b = UdpSocket::bind("127.0.0.1:0")?;
///     a.send_to(b"hello", b.local_addr()?).await?;
///     let mut buf = [0u8; 16];
///     let (n, from) = b.recv_from(&mut buf).await?;
///     assert_eq!((&buf[..n], from), (&b"hello"[..], a.local_addr()?));
///
///     // Connected: `send` and `recv` with the one peer (datagrams from others are dropped).
///     a.connect(b.local_addr()?).await?;
///     assert_eq!(a.peer_addr()?, b.local_addr()?);
///     a.send(b"again").await?;
///     let n = b.recv(&mut buf).await?;
///     assert_eq!(&buf[..n], b"again");
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
/// fn check(s: uvco::net::UdpSocket) {
///     send(s);
/// }
/// ```
pub struct UdpSocket {
    handle: Handle<sys::uv_udp_t, UdpState>,
}

impl std::fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UdpSocket")
            .field("handle", &self.handle.as_ptr())
            .finish()
    }
}

impl UdpSocket {
    /// Binds a socket to `addr`; port 0 picks a free port. `addr` is a
    /// [`ToSocketAddrs`] form that needs no lookup, as for
    /// [`TcpListener::bind`](super::TcpListener::bind) (a host name is an `InvalidInput`
    /// error): synchronous, as std's, since binding never waits on the loop.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        each_literal_addr(&addr, UdpSocket::bind_one)
    }

    /// A UDP handle on the current loop, with no socket yet.
    fn handle() -> io::Result<Handle<sys::uv_udp_t, UdpState>> {
        let state = UdpState {
            buf: RecvBuf::new(),
            datagram: Cell::new(None),
            error: Cell::new(None),
            receiving: Cell::new(false),
            receivers: Waiters::new(),
        };
        // SAFETY: `h` is a zeroed uv_udp_t at its final address; the loop is current.
        Ok(Handle::new(state, |h| unsafe {
            sys::uv_udp_init(current_loop(), h)
        })?)
    }

    fn bind_one(addr: SocketAddr) -> io::Result<UdpSocket> {
        let handle = UdpSocket::handle()?;
        let raw = RawSocketAddr::new(addr);
        // SAFETY: an initialised UDP handle; libuv copies the address during the call. On an
        // error, dropping `handle` closes it.
        UvError::check(unsafe { sys::uv_udp_bind(handle.as_ptr(), raw.as_ptr(), 0) })?;
        Ok(UdpSocket { handle })
    }

    /// Sends `buf` as one datagram to `target`; returns the number of bytes sent. Sends
    /// right away when it can; otherwise a copy of `buf` goes into a `uv_udp_send` request.
    pub async fn send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        let raw = RawSocketAddr::new(target);
        self.send_raw(buf, raw.as_ptr()).await
    }

    /// Sends `buf` as one datagram to the peer [`connect`](Self::connect) chose; returns the
    /// number of bytes sent. Not connected, it is an error (`EDESTADDRREQ`), as is
    /// [`send_to`](Self::send_to) on a connected socket (`EISCONN`).
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.send_raw(buf, ptr::null()).await
    }

    /// Sends to `target`, or to the connected peer if it is null.
    async fn send_raw(&self, buf: &[u8], target: *const sys::sockaddr) -> io::Result<usize> {
        // Closed by its runtime, the handle has no socket, and libuv would bind a new one.
        self.handle.check_open()?;
        let handle = self.handle.as_ptr();
        let direct = sys::uv_buf_t {
            base: buf.as_ptr().cast_mut().cast(),
            len: buf.len(),
        };
        // SAFETY: a live UDP handle; `direct` describes `buf` and `target` is null or an
        // address, both read only during the call.
        match UvError::check(unsafe { sys::uv_udp_try_send(handle, &direct, 1, target) }) {
            Ok(n) => return Ok(n as usize),
            Err(UvError::EAGAIN) => {}
            Err(err) => return Err(err.into()),
        }
        let keep = SendBuf {
            data: buf.to_vec(),
            buf: sys::uv_buf_t {
                base: ptr::null_mut(),
                len: 0,
            },
        };
        // SAFETY: inside a runtime (the socket was made in one). The bytes libuv reads are
        // the Vec's heap memory and the uv_buf_t, both owned by the request slot until the
        // callback runs; libuv copies the address (if any) during the call; closing the
        // handle completes the request first.
        let (result, _) = unsafe {
            UvUdpSend::with_keep(keep, |k| {
                k.buf.base = k.data.as_mut_ptr().cast();
                k.buf.len = k.data.len();
                (handle, &raw const k.buf, 1, target)
            })
        }
        .await;
        result?;
        Ok(buf.len())
    }

    /// Waits for a datagram and copies it into `buf` (the excess is discarded if `buf` is
    /// shorter); returns its length and sender. Cancel-safe: a datagram that arrives after
    /// the future is dropped is kept for the next call. Several tasks may receive at once
    /// (through an `Rc`, say); each datagram goes to one of them.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let waiter = self.handle.state().receivers.waiter();
        poll_fn(|cx| self.poll_recv_from(cx, &waiter, buf)).await
    }

    fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        waiter: &Waiter<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        let state = self.handle.state();
        if let Some((len, from)) = state.datagram.take() {
            let n = len.min(out.len());
            // SAFETY: the buffer holds `len` bytes of the datagram; libuv is not writing now
            // (receiving stopped when it arrived), and `out` is a distinct Rust slice.
            unsafe { ptr::copy_nonoverlapping(state.buf.get(), out.as_mut_ptr(), n) };
            return Poll::Ready(Ok((n, from)));
        }
        if let Some(err) = state.error.take() {
            return Poll::Ready(Err(err.into()));
        }
        // Closed by its runtime: no socket (libuv's receive would bind a new one), and no
        // callback to wait for.
        self.handle.check_open()?;
        if !state.receiving.get() {
            state.buf.get();
            // SAFETY: the handle of a `Handle<uv_udp_t, UdpState>` block, which is what the
            // callbacks expect.
            let ret = unsafe {
                sys::uv_udp_recv_start(self.handle.as_ptr(), Some(alloc_cb), Some(recv_cb))
            };
            UvError::check(ret)?;
            state.receiving.set(true);
        }
        waiter.register(cx);
        Poll::Pending
    }

    /// Waits for a datagram from the connected peer and copies it into `buf`; returns its
    /// length. As [`recv_from`](Self::recv_from) otherwise (on a connected socket, the kernel
    /// drops datagrams from anyone else).
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_from(buf).await?.0)
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sockname(sys::uv_udp_getsockname)
    }

    /// The peer [`connect`](Self::connect) chose; `ENOTCONN` if none.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sockname(sys::uv_udp_getpeername)
    }

    fn sockname(
        &self,
        f: unsafe extern "C" fn(*const sys::uv_udp_t, *mut sys::sockaddr, *mut c_int) -> c_int,
    ) -> io::Result<SocketAddr> {
        let mut raw = RawSocketAddr::zeroed();
        let mut len = RawSocketAddr::capacity() as c_int;
        // SAFETY: a live UDP handle; `raw` has room for `len` bytes.
        UvError::check(unsafe { f(self.handle.as_ptr(), raw.as_mut_ptr(), &mut len) })?;
        raw.to_std()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an IP socket address"))
    }

    /// Connects the socket to `addr` (`uv_udp_connect`): [`send`](Self::send) goes there, and
    /// only datagrams from there are received. Connecting again replaces the peer. `addr` is
    /// any [`ToSocketAddrs`]; a host name is resolved through uvco's DNS (on libuv's
    /// threadpool), and each address is tried in turn until one connects; if none does, the
    /// last error is returned.
    pub async fn connect(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        each_addr(&addr, |addr| std::future::ready(self.connect_one(addr))).await
    }

    fn connect_one(&self, addr: SocketAddr) -> io::Result<()> {
        // As in `send_raw`: libuv would bind a new socket for a closed handle.
        self.handle.check_open()?;
        let h = self.handle.as_ptr();
        if self.peer_addr().is_ok() {
            // libuv refuses to connect a connected handle (EISCONN), and disconnecting first
            // would let Linux give the local port up (one bound as port 0) and pick another
            // on the next connect. The kernel itself connects a connected UDP socket anew,
            // as std and tokio let it; libuv's handle stays "connected", as it is.
            let fd = fd::fileno(h)?;
            return super::sockopt::bind_or_connect(fd, addr, libc::connect);
        }
        let raw = RawSocketAddr::new(addr);
        // SAFETY: a live UDP handle; libuv reads the address during the call only.
        UvError::check(unsafe { sys::uv_udp_connect(h, raw.as_ptr()) })?;
        Ok(())
    }

    /// A socket on one made by std (bound or not, connected or not). The socket is made
    /// non-blocking.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let std_socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    ///     let addr = std_socket.local_addr()?;
    ///     let socket = uvco::net::UdpSocket::from_std(std_socket)?;
    ///     socket.send_to(b"to myself", addr).await?;
    ///     let mut buf = [0u8; 16];
    ///     assert_eq!(socket.recv_from(&mut buf).await?, (9, addr));
    ///     // And back: a blocking std socket.
    ///     let std_socket = socket.into_std()?;
    ///     std_socket.send_to(b"std", addr)?;
    ///     assert_eq!(std_socket.recv_from(&mut buf)?, (3, addr));
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        let handle = UdpSocket::handle()?;
        // SAFETY: a fresh UDP handle with no socket; libuv takes the socket only on success
        // (on an error `socket` still owns it and closes it).
        UvError::check(unsafe { sys::uv_udp_open(handle.as_ptr(), socket.as_raw_fd()) })?;
        let _ = socket.into_raw_fd();
        Ok(UdpSocket { handle })
    }

    /// The socket as a std one, in blocking mode; this socket is closed. The socket is copied
    /// (`dup`) before libuv's handle is closed. A datagram that arrived but was not received
    /// yet (uvco holds at most one) is lost. Refused while a send is still queued in libuv
    /// (one whose future was dropped): the [`IntoStdError`] gives the socket back, to try
    /// again once the loop has run.
    pub fn into_std(self) -> Result<std::net::UdpSocket, IntoStdError<UdpSocket>> {
        // SAFETY: a live UDP handle.
        if unsafe { sys::uv_udp_get_send_queue_count(self.handle.as_ptr()) } > 0 {
            return Err(IntoStdError::in_flight(
                self,
                "a datagram is still being sent: run the loop, then try into_std again",
            ));
        }
        match fd::dup_for_std(self.handle.as_ptr()) {
            Ok(socket) => Ok(socket.into()),
            Err(err) => Err(IntoStdError::new(self, err)),
        }
    }

    /// Runs `f` on a std view of the socket, for the options std has.
    fn with_std<R>(&self, f: impl FnOnce(&std::net::UdpSocket) -> io::Result<R>) -> io::Result<R> {
        fd::with_std(fd::fileno(self.handle.as_ptr())?, f)
    }

    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let socket = uvco::net::UdpSocket::bind("0.0.0.0:0")?;
    ///     assert!(!socket.broadcast()?);
    ///     socket.set_broadcast(true)?;
    ///     assert!(socket.broadcast()?);
    ///     socket.set_ttl(4)?;
    ///     assert_eq!(socket.ttl()?, 4);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.with_std(|s| s.set_broadcast(on))
    }

    /// Whether `SO_BROADCAST` is set.
    pub fn broadcast(&self) -> io::Result<bool> {
        self.with_std(std::net::UdpSocket::broadcast)
    }

    /// Joins the IPv4 multicast group `multiaddr` on the interface with address `interface`
    /// (`Ipv4Addr::UNSPECIFIED` lets the system choose).
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    /// use uvco::net::UdpSocket;
    ///
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let group = Ipv4Addr::new(239, 255, 0, 77);
    ///     let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
    ///     socket.join_multicast_v4(group, Ipv4Addr::LOCALHOST)?;
    ///     socket.set_multicast_interface_v4(Ipv4Addr::LOCALHOST)?;
    ///     socket.set_multicast_loop_v4(true)?;
    ///     socket.set_multicast_ttl_v4(1)?;
    ///     let port = socket.local_addr()?.port();
    ///     socket.send_to(b"to the group", (group, port).into()).await?;
    ///     let mut buf = [0u8; 32];
    ///     let n = socket.recv(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"to the group");
    ///     socket.leave_multicast_v4(group, Ipv4Addr::LOCALHOST)
    /// }
    /// ```
    pub fn join_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.with_std(|s| s.join_multicast_v4(&multiaddr, &interface))
    }

    /// Joins the IPv6 multicast group `multiaddr` on the interface with index `interface`
    /// (0 lets the system choose).
    pub fn join_multicast_v6(&self, multiaddr: Ipv6Addr, interface: u32) -> io::Result<()> {
        self.with_std(|s| s.join_multicast_v6(&multiaddr, interface))
    }

    /// Leaves a group [`join_multicast_v4`](Self::join_multicast_v4) joined.
    pub fn leave_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.with_std(|s| s.leave_multicast_v4(&multiaddr, &interface))
    }

    /// Leaves a group [`join_multicast_v6`](Self::join_multicast_v6) joined.
    pub fn leave_multicast_v6(&self, multiaddr: Ipv6Addr, interface: u32) -> io::Result<()> {
        self.with_std(|s| s.leave_multicast_v6(&multiaddr, interface))
    }

    /// Whether this host's own IPv4 multicast datagrams come back to its sockets in the group
    /// (`IP_MULTICAST_LOOP`, on by default).
    pub fn set_multicast_loop_v4(&self, on: bool) -> io::Result<()> {
        self.with_std(|s| s.set_multicast_loop_v4(on))
    }

    /// The `IP_MULTICAST_LOOP` setting.
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.with_std(std::net::UdpSocket::multicast_loop_v4)
    }

    /// Whether this host's own IPv6 multicast datagrams come back to its sockets in the group
    /// (`IPV6_MULTICAST_LOOP`, on by default).
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.with_std(|s| s.set_multicast_loop_v6(on))
    }

    /// The `IPV6_MULTICAST_LOOP` setting.
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.with_std(std::net::UdpSocket::multicast_loop_v6)
    }

    /// The time-to-live of outgoing IPv4 multicast datagrams (`IP_MULTICAST_TTL`; 1, the
    /// default, keeps them on the local network).
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> io::Result<()> {
        self.with_std(|s| s.set_multicast_ttl_v4(ttl))
    }

    /// The `IP_MULTICAST_TTL` setting.
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.with_std(std::net::UdpSocket::multicast_ttl_v4)
    }

    /// The interface outgoing IPv4 multicast datagrams leave by (`IP_MULTICAST_IF`), by its
    /// address; `Ipv4Addr::UNSPECIFIED` lets the routing table choose.
    pub fn set_multicast_interface_v4(&self, interface: Ipv4Addr) -> io::Result<()> {
        super::sockopt::set_multicast_if_v4(fd::fileno(self.handle.as_ptr())?, interface)
    }

    /// Sets the IP time-to-live (`IP_TTL`) of the datagrams it sends.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.with_std(|s| s.set_ttl(ttl))
    }

    /// The IP time-to-live (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.with_std(std::net::UdpSocket::ttl)
    }
}

impl AsRawFd for UdpSocket {
    /// The socket, or -1 if the runtime has closed it (shut down while this lived on).
    fn as_raw_fd(&self) -> RawFd {
        fd::raw_fd(self.handle.as_ptr())
    }
}

impl AsFd for UdpSocket {
    /// # Panics
    /// If the runtime has closed the socket (shut down while this lived on).
    fn as_fd(&self) -> BorrowedFd<'_> {
        fd::borrow_fd(self.handle.as_ptr(), self)
    }
}
