//! An owned file descriptor that closes without blocking the loop.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};

use crate::requests::UvFsClose;

/// An fd that, when dropped inside a runtime, is closed by a detached `uv_fs_close` on the
/// threadpool (close(2) can block, on network file systems for one); outside a runtime it is
/// closed directly, like `OwnedFd`.
///
/// Detaching works because fs close requests are never cancelled: the dropped request's
/// slot stays with the runtime until the close has run, then frees itself.
#[derive(Debug)]
pub(crate) struct Fd(Option<OwnedFd>);

impl From<OwnedFd> for Fd {
    fn from(fd: OwnedFd) -> Fd {
        Fd(Some(fd))
    }
}

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.as_fd().as_raw_fd()
    }
}

impl AsFd for Fd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0
            .as_ref()
            .expect("an Fd holds its fd until dropped")
            .as_fd()
    }
}

impl IntoRawFd for Fd {
    fn into_raw_fd(mut self) -> RawFd {
        self.0
            .take()
            .expect("an Fd holds its fd until dropped")
            .into_raw_fd()
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        let Some(fd) = self.0.take() else { return };
        if crate::try_current_loop().is_some() {
            // SAFETY: inside a runtime; the fd is ours and handed over to libuv to close.
            drop(unsafe { UvFsClose::new(fd.into_raw_fd()) });
        }
        // else: `fd` drops here, a direct close(2).
    }
}
