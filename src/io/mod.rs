//! The process's standard streams on the loop: [`stdin`], [`stdout`] and [`stderr`].
//!
//! What fd 0, 1 or 2 is decides how it is driven (`uv_guess_handle`): a terminal is a
//! `uv_tty_t` ([`set_mode`](Stdin::set_mode) for raw input, [`window_size`](Stdout::window_size)),
//! a pipe or a stream socket a `uv_pipe_t`, both read and written through the same stream
//! core as [`crate::net`]'s sockets; a regular file (or `/dev/null`, which libuv can't poll
//! either) is read and written with positional `uv_fs_read`/`uv_fs_write` requests on the
//! threadpool, keeping the file position shared with the process's fd in step. Each type
//! implements `futures_io::AsyncRead` or `AsyncWrite`, and has `async` methods of its own.
//!
//! **The process keeps its fds.** libuv's tty and pipe handles own the fd they are opened
//! on and close it, so uvco never gives them 0, 1 or 2: a terminal is reopened (libuv's
//! `uv_tty_init` does it, through the tty's name), a pipe is reopened through
//! `/proc/self/fd/N` where the system allows it, and otherwise a `dup` is used. Dropping
//! every `Stdout` leaves fd 1 open and usable by `println!`. A reopened terminal or pipe
//! gets an open file description of its own, so making it non-blocking (which libuv needs)
//! does not change the process's fd, nor the other processes sharing it; only a socket
//! can't be reopened, and its shared description is non-blocking while a handle lives (and
//! made blocking again, if it was, after the last one on any thread is gone).
//!
//! **One handle per stream and thread.** All the `Stdout` values of a runtime share one
//! libuv handle (made on the first [`stdout`] call, closed when the last value is dropped;
//! calling `stdout` again makes a new one), and so do `Stdin`s and `Stderr`s. A message,
//! that is one [`write_all`](Stdout::write_all) or one `poll_write`, is written whole
//! before the next message on that thread starts: libuv's write queue orders them, and a
//! file gets a range of its own for each. (Messages from other threads, each with its own
//! runtime, interleave as whole `write(2)` calls, which for a pipe are only atomic up to
//! `PIPE_BUF` bytes.) Several tasks may read stdin at once: each read gets the next bytes.
//!
//! **Terminal modes.** [`set_mode`](Stdin::set_mode) with [`TtyMode::Raw`] saves the
//! terminal's settings first; the normal mode is restored when the last handle on that
//! stream is dropped, and [`reset_mode`] restores it at any time (before exiting, say).
//!
//! ```no_run
//! use uvco::io::{stdin, stdout};
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let mut input = stdin()?;
//!     let out = stdout()?;
//!     let mut buf = [0u8; 1024];
//!     loop {
//!         let n = input.read(&mut buf).await?;
//!         if n == 0 {
//!             return Ok(()); // end of input
//!         }
//!         out.write_all(&buf[..n]).await?; // cat
//!     }
//! }
//! ```

mod file;

use std::cell::{Cell, RefCell};
use std::ffi::c_int;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll, Wake, Waker};

use self::file::{FileIo, FileWrite};
use crate::buf::{BufResult, IoBuf};
use crate::handle::{set_before_runtime_close, BeforeRuntimeClose, Handle, UvHandle};
use crate::net::stream::{OwnedStart, OwnedWrite, Stream, StreamState, UvStream};
use crate::requests::UvWrite;
use crate::{current_loop, sys, Keep, UvError};

// SAFETY: uv_tty_t is a libuv handle struct.
unsafe impl UvHandle for sys::uv_tty_t {}
// SAFETY: uv_tty_t starts with the uv_stream_t fields.
unsafe impl UvStream for sys::uv_tty_t {}

/// What a standard stream is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StdioKind {
    /// A terminal (`uv_tty_t`).
    Terminal,
    /// A pipe or a stream socket (`uv_pipe_t`).
    Pipe,
    /// A regular file or another file libuv can't poll, such as `/dev/null` (threadpool
    /// requests).
    File,
}

