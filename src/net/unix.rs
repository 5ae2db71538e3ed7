//! Unix domain stream sockets: [`UnixListener`] and [`UnixStream`], over libuv pipes
//! (`uv_pipe_t`).

use std::ffi::{c_char, c_int, c_uint, OsStr};
use std::future::Future;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::fd::{self, IntoStdError};
use super::split::{self, OwnedReadHalf, OwnedWriteHalf};
use super::stream::{AcceptWith, Listener, Stream};
use crate::buf::{BufResult, IoBuf};
use crate::path::with_c_path;
use crate::requests::UvPipeConnect2;
use crate::{current_loop, sys, UvError};

/// The backlog of pending connections a listener asks the kernel for.
const BACKLOG: c_int = 1024;

/// Makes libuv refuse (`EINVAL`) a path too long for `sun_path` instead of truncating it,
/// which would bind or connect to a different path.
const NO_TRUNCATE: c_uint = sys::UV_PIPE_NO_TRUNCATE as c_uint;

/// A Unix domain socket listening for connections, like
/// [`std::os::unix::net::UnixListener`]. Dropping it closes the socket (the socket file
/// stays; remove it yourself).
///
/// ```
/// use uvco::net::{UnixListener, UnixStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("uvco-doc-{}.sock", std::process::id()));
///     let _ = std::fs::remove_file(&path);
///     let listener = UnixListener::bind(&path)?;
///     let mut client = UnixStream::connect(&path).await?;
///     let mut server = listener.accept().await?;
///     client.write_all(b"hello").await?;
///     client.shutdown().await?;
///     let mut buf = [0u8; 16];
///     let mut got = 0;
///     loop {
///         let n = server.read(&mut buf[got..]).await?;
///         if n == 0 {
///             break;
///         }
///         got += n;
///     }
///     assert_eq!(&buf[..got], b"hello");
///     std::fs::remove_file(&path)
/// }
/// ```
///
/// Not [`Send`]: it belongs to the thread whose runtime (libuv loop) made it. Share it
/// among that thread's tasks ([`spawn_local`](crate::spawn_local), an `Rc`), not across
/// threads.
///
/// ```compile_fail,E0277
/// fn send<T: Send>(_: T) {}
/// fn check(s: uvco::net::UnixListener) {
///     send(s);
/// }
/// ```
#[derive(Debug)]
pub struct UnixListener {
    inner: Listener<sys::uv_pipe_t>,
}

/// Initialises a pipe handle on `loop_`: the current one, or a listener's (from its connection
/// callback, where no runtime need be current).
fn init(loop_: *mut sys::uv_loop_t, h: *mut sys::uv_pipe_t) -> c_int {
    // SAFETY: `h` is a zeroed uv_pipe_t at its final address; `loop_` is a live loop.
    unsafe { sys::uv_pipe_init(loop_, h, 0) }
}

/// How a listener accepts past libuv's one connection per loop turn.
static ACCEPT: AcceptWith<sys::uv_pipe_t> = AcceptWith {
    init,
    accept: |fd| {
        // SAFETY: `fd` is the listener's socket, borrowed for the call and never closed here.
        let listener =
            ManuallyDrop::new(unsafe { std::os::unix::net::UnixListener::from_raw_fd(fd) });
        listener.accept().map(|(stream, _)| stream.into())
    },
    open: |h, fd| {
        // SAFETY: the caller's contract: a fresh handle and a connected socket it may own.
        unsafe { sys::uv_pipe_open(h, fd) }
    },
};

