//! `Metadata`, `FileType` and `Permissions`, read from libuv's `uv_stat_t`.

use std::fmt;
use std::io;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::sys;

const S_IFMT: u32 = 0o170_000;
const S_IFSOCK: u32 = 0o140_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFREG: u32 = 0o100_000;
const S_IFBLK: u32 = 0o060_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFCHR: u32 = 0o020_000;
const S_IFIFO: u32 = 0o010_000;

/// Information about a file: what [`metadata`](fn@super::metadata),
/// [`symlink_metadata`](super::symlink_metadata) and [`File::metadata`](super::File::metadata)
/// return.
#[derive(Clone, Copy)]
pub struct Metadata {
    stat: sys::uv_stat_t,
}

impl Metadata {
    /// The metadata a `stat`, `lstat` or `fstat` request produced, or that libuv passed to a
    /// callback (`uv_fs_poll_t`'s).
    pub(crate) fn from_stat(stat: sys::uv_stat_t) -> Metadata {
        Metadata { stat }
    }

    /// The type of the file.
    pub fn file_type(&self) -> FileType {
        FileType {
            mode: self.mode() & S_IFMT,
        }
    }

    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        self.file_type().is_dir()
    }

    /// Whether this is a regular file.
    pub fn is_file(&self) -> bool {
        self.file_type().is_file()
    }

    /// Whether this is a symbolic link (only ever true for
    /// [`symlink_metadata`](super::symlink_metadata)).
    pub fn is_symlink(&self) -> bool {
        self.file_type().is_symlink()
    }

    /// The size of the file in bytes.
    #[allow(clippy::len_without_is_empty)] // as in std
    pub fn len(&self) -> u64 {
        self.stat.st_size
    }

    /// The permission bits.
    pub fn permissions(&self) -> Permissions {
        Permissions { mode: self.mode() }
    }

    /// The last modification time (`st_mtim`).
    pub fn modified(&self) -> io::Result<SystemTime> {
        system_time(self.stat.st_mtim)
    }

    /// The last access time (`st_atim`).
    pub fn accessed(&self) -> io::Result<SystemTime> {
        system_time(self.stat.st_atim)
    }

    /// The creation time (`st_birthtim`); an `Unsupported` error where the platform or the
    /// file system doesn't record it.
    pub fn created(&self) -> io::Result<SystemTime> {
        let birth = self.stat.st_birthtim;
        if birth.tv_sec == 0 && birth.tv_nsec == 0 {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "creation time is not available for this file",
            ));
        }
        system_time(birth)
    }

    /// The full `st_mode`: file type and permission bits.
    pub fn mode(&self) -> u32 {
        self.stat.st_mode as u32
    }

    /// The owner's user id.
    pub fn uid(&self) -> u32 {
        self.stat.st_uid as u32
    }

    /// The owner's group id.
    pub fn gid(&self) -> u32 {
        self.stat.st_gid as u32
    }

    /// The id of the device holding the file.
    pub fn dev(&self) -> u64 {
        self.stat.st_dev
    }

    /// The inode number.
    pub fn ino(&self) -> u64 {
        self.stat.st_ino
    }

    /// The number of hard links.
    pub fn nlink(&self) -> u64 {
        self.stat.st_nlink
    }

    /// The number of 512-byte blocks allocated.
    pub fn blocks(&self) -> u64 {
        self.stat.st_blocks
    }

    /// The preferred I/O block size.
    pub fn blksize(&self) -> u64 {
        self.stat.st_blksize
    }

    /// The raw `uv_stat_t`.
    pub fn as_raw(&self) -> &sys::uv_stat_t {
        &self.stat
    }
}

impl fmt::Debug for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metadata")
            .field("file_type", &self.file_type())
            .field("permissions", &self.permissions())
            .field("len", &self.len())
            .field("modified", &self.modified().ok())
            .finish_non_exhaustive()
    }
}

fn system_time(ts: sys::uv_timespec_t) -> io::Result<SystemTime> {
    let nanos = Duration::from_nanos(ts.tv_nsec.clamp(0, 999_999_999) as u64);
    let time = if ts.tv_sec >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(ts.tv_sec as u64))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(ts.tv_sec.unsigned_abs()))
    };
    time.and_then(|t| t.checked_add(nanos)).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "file time out of range for SystemTime",
        )
    })
}

