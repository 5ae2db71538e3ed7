//! What every `#[uv_awaitable]` future has in common, written once here so that each
//! declaration expands to a few lines: submitting through the declaration's `call` (with or
//! without a kept value, or in the callback form), and polling, whatever the future's generic
//! parameter is.
//!
//! A generated future `UvX<K>` wraps an [`Op<C, K>`](Op), where `C` is the libuv function's
//! marker in [`fns`](crate::kind::fns) (what it produces) and `K` is `()` when it was created
//! with `new` and [`Keep<T>`](Keep) when created with `with_keep`. Its one `Future` impl is
//! `impl<K: Payload> Future for UvX<K>`, which [`Payload`] turns into `Op`'s two.

use std::ffi::c_int;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::UvError;
use crate::kind::Request;
use crate::slot::{Completion, Keep, Kind, Op, Outcome, ReqOf};

/// The generic parameter of a generated future: `()` or `Keep<T>`, and what each resolves to.
pub trait Payload: Sized + 'static {
    /// [`Outcome<C>`] for `()`, `(Outcome<C>, T)` for `Keep<T>`.
    type Output<C: Completion>;

    /// Polls the request.
    fn poll<C: Completion>(op: &mut Op<C, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<C>>;
}

impl Payload for () {
    type Output<C: Completion> = Outcome<C>;

    #[inline]
    fn poll<C: Completion>(op: &mut Op<C, ()>, cx: &mut Context<'_>) -> Poll<Self::Output<C>> {
        Pin::new(op).poll(cx)
    }
}

impl<T: 'static> Payload for Keep<T> {
    type Output<C: Completion> = (Outcome<C>, T);

    #[inline]
    fn poll<C: Completion>(op: &mut Op<C, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<C>> {
        Pin::new(op).poll(cx)
    }
}

/// A declaration's `call`: calls libuv's function with the slot's request, typed as the
/// declaration's request type `R`, and the arguments.
pub type Call<R, A> = unsafe fn(*mut R, A) -> c_int;

/// Nothing at run time: a declaration's check, at compile time, that its request type `R` is
/// one uvco awaits ([`Request`]) and is the request type of the function `C` it declares.
pub const fn is_request_of<R, C>()
where
    R: Request,
    C: Completion<Kind = R::Kind>,
{
}

/// Nothing at run time: a declaration's check, at compile time, that its callback type `B` is
/// the callback of function `C`'s kind.
pub const fn is_callback_of<B, C>()
where
    C: Completion,
    C::Kind: Kind<Callback = B>,
{
}

/// The callback of function `C`'s kind: what a declaration passes libuv for its callback
/// parameter.
pub const fn callback<C: Completion>() -> <C::Kind as Kind>::Callback {
    <C::Kind as Kind>::CALLBACK
}

/// What the callback form runs when a request of function `C` with payload `K` completes:
/// any `FnOnce(Outcome<C>, K) + 'static`.
pub trait Done<C: Completion, K>: FnOnce(Outcome<C>, K) + 'static {}

impl<C: Completion, K, F: FnOnce(Outcome<C>, K) + 'static> Done<C, K> for F {}

/// Submits a request created with `new`: `call` is the declaration's call of libuv, given
/// the slot's request and the arguments.
///
/// # Safety
/// As for [`Op::submit`]: `call` passes the request to the libuv function `C` with its kind's
/// callback, and nothing libuv uses after the call returns is borrowed from `args`. `R` is
/// `C`'s request struct (the declaration checks it with [`is_request_of`]).
pub unsafe fn submit<C: Completion, R, A>(args: A, call: Call<R, A>) -> Op<C, ()> {
    // SAFETY: forwarded contract.
    unsafe { Op::submit((), move |req: *mut ReqOf<C>, ()| call(req.cast(), args)) }
}

/// Submits a request created with `with_keep`: moves `keep` into the slot first, then computes
/// the arguments from it at its final address and calls libuv through `call`.
///
/// # Safety
/// As for [`submit`], except that what libuv uses after the call may point into `keep`.
pub unsafe fn submit_keep<C: Completion, T: 'static, R, A>(
    keep: T,
    args: impl FnOnce(&mut T) -> A,
    call: Call<R, A>,
) -> Op<C, Keep<T>> {
    // SAFETY: forwarded contract; the slot keeps `keep` in place until the callback has run.
    unsafe {
        Op::submit(Keep(keep), move |req: *mut ReqOf<C>, keep| {
            call(req.cast(), args(&mut keep.0))
        })
    }
}

/// Submits a request created with `with_callback`: as [`submit_keep`], but no future awaits
/// it; `done` gets the outcome and `keep` back when libuv's callback fires (see
/// [`slot::submit_callback`](crate::slot::submit_callback)).
///
/// # Safety
/// As for [`submit_keep`].
pub unsafe fn submit_callback<C: Completion, T: 'static, R, A>(
    keep: T,
    args: impl FnOnce(&mut T) -> A,
    call: Call<R, A>,
    done: impl Done<C, T>,
) -> Result<(), UvError> {
    // SAFETY: forwarded contract.
    unsafe {
        crate::slot::submit_callback::<C, T, _>(
            keep,
            move |req, keep| call(req.cast(), args(keep)),
            done,
        )
    }
}