/// A terminal's input mode, for [`Stdin::set_mode`] (`uv_tty_mode_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TtyMode {
    /// Line-buffered, echoed input, as the terminal was (`UV_TTY_MODE_NORMAL`).
    Normal,
    /// Every key as it is typed, unechoed, no signals from Ctrl-C (`UV_TTY_MODE_RAW`).
    Raw,
    /// Binary-safe I/O for talking to a child over a pty (`UV_TTY_MODE_IO`).
    Io,
}

impl TtyMode {
    fn raw(self) -> sys::uv_tty_mode_t {
        match self {
            TtyMode::Normal => sys::uv_tty_mode_t_UV_TTY_MODE_NORMAL,
            TtyMode::Raw => sys::uv_tty_mode_t_UV_TTY_MODE_RAW,
            TtyMode::Io => sys::uv_tty_mode_t_UV_TTY_MODE_IO,
        }
    }
}

/// The stream's handle and how it is driven.
enum Backend {
    Tty(RefCell<Stream<sys::uv_tty_t>>),
    Pipe(RefCell<Stream<sys::uv_pipe_t>>),
    File(FileIo),
}

/// Wakes every task waiting to read a shared stdin: the stream core keeps one reader's
/// waker, and this is it, so that no waiting reader is left asleep while another reads.
struct Fanout {
    wakers: Mutex<Vec<Waker>>,
}

impl Fanout {
    fn register(&self, cx: &Context<'_>) {
        let mut list = self.wakers.lock().unwrap_or_else(|p| p.into_inner());
        if !list.iter().any(|w| w.will_wake(cx.waker())) {
            list.push(cx.waker().clone());
        }
    }
}

impl Wake for Fanout {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut list = std::mem::take(&mut *self.wakers.lock().unwrap_or_else(|p| p.into_inner()));
        for waker in list.drain(..) {
            waker.wake();
        }
        // Keep the list's memory, unless someone registered meanwhile.
        let mut now = self.wakers.lock().unwrap_or_else(|p| p.into_inner());
        if now.is_empty() {
            *now = list;
        }
    }
}

/// One standard stream's handle on one runtime, shared by all its values there.
struct Shared {
    /// 0, 1 or 2: the process's fd (never closed by uvco).
    fd: RawFd,
    loop_: *mut sys::uv_loop_t,
    backend: Backend,
    fanout: Arc<Fanout>,
    waker: Waker,
    /// The terminal's settings before the first non-normal mode, and the mode now.
    saved: Cell<Option<libc::termios>>,
    mode: Cell<TtyMode>,
    /// A socket's shared description was made non-blocking for this handle.
    nonblock_shared: bool,
}

/// Handles on each fd's shared, non-blocking description (a socket's), on any thread, and
/// whether that description was blocking before the first.
static NONBLOCK_USERS: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];
static WAS_BLOCKING: [AtomicBool; 3] = [const { AtomicBool::new(false) }; 3];

/// The terminal settings [`reset_mode`] restores: the fd, and the settings before uvco
/// first changed its mode.
static SAVED_TERMIOS: Mutex<Option<(RawFd, libc::termios)>> = Mutex::new(None);

thread_local! {
    static SHARED: RefCell<[Weak<Shared>; 3]> = const { RefCell::new([Weak::new(), Weak::new(), Weak::new()]) };
}

fn not_a_terminal() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, "uvco::io: not a terminal")
}

