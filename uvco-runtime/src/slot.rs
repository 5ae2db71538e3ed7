//! Request slots: the one place that owns a libuv request from submission to callback.
//!
//! A slot is a free-list block holding the `uv_*_t` request, the payload libuv may still use
//! (`keep`: buffers, strings, closures), the waker of the task awaiting it, the result the
//! callback recorded, and the slot's state. The future the user awaits, [`Op`], holds only a
//! pointer to it, so dropping the future (a `select!`, a timeout) can never free memory libuv
//! is about to touch: a dropped `Op` asks libuv to cancel where the kind allows it and leaves
//! the slot *orphaned*; the callback, which libuv always runs exactly once, then releases what
//! the result holds (an fd, an address list) and frees the slot.
//!
//! ```text
//!   Op::submit ──▶ Pending ──callback──▶ Ready ──poll──▶ (output, keep) returned, slot freed
//!                     │                    └──drop Op──▶ Kind::discard, slot freed
//!                     └──drop Op──▶ Orphaned (uv_cancel) ──callback──▶ Kind::discard, freed
//!   Op::submit with an error return ──▶ Failed ──poll or drop──▶ slot freed
//! ```

use std::alloc::Layout;
use std::cell::Cell;
use std::ffi::c_int;
use std::future::Future;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::task::{Context, Poll, Waker};

use crate::sys;

use crate::alloc;
use crate::error::UvError;

/// Counters of the calling thread's requests, from [`stats`]: what the race tests use to prove
/// that every request completes exactly once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlotStats {
    /// Requests libuv accepted.
    pub submitted: u64,
    /// Callbacks that ran. `submitted - completed` requests are in flight.
    pub completed: u64,
    /// Requests whose future was dropped before their callback ran.
    pub orphaned: u64,
}

/// What a thread keeps about its requests: the counters and the list of those in flight. One
/// thread-local, not two: submission and completion each touch both, and in a cdylib (a Node
/// addon, a C host's plugin) every thread-local access is a `__tls_get_addr` call.
struct Requests {
    stats: Cell<SlotStats>,
    /// The newest request in flight on this thread (see [`in_flight_on`]).
    in_flight: Cell<*const Link>,
}

impl Requests {
    fn count(&self, f: impl FnOnce(&mut SlotStats)) {
        let mut stats = self.stats.get();
        f(&mut stats);
        self.stats.set(stats);
    }
}

thread_local! {
    /// No destructor, so always reachable, also from other thread-locals' destructors.
    static REQUESTS: Requests = const {
        Requests {
            stats: Cell::new(SlotStats { submitted: 0, completed: 0, orphaned: 0 }),
            in_flight: Cell::new(ptr::null()),
        }
    };
}

/// The calling thread's request counters. libuv runs callbacks on the loop's thread, so a
/// runtime's requests are all counted on its thread.
pub fn stats() -> SlotStats {
    REQUESTS.try_with(|r| r.stats.get()).unwrap_or_default()
}

/// What the runtime knows about one request kind (fs, write, getaddrinfo, ...): its request
/// type, its callback, what the callback records, and how a result nobody takes is released.
/// Each kind's callback calls [`complete`]. What a finished request *produces* is per function
/// ([`Completion`]): a `uv_fs_stat` gives a stat buffer, a `uv_fs_open` an fd.
///
/// # Safety
/// `Req` must be a libuv request struct (starting with the `uv_req_t` fields), `CALLBACK` must
/// call [`complete::<Self>`](complete) exactly once per request, and `CANCEL` may only be true
/// when `uv_cancel` accepts requests of this kind.
pub unsafe trait Kind: 'static {
    /// The libuv request struct, such as `uv_fs_t`.
    type Req;
    /// What the callback records besides the request itself (a status, a pointer).
    type Raw: Copy;
    /// The libuv callback type of this kind's requests, such as `uv_fs_cb`.
    type Callback: Copy;
    /// The callback that completes requests of this kind.
    const CALLBACK: Self::Callback;
    /// Whether `uv_cancel` accepts requests of this kind.
    const CANCEL: bool;
    /// Whether a request is zeroed before submission. A kind may say no when every function
    /// of it initialises, before anything can fail, each field that it, libuv or the kind's
    /// `submit_failed` later reads (the `uv_fs_*` functions do, first thing).
    const ZEROED: bool = true;

    /// Whether dropping this pending request should cancel it: by default, whenever the kind
    /// allows it. A kind may refuse for requests whose effect must happen anyway (closing a
    /// file: cancelling that would leak the fd).
    ///
    /// # Safety
    /// `req` is a submitted, pending request of this kind.
    unsafe fn cancel_on_drop(_req: *mut Self::Req) -> bool {
        Self::CANCEL
    }

    /// Releases what a completed request holds when nobody will take its output (an fd an
    /// orphaned `open` produced, an address list).
    ///
    /// # Safety
    /// `req` is a request of this kind whose callback has recorded `raw`; no
    /// [`Completion::output`] runs for it.
    unsafe fn discard(_req: *mut Self::Req, _raw: Self::Raw) {}

    /// Releases what a completed request still holds once [`Completion::output`] has read
    /// it, or [`Completion::failed`] has found it failed (`uv_fs_req_cleanup`, for fs).
    ///
    /// # Safety
    /// `req` is a completed request of this kind whose output was read (or that failed); it
    /// runs once.
    unsafe fn cleanup(_req: *mut Self::Req) {}

    /// Cleans up a request whose submission failed (the callback will never run).
    ///
    /// # Safety
    /// `req` was passed to a submitting function that returned an error.
    unsafe fn submit_failed(_req: *mut Self::Req) {}
}

