//! Time: [`sleep`], [`sleep_until`], [`timeout`], [`timeout_at`] and [`interval`], on libuv
//! timers, with tokio's names; [`Instant`], std's read through a clock that tests can
//! [`pause`], [`advance`] and [`resume`] (as tokio's `time::pause`).
//!
//! Timers use the loop's clock (`uv_now`, milliseconds, updated once per loop iteration), so
//! their resolution is one millisecond. A [`Sleep`] (and so a [`Timeout`] and an [`Interval`])
//! is also checked against [`Instant`] when its timer fires, and never ends before its deadline
//! by that clock. Deadlines are fixed when the future is made, as tokio's; the timer starts
//! at the first poll and is re-armed in place by [`Sleep::reset`] and each interval tick.
//! While the runtime's clock is paused, timers wait in virtual time instead (see [`pause`]).
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

/// std's `Duration`, as tokio re-exports it.
pub use std::time::Duration;

mod clock;
mod instant;

pub use clock::{advance, pause, resume};
pub use instant::Instant;

use crate::handle::{Handle, HandleState};
use crate::{current_loop, sys, UvError};

/// What a timer's callback records for the task awaiting it.
#[derive(Default)]
struct TimerState {
    /// Expirations not yet consumed.
    fired: Cell<u64>,
    waker: Cell<Option<Waker>>,
}

impl HandleState for TimerState {
    fn runtime_closing(&self) {
        // The sleep starts a timer on the runtime that polls it next.
        uvco_runtime::wake::wake(&self.waker);
    }
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
    /// Starts a one-shot timer on the current loop, `after` from now.
    fn start(after: Duration) -> io::Result<Timer> {
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
            sys::uv_timer_start(handle.as_ptr(), Some(on_timer), millis(after), 0)
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

    /// Stops the timer (it stays open, to be started again); a pending expiration is dropped.
    fn stop(&self) {
        // SAFETY: an initialised timer handle; stopping cannot fail.
        unsafe { sys::uv_timer_stop(self.handle.as_ptr()) };
        self.handle.state().fired.set(0);
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

/// A deadline for a sleep "forever": about 30 years ahead, as tokio uses, so that adding to it
/// does not overflow and its timer (in milliseconds) still fits in libuv's `u64`.
fn far_future() -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_secs(86400 * 365 * 30))
        .unwrap_or(now)
}

/// `now + duration`, or [`far_future`] past the end of `Instant`'s range.
fn deadline_after(duration: Duration) -> Instant {
    after(Instant::now(), duration)
}

/// `at + duration`, or [`far_future`] past the end of `Instant`'s range (a huge period or
/// sleep means "never", not a panic).
fn after(at: Instant, duration: Duration) -> Instant {
    at.checked_add(duration).unwrap_or_else(far_future)
}

/// A future that completes at a deadline; from [`sleep`] or [`sleep_until`].
///
/// It is `Unpin`, so `Pin::new(&mut sleep)` gives the `Pin<&mut Sleep>` that
/// [`reset`](Sleep::reset) takes (the signature is tokio's).
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    deadline: Instant,
    /// Started on the first poll that finds the deadline ahead, then re-armed in place.
    timer: Option<io::Result<Timer>>,
    /// The timer runs for `deadline` (or has fired for it, and `fired` says so). Off while the
    /// clock is paused.
    armed: bool,
    /// The sleep's slot among the paused clock's virtual timers, once it waited there.
    waiting: Option<clock::Key>,
}

/// Waits for `duration`, counted from this call (as tokio does). The timer starts on the first
/// poll, and is closed when the future is dropped.
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
    sleep_until(deadline_after(duration))
}

/// Waits until `deadline`; a deadline in the past completes on the first poll, without a timer.
///
/// # Panics
/// On the first poll with a deadline ahead, outside a runtime.
///
/// ```
/// use uvco::time::{sleep_until, Duration, Instant};
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let deadline = Instant::now() + Duration::from_millis(10);
/// sleep_until(deadline).await;
/// assert!(Instant::now() >= deadline);
/// # });
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        timer: None,
        armed: false,
        waiting: None,
    }
}