impl UnixListener {
    /// Creates a socket file at `path` and listens on it (with a backlog of 1024). A NUL
    /// byte in `path`, or a path longer than the platform's `sun_path` (108 bytes on Linux),
    /// is an [`io::ErrorKind::InvalidInput`] error: the path is never truncated.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        let inner = Listener::new(&ACCEPT)?;
        // SAFETY: an initialised pipe handle; `c` is valid for `c.to_bytes().len()` bytes,
        // and libuv copies the name during the call. On an error, dropping `inner` closes the
        // handle.
        let ret = with_c_path(path.as_ref(), |c| unsafe {
            sys::uv_pipe_bind2(inner.as_ptr(), c.as_ptr(), c.to_bytes().len(), NO_TRUNCATE)
        })?;
        UvError::check(ret)?;
        inner.listen(BACKLOG)?;
        Ok(UnixListener { inner })
    }

    /// Waits for a connection. Cancel-safe: a connection is only taken off the queue when it
    /// is returned. Several tasks may wait at once (through an `Rc`, say); each connection
    /// goes to one of them.
    pub async fn accept(&self) -> io::Result<UnixStream> {
        let inner = self.inner.accept().await?;
        Ok(UnixStream { inner })
    }

    /// The path the listener is bound to.
    pub fn local_addr(&self) -> io::Result<PathBuf> {
        pipe_name(self.inner.as_ptr(), sys::uv_pipe_getsockname)
    }

    /// A listener on a socket made by std (bound, and listening or not), with a backlog of
    /// 1024. The socket is made non-blocking.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("uvco-doc3-{}.sock", std::process::id()));
    ///     let _ = std::fs::remove_file(&path);
    ///     let std_listener = std::os::unix::net::UnixListener::bind(&path)?;
    ///     let listener = uvco::net::UnixListener::from_std(std_listener)?;
    ///     let _client = uvco::net::UnixStream::connect(&path).await?;
    ///     let _conn = listener.accept().await?;
    ///     // And back: a blocking std listener on the same socket.
    ///     let listener = listener.into_std()?;
    ///     let _client = std::os::unix::net::UnixStream::connect(&path)?;
    ///     let _conn = listener.accept()?;
    ///     std::fs::remove_file(&path)
    /// }
    /// ```
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        let inner = Listener::new(&ACCEPT)?;
        open(inner.as_ptr(), listener.into())?;
        inner.listen(BACKLOG)?;
        Ok(UnixListener { inner })
    }

    /// The listening socket as a std listener, in blocking mode; this listener is closed.
    /// As [`TcpListener::into_std`](super::TcpListener::into_std): the socket keeps
    /// listening, and only connections uvco accepted ahead of `accept` are closed.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixListener> {
        let socket = fd::dup_for_std(self.inner.as_ptr())?;
        drop(self);
        Ok(socket.into())
    }
}

impl AsRawFd for UnixListener {
    /// The socket, or -1 if the runtime has closed it (shut down while this lived on).
    fn as_raw_fd(&self) -> RawFd {
        fd::raw_fd(self.inner.as_ptr())
    }
}

impl AsFd for UnixListener {
    /// # Panics
    /// If the runtime has closed the socket (shut down while this lived on).
    fn as_fd(&self) -> BorrowedFd<'_> {
        fd::borrow_fd(self.inner.as_ptr(), self)
    }
}

impl AsRawFd for UnixStream {
    /// The socket, or -1 if the runtime has closed it (shut down while this lived on).
    fn as_raw_fd(&self) -> RawFd {
        fd::raw_fd(self.inner.as_ptr())
    }
}

impl AsFd for UnixStream {
    /// # Panics
    /// If the runtime has closed the socket (shut down while this lived on).
    fn as_fd(&self) -> BorrowedFd<'_> {
        fd::borrow_fd(self.inner.as_ptr(), self)
    }
}

/// Gives `socket` to the pipe handle `h`, which closes it from now on.
fn open(h: *mut sys::uv_pipe_t, socket: OwnedFd) -> io::Result<()> {
    // SAFETY: a fresh, initialised pipe handle with no socket yet; on an error the socket
    // stays `socket`'s (libuv takes it only on success).
    UvError::check(unsafe { sys::uv_pipe_open(h, socket.as_raw_fd()) })?;
    let _ = socket.into_raw_fd();
    Ok(())
}

/// Reads a pipe's name with `uv_pipe_getsockname` or `uv_pipe_getpeername`.
fn pipe_name(
    h: *const sys::uv_pipe_t,
    f: unsafe extern "C" fn(*const sys::uv_pipe_t, *mut c_char, *mut usize) -> c_int,
) -> io::Result<PathBuf> {
    let mut buf = [0u8; 512];
    let mut len = buf.len();
    // SAFETY: a live pipe handle; `buf` has room for `len` bytes.
    UvError::check(unsafe { f(h, buf.as_mut_ptr().cast(), &mut len) })?;
    Ok(PathBuf::from(OsStr::from_bytes(&buf[..len.min(buf.len())])))
}