/// What one libuv request function produces on success, read out of its completed request:
/// the typed output of the future generated for it. Implemented by the markers in
/// [`fns`](crate::kind::fns), one per libuv function, and by the kinds whose functions all
/// produce the same (a status kind's `()`).
///
/// # Safety
/// `output` must move what the output owns out of the request, so that [`Kind::cleanup`],
/// which runs after it (also when it panics), leaves the request as [`Kind::discard`] would:
/// everything it holds released or moved into the output. When `failed` says a request
/// failed, `output` is not called and the request must hold nothing but what `cleanup`
/// releases.
pub unsafe trait Completion: 'static {
    /// The kind of the function's request.
    type Kind: Kind;
    /// What the awaiting task gets on success.
    type Output;

    /// Turns a completed request into its output. Runs once, on the awaiting task's poll (or in
    /// the callback, for the callback form).
    ///
    /// # Safety
    /// `req` is a request of this function whose callback has recorded `raw`.
    unsafe fn output(req: *mut ReqOf<Self>, raw: RawOf<Self>) -> Result<Self::Output, UvError>;

    /// The error of a completed request that failed, told before its output is read: `None`
    /// for a request that succeeded, or whose kind can't tell (then `output` decides).
    ///
    /// A kind whose requests carry their result (fs) says so here, and the awaiting future
    /// then reads a successful output straight into the `Poll` it returns: a stat buffer is
    /// copied once, where a `Result` built on two paths was copied twice.
    ///
    /// # Safety
    /// As for `output`.
    #[inline]
    unsafe fn failed(_req: *mut ReqOf<Self>, _raw: RawOf<Self>) -> Option<UvError> {
        None
    }
}

/// The output of a completed request of function `C`, then its kind's cleanup (also when
/// `output` panics): for requests read outside a slot, such as a synchronous fs call.
///
/// # Safety
/// `req` is a request of function `C` whose callback has recorded `raw` (or that a
/// synchronous call completed), not read before.
#[inline]
pub unsafe fn output_of<C: Completion>(req: *mut ReqOf<C>, raw: RawOf<C>) -> Outcome<C> {
    struct Cleanup<Kd: Kind>(*mut Kd::Req);
    impl<Kd: Kind> Drop for Cleanup<Kd> {
        #[inline]
        fn drop(&mut self) {
            // SAFETY: the output was read (or its reading panicked), once.
            unsafe { Kd::cleanup(self.0) }
        }
    }
    let _cleanup = Cleanup::<C::Kind>(req);
    // SAFETY: per the contract.
    unsafe { C::output(req, raw) }
}

/// The request struct of a function's kind.
pub type ReqOf<C> = <<C as Completion>::Kind as Kind>::Req;
type RawOf<C> = <<C as Completion>::Kind as Kind>::Raw;
/// What a request of function `C` resolves to.
pub type Outcome<C> = Result<<C as Completion>::Output, UvError>;

/// The payload of a request submitted with `with_keep`; it comes back with the result.
///
/// Generated futures are `UvX<()>` (no payload; they resolve to `Result<Output, UvError>`) or
/// `UvX<Keep<K>>` (they resolve to `(Result<Output, UvError>, K)`).
#[derive(Debug, Default)]
#[repr(transparent)]
pub struct Keep<K>(pub K);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// Submitted; the callback hasn't run.
    Pending,
    /// The callback ran and recorded `raw`; the owner will take the output.
    Ready,
    /// The owner was dropped while pending; the callback frees the slot.
    Orphaned,
    /// Submission failed with this code; no callback will run.
    Failed(c_int),
    /// Submitted in the callback form: no future awaits it; the callback records the result
    /// and calls `release`, which delivers it (see [`submit_callback`]).
    Callback,
}

