//! uvco's code generator. Use it through the `uvco` facade: `uvco::uv_awaitable`,
//! `uvco::main` and `uvco::test`.
//!
//! # `#[uv_awaitable]`
//!
//! On an `extern "C"` block of libuv request functions, generates one future type per function.
//! Each function has one request parameter (`*mut uv_<kind>_t`), one callback parameter
//! (`uv_<kind>_cb`), optionally a `*mut uv_loop_t`, and returns `c_int`; every other parameter
//! is an argument of the generated constructor.
//!
//! ```ignore
//! use std::os::raw::{c_char, c_int, c_uint};
//! use uvco::sys::*;
//!
//! #[uvco::uv_awaitable]
//! unsafe extern "C" {
//!     /// Equivalent to stat(2).
//!     pub fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
//!
//!     /// Writes `bufs` to `handle`.
//!     #[uv(name = Write)]
//!     pub fn uv_write(
//!         req: *mut uv_write_t,
//!         handle: *mut uv_stream_t,
//!         #[uv(keep)] bufs: *const uv_buf_t,
//!         nbufs: c_uint,
//!         cb: uv_write_cb,
//!     ) -> c_int;
//! }
//!
//! // Inside a uvco runtime:
//! let stat = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }.await?;
//! ```
//!
//! `uv_fs_stat` becomes `UvFsStat`, a future resolving to `Result<FsDone, UvError>`, with
//! `unsafe fn new(path: *const c_char)` and
//! `unsafe fn with_keep(keep: K, args: impl FnOnce(&mut K) -> (*const c_char,))`. Creating the
//! future submits the request; the request, and with `with_keep` the value `keep`, live in a
//! slot owned by the runtime until libuv's callback has run, and dropping the future cancels the
//! request. The declaration's doc comment carries over to the type, and the declaration is
//! checked against `libuv_sys2`'s own at compile time: the constructors call libuv through a
//! private `LIBUV_FN` constant of the declared function type, so a declaration that differs
//! from libuv's is one type error on it.
//!
//! The type and its constructors have the declaration's visibility (`pub fn uv_fs_stat` makes
//! `UvFsStat` public; without `pub` it is private to the module). `#[cfg(...)]`,
//! `#[cfg_attr(...)]`, `#[allow(...)]`, `#[warn(...)]` and `#[deny(...)]` on a declaration go on
//! every item generated from it, and `#[deprecated]` on the type and its constructors.
//! (`#[expect(...)]` is refused: on several items, it would go unfulfilled on most.) The generic
//! parameter is named `K`, or `K1`, `K2`, ... if the declaration's types name a `K`.
//!
//! Options:
//! - `#[uv(name = TypeName)]` on a function names the generated type, instead of the
//!   UpperCamelCase of the function's name.
//! - `#[uv(keep)]` on an argument says libuv uses its memory after the call returns, so it must
//!   point into the kept value: only `with_keep` is generated, not `new`.
//!
//! Every misuse is a compile error on the offending tokens, all of them reported together.
//!
//! # `#[uvco::main]` and `#[uvco::test]`
//!
//! ```ignore
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let text = uvco::fs::read_to_string("Cargo.toml").await?;
//!     Ok(())
//! }
//!
//! #[uvco::test]
//! async fn reads_a_file() {
//!     assert!(!uvco::fs::read_to_string("Cargo.toml").await.unwrap().is_empty());
//! }
//! ```
//!
//! Each turns the `async fn` into a plain `fn` (a `#[test]` for `#[uvco::test]`) that creates a
//! `uvco::Runtime` and blocks on the body.

mod awaitable;
mod entry;
mod errors;
mod expand;
mod kind;
mod model;
mod parse;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Generates a future type for each libuv request function declared in an `extern "C"` block.
/// See the [crate documentation](crate).
#[proc_macro_attribute]
pub fn uv_awaitable(attr: TokenStream, item: TokenStream) -> TokenStream {
    awaitable::expand(attr.into(), item.into()).into()
}

/// Runs `async fn main` to completion on a new uvco runtime.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(attr.into(), item.into()).into()
}

/// Makes an `async fn` a test that runs to completion on a new uvco runtime.
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(attr.into(), item.into()).into()
}
