//! The libuv bindings every part of uvco calls, in one of two builds:
//!
//! - **bundled** (the default feature): `libuv-sys2`, which compiles the libuv 1.53 it bundles from source
//!   and links it into the artifact. A program with its own loop, or a host that is itself
//!   built on this copy.
//! - **host**: the same bindings, generated from the same headers (`bindings_x86_64_linux.rs`,
//!   refreshed by `scripts/update-host-bindings.sh`, checked by `tests/host_bindings.rs`),
//!   with no libuv compiled or linked. Every `uv_*` is an undefined symbol that the dynamic
//!   loader binds to the host process's libuv (Node.js's, or the `libuv.so.1` a C host links)
//!   when the artifact is loaded. Functions newer than [`MIN_VERSION`](crate::libuv::MIN_VERSION)
//!   are not bound at load time (a missing symbol would make `dlopen` fail on an older host):
//!   they are looked up at run time below, with a fallback where an older function does the
//!   same job.
//!
//! The two builds exclude each other: two libuvs in one process is the bug host mode exists
//! to prevent, so a graph that enables both features does not compile.

#[cfg(all(feature = "host", feature = "bundled"))]
compile_error!(
    "uvco: the `host` and `bundled` features exclude each other. A host addon depends on uvco \
     with `default-features = false, features = [\"host\"]`, and so must every crate in its \
     graph that depends on uvco."
);
#[cfg(not(any(feature = "host", feature = "bundled")))]
compile_error!("uvco: enable the `bundled` feature (the default) or the `host` feature");
#[cfg(all(
    feature = "host",
    not(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))
))]
compile_error!("uvco: the `host` feature has bindings for x86_64-unknown-linux-gnu only");

#[cfg(feature = "bundled")]
pub use libuv_sys2::*;

#[cfg(feature = "host")]
pub use host::*;

#[cfg(feature = "host")]
mod host {
    #![allow(
        missing_docs,
        dead_code,
        non_upper_case_globals,
        non_camel_case_types,
        non_snake_case,
        unsafe_op_in_unsafe_fn,
        clippy::all,
        clippy::undocumented_unsafe_blocks
    )]

    mod bindings {
        include!("bindings_x86_64_linux.rs");
    }
    // The glob is shadowed by the items defined here, so the extern declarations of the
    // newer functions below are never referenced and leave no undefined symbol behind.
    pub use bindings::*;

    pub use super::late::{uv_pipe_bind2, uv_pipe_connect2};
}

/// Functions newer than the oldest supported host, resolved when first called.
#[cfg(feature = "host")]
mod late {
    use std::ffi::{c_char, c_int, c_uint, CStr};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::host::*;

    /// The host's `name`, looked up once and cached: 0 unknown, 1 absent, else the address.
    fn lookup(cache: &AtomicUsize, name: &CStr) -> Option<usize> {
        match cache.load(Ordering::Relaxed) {
            0 => {
                let addr = crate::libuv::process_symbol(name);
                cache.store(addr.unwrap_or(1), Ordering::Relaxed);
                addr
            }
            1 => None,
            addr => Some(addr),
        }
    }

    /// Copies `name[..namelen]` into a NUL-terminated `sun_path`-sized buffer for the pre-1.46
    /// functions, which take a C string. Abstract socket names (a leading or inner NUL) need
    /// 1.46; names that don't fit are `UV_ENAMETOOLONG` (what `UV_PIPE_NO_TRUNCATE` asks for,
    /// and never a silent truncation).
    ///
    /// # Safety
    /// `name` is valid for `namelen` bytes.
    unsafe fn c_name(
        name: *const c_char,
        namelen: usize,
        buf: &mut [u8; 108],
    ) -> Result<(), c_int> {
        if namelen >= buf.len() {
            return Err(uv_errno_t_UV_ENAMETOOLONG);
        }
        // SAFETY: the caller's contract.
        let bytes = unsafe { std::slice::from_raw_parts(name.cast::<u8>(), namelen) };
        if bytes.is_empty() || bytes.contains(&0) {
            return Err(uv_errno_t_UV_EINVAL);
        }
        buf[..namelen].copy_from_slice(bytes);
        buf[namelen] = 0;
        Ok(())
    }

    /// `uv_pipe_bind2` (libuv 1.46), or `uv_pipe_bind` on an older host.
    ///
    /// # Safety
    /// As `uv_pipe_bind2`.
    pub unsafe extern "C" fn uv_pipe_bind2(
        handle: *mut uv_pipe_t,
        name: *const c_char,
        namelen: usize,
        flags: c_uint,
    ) -> c_int {
        type F = unsafe extern "C" fn(*mut uv_pipe_t, *const c_char, usize, c_uint) -> c_int;
        static CACHE: AtomicUsize = AtomicUsize::new(0);
        if let Some(addr) = lookup(&CACHE, c"uv_pipe_bind2") {
            // SAFETY: the host's uv_pipe_bind2, whose C type is F; the arguments are the
            // caller's, under the same contract.
            return unsafe { std::mem::transmute::<usize, F>(addr)(handle, name, namelen, flags) };
        }
        let mut buf = [0u8; 108];
        // SAFETY: the caller's contract: `name` is valid for `namelen` bytes.
        if let Err(err) = unsafe { c_name(name, namelen, &mut buf) } {
            return err;
        }
        // SAFETY: `buf` is NUL-terminated; libuv copies the name during the call.
        unsafe { uv_pipe_bind(handle, buf.as_ptr().cast()) }
    }

    /// `uv_pipe_connect2` (libuv 1.46), or `uv_pipe_connect` on an older host.
    ///
    /// # Safety
    /// As `uv_pipe_connect2`.
    pub unsafe extern "C" fn uv_pipe_connect2(
        req: *mut uv_connect_t,
        handle: *mut uv_pipe_t,
        name: *const c_char,
        namelen: usize,
        flags: c_uint,
        cb: uv_connect_cb,
    ) -> c_int {
        type F = unsafe extern "C" fn(
            *mut uv_connect_t,
            *mut uv_pipe_t,
            *const c_char,
            usize,
            c_uint,
            uv_connect_cb,
        ) -> c_int;
        static CACHE: AtomicUsize = AtomicUsize::new(0);
        if let Some(addr) = lookup(&CACHE, c"uv_pipe_connect2") {
            // SAFETY: the host's uv_pipe_connect2, whose C type is F; the arguments are the
            // caller's, under the same contract.
            return unsafe {
                std::mem::transmute::<usize, F>(addr)(req, handle, name, namelen, flags, cb)
            };
        }
        let mut buf = [0u8; 108];
        // SAFETY: the caller's contract: `name` is valid for `namelen` bytes.
        if let Err(err) = unsafe { c_name(name, namelen, &mut buf) } {
            return err;
        }
        // SAFETY: `buf` is NUL-terminated and libuv copies the name during the call; before
        // 1.46 uv_pipe_connect reports errors through the callback only, as 1.46+ does for
        // connect errors, so the caller's callback still runs exactly once.
        unsafe { uv_pipe_connect(req, handle, buf.as_ptr().cast(), cb) };
        0
    }
}