/// The part of a slot that the kind's callback can reach without knowing `K`.
#[repr(C)]
struct Head<Kd: Kind> {
    /// First, so that a `*mut Kd::Req` is a `*mut Head<Kd>` (and a `*mut Slot<Kd, K>`).
    /// Only ever reached through raw pointers: a threadpool thread may be writing into it
    /// (`result`, `statbuf`) while the loop thread looks at `ctl`.
    req: Kd::Req,
    ctl: Ctl<Kd>,
}

/// A slot's place in its thread's list of requests in flight (see [`in_flight_on`]).
struct Link {
    prev: Cell<*const Link>,
    next: Cell<*const Link>,
    req: *mut sys::uv_req_t,
}

/// Counts a request libuv accepted and puts it on its thread's list.
///
/// # Safety
/// `link` is not linked, and stays at its address until [`completed`].
#[inline]
unsafe fn submitted(link: &Link) {
    let _ = REQUESTS.try_with(|requests| {
        requests.count(|s| s.submitted += 1);
        let old = requests.in_flight.replace(link);
        link.prev.set(ptr::null());
        link.next.set(old);
        // SAFETY: a linked slot is live until it unlinks itself.
        if let Some(old) = unsafe { old.as_ref() } {
            old.prev.set(link);
        }
    });
}

/// Counts a request whose callback ran and takes it off its thread's list.
///
/// # Safety
/// `link` is linked (or was never linked, with null neighbours and not the head).
#[inline]
unsafe fn completed(link: &Link) {
    let _ = REQUESTS.try_with(|requests| {
        requests.count(|s| s.completed += 1);
        let (prev, next) = (
            link.prev.replace(ptr::null()),
            link.next.replace(ptr::null()),
        );
        // SAFETY: neighbours on the list are live slots.
        unsafe {
            match prev.as_ref() {
                Some(prev) => prev.next.set(next),
                None if requests.in_flight.get() == ptr::from_ref(link) => {
                    requests.in_flight.set(next);
                }
                None => {}
            }
            if let Some(next) = next.as_ref() {
                next.prev.set(prev);
            }
        }
    });
}

