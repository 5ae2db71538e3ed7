//! The two things every waker slot does: keep the latest task's waker, and wake it once.

use std::cell::Cell;
use std::ptr;
use std::task::{Context, Waker};

/// A waker slot that libuv's callbacks wake on the loop thread: a request slot's. It keeps
/// what [`register`] keeps, except when the waiter is the current runtime's `block_on`
/// future, the common case: then it keeps no clone of that waker (an atomic reference count
/// taken at every registration and dropped at every wake), but a mark that the wake finds the
/// runtime by. A wake does just what the waker's would, so nothing changes for the waiter.
///
/// Not `Send`: the mark means something only on the thread that registered it.
///
/// ```compile_fail,E0277
/// fn send<T: Send>(_: T) {}
/// send(uvco_runtime::wake::WakerCell::new());
/// ```
///
/// ```
/// use std::task::{Context, Waker};
///
/// let cell = uvco_runtime::wake::WakerCell::new();
/// cell.register(&Context::from_waker(Waker::noop()));
/// cell.wake();
/// assert!(cell.take().is_none(), "a waker is woken once");
/// ```
pub struct WakerCell {
    /// The main waker's data, as `runtime::main_marker` gave it: only ever compared, never
    /// dereferenced. Null when `waker` is the waiter, or nobody.
    main: Cell<*const ()>,
    /// The waiter's waker while `main` is null (`register` keeps only one of the two).
    waker: Cell<Option<Waker>>,
}

impl Default for WakerCell {
    fn default() -> WakerCell {
        WakerCell::new()
    }
}

impl std::fmt::Debug for WakerCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakerCell")
            .field("main", &!self.main.get().is_null())
            .finish_non_exhaustive()
    }
}

impl WakerCell {
    /// An empty cell.
    pub const fn new() -> WakerCell {
        WakerCell {
            main: Cell::new(ptr::null()),
            waker: Cell::new(None),
        }
    }

    /// Makes `cx`'s task the one [`wake`](Self::wake) wakes.
    #[inline]
    pub fn register(&self, cx: &Context<'_>) {
        let main = crate::runtime::main_marker(cx.waker());
        self.main.set(main);
        if main.is_null() {
            register(&self.waker, cx);
        } else if let Some(old) = self.waker.take() {
            // A task waited here before the main future (rare): it doesn't any more.
            drop(old);
        }
    }

    /// Wakes and forgets the registered waiter, if any. Contains a panic of a waker, as
    /// [`wake`] does.
    #[inline]
    pub fn wake(&self) {
        let main = self.main.replace(ptr::null());
        if main.is_null() {
            wake(&self.waker);
        } else {
            crate::runtime::wake_main_marker(main);
        }
    }

    /// Forgets the registered waiter, handing back its waker if it holds one (for the caller
    /// to drop where a panic of that drop is contained, if it must be).
    #[inline]
    pub fn take(&self) -> Option<Waker> {
        self.main.set(ptr::null());
        self.waker.take()
    }
}

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
