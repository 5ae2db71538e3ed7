//! Socket calls that neither libuv nor std's stable API makes for us: options (`SO_LINGER`,
//! `SO_REUSEPORT`, the keepalive getters, buffer sizes before a handle exists) and `bind`/
//! `connect` on a bare socket, through `libc`. Plain system calls also keep them off libuv
//! functions newer than the oldest host libuv (1.44), such as `UV_TCP_REUSEPORT` (1.49).

use std::ffi::c_int;
use std::io;
use std::mem;
use std::net::SocketAddr;
use std::os::fd::RawFd;
use std::time::Duration;

use uvco_runtime::sockaddr::RawSocketAddr;

/// A C option value: plain data, valid when zeroed.
///
/// # Safety
/// All-zero bytes must be a valid value, and every bit pattern the kernel writes too.
unsafe trait OptValue: Copy {}
// SAFETY: an integer.
unsafe impl OptValue for c_int {}
// SAFETY: two integers.
unsafe impl OptValue for libc::linger {}
// SAFETY: an integer (an IPv4 address in network order).
unsafe impl OptValue for libc::in_addr {}

fn set<T: OptValue>(fd: RawFd, level: c_int, name: c_int, value: T) -> io::Result<()> {
    // SAFETY: `value` is a readable `T` of the size passed; the kernel checks `fd`.
    let ret = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&raw const value).cast(),
            mem::size_of::<T>() as libc::socklen_t,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn get<T: OptValue>(fd: RawFd, level: c_int, name: c_int) -> io::Result<T> {
    // SAFETY: all-zero is a valid T (OptValue's contract).
    let mut value: T = unsafe { mem::zeroed() };
    let mut len = mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `value` has room for `len` bytes, which is all the kernel writes.
    let ret = unsafe { libc::getsockopt(fd, level, name, (&raw mut value).cast(), &mut len) };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(value)
}

/// `bind(2)` or `connect(2)` of `fd` to `addr`.
pub(crate) fn bind_or_connect(
    fd: RawFd,
    addr: SocketAddr,
    call: unsafe extern "C" fn(c_int, *const libc::sockaddr, libc::socklen_t) -> c_int,
) -> io::Result<()> {
    let raw = RawSocketAddr::new(addr);
    let len = match addr {
        SocketAddr::V4(_) => mem::size_of::<libc::sockaddr_in>(),
        SocketAddr::V6(_) => mem::size_of::<libc::sockaddr_in6>(),
    };
    // SAFETY: `raw` holds a socket address of `len` bytes (its family's size), which the
    // kernel reads during the call; the kernel checks `fd`.
    if unsafe { call(fd, raw.as_ptr().cast(), len as libc::socklen_t) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub(crate) fn set_flag(fd: RawFd, level: c_int, name: c_int, on: bool) -> io::Result<()> {
    set(fd, level, name, c_int::from(on))
}

pub(crate) fn flag(fd: RawFd, level: c_int, name: c_int) -> io::Result<bool> {
    Ok(get::<c_int>(fd, level, name)? != 0)
}

/// A size option (`SO_SNDBUF`, `SO_RCVBUF`), refused as `InvalidInput` past `c_int`.
pub(crate) fn set_size(fd: RawFd, name: c_int, size: u32) -> io::Result<()> {
    let size = c_int::try_from(size)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "buffer size too large"))?;
    set(fd, libc::SOL_SOCKET, name, size)
}

pub(crate) fn size(fd: RawFd, name: c_int) -> io::Result<u32> {
    Ok(get::<c_int>(fd, libc::SOL_SOCKET, name)?.max(0) as u32)
}

/// `SO_REUSEPORT`: several sockets may bind one address and port (each set it before
/// binding), and the kernel spreads a TCP port's connections over their listeners.
pub(crate) fn set_reuseport(fd: RawFd, on: bool) -> io::Result<()> {
    set_flag(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT, on)
}

pub(crate) fn reuseport(fd: RawFd) -> io::Result<bool> {
    flag(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT)
}

/// `IP_MULTICAST_IF`, by the interface's address.
pub(crate) fn set_multicast_if_v4(fd: RawFd, interface: std::net::Ipv4Addr) -> io::Result<()> {
    let addr = libc::in_addr {
        s_addr: u32::from_ne_bytes(interface.octets()),
    };
    set(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_IF, addr)
}

/// `SO_LINGER`, in whole seconds (rounded up, as the kernel counts them).
pub(crate) fn set_linger(fd: RawFd, linger: Option<Duration>) -> io::Result<()> {
    let value = libc::linger {
        l_onoff: c_int::from(linger.is_some()),
        l_linger: linger.map_or(Ok(0), whole_seconds)?,
    };
    set(fd, libc::SOL_SOCKET, libc::SO_LINGER, value)
}

pub(crate) fn linger(fd: RawFd) -> io::Result<Option<Duration>> {
    let value: libc::linger = get(fd, libc::SOL_SOCKET, libc::SO_LINGER)?;
    Ok((value.l_onoff != 0).then(|| Duration::from_secs(value.l_linger.max(0) as u64)))
}

/// The keepalive idle time, if `SO_KEEPALIVE` is on.
pub(crate) fn keepalive(fd: RawFd) -> io::Result<Option<Duration>> {
    if !flag(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE)? {
        return Ok(None);
    }
    let idle = get::<c_int>(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE)?;
    Ok(Some(Duration::from_secs(idle.max(0) as u64)))
}

/// `d` in whole seconds, rounded up (a sub-second time becomes 1 s, not "off"); past
/// `c_int` is `InvalidInput`.
pub(crate) fn whole_seconds(d: Duration) -> io::Result<c_int> {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    c_int::try_from(secs)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "duration too long"))
}