/// A connected Unix domain stream socket, like [`std::os::unix::net::UnixStream`]: the same
/// API and behaviour as [`TcpStream`](super::TcpStream) (cancel-safe reads, `write_all`,
/// `shutdown`, [`futures_io::AsyncRead`] and [`futures_io::AsyncWrite`]).
///
/// ```
/// use uvco::net::{UnixListener, UnixStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("uvco-doc2-{}.sock", std::process::id()));
///     let _ = std::fs::remove_file(&path);
///     let listener = UnixListener::bind(&path)?;
///     let mut client = UnixStream::connect(&path).await?;
///     let mut server = listener.accept().await?;
///     server.write_all(b"x").await?;
///     let mut byte = [0u8; 1];
///     assert_eq!(client.read(&mut byte).await?, 1);
///     assert_eq!(client.peer_addr()?, path);
///     std::fs::remove_file(&path)
/// }
/// ```
///
/// Not [`Send`]: it belongs to the thread whose runtime (libuv loop) made it. Share it
/// among that thread's tasks ([`spawn_local`](crate::spawn_local), an `Rc`), not across
/// threads.
///
/// ```compile_fail,E0277
/// fn send<T: Send>(_: T) {}
/// fn check(s: uvco::net::UnixStream) {
///     send(s);
/// }
/// ```
#[derive(Debug)]
pub struct UnixStream {
    inner: Stream<sys::uv_pipe_t>,
}

