//! Time: [`sleep`], [`timeout`] and [`interval`], on libuv timers.
//!
//! Timers use the loop's clock (`uv_now`, milliseconds, updated once per loop iteration), so
//! their resolution is one millisecond. A [`sleep`] (and so a [`timeout`]) is also checked
//! against `std::time::Instant` when its timer fires, and never ends before its duration has
//! passed by that clock.
//!
//! ```
//! use std::time::Duration;
//!
//! #[uvco::main]
//! async fn main() {
//!     uvco::time::sleep(Duration::from_millis(5)).await;
//!     let slow = uvco::time::sleep(Duration::from_secs(60));
//!     let res = uvco::time::timeout(Duration::from_millis(5), slow).await;
//!     assert!(res.is_err()); // the sleep was dropped, and its timer closed
//! }
//! ```

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::handle::Handle;
use crate::{current_loop, sys, UvError};

/// What a timer's callback records for the task awaiting it.
#[derive(Default)]
struct TimerState {
    /// Expirations not yet consumed.
    fired: Cell<u64>,
    waker: Cell<Option<Waker>>,
}

unsafe extern "C" fn on_timer(handle: *mut sys::uv_timer_t) {
    // SAFETY: libuv passes the handle of a live Timer block.
    let state = unsafe { Handle::<sys::uv_timer_t, TimerState>::state_of(handle) };
    state.fired.set(state.fired.get() + 1);
    uvco_runtime::wake::wake(&state.waker);
}

/// A started libuv timer.
struct Timer {
    handle: Handle<sys::uv_timer_t, TimerState>,
}

impl Timer {
    /// Starts a timer on the current loop: first after `after`, then every `repeat` (0: once).
    fn start(after: Duration, repeat: Duration) -> io::Result<Timer> {
        let loop_ = current_loop();
        // libuv times timers from the loop's cached clock, taken when the loop last woke:
        // after CPU work in this iteration, it is stale and the timer would fire early.
        // Refreshing it reads the clock (vDSO), no syscall.
        // SAFETY: a valid loop, on its thread.
        unsafe { sys::uv_update_time(loop_) };
        // SAFETY: a valid loop; the handle is initialised in place.
        let handle = Handle::new(TimerState::default(), |h| unsafe {
            sys::uv_timer_init(loop_, h)
        })?;
        // SAFETY: an initialised timer handle; the callback finds the state via the handle.
        UvError::check(unsafe {
            sys::uv_timer_start(
                handle.as_ptr(),
                Some(on_timer),
                millis(after),
                millis(repeat),
            )
        })?;
        Ok(Timer { handle })
    }

    /// Starts the timer again, once, `after` from now.
    fn restart(&self, after: Duration) -> io::Result<()> {
        // SAFETY: an initialised timer handle on the current loop; refreshing its clock
        // first for the reason given in `start`.
        UvError::check(unsafe {
            sys::uv_update_time((*self.handle.as_ptr()).loop_);
            sys::uv_timer_start(self.handle.as_ptr(), Some(on_timer), millis(after), 0)
        })?;
        Ok(())
    }

    /// Consumes one expiration, or registers the waker.
    fn poll_fired(&self, cx: &mut Context<'_>) -> Poll<()> {
        let state = self.handle.state();
        if state.fired.get() > 0 {
            state.fired.set(state.fired.get() - 1);
            return Poll::Ready(());
        }
        uvco_runtime::wake::register(&state.waker, cx);
        Poll::Pending
    }
}

