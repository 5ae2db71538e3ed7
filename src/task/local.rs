//! Task-local values: [`task_local!`](crate::task_local) declares a [`LocalKey`], and
//! [`LocalKey::scope`] gives a future a value that every poll of it (across awaits) sees.
//!
//! The value lives in the scoped future, not in the task: for the length of each poll it is
//! swapped into a thread-local and swapped back out after, so other tasks polled on the same
//! thread never see it, and a nested scope of the same key puts the outer value back when it
//! returns, unwinds, or is dropped. Nothing is allocated per poll: the swap moves an
//! `Option<T>` between the future and a `RefCell` in the thread-local.

use std::cell::RefCell;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;

/// Declares one or more task-local keys, each a `static` [`LocalKey`].
///
/// ```
/// uvco::task_local! {
///     static REQUEST_ID: u32;
///     pub static USER: String;
/// }
///
/// #[uvco::main]
/// async fn main() {
///     REQUEST_ID
///         .scope(7, async {
///             uvco::task::yield_now().await;
///             assert_eq!(REQUEST_ID.get(), 7);
///         })
///         .await;
///     assert!(REQUEST_ID.try_with(|_| ()).is_err());
///     USER.sync_scope("ann".to_string(), || USER.with(|u| assert_eq!(u, "ann")));
/// }
/// ```
#[macro_export]
macro_rules! task_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty; $($rest:tt)*) => {
        $crate::__task_local_key!($(#[$attr])* $vis $name, $t);
        $crate::task_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty) => {
        $crate::__task_local_key!($(#[$attr])* $vis $name, $t);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __task_local_key {
    ($(#[$attr:meta])* $vis:vis $name:ident, $t:ty) => {
        $(#[$attr])*
        $vis static $name: $crate::task::LocalKey<$t> = {
            ::std::thread_local! {
                static __UVCO_TASK_LOCAL: ::std::cell::RefCell<::std::option::Option<$t>> =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }
            $crate::task::LocalKey {
                inner: __UVCO_TASK_LOCAL,
            }
        };
    };
}

/// A key for task-local values of type `T`, declared with [`task_local!`](crate::task_local).
///
/// A value is set for the length of a future ([`scope`](LocalKey::scope)) or of a closure
/// ([`sync_scope`](LocalKey::sync_scope)); [`with`](LocalKey::with) reads it from inside.
/// Tasks spawned from inside a scope do not inherit the value (as under tokio): give them their
/// own scope.
///
/// ```
/// uvco::task_local! { static DEPTH: u8; }
///
/// #[uvco::main]
/// async fn main() {
///     DEPTH
///         .scope(1, async {
///             DEPTH.scope(2, async { assert_eq!(DEPTH.get(), 2) }).await;
///             assert_eq!(DEPTH.get(), 1, "the inner scope restored the outer value");
///             let child = uvco::spawn_local(async { DEPTH.try_with(|d| *d).is_err() });
///             assert!(child.await.unwrap(), "a spawned task does not inherit the value");
///         })
///         .await;
/// }
/// ```
pub struct LocalKey<T: 'static> {
    // Public only so that the macro can build one in the user's crate.
    #[doc(hidden)]
    pub inner: thread::LocalKey<RefCell<Option<T>>>,
}

impl<T: 'static> LocalKey<T> {
    /// Runs `f` with `value` set for each of its polls; the value is dropped with the returned
    /// future (or can be seen again by no one once `f` has finished).
    ///
    /// ```
    /// uvco::task_local! { static NAME: &'static str; }
    ///
    /// #[uvco::main]
    /// async fn main() {
    ///     let len = NAME.scope("uvco", async { NAME.with(|n| n.len()) }).await;
    ///     assert_eq!(len, 4);
    /// }
    /// ```
    pub fn scope<F: Future>(&'static self, value: T, f: F) -> TaskLocalFuture<T, F> {
        TaskLocalFuture {
            local: self,
            slot: Some(value),
            future: Some(f),
        }
    }

    /// Runs the closure `f` with `value` set, and returns its result.
    ///
    /// ```
    /// uvco::task_local! { static LIMIT: usize; }
    ///
    /// let doubled = LIMIT.sync_scope(21, || LIMIT.get() * 2);
    /// assert_eq!(doubled, 42);
    /// ```
    ///
    /// # Panics
    /// If called from inside [`with`](LocalKey::with) of the same key (the value is borrowed),
    /// or while the thread's thread-locals are being destroyed.
    pub fn sync_scope<F: FnOnce() -> R, R>(&'static self, value: T, f: F) -> R {
        let mut slot = Some(value);
        match self.scope_inner(&mut slot, f) {
            Ok(out) => out,
            Err(err) => err.panic(),
        }
    }

    /// Calls `f` with a reference to the value of the innermost scope of this key.
    ///
    /// ```
    /// uvco::task_local! { static WORDS: Vec<&'static str>; }
    ///
    /// WORDS.sync_scope(vec!["a", "b"], || WORDS.with(|w| assert_eq!(w.len(), 2)));
    /// ```
    ///
    /// # Panics
    /// Outside any scope of this key, or while the thread's thread-locals are being destroyed.
    #[track_caller]
    pub fn with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> R {
        match self.try_with(f) {
            Ok(out) => out,
            Err(_) => panic!(
                "uvco: task-local value read outside any scope of its key: set it first with \
                 `LocalKey::scope` or `LocalKey::sync_scope` (spawned tasks do not inherit it)"
            ),
        }
    }

    /// Calls `f` with a reference to the value of the innermost scope of this key, or returns
    /// [`AccessError`] outside any scope (or while thread-locals are being destroyed).
    ///
    /// ```
    /// uvco::task_local! { static FLAG: bool; }
    ///
    /// assert!(FLAG.try_with(|f| *f).is_err());
    /// assert_eq!(FLAG.sync_scope(true, || FLAG.try_with(|f| *f)), Ok(true));
    /// ```
    pub fn try_with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> Result<R, AccessError> {
        // A scope swaps its value in and out only between polls, never while `f` runs, so
        // the shared borrow below cannot meet a scope's mutable one on this thread; a
        // `sync_scope` inside `f` would, and panics there with its own message.
        let found = self.inner.try_with(|cell| {
            let value = cell.borrow();
            value.as_ref().map(f)
        });
        match found {
            Ok(Some(out)) => Ok(out),
            Ok(None) | Err(_) => Err(AccessError { _private: () }),
        }
    }

    /// Swaps `slot` into the thread-local, runs `f`, and swaps it back out, also when `f`
    /// unwinds: whatever was there before (an outer scope's value, or nothing) is in `slot`
    /// while `f` runs.
    fn scope_inner<F: FnOnce() -> R, R>(
        &'static self,
        slot: &mut Option<T>,
        f: F,
    ) -> Result<R, ScopeError> {
        struct Restore<'a, T: 'static> {
            local: &'static LocalKey<T>,
            slot: &'a mut Option<T>,
        }
        impl<T: 'static> Drop for Restore<'_, T> {
            fn drop(&mut self) {
                // The swap in succeeded and `with` borrows only inside its closure, so the
                // thread-local is still alive and unborrowed here.
                self.local.inner.with(|cell| {
                    std::mem::swap(self.slot, &mut *cell.borrow_mut());
                });
            }
        }

        self.inner
            .try_with(|cell| {
                cell.try_borrow_mut()
                    .map(|mut value| std::mem::swap(slot, &mut *value))
            })
            .map_err(|_| ScopeError::Destroyed)?
            .map_err(|_| ScopeError::Borrowed)?;
        let _restore = Restore { local: self, slot };
        Ok(f())
    }
}

impl<T: Clone + 'static> LocalKey<T> {
    /// A clone (a copy, for `Copy` types) of the value of the innermost scope of this key.
    ///
    /// ```
    /// uvco::task_local! { static ID: u64; }
    ///
    /// assert_eq!(ID.sync_scope(9, || ID.get()), 9);
    /// ```
    ///
    /// # Panics
    /// Outside any scope of this key, as [`with`](LocalKey::with).
    #[track_caller]
    pub fn get(&'static self) -> T {
        self.with(T::clone)
    }

    /// A clone of the value of the innermost scope of this key, or [`AccessError`] outside
    /// any scope.
    ///
    /// ```
    /// uvco::task_local! { static ID: u64; }
    ///
    /// assert!(ID.try_get().is_err());
    /// assert_eq!(ID.sync_scope(9, || ID.try_get()), Ok(9));
    /// ```
    pub fn try_get(&'static self) -> Result<T, AccessError> {
        self.try_with(T::clone)
    }
}

impl<T: 'static> fmt::Debug for LocalKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("LocalKey { .. }")
    }
}

/// Why a scope could not set its value.
enum ScopeError {
    /// Inside `with` of the same key.
    Borrowed,
    /// The thread's thread-locals are being destroyed.
    Destroyed,
}

impl ScopeError {
    #[track_caller]
    fn panic(self) -> ! {
        match self {
            ScopeError::Borrowed => panic!(
                "uvco: a task-local scope was entered from inside `LocalKey::with` of the same key"
            ),
            ScopeError::Destroyed => panic!(
                "uvco: a task-local scope was entered while the thread's thread-locals are being \
                 destroyed"
            ),
        }
    }
}

/// The error of [`LocalKey::try_with`] and [`LocalKey::try_get`]: no scope of the key is
/// being run on this thread (or its thread-locals are being destroyed).
///
/// ```
/// uvco::task_local! { static KEY: u8; }
///
/// let err = KEY.try_get().unwrap_err();
/// assert!(err.to_string().contains("task-local"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AccessError {
    _private: (),
}