/// The type of a file: regular file, directory, symbolic link, or a special file.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileType {
    /// The `S_IFMT` bits of `st_mode`.
    mode: u32,
}

impl FileType {
    /// The type of a directory entry as libuv reports it; `None` when libuv doesn't know it
    /// (`UV_DIRENT_UNKNOWN`), and a `stat` must tell.
    pub(crate) fn from_dirent(kind: sys::uv_dirent_type_t) -> Option<FileType> {
        let mode = match kind {
            sys::uv_dirent_type_t_UV_DIRENT_FILE => S_IFREG,
            sys::uv_dirent_type_t_UV_DIRENT_DIR => S_IFDIR,
            sys::uv_dirent_type_t_UV_DIRENT_LINK => S_IFLNK,
            sys::uv_dirent_type_t_UV_DIRENT_FIFO => S_IFIFO,
            sys::uv_dirent_type_t_UV_DIRENT_SOCKET => S_IFSOCK,
            sys::uv_dirent_type_t_UV_DIRENT_CHAR => S_IFCHR,
            sys::uv_dirent_type_t_UV_DIRENT_BLOCK => S_IFBLK,
            _ => return None,
        };
        Some(FileType { mode })
    }

    fn is(self, kind: u32) -> bool {
        self.mode & S_IFMT == kind
    }

    /// A directory.
    pub fn is_dir(&self) -> bool {
        self.is(S_IFDIR)
    }

    /// A regular file.
    pub fn is_file(&self) -> bool {
        self.is(S_IFREG)
    }

    /// A symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.is(S_IFLNK)
    }

    /// A block device.
    pub fn is_block_device(&self) -> bool {
        self.is(S_IFBLK)
    }

    /// A character device.
    pub fn is_char_device(&self) -> bool {
        self.is(S_IFCHR)
    }

    /// A FIFO (named pipe).
    pub fn is_fifo(&self) -> bool {
        self.is(S_IFIFO)
    }

    /// A Unix domain socket.
    pub fn is_socket(&self) -> bool {
        self.is(S_IFSOCK)
    }
}

impl fmt::Debug for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.mode & S_IFMT {
            S_IFREG => "file",
            S_IFDIR => "dir",
            S_IFLNK => "symlink",
            S_IFBLK => "block_device",
            S_IFCHR => "char_device",
            S_IFIFO => "fifo",
            S_IFSOCK => "socket",
            _ => "unknown",
        };
        f.debug_tuple("FileType").field(&name).finish()
    }
}

/// The permission bits of a file, as in `std::fs::Permissions` with `PermissionsExt`.
///
/// ```
/// let mut perm = uvco::fs::Permissions::from_mode(0o644);
/// assert!(!perm.readonly());
/// perm.set_readonly(true);
/// assert_eq!(perm.mode(), 0o444);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Permissions {
    mode: u32,
}

impl Permissions {
    /// Permissions with these mode bits (such as `0o644`).
    pub fn from_mode(mode: u32) -> Permissions {
        Permissions { mode }
    }

    /// The mode bits; from [`Metadata::permissions`] they include the file type bits, as
    /// `st_mode` does.
    pub fn mode(&self) -> u32 {
        self.mode
    }

    /// Replaces the mode bits.
    pub fn set_mode(&mut self, mode: u32) {
        self.mode = mode;
    }

    /// Whether nobody may write: no write bit is set.
    pub fn readonly(&self) -> bool {
        self.mode & 0o222 == 0
    }

    /// Clears every write bit, or sets them all (as std does on Unix: mind the umask-less
    /// result, `0o666` for a file that was `0o644`).
    pub fn set_readonly(&mut self, readonly: bool) {
        if readonly {
            self.mode &= !0o222;
        } else {
            self.mode |= 0o222;
        }
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({:o})", self.mode)
    }
}

impl From<std::fs::Permissions> for Permissions {
    fn from(perm: std::fs::Permissions) -> Permissions {
        use std::os::unix::fs::PermissionsExt;
        Permissions::from_mode(perm.mode())
    }
}

impl From<Permissions> for std::fs::Permissions {
    fn from(perm: Permissions) -> std::fs::Permissions {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(perm.mode)
    }
}
