//! Which libuv uvco calls, and the checks that it is the one serving a loop.
//!
//! In the default (bundled) build uvco carries libuv 1.53 (libuv-sys2 1.53.1); in the `host` build it calls the
//! host process's libuv, whatever version that is. Either way the runtime checks, before it
//! puts anything on a loop:
//! - the version is at least [`MIN_VERSION`];
//! - the structs uvco allocates have the sizes that libuv reports (`uv_loop_size`,
//!   `uv_handle_size`, `uv_req_size`), so that a libuv with another ABI is refused rather than
//!   written past;
//! - for [`Runtime::attach`](crate::Runtime::attach): the process does not export a libuv
//!   other than the one uvco calls. A bundled uvco loaded into Node.js sees Node's `uv_version`
//!   through `dlsym(RTLD_DEFAULT)`, and Node's loop would be driven by a second libuv whose
//!   private fields differ: that is the crash this check turns into an error.

use std::ffi::{c_char, c_uint, c_void, CStr};
use std::fmt;
use std::sync::OnceLock;

use crate::error::RuntimeError;
use crate::sys;

/// The oldest libuv uvco runs on: Debian 12's system libuv (1.44.2, which Debian's Neovim
/// links) and Node.js 20's (1.46.0) are both newer. Functions added after it are looked up
/// at run time in the host build (see the `sys` module).
pub const MIN_VERSION: Version = Version {
    major: 1,
    minor: 44,
    patch: 0,
};

/// A libuv version, as `uv_version()` encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version (1 for every libuv uvco supports).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version.
    pub patch: u32,
}