/// `fd` duplicated, close-on-exec, above the standard three.
fn dup(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) on any fd number; a new fd is ours alone.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// A new open file description of the pipe `fd` (a FIFO), through `/proc/self/fd`, for
/// reading (`fd` 0) or writing; `None` when it isn't a FIFO or the system refuses.
fn reopen_fifo(fd: RawFd) -> Option<OwnedFd> {
    // SAFETY: fstat into a zeroed stat buffer.
    let is_fifo = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFIFO
    };
    if !is_fifo {
        return None;
    }
    let path = format!("/proc/self/fd/{fd}\0");
    let access = if fd == 0 {
        libc::O_RDONLY
    } else {
        libc::O_WRONLY
    };
    // SAFETY: a NUL-terminated path; O_NONBLOCK so that opening a FIFO never waits for
    // the other end. A new fd is ours alone.
    let new = unsafe {
        libc::open(
            path.as_ptr().cast(),
            access | libc::O_NONBLOCK | libc::O_CLOEXEC,
        )
    };
    if new < 3 {
        if new >= 0 {
            // Only if 0, 1 or 2 was closed: don't take the slot over.
            // SAFETY: our own fresh fd.
            unsafe { libc::close(new) };
        }
        return None;
    }
    // SAFETY: a fresh fd that nothing else owns.
    Some(unsafe { OwnedFd::from_raw_fd(new) })
}

impl Shared {
    /// The current runtime's handle on `fd`, made unless a live one exists.
    fn get(fd: RawFd) -> io::Result<Rc<Shared>> {
        let loop_ = current_loop();
        let live = SHARED.with(|s| s.borrow()[fd as usize].upgrade());
        if let Some(shared) = live {
            if shared.loop_ == loop_ && !shared.closed() {
                return Ok(shared);
            }
        }
        let shared = Rc::new(Shared::open(fd, loop_)?);
        SHARED.with(|s| s.borrow_mut()[fd as usize] = Rc::downgrade(&shared));
        Ok(shared)
    }

