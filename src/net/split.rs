//! Owned halves of a connected stream, for a reader task and a writer task.
//!
//! Both halves share the stream through an `Rc<RefCell<..>>`: the runtime is single-threaded,
//! and no borrow is held across an await (each poll borrows, polls and returns), so the two
//! halves never find the cell borrowed. Reads and writes wait on different wakers (the read
//! side's in the handle state, the write request's in its slot), so a reader waiting does not
//! keep the writer from being woken, or the other way round.

use std::cell::RefCell;
use std::future::poll_fn;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use super::stream::{Stream, UvStream};
use crate::buf::{BufResult, IoBuf};

/// A connected stream type that can be split into owned halves: `TcpStream`, `UnixStream`.
pub trait Split: sealed::Sealed + Sized {}

// The seal names crate-private types: users can name neither the trait nor its items.
#[allow(private_interfaces, private_bounds)]
pub(crate) mod sealed {
    use super::{Stream, UvStream};

    pub trait Sealed {
        type Handle: UvStream;
        fn into_stream(self) -> Stream<Self::Handle>;
        fn from_stream(stream: Stream<Self::Handle>) -> Self;
    }
}

type Shared<S> = Rc<RefCell<Stream<<S as sealed::Sealed>::Handle>>>;

/// The read half of a stream split by `into_split`; reads, peeks and waits for data.
///
/// ```
/// use uvco::net::{TcpListener, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let client = TcpStream::connect(listener.local_addr()?).await?;
///     let (server, _) = listener.accept().await?;
///
///     // An echo: one task reads, another writes, on the same connection.
///     let (mut rd, mut wr) = server.into_split();
///     uvco::spawn_local(async move {
///         let mut buf = [0u8; 64];
///         loop {
///             let n = rd.read(&mut buf).await.unwrap();
///             if n == 0 {
///                 break;
///             }
///             wr.write_all(&buf[..n]).await.unwrap();
///         }
///     })
///     .detach();
///
///     let (mut rd, mut wr) = client.into_split();
///     wr.write_all(b"ping").await?;
///     let mut got = [0u8; 4];
///     let mut n = 0;
///     while n < 4 {
///         n += rd.read(&mut got[n..]).await?;
///     }
///     assert_eq!(&got, b"ping");
///     // Both halves back together are the stream again.
///     let _client: TcpStream = rd.reunite(wr).unwrap();
///     Ok(())
/// }
/// ```
pub struct OwnedReadHalf<S: Split> {
    inner: Shared<S>,
}

/// The write half of a stream split by `into_split`.
///
/// Dropping it shuts down the write side (the peer reads EOF) once its writes are done, as
/// tokio's does, unless the read half is gone too (then the stream is closed).
pub struct OwnedWriteHalf<S: Split> {
    inner: Shared<S>,
    shutdown_on_drop: bool,
}

/// `reunite` was given halves of two different streams; they come back.
pub struct ReuniteError<S: Split>(pub OwnedReadHalf<S>, pub OwnedWriteHalf<S>);

impl<S: Split> std::fmt::Debug for ReuniteError<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReuniteError(..)")
    }
}

impl<S: Split> std::fmt::Display for ReuniteError<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the halves are not of the same stream")
    }
}

impl<S: Split> std::error::Error for ReuniteError<S> {}

/// Splits `stream` into its halves.
pub(crate) fn split<S: Split>(stream: S) -> (OwnedReadHalf<S>, OwnedWriteHalf<S>) {
    let inner = Rc::new(RefCell::new(stream.into_stream()));
    (
        OwnedReadHalf {
            inner: inner.clone(),
        },
        OwnedWriteHalf {
            inner,
            shutdown_on_drop: true,
        },
    )
}

impl<S: Split> OwnedReadHalf<S> {
    /// Reads into `buf`, waiting until at least one byte is available; 0 means end of stream.
    /// As the stream's `read`.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.inner.borrow_mut().poll_read(cx, buf)).await
    }

    /// Reads into the spare capacity of `buf` by ownership; as the stream's `read_owned`
    /// (libuv reads straight into it while it waits).
    pub async fn read_owned(&mut self, buf: Vec<u8>) -> BufResult<usize, Vec<u8>> {
        ReadOwnedHalf::<S> {
            inner: &self.inner,
            buf: Some(buf),
        }
        .await
    }

    /// Copies the next bytes into `buf` without consuming them, waiting until some arrive;
    /// 0 means end of stream.
    pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.inner.borrow_mut().poll_peek(cx, buf)).await
    }

    /// Reads what is available now, without waiting: [`io::ErrorKind::WouldBlock`] if
    /// nothing is.
    pub fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.borrow_mut().try_read(buf)
    }

    /// Waits until a read would not wait.
    pub async fn readable(&self) -> io::Result<()> {
        poll_fn(|cx| self.inner.borrow_mut().poll_readable(cx)).await
    }

    /// Puts the stream back together; `Err` if `write` is the half of another stream.
    pub fn reunite(self, write: OwnedWriteHalf<S>) -> Result<S, ReuniteError<S>> {
        reunite(self, write)
    }
}