impl Version {
    fn from_hex(v: c_uint) -> Version {
        Version {
            major: (v >> 16) & 0xff,
            minor: (v >> 8) & 0xff,
            patch: v & 0xff,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The version of the libuv uvco calls: the bundled one, or in the host build the host's.
///
/// ```
/// let v = uvco_runtime::libuv::version();
/// assert!(v >= uvco_runtime::libuv::MIN_VERSION);
/// ```
pub fn version() -> Version {
    // SAFETY: no preconditions.
    Version::from_hex(unsafe { sys::uv_version() })
}

/// Whether uvco was built with its own libuv (`bundled`) rather than the host's (`host`).
pub const BUNDLED: bool = cfg!(feature = "bundled");

unsafe extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// glibc's `RTLD_DEFAULT`: the global scope, where a host's exported libuv lives.
const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();

/// The address of `name` in the process's global scope, if it exports one.
pub(crate) fn process_symbol(name: &CStr) -> Option<usize> {
    // SAFETY: `name` is NUL-terminated; RTLD_DEFAULT is a valid pseudo-handle.
    let addr = unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) };
    (!addr.is_null()).then_some(addr as usize)
}

/// The version of the libuv the process exports, when it is not the one uvco calls.
fn foreign_libuv() -> Option<Version> {
    let exported = process_symbol(c"uv_version")?;
    let ours = sys::uv_version as unsafe extern "C" fn() -> c_uint as usize;
    if exported == ours {
        return None;
    }
    // SAFETY: the process's `uv_version`, whose C type is this one.
    let theirs: unsafe extern "C" fn() -> c_uint = unsafe { std::mem::transmute(exported) };
    // SAFETY: no preconditions.
    Some(Version::from_hex(unsafe { theirs() }))
}

/// The version and size checks, run once per process.
fn check_abi() -> Result<(), RuntimeError> {
    static CHECKED: OnceLock<Result<(), RuntimeError>> = OnceLock::new();
    CHECKED.get_or_init(check_abi_now).clone()
}

fn check_abi_now() -> Result<(), RuntimeError> {
    let found = version();
    if found < MIN_VERSION {
        return Err(RuntimeError::TooOld { found });
    }
    use std::mem::size_of;
    use sys::*;
    // SAFETY: no preconditions.
    let loop_size = || unsafe { uv_loop_size() };
    // SAFETY: accepts every handle type constant, as passed below.
    let handle = |t| unsafe { uv_handle_size(t) };
    // SAFETY: accepts every request type constant, as passed below.
    let req = |t| unsafe { uv_req_size(t) };
    let sizes: [(&'static str, usize, usize); 19] = [
        ("uv_loop_t", size_of::<uv_loop_t>(), loop_size()),
        (
            "uv_idle_t",
            size_of::<uv_idle_t>(),
            handle(uv_handle_type_UV_IDLE),
        ),
        (
            "uv_prepare_t",
            size_of::<uv_prepare_t>(),
            handle(uv_handle_type_UV_PREPARE),
        ),
        (
            "uv_check_t",
            size_of::<uv_check_t>(),
            handle(uv_handle_type_UV_CHECK),
        ),
        (
            "uv_async_t",
            size_of::<uv_async_t>(),
            handle(uv_handle_type_UV_ASYNC),
        ),
        (
            "uv_timer_t",
            size_of::<uv_timer_t>(),
            handle(uv_handle_type_UV_TIMER),
        ),
        (
            "uv_tcp_t",
            size_of::<uv_tcp_t>(),
            handle(uv_handle_type_UV_TCP),
        ),
        (
            "uv_pipe_t",
            size_of::<uv_pipe_t>(),
            handle(uv_handle_type_UV_NAMED_PIPE),
        ),
        (
            "uv_udp_t",
            size_of::<uv_udp_t>(),
            handle(uv_handle_type_UV_UDP),
        ),
        (
            "uv_tty_t",
            size_of::<uv_tty_t>(),
            handle(uv_handle_type_UV_TTY),
        ),
        ("uv_fs_t", size_of::<uv_fs_t>(), req(uv_req_type_UV_FS)),
        (
            "uv_getaddrinfo_t",
            size_of::<uv_getaddrinfo_t>(),
            req(uv_req_type_UV_GETADDRINFO),
        ),
        (
            "uv_getnameinfo_t",
            size_of::<uv_getnameinfo_t>(),
            req(uv_req_type_UV_GETNAMEINFO),
        ),
        (
            "uv_write_t",
            size_of::<uv_write_t>(),
            req(uv_req_type_UV_WRITE),
        ),
        (
            "uv_connect_t",
            size_of::<uv_connect_t>(),
            req(uv_req_type_UV_CONNECT),
        ),
        (
            "uv_shutdown_t",
            size_of::<uv_shutdown_t>(),
            req(uv_req_type_UV_SHUTDOWN),
        ),
        (
            "uv_udp_send_t",
            size_of::<uv_udp_send_t>(),
            req(uv_req_type_UV_UDP_SEND),
        ),
        (
            "uv_work_t",
            size_of::<uv_work_t>(),
            req(uv_req_type_UV_WORK),
        ),
        (
            "uv_random_t",
            size_of::<uv_random_t>(),
            req(uv_req_type_UV_RANDOM),
        ),
    ];
    for (what, ours, libuv) in sizes {
        if ours != libuv {
            return Err(RuntimeError::AbiMismatch {
                what,
                ours,
                libuv,
                version: found,
            });
        }
    }
    Ok(())
}

/// What every runtime checks before it touches a loop of its own.
pub(crate) fn check_own_loop() -> Result<(), RuntimeError> {
    check_abi()
}

/// What [`Runtime::attach`](crate::Runtime::attach) checks: the ABI, and that the process's
/// libuv is the one uvco calls.
pub(crate) fn check_borrowed_loop() -> Result<(), RuntimeError> {
    check_abi()?;
    if let Some(process) = foreign_libuv() {
        return Err(RuntimeError::ForeignLibuv {
            ours: version(),
            process,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_and_print() {
        assert_eq!(Version::from_hex(0x012c02).to_string(), "1.44.2");
        assert!(Version::from_hex(0x012c02) >= MIN_VERSION);
        assert!(Version::from_hex(0x012b00) < MIN_VERSION);
        assert!(Version::from_hex(0x020000) > Version::from_hex(0x01ffff));
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libuv")]
    fn this_build_passes_its_own_checks() {
        check_own_loop().unwrap();
        // A test binary exports no libuv of its own, so nothing foreign is found either.
        check_borrowed_loop().unwrap();
        if BUNDLED {
            assert_eq!((version().major, version().minor), (1, 53));
        }
    }
}
