//! Name resolution on libuv's threadpool: [`lookup`] (`uv_getaddrinfo`) and [`lookup_addr`]
//! (`uv_getnameinfo`).
//!
//! ```
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let addrs = uvco::dns::lookup("localhost", 8080).await?;
//!     assert!(addrs.iter().all(|a| a.port() == 8080 && a.ip().is_loopback()));
//!     let name = uvco::dns::lookup_addr("127.0.0.1".parse().unwrap()).await?;
//!     assert!(!name.is_empty());
//!     Ok(())
//! }
//! ```

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use uvco_runtime::sockaddr::RawSocketAddr;

use crate::path::with_c_path;
use crate::requests::{UvGetaddrinfo, UvGetnameinfo};
use crate::sys;

/// Resolves `host` (a name or a numeric address) to its socket addresses, in resolver
/// order, each with port `port`. Only stream-socket (TCP) results are asked for, so each
/// address appears once.
///
/// An unknown host is an error ([`io::ErrorKind::NotFound`] when the resolver says so); a
/// NUL byte in `host` is an [`io::ErrorKind::InvalidInput`] error. Dropping the future
/// cancels the lookup if it hasn't started on the threadpool.
///
/// # Panics
/// If called outside a uvco runtime.
pub async fn lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    // SAFETY: all-zero bytes are a valid addrinfo (no flags, null pointers).
    let mut hints: sys::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = sys::AF_UNSPEC as _;
    hints.ai_socktype = sys::SOCK_STREAM as _;
    let hints = &hints;
    // The host goes through the path helper for its NUL check and stack buffer.
    let request = with_c_path(Path::new(host), |node| {
        // SAFETY: libuv copies `node` and `hints` before returning; no service. Generated
        // futures need a current runtime, as documented.
        unsafe { UvGetaddrinfo::new(node.as_ptr(), std::ptr::null(), hints) }
    })
    .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "host name contains a NUL byte"))?;
    let list = request.await?;
    Ok(list
        .iter()
        .map(|mut addr| {
            addr.set_port(port);
            addr
        })
        .collect())
}

/// Finds the host name of `addr` (reverse lookup). If it has none, the result is the
/// numeric form of the address.
///
/// # Panics
/// If called outside a uvco runtime.
pub async fn lookup_addr(addr: IpAddr) -> io::Result<String> {
    let raw = RawSocketAddr::new(SocketAddr::new(addr, 0));
    // SAFETY: libuv copies the address before returning. Generated futures need a current
    // runtime, as documented.
    let info = unsafe { UvGetnameinfo::new(raw.as_ptr(), 0) }.await?;
    Ok(info.host)
}