/// Requests of this thread still in flight on `loop_`: `(threadpool, other)`, where threadpool
/// jobs are fs, work, getaddrinfo, getnameinfo and random requests (libuv can't cancel one a
/// pool thread has started), and the others are bound to a handle (writes, connects, ...).
///
/// # Safety
/// `loop_` is only compared, never dereferenced; the requests are read (their type and their
/// loop or handle, which libuv doesn't write while they are in flight).
pub(crate) unsafe fn in_flight_on(loop_: *mut sys::uv_loop_t) -> (usize, usize) {
    let mut counts = (0, 0);
    let mut at = REQUESTS
        .try_with(|r| r.in_flight.get())
        .unwrap_or(ptr::null());
    // SAFETY: linked slots are live; their requests were accepted by libuv.
    while let Some(link) = unsafe { at.as_ref() } {
        // SAFETY: as above.
        if let Some((on, threadpool)) = unsafe { crate::kind::loop_of(link.req) } {
            if on == loop_ {
                if threadpool {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        at = link.next.get();
    }
    counts
}

/// The slot's own bookkeeping, touched only on the loop thread.
struct Ctl<Kd: Kind> {
    link: Link,
    state: Cell<State>,
    raw: Cell<MaybeUninit<Kd::Raw>>,
    waker: crate::wake::WakerCell,
    /// Drops `keep` and frees the block; monomorphised for the slot's `K`. In the callback
    /// form, it first turns `raw` into the output and hands it to the user's function.
    release: unsafe fn(NonNull<Head<Kd>>),
}

#[repr(C)]
struct Slot<Kd: Kind, K> {
    head: Head<Kd>,
    keep: ManuallyDrop<K>,
}

/// The number of bytes a slot of kind `Kd` with payload `K` occupies (its free-list class).
pub fn slot_size<Kd: Kind, K>() -> usize {
    alloc::block_size(Layout::new::<Slot<Kd, K>>())
}

/// An in-flight libuv request: the future behind every generated awaitable.
///
/// `C` is the libuv function (its [`Completion`]): `Op<C, ()>` resolves to
/// [`Outcome<C>`](Outcome), `Result<C::Output, UvError>`; `Op<C, Keep<K>>` to
/// `(Outcome<C>, K)`. Dropping it before it resolves cancels the request.
pub struct Op<C: Completion, K> {
    slot: Option<NonNull<Slot<C::Kind, K>>>,
}

impl<C: Completion, K: 'static> Op<C, K> {
    /// Moves `keep` into a new slot and calls `submit` with the slot's request and payload;
    /// `submit` calls the libuv function and returns what it returned. The request struct is
    /// zeroed first.
    ///
    /// # Safety
    /// `submit` must pass the request to the libuv function `C` with its kind's callback, and
    /// everything libuv may touch after `submit` returns must be owned by `keep` (or otherwise
    /// outlive the request).
    pub unsafe fn submit(keep: K, submit: impl FnOnce(*mut ReqOf<C>, &mut K) -> c_int) -> Op<C, K> {
        let layout = Layout::new::<Slot<C::Kind, K>>();
        // SAFETY: a slot is never zero-sized (the request isn't).
        let slot = unsafe { alloc::allocate(layout) }.cast::<Slot<C::Kind, K>>();
        let raw = slot.as_ptr();
        // SAFETY: fresh block sized and aligned for the slot; a zeroed libuv request is a valid
        // "not yet initialised" request (a kind whose functions initialise every field they
        // read skips it: `ZEROED`), and every other field is written before use.
        unsafe {
            if C::Kind::ZEROED {
                ptr::write_bytes(&raw mut (*raw).head.req, 0, 1);
            }
            let ctl = Ctl {
                link: Link {
                    prev: Cell::new(ptr::null()),
                    next: Cell::new(ptr::null()),
                    req: (&raw mut (*raw).head.req).cast(),
                },
                state: Cell::new(State::Pending),
                raw: Cell::new(MaybeUninit::uninit()),
                waker: crate::wake::WakerCell::new(),
                release: release::<C::Kind, K>,
            };
            ptr::write(&raw mut (*raw).head.ctl, ctl);
            ptr::write(&raw mut (*raw).keep, ManuallyDrop::new(keep));
        }
        // If `submit` panics (outside a runtime, `current_loop` does), nothing was submitted:
        // free the slot and its payload on the way out.
        struct Unsubmitted<Kd: Kind, K>(NonNull<Slot<Kd, K>>);
        impl<Kd: Kind, K> Drop for Unsubmitted<Kd, K> {
            fn drop(&mut self) {
                // SAFETY: the slot is initialised and libuv never saw it.
                unsafe { release::<Kd, K>(self.0.cast()) };
            }
        }
        let guard = Unsubmitted::<C::Kind, K>(slot);
        // SAFETY: the slot is initialised; the request and payload stay at these addresses
        // until the slot is freed, after the callback (or right away if submission failed).
        let ret = unsafe { submit(&raw mut (*raw).head.req, &mut (*raw).keep) };
        std::mem::forget(guard);
        if ret < 0 {
            // SAFETY: the request was not accepted, so no callback will run.
            unsafe {
                C::Kind::submit_failed(&raw mut (*raw).head.req);
                (*raw).head.ctl.state.set(State::Failed(ret));
            }
        } else {
            // SAFETY: the slot stays put until its callback, which unlinks it first.
            unsafe { submitted(&(*raw).head.ctl.link) };
        }
        Op { slot: Some(slot) }
    }

    /// A pending request's waker goes into the slot; a completed one's output is taken.
    ///
    /// Always inline, as is [`take_done`](Op::take_done) and every poll above them up to the
    /// generated future's: awaited, the output is then read from the slot straight into what
    /// the caller uses of it (a stat's size is one load), not copied whole (a 160-byte
    /// `uv_stat_t`) through each return.
    #[inline(always)]
    fn poll_done(&mut self, cx: &mut Context<'_>) -> Poll<(Outcome<C>, K)> {
        let slot = self
            .slot
            .expect("uvco: request future polled after it completed");
        // SAFETY: as in `take_done`.
        let ctl = unsafe { &(*slot.as_ptr()).head.ctl };
        if ctl.state.get() == State::Pending {
            ctl.waker.register(cx);
            return Poll::Pending;
        }
        self.take_done(slot)
    }

    #[inline(always)]
    fn take_done(&mut self, slot: NonNull<Slot<C::Kind, K>>) -> Poll<(Outcome<C>, K)> {
        // The slot is the guard's from here: should `output` panic, the request is cleaned up
        // and the block freed once, by the guard, not again by our `drop`.
        self.slot = None;
        // SAFETY: the Op owned the slot; the callback only touches `ctl` on this thread
        // (libuv callbacks run on the loop thread) and never during a poll. The reference
        // covers `ctl` only, not the request.
        let (req, ctl) = unsafe {
            (
                &raw mut (*slot.as_ptr()).head.req,
                &(*slot.as_ptr()).head.ctl,
            )
        };
        match ctl.state.get() {
            State::Ready => {
                // SAFETY: Ready means the callback recorded `raw` for this request. The
                // payload is taken once; the guard cleans the request up and frees the block
                // when this returns, after the output is read into the returned value.
                unsafe {
                    let raw = ctl.raw.get().assume_init();
                    let keep = ManuallyDrop::take(&mut (*slot.as_ptr()).keep);
                    let _done = Done(slot, true);
                    match C::failed(req, raw) {
                        Some(err) => Poll::Ready((Err(err), keep)),
                        None => Poll::Ready((C::output(req, raw), keep)),
                    }
                }
            }
            State::Failed(code) => {
                // SAFETY: no callback will run, and `submit_failed` cleaned the request up:
                // take the payload out, then the guard frees the block.
                unsafe {
                    let keep = ManuallyDrop::take(&mut (*slot.as_ptr()).keep);
                    let _done = Done(slot, false);
                    Poll::Ready((Err(UvError::new(code)), keep))
                }
            }
            State::Pending | State::Orphaned | State::Callback => {
                unreachable!("a request taken while pending or not owned")
            }
        }
    }
}

/// Frees a slot whose payload was taken, first cleaning its completed request up (`true`):
/// when dropped, so after the value its owner returns is built.
struct Done<Kd: Kind, K>(NonNull<Slot<Kd, K>>, bool);

impl<Kd: Kind, K> Drop for Done<Kd, K> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the owner read the output (or found the request failed) and took the
        // payload, and touches nothing of the slot any more.
        unsafe {
            if self.1 {
                Kd::cleanup(&raw mut (*self.0.as_ptr()).head.req);
            }
            free::<Kd, K>(self.0);
        }
    }
}

