//! Node-style errors: what a rejected operation hands to JS.

use std::borrow::Cow;
use std::ffi::c_char;
use std::fmt;
use std::io;
use std::ptr;

use napi::sys;
use uvco::UvError;

/// The result type of operations given to [`settle`](crate::settle).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which JS constructor an [`Error`] becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// `Error`.
    Error,
    /// `TypeError`.
    TypeError,
    /// `RangeError`.
    RangeError,
}

/// An error as Node reports one: a message, and the `code`, `errno`, `syscall` and `path`
/// properties of Node's fs errors where they apply.
///
/// From an [`io::Error`] that came from libuv it takes libuv's name (`code: 'ENOENT'`) and
/// negative code (`errno: -2`); with [`Syscall::syscall`] it also names the call and the path,
/// and the message reads like Node's: `ENOENT: no such file or directory, stat '/nope'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The JS constructor.
    pub class: ErrorClass,
    /// The message, without the `code` prefix for libuv errors (added when made into JS).
    pub message: String,
    /// `code`, such as `"ENOENT"` or `"ERR_INVALID_ARG_TYPE"`.
    pub code: Option<Cow<'static, str>>,
    /// `errno`: libuv's negative code.
    pub errno: Option<i32>,
    /// `syscall`, such as `"stat"`.
    pub syscall: Option<Cow<'static, str>>,
    /// `path`.
    pub path: Option<String>,
}

impl Error {
    /// An `Error` with this message and no code.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            class: ErrorClass::Error,
            message: message.into(),
            code: None,
            errno: None,
            syscall: None,
            path: None,
        }
    }

    /// A `TypeError` with a code, such as `ERR_INVALID_ARG_TYPE`.
    pub fn type_error(code: &'static str, message: impl Into<String>) -> Error {
        Error {
            class: ErrorClass::TypeError,
            code: Some(code.into()),
            ..Error::new(message)
        }
    }

    /// This error with a code.
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Error {
        self.code = Some(code.into());
        self
    }

    /// The full message as JS shows it: `CODE: message, syscall 'path'` for libuv errors.
    pub fn js_message(&self) -> String {
        let mut text = String::new();
        if self.errno.is_some() {
            if let Some(code) = &self.code {
                text.push_str(code);
                text.push_str(": ");
            }
        }
        text.push_str(&self.message);
        if let Some(syscall) = &self.syscall {
            text.push_str(", ");
            text.push_str(syscall);
            if let Some(path) = &self.path {
                text.push_str(" '");
                text.push_str(path);
                text.push('\'');
            }
        }
        text
    }

    /// Makes the JS error object. Returns null if V8 could not allocate it.
    ///
    /// # Safety
    /// `env` is the environment of the current thread, inside a handle scope.
    pub(crate) unsafe fn to_js(&self, env: sys::napi_env) -> sys::napi_value {
        // SAFETY: the caller's contract; every napi_value made here lives in its scope.
        unsafe {
            let msg = string(env, &self.js_message());
            let code = match &self.code {
                Some(code) => string(env, code),
                None => ptr::null_mut(),
            };
            let mut err = ptr::null_mut();
            let create = match self.class {
                ErrorClass::Error => sys::napi_create_error,
                ErrorClass::TypeError => sys::napi_create_type_error,
                ErrorClass::RangeError => sys::napi_create_range_error,
            };
            if create(env, code, msg, &mut err) != sys::Status::napi_ok {
                return ptr::null_mut();
            }
            if let Some(errno) = self.errno {
                let mut n = ptr::null_mut();
                sys::napi_create_int32(env, errno, &mut n);
                sys::napi_set_named_property(env, err, c"errno".as_ptr(), n);
            }
            if let Some(syscall) = &self.syscall {
                let s = string(env, syscall);
                sys::napi_set_named_property(env, err, c"syscall".as_ptr(), s);
            }
            if let Some(path) = &self.path {
                let s = string(env, path);
                sys::napi_set_named_property(env, err, c"path".as_ptr(), s);
            }
            err
        }
    }
}

/// A JS string of `s` (null if V8 could not allocate it).
///
/// # Safety
/// `env` is the current thread's environment, inside a handle scope.
pub(crate) unsafe fn string(env: sys::napi_env, s: &str) -> sys::napi_value {
    let mut value = ptr::null_mut();
    // SAFETY: `s` is valid for `s.len()` bytes of UTF-8; the caller's contract covers env.
    unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast::<c_char>(), s.len(), &mut value) };
    value
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.js_message())
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Error {
        match UvError::from_io(&err) {
            Some(uv) => Error {
                message: uv_message(uv),
                code: Some(uv.name().into()),
                errno: Some(uv.code()),
                ..Error::new("")
            },
            None => {
                let (class, code) = match err.kind() {
                    io::ErrorKind::InvalidInput => {
                        (ErrorClass::TypeError, Some("ERR_INVALID_ARG_VALUE".into()))
                    }
                    _ => (ErrorClass::Error, None),
                };
                Error {
                    class,
                    code,
                    ..Error::new(err.to_string())
                }
            }
        }
    }
}

/// libuv's message for `err` alone ("no such file or directory"), without its name.
fn uv_message(err: UvError) -> String {
    let full = err.to_string();
    match full.split_once(": ") {
        Some((_, message)) => message.to_owned(),
        None => full,
    }
}

impl From<UvError> for Error {
    fn from(err: UvError) -> Error {
        Error::from(io::Error::from(err))
    }
}

impl From<napi::Error> for Error {
    fn from(err: napi::Error) -> Error {
        Error::new(err.reason.clone()).with_code(err.status.as_ref().to_owned())
    }
}

/// Names the system call (and path) behind an `io::Result`'s error, as Node's fs errors do.
pub trait Syscall<T> {
    /// `syscall` and `path` for the error, if any.
    fn syscall(self, syscall: &'static str, path: &str) -> Result<T>;
}

impl<T> Syscall<T> for io::Result<T> {
    fn syscall(self, syscall: &'static str, path: &str) -> Result<T> {
        self.map_err(|err| {
            let mut err = Error::from(err);
            if err.errno.is_some() {
                err.syscall = Some(syscall.into());
                err.path = Some(path.to_owned());
            }
            err
        })
    }
}
