#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;
use uvco::Awaitable as _;

#[uvco::uv_awaitable]
unsafe extern "C" {
    fn uv_fs_open(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, flags: c_int, mode: c_int, cb: uv_fs_cb) -> c_int;
}

// The callback form gets the function's typed output: an fd, not a byte count.
fn main() {
    let _ = unsafe {
        UvFsOpen::with_callback((), |()| (c"x".as_ptr(), 0, 0), |res: Result<usize, uvco::UvError>, ()| {
            let _ = res;
        })
    };
}
