//! What every `#[uv_awaitable]` future has in common at the runtime's level: polling,
//! whatever the future's generic parameter is, and the callback form's `done`. (Submitting,
//! and a declaration's compile-time checks, are the facade's `Awaitable`.)
//!
//! A generated future `UvX<K>` wraps an [`Op<C, K>`](Op), where `C` is the libuv function's
//! marker in [`fns`](crate::kind::fns) (what it produces) and `K` is `()` when it was created
//! with `new` and [`Keep<T>`](Keep) when created with `with_keep`. Its one `Future` impl is
//! `impl<K: Payload> Future for UvX<K>`, which [`Payload`] turns into `Op`'s two.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::slot::{Completion, Keep, Op, Outcome};

/// The generic parameter of a generated future: `()` or `Keep<T>`, and what each resolves to.
pub trait Payload: Sized + 'static {
    /// [`Outcome<C>`] for `()`, `(Outcome<C>, T)` for `Keep<T>`.
    type Output<C: Completion>;

    /// Polls the request.
    fn poll<C: Completion>(op: &mut Op<C, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<C>>;
}

impl Payload for () {
    type Output<C: Completion> = Outcome<C>;

    #[inline(always)]
    fn poll<C: Completion>(op: &mut Op<C, ()>, cx: &mut Context<'_>) -> Poll<Self::Output<C>> {
        Pin::new(op).poll(cx)
    }
}

impl<T: 'static> Payload for Keep<T> {
    type Output<C: Completion> = (Outcome<C>, T);

    #[inline(always)]
    fn poll<C: Completion>(op: &mut Op<C, Self>, cx: &mut Context<'_>) -> Poll<Self::Output<C>> {
        Pin::new(op).poll(cx)
    }
}

/// What the callback form runs when a request of function `C` with payload `K` completes:
/// any `FnOnce(Outcome<C>, K) + 'static`.
pub trait Done<C: Completion, K>: FnOnce(Outcome<C>, K) + 'static {}

impl<C: Completion, K, F: FnOnce(Outcome<C>, K) + 'static> Done<C, K> for F {}
