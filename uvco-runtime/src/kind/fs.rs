//! `uv_fs_*` requests: the kind, what each function's finished request gives back (read
//! straight out of the request, then `uv_fs_req_cleanup`), and how an orphaned one gives back
//! what it took (an fd from `open`, a directory from `opendir`).

use std::ffi::{c_int, CStr, CString};
use std::fmt;
use std::ptr::NonNull;

use crate::sys;

use crate::error::UvError;
use crate::slot::{complete, Completion, Kind};

/// `uv_fs_*`: cancellable until a threadpool thread (or io_uring) picks it up.
///
/// As a [`Completion`] of its own, it stands for any fs function and produces the request's
/// non-negative result (an fd, a byte count, 0); the markers in [`fns`](super::fns) produce
/// each function's own output.
#[derive(Debug)]
pub enum Fs {}

impl Fs {
    unsafe extern "C" fn callback(req: *mut sys::uv_fs_t) {
        // SAFETY: libuv passes back the request of a slot submitted with CALLBACK.
        unsafe { complete::<Self>(req, ()) }
    }
}

// SAFETY: uv_fs_t is the request of this kind, its callback completes it, and uv_cancel
// accepts it.
unsafe impl Kind for Fs {
    type Req = sys::uv_fs_t;
    type Raw = ();
    type Callback = sys::uv_fs_cb;
    const CALLBACK: sys::uv_fs_cb = Some(Self::callback);
    const CANCEL: bool = true;
    // Every uv_fs_* function starts with libuv's INIT, which sets each field a later read
    // (libuv's, `discard`'s, `submit_failed`'s cleanup) relies on, before it can fail: zeroing
    // the 440 bytes first was a memset per request for nothing.
    const ZEROED: bool = false;

    unsafe fn cancel_on_drop(req: *mut sys::uv_fs_t) -> bool {
        // A dropped close must still close: cancelling it would leak the fd (or the dir).
        // SAFETY: a submitted request, whose type libuv set on submission.
        let fs_type = unsafe { (*req).fs_type };
        fs_type != sys::uv_fs_type_UV_FS_CLOSE && fs_type != sys::uv_fs_type_UV_FS_CLOSEDIR
    }

    unsafe fn discard(req: *mut sys::uv_fs_t, (): ()) {
        // SAFETY: a completed fs request nobody takes: what it opened is closed, then it is
        // cleaned up once.
        unsafe {
            let (fs_type, result) = ((*req).fs_type, (*req).result);
            if result >= 0 {
                match fs_type {
                    sys::uv_fs_type_UV_FS_OPEN | sys::uv_fs_type_UV_FS_MKSTEMP => {
                        close_fd((*req).loop_, result as c_int);
                    }
                    sys::uv_fs_type_UV_FS_OPENDIR => drop(OpenDir {
                        dir: NonNull::new((*req).ptr.cast()),
                        loop_: (*req).loop_,
                    }),
                    _ => {}
                }
            }
            sys::uv_fs_req_cleanup(req);
        }
    }

    unsafe fn submit_failed(req: *mut sys::uv_fs_t) {
        // SAFETY: a zeroed or partly initialised request: cleanup frees only what is set.
        unsafe { sys::uv_fs_req_cleanup(req) }
    }

    unsafe fn cleanup(req: *mut sys::uv_fs_t) {
        // SAFETY: a completed request whose output was read: cleaned up once.
        unsafe { sys::uv_fs_req_cleanup(req) }
    }
}

// SAFETY: a result is only a number; `cleanup` releases the rest.
unsafe impl Completion for Fs {
    type Kind = Fs;
    type Output = usize;

    unsafe fn output(req: *mut sys::uv_fs_t, (): ()) -> Result<usize, UvError> {
        // SAFETY: forwarded contract.
        unsafe { finish(req, |req| (*req).result as usize) }
    }

    unsafe fn failed(req: *mut sys::uv_fs_t, (): ()) -> Option<UvError> {
        // SAFETY: forwarded contract.
        unsafe { failed(req) }
    }
}