impl fmt::Debug for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessError").finish()
    }
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task-local value not set: outside any scope of its key")
    }
}

impl Error for AccessError {}

/// The future of [`LocalKey::scope`]: polls `F` with the value set, and drops `F` (when
/// it finishes or when this future is dropped) with the value still set, so that `F`'s
/// destructors can read it too.
///
/// ```
/// uvco::task_local! { static N: i32; }
///
/// #[uvco::main]
/// async fn main() {
///     let fut = N.scope(3, async { N.get() + 1 });
///     assert_eq!(fut.await, 4);
/// }
/// ```
pub struct TaskLocalFuture<T: 'static, F> {
    local: &'static LocalKey<T>,
    // Not structurally pinned: it is moved in and out of the thread-local on every poll.
    slot: Option<T>,
    // Structurally pinned. `None` once `F` has finished (and been dropped).
    future: Option<F>,
}

// Only `future` is structurally pinned, so `T` need not be `Unpin` (as pin-project would do).
impl<T: 'static, F: Unpin> Unpin for TaskLocalFuture<T, F> {}

impl<T: 'static, F> TaskLocalFuture<T, F> {
    /// The pin projection: `slot` by plain reference, `future` pinned.
    fn project(
        self: Pin<&mut Self>,
    ) -> (&'static LocalKey<T>, &mut Option<T>, Pin<&mut Option<F>>) {
        // SAFETY: nothing is moved out of `self`. `future` is only ever reached through the
        // `Pin` made here (`poll` and `drop` go through `project`), is dropped in place (by
        // `Pin::set`, or by the struct's drop after ours), and `Drop` below does not move it,
        // so the pinning contract holds for it. `slot` is never treated as pinned.
        unsafe {
            let this = self.get_unchecked_mut();
            (
                this.local,
                &mut this.slot,
                Pin::new_unchecked(&mut this.future),
            )
        }
    }
}

