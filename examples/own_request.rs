//! Declaring libuv requests of your own with `#[uvco::uv_awaitable]`, and awaiting them.
//!
//! ```sh
//! cargo run --example own_request
//! ```
//!
//! `uvco::requests` already has a future for every libuv request function; this is how you
//! would write one it lacks. Each declaration below is copied from `uv.h` (with the types of
//! `uvco::sys`) and checked against libuv's own at compile time: change a parameter's type
//! and this example stops compiling. The attribute generates, per function, a future type
//! with `unsafe fn new(...)` (arguments libuv is done with when the call returns) and
//! `unsafe fn with_keep(keep, |keep| args)` (arguments pointing into memory the request owns
//! until libuv's callback has run).

use std::ffi::CString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::raw::{c_char, c_int, c_uint};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use uvco::sys::{uv_buf_t, uv_file, uv_fs_cb, uv_fs_t, uv_loop_t};
use uvco::Awaitable as _;

#[uvco::uv_awaitable]
unsafe extern "C" {
    /// Creates a uniquely named directory from a template ending in `XXXXXX`; the created
    /// path is in the result's `path()`.
    fn uv_fs_mkdtemp(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        tpl: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Copies the file at `path` to `new_path` (`flags`: `UV_FS_COPYFILE_*`).
    #[uv(name = CopyFile)]
    fn uv_fs_copyfile(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Reads into `bufs` at `offset`. libuv writes into the buffers on the threadpool after
    /// the call has returned, so they are kept: only `ReadAt::with_keep` is generated.
    #[uv(name = ReadAt)]
    fn uv_fs_read(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        offset: i64,
        cb: uv_fs_cb,
    ) -> c_int;
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).expect("no NUL in the path")
}

/// What `ReadAt` keeps alive: the bytes libuv reads into, and the `uv_buf_t` that describes
/// them (which the kept `bufs` argument points at).
struct ReadBuf {
    bytes: Vec<u8>,
    buf: uv_buf_t,
}

/// Reads up to `len` bytes of `file` at `offset`, through the generated `ReadAt`.
async fn read_at(file: &uvco::fs::File, len: usize, offset: i64) -> io::Result<Vec<u8>> {
    let keep = ReadBuf {
        bytes: vec![0; len],
        buf: uv_buf_t {
            base: std::ptr::null_mut(),
            len: 0,
        },
    };
    let fd = file.as_raw_fd();
    // SAFETY: `keep` is moved into the request's slot before `args` runs, so `buf` points
    // into the slot and `buf.base` into the kept Vec's heap block; both stay put until the
    // callback has run. `fd` is open for as long as `file` is borrowed, which outlasts the
    // await.
    let (result, keep) = unsafe {
        ReadAt::with_keep(keep, |keep| {
            keep.buf = uv_buf_t {
                base: keep.bytes.as_mut_ptr().cast(),
                len: keep.bytes.len(),
            };
            (fd, &raw const keep.buf, 1, offset)
        })
    }
    .await;
    let read = result?; // the byte count
    let mut bytes = keep.bytes;
    bytes.truncate(read);
    Ok(bytes)
}

#[uvco::main]
async fn main() -> io::Result<()> {
    // uv_fs_mkdtemp through the generated `UvFsMkdtemp::new`.
    let template = c_path(&std::env::temp_dir().join("uvco-own-request-XXXXXX"));
    // SAFETY: `template` is a C string that lives through the call; libuv copies the paths
    // of fs requests, so nothing must outlive the call.
    let dir = unsafe { UvFsMkdtemp::new(template.as_ptr()) }.await?; // the path, a CString
    let dir = Path::new(std::ffi::OsStr::from_bytes(dir.to_bytes())).to_path_buf();
    println!("uv_fs_mkdtemp  -> {}", dir.display());

    // uv_fs_copyfile through the renamed `CopyFile::new`.
    let original = dir.join("original.txt");
    let text = b"declared with #[uvco::uv_awaitable]\n";
    uvco::fs::write(&original, &text[..]).await?;
    let copy = dir.join("copy.txt");
    let (from, to) = (c_path(&original), c_path(&copy));
    // SAFETY: both paths are C strings that live through the call (libuv copies them).
    let () = unsafe { CopyFile::new(from.as_ptr(), to.as_ptr(), 0) }.await?;
    println!("uv_fs_copyfile -> ok");

    // uv_fs_read with a kept buffer, through `ReadAt::with_keep`.
    let file = uvco::fs::File::open(&copy).await?;
    let bytes = read_at(&file, 64, 0).await?;
    println!("uv_fs_read     -> {:?}", String::from_utf8_lossy(&bytes));
    assert_eq!(bytes, text);
    file.close().await?;

    // What a failing request gives: libuv's error, as `UvError` (and then `io::Error`).
    let missing = c_path(&dir.join("missing.txt"));
    // SAFETY: as above.
    let err = unsafe { CopyFile::new(missing.as_ptr(), to.as_ptr(), 0) }
        .await
        .unwrap_err();
    println!("uv_fs_copyfile -> {err}");
    assert_eq!(err, uvco::UvError::ENOENT);

    uvco::fs::remove_dir_all(&dir).await?;
    println!("ok");
    Ok(())
}
