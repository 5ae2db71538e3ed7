//! Directories: `read_dir` (a stream over `uv_fs_readdir`), `create_dir(_all)`,
//! `remove_dir(_all)` (the last on std's, on the threadpool).

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;

use super::{symlink_metadata, FileType, Metadata};
use crate::kind;
use crate::path::with_c_path;
use crate::requests::{UvFsMkdir, UvFsOpendir, UvFsReaddir, UvFsRmdir};
use crate::sys;
use crate::Awaitable as _;

/// Entries fetched per `uv_fs_readdir` request.
const BATCH: usize = 32;

/// Creates the directory `path`, with mode `0o777` before the umask (mkdir(2)).
pub async fn create_dir(path: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsMkdir::new(path.as_ptr(), 0o777)
    })?;
    op.await?;
    Ok(())
}

/// Creates `path` and every missing parent directory. A directory that already exists (or
/// is created concurrently) is fine; anything else in the way is an error. `.` components
/// are skipped, as `mkdir -p` does (`a/b/.` creates `a/b`, where std's `create_dir_all`
/// fails with `NotFound`).
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let dir = std::env::temp_dir().join(format!("uvco-dirs-doc-{}", std::process::id()));
/// uvco::fs::create_dir_all(dir.join("a/b/c")).await?;
/// assert!(uvco::fs::metadata(dir.join("a/b/c")).await?.is_dir());
/// uvco::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn create_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    // Without its `.` components (`components` drops them), so that each parent below is
    // one component shorter: `Path::parent` of `a/b/.` is `a`, and `a/b` would never be
    // made.
    let path: PathBuf = path.as_ref().components().collect();
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    // The directories still to create, innermost first, each with whether its parent was
    // made (or found) since it was last tried: mkdir each, and on NotFound push its parent
    // and try again once, as std does. A second NotFound (the parent removed meanwhile) is
    // the error, not another round.
    let mut todo: Vec<(&Path, bool)> = vec![(&path, false)];
    while let Some(&(dir, parent_made)) = todo.last() {
        let made = match create_dir(dir).await {
            Ok(()) => true,
            Err(err) if err.kind() == io::ErrorKind::NotFound => match dir.parent() {
                Some(parent) if !parent_made && !parent.as_os_str().is_empty() => {
                    todo.push((parent, false));
                    false
                }
                _ => return Err(err),
            },
            // EEXIST (or a read-only file system, ...): fine if a directory is there.
            Err(err) => match super::metadata(dir).await {
                Ok(meta) if meta.is_dir() => true,
                _ => return Err(err),
            },
        };
        if made {
            todo.pop();
            if let Some(child) = todo.last_mut() {
                child.1 = true;
            }
        }
    }
    Ok(())
}

/// Removes the empty directory `path` (rmdir(2)).
pub async fn remove_dir(path: impl AsRef<Path>) -> io::Result<()> {
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path.as_ref(), |path| unsafe {
        UvFsRmdir::new(path.as_ptr())
    })?;
    op.await?;
    Ok(())
}

/// Removes the directory `path` with everything in it. Symbolic links are removed, never
/// followed; if `path` itself is a symbolic link, only the link is removed.
///
/// This is `std::fs::remove_dir_all` run on libuv's threadpool (through
/// [`spawn_blocking`](crate::task::spawn_blocking)), not a walk of libuv requests: libuv
/// has no `openat`/`unlinkat`, so a walk by path follows a symbolic link that another
/// process swaps in for a subdirectory between listing it and descending into it, and
/// deletes whatever the link points to (the CVE-2022-21658 race). std walks by directory
/// fd, with `O_NOFOLLOW` and `unlinkat`, which closes that race. It costs an allocation for
/// the owned path. Dropping the future before the job starts cancels it; once started, the
/// removal runs to its end.
pub async fn remove_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = path.as_ref();
    super::no_nul(path)?;
    let path = path.to_path_buf();
    crate::task::spawn_blocking(move || std::fs::remove_dir_all(path)).await?
}

/// Lists the directory `path`: a stream of its entries, without `.` and `..`, in no
/// particular order. Each batch of 32 entries is a request, and each entry's
/// [`metadata`](DirEntry::metadata) another; [`read_dir_metadata`](super::read_dir_metadata)
/// lists a directory with every entry's metadata in one threadpool job.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let mut entries = uvco::fs::read_dir(env!("CARGO_MANIFEST_DIR")).await?;
/// let mut names = Vec::new();
/// while let Some(entry) = entries.next_entry().await? {
///     names.push(entry.file_name());
/// }
/// assert!(names.iter().any(|name| name == "Cargo.toml"));
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read_dir(path: impl AsRef<Path>) -> io::Result<ReadDir> {
    let path = path.as_ref();
    // SAFETY: libuv copies the path when the request is submitted.
    let op = with_c_path(path, |path| unsafe { UvFsOpendir::new(path.as_ptr()) })?;
    let dir = op.await?.into_raw();
    Ok(ReadDir {
        path: path.to_path_buf(),
        stream: Some(DirStream {
            dir,
            loop_: crate::current_loop(),
        }),
        pending: Vec::new().into_iter(),
        reading: false,
    })
}

