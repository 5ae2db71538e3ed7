//! [`Instant`]: std's, read through the runtime's clock, which a test may pause.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

use super::clock;

/// A point in time, as [`std::time::Instant`], but read from the current runtime's clock:
/// while it is [paused](super::pause), [`Instant::now`] stands still and moves only by
/// [`advance`](super::advance) and auto-advance. Outside a runtime, and in a runtime whose
/// clock was never paused, it is `std::time::Instant::now()`. Deadlines of uvco's timers
/// are `Instant`s.
///
/// ```
/// use uvco::time::{Duration, Instant};
/// let start = Instant::now();
/// let later = start + Duration::from_millis(5);
/// assert_eq!(later - start, Duration::from_millis(5));
/// assert_eq!(later.duration_since(start), Duration::from_millis(5));
/// assert_eq!(start.checked_duration_since(later), None);
/// assert_eq!(Instant::from_std(start.into_std()), start);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

impl Instant {
    /// Now, by the current runtime's clock (see the type's docs).
    pub fn now() -> Instant {
        clock::now()
    }

    /// The same point in time as std's.
    pub fn from_std(std: std::time::Instant) -> Instant {
        Instant(std)
    }

    /// The same point in time as std's.
    pub fn into_std(self) -> std::time::Instant {
        self.0
    }

    /// How long after `earlier` this is; zero if it isn't after it.
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// How long after `earlier` this is; `None` if it isn't after it.
    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.0.checked_duration_since(earlier.0)
    }

    /// How long after `earlier` this is; zero if it isn't after it.
    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// How long ago this was, by [`Instant::now`] (so, while paused, virtual time).
    pub fn elapsed(&self) -> Duration {
        Instant::now().saturating_duration_since(*self)
    }

    /// `self + duration`, or `None` past the end of the range.
    pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_add(duration).map(Instant)
    }

    /// `self - duration`, or `None` before the start of the range.
    pub fn checked_sub(&self, duration: Duration) -> Option<Instant> {
        self.0.checked_sub(duration).map(Instant)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(std: std::time::Instant) -> Instant {
        Instant(std)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(instant: Instant) -> std::time::Instant {
        instant.0
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// # Panics
    /// Past the end of the range, as std's.
    fn add(self, rhs: Duration) -> Instant {
        Instant(self.0 + rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        self.0 += rhs;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;

    /// # Panics
    /// Before the start of the range, as std's.
    fn sub(self, rhs: Duration) -> Instant {
        Instant(self.0 - rhs)
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        self.0 -= rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    /// Zero if `rhs` is later, as std's.
    fn sub(self, rhs: Instant) -> Duration {
        self.duration_since(rhs)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
