//! `uv_fs_*` requests: what a finished fs request gives back, and how an orphaned one gives
//! back what it took (an fd from `open`, a directory from `opendir`).

use std::ffi::{c_int, CStr, CString};
use std::fmt;
use std::ptr::NonNull;

use crate::sys;

use crate::error::UvError;
use crate::slot::{complete, Kind};

/// `uv_fs_*`: cancellable until a threadpool thread (or io_uring) picks it up.
#[derive(Debug)]
pub enum Fs {}

impl Fs {
    /// The libuv callback that completes requests of this kind.
    pub const CALLBACK: sys::uv_fs_cb = Some(Self::callback);

    unsafe extern "C" fn callback(req: *mut sys::uv_fs_t) {
        // SAFETY: libuv passes back the request of a slot submitted with CALLBACK.
        unsafe { complete::<Self>(req, ()) }
    }
}

// SAFETY: uv_fs_t is the request of this kind, and uv_cancel accepts it.
unsafe impl Kind for Fs {
    type Req = sys::uv_fs_t;
    type Raw = ();
    type Output = FsDone;
    const CANCEL: bool = true;

    unsafe fn cancel_on_drop(req: *mut sys::uv_fs_t) -> bool {
        // A dropped close must still close: cancelling it would leak the fd (or the dir).
        // SAFETY: a submitted request, whose type libuv set on submission.
        let fs_type = unsafe { (*req).fs_type };
        fs_type != sys::uv_fs_type_UV_FS_CLOSE && fs_type != sys::uv_fs_type_UV_FS_CLOSEDIR
    }

    unsafe fn output(req: *mut sys::uv_fs_t, (): ()) -> Result<FsDone, UvError> {
        // SAFETY: a completed fs request; cleanup runs once, after everything is copied out.
        unsafe {
            let done = done_of(req);
            sys::uv_fs_req_cleanup(req);
            done
        }
    }

    unsafe fn discard(req: *mut sys::uv_fs_t, (): ()) {
        // SAFETY: as in `output`; dropping the FsDone closes what it owns.
        unsafe {
            let fs_type = (*req).fs_type;
            let result = (*req).result;
            if result >= 0
                && (fs_type == sys::uv_fs_type_UV_FS_OPEN
                    || fs_type == sys::uv_fs_type_UV_FS_MKSTEMP)
            {
                close_fd((*req).loop_, result as c_int);
            }
            drop(done_of(req));
            sys::uv_fs_req_cleanup(req);
        }
    }

    unsafe fn submit_failed(req: *mut sys::uv_fs_t) {
        // SAFETY: a zeroed or partly initialised request: cleanup frees only what is set.
        unsafe { sys::uv_fs_req_cleanup(req) }
    }
}

/// Closes an fd that an orphaned `open` produced, synchronously (it was just opened, so
/// close(2) doesn't block).
unsafe fn close_fd(loop_: *mut sys::uv_loop_t, fd: c_int) {
    // SAFETY: a synchronous request on the stack (no callback); cleaned up right after.
    unsafe {
        let mut req: sys::uv_fs_t = std::mem::zeroed();
        sys::uv_fs_close(loop_, &mut req, fd, None);
        sys::uv_fs_req_cleanup(&mut req);
    }
}

/// Copies what a finished request produced out of it, before `uv_fs_req_cleanup`.
unsafe fn done_of(req: *mut sys::uv_fs_t) -> Result<FsDone, UvError> {
    // SAFETY: a completed fs request (the callback ran).
    let req = unsafe { &mut *req };
    if req.result < 0 {
        return Err(UvError::new(req.result as c_int));
    }
    use sys::*;
    #[allow(non_upper_case_globals)] // libuv-sys2's constant names
    // SAFETY: for each type, libuv documents what `ptr` and `path` hold on success.
    let extra = unsafe {
        match req.fs_type {
            uv_fs_type_UV_FS_STAT | uv_fs_type_UV_FS_LSTAT | uv_fs_type_UV_FS_FSTAT => {
                Extra::Stat(req.statbuf)
            }
            uv_fs_type_UV_FS_READLINK | uv_fs_type_UV_FS_REALPATH => {
                Extra::Path(CStr::from_ptr(req.ptr.cast()).to_owned())
            }
            uv_fs_type_UV_FS_MKDTEMP | uv_fs_type_UV_FS_MKSTEMP => {
                Extra::Path(CStr::from_ptr(req.path).to_owned())
            }
            uv_fs_type_UV_FS_OPENDIR => Extra::Dir(Dir {
                dir: NonNull::new(req.ptr.cast()),
                loop_: req.loop_,
            }),
            uv_fs_type_UV_FS_SCANDIR => {
                let mut entries = Vec::with_capacity(req.result as usize);
                let mut ent: uv_dirent_t = std::mem::zeroed();
                while uv_fs_scandir_next(req, &mut ent) == 0 {
                    entries.push(DirEntry::new(&ent));
                }
                Extra::Entries(entries)
            }
            uv_fs_type_UV_FS_READDIR => {
                let dir = &*req.ptr.cast::<uv_dir_t>();
                let found = std::slice::from_raw_parts(dir.dirents, req.result as usize);
                Extra::Entries(found.iter().map(|ent| DirEntry::new(ent)).collect())
            }
            uv_fs_type_UV_FS_STATFS => Extra::Statfs(*req.ptr.cast::<uv_statfs_t>()),
            _ => Extra::None,
        }
    };
    Ok(FsDone {
        result: req.result,
        fs_type: req.fs_type,
        extra,
    })
}