/// The entries of a directory, from [`read_dir`]; as tokio's `ReadDir`.
///
/// # Cancellation
///
/// Dropping a [`next_entry`](ReadDir::next_entry) future while its `uv_fs_readdir` request
/// is in flight loses the entries that request reads: a directory stream has no position
/// to go back to, so the listing can't be resumed where it was. Every later call returns
/// an error (of kind [`Other`](io::ErrorKind::Other), not `Interrupted`, which callers
/// retry) rather than `Ok(None)`, so that an incomplete listing isn't taken for the whole
/// directory. Call [`read_dir`] again to list it anew.
///
/// A `ReadDir` is neither `Send` nor `Sync`: its directory stream belongs to the loop of the
/// thread that opened it, and is used by that loop's requests.
pub struct ReadDir {
    path: PathBuf,
    /// The open directory; `None` at the end (or while a request has it).
    stream: Option<DirStream>,
    /// Entries fetched and not yet returned.
    pending: std::vec::IntoIter<kind::DirEntry>,
    /// A readdir request is in flight. Still set when `next_entry` is called again: the
    /// future that was waiting for it was dropped, and the entries it reads are lost.
    reading: bool,
}

impl ReadDir {
    /// The next entry, or `None` at the end of the directory.
    ///
    /// An error once a `next_entry` future was dropped before it completed (see
    /// [Cancellation](ReadDir#cancellation)).
    pub async fn next_entry(&mut self) -> io::Result<Option<DirEntry>> {
        if self.reading {
            return Err(io::Error::other(
                "uvco: a next_entry future was dropped while reading the directory; \
                 the listing is incomplete",
            ));
        }
        loop {
            if let Some(entry) = self.pending.next() {
                return Ok(Some(DirEntry::new(&self.path, entry)));
            }
            let Some(stream) = self.stream.take() else {
                return Ok(None);
            };
            let keep = ReaddirKeep {
                stream,
                dirents: [sys::uv_dirent_t {
                    name: std::ptr::null(),
                    type_: 0,
                }; BATCH],
            };
            // SAFETY: libuv writes up to `nentries` entries into `dirents` and uses the
            // directory until its callback has run; both are owned by `keep`, which stays in
            // the request's slot until then. The runtime copies the entries out (and libuv's
            // cleanup frees their names) before `keep` comes back or is dropped.
            let op = unsafe {
                UvFsReaddir::with_keep(keep, |k| {
                    let dir = k.stream.dir.as_ptr();
                    (*dir).dirents = k.dirents.as_mut_ptr();
                    (*dir).nentries = BATCH;
                    (dir,)
                })
            };
            self.reading = true;
            let (res, keep) = op.await;
            self.reading = false;
            let entries = res?;
            if entries.is_empty() {
                return Ok(None); // `keep` drops here, closing the directory
            }
            self.stream = Some(keep.stream);
            self.pending = entries.into_iter();
        }
    }
}

impl fmt::Debug for ReadDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReadDir").field(&self.path).finish()
    }
}

/// What a `uv_fs_readdir` request keeps in its slot: the directory and the entry array.
struct ReaddirKeep {
    stream: DirStream,
    dirents: [sys::uv_dirent_t; BATCH],
}

/// A directory opened by `uv_fs_opendir`, closed when dropped.
struct DirStream {
    dir: NonNull<sys::uv_dir_t>,
    /// The loop it was opened on; a synchronous libuv call only records it in the request.
    loop_: *mut sys::uv_loop_t,
}

impl Drop for DirStream {
    fn drop(&mut self) {
        // A synchronous closedir(3) (no callback: libuv runs it inline and never touches the
        // loop): it frees the stream and closes its fd, without waiting on the disk, and it
        // may run where no request can be started (in a request's callback, outside any
        // runtime).
        // SAFETY: an open directory that no request uses any more (a readdir request holds
        // the stream in its slot until its callback has run); closed once, here.
        unsafe {
            let mut req: sys::uv_fs_t = std::mem::zeroed();
            sys::uv_fs_closedir(self.loop_, &mut req, self.dir.as_ptr(), None);
            sys::uv_fs_req_cleanup(&mut req);
        }
    }
}

/// An entry of a directory, from [`ReadDir::next_entry`] or [`read_dir_metadata`](super::read_dir_metadata).
#[derive(Clone)]
pub struct DirEntry {
    path: PathBuf,
    kind: sys::uv_dirent_type_t,
    /// The entry's lstat, when the listing read it ([`read_dir_metadata`]).
    meta: Option<Metadata>,
}

impl DirEntry {
    fn new(dir: &Path, entry: kind::DirEntry) -> DirEntry {
        let name = OsString::from_vec(entry.name.into_bytes());
        DirEntry {
            path: dir.join(name),
            kind: entry.kind,
            meta: None,
        }
    }

    /// An entry of the type the listing gave, whose lstat was read with the listing (`None`
    /// if that failed: the entry was removed since, say; [`metadata`](DirEntry::metadata)
    /// then asks again).
    pub(super) fn with_metadata(
        path: PathBuf,
        kind: sys::uv_dirent_type_t,
        meta: Option<Metadata>,
    ) -> DirEntry {
        DirEntry { path, kind, meta }
    }

    /// The directory's path joined with the entry's name.
    pub fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// The entry's name, without its directory.
    pub fn file_name(&self) -> OsString {
        self.path.file_name().unwrap_or_default().to_os_string()
    }

    /// The entry's type, without following symbolic links: as the directory listing gave
    /// it, or from an `lstat` where the file system doesn't tell.
    pub async fn file_type(&self) -> io::Result<FileType> {
        if let Some(meta) = &self.meta {
            return Ok(meta.file_type());
        }
        match FileType::from_dirent(self.kind) {
            Some(file_type) => Ok(file_type),
            None => Ok(symlink_metadata(&self.path).await?.file_type()),
        }
    }

    /// The entry's metadata, without following symbolic links (lstat(2)): read with the
    /// listing for entries of [`read_dir_metadata`](super::read_dir_metadata), without a
    /// request; otherwise now.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        match self.meta {
            Some(meta) => Ok(meta),
            None => symlink_metadata(&self.path).await,
        }
    }
}

impl fmt::Debug for DirEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DirEntry").field(&self.path).finish()
    }
}