impl<C: Completion> Future for Op<C, ()> {
    type Output = Outcome<C>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().poll_done(cx).map(|(result, ())| result)
    }
}

impl<C: Completion, K: 'static> Future for Op<C, Keep<K>> {
    type Output = (Outcome<C>, K);

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut()
            .poll_done(cx)
            .map(|(result, keep)| (result, keep.0))
    }
}

impl<C: Completion, K> Drop for Op<C, K> {
    // Inline for the common case, an Op whose output was taken: nothing to do.
    #[inline]
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            Self::drop_owned(slot);
        }
    }
}

impl<C: Completion, K> Op<C, K> {
    /// Drops a request the Op still owns: pending (cancel and orphan it), completed but not
    /// taken, or refused by libuv.
    #[inline(never)]
    fn drop_owned(slot: NonNull<Slot<C::Kind, K>>) {
        type Kd<C> = <C as Completion>::Kind;
        // SAFETY: as in `poll_done`: ours, the callback isn't running now, and the reference
        // covers `ctl` only.
        let (req, ctl) = unsafe {
            (
                &raw mut (*slot.as_ptr()).head.req,
                &(*slot.as_ptr()).head.ctl,
            )
        };
        match ctl.state.get() {
            State::Pending => {
                ctl.state.set(State::Orphaned);
                let _ = REQUESTS.try_with(|r| r.count(|s| s.orphaned += 1));
                drop(ctl.waker.take());
                // SAFETY: a pending request of this kind. Whether or not the cancel
                // succeeds, libuv runs the callback once, which frees the slot.
                unsafe {
                    if Kd::<C>::CANCEL && Kd::<C>::cancel_on_drop(req) {
                        sys::uv_cancel(req.cast());
                    }
                }
            }
            State::Ready => {
                // SAFETY: completed and never taken: release what the result holds, then the
                // payload and the block.
                unsafe {
                    Kd::<C>::discard(req, ctl.raw.get().assume_init());
                    release::<Kd<C>, K>(slot.cast());
                }
            }
            // SAFETY: no callback will run; the payload and block are ours to free.
            State::Failed(_) => unsafe { release::<Kd<C>, K>(slot.cast()) },
            State::Orphaned | State::Callback => unreachable!("an owned slot is never orphaned"),
        }
    }
}

/// The payload of a callback-form slot: what the caller kept, and what to call with it.
struct Callback<T, F> {
    keep: T,
    done: F,
}

