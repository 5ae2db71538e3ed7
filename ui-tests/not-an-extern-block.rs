#![allow(unused_imports)] // keeps the expected output to the error under test
use std::os::raw::{c_char, c_int};
use uvco::sys::*;

#[uvco::uv_awaitable]
struct NotABlock;

fn main() {
    let _ = NotABlock;
}