    fn open(fd: RawFd, loop_: *mut sys::uv_loop_t) -> io::Result<Shared> {
        let ours = dup(fd)?;
        let raw = ours.as_raw_fd();
        let mut nonblock_shared = false;
        // SAFETY: any fd number may be asked about.
        let backend = match unsafe { sys::uv_guess_handle(raw) } {
            sys::uv_handle_type_UV_TTY => {
                // SAFETY: a valid loop on its thread; the handle is initialised in place.
                // libuv reopens the terminal by name and dup2()s the new fd over `raw`
                // (which we still own and close below), or, when it can't, takes `raw`.
                let stream = Stream::new(|h| unsafe { sys::uv_tty_init(loop_, h, raw, 0) })?;
                let mut used: sys::uv_os_fd_t = -1;
                // SAFETY: a live handle; libuv writes its fd into `used`.
                unsafe { sys::uv_fileno(stream.as_ptr().cast(), &mut used) };
                if used == raw {
                    // The handle owns it now, and closes it.
                    std::mem::forget(ours);
                } else {
                    drop(ours);
                }
                // SAFETY: the stream's live handle, of a `Handle<uv_tty_t, StreamState>`
                // block just made (and registered) in the current runtime.
                unsafe {
                    set_before_runtime_close::<sys::uv_tty_t, StreamState, NormalMode>(
                        stream.as_ptr(),
                    )
                };
                Backend::Tty(RefCell::new(stream))
            }
            sys::uv_handle_type_UV_NAMED_PIPE | sys::uv_handle_type_UV_TCP => {
                let pipe_fd = match reopen_fifo(fd) {
                    Some(new) => {
                        drop(ours);
                        new
                    }
                    None => {
                        nonblock_shared = true;
                        ours
                    }
                };
                if nonblock_shared
                    && NONBLOCK_USERS[fd as usize].fetch_add(1, Ordering::AcqRel) == 0
                {
                    // SAFETY: fcntl(F_GETFL) on an open fd.
                    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
                    WAS_BLOCKING[fd as usize].store(
                        flags >= 0 && flags & libc::O_NONBLOCK == 0,
                        Ordering::Release,
                    );
                }
                let opened = (|| {
                    // SAFETY: a valid loop on its thread; the handle is initialised in place.
                    let stream = Stream::new(|h| unsafe { sys::uv_pipe_init(loop_, h, 0) })?;
                    // SAFETY: an initialised pipe handle and an open fd that we own; on
                    // success the handle owns it (and closes it).
                    UvError::check(unsafe {
                        sys::uv_pipe_open(stream.as_ptr(), pipe_fd.as_raw_fd())
                    })?;
                    std::mem::forget(pipe_fd);
                    io::Result::Ok(stream)
                })();
                match opened {
                    Ok(stream) => Backend::Pipe(RefCell::new(stream)),
                    Err(err) => {
                        if nonblock_shared {
                            release_nonblock(fd);
                        }
                        return Err(err);
                    }
                }
            }
            sys::uv_handle_type_UV_FILE => Backend::File(FileIo::new(ours)),
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!("uvco::io: fd {fd} is not a terminal, pipe, stream socket or file"),
                ))
            }
        };
        let fanout = Arc::new(Fanout {
            wakers: Mutex::new(Vec::new()),
        });
        Ok(Shared {
            fd,
            loop_,
            backend,
            waker: Waker::from(Arc::clone(&fanout)),
            fanout,
            saved: Cell::new(None),
            mode: Cell::new(TtyMode::Normal),
            nonblock_shared,
        })
    }

    /// The runtime closed the handle (it shut down while values lived).
    fn closed(&self) -> bool {
        // SAFETY: the stream's own live handle, of a `Handle<H, StreamState>` block.
        unsafe {
            match &self.backend {
                Backend::Tty(s) => {
                    Handle::<sys::uv_tty_t, StreamState>::link_of(s.borrow().as_ptr())
                        .closed_by_runtime()
                }
                Backend::Pipe(s) => {
                    Handle::<sys::uv_pipe_t, StreamState>::link_of(s.borrow().as_ptr())
                        .closed_by_runtime()
                }
                Backend::File(_) => false,
            }
        }
    }

    fn kind(&self) -> StdioKind {
        match self.backend {
            Backend::Tty(_) => StdioKind::Terminal,
            Backend::Pipe(_) => StdioKind::Pipe,
            Backend::File(_) => StdioKind::File,
        }
    }

    fn tty(&self) -> io::Result<*mut sys::uv_tty_t> {
        match &self.backend {
            Backend::Tty(s) if !self.closed() => Ok(s.borrow().as_ptr()),
            Backend::Tty(_) => Err(UvError::EBADF.into()),
            _ => Err(not_a_terminal()),
        }
    }

    fn set_mode(&self, mode: TtyMode) -> io::Result<()> {
        let tty = self.tty()?;
        if mode != TtyMode::Normal && self.saved.get().is_none() {
            // SAFETY: tcgetattr into a zeroed termios, on the process's own fd.
            let saved = unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(self.fd, &mut t) != 0 {
                    return Err(io::Error::last_os_error());
                }
                t
            };
            self.saved.set(Some(saved));
            let mut global = SAVED_TERMIOS.lock().unwrap_or_else(|p| p.into_inner());
            global.get_or_insert((self.fd, saved));
        }
        // SAFETY: a live tty handle.
        UvError::check(unsafe { sys::uv_tty_set_mode(tty, mode.raw()) })?;
        self.mode.set(mode);
        Ok(())
    }

    fn window_size(&self) -> io::Result<(u16, u16)> {
        let tty = self.tty()?;
        let (mut cols, mut rows) = (0, 0);
        // SAFETY: a live tty handle; libuv writes both out-parameters.
        UvError::check(unsafe { sys::uv_tty_get_winsize(tty, &mut cols, &mut rows) })?;
        Ok((
            cols.clamp(0, u16::MAX as c_int) as u16,
            rows.clamp(0, u16::MAX as c_int) as u16,
        ))
    }

    /// Reads into `out`, waking every waiting reader when bytes arrive.
    fn poll_read(
        &self,
        cx: &mut Context<'_>,
        out: &mut [MaybeUninit<u8>],
    ) -> Poll<io::Result<usize>> {
        self.fanout.register(cx);
        let mut inner = Context::from_waker(&self.waker);
        match &self.backend {
            Backend::Tty(s) => s.borrow_mut().poll_read_uninit(&mut inner, out),
            Backend::Pipe(s) => s.borrow_mut().poll_read_uninit(&mut inner, out),
            Backend::File(f) => f.poll_read(&mut inner, out),
        }
    }

    /// Starts writing `data` as one message.
    fn start_write(&self, data: &[u8], spare: &mut Vec<u8>) -> io::Result<Option<Pending>> {
        match &self.backend {
            Backend::Tty(s) => Ok(start_message(s, data)?.map(Pending::Stream)),
            Backend::Pipe(s) => Ok(start_message(s, data)?.map(Pending::Stream)),
            Backend::File(f) => {
                if data.is_empty() {
                    return Ok(None);
                }
                let mut buf = std::mem::take(spare);
                buf.clear();
                buf.extend_from_slice(data);
                Ok(Some(Pending::File(f.start_write(buf))))
            }
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        if self.mode.get() != TtyMode::Normal {
            match self.tty() {
                // SAFETY: a live tty handle; libuv restores the settings it saved.
                Ok(tty) => unsafe {
                    sys::uv_tty_set_mode(tty, sys::uv_tty_mode_t_UV_TTY_MODE_NORMAL);
                },
                Err(_) => {
                    if let Some(saved) = self.saved.get() {
                        // SAFETY: tcsetattr on the process's own fd, with settings that
                        // tcgetattr returned.
                        unsafe { libc::tcsetattr(self.fd, libc::TCSANOW, &saved) };
                    }
                }
            }
        }
        if self.nonblock_shared {
            // The handle (and its fd) close when `backend` drops, right after this; libuv
            // does no I/O in between.
            release_nonblock(self.fd);
        }
    }
}