/// Submits a request in the callback form: no future and no task; `done` runs with the
/// output and `keep` when libuv's callback fires, on the loop thread, and the slot (the only
/// allocation, from the free list) is freed just before, so that `done` may submit the next
/// request into the same block. `submit` is as for [`Op::submit`].
///
/// `done` runs exactly once. If libuv refuses the request, it runs with that error before
/// this returns, and the error is returned too (so a caller that must not be called back
/// synchronously can tell). A panic in `done` is contained when it runs in libuv's callback
/// (nothing unwinds into libuv) and propagates to the caller when it runs here. There is no
/// cancelling a request submitted this way: dropping the runtime waits for it (bounded, as
/// for a started threadpool job).
///
/// # Safety
/// As for [`Op::submit`].
pub unsafe fn submit_callback<C, T, F>(
    keep: T,
    submit: impl FnOnce(*mut ReqOf<C>, &mut T) -> c_int,
    done: F,
) -> Result<(), UvError>
where
    C: Completion,
    T: 'static,
    F: FnOnce(Outcome<C>, T) + 'static,
{
    // SAFETY: forwarded contract; the payload is the caller's `keep` plus `done`.
    let mut op = unsafe {
        Op::<C, Callback<T, F>>::submit(Callback { keep, done }, |req, cb| {
            submit(req, &mut cb.keep)
        })
    };
    // The slot is no longer the Op's: it belongs to the request's callback, or, if libuv
    // refused the request, is freed right here.
    let slot = op.slot.take().expect("a fresh request owns its slot");
    let raw = slot.as_ptr();
    // SAFETY: a fresh slot, and no reference into it is live: libuv never runs a callback
    // from inside the submitting call, so nothing else can touch `ctl` now.
    unsafe {
        if let State::Failed(code) = (*raw).head.ctl.state.get() {
            let err = UvError::new(code);
            run_done(slot, Err(err));
            return Err(err);
        }
        (*raw).head.ctl.release = deliver::<C, T, F>;
        (*raw).head.ctl.state.set(State::Callback);
    }
    Ok(())
}

/// The `release` of a callback-form slot: turns the recorded result into the output, then
/// [`run_done`].
///
/// # Safety
/// `head` is a callback-form slot of function `C` with payload `Callback<T, F>`, whose
/// callback has just recorded `raw`; called once, from [`complete`].
unsafe fn deliver<C, T, F>(head: NonNull<Head<C::Kind>>)
where
    C: Completion,
    F: FnOnce(Outcome<C>, T),
{
    let slot = head.cast::<Slot<C::Kind, Callback<T, F>>>();
    let raw = slot.as_ptr();
    // SAFETY: per the contract. Should `output` panic, the slot leaks (as after a panicking
    // poll) rather than being released twice.
    unsafe {
        let result = output_of::<C>(
            &raw mut (*raw).head.req,
            (*raw).head.ctl.raw.get().assume_init(),
        );
        run_done(slot, result);
    }
}

/// Takes a callback-form slot's payload out, frees the block (so that `done` may submit the
/// next request into it), then runs `done` with `result`.
///
/// # Safety
/// `slot` is a callback-form slot neither libuv nor anything else will touch again.
unsafe fn run_done<Kd: Kind, O, T, F: FnOnce(O, T)>(
    slot: NonNull<Slot<Kd, Callback<T, F>>>,
    result: O,
) {
    // SAFETY: per the contract; the payload is taken once, before the block is freed.
    unsafe {
        let Callback { keep, done } = ManuallyDrop::take(&mut (*slot.as_ptr()).keep);
        free::<Kd, Callback<T, F>>(slot);
        done(result, keep);
    }
}

/// The payload of the slot whose request is `req`: for callbacks that run while the request is
/// in flight (such as `uv_queue_work`'s work callback on the threadpool) and need it.
///
/// # Safety
/// `req` must be the request of a live slot of kind `Kd` with payload type `K`. The caller
/// must not create a reference that aliases one the owner holds: while a request is in
/// flight, nothing else touches the payload.
pub unsafe fn keep_of<Kd: Kind, K>(req: *mut Kd::Req) -> *mut K {
    let slot = req.cast::<Slot<Kd, K>>();
    // SAFETY: the request is the first field of the repr(C) slot, per the contract.
    unsafe { (&raw mut (*slot).keep).cast::<K>() }
}

/// Records the completion of a request: called by each kind's libuv callback, exactly once
/// per request, on the loop thread.
///
/// # Safety
/// `req` must be the request of a slot of kind `Kd`, submitted through [`Op::submit`].
// Inline into each kind's callback: an owner waiting is a store and a wake. The rest is out
// of line, where containing a panic costs the common case nothing.
#[inline]
pub unsafe fn complete<Kd: Kind>(req: *mut Kd::Req, raw: Kd::Raw) {
    let head_ptr = req.cast::<Head<Kd>>();
    // SAFETY: the request is the first field of a repr(C) Head, which is live until this
    // callback frees it (orphaned) or the owner takes the result (ready).
    let ctl = unsafe { &(*head_ptr).ctl };
    // SAFETY: linked when it was submitted.
    unsafe { completed(&ctl.link) };
    match ctl.state.get() {
        State::Pending => {
            ctl.raw.set(MaybeUninit::new(raw));
            ctl.state.set(State::Ready);
            ctl.waker.wake();
        }
        // SAFETY: forwarded.
        State::Callback => unsafe { complete_callback::<Kd>(head_ptr, raw) },
        // SAFETY: forwarded.
        State::Orphaned => unsafe { complete_orphaned::<Kd>(head_ptr, raw) },
        state => completed_twice(state),
    }
}

