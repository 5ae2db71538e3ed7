//! Files and directories, the `std::fs` way, on the libuv loop.
//!
//! Every function here mirrors its `std::fs` (or `tokio::fs`) namesake and returns
//! [`std::io::Result`]; each libuv request behind it runs on libuv's threadpool while the loop
//! goes on with other work. Paths shorter than 512 bytes cost no heap allocation, and neither
//! does a request: it lives in a runtime-owned slot. The exceptions are [`copy`] and
//! [`remove_dir_all`], which run std's implementations on the threadpool (their docs say
//! why) and take owned paths.
//!
//! The composite operations [`read`], [`read_to_string`], [`write`](fn@write) and
//! [`read_dir_metadata`] make one threadpool hop each: their system calls (open, fstat,
//! read, close; a listing and every entry's lstat) run back to back on one pool thread, as
//! libuv's own synchronous calls, instead of one request and one loop round trip apiece.
//!
//! Buffers are passed by ownership: [`File::read_owned`] and [`File::write_owned`] take a `Vec<u8>` and
//! hand it back with the result, so that libuv never writes into memory that a dropped future
//! gave back. Dropping any future of this module before it completes is safe: the request
//! finishes (or is cancelled) in the background, and an fd it holds is closed afterwards.
//!
//! ```
//! # uvco::Runtime::new().unwrap().block_on(async {
//! use uvco::fs;
//!
//! let dir = std::env::temp_dir().join(format!("uvco-fs-doc-{}", std::process::id()));
//! fs::create_dir_all(dir.join("sub")).await?;
//! fs::write(dir.join("sub/hello.txt"), "hello uvco").await?;
//! assert_eq!(fs::read_to_string(dir.join("sub/hello.txt")).await?, "hello uvco");
//!
//! let mut entries = fs::read_dir(dir.join("sub")).await?;
//! while let Some(entry) = entries.next_entry().await? {
//!     assert_eq!(entry.file_name(), "hello.txt");
//!     assert!(entry.file_type().await?.is_file());
//! }
//! fs::remove_dir_all(&dir).await?;
//! assert!(!fs::try_exists(&dir).await?);
//! # std::io::Result::Ok(())
//! # }).unwrap();
//! ```

#[cfg(target_os = "linux")]
mod cached;
mod contents;
mod dir;
mod dir_metadata;
mod fd;
mod file;
mod metadata;
mod one_hop;
mod open_options;
mod poll;
mod scratch;
mod watch;

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::os::raw::c_int;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use crate::path::with_c_path;
use crate::requests::{
    UvFsChmod, UvFsLink, UvFsLstat, UvFsReadlink, UvFsRealpath, UvFsRename, UvFsStat, UvFsSymlink,
    UvFsUnlink,
};

pub use contents::{read, read_to_string, write};
pub use dir::{
    create_dir, create_dir_all, read_dir, remove_dir, remove_dir_all, DirEntry, ReadDir,
};
pub use dir_metadata::read_dir_metadata;
pub use file::File;
pub use metadata::{FileType, Metadata, Permissions};
pub use open_options::OpenOptions;
pub use poll::{poll, StatWatcher};
pub use watch::{watch, watch_recursive, WatchEvent, Watcher};

/// Calls `f` with both paths as C strings (see [`with_c_path`]).
fn with_c_paths<T>(a: &Path, b: &Path, f: impl FnOnce(&CStr, &CStr) -> T) -> io::Result<T> {
    with_c_path(a, |a| with_c_path(b, |b| f(a, b)))?
}

/// `InvalidInput` if `path` holds a NUL byte, as for the functions that make it a C string,
/// and before anything is submitted (std would find it too, but only on the threadpool).
fn no_nul(path: &Path) -> io::Result<()> {
    with_c_path(path, |_| ())
}

/// A path that libuv returned as a C string.
fn path_from_c(path: CString) -> PathBuf {
    PathBuf::from(OsString::from_vec(path.into_bytes()))
}

/// Renames `from` to `to`, replacing `to` if it exists (rename(2)).
pub async fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies both paths when the request is submitted.
    let op = with_c_paths(from.as_ref(), to.as_ref(), |from, to| unsafe {
        UvFsRename::new(from.as_ptr(), to.as_ptr())
    })?;
    op.await?;
    Ok(())
}

