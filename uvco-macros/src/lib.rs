//! uvco's code generator: `#[uv_awaitable]`, `#[uvco::main]` and `#[uvco::test]`.
//!
//! This crate has no API of its own for users: depend on [`uvco`](https://docs.rs/uvco),
//! which re-exports the three attributes as `uvco::uv_awaitable`, `uvco::main` and
//! `uvco::test`, and whose version pins this crate's. The attributes are documented where they
//! are defined, so the documentation is the same under either name.
//!
//! Inside, `#[uv_awaitable]` runs in three steps: `parse` reads the block as written, `model`
//! gives every parameter a role, and `expand` writes the code. The macro knows no request
//! kinds: the expansion asks the runtime (`uvco::kind::Request` for the declared request type,
//! `uvco::kind::fns` for what the function produces), so that one place knows each kind. The generated code names everything through
//! `::uvco`, or the attribute's `crate = path`, so a crate that depends only on `uvco`, or
//! only on a crate that re-exports it, can use the attribute.

mod awaitable;
mod entry;
mod errors;
mod expand;
mod kind;
mod model;
mod options;
mod parse;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Turns declarations of libuv request functions into futures.
///
/// Put it on an `unsafe extern "C" { ... }` block that declares libuv request functions the
/// way `uv.h` does, with the types of `uvco::sys`. For each function it generates a future
/// type: creating the future submits the request, and awaiting it gives what libuv's callback
/// reported. The block itself is not emitted; the generated code calls libuv's own function.
///
/// ```
/// use std::ffi::CString;
/// use std::os::raw::{c_char, c_int};
/// use std::os::unix::ffi::OsStringExt;
/// use uvco::sys::{uv_fs_cb, uv_fs_t, uv_loop_t};
/// use uvco::Awaitable as _; // with_keep and with_callback
///
/// #[uvco::uv_awaitable]
/// unsafe extern "C" {
///     /// Creates a directory with a unique name from a template ending in `XXXXXX`.
///     fn uv_fs_mkdtemp(
///         loop_: *mut uv_loop_t,
///         req: *mut uv_fs_t,
///         tpl: *const c_char,
///         cb: uv_fs_cb,
///     ) -> c_int;
/// }
///
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let template = std::env::temp_dir().join("uvco-doc-XXXXXX").into_os_string();
///     let template = CString::new(template.into_vec()).unwrap();
///     // SAFETY: `template` is a C string that lives through the call, and libuv copies the
///     // paths of fs requests, so nothing else must outlive it.
///     let dir = unsafe { UvFsMkdtemp::new(template.as_ptr()) }.await?; // a CString
///     let dir = dir.to_str().unwrap();
///     assert!(std::path::Path::new(dir).is_dir());
///     std::fs::remove_dir(dir)
/// }
/// ```
///
/// # The declarations
///
/// The attribute takes one optional argument, `crate = path` (see [Options](#options)), and
/// the block takes no attributes of its own (put doc comments on the functions). Each function is a libuv request function: it returns `c_int`
/// (0, or a negative libuv error code) and takes its parameters in libuv's order. Every
/// parameter gets a role from its type, and the request from its name too:
///
/// | role | recognised by | what the generated code passes |
/// |---|---|---|
/// | loop (optional, at most one) | its type, `*mut uv_loop_t`; name it as you like (`loop_`) | the current runtime's loop |
/// | request (exactly one) | its name `req`, or else the first pointer to a `uv_<x>_t` | the request struct in a runtime-owned slot |
/// | callback (exactly one) | the last parameter whose type's name ends in `_cb` (`uv_fs_cb`); an earlier one (`uv_queue_work`'s `uv_work_cb`) is an argument | the runtime's completion callback for the kind |
/// | argument | anything else | the constructor's parameter of the same name and type |
///
/// A parameter named `req` is always the request, so a wrong type on it is reported as such.
/// The runtime says which request types uvco awaits (`uvco::kind::Request`: `uv_fs_t`,
/// `uv_getaddrinfo_t`, `uv_getnameinfo_t`, `uv_write_t`, `uv_connect_t`, `uv_shutdown_t`,
/// `uv_udp_send_t`, `uv_work_t`, `uv_random_t`; any other is that trait's error, on the declared
/// type) and what each function produces: the marker of the function's name in
/// `uvco::kind::fns`, whose output the future resolves to. `uv_fs_stat` gives a `uv_stat_t`,
/// `uv_fs_open` the fd, `uv_fs_read` a byte count, `uv_fs_readlink` a `CString`, `uv_fs_scandir`
/// the entries, `uv_getaddrinfo` an `AddrInfoList` (freed with `uv_freeaddrinfo` when
/// dropped), writes, connects and most fs functions `()`; each read straight out of the
/// request, then `uv_fs_req_cleanup` where the kind needs it. A function `fns` does not have is
/// "cannot find type" on its name. The callback passed is the kind's own, and a declared
/// callback type of another kind is a type error on it.
///
/// A negative return from the libuv function, or a negative status in the callback, resolves
/// to `Err(uvco::UvError)`.
///
/// # What is generated
///
/// For `fn uv_fs_mkdtemp(loop_, req, tpl: *const c_char, cb)` above:
///
/// - `struct UvFsMkdtemp<K = ()>`: the future. Its name is the UpperCamelCase of the
///   function's name unless `#[uv(name = ...)]` says otherwise. Its documentation is the
///   declaration's doc comment followed by a line linking libuv's function and here. It is
///   `#[must_use]`: dropping it cancels the request.
/// - `unsafe fn new(tpl: *const c_char) -> UvFsMkdtemp`: submits the request with these
///   arguments (every argument, in declaration order). Not generated when a parameter is
///   `#[uv(keep)]`.
/// - `unsafe impl uvco::Awaitable for UvFsMkdtemp`: the function's marker in
///   `uvco::kind::fns` (what it resolves to), its arguments as a tuple, and `call`, which calls
///   libuv's function. The trait's provided methods are the same for every generated type
///   (bring them into scope with `use uvco::Awaitable as _;`):
///   - `unsafe fn with_keep<K: 'static>(keep: K, args: impl FnOnce(&mut K) -> (*const
///     c_char,)) -> UvFsMkdtemp<uvco::Keep<K>>`: first moves `keep` into the request's slot,
///     then calls `args` with it at its final address to compute the arguments (a tuple of
///     all of them, in declaration order), so that arguments can point into memory that
///     lives as long as the request.
///   - `unsafe fn with_callback<K: 'static>(keep: K, args: impl FnOnce(&mut K) -> (*const
///     c_char,), done: impl FnOnce(Result<CString, UvError>, K) + 'static) -> Result<(),
///     UvError>`: the [callback form](#the-callback-form).
/// - One `impl<K> Future for UvFsMkdtemp<K>`: a future made by `new` resolves to
///   `Result<CString, UvError>` (what `uvco::kind::fns::uv_fs_mkdtemp` produces), one made by
///   `with_keep` to `(Result<CString, UvError>, K)`, the kept value handed back with the result.
/// - `const LIBUV_FN`: the declared signature as a function pointer, initialised with
///   libuv-sys2's function, so that a declaration that differs from the binding in any way is
///   a type error on it.
///
/// The request and the kept value live in a slot owned by the runtime, never in the future:
/// dropping the future before completion asks libuv to cancel where the kind allows it
/// (`uv_cancel` on threadpool requests that have not started and on writes still queued
/// behind another; connects, shutdowns and UDP sends run on until their handle closes), and
/// the slot, with what the result holds (an fd from an `open`, an address list), is released
/// when libuv's callback has run, which it always does exactly once.
///
/// The type and its constructors take the declaration's visibility: `pub fn uv_fs_mkdtemp`
/// makes `UvFsMkdtemp` public, a plain `fn` keeps it private to the module. Attributes on a
/// declaration: doc comments; `#[cfg(...)]`, `#[cfg_attr(...)]`, `#[allow(...)]`, `#[warn(...)]`
/// and `#[deny(...)]` go on every generated item; `#[deprecated]` goes on the type and its
/// constructors. `#[expect(...)]` is refused (it would go unfulfilled on most of the items),
/// and so is any other attribute. The generic parameter is named `K`, or `K1`, `K2`, ... when
/// the declaration's own types name a `K`.
///
/// # Options
///
/// - `#[uv_awaitable(crate = path)]`: the path the generated code names uvco by, `::uvco`
///   unless given. For a crate that re-exports uvco (`pub use uvco as rt;`) so that its users
///   need no `uvco` dependency of their own: `#[my_crate::rt::uv_awaitable(crate =
///   my_crate::rt)]`. `#[uvco::main]` and `#[uvco::test]` take it too.
///
/// ```
/// use std::os::raw::{c_char, c_int};
/// use uvco as rt; // what a wrapper crate's `pub use uvco as rt;` gives its users
/// use rt::sys::{uv_fs_cb, uv_fs_t, uv_loop_t};
///
/// #[rt::uv_awaitable(crate = rt)]
/// unsafe extern "C" {
///     fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
/// }
///
/// #[rt::main(crate = rt)]
/// async fn main() {
///     // SAFETY: the C string outlives the call, and libuv copies it.
///     let stat = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }.await.unwrap();
///     assert!(stat.st_size > 0);
/// }
/// ```
///
/// - `#[uv(name = TypeName)]` on a function: the name of the generated type, instead of the
///   UpperCamelCase of the function's name. Needed when that is not an identifier (`__`) or
///   would clash with another declaration's type.
/// - `#[uv(keep)]` on an argument: libuv uses the memory it points to after the call returns,
///   until the callback has run (a read or write buffer, a `uv_dir_t`'s entries), so it must
///   point into the kept value. Only `with_keep` is generated, not `new`.
///
/// ```
/// use std::os::raw::{c_int, c_uint, c_void};
/// use uvco::sys::{uv_loop_t, uv_random_cb, uv_random_t};
/// use uvco::Awaitable as _; // with_keep and with_callback
///
/// #[uvco::uv_awaitable]
/// unsafe extern "C" {
///     /// Fills `buf` from the system's CSPRNG, on the threadpool.
///     #[uv(name = RandomBytes)]
///     fn uv_random(
///         loop_: *mut uv_loop_t,
///         req: *mut uv_random_t,
///         #[uv(keep)] buf: *mut c_void,
///         buflen: usize,
///         flags: c_uint,
///         cb: uv_random_cb,
///     ) -> c_int;
/// }
///
/// #[uvco::main]
/// async fn main() {
///     // SAFETY: `buf` points into the kept array, which the slot holds until the callback
///     // has run, and `buflen` is its length.
///     let (result, bytes) = unsafe {
///         RandomBytes::with_keep([0u8; 32], |bytes| (bytes.as_mut_ptr().cast(), bytes.len(), 0))
///     }
///     .await;
///     result.unwrap();
///     assert!(bytes.iter().any(|&b| b != 0));
/// }
/// ```
///
/// # The callback form
///
/// `with_callback` submits the same request without a future or a task: `done` runs with the
/// result and the kept value when libuv's callback fires, on the loop's thread, at the cost of
/// a raw libuv callback (the slot is the one allocation, from the free list, and it is back on
/// the free list before `done` runs, so `done` may submit the next request into it). This is
/// what a host that wants callbacks (a Node addon, a C API) uses. `done` runs exactly once:
/// if libuv refuses the request, with that error before `with_callback` returns it too (a
/// caller that must not be called back synchronously can tell); otherwise from libuv's
/// callback. A request in this form can't be cancelled: dropping the runtime waits for it,
/// bounded as for a started threadpool job. A panic in `done` inside libuv's callback is
/// contained: nothing unwinds into libuv.
///
/// ```
/// use std::cell::Cell;
/// use std::os::raw::{c_char, c_int};
/// use std::rc::Rc;
/// use uvco::sys::{uv_fs_cb, uv_fs_t, uv_loop_t};
/// use uvco::Awaitable as _; // with_keep and with_callback
///
/// #[uvco::uv_awaitable]
/// unsafe extern "C" {
///     fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
/// }
///
/// let rt = uvco::Runtime::new().unwrap();
/// let _in_rt = rt.enter(); // the constructor submits on the current runtime's loop
/// let size = Rc::new(Cell::new(0));
/// let seen = size.clone();
/// // SAFETY: libuv copies the path during the call.
/// unsafe {
///     UvFsStat::with_callback((), |()| (c"Cargo.toml".as_ptr(),), move |res, ()| {
///         seen.set(res.unwrap().st_size);
///     })
/// }
/// .unwrap();
/// rt.block_on(async { while size.get() == 0 { uvco::task::yield_now().await } });
/// assert!(size.get() > 0);
/// ```
///
/// # Checked against libuv's own declaration
///
/// The generated code calls libuv's own function from `uvco::sys` with each argument spanned
/// on its declared type, so a parameter whose type differs from libuv's is an error on that
/// type, naming the type libuv has there (`expected *const i8, found *const u8`); a missing
/// or extra parameter is an error on the name, and a function libuv does not have is "cannot
/// find function" on it. A private associated constant of the declared function type,
/// `const LIBUV_FN: unsafe extern "C" fn(<the declared types>) -> c_int`, initialised with
/// libuv's function, also catches what a call would coerce (a `*mut` declared for libuv's
/// `*const`), so such a mismatch is reported by it as well. Only types are checked: two
/// parameters of the same type in swapped order are not caught, so copy the order from `uv.h`.
///
/// ```compile_fail
/// use std::os::raw::{c_char, c_int};
/// use uvco::sys::{uv_fs_cb, uv_fs_t, uv_loop_t};
///
/// #[uvco::uv_awaitable]
/// unsafe extern "C" {
///     // libuv's uv_fs_mkdir also takes `mode: c_int`: this does not compile.
///     fn uv_fs_mkdir(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
/// }
/// # fn main() {}
/// ```
///
/// Every other misuse (a missing request or callback, a callback of another kind, a variadic
/// or `async` function, an unknown option, ...) is a compile error spanned on the offending
/// tokens, and all the errors of one block are reported together.
///
/// # Safety
///
/// `new`, `with_keep` and `with_callback` are `unsafe fn`s: they hand raw pointers to libuv, which the compiler
/// cannot check. The caller promises that
///
/// - every pointer argument is valid, for what libuv does with it, for the duration of the
///   call. libuv copies some arguments during the call: the paths of `uv_fs_*` requests, the
///   `uv_buf_t` array of `uv_write` (but not the bytes it points to), the node, service and
///   hints of `uv_getaddrinfo`;
/// - memory libuv reads or writes after the call returns, until the callback has run (buffers,
///   directory entries), is owned by the kept value and the arguments point into it: create
///   such requests with `with_keep`, and mark those parameters `#[uv(keep)]` so that `new` is
///   not generated for them. The kept value stays at one address in the slot until the
///   callback has run, even if the future is dropped, and is handed back (or dropped) only
///   after that;
/// - a handle argument (a `uv_stream_t`, `uv_tcp_t`, `uv_udp_t`, ...) is an initialised handle
///   of the current runtime's loop that is not freed before the request's callback has run;
/// - arguments make sense to libuv (a valid fd, a buffer length no longer than the buffer).
///
/// What the result names is the caller's to manage, as with the C API: an fd from
/// `uv_fs_open` is a plain `uv_file` the caller closes (it is closed for you only when the future itself is
/// dropped before handing the result over). The constructors of requests that take a loop
/// must be called inside a uvco runtime (in a task, `block_on` or `Runtime::enter`): outside
/// one they panic, before anything is submitted. Requests without a loop parameter
/// (`uv_write`, `uv_tcp_connect`, ...) run on their handle's loop, which must be the current
/// runtime's.
#[proc_macro_attribute]
pub fn uv_awaitable(attr: TokenStream, item: TokenStream) -> TokenStream {
    awaitable::expand(attr.into(), item.into()).into()
}