#[cold]
#[inline(never)]
fn completed_twice(state: State) -> ! {
    unreachable!("libuv completed a request in state {state:?}")
}

/// [`complete`] of a callback-form slot: its `release` (`deliver`) reads `raw`, hands the
/// output to the user's function and frees the block. That function is user code inside
/// libuv's callback: its panic is contained.
///
/// # Safety
/// As for [`complete`]; `head_ptr` is the request's slot, unlinked, in the callback form.
#[inline(never)]
unsafe fn complete_callback<Kd: Kind>(head_ptr: *mut Head<Kd>, raw: Kd::Raw) {
    // SAFETY: per the contract.
    unsafe {
        let ctl = &(*head_ptr).ctl;
        ctl.raw.set(MaybeUninit::new(raw));
        let release = ctl.release;
        crate::wake::contain_panic(|| release(NonNull::new_unchecked(head_ptr)));
    }
}

/// [`complete`] of a request whose owner is gone: releases the result, the payload and the
/// block. Both run user code (a payload's destructor: a cancelled `spawn_blocking` closure,
/// say) inside libuv's callback, where a panic must not unwind; `release` frees the block
/// even then.
///
/// # Safety
/// As for [`complete`]; `head_ptr` is the request's slot, unlinked and orphaned.
#[cold]
#[inline(never)]
unsafe fn complete_orphaned<Kd: Kind>(head_ptr: *mut Head<Kd>, raw: Kd::Raw) {
    // SAFETY: per the contract; `ctl` is not touched once `release` has freed it.
    unsafe {
        let release = (*head_ptr).ctl.release;
        crate::wake::contain_panic(|| Kd::discard(head_ptr.cast::<Kd::Req>(), raw));
        crate::wake::contain_panic(|| release(NonNull::new_unchecked(head_ptr)));
    }
}

/// Drops the payload and frees the slot; the slot is freed even if the payload's destructor
/// panics (the panic then continues).
unsafe fn release<Kd: Kind, K>(head: NonNull<Head<Kd>>) {
    let slot = head.cast::<Slot<Kd, K>>();
    struct Free<Kd: Kind, K>(NonNull<Slot<Kd, K>>);
    impl<Kd: Kind, K> Drop for Free<Kd, K> {
        fn drop(&mut self) {
            // SAFETY: the payload was dropped (or its drop panicked, which is final too).
            unsafe { free::<Kd, K>(self.0) };
        }
    }
    let _free = Free(slot);
    // SAFETY: called once per slot, when neither libuv nor an Op will touch it again.
    unsafe { ManuallyDrop::drop(&mut (*slot.as_ptr()).keep) };
}

/// Frees the block; the payload must have been taken or dropped.
// Inline: once per request, and the waker is nearly always gone by now (the callback woke
// it), so what is left is the free list's push.
#[inline]
unsafe fn free<Kd: Kind, K>(slot: NonNull<Slot<Kd, K>>) {
    // SAFETY: the remaining fields (a waker, plain data) are dropped in place, then the block
    // goes back to the free list it came from, with the same layout.
    unsafe {
        if let Some(waker) = (*slot.as_ptr()).head.ctl.waker.take() {
            drop_waker(waker);
        }
        alloc::deallocate(slot.cast(), Layout::new::<Slot<Kd, K>>());
    }
}

/// Drops the waker of a request that was never woken (dropped, or failed). The waker may be
/// anyone's, and this may run in a callback: its drop is contained.
#[cold]
#[inline(never)]
fn drop_waker(waker: Waker) {
    crate::wake::contain_panic(|| drop(waker));
}

#[cfg(test)]
mod tests {
    //! The slot state machine without libuv (so it runs under miri): a fake kind whose
    //! "callback" the test calls by hand.
    use super::*;
    use std::cell::Cell as StdCell;
    use std::rc::Rc;

    /// A request the fake kind's `output` writes into, as `uv_fs_req_cleanup` does.
    struct FakeReq([u64; 8]);

    enum Fake {}

    // SAFETY: never passed to libuv; CANCEL is false, so `uv_cancel` is never called.
    unsafe impl Kind for Fake {
        type Req = FakeReq;
        type Raw = c_int;
        type Callback = ();
        const CALLBACK: () = ();
        const CANCEL: bool = false;

        unsafe fn discard(req: *mut FakeReq, status: c_int) {
            // SAFETY: forwarded contract.
            let _ = unsafe { <Fake as Completion>::output(req, status) };
        }
    }

    // SAFETY: the fake request holds nothing to release.
    unsafe impl Completion for Fake {
        type Kind = Fake;
        type Output = u64;