/// The error of a failed request, or what `read` takes out of a successful one; the caller
/// then runs `Fs::cleanup`.
///
/// # Safety
/// `req` is a completed fs request; `read` reads only what its function fills on success.
#[inline]
unsafe fn finish<T>(
    req: *mut sys::uv_fs_t,
    read: impl FnOnce(*mut sys::uv_fs_t) -> T,
) -> Result<T, UvError> {
    // SAFETY: per the contract.
    match unsafe { failed(req) } {
        Some(err) => Err(err),
        None => Ok(read(req)),
    }
}

/// The error of a completed fs request that failed: its negative result.
///
/// # Safety
/// `req` is a completed fs request.
#[inline]
unsafe fn failed(req: *mut sys::uv_fs_t) -> Option<UvError> {
    // SAFETY: per the contract.
    let result = unsafe { (*req).result };
    (result < 0).then(|| UvError::new(result as c_int))
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

/// A directory stream `uv_fs_opendir` opened, closed synchronously when dropped unless taken
/// with [`into_raw`](OpenDir::into_raw).
pub struct OpenDir {
    dir: Option<NonNull<sys::uv_dir_t>>,
    loop_: *mut sys::uv_loop_t,
}

impl OpenDir {
    /// Takes the directory; close it with `uv_fs_closedir`.
    pub fn into_raw(mut self) -> NonNull<sys::uv_dir_t> {
        self.dir.take().expect("an open directory is taken once")
    }
}

impl Drop for OpenDir {
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

impl fmt::Debug for OpenDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OpenDir").field(&self.dir).finish()
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

/// The entries a `scandir` request found.
///
/// # Safety
/// `req` is a successful scandir request, not yet cleaned up.
unsafe fn scandir_entries(req: *mut sys::uv_fs_t) -> Vec<DirEntry> {
    // SAFETY: per the contract; scandir_next hands out entries libuv owns until cleanup.
    unsafe {
        let mut entries = Vec::with_capacity((*req).result as usize);
        let mut ent: sys::uv_dirent_t = std::mem::zeroed();
        while sys::uv_fs_scandir_next(req, &mut ent) == 0 {
            entries.push(DirEntry::new(&ent));
        }
        entries
    }
}

/// The entries a `readdir` request wrote into its directory's buffer.
///
/// # Safety
/// `req` is a successful readdir request, not yet cleaned up (cleanup frees the names).
unsafe fn readdir_entries(req: *mut sys::uv_fs_t) -> Vec<DirEntry> {
    // SAFETY: per the contract: `result` entries of the dir's buffer are filled.
    unsafe {
        let dir = &*(*req).ptr.cast::<sys::uv_dir_t>();
        let found = std::slice::from_raw_parts(dir.dirents, (*req).result as usize);
        found.iter().map(|ent| DirEntry::new(ent)).collect()
    }
}

/// The `fns` markers of the fs functions: `name -> Output = |req| what to read`.
macro_rules! fs_functions {
    ($( $(#[$doc:meta])* $name:ident -> $out:ty = |$req:ident| $read:expr; )*) => {
        /// The fs functions' markers (re-exported by [`fns`](super::fns)).
        pub mod fns {
            #[allow(unused_imports)]
            use super::*;
        $(
            $(#[$doc])*
            #[allow(non_camel_case_types)]
            #[derive(Debug)]
            pub enum $name {}

            // SAFETY: `finish` reads what this function fills on success, copying it or
            // taking it over (a directory stream), and `Fs::cleanup` frees the rest.
            unsafe impl Completion for $name {
                type Kind = Fs;
                type Output = $out;

                #[inline]
                unsafe fn output(req: *mut sys::uv_fs_t, (): ()) -> Result<$out, UvError> {
                    #[allow(unused_variables)]
                    // SAFETY: a completed request of this function, per the contract.
                    unsafe { finish(req, |$req| $read) }
                }

                #[inline]
                unsafe fn failed(req: *mut sys::uv_fs_t, (): ()) -> Option<UvError> {
                    // SAFETY: a completed fs request, per the contract.
                    unsafe { failed(req) }
                }
            }
        )*
        }
    };
}

fs_functions! {
    /// `uv_fs_close`: `()`.
    uv_fs_close -> () = |req| ();
    /// `uv_fs_open`: the new file descriptor.
    uv_fs_open -> sys::uv_file = |req| (*req).result as sys::uv_file;
    /// `uv_fs_read`: the number of bytes read (0 at the end of the file).
    uv_fs_read -> usize = |req| (*req).result as usize;
    /// `uv_fs_write`: the number of bytes written.
    uv_fs_write -> usize = |req| (*req).result as usize;
    /// `uv_fs_sendfile`: the number of bytes sent.
    uv_fs_sendfile -> usize = |req| (*req).result as usize;
    /// `uv_fs_unlink`: `()`.
    uv_fs_unlink -> () = |req| ();
    /// `uv_fs_copyfile`: `()`.
    uv_fs_copyfile -> () = |req| ();
    /// `uv_fs_mkdir`: `()`.
    uv_fs_mkdir -> () = |req| ();
    /// `uv_fs_mkdtemp`: the path of the new directory.
    uv_fs_mkdtemp -> CString = |req| CStr::from_ptr((*req).path).to_owned();
    /// `uv_fs_mkstemp`: the new file's descriptor and path.
    uv_fs_mkstemp -> (sys::uv_file, CString) =
        |req| ((*req).result as sys::uv_file, CStr::from_ptr((*req).path).to_owned());
    /// `uv_fs_rmdir`: `()`.
    uv_fs_rmdir -> () = |req| ();
    /// `uv_fs_scandir`: the directory's entries.
    uv_fs_scandir -> Vec<DirEntry> = |req| scandir_entries(req);
    /// `uv_fs_opendir`: the directory stream, closed when dropped unless taken.
    uv_fs_opendir -> OpenDir =
        |req| OpenDir { dir: NonNull::new((*req).ptr.cast()), loop_: (*req).loop_ };
    /// `uv_fs_readdir`: the entries read into the directory's buffer (none at the end).
    uv_fs_readdir -> Vec<DirEntry> = |req| readdir_entries(req);
    /// `uv_fs_closedir`: `()`.
    uv_fs_closedir -> () = |req| ();
    /// `uv_fs_stat`: the stat buffer.
    uv_fs_stat -> sys::uv_stat_t = |req| (*req).statbuf;
    /// `uv_fs_fstat`: the stat buffer.
    uv_fs_fstat -> sys::uv_stat_t = |req| (*req).statbuf;
    /// `uv_fs_lstat`: the stat buffer.
    uv_fs_lstat -> sys::uv_stat_t = |req| (*req).statbuf;
    /// `uv_fs_statfs`: the file system's statistics.
    uv_fs_statfs -> sys::uv_statfs_t = |req| *(*req).ptr.cast::<sys::uv_statfs_t>();
    /// `uv_fs_rename`: `()`.
    uv_fs_rename -> () = |req| ();
    /// `uv_fs_fsync`: `()`.
    uv_fs_fsync -> () = |req| ();
    /// `uv_fs_fdatasync`: `()`.
    uv_fs_fdatasync -> () = |req| ();
    /// `uv_fs_ftruncate`: `()`.
    uv_fs_ftruncate -> () = |req| ();
    /// `uv_fs_access`: `()` (the access is allowed).
    uv_fs_access -> () = |req| ();
    /// `uv_fs_chmod`: `()`.
    uv_fs_chmod -> () = |req| ();
    /// `uv_fs_fchmod`: `()`.
    uv_fs_fchmod -> () = |req| ();
    /// `uv_fs_utime`: `()`.
    uv_fs_utime -> () = |req| ();
    /// `uv_fs_futime`: `()`.
    uv_fs_futime -> () = |req| ();
    /// `uv_fs_lutime`: `()`.
    uv_fs_lutime -> () = |req| ();
    /// `uv_fs_link`: `()`.
    uv_fs_link -> () = |req| ();
    /// `uv_fs_symlink`: `()`.
    uv_fs_symlink -> () = |req| ();
    /// `uv_fs_readlink`: the link's target.
    uv_fs_readlink -> CString = |req| CStr::from_ptr((*req).ptr.cast()).to_owned();
    /// `uv_fs_realpath`: the canonical path.
    uv_fs_realpath -> CString = |req| CStr::from_ptr((*req).ptr.cast()).to_owned();
    /// `uv_fs_chown`: `()`.
    uv_fs_chown -> () = |req| ();
    /// `uv_fs_fchown`: `()`.
    uv_fs_fchown -> () = |req| ();
    /// `uv_fs_lchown`: `()`.
    uv_fs_lchown -> () = |req| ();
}
