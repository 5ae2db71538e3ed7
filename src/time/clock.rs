//! The runtime's clock, and its paused mode for tests: [`pause`], [`resume`], [`advance`].
//!
//! Each runtime that ever paused has a [`Clock`] in a thread-local list, keyed by its loop,
//! until it shuts down (the runtime's park hook tells us, [`Park::ShutDown`]). While paused,
//! a [`Sleep`](super::Sleep) doesn't run a libuv timer: it waits in the clock's table of
//! virtual timers, which [`advance`] and auto-advance fire. Auto-advance is the park hook's
//! other half: when `block_on` has nothing ready and would block, and nothing but virtual
//! timers waits (no request in flight, no active handle but the runtime's own), the clock
//! moves to the earliest deadline.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::task::Waker;
use std::time::Duration;

use uvco_runtime::Park;

use super::Instant;
use crate::sys;

thread_local! {
    static CLOCKS: RefCell<Vec<Clock>> = const { RefCell::new(Vec::new()) };
    /// Tells clocks apart (and so the keys of dead clocks from live ones).
    static NEXT_EPOCH: Cell<u64> = const { Cell::new(1) };
}

/// How far `advance` goes when asked past the end of `Instant`'s range: as far as a "never"
/// sleep (`super::far_future`) is.
const FAR: Duration = Duration::from_secs(86400 * 365 * 30);

struct Clock {
    loop_: *mut sys::uv_loop_t,
    epoch: u64,
    paused: bool,
    /// Now, while paused; otherwise now when the clock was resumed, at real time `since`.
    base: std::time::Instant,
    since: std::time::Instant,
    timers: Vec<Slot>,
    /// The first free slot of `timers`.
    free: Option<u32>,
    /// Wakers to wake once the list is no longer borrowed; kept for its capacity.
    spare: Vec<Waker>,
}

enum Slot {
    Free {
        next: Option<u32>,
    },
    Used {
        deadline: Instant,
        /// Set while a task waits for the deadline.
        waker: Option<Waker>,
    },
}

impl Clock {
    fn now(&self) -> std::time::Instant {
        if self.paused {
            self.base
        } else {
            let ran = self.since.elapsed();
            self.base.checked_add(ran).unwrap_or(self.base)
        }
    }

    /// The earliest deadline a task waits for, and whether it is due.
    fn next_waiting(&self) -> Option<Instant> {
        self.timers
            .iter()
            .filter_map(|slot| match slot {
                Slot::Used {
                    deadline,
                    waker: Some(_),
                } => Some(*deadline),
                _ => None,
            })
            .min()
    }

    /// Moves the wakers of the due timers into `spare`.
    fn take_due(&mut self) {
        let now = Instant::from_std(self.now());
        for slot in &mut self.timers {
            if let Slot::Used { deadline, waker } = slot {
                if *deadline <= now {
                    if let Some(waker) = waker.take() {
                        self.spare.push(waker);
                    }
                }
            }
        }
    }

    fn take_all(&mut self) {
        for slot in &mut self.timers {
            if let Slot::Used {
                waker: waker @ Some(_),
                ..
            } = slot
            {
                self.spare.extend(waker.take());
            }
        }
    }
}

/// A virtual timer's slot in its clock; freed on drop.
pub(super) struct Key {
    epoch: u64,
    index: u32,
}

impl Drop for Key {
    fn drop(&mut self) {
        // The waker is dropped once the list is no longer borrowed: it may be anyone's.
        let waker = CLOCKS
            .try_with(|clocks| {
                let mut clocks = clocks.try_borrow_mut().ok()?;
                let clock = clocks.iter_mut().find(|c| c.epoch == self.epoch)?;
                let slot = clock.timers.get_mut(self.index as usize)?;
                // Only a used slot goes back on the free list (a key owns its slot alone, so
                // it is; but a free slot listed twice would be handed out twice).
                if let Slot::Free { .. } = slot {
                    return None;
                }
                let old = std::mem::replace(slot, Slot::Free { next: clock.free });
                clock.free = Some(self.index);
                match old {
                    Slot::Used { waker, .. } => waker,
                    Slot::Free { .. } => None,
                }
            })
            .ok()
            .flatten();
        drop(waker);
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").finish_non_exhaustive()
    }
}

