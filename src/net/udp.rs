//! UDP: [`UdpSocket`], over `uv_udp_t`.

use std::cell::Cell;
use std::ffi::{c_int, c_uint};
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::ptr;
use std::task::{Context, Poll};

use uvco_runtime::sockaddr::{self, RawSocketAddr};

use super::stream::{RecvBuf, Waiter, Waiters, READ_BUF};
use crate::handle::Handle;
use crate::requests::UvUdpSend;
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
///     let a = UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
///     let b = UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
///     a.send_to(b"hello", b.local_addr()?).await?;
///     let mut buf = [0u8; 16];
///     let (n, from) = b.recv_from(&mut buf).await?;
///     assert_eq!((&buf[..n], from), (&b"hello"[..], a.local_addr()?));
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
    /// Binds a socket to `addr`; port 0 picks a free port.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
        let state = UdpState {
            buf: RecvBuf::new(),
            datagram: Cell::new(None),
            error: Cell::new(None),
            receiving: Cell::new(false),
            receivers: Waiters::new(),
        };
        // SAFETY: `h` is a zeroed uv_udp_t at its final address; the loop is current.
        let handle = Handle::new(state, |h| unsafe { sys::uv_udp_init(current_loop(), h) })?;
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
        let handle = self.handle.as_ptr();
        let direct = sys::uv_buf_t {
            base: buf.as_ptr().cast_mut().cast(),
            len: buf.len(),
        };
        // SAFETY: a live UDP handle; `direct` describes `buf` and `raw` is an address, both
        // read only during the call.
        match UvError::check(unsafe { sys::uv_udp_try_send(handle, &direct, 1, raw.as_ptr()) }) {
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
        // callback runs; libuv copies the address during the call; closing the handle
        // completes the request first.
        let (result, _) = unsafe {
            UvUdpSend::with_keep(keep, |k| {
                k.buf.base = k.data.as_mut_ptr().cast();
                k.buf.len = k.data.len();
                (handle, &raw const k.buf, 1, raw.as_ptr())
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

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        let mut raw = RawSocketAddr::zeroed();
        let mut len = RawSocketAddr::capacity() as c_int;
        // SAFETY: a live UDP handle; `raw` has room for `len` bytes.
        UvError::check(unsafe {
            sys::uv_udp_getsockname(self.handle.as_ptr(), raw.as_mut_ptr(), &mut len)
        })?;
        raw.to_std()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an IP socket address"))
    }
}
