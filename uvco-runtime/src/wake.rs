//! The two things every waker slot does: keep the latest task's waker, and wake it once.

use std::cell::Cell;
use std::task::{Context, Waker};

/// Stores `cx`'s waker in `slot`, unless the one there already wakes the same task (which
/// saves a clone on every re-poll).
pub fn register(slot: &Cell<Option<Waker>>, cx: &Context<'_>) {
    match slot.take() {
        Some(waker) if waker.will_wake(cx.waker()) => slot.set(Some(waker)),
        _ => slot.set(Some(cx.waker().clone())),
    }
}

/// Wakes and clears the waker in `slot`, if any.
pub fn wake(slot: &Cell<Option<Waker>>) {
    if let Some(waker) = slot.take() {
        waker.wake();
    }
}
