//! A downstream crate with only `uvco` as a dependency, declaring its own awaitables.
//! The generated code must name everything through `::uvco`, so this compiles without
//! `libuv-sys2`, `uvco-runtime` or `uvco-macros` in this crate's dependencies.

use std::os::raw::{c_char, c_int, c_uint, c_void};
use uvco::sys::{uv_fs_cb, uv_fs_t, uv_loop_t, uv_random_cb, uv_random_t};
use uvco::Awaitable as _;

/// uvco under another name, as a wrapper crate (napi bindings, an editor's plugin API)
/// re-exports it: `tests/crate_path.rs` uses the attributes through it, with `crate = path`.
pub use uvco as rt;

/// A type of this crate named like the generated types' generic parameter: the declaration's
/// `K` must stay this one.
type K = c_uint;

#[uvco::uv_awaitable]
unsafe extern "C" {
    /// Copies a file.
    #[uv(name = CopyFile)]
    pub fn uv_fs_copyfile(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Random bytes from the system's CSPRNG.
    pub fn uv_random(
        loop_: *mut uv_loop_t,
        req: *mut uv_random_t,
        #[uv(keep)] buf: *mut c_void,
        buflen: usize,
        flags: K,
        cb: uv_random_cb,
    ) -> c_int;
}

/// 32 random bytes, through this crate's own generated future.
pub async fn random32() -> std::io::Result<[u8; 32]> {
    // SAFETY: the buffer is moved into the request slot and comes back with the result.
    let (res, buf) =
        unsafe { UvRandom::with_keep([0u8; 32], |b| (b.as_mut_ptr().cast(), b.len(), 0)) }.await;
    res?;
    Ok(buf)
}