impl<T: 'static, F: Future> Future for TaskLocalFuture<T, F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let (local, slot, mut future) = self.project();
        let polled = local.scope_inner(slot, || {
            let inner = future.as_mut().as_pin_mut()?;
            let poll = inner.poll(cx);
            if poll.is_ready() {
                // Drop `F` now, while its value is still set.
                future.set(None);
            }
            Some(poll)
        });
        match polled {
            Ok(Some(poll)) => poll,
            Ok(None) => panic!("uvco: a `TaskLocalFuture` was polled after it finished"),
            Err(err) => err.panic(),
        }
    }
}

impl<T: 'static, F> Drop for TaskLocalFuture<T, F> {
    fn drop(&mut self) {
        // SAFETY: `self` is pinned (it is only ever used pinned, and this is its last use), and
        // `project` moves nothing; `F` is dropped in place.
        let this = unsafe { Pin::new_unchecked(self) };
        let (local, slot, mut future) = this.project();
        if future.is_some() {
            // Drop `F` mid-flight with its value set, as if polled; if the value cannot be set
            // (thread-locals gone, or inside `with`), `F` is dropped without it afterwards.
            let _ = local.scope_inner(slot, || future.set(None));
        }
    }
}

impl<T: 'static + fmt::Debug, F> fmt::Debug for TaskLocalFuture<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskLocalFuture")
            .field("value", &self.slot)
            .field("finished", &self.future.is_none())
            .finish()
    }
}