impl<S: Split> OwnedWriteHalf<S> {
    /// Writes all of `buf`; as the stream's `write_all`.
    pub async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        poll_fn(|cx| self.inner.borrow_mut().poll_write_done(cx)).await?;
        self.inner.borrow_mut().start_write_all(buf)?;
        poll_fn(|cx| self.inner.borrow_mut().poll_write_done(cx)).await
    }

    /// Writes all of `buf` by ownership; as the stream's `write_all_owned`.
    pub async fn write_all_owned<B: IoBuf>(&mut self, buf: B) -> BufResult<(), B> {
        if let Err(err) = poll_fn(|cx| self.inner.borrow_mut().poll_write_done(cx)).await {
            return (Err(err), buf);
        }
        let started = self.inner.borrow_mut().start_owned(buf);
        started.finish().await
    }

    /// Writes what the kernel takes now, without waiting: [`io::ErrorKind::WouldBlock`] if it
    /// takes nothing, or an earlier write is still queued.
    pub fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.borrow_mut().try_write(buf)
    }

    /// Shuts down the write side once pending writes are done; as the stream's `shutdown`.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.inner.borrow_mut().poll_shutdown(cx)).await
    }

    /// Drops the half without shutting down the write side.
    pub fn forget(mut self) {
        self.shutdown_on_drop = false;
    }

    /// Puts the stream back together; `Err` if `read` is the half of another stream.
    pub fn reunite(self, read: OwnedReadHalf<S>) -> Result<S, ReuniteError<S>> {
        reunite(read, self)
    }
}

/// `OwnedReadHalf::read_owned`'s future: borrows the shared stream for each poll only.
struct ReadOwnedHalf<'a, S: Split> {
    inner: &'a Shared<S>,
    buf: Option<Vec<u8>>,
}

impl<S: Split> std::future::Future for ReadOwnedHalf<'_, S> {
    type Output = BufResult<usize, Vec<u8>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.inner.borrow().poll_read_owned(cx, &mut this.buf)
    }
}

impl<S: Split> Drop for ReadOwnedHalf<'_, S> {
    fn drop(&mut self) {
        if self.buf.is_none() {
            self.inner.borrow().reclaim_lent();
        }
    }
}

fn reunite<S: Split>(
    read: OwnedReadHalf<S>,
    mut write: OwnedWriteHalf<S>,
) -> Result<S, ReuniteError<S>> {
    if !Rc::ptr_eq(&read.inner, &write.inner) {
        return Err(ReuniteError(read, write));
    }
    write.shutdown_on_drop = false;
    drop(write);
    let cell = Rc::into_inner(read.inner).expect("the two halves were the only owners");
    Ok(S::from_stream(cell.into_inner()))
}

impl<S: Split> Drop for OwnedWriteHalf<S> {
    fn drop(&mut self) {
        // With the read half gone too, the stream closes (and the peer reads EOF) anyway.
        if self.shutdown_on_drop && Rc::strong_count(&self.inner) > 1 {
            self.inner.borrow_mut().shutdown_in_background();
        }
    }
}

impl<S: Split> futures_io::AsyncRead for OwnedReadHalf<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.borrow_mut().poll_read(cx, buf)
    }
}

impl<S: Split> futures_io::AsyncWrite for OwnedWriteHalf<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.borrow_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.inner.borrow_mut().poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.borrow_mut().poll_write_done(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut stream = self.inner.borrow_mut();
        ready!(stream.poll_shutdown(cx))?;
        Poll::Ready(Ok(()))
    }
}

impl<S: Split> std::fmt::Debug for OwnedReadHalf<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OwnedReadHalf").field(&self.inner).finish()
    }
}

impl<S: Split> std::fmt::Debug for OwnedWriteHalf<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OwnedWriteHalf").field(&self.inner).finish()
    }
}
