//! Unix signals: [`ctrl_c`] and a stream of one signal ([`signal`]), on libuv signal handles
//! (`uv_signal_t`).
//!
//! libuv installs one process-wide handler per signal number and forwards each delivery,
//! through the loop's signal pipe, to every handle started for it on any loop: several
//! listeners for one signal each get it. Deliveries that arrive between two
//! [`recv`](Signal::recv)s are coalesced into one, as the kernel coalesces pending signals
//! anyway. The handler is installed when the listener is made (not on its first poll), so a
//! signal raised right after [`signal`] returns is not lost; once the last listener of a
//! signal is dropped, libuv restores the default disposition.
//!
//! ```
//! use uvco::signal::{signal, SignalKind};
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let mut usr1 = signal(SignalKind::user_defined1())?;
//!     // SAFETY: kill(2) on our own pid, with a signal that has a listener.
//!     unsafe { libc::kill(libc::getpid(), libc::SIGUSR1) };
//!     assert_eq!(usr1.recv().await, Some(()));
//!     Ok(())
//! }
//! ```

use std::cell::Cell;
use std::ffi::c_int;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::handle::{Handle, HandleState, UvHandle};
use crate::{current_loop, sys, UvError};

// SAFETY: uv_signal_t is a libuv handle struct.
unsafe impl UvHandle for sys::uv_signal_t {}

/// A signal number, with constructors for the usual ones (as `tokio::signal::unix::SignalKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignalKind(c_int);

impl SignalKind {
    /// Any signal number; [`signal`] refuses the ones that can't or mustn't be handled.
    pub const fn from_raw(signum: c_int) -> SignalKind {
        SignalKind(signum)
    }
    /// The signal number.
    pub const fn as_raw_value(self) -> c_int {
        self.0
    }
    /// `SIGINT`: Ctrl-C at a terminal.
    pub const fn interrupt() -> SignalKind {
        SignalKind(libc::SIGINT)
    }
    /// `SIGTERM`: the polite request to stop (`kill`'s default).
    pub const fn terminate() -> SignalKind {
        SignalKind(libc::SIGTERM)
    }
    /// `SIGHUP`: the terminal went away, or (by convention) reload the configuration.
    pub const fn hangup() -> SignalKind {
        SignalKind(libc::SIGHUP)
    }
    /// `SIGQUIT`.
    pub const fn quit() -> SignalKind {
        SignalKind(libc::SIGQUIT)
    }
    /// `SIGUSR1`.
    pub const fn user_defined1() -> SignalKind {
        SignalKind(libc::SIGUSR1)
    }
    /// `SIGUSR2`.
    pub const fn user_defined2() -> SignalKind {
        SignalKind(libc::SIGUSR2)
    }
    /// `SIGCHLD` (libuv also watches it to reap its child processes; both see it).
    pub const fn child() -> SignalKind {
        SignalKind(libc::SIGCHLD)
    }
    /// `SIGWINCH`: the terminal's size changed.
    pub const fn window_change() -> SignalKind {
        SignalKind(libc::SIGWINCH)
    }
    /// `SIGALRM`.
    pub const fn alarm() -> SignalKind {
        SignalKind(libc::SIGALRM)
    }
    /// `SIGPIPE`.
    pub const fn pipe() -> SignalKind {
        SignalKind(libc::SIGPIPE)
    }
}

impl From<c_int> for SignalKind {
    fn from(signum: c_int) -> SignalKind {
        SignalKind(signum)
    }
}

/// What the signal callback records for the listener.
#[derive(Default)]
struct SignalState {
    /// Deliveries since the last `recv`.
    pending: Cell<u64>,
    waker: Cell<Option<Waker>>,
}

impl HandleState for SignalState {
    fn runtime_closing(&self) {
        // `poll_recv` finds the handle closed: the stream ends.
        uvco_runtime::wake::wake(&self.waker);
    }
}

unsafe extern "C" fn on_signal(handle: *mut sys::uv_signal_t, _signum: c_int) {
    // SAFETY: libuv passes the handle of a live Signal block.
    let state = unsafe { Handle::<sys::uv_signal_t, SignalState>::state_of(handle) };
    state.pending.set(state.pending.get() + 1);
    uvco_runtime::wake::wake(&state.waker);
}

/// A listener for one signal, from [`signal`]; dropping it stops listening.
pub struct Signal {
    kind: SignalKind,
    handle: Handle<sys::uv_signal_t, SignalState>,
}

