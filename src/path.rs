//! Paths as C strings, without allocating for the usual lengths.

use std::ffi::{CStr, CString};
use std::io;
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
    let mut buf = [0u8; STACK_PATH];
    buf[..bytes.len()].copy_from_slice(bytes);
    let c = CStr::from_bytes_with_nul(&buf[..=bytes.len()]).map_err(|_| nul_error())?;
    Ok(f(c))
}

fn nul_error() -> io::Error {
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
    }
}
