//! The attributes through a re-export of uvco under another name (`uvco_hygiene_test::rt`),
//! with `crate = path`: the generated code names the runtime, the request kinds and the
//! bindings through that path.

use std::os::raw::{c_char, c_int};
use uvco_hygiene_test::rt;
use uvco_hygiene_test::rt::sys::{uv_fs_cb, uv_fs_t, uv_loop_t};

#[rt::uv_awaitable(crate = uvco_hygiene_test::rt)]
unsafe extern "C" {
    /// Equivalent to stat(2).
    fn uv_fs_stat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
}

#[rt::test(crate = uvco_hygiene_test::rt)]
async fn a_declaration_through_a_reexport() {
    // SAFETY: the C string outlives the constructor call; libuv copies it.
    let done = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }
        .await
        .unwrap();
    let size = std::fs::metadata("Cargo.toml").unwrap().len();
    assert_eq!(done.st_size, size);

    // A missing file is libuv's error, through the same path.
    let missing = unsafe { UvFsStat::new(c"no-such-file".as_ptr()) }.await;
    assert_eq!(
        missing
            .err()
            .map(|error| std::io::Error::from(error).kind()),
        Some(std::io::ErrorKind::NotFound)
    );
}

/// `crate = path` with a path relative to this module.
mod relative {
    use uvco_hygiene_test::rt as uv;

    #[uv::test(crate = uv)]
    async fn a_relative_path() {
        uv::task::yield_now().await;
    }
}
