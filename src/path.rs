//! Paths as C strings, without allocating for the usual lengths.

use std::ffi::{CStr, CString};
use std::io;
use std::mem::MaybeUninit;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Paths shorter than this are made C strings on the stack.
const STACK_PATH: usize = 512;

/// Calls `f` with `path` as a NUL-terminated C string: on the stack when it is short, in a
/// `CString` otherwise. A NUL byte inside the path is an `InvalidInput` error. libuv copies
/// paths when a request is submitted, so the string only needs to live for the call.
pub(crate) fn with_c_path<T>(path: &Path, f: impl FnOnce(&CStr) -> T) -> io::Result<T> {
    let bytes = path.as_os_str().as_bytes();
    if bytes.len() >= STACK_PATH {
        let owned = CString::new(bytes).map_err(|_| nul_error())?;
        return Ok(f(&owned));
    }
    if has_nul(bytes) {
        return Err(nul_error());
    }
    // Uninitialised: zeroing the whole buffer cost more than the copy of a usual path.
    let mut buf = MaybeUninit::<[u8; STACK_PATH]>::uninit();
    let start = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: `bytes.len() < STACK_PATH`, so the bytes and the NUL after them fit in `buf`;
    // the first `len + 1` bytes are initialised before the slice over them is made, and they
    // hold no NUL but the last (checked above).
    let c = unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), start, bytes.len());
        start.add(bytes.len()).write(0);
        CStr::from_bytes_with_nul_unchecked(std::slice::from_raw_parts(start, bytes.len() + 1))
    };
    Ok(f(c))
}

/// Whether `bytes` holds a NUL: libc's vectorised memchr, where core's byte loop (in
/// `CStr::from_bytes_with_nul` and `<[u8]>::contains`) took three instructions a byte on
/// every path of every request.
pub(crate) fn has_nul(bytes: &[u8]) -> bool {
    // SAFETY: memchr reads at most `bytes.len()` bytes from the start of a live slice.
    !unsafe { libc::memchr(bytes.as_ptr().cast(), 0, bytes.len()) }.is_null()
}

/// The error for a path with a NUL byte in it, from every function that takes a path.
pub(crate) fn nul_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "path contains an interior NUL byte",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_nul() {
        assert_eq!(
            with_c_path(Path::new("a/b"), |c| c.to_bytes().to_vec()).unwrap(),
            b"a/b"
        );
        let long = "x".repeat(5000);
        assert_eq!(
            with_c_path(Path::new(&long), |c| c.to_bytes().len()).unwrap(),
            5000
        );
        let err = with_c_path(Path::new("a\0b"), |_| ()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err = with_c_path(Path::new("ab\0"), |_| ()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            with_c_path(Path::new(""), |c| c.to_bytes().len()).unwrap(),
            0
        );
    }
}
