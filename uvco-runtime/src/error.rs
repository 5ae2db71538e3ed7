//! `UvError`: a libuv error code, with libuv's name and message for it.

use std::ffi::{c_int, CStr};
use std::fmt;
use std::io;

use crate::libuv::Version;
use crate::sys;

/// A libuv error: the negative code a libuv function returned or passed to a callback.
///
/// Its [`name`](UvError::name) and [`Display`](fmt::Display) come from `uv_err_name_r` and
/// `uv_strerror_r`; it converts to [`std::io::Error`] with the matching [`io::ErrorKind`]
/// (codes that are negated errno values become OS errors, so `raw_os_error` works).
///
/// ```
/// use uvco_runtime::UvError;
///
/// let err = UvError::ENOENT;
/// assert_eq!(err.name(), "ENOENT");
/// assert_eq!(err.to_string(), "ENOENT: no such file or directory");
/// let io: std::io::Error = err.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UvError(c_int);

macro_rules! codes {
    ($($name:ident = $sys:ident,)*) => {
        impl UvError {
            $(
                #[doc = concat!("`UV_", stringify!($name), "`")]
                pub const $name: UvError = UvError(sys::$sys as c_int);
            )*
        }
    };
}

codes! {
    EOF = uv_errno_t_UV_EOF,
    ENOENT = uv_errno_t_UV_ENOENT,
    EEXIST = uv_errno_t_UV_EEXIST,
    EINVAL = uv_errno_t_UV_EINVAL,
    ECANCELED = uv_errno_t_UV_ECANCELED,
    EBADF = uv_errno_t_UV_EBADF,
    EBUSY = uv_errno_t_UV_EBUSY,
    EAGAIN = uv_errno_t_UV_EAGAIN,
    EPIPE = uv_errno_t_UV_EPIPE,
    ECONNREFUSED = uv_errno_t_UV_ECONNREFUSED,
    ECONNRESET = uv_errno_t_UV_ECONNRESET,
    ENOTCONN = uv_errno_t_UV_ENOTCONN,
    EMFILE = uv_errno_t_UV_EMFILE,
    EISDIR = uv_errno_t_UV_EISDIR,
    ENOTDIR = uv_errno_t_UV_ENOTDIR,
    ENAMETOOLONG = uv_errno_t_UV_ENAMETOOLONG,
    ETIMEDOUT = uv_errno_t_UV_ETIMEDOUT,
    EAI_NONAME = uv_errno_t_UV_EAI_NONAME,
    EAI_SERVICE = uv_errno_t_UV_EAI_SERVICE,
    ENOSYS = uv_errno_t_UV_ENOSYS,
}

impl UvError {
    /// Wraps a libuv error code. Codes are negative; zero and positive values are results,
    /// not errors, and are mapped to `EINVAL` in release builds.
    pub fn new(code: c_int) -> UvError {
        debug_assert!(code < 0, "not a libuv error code: {code}");
        if code < 0 {
            UvError(code)
        } else {
            UvError::EINVAL
        }
    }

    /// `Ok(value)` for a non-negative libuv return value, the error otherwise.
    #[inline]
    pub fn check(ret: c_int) -> Result<c_int, UvError> {
        if ret < 0 {
            Err(UvError(ret))
        } else {
            Ok(ret)
        }
    }

    /// The libuv code, e.g. `UV_ENOENT` (a negative number).
    pub fn code(self) -> c_int {
        self.0
    }