/// Rounds up, so that a timer never fires early.
fn millis(d: Duration) -> u64 {
    let ms = d.as_millis();
    let ms = if Duration::from_millis(ms as u64) < d {
        ms + 1
    } else {
        ms
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// A future that completes after a duration; from [`sleep`].
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    duration: Duration,
    /// When the sleep ends, per `Instant`; set on the first poll (with the timer).
    deadline: Option<Instant>,
    timer: Option<io::Result<Timer>>,
}

/// Waits for `duration`. The timer starts on the first poll, and is closed when the future is
/// dropped.
///
/// # Panics
/// On the first poll, outside a runtime.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let start = std::time::Instant::now();
/// uvco::time::sleep(std::time::Duration::from_millis(10)).await;
/// assert!(start.elapsed() >= std::time::Duration::from_millis(10));
/// # });
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        deadline: None,
        timer: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let duration = this.duration;
        if this.timer.is_none() {
            // `None` for a duration past the end of time, whose timer never fires anyway.
            this.deadline = Instant::now().checked_add(duration);
        }
        let deadline = this.deadline;
        let timer = this
            .timer
            .get_or_insert_with(|| Timer::start(duration, Duration::ZERO));
        let Ok(timer) = timer else {
            // Starting a timer on a valid loop does not fail; if it ever does, don't hang.
            return Poll::Ready(());
        };
        loop {
            ready!(timer.poll_fired(cx));
            // libuv's clock is whole milliseconds, truncated, and may be the kernel's coarse
            // clock, a tick behind: a timer can fire up to about 2 ms before `duration` has
            // passed by `Instant`. Then it waits again for what is left.
            let now = Instant::now();
            let Some(deadline) = deadline.filter(|&deadline| now < deadline) else {
                return Poll::Ready(());
            };
            if timer.restart(deadline - now).is_err() {
                return Poll::Ready(());
            }
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("duration", &self.duration)
            .finish_non_exhaustive()
    }
}

/// The error of a [`timeout`] that expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(_: Elapsed) -> io::Error {
        io::ErrorKind::TimedOut.into()
    }
}

/// A future with a deadline; from [`timeout`].
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: F,
    sleep: Sleep,
}

/// Runs `future` for at most `duration` (the clock starts at the first poll; it panics there
/// outside a runtime). If the time runs out first, the future is dropped
/// (any libuv request it had in flight is cancelled, and its memory stays with the runtime
/// until libuv is done with it) and the result is `Err(Elapsed)`.
///
/// ```
/// use std::time::Duration;
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let quick = uvco::time::timeout(Duration::from_secs(5), async { 7 }).await;
/// assert_eq!(quick, Ok(7));
/// # });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future,
        sleep: sleep(duration),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned (never moved out of the pinned Timeout);
        // `sleep` is Unpin and not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        if let Poll::Ready(out) = unsafe { Pin::new_unchecked(&mut this.future) }.poll(cx) {
            return Poll::Ready(Ok(out));
        }
        Pin::new(&mut this.sleep)
            .poll(cx)
            .map(|()| Err(Elapsed(())))
    }
}

/// Ticks every `period`, from [`interval`].
pub struct Interval {
    period: Duration,
    timer: Option<Timer>,
}

/// A ticker whose first [`tick`](Interval::tick) completes at once and each next one a
/// `period` later, on a libuv repeating timer. libuv re-arms the timer from the time it fires,
/// so a loop that was busy for several periods delivers one late tick, not a burst, and the
/// schedule shifts by the delay (tokio calls this `MissedTickBehavior::Delay`).
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let mut every = uvco::time::interval(std::time::Duration::from_millis(2));
/// for _ in 0..3 {
///     every.tick().await;
/// }
/// # });
/// ```
///
/// # Panics
/// If `period` is zero; on the first tick, outside a runtime.
pub fn interval(period: Duration) -> Interval {
    assert!(
        !period.is_zero(),
        "uvco::time::interval: the period must be non-zero"
    );
    Interval {
        period,
        timer: None,
    }
}

impl Interval {
    /// Waits for the next tick.
    pub async fn tick(&mut self) {
        std::future::poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next tick.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        match &self.timer {
            None => {
                // The first tick is now; the timer delivers the following ones.
                if let Ok(timer) = Timer::start(self.period, self.period) {
                    self.timer = Some(timer);
                }
                Poll::Ready(())
            }
            Some(timer) => timer.poll_fired(cx),
        }
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}
