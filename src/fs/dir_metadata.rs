//! `read_dir_metadata`: a directory's entries with their metadata, in one threadpool job.

use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::one_hop::{self, LoopPtr, PoolJob, SyncFs};
use super::{DirEntry, Metadata};
use crate::sys;

/// Lists the directory `path` with every entry's metadata (lstat(2): symbolic links are not
/// followed), in no particular order, without `.` and `..`: the step of a directory walk.
///
/// The listing and every entry's lstat run back to back on one threadpool thread, in one
/// job, where [`read_dir`](super::read_dir) takes a request per batch of entries and
/// [`DirEntry::metadata`] one per entry. The entries' [`metadata`](DirEntry::metadata) and
/// [`file_type`](DirEntry::file_type) then resolve without a request. An entry removed
/// between the listing and its lstat is still listed; its `metadata()` asks again, and
/// reports the error.
///
/// Walk a tree by listing its directories concurrently (a task per directory, say): each
/// listing holds one pool thread, and libuv's threadpool runs several.
///
/// The whole listing is in memory at once (a `Vec` and a path per entry); dropping the future
/// stops the job at its next entry.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let dir = std::env::temp_dir().join(format!("uvco-dir-meta-doc-{}", std::process::id()));
/// uvco::fs::create_dir_all(dir.join("sub")).await?;
/// uvco::fs::write(dir.join("five"), "12345").await?;
/// let mut entries = uvco::fs::read_dir_metadata(&dir).await?;
/// entries.sort_by_key(|e| e.file_name());
/// assert_eq!(entries[0].file_name(), "five");
/// assert_eq!(entries[0].metadata().await?.len(), 5);
/// assert!(entries[1].file_type().await?.is_dir());
/// # uvco::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read_dir_metadata(path: impl AsRef<Path>) -> io::Result<Vec<DirEntry>> {
    let path = path.as_ref();
    super::no_nul(path)?;
    let job = ListJob {
        loop_: LoopPtr::current(),
        dir: path.to_path_buf(),
        entries: Vec::new(),
        outcome: Err(io::ErrorKind::Interrupted.into()),
    };
    let job = one_hop::run(job).await?;
    job.outcome?;
    Ok(job.entries)
}

/// [`read_dir_metadata`] on a pool thread.
struct ListJob {
    loop_: LoopPtr,
    dir: PathBuf,
    entries: Vec<DirEntry>,
    outcome: io::Result<()>,
}

impl PoolJob for ListJob {
    fn run(&mut self, cancelled: &AtomicBool) {
        self.outcome = self.list(cancelled);
    }
}

impl ListJob {
    fn list(&mut self, cancelled: &AtomicBool) -> io::Result<()> {
        let mut fs = SyncFs::new(self.loop_);
        // std's listing: readdir(3) over one fd, names and types as the kernel gives them.
        let listing = std::fs::read_dir(&self.dir)?;
        // The entry's path as a C string, reused from entry to entry.
        let mut c_path = Vec::new();
        for entry in listing {
            if cancelled.load(Ordering::Relaxed) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let path = entry?.path();
            c_path.clear();
            c_path.extend_from_slice(path.as_os_str().as_bytes());
            c_path.push(0);
            let c = c_path.as_ptr().cast();
            // SAFETY: a synchronous lstat of a NUL-terminated path (a directory entry's name
            // has no NUL, nor has the directory's path, checked before submitting) that
            // outlives the call.
            let meta: Option<Metadata> =
                unsafe { fs.stat(|l, r| sys::uv_fs_lstat(l, r, c, None)) }.ok();
            self.entries.push(DirEntry::with_metadata(path, meta));
        }
        Ok(())
    }
}