    /// libuv's name of the code, such as `"ENOENT"`; `"UNKNOWN"` for a code libuv doesn't know.
    pub fn name(self) -> &'static str {
        // `uv_err_name` leaks a string for unknown codes, so ask `uv_err_name_r` first.
        let mut buf = [0u8; 64];
        // SAFETY: the buffer is valid for its length; libuv NUL-terminates within it.
        unsafe { sys::uv_err_name_r(self.0, buf.as_mut_ptr().cast(), buf.len()) };
        if buf.starts_with(b"Unknown system error") {
            return "UNKNOWN";
        }
        // SAFETY: for a known code libuv returns a pointer to a static string.
        unsafe { CStr::from_ptr(sys::uv_err_name(self.0)) }
            .to_str()
            .unwrap_or("UNKNOWN")
    }

    fn write_message(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; libuv NUL-terminates within it.
        unsafe { sys::uv_strerror_r(self.0, buf.as_mut_ptr().cast(), buf.len()) };
        let msg = CStr::from_bytes_until_nul(&buf).unwrap_or_default();
        f.write_str(&msg.to_string_lossy())
    }

    /// The [`io::ErrorKind`] that best matches this code.
    pub fn kind(self) -> io::ErrorKind {
        use io::ErrorKind as K;
        let code = self.0;
        // The errno-backed codes; std knows them better than we do.
        if let Some(errno) = self.errno() {
            return io::Error::from_raw_os_error(errno).kind();
        }
        match code {
            c if c == UvError::EOF.0 => K::UnexpectedEof,
            c if c == UvError::EAI_NONAME.0 || c == sys::uv_errno_t_UV_EAI_NODATA => K::NotFound,
            c if c == UvError::EAI_SERVICE.0 || c == sys::uv_errno_t_UV_EAI_BADFLAGS => {
                K::InvalidInput
            }
            c if c == sys::uv_errno_t_UV_EAI_CANCELED => K::Interrupted,
            c if c == sys::uv_errno_t_UV_EAI_MEMORY => K::OutOfMemory,
            c if c == sys::uv_errno_t_UV_ECHARSET => K::InvalidData,
            _ => K::Other,
        }
    }

    /// The errno behind this code, on platforms where libuv codes are negated errno values.
    fn errno(self) -> Option<i32> {
        // libuv's own codes (UV_EOF, UV_EAI_*, UV_ECHARSET, ...) live at -3000 and below.
        if cfg!(unix) && self.0 > -3000 {
            Some(-self.0)
        } else {
            None
        }
    }
}

impl fmt::Debug for UvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UvError({}: ", self.name())?;
        self.write_message(f)?;
        write!(f, ", code {})", self.0)
    }
}

impl fmt::Display for UvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.name())?;
        self.write_message(f)
    }
}

impl std::error::Error for UvError {}

impl From<UvError> for io::Error {
    /// Errno-backed codes become OS errors (no allocation, `raw_os_error` works); libuv's
    /// own codes keep the `UvError` inside, reachable with `get_ref().downcast_ref()`.
    fn from(err: UvError) -> io::Error {
        match err.errno() {
            Some(errno) => io::Error::from_raw_os_error(errno),
            None => io::Error::new(err.kind(), err),
        }
    }
}

impl UvError {
    /// The libuv error an [`io::Error`] stands for: the `UvError` inside one made from a
    /// libuv-specific code, or, for any OS error, the libuv code of its errno (whether or not
    /// it came from libuv).
    pub fn from_io(err: &io::Error) -> Option<UvError> {
        if let Some(errno) = err.raw_os_error() {
            return (cfg!(unix) && errno > 0 && errno < 3000).then_some(UvError(-errno));
        }
        err.get_ref()?.downcast_ref::<UvError>().copied()
    }
}