/// Listens for `kind` on the current runtime's loop, from now on.
///
/// # Errors
/// `InvalidInput` for a signal that can't be caught (`SIGKILL`, `SIGSTOP`) or that only a
/// fault raises (`SIGILL`, `SIGFPE`, `SIGSEGV`, `SIGBUS`: returning from their handler would
/// run the faulting instruction again), and for a number that is no signal.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use uvco::signal::{signal, SignalKind};
/// let err = signal(SignalKind::from_raw(libc::SIGKILL)).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
/// let mut hup = signal(SignalKind::hangup()).unwrap();
/// // SAFETY: kill(2) on our own pid, with a signal that has a listener.
/// unsafe { libc::kill(libc::getpid(), libc::SIGHUP) };
/// hup.recv().await;
/// # });
/// ```
///
/// # Panics
/// Outside a runtime.
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    const FORBIDDEN: [c_int; 6] = [
        libc::SIGKILL,
        libc::SIGSTOP,
        libc::SIGILL,
        libc::SIGFPE,
        libc::SIGSEGV,
        libc::SIGBUS,
    ];
    let signum = kind.0;
    if signum <= 0 || FORBIDDEN.contains(&signum) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("uvco::signal: signal {signum} can't be listened for"),
        ));
    }
    let loop_ = current_loop();
    // SAFETY: a valid loop, on its thread; the handle is initialised in place.
    let handle = Handle::new(SignalState::default(), |h| unsafe {
        sys::uv_signal_init(loop_, h)
    })?;
    // SAFETY: an initialised signal handle; the callback finds the state via the handle. On
    // an error the handle is closed by `handle`'s drop.
    UvError::check(unsafe { sys::uv_signal_start(handle.as_ptr(), Some(on_signal), signum) })
        .map_err(|err| {
            let err = io::Error::from(err);
            if err.raw_os_error() == Some(libc::EINVAL) || err.kind() == io::ErrorKind::InvalidInput
            {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("uvco::signal: {signum} is not a signal that can be listened for"),
                )
            } else {
                err
            }
        })?;
    Ok(Signal { kind, handle })
}

impl Signal {
    /// Waits for the signal: `Some(())` once it has arrived at least once since the last
    /// call, `None` once the runtime has shut down (it closed the handle).
    pub async fn recv(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the signal, as [`recv`](Signal::recv); registers `cx`'s waker when it has
    /// not arrived yet.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let state = self.handle.state();
        if state.pending.replace(0) > 0 {
            return Poll::Ready(Some(()));
        }
        // SAFETY: our own live handle's block.
        let link =
            unsafe { Handle::<sys::uv_signal_t, SignalState>::link_of(self.handle.as_ptr()) };
        if link.closed_by_runtime() {
            return Poll::Ready(None);
        }
        uvco_runtime::wake::register(&state.waker, cx);
        Poll::Pending
    }

    /// The signal listened for.
    pub fn kind(&self) -> SignalKind {
        self.kind
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal")
            .field("signum", &self.kind.0)
            .finish_non_exhaustive()
    }
}

/// Completes on the next `SIGINT` (Ctrl-C), from [`ctrl_c`].
#[must_use = "futures do nothing unless awaited"]
pub struct CtrlC {
    signal: Option<io::Result<Signal>>,
}

/// Waits for Ctrl-C (`SIGINT`). The listener starts when `ctrl_c` is called, so a `SIGINT`
/// raised after the call and before the first poll is seen. While it lives, `SIGINT` no
/// longer ends the process.
///
/// ```no_run
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     uvco::signal::ctrl_c().await?;
///     println!("shutting down");
///     Ok(())
/// }
/// ```
///
/// # Panics
/// Outside a runtime.
pub fn ctrl_c() -> CtrlC {
    CtrlC {
        signal: Some(signal(SignalKind::interrupt())),
    }
}

impl Future for CtrlC {
    type Output = io::Result<()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(Ok(signal)) = self.signal.as_mut() {
            return match signal.poll_recv(cx) {
                Poll::Ready(Some(())) => Poll::Ready(Ok(())),
                Poll::Ready(None) => Poll::Ready(Err(io::Error::other(
                    "uvco::signal::ctrl_c: the runtime shut down",
                ))),
                Poll::Pending => Poll::Pending,
            };
        }
        match self.signal.take() {
            Some(Err(err)) => Poll::Ready(Err(err)),
            _ => panic!("CtrlC polled after completion"),
        }
    }
}

impl fmt::Debug for CtrlC {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CtrlC").finish_non_exhaustive()
    }
}