/// Puts a terminal in raw mode back into normal mode when the runtime shuts down while the
/// handle's owners live on (they restore it when dropped, too).
struct NormalMode;

impl BeforeRuntimeClose for NormalMode {
    unsafe fn before_close(handle: *mut sys::uv_handle_t) {
        let tty = handle.cast::<sys::uv_tty_t>();
        // SAFETY: per the contract, the open tty handle of a standard stream; libuv restores
        // the settings it saved when it left the normal mode.
        unsafe {
            if (*tty).mode != sys::uv_tty_mode_t_UV_TTY_MODE_NORMAL as c_int {
                sys::uv_tty_set_mode(tty, sys::uv_tty_mode_t_UV_TTY_MODE_NORMAL);
            }
        }
    }
}

/// The last handle on `fd`'s shared description is going: make it blocking again if it was.
fn release_nonblock(fd: RawFd) {
    if NONBLOCK_USERS[fd as usize].fetch_sub(1, Ordering::AcqRel) == 1
        && WAS_BLOCKING[fd as usize].load(Ordering::Acquire)
    {
        // SAFETY: fcntl on the process's fd; only O_NONBLOCK changes.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
}

type StreamWrite = UvWrite<Keep<OwnedWrite<Vec<u8>, sys::uv_buf_t>>>;

/// A message written to a stream: what the kernel takes now, and the rest copied into one
/// write request (queued in order behind the stream's earlier ones).
fn start_message<H: UvStream>(
    stream: &RefCell<Stream<H>>,
    data: &[u8],
) -> io::Result<Option<StreamWrite>> {
    let mut stream = stream.borrow_mut();
    let n = match stream.try_write(data) {
        Ok(n) => n,
        Err(err) if err.kind() == io::ErrorKind::WouldBlock => 0,
        Err(err) => return Err(err),
    };
    if n == data.len() {
        return Ok(None);
    }
    match stream.start_owned(data[n..].to_vec()) {
        OwnedStart::Done((result, _)) => result.map(|()| None),
        OwnedStart::Pending(op) => Ok(Some(op)),
    }
}

/// A message in flight, started by `poll_write`.
enum Pending {
    Stream(StreamWrite),
    File(FileWrite),
}

/// Restores the terminal settings from before uvco first put a standard stream into a
/// non-normal [`TtyMode`]; `Ok` when it never did. For a program about to exit while a
/// handle in raw mode may still be alive (the last handle's drop restores them too).
///
/// ```
/// uvco::io::reset_mode().unwrap();
/// ```
pub fn reset_mode() -> io::Result<()> {
    let saved = *SAVED_TERMIOS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((fd, termios)) = saved {
        // SAFETY: tcsetattr on the process's own fd with settings tcgetattr returned.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &termios) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

macro_rules! common {
    ($name:ident) => {
        impl $name {
            /// What the stream is connected to.
            pub fn kind(&self) -> StdioKind {
                self.shared.kind()
            }

            /// Whether the stream is a terminal.
            pub fn is_terminal(&self) -> bool {
                self.kind() == StdioKind::Terminal
            }

            /// Sets the terminal's mode (`uv_tty_set_mode`); the settings from before are
            /// restored when the last handle on this stream is dropped, or by
            /// [`reset_mode`].
            ///
            /// # Errors
            /// `Unsupported` when the stream is not a terminal.
            pub fn set_mode(&self, mode: TtyMode) -> io::Result<()> {
                self.shared.set_mode(mode)
            }

            /// The terminal's size, `(columns, rows)` (`uv_tty_get_winsize`).
            ///
            /// # Errors
            /// `Unsupported` when the stream is not a terminal.
            pub fn window_size(&self) -> io::Result<(u16, u16)> {
                self.shared.window_size()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("fd", &self.shared.fd)
                    .field("kind", &self.kind())
                    .finish_non_exhaustive()
            }
        }
    };
}

/// The process's standard input on the current runtime, from [`stdin`]:
/// `futures_io::AsyncRead`. Clones share the handle and what it has read ahead.
///
/// A pipe or terminal is read ahead into the handle's buffer (up to 64 KiB) while a read
/// waits or the buffer has room, and a file in chunks of 64 KiB: bytes read ahead and not
/// yet consumed are gone once the last `Stdin` of the runtime is dropped. A program that
/// reads stdin in several places keeps one `Stdin` (or clones of it) rather than calling
/// [`stdin`] again.
#[derive(Clone)]
pub struct Stdin {
    shared: Rc<Shared>,
}

/// The process's standard input, on the current runtime's loop (see the [module](self)).
///
/// # Errors
/// `EBADF` when fd 0 is closed; `Unsupported` when it is a datagram socket or something
/// else that can't be read as a stream or a file.
///
/// # Panics
/// Outside a runtime.
pub fn stdin() -> io::Result<Stdin> {
    Ok(Stdin {
        shared: Shared::get(0)?,
    })
}

common!(Stdin);

impl Stdin {
    /// Reads what is there, waiting for at least one byte; `Ok(0)` at the end of input.
    /// Cancel-safe: bytes that arrived stay for the next read.
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: only initialised bytes are written through the view.
        let out = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
        poll_fn(|cx| self.shared.poll_read(cx, out)).await
    }

    /// Reads into the spare capacity of `buf` (appending) and hands it back with the number
    /// of bytes read; 0 at the end of input (or when `buf` has no spare capacity).
    ///
    /// ```no_run
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let mut stdin = uvco::io::stdin()?;
    /// let (n, line) = stdin.read_owned(Vec::with_capacity(4096)).await;
    /// println!("{} bytes: {:?}", n?, String::from_utf8_lossy(&line));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn read_owned(&mut self, mut buf: Vec<u8>) -> BufResult<usize, Vec<u8>> {
        let res = poll_fn(|cx| self.shared.poll_read(cx, buf.spare_capacity_mut())).await;
        match res {
            Ok(n) => {
                // SAFETY: `n` bytes of the spare capacity were just written.
                unsafe { buf.set_len(buf.len() + n) };
                (Ok(n), buf)
            }
            Err(err) => (Err(err), buf),
        }
    }

    /// Reads to the end of input, appending to `into`; returns how many bytes were read.
    pub async fn read_to_end(&mut self, into: &mut Vec<u8>) -> io::Result<usize> {
        let start = into.len();
        loop {
            if into.capacity() - into.len() < 4096 {
                into.reserve(16 * 1024);
            }
            let spare = into.spare_capacity_mut();
            let n = poll_fn(|cx| self.shared.poll_read(cx, spare)).await?;
            if n == 0 {
                return Ok(into.len() - start);
            }
            // SAFETY: `n` bytes of the spare capacity were just written.
            unsafe { into.set_len(into.len() + n) };
        }
    }
}

impl futures_io::AsyncRead for Stdin {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        // SAFETY: only initialised bytes are written through the view.
        let out = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
        self.shared.poll_read(cx, out)
    }
}

