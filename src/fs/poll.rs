//! Polling a path's metadata: [`poll`] (`uv_fs_poll_t`: a `stat` every interval, on the
//! threadpool), as a stream of `(previous, current)` [`Metadata`] pairs.

use std::ffi::c_int;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::Metadata;
use crate::handle::{HandleStream, UvHandle};
use crate::path::with_c_path;
use crate::{current_loop, sys, UvError};

// SAFETY: uv_fs_poll_t is a libuv handle struct.
unsafe impl UvHandle for sys::uv_fs_poll_t {}

/// Changes a [`StatWatcher`] holds for its reader; past this, a new change is folded into
/// the newest held one (its `previous` stays, its `current` becomes the new one's).
const QUEUE: usize = 64;

type Item = Result<(Metadata, Metadata), UvError>;

/// A stream of changes to a path's metadata, from [`poll`]; dropping it stops polling.
pub struct StatWatcher {
    path: PathBuf,
    interval: Duration,
    inner: HandleStream<sys::uv_fs_poll_t, Item>,
}

unsafe extern "C" fn on_poll(
    handle: *mut sys::uv_fs_poll_t,
    status: c_int,
    prev: *const sys::uv_stat_t,
    curr: *const sys::uv_stat_t,
) {
    // SAFETY: libuv passes the handle of a live StatWatcher's block.
    let queue = unsafe { HandleStream::<sys::uv_fs_poll_t, Item>::queue_of(handle) };
    let item = match UvError::check(status) {
        Err(err) => Err(err),
        // SAFETY: on success libuv passes both stats, valid for this callback.
        Ok(_) => unsafe { Ok((Metadata::from_stat(*prev), Metadata::from_stat(*curr))) },
    };
    queue.push(item, |last, new| match (last, new) {
        (Ok(last), Ok((_, curr))) => last.1 = curr,
        (last, new) => *last = new,
    });
}

/// Polls the metadata of `path` every `interval` (`stat(2)` on libuv's threadpool), from
/// now on: each change (size, times, mode, inode, ...) is an item `(previous, current)`.
/// Unlike [`watch`](super::watch) it works on every file system (NFS, FUSE, ...), at the
/// cost of the polling and of missing changes that undo themselves within an interval.
///
/// A path that doesn't exist (or can't be read) is an item `Err` (such as `NotFound`), once
/// per new error; when it then appears, the next item's `previous` is all zeros. An
/// `interval` below a millisecond is one millisecond.
///
/// The first `stat`, which only sets the starting state, runs on the threadpool after
/// `poll` returns: a change made before it is done is taken for the starting state, and not
/// reported. (Only an error, such as a path that doesn't exist yet, is reported at once, and
/// so tells that the starting state is set.) A poll may also catch a file halfway through
/// a write (truncated, not yet written).
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// use std::time::Duration;
/// let path = std::env::temp_dir().join(format!("uvco-poll-doc-{}", std::process::id()));
/// let mut polled = uvco::fs::poll(&path, Duration::from_millis(10))?;
/// let missing = polled.next().await.unwrap().unwrap_err();
/// assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
/// uvco::fs::write(&path, "12345").await?;
/// loop {
///     let (_prev, curr) = polled.next().await.unwrap()?;
///     if curr.len() == 5 {
///         break;
///     }
/// }
/// # drop(polled);
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// # Errors
/// `InvalidInput` for a path with a NUL byte, or an interval of more than `u32::MAX`
/// milliseconds.
///
/// # Panics
/// Outside a runtime.
pub fn poll(path: impl AsRef<Path>, interval: Duration) -> io::Result<StatWatcher> {
    let path = path.as_ref();
    let ms = u32::try_from(interval.as_millis()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "uvco::fs::poll: interval above u32::MAX milliseconds",
        )
    })?;
    let loop_ = current_loop();
    let inner = with_c_path(path, |c_path| {
        HandleStream::new(
            QUEUE,
            // SAFETY: a valid loop, on its thread; the handle is initialised in place.
            |h| unsafe { sys::uv_fs_poll_init(loop_, h) },
            // SAFETY: an initialised fs_poll handle of a HandleStream block (what the callback
            // expects); libuv copies the path.
            |h| unsafe { sys::uv_fs_poll_start(h, Some(on_poll), c_path.as_ptr(), ms.max(1)) },
        )
    })??;
    Ok(StatWatcher {
        path: path.to_path_buf(),
        interval,
        inner,
    })
}

impl StatWatcher {
    /// The next change; `None` once the runtime has shut down (it closed the handle).
    /// Cancel-safe: a dropped `next` loses no change.
    pub async fn next(&mut self) -> Option<io::Result<(Metadata, Metadata)>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Polls for the next change, as [`next`](StatWatcher::next).
    pub fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<(Metadata, Metadata)>>> {
        self.inner
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(io::Error::from)))
    }

    /// The path polled, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The polling interval, as given.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

impl futures_core::Stream for StatWatcher {
    type Item = io::Result<(Metadata, Metadata)>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        StatWatcher::poll_next(self.get_mut(), cx)
    }
}

impl fmt::Debug for StatWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatWatcher")
            .field("path", &self.path)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}