/// Runs `f` on the current runtime's clock, if it has one; `None` otherwise (outside a
/// runtime, or while the list is borrowed).
fn with_clock<R>(f: impl FnOnce(&mut Clock) -> R) -> Option<R> {
    CLOCKS
        .try_with(|clocks| {
            let mut clocks = clocks.try_borrow_mut().ok()?;
            if clocks.is_empty() {
                return None;
            }
            let loop_ = uvco_runtime::try_current_loop()?;
            clocks.iter_mut().find(|c| c.loop_ == loop_).map(f)
        })
        .ok()
        .flatten()
}

/// Wakes what the clock's `spare` holds, outside the borrow, and gives the buffer back.
fn wake_spare(loop_: *mut sys::uv_loop_t, mut wakers: Vec<Waker>) {
    for waker in wakers.drain(..) {
        waker.wake();
    }
    let _ = CLOCKS.try_with(|clocks| {
        if let Ok(mut clocks) = clocks.try_borrow_mut() {
            if let Some(clock) = clocks.iter_mut().find(|c| c.loop_ == loop_) {
                if clock.spare.capacity() < wakers.capacity() {
                    clock.spare = wakers;
                }
            }
        }
    });
}

/// Now, by the current runtime's clock.
pub(super) fn now() -> Instant {
    // The common case: no clock on this thread was ever paused, so one borrow and no lookup.
    let virtual_now = CLOCKS
        .try_with(|clocks| {
            let clocks = clocks.try_borrow().ok()?;
            if clocks.is_empty() {
                return None;
            }
            let loop_ = uvco_runtime::try_current_loop()?;
            clocks.iter().find(|c| c.loop_ == loop_).map(Clock::now)
        })
        .ok()
        .flatten();
    Instant::from_std(virtual_now.unwrap_or_else(std::time::Instant::now))
}

/// Whether the current runtime's clock is paused.
pub(super) fn is_paused() -> bool {
    with_clock(|clock| clock.paused).unwrap_or(false)
}

/// Waits on the paused clock for `deadline`: records the deadline and waker in `key`'s slot,
/// taking one first if `key` has none (or one of a clock that is gone).
pub(super) fn wait(key: &mut Option<Key>, deadline: Instant, waker: &Waker) {
    let current = key.as_ref().map(|k| (k.epoch, k.index));
    let (new_key, old_waker) = with_clock(|clock| {
        if let Some((epoch, index)) = current {
            if epoch == clock.epoch {
                if let Some(Slot::Used {
                    deadline: at,
                    waker: slot_waker,
                }) = clock.timers.get_mut(index as usize)
                {
                    *at = deadline;
                    if slot_waker.as_ref().is_some_and(|w| w.will_wake(waker)) {
                        return (None, None);
                    }
                    return (None, slot_waker.replace(waker.clone()));
                }
            }
        }
        let used = Slot::Used {
            deadline,
            waker: Some(waker.clone()),
        };
        let index = match clock.free {
            Some(index) => {
                let slot = &mut clock.timers[index as usize];
                if let Slot::Free { next } = slot {
                    clock.free = *next;
                }
                *slot = used;
                index
            }
            None => {
                clock.timers.push(used);
                (clock.timers.len() - 1) as u32
            }
        };
        let new_key = Key {
            epoch: clock.epoch,
            index,
        };
        (Some(new_key), None)
    })
    .unwrap_or((None, None));
    drop(old_waker);
    if let Some(new_key) = new_key {
        // Drops a key of a clock that is gone, outside the borrow.
        *key = Some(new_key);
    }
}