impl UnixStream {
    /// Connects to the socket at `path`. A NUL byte in `path`, or a path longer than the
    /// platform's `sun_path` (108 bytes on Linux), is an [`io::ErrorKind::InvalidInput`]
    /// error: the path is never truncated.
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub async fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        let handle = inner.as_ptr();
        let connect = with_c_path(path.as_ref(), |c| {
            // SAFETY: inside a runtime (`Stream::new` succeeded); libuv copies the name during
            // the call; the handle outlives the request, because closing it (if this future
            // is dropped) completes the request first.
            unsafe { UvPipeConnect2::new(handle, c.as_ptr(), c.to_bytes().len(), NO_TRUNCATE) }
        })?;
        connect.await?;
        Ok(UnixStream { inner })
    }

    /// Reads into `buf`, waiting until at least one byte is available; 0 means end of stream
    /// (or an empty `buf`). Cancel-safe.
    ///
    /// A read error (such as [`io::ErrorKind::ConnectionReset`]) is returned once; after it
    /// the read side is finished, and every later read returns 0 at once, as at end of
    /// stream. Bytes that arrived before the error are returned before it.
    pub fn read<'a>(
        &'a mut self,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + 'a {
        self.inner.read(buf)
    }

    /// Writes all of `buf`. What the kernel doesn't take at once is copied and written by a
    /// `uv_write` request; if this future is dropped, that request still completes in order.
    pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> impl Future<Output = io::Result<()>> + 'a {
        self.inner.write_all(buf)
    }

    /// Reads into the spare capacity of `buf` (appending to it) and hands it back with the
    /// number of bytes read; 0 means end of stream (or no spare capacity). While it waits, the
    /// stream holds the buffer and libuv reads into it directly: nothing is copied. If this
    /// future is dropped after bytes arrived, they are kept for the next read. Cancel-safe.
    pub async fn read_owned(&mut self, buf: Vec<u8>) -> BufResult<usize, Vec<u8>> {
        self.inner.read_owned(buf).await
    }

    /// Copies the next bytes into `buf` without consuming them, waiting until some arrive; 0
    /// means end of stream. The next read returns them again.
    pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        std::future::poll_fn(|cx| self.inner.poll_peek(cx, buf)).await
    }

    /// Reads what is buffered now, without waiting: [`io::ErrorKind::WouldBlock`] if nothing
    /// is (then what arrives next is buffered for the next try; [`readable`](UnixStream::readable)
    /// waits for it).
    pub fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.try_read(buf)
    }

    /// Waits until a read would not wait (bytes buffered, end of stream, or an error).
    pub async fn readable(&mut self) -> io::Result<()> {
        std::future::poll_fn(|cx| self.inner.poll_readable(cx)).await
    }

    /// Writes what the kernel takes of `buf` now, copying nothing and never waiting:
    /// [`io::ErrorKind::WouldBlock`] if it takes nothing, or an earlier write is still going.
    pub fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.try_write(buf)
    }

    /// Splits the stream into a read half and a write half that can move to different tasks
    /// (see [`OwnedReadHalf`](crate::net::OwnedReadHalf)); `reunite` puts them back together.
    pub fn into_split(self) -> (OwnedReadHalf<UnixStream>, OwnedWriteHalf<UnixStream>) {
        split::split(self)
    }

    /// Writes all of `buf`, moving it into the write request instead of copying what the
    /// kernel does not take at once, and hands it back with the result (see [`crate::buf`]).
    /// If this future is dropped, the write still completes in order and the runtime drops
    /// the buffer afterwards; its error, if any, is then lost.
    pub async fn write_all_owned<B: IoBuf>(&mut self, buf: B) -> BufResult<(), B> {
        self.inner.write_all_owned(buf).await
    }

    /// Writes all of `bufs`, in order, in one `uv_write` (one `writev` as far as the kernel
    /// takes them), moving them into the request; they come back with the result. As
    /// [`write_all_owned`](UnixStream::write_all_owned) otherwise.
    pub async fn write_vectored_all_owned<B: IoBuf>(
        &mut self,
        bufs: Vec<B>,
    ) -> BufResult<(), Vec<B>> {
        self.inner.write_vectored_all_owned(bufs).await
    }

    /// Shuts down the write side, once pending writes are done; the peer reads EOF.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.inner.shutdown().await
    }

    /// The path of the socket this stream is connected to (empty if it is unnamed).
    pub fn peer_addr(&self) -> io::Result<PathBuf> {
        pipe_name(self.inner.as_ptr(), sys::uv_pipe_getpeername)
    }

    /// The path of this end (usually empty: connecting sockets are unnamed).
    pub fn local_addr(&self) -> io::Result<PathBuf> {
        pipe_name(self.inner.as_ptr(), sys::uv_pipe_getsockname)
    }

    /// A stream on a connected socket made by std (`UnixStream::pair()`, say). The socket
    /// is made non-blocking.
    ///
    /// ```
    /// #[uvco::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (a, b) = std::os::unix::net::UnixStream::pair()?;
    ///     let mut a = uvco::net::UnixStream::from_std(a)?;
    ///     let mut b = uvco::net::UnixStream::from_std(b)?;
    ///     a.write_all(b"over a pair").await?;
    ///     let mut buf = [0u8; 11];
    ///     let mut got = 0;
    ///     while got < buf.len() {
    ///         got += b.read(&mut buf[got..]).await?;
    ///     }
    ///     assert_eq!(&buf, b"over a pair");
    ///     // And back: blocking std streams on the same connection.
    ///     let mut a = a.into_std()?;
    ///     std::io::Write::write_all(&mut a, b"!")?;
    ///     let mut b = b.into_std()?;
    ///     let mut one = [0u8; 1];
    ///     std::io::Read::read_exact(&mut b, &mut one)?;
    ///     assert_eq!(&one, b"!");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    /// If called outside a uvco runtime.
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        let inner = Stream::new(|h| init(current_loop(), h))?;
        open(inner.as_ptr(), stream.into())?;
        Ok(UnixStream { inner })
    }

    /// The connection as a std stream, in blocking mode; this stream is closed. As
    /// [`TcpStream::into_std`](super::TcpStream::into_std): bytes that arrived but were not
    /// read yet are lost, and it is refused while a write is in flight.
    pub fn into_std(self) -> Result<std::os::unix::net::UnixStream, IntoStdError<UnixStream>> {
        // SAFETY: a live stream handle.
        if unsafe { sys::uv_stream_get_write_queue_size(self.inner.as_ptr().cast()) } > 0 {
            return Err(IntoStdError::in_flight(self, fd::WRITE_IN_FLIGHT));
        }
        match fd::dup_for_std(self.inner.as_ptr()) {
            Ok(socket) => Ok(socket.into()),
            Err(err) => Err(IntoStdError::new(self, err)),
        }
    }
}

impl futures_io::AsyncRead for UnixStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_read(cx, buf)
    }
}

impl futures_io::AsyncWrite for UnixStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_write(cx, buf)
    }

    /// Writes what the kernel takes of `bufs` now, in one `writev`; as `poll_write` otherwise.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.poll_write_done(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.poll_shutdown(cx)
    }
}

// hyper's I/O traits (the `hyper` feature) live in src/hyper/; they need the private `inner`.
#[cfg(feature = "hyper")]
#[path = "../hyper/unix.rs"]
mod hyper_io;

impl split::Split for UnixStream {}

#[allow(private_interfaces)]
impl split::sealed::Sealed for UnixStream {
    type Handle = sys::uv_pipe_t;
    fn into_stream(self) -> Stream<sys::uv_pipe_t> {
        self.inner
    }
    fn from_stream(inner: Stream<sys::uv_pipe_t>) -> Self {
        UnixStream { inner }
    }
}