macro_rules! writer {
    ($(#[$doc:meta])* $name:ident, $ctor:ident, $fd:literal, $what:literal) => {
        $(#[$doc])*
        pub struct $name {
            shared: Rc<Shared>,
            /// The message `poll_write` started last, until it is written.
            pending: Option<Pending>,
            /// A file message's buffer, for the next.
            spare: Vec<u8>,
        }

        #[doc = concat!("The process's ", $what, ", on the current runtime's loop (see the [module](self)).")]
        ///
        /// # Errors
        #[doc = concat!("`EBADF` when fd ", $fd, " is closed; `Unsupported` when it is a datagram socket or")]
        /// something else that can't be written as a stream or a file.
        ///
        /// # Panics
        /// Outside a runtime.
        pub fn $ctor() -> io::Result<$name> {
            Ok($name {
                shared: Shared::get($fd)?,
                pending: None,
                spare: Vec::new(),
            })
        }

        common!($name);

        impl Clone for $name {
            /// Another value on the same handle (messages of both are ordered as one).
            fn clone(&self) -> $name {
                $name {
                    shared: Rc::clone(&self.shared),
                    pending: None,
                    spare: Vec::new(),
                }
            }
        }

        impl $name {
            /// Writes all of `data` as one message: no other message on this thread's
            /// handle starts inside it. What the kernel doesn't take at once is copied and
            /// queued; a dropped `write_all` still writes its whole message (a detached
            /// task finishes it, holding the handle open until then).
            pub async fn write_all(&self, data: &[u8]) -> io::Result<()> {
                let mut spare = Vec::new();
                let mut started = InFlight {
                    shared: &self.shared,
                    pending: self.shared.start_write(data, &mut spare)?,
                };
                poll_fn(|cx| started.poll(cx)).await.map(drop)
            }

            /// Writes all of `buf` as one message, moving it (rather than a copy) into the
            /// write request when the kernel doesn't take it at once; it comes back with the
            /// result. (A file copies it: its request runs on the threadpool.) Unlike
            /// [`write_all`](Self::write_all)'s, a dropped `write_all_owned`'s message is
            /// cancelled whole if it waits behind another write (once it is being written,
            /// it is finished), and the buffer is dropped when libuv is done with it.
            pub async fn write_all_owned<B: IoBuf>(&self, buf: B) -> BufResult<(), B> {
                match &self.shared.backend {
                    Backend::Tty(s) => {
                        let start = s.borrow_mut().start_owned(buf);
                        start.finish().await
                    }
                    Backend::Pipe(s) => {
                        let start = s.borrow_mut().start_owned(buf);
                        start.finish().await
                    }
                    Backend::File(_) => {
                        let res = self.write_all(buf.as_bytes()).await;
                        (res, buf)
                    }
                }
            }

            /// Waits until the messages of `poll_write` on this value are written.
            pub async fn flush(&mut self) -> io::Result<()> {
                poll_fn(|cx| self.poll_done(cx)).await
            }

            fn poll_done(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                let Some(pending) = self.pending.as_mut() else {
                    return Poll::Ready(Ok(()));
                };
                let res = ready!(poll_pending(&self.shared, pending, cx));
                self.pending = None;
                Poll::Ready(res.map(|buf| {
                    if buf.capacity() <= 64 * 1024 {
                        self.spare = buf;
                    }
                }))
            }
        }

        impl Drop for $name {
            /// A message `poll_write` started and nobody flushed is still written (by a
            /// detached task).
            fn drop(&mut self) {
                drop(InFlight {
                    shared: &self.shared,
                    pending: self.pending.take(),
                });
            }
        }

        impl futures_io::AsyncWrite for $name {
            /// Starts writing all of `buf` as one message, after the previous one is written,
            /// and reports it all taken; an error of the message shows in the next
            /// `poll_write` or `poll_flush`.
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                let this = self.get_mut();
                ready!(this.poll_done(cx))?;
                this.pending = this.shared.start_write(buf, &mut this.spare)?;
                Poll::Ready(Ok(buf.len()))
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().poll_done(cx)
            }

            /// Flushes; the stream itself stays open (it is the process's).
            fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().poll_done(cx)
            }
        }
    };
}

