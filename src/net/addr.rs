//! [`ToSocketAddrs`]: what `connect` and `bind` accept, and how each form turns into socket
//! addresses (parsed on the spot, or looked up through [`dns::lookup`](crate::dns::lookup)).

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// Something that names one or more socket addresses, like [`std::net::ToSocketAddrs`]:
/// a [`SocketAddr`] (or `SocketAddrV4`/`SocketAddrV6`), an `(IpAddr, u16)` pair (or
/// `Ipv4Addr`/`Ipv6Addr`), a `(&str, u16)` or `(String, u16)` pair of host and port, a
/// `"host:port"` string (`&str` or `String`), a slice of `SocketAddr`s, or a reference to
/// any of these.
///
/// [`TcpStream::connect`](super::TcpStream::connect) and
/// [`UdpSocket::connect`](super::UdpSocket::connect) take it. A host that is not a numeric
/// address is resolved with uvco's own DNS ([`dns::lookup`](crate::dns::lookup),
/// `uv_getaddrinfo` on libuv's threadpool), so the loop never blocks on a resolver, and each
/// address is tried in turn.
///
/// Sealed: the forms are uvco's to define.
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
/// use uvco::net::{TcpListener, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
///     let port = listener.local_addr()?.port();
///     // Resolved through uv_getaddrinfo, then each address tried in turn.
///     let by_name = TcpStream::connect(("localhost", port)).await?;
///     assert!(by_name.peer_addr()?.ip().is_loopback());
///     let by_string = TcpStream::connect(format!("127.0.0.1:{port}")).await?;
///     assert_eq!(by_string.peer_addr()?, SocketAddr::from(([127, 0, 0, 1], port)));
///     Ok(())
/// }
/// ```
pub trait ToSocketAddrs: sealed::Target {}

pub(crate) mod sealed {
    use super::*;

    /// What a [`ToSocketAddrs`] value names, before any lookup.
    #[derive(Debug)]
    pub enum Named<'a> {
        One(SocketAddr),
        Many(&'a [SocketAddr]),
        /// A host that is not a numeric address, and a port.
        Host(&'a str, u16),
        /// A string that is no form of address (a missing or bad port).
        Invalid(&'static str),
    }

    pub trait Target {
        fn named(&self) -> Named<'_>;
    }
}

use sealed::{Named, Target};

impl<T: Target + ?Sized> Target for &T {
    fn named(&self) -> Named<'_> {
        (**self).named()
    }
}
impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}

macro_rules! one {
    ($($t:ty),*) => {$(
        impl Target for $t {
            fn named(&self) -> Named<'_> {
                Named::One(SocketAddr::from(*self))
            }
        }
        impl ToSocketAddrs for $t {}
    )*};
}
one!(
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    (IpAddr, u16),
    (Ipv4Addr, u16),
    (Ipv6Addr, u16)
);

impl Target for [SocketAddr] {
    fn named(&self) -> Named<'_> {
        Named::Many(self)
    }
}
impl ToSocketAddrs for [SocketAddr] {}

/// A host and a port: a numeric host needs no lookup.
fn host_port(host: &str, port: u16) -> Named<'_> {
    match host.parse::<IpAddr>() {
        Ok(ip) => Named::One(SocketAddr::new(ip, port)),
        Err(_) => Named::Host(host, port),
    }
}

impl Target for (&str, u16) {
    fn named(&self) -> Named<'_> {
        host_port(self.0, self.1)
    }
}
impl ToSocketAddrs for (&str, u16) {}

impl Target for (String, u16) {
    fn named(&self) -> Named<'_> {
        host_port(&self.0, self.1)
    }
}
impl ToSocketAddrs for (String, u16) {}

impl Target for str {
    /// `"ip:port"` or `"[ipv6]:port"` parse as they are; anything else is `"host:port"`.
    fn named(&self) -> Named<'_> {
        if let Ok(addr) = self.parse::<SocketAddr>() {
            return Named::One(addr);
        }
        let Some((host, port)) = self.rsplit_once(':') else {
            return Named::Invalid("invalid socket address: no port (expected host:port)");
        };
        match port.parse::<u16>() {
            Ok(port) => host_port(host, port),
            Err(_) => Named::Invalid("invalid socket address: bad port (expected host:port)"),
        }
    }
}
impl ToSocketAddrs for str {}