/// A paused sleep's deadline moved: its slot gets the new one, and a task waiting on it is
/// woken if that is already due.
pub(super) fn set_deadline(key: &Key, deadline: Instant) {
    let waker = with_clock(|clock| {
        let now = Instant::from_std(clock.now());
        match clock.timers.get_mut(key.index as usize) {
            Some(Slot::Used {
                deadline: at,
                waker,
            }) if clock.epoch == key.epoch => {
                *at = deadline;
                if clock.paused && deadline <= now {
                    waker.take()
                } else {
                    None
                }
            }
            _ => None,
        }
    })
    .flatten();
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Pauses the current runtime's clock: [`Instant::now`] stands still, and moves only by
/// [`advance`] or, when the runtime has nothing else to do, to the next timer's deadline
/// (auto-advance). As tokio's `time::pause`, for tests; `#[uvco::test(start_paused = true)]`
/// pauses before the test's body runs.
///
/// While paused, sleeps, timeouts and intervals wait in virtual time: a `sleep(1h)` ends at
/// once if nothing else is going on, with `Instant::now()` exactly an hour later. Real I/O is
/// never skipped over: the clock auto-advances only from `block_on` (so not on a loop a host
/// runs), and only when no libuv request is in flight (an orphaned one included) and no
/// handle other than the runtime's own is active (paused timers are no libuv handles). So a
/// file read or a TCP exchange completes under a paused clock, and a timeout around it
/// doesn't fire first. A listener, a stream being read, a child process or a signal stream
/// that exists counts as pending I/O too: while one is alive, the clock stands still until
/// [`advance`] moves it (wakes from other threads don't count, as under tokio). A sleep
/// started before the pause keeps its libuv timer until it fires (the clock doesn't
/// auto-advance meanwhile), then waits in virtual time.
///
/// `std::time::Instant` is not affected, nor is the clock of another runtime, nor
/// `Instant::now()` outside the runtime (it is std's there).
///
/// ```
/// use uvco::time::{sleep, Duration, Instant};
///
/// #[uvco::main]
/// async fn main() {
///     uvco::time::pause();
///     let start = Instant::now();
///     sleep(Duration::from_secs(3600)).await; // at once, in real time
///     assert_eq!(start.elapsed(), Duration::from_secs(3600));
/// }
/// ```
///
/// # Panics
/// Outside a uvco runtime ("uvco::time::pause called outside a uvco runtime"), and if the
/// clock is already paused ("uvco::time::pause: the clock is already paused").
pub fn pause() {
    let Some(loop_) = uvco_runtime::try_current_loop() else {
        panic!("uvco::time::pause called outside a uvco runtime");
    };
    let created = CLOCKS.with(|clocks| {
        let mut clocks = clocks.borrow_mut();
        match clocks.iter_mut().find(|c| c.loop_ == loop_) {
            Some(clock) if clock.paused => Err(()),
            Some(clock) => {
                clock.base = clock.now();
                clock.paused = true;
                Ok(false)
            }
            None => {
                let now = std::time::Instant::now();
                let epoch = NEXT_EPOCH.with(|next| next.replace(next.get() + 1));
                clocks.push(Clock {
                    loop_,
                    epoch,
                    paused: true,
                    base: now,
                    since: now,
                    timers: Vec::new(),
                    free: None,
                    spare: Vec::new(),
                });
                Ok(true)
            }
        }
    });
    match created {
        Err(()) => panic!("uvco::time::pause: the clock is already paused"),
        Ok(true) => uvco_runtime::set_park_hook(Some(park)),
        Ok(false) => {}
    }
}

/// Resumes the current runtime's clock: [`Instant::now`] runs again at real speed, from where
/// the paused clock was (time skipped by [`advance`] stays skipped). Sleeps waiting in
/// virtual time go back to libuv timers for what is left of them.
///
/// ```
/// use uvco::time::{advance, Duration, Instant};
///
/// #[uvco::main]
/// async fn main() {
///     let start = Instant::now();
///     uvco::time::pause();
///     advance(Duration::from_secs(60)).await;
///     uvco::time::resume();
///     assert!(Instant::now() >= start + Duration::from_secs(60));
/// }
/// ```
///
/// # Panics
/// Outside a uvco runtime ("uvco::time::resume called outside a uvco runtime"), and if the
/// clock is not paused ("uvco::time::resume: the clock is not paused").
pub fn resume() {
    let Some(loop_) = uvco_runtime::try_current_loop() else {
        panic!("uvco::time::resume called outside a uvco runtime");
    };
    let wakers = with_clock(|clock| {
        if !clock.paused {
            return None;
        }
        clock.base = clock.now();
        clock.since = std::time::Instant::now();
        clock.paused = false;
        clock.take_all();
        Some(std::mem::take(&mut clock.spare))
    })
    .flatten();
    match wakers {
        Some(wakers) => wake_spare(loop_, wakers),
        None => panic!("uvco::time::resume: the clock is not paused"),
    }
}

/// Moves the paused clock `duration` forward at once, and wakes the sleeps, timeouts and
/// interval ticks that are due by then (they all complete "at the same time"); then yields,
/// so that those tasks run before the caller goes on. It doesn't wait for timers further
/// on: to let time pass up to the next one, `sleep` instead and let auto-advance do it.
/// A duration past the end of `Instant`'s range goes about 30 years ahead (as far as a sleep
/// "forever" does).
///
/// ```
/// use uvco::time::{advance, sleep, Duration};
///
/// #[uvco::main]
/// async fn main() {
///     uvco::time::pause();
///     let nap = uvco::spawn_local(sleep(Duration::from_secs(10)));
///     advance(Duration::from_secs(9)).await;
///     assert!(!nap.is_finished());
///     advance(Duration::from_secs(1)).await;
///     assert!(nap.is_finished());
/// }
/// ```
///
/// # Panics
/// On its first poll: outside a uvco runtime ("uvco::time::advance called outside a uvco
/// runtime"), and if the clock is not paused ("uvco::time::advance: the clock is not
/// paused").
pub async fn advance(duration: Duration) {
    let Some(loop_) = uvco_runtime::try_current_loop() else {
        panic!("uvco::time::advance called outside a uvco runtime");
    };
    let wakers = with_clock(|clock| {
        if !clock.paused {
            return None;
        }
        clock.base = clock
            .base
            .checked_add(duration)
            .or_else(|| clock.base.checked_add(FAR))
            .unwrap_or(clock.base);
        clock.take_due();
        Some(std::mem::take(&mut clock.spare))
    })
    .flatten();
    match wakers {
        Some(wakers) => wake_spare(loop_, wakers),
        None => panic!("uvco::time::advance: the clock is not paused"),
    }
    uvco_runtime::yield_now().await;
}

/// The runtime's park hook (see the module's docs).
fn park(loop_: *mut sys::uv_loop_t, park: Park) -> bool {
    if park == Park::ShutDown {
        let gone = CLOCKS
            .try_with(|clocks| {
                let mut clocks = clocks.try_borrow_mut().ok()?;
                let at = clocks.iter().position(|c| c.loop_ == loop_)?;
                Some(clocks.swap_remove(at))
            })
            .ok()
            .flatten();
        // Its wakers, dropped outside the borrow.
        drop(gone);
        return false;
    }
    let wakers = CLOCKS
        .try_with(|clocks| {
            let mut clocks = clocks.try_borrow_mut().ok()?;
            let clock = clocks.iter_mut().find(|c| c.loop_ == loop_)?;
            if !clock.paused {
                return None;
            }
            let next = clock.next_waiting()?;
            let due = next.into_std() <= clock.now();
            // SAFETY: the runtime calls its hook with its own loop, on its thread, between
            // runs of it.
            if !due && unsafe { io_pending(loop_) } {
                return None;
            }
            if park == Park::Idle {
                return Some(None);
            }
            if !due {
                clock.base = next.into_std();
            }
            clock.take_due();
            Some(Some(std::mem::take(&mut clock.spare)))
        })
        .ok()
        .flatten();
    match wakers {
        None => false,
        Some(None) => true,
        Some(Some(wakers)) => {
            wake_spare(loop_, wakers);
            true
        }
    }
}

/// Whether anything but timers and the runtime's own handles could complete on `loop_`: a
/// request in flight, or an active, referenced handle (a stream reading, a listener, a
/// process, a signal, a poll, an fs watch; and a libuv timer, which is one started before
/// the pause, not yet moved to the virtual table).
///
/// # Safety
/// A valid loop, on its thread, not running.
unsafe fn io_pending(loop_: *mut sys::uv_loop_t) -> bool {
    // SAFETY: per the contract; `count` is the union's member libuv uses.
    if unsafe { (*loop_).active_reqs.count } > 0 {
        return true;
    }
    let mut busy = false;
    // SAFETY: per the contract; the callback only reads the handles it is given and writes
    // `busy`, which outlives the walk.
    unsafe { sys::uv_walk(loop_, Some(count_busy), (&raw mut busy).cast()) };
    busy
}

unsafe extern "C" fn count_busy(handle: *mut sys::uv_handle_t, arg: *mut c_void) {
    // SAFETY: uv_walk passes live handles of the loop, and `arg` is `io_pending`'s `busy`.
    unsafe {
        let waits = sys::uv_is_active(handle) != 0
            && sys::uv_has_ref(handle) != 0
            && sys::uv_is_closing(handle) == 0;
        // The runtime's own idle handle and the async handle of cross-thread wakes
        // (referenced while `block_on` runs), and check and prepare handles: none of them is
        // I/O the loop waits for.
        let own = matches!(
            sys::uv_handle_get_type(handle),
            sys::uv_handle_type_UV_IDLE
                | sys::uv_handle_type_UV_CHECK
                | sys::uv_handle_type_UV_PREPARE
                | sys::uv_handle_type_UV_ASYNC
        );
        if waits && !own {
            *arg.cast::<bool>() = true;
        }
    }
}
