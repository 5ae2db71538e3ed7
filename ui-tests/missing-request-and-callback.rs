#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;

#[uvco::uv_awaitable]
unsafe extern "C" {
    fn uv_fs_stat(loop_: *mut uv_loop_t, path: *const c_char) -> c_int;
}

fn main() {}
