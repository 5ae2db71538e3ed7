#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;

// A request uvco awaits, but not the one `uv_fs_stat` takes: the runtime's kind of the
// declared type (`Write`) is not the function's (`Fs`).
#[uvco::uv_awaitable]
unsafe extern "C" {
    fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_write_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
}

fn main() {}
