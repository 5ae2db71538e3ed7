//! Attributes on declarations: the visibility as written, and `cfg`, lint levels and
//! `deprecated` carried over to every generated item, with no warning from generated code.
#![deny(warnings)]

use std::os::raw::{c_char, c_int};
use uvco::sys::{uv_file, uv_fs_cb, uv_fs_t, uv_loop_t};

/// A deprecated type of this crate, used by a declaration that allows it.
#[deprecated = "a stand-in for a deprecated type"]
type OldFile = uv_file;

#[uvco::uv_awaitable]
unsafe extern "C" {
    /// Private, and only `new` is used: `with_keep` does not warn.
    fn uv_fs_stat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Never compiled: libuv has no such function.
    #[cfg(any())]
    fn uv_fs_frobnicate(loop_: *mut uv_loop_t, req: *mut uv_fs_t, cb: uv_fs_cb) -> c_int;

    /// Declarations under complementary `cfg`s may share a name.
    #[cfg(unix)]
    #[uv(name = Lstat)]
    fn uv_fs_lstat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    #[cfg(not(unix))]
    #[uv(name = Lstat)]
    fn uv_fs_stat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Declared with a deprecated type it allows.
    #[allow(deprecated)]
    fn uv_fs_fsync(loop_: *mut uv_loop_t, req: *mut uv_fs_t, file: OldFile, cb: uv_fs_cb) -> c_int;

    /// Deprecated: using it warns, the generated code does not.
    #[deprecated = "use `UvFsStat`"]
    fn uv_fs_fstat(loop_: *mut uv_loop_t, req: *mut uv_fs_t, file: uv_file, cb: uv_fs_cb) -> c_int;
}

#[uvco::test]
async fn private_cfg_and_deprecated_declarations() {
    // SAFETY: the C string outlives the constructor calls; libuv copies it.
    let stat = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }
        .await
        .unwrap();
    let lstat = unsafe { Lstat::new(c"Cargo.toml".as_ptr()) }.await.unwrap();
    assert_eq!(stat.st_size, lstat.st_size);

    let file = std::fs::File::open("Cargo.toml").unwrap();
    #[allow(deprecated)]
    // SAFETY: `file` is open for the whole request.
    let fstat = unsafe { UvFsFstat::new(std::os::fd::AsRawFd::as_raw_fd(&file)) }
        .await
        .unwrap();
    assert_eq!(fstat.st_size, stat.st_size);
}