/// Runs an `async fn main` to completion on a new uvco runtime.
///
/// ```
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let text = uvco::fs::read_to_string("Cargo.toml").await?;
///     assert!(text.contains("[package]"));
///     Ok(())
/// }
/// ```
///
/// becomes a plain `fn main() -> std::io::Result<()>` that creates a `uvco::Runtime` with a
/// loop of its own and blocks on the body:
///
/// ```
/// fn main() -> std::io::Result<()> {
///     uvco::Runtime::new()
///         .expect("uvco: failed to create the libuv loop")
///         .block_on(async move {
///             let text = uvco::fs::read_to_string("Cargo.toml").await?;
///             assert!(text.contains("[package]"));
///             Ok(())
///         })
/// }
/// ```
///
/// The body's value is `main`'s return value, so any return type `main` may have works. When
/// the body returns, the runtime is dropped: tasks still running are dropped with it (their
/// `JoinHandle`s report `JoinError::RuntimeDropped`), requests in flight are cancelled and
/// their callbacks run, and the loop is closed. The function may have any name and
/// visibility, takes no parameters, and must be `async`; the attribute takes only `crate =
/// path` (as [`uv_awaitable`](macro@uv_awaitable) does). The function's attributes stay on
/// it, and inner attributes of the body (`#![allow(...)]`) become its outer attributes. Each
/// misuse is a compile error on the offending tokens, and the function is expanded all the
/// same, so rustc adds nothing of its own. The body is not parsed by the attribute: a syntax
/// error in it is rustc's to report, and a body whose value is not the return type is
/// reported at its last expression.
///
/// To run on a loop someone else drives, or to choose runtime options, create the runtime
/// yourself: `uvco::Runtime::builder()`, `uvco::Runtime::attach`.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(attr.into(), item.into()).into()
}

/// Makes an `async fn` a test that runs to completion on a new uvco runtime.
///
/// ```
/// #[uvco::test]
/// async fn reads_a_file() {
///     let text = uvco::fs::read_to_string("Cargo.toml").await.unwrap();
///     assert!(text.contains("[package]"));
/// }
/// # fn main() {}
/// ```
///
/// expands to a `#[test] fn reads_a_file()` that creates a `uvco::Runtime` and blocks on the
/// `async` body, as `#[uvco::main]` does. Every test gets its own
/// runtime and loop on the test harness's thread, so tests run in parallel without sharing
/// anything. The body may return what a `#[test]` may (`()`, `Result<(), E>`), and other test
/// attributes such as `#[should_panic]` and `#[ignore]` stay on the function. Don't add
/// `#[test]` yourself: the attribute already makes it a test, and a second `#[test]` is a
/// compile error. As with `#[uvco::main]`, the function takes no parameters, must be `async`,
/// and the attribute takes `crate = path`, and `start_paused = true` to pause the clock first
/// (`uvco::time::pause`).
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(attr.into(), item.into()).into()
}