        unsafe fn output(req: *mut FakeReq, status: c_int) -> Result<u64, UvError> {
            // SAFETY: a live request, written only here (a threadpool would be done by now).
            unsafe { (*req).0[0] += 1 };
            UvError::check(status).map(|_| 7)
        }
    }

    fn submit<K: 'static>(keep: K, ret: c_int) -> (Op<Fake, K>, *mut FakeReq) {
        let mut req = ptr::null_mut();
        // SAFETY: the fake kind's requests go nowhere; the test completes them by hand.
        let op = unsafe {
            Op::submit(keep, |r, _| {
                req = r;
                ret
            })
        };
        (op, req)
    }

    fn poll<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn completes_once_with_output_and_payload() {
        let payload = Rc::new(());
        let (mut op, req) = submit(Keep(payload.clone()), 0);
        assert!(poll(&mut op).is_pending());
        // SAFETY: the request of a pending Fake slot, completed once.
        unsafe { complete::<Fake>(req, 0) };
        let Poll::Ready((result, kept)) = poll(&mut op) else {
            panic!("not ready")
        };
        assert_eq!(result, Ok(7));
        assert!(Rc::ptr_eq(&kept, &payload));
    }

    #[test]
    fn orphaned_slot_is_freed_by_its_callback() {
        let payload = Rc::new(());
        let (op, req) = submit(Keep(payload.clone()), 0);
        drop(op);
        assert_eq!(
            Rc::strong_count(&payload),
            2,
            "libuv may still use the payload"
        );
        // SAFETY: as above; the orphaned slot frees itself here.
        unsafe { complete::<Fake>(req, UvError::ECANCELED.code()) };
        assert_eq!(Rc::strong_count(&payload), 1);
    }

    #[test]
    fn completed_then_dropped_unpolled_discards() {
        let payload = Rc::new(());
        let (op, req) = submit(Keep(payload.clone()), 0);
        // SAFETY: as above.
        unsafe { complete::<Fake>(req, 0) };
        drop(op);
        assert_eq!(Rc::strong_count(&payload), 1);
    }

    #[test]
    fn callback_form_runs_once_and_frees_the_slot_first() {
        let got = Rc::new(StdCell::new(None));
        let before = alloc::stats().in_use;
        let mut req = ptr::null_mut();
        let seen = got.clone();
        // SAFETY: as in `submit`.
        let submitted = unsafe {
            submit_callback::<Fake, _, _>(
                41u64,
                |r, _| {
                    req = r;
                    0
                },
                move |res: Result<u64, UvError>, kept: u64| {
                    // The block is back on the free list before `done` runs.
                    assert_eq!(alloc::stats().in_use, before);
                    seen.set(Some((res, kept)));
                },
            )
        };
        assert_eq!(submitted, Ok(()));
        assert!(got.get().is_none());
        // SAFETY: the request of a pending callback-form Fake slot, completed once.
        unsafe { complete::<Fake>(req, 0) };
        assert_eq!(got.get(), Some((Ok(7), 41)));
        assert_eq!(alloc::stats().in_use, before);
    }

    #[test]
    fn callback_form_refused_runs_done_with_the_error_and_frees_the_slot() {
        let got = Rc::new(StdCell::new(None));
        let seen = got.clone();
        let before = alloc::stats().in_use;
        // SAFETY: never reaches libuv.
        let res = unsafe {
            submit_callback::<Fake, _, _>(
                5u8,
                |_, _| UvError::EINVAL.code(),
                move |res: Result<u64, UvError>, kept: u8| seen.set(Some((res, kept))),
            )
        };
        assert_eq!(res, Err(UvError::EINVAL));
        assert_eq!(
            got.get(),
            Some((Err(UvError::EINVAL), 5)),
            "ran once, before returning"
        );
        assert_eq!(Rc::strong_count(&got), 1, "`done` is gone");
        assert_eq!(alloc::stats().in_use, before);
    }

    #[test]
    fn failed_submission_reports_the_error() {
        let (mut op, _) = submit((), UvError::EINVAL.code());
        assert_eq!(poll(&mut op), Poll::Ready(Err(UvError::EINVAL)));
    }

    #[test]
    fn panic_while_submitting_frees_the_slot() {
        let dropped = Rc::new(StdCell::new(false));
        struct Flag(Rc<StdCell<bool>>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let flag = Flag(dropped.clone());
        let before = alloc::stats().in_use;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: never reaches libuv.
            unsafe { Op::<Fake, Flag>::submit(flag, |_, _| panic!("no runtime")) }
        }));
        assert!(result.is_err());
        assert!(dropped.get(), "the payload was dropped");
        assert_eq!(
            alloc::stats().in_use,
            before,
            "the slot went back to the free list"
        );
    }
}
