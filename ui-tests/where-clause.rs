#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;

#[uvco::uv_awaitable]
unsafe extern "C" {
    fn uv_fs_stat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int
    where
        u8: Copy;
}

fn main() {}