/// Why a [`Runtime`](crate::Runtime) could not be created or attached to a loop.
///
/// Converts to [`std::io::Error`] (libuv's code for [`Uv`](RuntimeError::Uv), otherwise
/// [`io::ErrorKind::Unsupported`] with this error inside).
///
/// ```
/// let err = uvco_runtime::RuntimeError::TooOld {
///     found: uvco_runtime::libuv::Version { major: 1, minor: 40, patch: 0 },
/// };
/// assert!(err.to_string().contains("1.40.0"));
/// let io: std::io::Error = err.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::Unsupported);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeError {
    /// libuv refused to set up the loop or the runtime's handles on it.
    Uv(UvError),
    /// The libuv uvco calls is older than [`MIN_VERSION`](crate::libuv::MIN_VERSION).
    TooOld {
        /// The version found.
        found: Version,
    },
    /// A struct uvco allocates has another size in the libuv uvco calls: not the ABI uvco
    /// was built for.
    AbiMismatch {
        /// The struct.
        what: &'static str,
        /// Its size in uvco's bindings.
        ours: usize,
        /// Its size as libuv reports it.
        libuv: usize,
        /// The libuv version that reported it.
        version: Version,
    },
    /// The process exports a libuv other than the one uvco calls, so a loop it lends out is
    /// not uvco's to drive: uvco was built with its own (bundled) libuv and loaded into a host
    /// that has another. Build with `default-features = false, features = ["host"]`.
    ForeignLibuv {
        /// The libuv uvco calls.
        ours: Version,
        /// The libuv the process exports.
        process: Version,
    },
    /// An option this libuv doesn't have.
    Unsupported {
        /// What was asked for.
        what: &'static str,
        /// The first libuv version that has it.
        since: Version,
        /// The version found.
        found: Version,
    },
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::Uv(err) => fmt::Display::fmt(err, f),
            RuntimeError::TooOld { found } => write!(
                f,
                "uvco needs libuv {} or newer, and this process's libuv is {found}",
                crate::libuv::MIN_VERSION
            ),
            RuntimeError::AbiMismatch {
                what,
                ours,
                libuv,
                version,
            } => write!(
                f,
                "uvco's {what} is {ours} bytes but libuv {version} says {libuv}: \
                 not the libuv ABI uvco was built for"
            ),
            RuntimeError::ForeignLibuv { ours, process } => write!(
                f,
                "this loop belongs to the process's libuv {process}, but uvco calls its own \
                 bundled libuv {ours}; two libuvs can't share a loop. Build uvco for the host: \
                 default-features = false, features = [\"host\"]"
            ),
            RuntimeError::Unsupported { what, since, found } => {
                write!(
                    f,
                    "{what} needs libuv {since} or newer; this one is {found}"
                )
            }
        }
    }
}

impl std::error::Error for RuntimeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuntimeError::Uv(err) => Some(err),
            _ => None,
        }
    }
}

impl From<UvError> for RuntimeError {
    fn from(err: UvError) -> RuntimeError {
        RuntimeError::Uv(err)
    }
}

impl From<RuntimeError> for io::Error {
    fn from(err: RuntimeError) -> io::Error {
        match err {
            RuntimeError::Uv(err) => err.into(),
            other => io::Error::new(io::ErrorKind::Unsupported, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    #[test]
    #[cfg_attr(miri, ignore = "calls libuv")]
    fn names_messages_and_kinds() {
        let cases = [
            (UvError::ENOENT, "ENOENT", ErrorKind::NotFound),
            (UvError::EEXIST, "EEXIST", ErrorKind::AlreadyExists),
            (
                UvError::ECONNREFUSED,
                "ECONNREFUSED",
                ErrorKind::ConnectionRefused,
            ),
            (UvError::EPIPE, "EPIPE", ErrorKind::BrokenPipe),
            (UvError::EINVAL, "EINVAL", ErrorKind::InvalidInput),
            (UvError::EOF, "EOF", ErrorKind::UnexpectedEof),
            (UvError::EAI_NONAME, "EAI_NONAME", ErrorKind::NotFound),
            (UvError::EISDIR, "EISDIR", ErrorKind::IsADirectory),
        ];
        for (err, name, kind) in cases {
            assert_eq!(err.name(), name);
            assert_eq!(err.kind(), kind, "{err}");
            let io: io::Error = err.into();
            assert_eq!(io.kind(), kind);
            assert_eq!(UvError::from_io(&io), Some(err));
        }
        assert_eq!(UvError::EOF.to_string(), "EOF: end of file");
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libuv")]
    fn unknown_code_does_not_leak_or_panic() {
        let err = UvError::new(-7777);
        assert_eq!(err.name(), "UNKNOWN");
        assert!(err.to_string().contains("Unknown system error"));
    }
}