impl Sleep {
    /// When this sleep completes.
    ///
    /// ```
    /// use uvco::time::{sleep_until, Duration, Instant};
    /// let at = Instant::now() + Duration::from_secs(1);
    /// assert_eq!(sleep_until(at).deadline(), at);
    /// ```
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the deadline has passed, by `Instant` (the clock a sleep is checked against).
    ///
    /// ```
    /// use uvco::time::{sleep, Duration};
    /// assert!(sleep(Duration::ZERO).is_elapsed());
    /// assert!(!sleep(Duration::from_secs(60)).is_elapsed());
    /// ```
    pub fn is_elapsed(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Moves the deadline, earlier or later, even after the sleep completed; a started timer is
    /// re-armed in place (`uv_timer_start` on the same handle: no allocation), and a task
    /// waiting on it is woken when the new deadline comes.
    ///
    /// ```
    /// use std::pin::Pin;
    /// use uvco::time::{sleep, Duration, Instant};
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let mut nap = sleep(Duration::from_secs(60));
    /// let soon = Instant::now() + Duration::from_millis(5);
    /// Pin::new(&mut nap).reset(soon);
    /// nap.await; // at `soon`, not in a minute
    /// assert!(Instant::now() >= soon);
    /// # });
    /// ```
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let this = self.get_mut();
        this.deadline = deadline;
        if let (true, Some(Ok(timer))) = (this.armed, &this.timer) {
            // An expiration of the old deadline must not end the new one.
            timer.handle.state().fired.set(0);
            // uv_timer_start fails only without a callback or on a closing handle, neither of
            // which an owned, open Timer can be; there is no error to give back here anyway.
            let _ = timer.restart(deadline.saturating_duration_since(Instant::now()));
        }
        if let Some(key) = &this.waiting {
            clock::set_deadline(key, deadline);
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let deadline = this.deadline;
        // Checked first so that a deadline already past (a missed interval tick, a zero
        // sleep) completes in this poll, with no timer and no loop turn.
        if Instant::now() >= deadline {
            return Poll::Ready(());
        }
        if clock::is_paused() {
            // Virtual time: the clock's table, not a libuv timer, says when.
            if let (true, Some(Ok(timer))) = (this.armed, &this.timer) {
                timer.stop();
                this.armed = false;
            }
            clock::wait(&mut this.waiting, deadline, cx.waker());
            return Poll::Pending;
        }
        // Back from virtual time (the clock was resumed): the slot goes.
        this.waiting = None;
        // A timer whose runtime shut down under it won't fire: a new one, on the runtime
        // polling the sleep now.
        if let Some(Ok(timer)) = &this.timer {
            if timer.handle.closed_by_runtime() {
                this.timer = None;
            }
        }
        let timer = match &mut this.timer {
            Some(timer) => timer,
            None => {
                this.armed = true;
                this.timer.insert(Timer::start(
                    deadline.saturating_duration_since(Instant::now()),
                ))
            }
        };
        let Ok(timer) = timer else {
            // Starting a timer on a valid loop does not fail; if it ever does, don't hang.
            return Poll::Ready(());
        };
        if !std::mem::replace(&mut this.armed, true)
            && timer
                .restart(deadline.saturating_duration_since(Instant::now()))
                .is_err()
        {
            return Poll::Ready(());
        }
        loop {
            ready!(timer.poll_fired(cx));
            // libuv's clock is whole milliseconds, truncated, and may be the kernel's coarse
            // clock, a tick behind: a timer can fire up to about 2 ms before the deadline by
            // `Instant`. Then it waits again for what is left.
            let now = Instant::now();
            if now >= deadline {
                return Poll::Ready(());
            }
            if timer.restart(deadline - now).is_err() {
                return Poll::Ready(());
            }
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
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

/// A future with a deadline; from [`timeout`] or [`timeout_at`].
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: F,
    sleep: Sleep,
}

/// Runs `future` for at most `duration`, counted from this call (as tokio does; the timer
/// itself starts at the first poll, and panics there outside a runtime). If the time runs out
/// first, the future is dropped (any libuv request it had in flight is cancelled, and its
/// memory stays with the runtime until libuv is done with it) and the result is
/// `Err(Elapsed)`.
///
/// ```
/// use std::time::Duration;
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let quick = uvco::time::timeout(Duration::from_secs(5), async { 7 }).await;
/// assert_eq!(quick, Ok(7));
/// # });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    timeout_at(deadline_after(duration), future)
}

/// Runs `future` until `deadline` at most; as [`timeout`] otherwise. The future is polled
/// first, so one that is ready completes even with a deadline in the past.
///
/// ```
/// use uvco::time::{sleep, timeout_at, Duration, Instant};
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let deadline = Instant::now() + Duration::from_millis(5);
/// let res = timeout_at(deadline, sleep(Duration::from_secs(60))).await;
/// assert!(res.is_err());
/// assert!(Instant::now() >= deadline);
/// # });
/// ```
pub fn timeout_at<F: Future>(deadline: Instant, future: F) -> Timeout<F> {
    Timeout {
        future,
        sleep: sleep_until(deadline),
    }
}

impl<F> Timeout<F> {
    /// The wrapped future.
    ///
    /// ```
    /// let t = uvco::time::timeout(std::time::Duration::from_secs(1), std::future::ready(3));
    /// assert!(format!("{:?}", t.get_ref()).contains("Ready"));
    /// ```
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// The wrapped future, mutably (Timeout is only `Unpin` when `F` is, so this cannot move
    /// a pinned future).
    ///
    /// ```
    /// let mut t = uvco::time::timeout(std::time::Duration::from_secs(1), std::future::ready(3));
    /// *t.get_mut() = std::future::ready(4);
    /// assert_eq!(t.into_inner().into_inner(), 4);
    /// ```
    pub fn get_mut(&mut self) -> &mut F {
        &mut self.future
    }

    /// The wrapped future, dropping the deadline (and closing its timer).
    ///
    /// ```
    /// let t = uvco::time::timeout(std::time::Duration::from_secs(1), std::future::ready(3));
    /// assert_eq!(t.into_inner().into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> F {
        self.future
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned (never moved out of the pinned Timeout:
        // `get_mut` and `into_inner` take `&mut self`/`self`, which a pinned `!Unpin` Timeout
        // cannot give); `sleep` is Unpin and not pinned.
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

/// What an [`Interval`] does when ticks were missed (the task was busy past a deadline).
///
/// ```
/// use uvco::time::{interval, Duration, MissedTickBehavior};
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let mut every = interval(Duration::from_millis(2));
/// assert_eq!(every.missed_tick_behavior(), MissedTickBehavior::Burst);
/// every.set_missed_tick_behavior(MissedTickBehavior::Skip);
/// every.tick().await;
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MissedTickBehavior {
    /// The missed ticks all complete at once, then the original schedule goes on.
    #[default]
    Burst,
    /// One late tick, then a period from it: the schedule shifts by the delay.
    Delay,
    /// One late tick, then the next tick on the original schedule, skipping the missed ones.
    Skip,
}

impl MissedTickBehavior {
    /// The deadline after a tick due at `due` that completed at `now`, late.
    fn next(self, due: Instant, now: Instant, period: Duration) -> Instant {
        match self {
            MissedTickBehavior::Burst => after(due, period),
            MissedTickBehavior::Delay => after(now, period),
            MissedTickBehavior::Skip => {
                let late = now.saturating_duration_since(due).as_nanos();
                let into_period = late % period.as_nanos();
                // Below `period`, so it fits a Duration and the subtraction stays ahead of `now`.
                after(now, period) - Duration::from_nanos(into_period as u64)
            }
        }
    }
}

/// Ticks every `period`; from [`interval`] or [`interval_at`].
///
/// One libuv timer, started on the first tick that has to wait and re-armed in place for each
/// next deadline (no allocation per tick).
pub struct Interval {
    sleep: Sleep,
    period: Duration,
    missed: MissedTickBehavior,
}

/// A ticker whose first [`tick`](Interval::tick) completes at once and each next one a
/// `period` later; missed ticks are handled per [`MissedTickBehavior`] (`Burst` by default, as
/// tokio).
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
/// If `period` is zero; on a tick that has to wait, outside a runtime.
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// A ticker whose first tick completes at `start`, and each next one a `period` later.
///
/// ```
/// use uvco::time::{interval_at, Duration, Instant};
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let start = Instant::now() + Duration::from_millis(5);
/// let mut every = interval_at(start, Duration::from_millis(2));
/// assert_eq!(every.tick().await, start);
/// assert!(Instant::now() >= start);
/// # });
/// ```
///
/// # Panics
/// If `period` is zero (with the message "uvco::time::interval: the period must be non-zero");
/// on a tick that has to wait, outside a runtime.
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(
        !period.is_zero(),
        "uvco::time::interval: the period must be non-zero"
    );
    Interval {
        sleep: sleep_until(start),
        period,
        missed: MissedTickBehavior::default(),
    }
}

/// How late a tick may be and still count as on time, as tokio's: below it, the next deadline
/// is the scheduled one whatever the behaviour.
const LATE: Duration = Duration::from_millis(5);

impl Interval {
    /// Waits for the next tick; returns when it was due.
    pub async fn tick(&mut self) -> Instant {
        std::future::poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next tick; returns when it was due.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        ready!(Pin::new(&mut self.sleep).poll(cx));
        let due = self.sleep.deadline();
        let now = Instant::now();
        let next = if now > due + LATE {
            self.missed.next(due, now, self.period)
        } else {
            after(due, self.period)
        };
        Pin::new(&mut self.sleep).reset(next);
        Poll::Ready(due)
    }

    /// Restarts the schedule: the next tick is a period from now.
    ///
    /// ```
    /// use uvco::time::{interval, Duration, Instant};
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let mut every = interval(Duration::from_millis(5));
    /// every.tick().await;
    /// let before = Instant::now();
    /// every.reset();
    /// assert!(every.tick().await >= before + Duration::from_millis(5));
    /// # });
    /// ```
    pub fn reset(&mut self) {
        let next = deadline_after(self.period);
        Pin::new(&mut self.sleep).reset(next);
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// What this interval does when ticks were missed.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed
    }

    /// Sets what this interval does when ticks were missed; see [`MissedTickBehavior`].
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed = behavior;
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("period", &self.period)
            .field("missed_tick_behavior", &self.missed)
            .field("next", &self.sleep.deadline)
            .finish_non_exhaustive()
    }
}
