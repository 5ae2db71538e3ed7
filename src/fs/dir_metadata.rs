//! `read_dir_metadata`: a directory's entries with their metadata, in one threadpool job.

use std::ffi::{CStr, OsString};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::one_hop::{self, LoopPtr, PoolJob, SyncFs};
use super::{DirEntry, Metadata};
use crate::{sys, UvError};

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
        outcome: Err(UvError::ECANCELED),
    };
    Ok(one_hop::run(job).await??)
}

/// [`read_dir_metadata`] on a pool thread.
struct ListJob {
    loop_: LoopPtr,
    dir: PathBuf,
    entries: Vec<DirEntry>,
    outcome: Result<(), UvError>,
}

impl PoolJob for ListJob {
    type Output = Result<Vec<DirEntry>, UvError>;

    fn finish(self) -> Result<Vec<DirEntry>, UvError> {
        self.outcome.map(|()| self.entries)
    }

    fn run(&mut self, cancelled: &AtomicBool) {
        self.outcome = self.list(cancelled);
    }
}

impl ListJob {
    fn list(&mut self, cancelled: &AtomicBool) -> Result<(), UvError> {
        let mut fs = SyncFs::new(self.loop_);
        let dir_bytes = self.dir.as_os_str().as_bytes();
        // The directory's path, then each entry's, as a C string: one buffer for them all.
        let mut c_path = Vec::with_capacity(dir_bytes.len() + 258);
        c_path.extend_from_slice(dir_bytes);
        c_path.push(0);
        let c = c_path.as_ptr().cast();
        // SAFETY: a synchronous opendir of a NUL-terminated path (checked for NULs before
        // submitting) that outlives the call; the directory is read before the cleanup.
        let dir = unsafe {
            fs.call_with(
                |l, r| sys::uv_fs_opendir(l, r, c, None),
                |req| req.ptr.cast::<sys::uv_dir_t>(),
            )
        }?;
        let listed = self.read_entries(&mut fs, dir, &mut c_path, dir_bytes.len(), cancelled);
        // SAFETY: the directory opendir returned, closed once, after its last readdir.
        let closed = unsafe { fs.call(|l, r| sys::uv_fs_closedir(l, r, dir, None)) };
        listed?;
        closed?;
        Ok(())
    }

    /// Reads the entries of the open `dir`, each with its lstat. `c_path` holds the
    /// directory's path in its first `dir_len` bytes.
    fn read_entries(
        &mut self,
        fs: &mut SyncFs,
        dir: *mut sys::uv_dir_t,
        c_path: &mut Vec<u8>,
        dir_len: usize,
        cancelled: &AtomicBool,
    ) -> Result<(), UvError> {
        let mut dirents = [sys::uv_dirent_t {
            name: std::ptr::null(),
            type_: 0,
        }; BATCH];
        // SAFETY: an open directory stream; libuv writes up to `nentries` entries into the
        // array, which outlives every readdir below.
        unsafe {
            (*dir).dirents = dirents.as_mut_ptr();
            (*dir).nentries = BATCH;
        }
        let mut names: Vec<(PathBuf, sys::uv_dirent_type_t)> = Vec::with_capacity(BATCH);
        loop {
            // SAFETY: a synchronous readdir of the open stream; the names it read are
            // copied out before the cleanup frees them.
            let n = unsafe {
                fs.call_with(
                    |l, r| sys::uv_fs_readdir(l, r, dir, None),
                    |req| {
                        names.clear();
                        for ent in &dirents[..req.result as usize] {
                            let name = CStr::from_ptr(ent.name).to_bytes();
                            // As `Path::join`: one separator between the two.
                            let dir = &c_path[..dir_len];
                            let mut path = Vec::with_capacity(dir_len + 1 + name.len());
                            path.extend_from_slice(dir);
                            if dir.last() != Some(&b'/') {
                                path.push(b'/');
                            }
                            path.extend_from_slice(name);
                            names.push((PathBuf::from(OsString::from_vec(path)), ent.type_));
                        }
                        req.result as usize
                    },
                )
            }?;
            if n == 0 {
                return Ok(());
            }
            self.entries.reserve(n);
            for (path, kind) in names.drain(..) {
                if cancelled.load(Ordering::Relaxed) {
                    return Err(UvError::ECANCELED);
                }
                c_path.clear();
                c_path.extend_from_slice(path.as_os_str().as_bytes());
                c_path.push(0);
                let c = c_path.as_ptr().cast();
                // SAFETY: a synchronous lstat of a NUL-terminated path (an entry's name has
                // no NUL) that outlives the call.
                let meta: Option<Metadata> =
                    unsafe { fs.stat(|l, r| sys::uv_fs_lstat(l, r, c, None)) }.ok();
                self.entries.push(DirEntry::with_metadata(path, kind, meta));
            }
            // Back to the directory's path, for the next batch's names.
            c_path.clear();
            c_path.extend_from_slice(self.dir.as_os_str().as_bytes());
        }
    }
}

/// Entries read per readdir call.
const BATCH: usize = 64;
