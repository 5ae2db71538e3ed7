#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;
use uvco::Awaitable as _;

#[uvco::uv_awaitable]
unsafe extern "C" {
    fn uv_fs_stat(loop_: *mut uv_loop_t, req: *const uv_fs_t, path: *const c_char, cb: uv_fs_cb) -> c_int;
}

// The declaration's error is the only one: its type and constructors still exist, and the
// future still resolves to the function's output (a stat buffer).
#[uvco::main]
async fn main() {
    let done = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }.await.unwrap();
    let _ = done.st_size;
    let (result, _kept) = unsafe { UvFsStat::with_keep(1u8, |_| (c"x".as_ptr(),)) }.await;
    let _ = result;
}
