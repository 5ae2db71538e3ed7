//! What the runtime's integration tests share.

use std::ffi::CStr;

use uvco_runtime::kind::{fns, Fs};
use uvco_runtime::slot::Kind;
use uvco_runtime::{current_loop, sys, Op};

/// A hand-written `uv_fs_stat` awaitable, the way the macro writes them.
pub fn fs_stat(path: &'static CStr) -> Op<fns::uv_fs_stat, ()> {
    // SAFETY: the path is 'static; fs_stat's callback is <Fs as Kind>::CALLBACK.
    unsafe {
        Op::submit((), |req, _| {
            sys::uv_fs_stat(current_loop(), req, path.as_ptr(), <Fs as Kind>::CALLBACK)
        })
    }
}
