//! What every `#[uv_awaitable]` future has in common at the runtime's level: polling,
//! whatever the future's generic parameter is, the compile-time checks of a declaration, and
//! the callback form's `done`. (Submitting is the facade's `Awaitable` trait.)
//!
//! A generated future `UvX<K>` wraps an [`Op<C, K>`](Op), where `C` is the libuv function's
//! marker in [`fns`](crate::kind::fns) (what it produces) and `K` is `()` when it was created
//! with `new` and [`Keep<T>`](Keep) when created with `with_keep`. Its one `Future` impl is
//! `impl<K: Payload> Future for UvX<K>`, which [`Payload`] turns into `Op`'s two.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::kind::Request;
use crate::slot::{Completion, Keep, Kind, Op, Outcome};

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
