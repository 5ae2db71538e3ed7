//! `OpenOptions`: how a [`File`] is opened, as in `std::fs::OpenOptions`.

use std::io;
use std::os::raw::c_int;
use std::path::Path;

use super::File;
use crate::path::with_c_path;
use crate::requests::UvFsOpen;
use crate::sys;

/// Options for opening a [`File`], with the builder methods of `std::fs::OpenOptions`
/// (and of its Unix `OpenOptionsExt`: [`mode`](OpenOptions::mode),
/// [`custom_flags`](OpenOptions::custom_flags)). Files are always opened close-on-exec.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use uvco::fs::OpenOptions;
///
/// let path = std::env::temp_dir().join(format!("uvco-open-options-{}", std::process::id()));
/// let mut log = OpenOptions::new().append(true).create(true).open(&path).await?;
/// let (written, _buf) = log.write_owned(b"one line\n".to_vec()).await;
/// assert_eq!(written?, 9);
/// log.close().await?;
///
/// let err = OpenOptions::new().write(true).create_new(true).open(&path).await.unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: bool,
    create_new: bool,
    mode: u32,
    custom_flags: c_int,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl OpenOptions {
    /// No access at all (set at least one of read, write, append), mode `0o666`.
    pub fn new() -> OpenOptions {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            truncate: false,
            create: false,
            create_new: false,
            mode: 0o666,
            custom_flags: 0,
        }
    }

    /// Open for reading.
    pub fn read(&mut self, read: bool) -> &mut Self {
        self.read = read;
        self
    }

    /// Open for writing.
    pub fn write(&mut self, write: bool) -> &mut Self {
        self.write = write;
        self
    }

    /// Open for writing at the end of the file, always (`O_APPEND`); implies `write`.
    pub fn append(&mut self, append: bool) -> &mut Self {
        self.append = append;
        self
    }

    /// Truncate an existing file to 0 bytes (`O_TRUNC`); needs `write`.
    pub fn truncate(&mut self, truncate: bool) -> &mut Self {
        self.truncate = truncate;
        self
    }

    /// Create the file if it doesn't exist (`O_CREAT`); needs `write` or `append`.
    pub fn create(&mut self, create: bool) -> &mut Self {
        self.create = create;
        self
    }

    /// Create the file, failing with `AlreadyExists` if it exists, even as a dangling
    /// symbolic link (`O_CREAT | O_EXCL`); needs `write` or `append`. Overrides `create` and
    /// `truncate`.
    pub fn create_new(&mut self, create_new: bool) -> &mut Self {
        self.create_new = create_new;
        self
    }

    /// The permission bits of a created file, before the umask (default `0o666`).
    pub fn mode(&mut self, mode: u32) -> &mut Self {
        self.mode = mode;
        self
    }

    /// Extra `open(2)` flags, or-ed in (the access mode bits are ignored).
    pub fn custom_flags(&mut self, flags: i32) -> &mut Self {
        self.custom_flags = flags;
        self
    }

    /// Opens `path` with these options.
    pub async fn open(&self, path: impl AsRef<Path>) -> io::Result<File> {
        let flags = self.flags()?;
        let mode = self.mode as c_int;
        // SAFETY: libuv copies the path when the request is submitted.
        let op = with_c_path(path.as_ref(), |path| unsafe {
            UvFsOpen::new(path.as_ptr(), flags, mode)
        })?;
        let fd = op.await?;
        // SAFETY: a successful open resolves to a new fd that nothing else owns. (Had this
        // future been dropped first, the runtime would have closed it.)
        Ok(unsafe { File::from_new_fd(fd) })
    }

    /// The `open(2)` flags, checked as std checks them.
    fn flags(&self) -> io::Result<c_int> {
        const O_ACCMODE: c_int = 0o3;
        let flag = |set: bool, flag: u32| if set { flag as c_int } else { 0 };
        let access = match (self.read, self.write || self.append) {
            (true, false) => sys::UV_FS_O_RDONLY,
            (false, true) => sys::UV_FS_O_WRONLY,
            (true, true) => sys::UV_FS_O_RDWR,
            (false, false) => return Err(invalid("no access mode set (read, write or append)")),
        } as c_int;
        let writes = self.write || self.append;
        if !writes && (self.truncate || self.create || self.create_new) {
            return Err(invalid(
                "create, create_new and truncate need write or append",
            ));
        }
        if self.append && self.truncate && !self.create_new {
            return Err(invalid("append and truncate together"));
        }
        let creation = if self.create_new {
            flag(true, sys::UV_FS_O_CREAT | sys::UV_FS_O_EXCL)
        } else {
            flag(self.create, sys::UV_FS_O_CREAT) | flag(self.truncate, sys::UV_FS_O_TRUNC)
        };
        Ok(access
            | creation
            | flag(self.append, sys::UV_FS_O_APPEND)
            | (self.custom_flags & !O_ACCMODE))
    }
}

fn invalid(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}
