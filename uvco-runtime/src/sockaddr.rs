//! Conversions between libc socket addresses and `std::net::SocketAddr`.

use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::sys;

/// Storage big enough for any socket address, as libuv functions take it.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct RawSocketAddr {
    storage: sys::sockaddr_storage,
}

impl RawSocketAddr {
    /// The libc form of `addr`.
    pub fn new(addr: SocketAddr) -> RawSocketAddr {
        // SAFETY: all-zero bytes are a valid sockaddr_storage; the writes below fill in the
        // variant its family says, within the storage's size and alignment.
        unsafe {
            let mut raw: RawSocketAddr = mem::zeroed();
            match addr {
                SocketAddr::V4(v4) => {
                    let sin = (&raw mut raw.storage).cast::<sys::sockaddr_in>();
                    (*sin).sin_family = sys::AF_INET as sys::sa_family_t;
                    (*sin).sin_port = v4.port().to_be();
                    (*sin).sin_addr.s_addr = u32::from_ne_bytes(v4.ip().octets());
                }
                SocketAddr::V6(v6) => {
                    let sin6 = (&raw mut raw.storage).cast::<sys::sockaddr_in6>();
                    (*sin6).sin6_family = sys::AF_INET6 as sys::sa_family_t;
                    (*sin6).sin6_port = v6.port().to_be();
                    (*sin6).sin6_flowinfo = v6.flowinfo(); // as std: not byte-swapped
                    (*sin6).sin6_addr.__in6_u.__u6_addr8 = v6.ip().octets();
                    (*sin6).sin6_scope_id = v6.scope_id();
                }
            }
            raw
        }
    }

    /// A pointer to pass to libuv.
    pub fn as_ptr(&self) -> *const sys::sockaddr {
        (&raw const self.storage).cast()
    }

    /// A pointer libuv may write an address into.
    pub fn as_mut_ptr(&mut self) -> *mut sys::sockaddr {
        (&raw mut self.storage).cast()
    }

    /// An empty address, to be filled by libuv.
    pub fn zeroed() -> RawSocketAddr {
        // SAFETY: all-zero bytes are a valid sockaddr_storage (family AF_UNSPEC).
        unsafe { mem::zeroed() }
    }

    /// The size of the storage, for libuv's `namelen` arguments.
    pub fn capacity() -> usize {
        mem::size_of::<sys::sockaddr_storage>()
    }

    /// The std form, if this holds an IPv4 or IPv6 address.
    pub fn to_std(&self) -> Option<SocketAddr> {
        // SAFETY: the storage is large enough for either family.
        unsafe { to_std(self.as_ptr()) }
    }
}

/// Reads an IPv4 or IPv6 socket address.
///
/// # Safety
/// `addr` must be null or point to a socket address as large as its family says.
pub unsafe fn to_std(addr: *const sys::sockaddr) -> Option<SocketAddr> {
    if addr.is_null() {
        return None;
    }
    // SAFETY: per the contract, the family field is readable and the family tells the size.
    unsafe {
        match u32::from((*addr).sa_family) {
            sys::AF_INET => {
                let sin = &*addr.cast::<sys::sockaddr_in>();
                let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
                Some(SocketAddr::V4(SocketAddrV4::new(
                    ip,
                    u16::from_be(sin.sin_port),
                )))
            }
            sys::AF_INET6 => {
                let sin6 = &*addr.cast::<sys::sockaddr_in6>();
                let ip = Ipv6Addr::from(sin6.sin6_addr.__in6_u.__u6_addr8);
                Some(SocketAddr::V6(SocketAddrV6::new(
                    ip,
                    u16::from_be(sin6.sin6_port),
                    sin6.sin6_flowinfo,
                    sin6.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for addr in ["127.0.0.1:8080", "[::1]:443", "[fe80::1%3]:1", "0.0.0.0:0"] {
            let addr: SocketAddr = addr.parse().unwrap();
            assert_eq!(RawSocketAddr::new(addr).to_std(), Some(addr));
        }
        assert_eq!(RawSocketAddr::zeroed().to_std(), None);
    }
}
