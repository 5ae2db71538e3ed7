//! The two things every waker slot does: keep the latest task's waker, and wake it once.

use std::cell::Cell;
use std::task::{Context, Waker};

/// Stores `cx`'s waker in `slot`, unless the one there already wakes the same task (which
/// saves a clone on every re-poll).
// Inline, as are `wake` and the slot's helpers: they run once per request, called from
// generic code that is compiled in the user's crate.
#[inline]
pub fn register(slot: &Cell<Option<Waker>>, cx: &Context<'_>) {
    match slot.take() {
        Some(waker) if waker.will_wake(cx.waker()) => slot.set(Some(waker)),
        _ => slot.set(Some(cx.waker().clone())),
    }
}

/// Wakes and clears the waker in `slot`, if any.
///
/// The waker may be anyone's (a task polled a uvco future with a waker of its own), and this
/// runs inside libuv's callbacks, which must not unwind: a waker that panics is contained
/// here, after the panic hook has reported it, and the wake is lost.
///
/// ```
/// use std::cell::Cell;
/// use std::task::{Context, Waker};
///
/// let slot = Cell::new(None);
/// uvco_runtime::wake::register(&slot, &Context::from_waker(Waker::noop()));
/// uvco_runtime::wake::wake(&slot);
/// assert!(slot.take().is_none(), "a waker is woken once");
/// ```
#[inline]
pub fn wake(slot: &Cell<Option<Waker>>) {
    if let Some(waker) = slot.take() {
        wake_contained(waker);
    }
}

/// Wakes `waker` (and drops it), containing a panic of its `wake` or `drop`: for code that
/// runs inside libuv's callbacks.
///
/// ```
/// uvco_runtime::wake::wake_contained(std::task::Waker::noop().clone());
/// ```
#[inline]
pub fn wake_contained(waker: Waker) {
    contain_panic(|| waker.wake());
}

/// Runs `f`, which runs user code (a waker, a destructor) inside a libuv callback, and
/// swallows its panic: unwinding out of an `extern "C"` callback would abort the process, and
/// nobody is left to report the panic to (the panic hook has reported it already).
///
/// ```
/// let prev = std::panic::take_hook();
/// std::panic::set_hook(Box::new(|_| {}));
/// uvco_runtime::wake::contain_panic(|| panic!("contained"));
/// std::panic::set_hook(prev);
/// ```
#[inline]
pub fn contain_panic(f: impl FnOnce()) {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    if let Err(payload) = catch_unwind(AssertUnwindSafe(f)) {
        // A payload whose own drop panics too is leaked rather than let unwind.
        if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
            std::mem::forget(again);
        }
    }
}
