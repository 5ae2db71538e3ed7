//! What every `#[uv_awaitable]` future has in common, written once here so that each
//! declaration expands to a few lines: submitting through the declaration's `call` (with or
//! without a kept value), and polling, whatever the future's generic parameter is.
//!
//! A generated future `UvX<K>` wraps an [`Op<Kd, K>`](Op): `K` is `()` when it was created
//! with `new` and [`Keep<T>`](Keep) when created with `with_keep`. Its one `Future` impl is
//! `impl<K: Payload> Future for UvX<K>`, which [`Payload`] turns into `Op`'s two.

use std::ffi::c_int;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::UvError;
use crate::slot::{Keep, Kind, Op};

/// The generic parameter of a generated future: `()` or `Keep<T>`, and what each resolves to.
pub trait Payload: Sized + 'static {
    /// `Result<Kd::Output, UvError>` for `()`, `(Result<Kd::Output, UvError>, T)` for
    /// `Keep<T>`.
    type Output<Kd: Kind>;

    /// Polls the request.
    fn poll<Kd: Kind>(op: &mut Op<Kd, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<Kd>>;
}

impl Payload for () {
    type Output<Kd: Kind> = Result<Kd::Output, UvError>;

    fn poll<Kd: Kind>(op: &mut Op<Kd, ()>, cx: &mut Context<'_>) -> Poll<Self::Output<Kd>> {
        Pin::new(op).poll(cx)
    }
}

impl<T: 'static> Payload for Keep<T> {
    type Output<Kd: Kind> = (Result<Kd::Output, UvError>, T);

    fn poll<Kd: Kind>(op: &mut Op<Kd, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<Kd>> {
        Pin::new(op).poll(cx)
    }
}

/// Submits a request created with `new`: `call` is the declaration's call of libuv, given
/// the slot's request and the arguments.
///
/// # Safety
/// As for [`Op::submit`]: `call` passes the request to a libuv function of kind `Kd` with the
/// kind's callback, and nothing libuv uses after the call returns is borrowed from `args`.
pub unsafe fn submit<Kd: Kind, A>(
    args: A,
    call: unsafe fn(*mut Kd::Req, A) -> c_int,
) -> Op<Kd, ()> {
    // SAFETY: forwarded contract.
    unsafe { Op::submit((), move |req, ()| call(req, args)) }
}

/// Submits a request created with `with_keep`: moves `keep` into the slot first, then computes
/// the arguments from it at its final address and calls libuv through `call`.
///
/// # Safety
/// As for [`submit`], except that what libuv uses after the call may point into `keep`.
pub unsafe fn submit_keep<Kd: Kind, T: 'static, A>(
    keep: T,
    args: impl FnOnce(&mut T) -> A,
    call: unsafe fn(*mut Kd::Req, A) -> c_int,
) -> Op<Kd, Keep<T>> {
    // SAFETY: forwarded contract; the slot keeps `keep` in place until the callback has run.
    unsafe { Op::submit(Keep(keep), move |req, keep| call(req, args(&mut keep.0))) }
}