impl Target for String {
    fn named(&self) -> Named<'_> {
        self.as_str().named()
    }
}
impl ToSocketAddrs for String {}

fn invalid(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// The error for a list with no address in it (an empty slice, a name without records).
fn none_found() -> io::Error {
    invalid("could not resolve to any addresses")
}

/// Calls `attempt` on each address `target` names, in order, until one succeeds; the last
/// error if none does. Names are looked up first, through uvco's DNS.
pub(crate) async fn each_addr<T, F, Fut>(target: &impl Target, mut attempt: F) -> io::Result<T>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let looked_up;
    let addrs: &[SocketAddr] = match target.named() {
        // The common case goes straight through: no list, no allocation.
        Named::One(addr) => return attempt(addr).await,
        Named::Many(addrs) => addrs,
        Named::Host(host, port) => {
            looked_up = crate::dns::lookup(host, port).await?;
            &looked_up
        }
        Named::Invalid(msg) => return Err(invalid(msg)),
    };
    let mut last = None;
    for &addr in addrs {
        match attempt(addr).await {
            Ok(done) => return Ok(done),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(none_found))
}

/// As [`each_addr`] for a synchronous `attempt` (a `bind`), over the forms that need no
/// lookup. A host name is refused: resolving it would block the loop (`getaddrinfo` waits on
/// the network), and a `bind` that waited would no longer be the synchronous call std's is.
pub(crate) fn each_literal_addr<T>(
    target: &impl Target,
    mut attempt: impl FnMut(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let addrs: &[SocketAddr] = match target.named() {
        Named::One(addr) => return attempt(addr),
        Named::Many(addrs) => addrs,
        Named::Host(..) => {
            return Err(invalid(
                "a host name needs a DNS lookup, which bind does not do (it never waits on \
                 the loop): resolve it first with uvco::dns::lookup, or pass an IP address",
            ))
        }
        Named::Invalid(msg) => return Err(invalid(msg)),
    };
    let mut last = None;
    for &addr in addrs {
        match attempt(addr) {
            Ok(done) => return Ok(done),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(none_found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(t: &impl Target) -> String {
        format!("{:?}", t.named())
    }

    #[test]
    fn forms_parse_without_lookup_when_numeric() {
        let v4: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert_eq!(named(&"127.0.0.1:80"), format!("One({v4:?})"));
        assert_eq!(named(&("127.0.0.1", 80)), format!("One({v4:?})"));
        assert_eq!(named(&(Ipv4Addr::LOCALHOST, 80)), format!("One({v4:?})"));
        assert_eq!(named(&"[::1]:443".to_string()), "One([::1]:443)");
        assert_eq!(named(&("::1".to_string(), 443)), "One([::1]:443)");
        assert_eq!(named(&"localhost:80"), "Host(\"localhost\", 80)");
        assert_eq!(named(&("example.org", 1)), "Host(\"example.org\", 1)");
        assert!(named(&"localhost").starts_with("Invalid"));
        assert!(named(&"localhost:http").starts_with("Invalid"));
        assert!(named(&"localhost:65536").starts_with("Invalid"));
        let list = [v4, v4];
        assert!(named(&&list[..]).starts_with("Many"));
    }

    #[test]
    fn literal_forms_are_tried_in_turn_and_names_refused() {
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let mut tried = Vec::new();
        let got = each_literal_addr(&&[a, b][..], |addr| {
            tried.push(addr);
            if addr == a {
                Err(io::Error::from(io::ErrorKind::AddrInUse))
            } else {
                Ok(addr)
            }
        });
        assert_eq!((got.unwrap(), tried), (b, vec![a, b]));
        let last = each_literal_addr(&&[a, b][..], |addr| {
            Err::<(), _>(io::Error::other(addr.to_string()))
        });
        assert_eq!(last.unwrap_err().to_string(), "127.0.0.1:2");
        let none: &[SocketAddr] = &[];
        let err = each_literal_addr(&none, |_| Ok(())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        for named in ["localhost:0".to_string(), "example.org:80".to_string()] {
            let err = each_literal_addr(&named, |_| Ok(())).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
            assert!(err.to_string().contains("uvco::dns::lookup"), "{err}");
        }
        let err = each_literal_addr(&("localhost", 0), |_| Ok(())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
