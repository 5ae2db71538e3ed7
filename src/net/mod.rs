//! Networking: TCP, UDP and Unix domain stream sockets on the current uvco runtime, with
//! std-like names.
//!
//! - [`TcpListener`] and [`TcpStream`] (`uv_tcp_t`), [`UnixListener`] and [`UnixStream`]
//!   (`uv_pipe_t`): the two stream types share one core. Reads go through a buffer owned by
//!   the stream, so they are cancel-safe; writes first try the kernel directly and copy only
//!   what it did not take into a request that owns the copy.
//! - [`UdpSocket`] (`uv_udp_t`).
//!
//! Everything is closed when dropped, and nothing is [`Send`]: a socket belongs to the
//! thread of the runtime that made it. Errors are [`std::io::Error`]s with the matching
//! [`ErrorKind`](std::io::ErrorKind); end of stream is a read of 0 bytes, not an error.
//!
//! ```
//! use uvco::net::{TcpListener, TcpStream};
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     // An echo server on a free port.
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let addr = listener.local_addr()?;
//!     uvco::spawn_local(async move {
//!         let (mut conn, _) = listener.accept().await?;
//!         let mut buf = [0u8; 1024];
//!         loop {
//!             let n = conn.read(&mut buf).await?;
//!             if n == 0 {
//!                 return conn.shutdown().await;
//!             }
//!             conn.write_all(&buf[..n]).await?;
//!         }
//!     });
//!
//!     let mut client = TcpStream::connect(addr).await?;
//!     client.write_all(b"hello, uvco").await?;
//!     client.shutdown().await?;
//!     let mut echoed = Vec::new();
//!     let mut buf = [0u8; 1024];
//!     loop {
//!         let n = client.read(&mut buf).await?;
//!         if n == 0 {
//!             break;
//!         }
//!         echoed.extend_from_slice(&buf[..n]);
//!     }
//!     assert_eq!(echoed, b"hello, uvco");
//!     Ok(())
//! }
//! ```

mod addr;
mod fd;
mod socket;
mod sockopt;
mod split;
pub(crate) mod stream;
mod tcp;
mod udp;
mod unix;

pub use addr::ToSocketAddrs;
pub use fd::IntoStdError;
pub use socket::TcpSocket;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReuniteError, Split};
pub use tcp::{TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixListener, UnixStream};
