//! # uvco-node: uvco futures as Node.js promises and callbacks, on Node's own loop
//!
//! A Node-API addon written with [napi-rs](https://napi.rs) runs uvco on the libuv loop of the
//! Node.js environment that calls it: the main thread's, or each `worker_threads` worker's. uvco
//! is built with its `host` feature, so the addon links no libuv of its own; every `uv_*` call
//! goes to Node's, and fs work runs on Node's one threadpool.
//!
//! One Rust definition of an operation serves both JS forms:
//!
//! ```ignore
//! use napi::{Env, JsFunction, JsUnknown};
//! use napi_derive::napi;
//!
//! async fn file_size(path: String) -> uvco_node::Result<f64> {
//!     let meta = uvco::fs::metadata(&path).await.syscall("stat", &path)?;
//!     Ok(meta.len() as f64)
//! }
//!
//! /// `fileSize(path)` returns a promise; `fileSize(path, (err, size) => ...)` calls back.
//! #[napi(catch_unwind)]
//! pub fn file_size_js(env: Env, path: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
//!     let path = uvco_node::args::path(&env, path, "path")?;
//!     uvco_node::settle(&env, cb, file_size(path))
//! }
//! ```
//!
//! What this crate guarantees, whichever form the caller picks:
//! - **Async context:** a callback is called with `napi_make_callback` in an async context
//!   made for its operation when the call started (`napi_async_init`), and a promise settles
//!   in the one V8 gave it when the call made it. So `AsyncLocalStorage` and `async_hooks` see
//!   the caller's context in the callback and in the `.then`, and microtasks and
//!   `process.nextTick` callbacks run right after each settle, as after any Node callback.
//! - **Result objects** with fixed fields can be made as fast as JS makes them with a
//!   [`Shape`] (napi-rs's `#[napi(object)]` works too, at several times the cost).
//! - **Errors** reject (or call back) with a JS `Error` that carries `code` (`ENOENT`, ...),
//!   `errno`, and where given `syscall` and `path`, as Node's own fs errors do ([`Error`]).
//!   [`args`] throws `TypeError`s with `ERR_INVALID_ARG_TYPE` for arguments of the wrong type.
//! - **Panics** in an operation reject it with an `Error` whose code is `ERR_RUST_PANIC`; they
//!   never unwind into Node. (Mark the `#[napi]` functions `catch_unwind` for panics in their
//!   synchronous part.)
//! - **Teardown:** when the environment goes away (the process exits, a worker ends), the
//!   runtime is dropped: in-flight operations are cancelled, their futures dropped and their
//!   handles closed, and Node is held (an async cleanup hook) until libuv has called back for
//!   every request, so a worker's loop closes cleanly.
//! - A JS exception thrown by a callback goes to `process.on('uncaughtException')`, as it would
//!   for any Node callback.

#![warn(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

pub mod args;
mod error;
mod runtime;
mod settle;
mod shape;

pub use error::{Error, ErrorClass, Result, Syscall};
pub use runtime::enter;
pub use settle::{callback, promise, request, settle, Settle};
pub use shape::Shape;