/// What a successful `uv_fs_*` request produced: its result (an fd, a byte count, 0), and
/// for some types a value copied out of the request before `uv_fs_req_cleanup`.
pub struct FsDone {
    result: isize,
    fs_type: sys::uv_fs_type,
    extra: Extra,
}

enum Extra {
    None,
    Stat(sys::uv_stat_t),
    Path(CString),
    Dir(Dir),
    Entries(Vec<DirEntry>),
    Statfs(sys::uv_statfs_t),
}

/// A directory opened by `uv_fs_opendir`, closed synchronously if dropped while still owned.
struct Dir {
    dir: Option<NonNull<sys::uv_dir_t>>,
    loop_: *mut sys::uv_loop_t,
}

impl Drop for Dir {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            // SAFETY: an open directory nobody took; closed once, synchronously.
            unsafe {
                let mut req: sys::uv_fs_t = std::mem::zeroed();
                sys::uv_fs_closedir(self.loop_, &mut req, dir.as_ptr(), None);
                sys::uv_fs_req_cleanup(&mut req);
            }
        }
    }
}

impl FsDone {
    /// The request's non-negative result: an fd for `open`, a byte count for `read`/`write`.
    pub fn result(&self) -> usize {
        self.result as usize
    }

    /// The `uv_fs_type` of the request.
    pub fn fs_type(&self) -> sys::uv_fs_type {
        self.fs_type
    }

    /// The stat buffer of a `stat`, `lstat` or `fstat` request.
    pub fn stat(&self) -> Option<&sys::uv_stat_t> {
        match &self.extra {
            Extra::Stat(stat) => Some(stat),
            _ => None,
        }
    }

    /// The path of a `readlink`, `realpath`, `mkdtemp` or `mkstemp` request.
    pub fn path(&self) -> Option<&CStr> {
        match &self.extra {
            Extra::Path(path) => Some(path),
            _ => None,
        }
    }

    /// Takes the path of a `readlink`, `realpath`, `mkdtemp` or `mkstemp` request.
    pub fn into_path(self) -> Option<CString> {
        match self.extra {
            Extra::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The entries of a `scandir` or `readdir` request.
    pub fn entries(&self) -> &[DirEntry] {
        match &self.extra {
            Extra::Entries(entries) => entries,
            _ => &[],
        }
    }

    /// Takes the entries of a `scandir` or `readdir` request.
    pub fn into_entries(self) -> Vec<DirEntry> {
        match self.extra {
            Extra::Entries(entries) => entries,
            _ => Vec::new(),
        }
    }

    /// Takes the directory of an `opendir` request; close it with `uv_fs_closedir`. If not
    /// taken, it is closed when the `FsDone` is dropped.
    pub fn take_dir(&mut self) -> Option<NonNull<sys::uv_dir_t>> {
        match &mut self.extra {
            Extra::Dir(dir) => dir.dir.take(),
            _ => None,
        }
    }

    /// The file-system statistics of a `statfs` request.
    pub fn statfs(&self) -> Option<&sys::uv_statfs_t> {
        match &self.extra {
            Extra::Statfs(statfs) => Some(statfs),
            _ => None,
        }
    }
}

impl fmt::Debug for FsDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FsDone")
            .field("fs_type", &self.fs_type)
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's file name (not a path).
    pub name: CString,
    /// Its `uv_dirent_type_t` (`UV_DIRENT_FILE`, `UV_DIRENT_DIR`, ...).
    pub kind: sys::uv_dirent_type_t,
}

impl DirEntry {
    /// # Safety
    /// `ent.name` is a valid C string.
    unsafe fn new(ent: &sys::uv_dirent_t) -> DirEntry {
        let name = if ent.name.is_null() {
            CString::default()
        } else {
            // SAFETY: a non-null name is a C string, per the contract.
            unsafe { CStr::from_ptr(ent.name) }.to_owned()
        };
        DirEntry {
            name,
            kind: ent.type_,
        }
    }
}
