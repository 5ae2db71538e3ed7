//! The socket under a libuv handle: its fd for `AsRawFd`/`AsFd` and socket options, and what
//! `from_std`/`into_std` share.

use std::error::Error;
use std::fmt;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::{AsFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use crate::handle::UvHandle;
use crate::{sys, UvError};

/// The socket of handle `h` (`uv_fileno`). `EBADF` once the handle is closed (by its
/// runtime's shutdown) or before it has a socket.
pub(crate) fn fileno<H: UvHandle>(h: *mut H) -> io::Result<RawFd> {
    let mut fd: sys::uv_os_fd_t = -1;
    // SAFETY: `h` is a live handle (the caller's, whose block outlives the call); `fd` is an
    // out-parameter.
    UvError::check(unsafe { sys::uv_fileno(h.cast::<sys::uv_handle_t>(), &mut fd) })?;
    Ok(fd)
}

/// The fd for `AsRawFd`: -1 (which every system call refuses with `EBADF`) when the handle has
/// none, so that no other file's number is handed out.
pub(crate) fn raw_fd<H: UvHandle>(h: *mut H) -> RawFd {
    fileno(h).unwrap_or(-1)
}

/// The fd for `AsFd`, borrowed for as long as the owner of `h`.
///
/// # Panics
/// If the handle has no socket any more: its runtime was shut down (and closed it) while the
/// owner lived on. A `BorrowedFd` cannot be -1, and handing out a closed fd's number could
/// name a file opened since.
pub(crate) fn borrow_fd<'a, H: UvHandle>(h: *mut H, _owner: &'a impl Sized) -> BorrowedFd<'a> {
    match fileno(h) {
        // SAFETY: the handle keeps the fd open until it is closed, which only its owner's drop
        // (or a runtime shutdown, which makes `fileno` fail) does; the owner is borrowed for 'a.
        Ok(fd) => unsafe { BorrowedFd::borrow_raw(fd) },
        Err(err) => {
            panic!("uvco: this socket has no fd: its runtime shut down and closed it ({err})")
        }
    }
}

/// Runs `f` on a std socket of type `S` that borrows `fd`: std's socket options, without
/// owning (and closing) the fd.
pub(crate) fn with_std<S: FromRawFd, R>(
    fd: RawFd,
    f: impl FnOnce(&S) -> io::Result<R>,
) -> io::Result<R> {
    // SAFETY: `fd` is an open socket of the kind `S` wraps, owned by a libuv handle that
    // outlives this call; ManuallyDrop keeps `S` from closing it.
    let socket = ManuallyDrop::new(unsafe { S::from_raw_fd(fd) });
    f(&socket)
}

/// A copy of the socket of handle `h` for `into_std`, in blocking mode as std makes sockets
/// (libuv made it non-blocking; the mode belongs to the socket, so the copy shares it). The
/// handle can then be closed and the socket lives on in the copy.
pub(crate) fn dup_for_std<H: UvHandle>(h: *mut H) -> io::Result<OwnedFd> {
    let fd = fileno(h)?;
    // SAFETY: `fd` is the handle's open socket, and the handle lives until after this call.
    let copy = unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned()?;
    set_blocking(copy.as_fd())?;
    Ok(copy)
}

fn set_blocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: F_GETFL and F_SETFL on an open fd read and write its status flags only.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// `into_std` refused, because data the socket has taken is still on its way out: closing the
/// libuv handle now would drop it, and the std socket would go on with a hole in the stream.
/// Holds the socket, unchanged, for the caller to flush (or wait on) and try again.
///
/// Its error is of kind [`io::ErrorKind::WouldBlock`] (or, rarely, the `dup` that failed). It
/// converts into that [`io::Error`] (the socket is then closed), so `?` works in functions
/// that return `io::Result`.
///
/// ```
/// use futures_io::AsyncWrite;
/// use std::future::poll_fn;
/// use std::pin::Pin;
/// use uvco::net::{TcpListener, TcpStream};
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
///     let _server = listener.accept().await?;
///     // More than the kernel's buffers take: the rest waits in a write request.
///     let big = vec![7u8; 64 << 20];
///     poll_fn(|cx| Pin::new(&mut client).poll_write(cx, &big)).await?;
///     let err = client.into_std().unwrap_err();
///     assert_eq!(err.error().kind(), std::io::ErrorKind::WouldBlock);
///     let _client: TcpStream = err.into_inner(); // flush it, then try again
///     Ok(())
/// }
/// ```
pub struct IntoStdError<T> {
    socket: T,
    error: io::Error,
}

impl<T> IntoStdError<T> {
    pub(crate) fn in_flight(socket: T, what: &'static str) -> IntoStdError<T> {
        IntoStdError::new(socket, io::Error::new(io::ErrorKind::WouldBlock, what))
    }

    pub(crate) fn new(socket: T, error: io::Error) -> IntoStdError<T> {
        IntoStdError { socket, error }
    }

    /// Why it was refused.
    pub fn error(&self) -> &io::Error {
        &self.error
    }

    /// The socket, as it was.
    pub fn into_inner(self) -> T {
        self.socket
    }
}

impl<T> From<IntoStdError<T>> for io::Error {
    fn from(err: IntoStdError<T>) -> io::Error {
        err.error
    }
}

impl<T> fmt::Debug for IntoStdError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoStdError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for IntoStdError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<T> Error for IntoStdError<T> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

/// The message of a stream's refused `into_std`.
pub(crate) const WRITE_IN_FLIGHT: &str =
    "a write is still in flight: flush the stream (AsyncWrite::poll_flush) before into_std";