/// Removes a file or a symbolic link (unlink(2)).
pub async fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsUnlink::new(path.as_ptr())
    })?;
    op.await?;
    Ok(())
}

/// Copies the contents and permissions of the file `from` to `to`, replacing `to` if it
/// exists, and returns the number of bytes copied: `std::fs::copy`, run on libuv's
/// threadpool (through [`spawn_blocking`](crate::task::spawn_blocking)).
///
/// Not `uv_fs_copyfile`, which differs from std where it matters: when the copy fails after
/// it opened `to` (a directory as `from`, say) it unlinks `to`, deleting a file that was
/// there; it copies `st_size` bytes, so a procfs file (size 0) comes out empty; and it
/// reports no byte count. std refuses a `from` that isn't a regular file (or a link to one)
/// with `InvalidInput` before it touches `to`, copies until the end of the file whatever
/// fstat said, and counts what it copied (with `copy_file_range` or `sendfile` where it
/// can). It costs an allocation for the two owned paths. Dropping the future before the job
/// starts cancels it; once started, the copy runs to its end.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let dir = std::env::temp_dir();
/// let (a, b) = (dir.join(format!("uvco-copy-a-{}", std::process::id())), dir.join(format!("uvco-copy-b-{}", std::process::id())));
/// uvco::fs::write(&a, "twelve bytes").await?;
/// assert_eq!(uvco::fs::copy(&a, &b).await?, 12);
/// assert_eq!(uvco::fs::read(&b).await?, b"twelve bytes");
/// # uvco::fs::remove_file(&a).await?;
/// # uvco::fs::remove_file(&b).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn copy(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<u64> {
    let (from, to) = (from.as_ref(), to.as_ref());
    no_nul(from)?;
    no_nul(to)?;
    let (from, to) = (from.to_path_buf(), to.to_path_buf());
    crate::task::spawn_blocking(move || std::fs::copy(from, to)).await?
}

/// Creates a hard link `link` to the file `original` (link(2)).
pub async fn hard_link(original: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies both paths when the request is submitted.
    let op = with_c_paths(original.as_ref(), link.as_ref(), |original, link| unsafe {
        UvFsLink::new(original.as_ptr(), link.as_ptr())
    })?;
    op.await?;
    Ok(())
}

/// Creates a symbolic link `link` whose target is `original` (symlink(2)). `original` is
/// stored as given; it need not exist.
pub async fn symlink(original: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies both paths when the request is submitted.
    let op = with_c_paths(original.as_ref(), link.as_ref(), |original, link| unsafe {
        UvFsSymlink::new(original.as_ptr(), link.as_ptr(), 0)
    })?;
    op.await?;
    Ok(())
}

/// The target of the symbolic link `path` (readlink(2)).
pub async fn read_link(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsReadlink::new(path.as_ptr())
    })?;
    Ok(path_from_c(op.await?))
}

/// The absolute path of `path` with every symbolic link, `.` and `..` resolved
/// (realpath(3)).
pub async fn canonicalize(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsRealpath::new(path.as_ptr())
    })?;
    Ok(path_from_c(op.await?))
}

/// The metadata of `path`, following symbolic links (stat(2)).
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let meta = uvco::fs::metadata(std::env::temp_dir()).await?;
/// assert!(meta.is_dir());
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsStat::new(path.as_ptr())
    })?;
    Ok(Metadata::from_stat(op.await?))
}

/// The metadata of `path` itself, not of what a symbolic link points to (lstat(2)).
pub async fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsLstat::new(path.as_ptr())
    })?;
    Ok(Metadata::from_stat(op.await?))
}

/// Sets the permission bits of `path`, following symbolic links (chmod(2)).
pub async fn set_permissions(path: impl AsRef<Path>, perm: Permissions) -> io::Result<()> {
    let mode = (perm.mode() & 0o7777) as c_int;
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsChmod::new(path.as_ptr(), mode)
    })?;
    op.await?;
    Ok(())
}

/// Whether `path` exists, following symbolic links: `Ok(false)` when it (or its target) is
/// not found, an error when that can't be told (permission denied, a path too long, ...).
pub async fn try_exists(path: impl AsRef<Path>) -> io::Result<bool> {
    match metadata(path).await {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(err),
    }
}
