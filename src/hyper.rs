//! [hyper] 1 on uvco (the `hyper` feature): [`TcpStream`](crate::net::TcpStream) and
//! [`UnixStream`](crate::net::UnixStream) implement [`hyper::rt::Read`] and
//! [`hyper::rt::Write`], so they go straight into `hyper::server::conn::http1` or
//! `hyper::client::conn::http1`; [`LocalExec`] is hyper's [`Executor`] for
//! [`spawn_local`](crate::spawn_local).
//!
//! The traits are the streams' own poll methods, with no adapter in between:
//! - reads copy from the stream's read buffer straight into hyper's (uninitialised) buffer;
//! - writes are vectored ([`is_write_vectored`](hyper::rt::Write::is_write_vectored) is true),
//!   so hyper hands over a response's head and body as they are instead of first copying
//!   them into one buffer: one `writev` of all of them, and of what the kernel did not take
//!   at most 64 KiB is copied into a write request (hyper offers the rest again later), so
//!   a large body costs no more memory than that per connection;
//! - flush waits for the stream's outstanding write request; shutdown is `uv_shutdown`,
//!   and `Ok` when the peer has already reset the connection, as with tokio.
//!
//! The feature brings only `hyper::rt`; the protocol and role (`http1`, `server`, `client`)
//! are chosen by the program's own `hyper` dependency. hyper's `Timer` is not provided: its
//! sleeps must be `Send`, and uvco's timers belong to their loop's thread. So timeouts such
//! as http1's `header_read_timeout` stay off (as they are without a timer); a server that
//! needs one races the connection against [`uvco::time::sleep`](crate::time::sleep).
//!
//! A server and a client in one program:
//!
//! ```
//! use std::convert::Infallible;
//! use std::net::SocketAddr;
//!
//! use http_body_util::{BodyExt, Empty, Full};
//! use hyper::body::{Bytes, Incoming};
//! use hyper::{Request, Response};
//! use uvco::net::{TcpListener, TcpStream};
//!
//! async fn hello(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
//!     let text = format!("hello {}", req.uri().path());
//!     Ok(Response::new(Full::new(Bytes::from(text))))
//! }
//!
//! #[uvco::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
//!     let addr = listener.local_addr()?;
//!     let server = uvco::spawn_local(async move {
//!         let (conn, _peer) = listener.accept().await?;
//!         hyper::server::conn::http1::Builder::new()
//!             .serve_connection(conn, hyper::service::service_fn(hello))
//!             .await
//!             .map_err(std::io::Error::other)
//!     });
//!
//!     let stream = TcpStream::connect(addr).await?;
//!     let (mut sender, conn) = hyper::client::conn::http1::handshake(stream).await?;
//!     let client = uvco::spawn_local(conn);
//!     let request = Request::get("/uvco")
//!         .header("host", "localhost")
//!         .body(Empty::<Bytes>::new())?;
//!     let response = sender.send_request(request).await?;
//!     assert_eq!(response.status(), 200);
//!     let body = response.into_body().collect().await?.to_bytes();
//!     assert_eq!(body, "hello /uvco");
//!
//!     // Dropping the sender ends the client's connection; the server then sees EOF.
//!     drop(sender);
//!     client.await??;
//!     server.await??;
//!     Ok(())
//! }
//! ```

use std::future::Future;

use ::hyper::rt::Executor;

/// hyper's [`Executor`] for tasks on the current uvco runtime: each future hyper hands over
/// (an HTTP/2 stream, a client connection's background task) becomes a detached
/// [`spawn_local`](crate::spawn_local) task. The futures need not be `Send`.
///
/// # Panics
/// [`execute`](Executor::execute) panics if called outside a uvco runtime, as
/// [`spawn_local`](crate::spawn_local) does.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// use hyper::rt::Executor;
/// use uvco::hyper::LocalExec;
///
/// #[uvco::main]
/// async fn main() {
///     let ran = Rc::new(Cell::new(false)); // not Send, and need not be
///     let flag = ran.clone();
///     LocalExec.execute(async move { flag.set(true) });
///     uvco::time::sleep(std::time::Duration::from_millis(1)).await;
///     assert!(ran.get());
/// }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalExec;

impl<F> Executor<F> for LocalExec
where
    F: Future + 'static,
{
    fn execute(&self, future: F) {
        crate::spawn_local(future).detach();
    }
}

/// Implements `hyper::rt::Read` and `hyper::rt::Write` for a stream type whose `inner`
/// field is a `Stream<H>` (`crate::net::stream`). A macro rather than generic code because
/// the stream core is private to `crate::net`: it is invoked from a child module of the
/// stream type's own module (see `hyper/tcp.rs`), where the field is visible.
macro_rules! impl_rt_io {
    ($stream:ty) => {
        impl ::hyper::rt::Read for $stream {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                mut buf: ::hyper::rt::ReadBufCursor<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                // SAFETY: `poll_read_uninit` only writes into the slice (it never
                // de-initialises bytes), and `advance` below is told only of those it filled.
                let unfilled = unsafe { buf.as_mut() };
                let n = ::std::task::ready!(self.get_mut().inner.poll_read_uninit(cx, unfilled))?;
                // SAFETY: the first `n` bytes of the unfilled part were just filled.
                unsafe { buf.advance(n) };
                ::std::task::Poll::Ready(Ok(()))
            }
        }

        impl ::hyper::rt::Write for $stream {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.get_mut().inner.poll_write(cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.get_mut().inner.poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                self.get_mut().inner.poll_write_done(cx)
            }

            fn poll_shutdown(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                self.get_mut().inner.poll_shutdown(cx)
            }
        }
    };
}
pub(crate) use impl_rt_io;