/// A started message, finished by a detached task if it is dropped first: a message is
/// written whole whatever happens to the future or value that started it (and the handle
/// stays open until then), unless the runtime shuts down.
struct InFlight<'a> {
    shared: &'a Rc<Shared>,
    pending: Option<Pending>,
}

impl InFlight<'_> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Vec<u8>>> {
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(Ok(Vec::new()));
        };
        let res = ready!(poll_pending(self.shared, pending, cx));
        self.pending = None;
        Poll::Ready(res)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let Some(mut pending) = self.pending.take() else {
            return;
        };
        if crate::try_current_loop().is_none() {
            return; // no runtime to finish it on: the request is orphaned
        }
        let shared = Rc::clone(self.shared);
        crate::spawn_local(async move {
            let _ = poll_fn(|cx| poll_pending(&shared, &mut pending, cx)).await;
        })
        .detach();
    }
}

/// Completes a message; a file's buffer comes back for reuse.
fn poll_pending(
    shared: &Shared,
    pending: &mut Pending,
    cx: &mut Context<'_>,
) -> Poll<io::Result<Vec<u8>>> {
    match pending {
        Pending::Stream(op) => {
            let (res, _) = ready!(Pin::new(op).poll(cx));
            Poll::Ready(res.map(|()| Vec::new()).map_err(io::Error::from))
        }
        Pending::File(write) => match &shared.backend {
            Backend::File(f) => write.poll(f, cx),
            _ => unreachable!("a file write on a file stream"),
        },
    }
}

macro_rules! raw_fd {
    ($name:ident) => {
        impl AsRawFd for $name {
            /// The process's fd (uvco's handle has one of its own).
            fn as_raw_fd(&self) -> RawFd {
                self.shared.fd
            }
        }
    };
}

raw_fd!(Stdin);
raw_fd!(Stdout);
raw_fd!(Stderr);

writer!(
    /// The process's standard output on the current runtime, from [`stdout`]:
    /// `futures_io::AsyncWrite`, and message-at-a-time [`write_all`](Stdout::write_all).
    /// Clones share the handle.
    ///
    /// Bytes are handed to the kernel as they are written, with no buffering of uvco's. A
    /// message that was started is written whole even if the future or the value that
    /// started it is dropped first (a detached task finishes it, and holds the handle open
    /// till then); only a runtime shutting down cancels what is still queued.
    ///
    /// ```
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let out = uvco::io::stdout()?;
    /// out.write_all(b"hello from uvco\n").await?;
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    Stdout,
    stdout,
    1,
    "standard output"
);

writer!(
    /// The process's standard error on the current runtime, from [`stderr`]: as
    /// [`Stdout`].
    Stderr,
    stderr,
    2,
    "standard error"
);
