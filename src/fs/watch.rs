//! Watching a path for changes: [`watch`] (`uv_fs_event_t`: inotify on Linux), as a stream
//! of [`WatchEvent`]s.

use std::ffi::{c_char, c_int, CStr, OsStr};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::handle::{HandleStream, UvHandle};
use crate::path::with_c_path;
use crate::{current_loop, sys, UvError};

// SAFETY: uv_fs_event_t is a libuv handle struct.
unsafe impl UvHandle for sys::uv_fs_event_t {}

/// Events a [`Watcher`] holds for its reader; past this, new ones are dropped and the newest
/// held one is marked [`overflowed`](WatchEvent::overflowed).
const QUEUE: usize = 4096;

/// One change to a watched path, from a [`Watcher`].
#[derive(Clone, PartialEq, Eq)]
pub struct WatchEvent {
    name: Option<PathBuf>,
    rename: bool,
    change: bool,
    overflowed: bool,
}

impl WatchEvent {
    /// The name of the entry that changed: for a watched directory the entry's name inside it
    /// (relative), for a watched file its own file name. `None` when the system did not say.
    pub fn name(&self) -> Option<&Path> {
        self.name.as_deref()
    }

    /// An entry appeared, disappeared or was renamed (`UV_RENAME`: create, delete and both
    /// ends of a move are all reported as renames).
    pub fn is_rename(&self) -> bool {
        self.rename
    }

    /// An entry's contents or attributes changed (`UV_CHANGE`). One event may be both.
    pub fn is_change(&self) -> bool {
        self.change
    }

    /// Events that came after this one were dropped, because the reader fell 4096 events
    /// behind: rescan what you watch.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }
}

impl fmt::Debug for WatchEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchEvent")
            .field("name", &self.name)
            .field("rename", &self.rename)
            .field("change", &self.change)
            .field("overflowed", &self.overflowed)
            .finish()
    }
}

type Item = Result<WatchEvent, UvError>;

/// A stream of changes to a path, from [`watch`]; dropping it stops watching.
///
/// Read it with [`next`](Watcher::next) or [`poll_next`](Watcher::poll_next), or as a
/// `futures_core::Stream`. Events that arrive while nobody reads are held (up to 4096; the
/// newest held one is then marked [`overflowed`](WatchEvent::overflowed)). Each event with
/// a name costs the allocation of its `PathBuf`.
pub struct Watcher {
    path: PathBuf,
    inner: HandleStream<sys::uv_fs_event_t, Item>,
}

unsafe extern "C" fn on_event(
    handle: *mut sys::uv_fs_event_t,
    filename: *const c_char,
    events: c_int,
    status: c_int,
) {
    // SAFETY: libuv passes the handle of a live Watcher's block.
    let queue = unsafe { HandleStream::<sys::uv_fs_event_t, Item>::queue_of(handle) };
    let item = match UvError::check(status) {
        Err(err) => Err(err),
        Ok(_) => {
            let name = (!filename.is_null()).then(|| {
                // SAFETY: libuv passes a NUL-terminated name valid for this callback.
                let bytes = unsafe { CStr::from_ptr(filename) }.to_bytes();
                PathBuf::from(OsStr::from_bytes(bytes))
            });
            Ok(WatchEvent {
                name,
                rename: events & sys::uv_fs_event_UV_RENAME as c_int != 0,
                change: events & sys::uv_fs_event_UV_CHANGE as c_int != 0,
                overflowed: false,
            })
        }
    };
    queue.push(item, |last, _dropped| {
        if let Ok(last) = last {
            last.overflowed = true;
        }
    });
}

/// Watches `path` (a file or a directory; not its subdirectories) from now on, on the
/// current runtime's loop: every change to it, or to an entry of a watched directory, is a
/// [`WatchEvent`]. The watch is in place when this returns, so a change made right after
/// is seen.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let dir = std::env::temp_dir().join(format!("uvco-watch-doc-{}", std::process::id()));
/// uvco::fs::create_dir_all(&dir).await?;
/// let mut watcher = uvco::fs::watch(&dir)?;
/// uvco::fs::write(dir.join("new.txt"), "hi").await?;
/// let event = watcher.next().await.unwrap()?;
/// assert_eq!(event.name(), Some(std::path::Path::new("new.txt")));
/// assert!(event.is_rename()); // a created entry
/// # drop(watcher);
/// # uvco::fs::remove_dir_all(&dir).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// # Errors
/// `NotFound` for a missing path, `InvalidInput` for one with a NUL byte, the system's
/// error when it can't watch more (inotify's watch limit).
///
/// # Panics
/// Outside a runtime.
pub fn watch(path: impl AsRef<Path>) -> io::Result<Watcher> {
    start(path.as_ref(), 0)
}

/// As [`watch`], and the whole tree under a directory, where the system can (macOS,
/// Windows). Linux's inotify can't: there it is `Unsupported` (libuv would silently watch
/// the top directory only).
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let err = uvco::fs::watch_recursive(std::env::temp_dir()).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
/// # });
/// ```
pub fn watch_recursive(path: impl AsRef<Path>) -> io::Result<Watcher> {
    if cfg!(any(target_os = "linux", target_os = "android")) {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "uvco::fs::watch_recursive: inotify can't watch a tree",
        ));
    }
    #[allow(clippy::unnecessary_cast)] // the enum's type is the platform's
    let flags = sys::uv_fs_event_flags_UV_FS_EVENT_RECURSIVE as u32;
    start(path.as_ref(), flags)
}

fn start(path: &Path, flags: u32) -> io::Result<Watcher> {
    let loop_ = current_loop();
    let inner = with_c_path(path, |c_path| {
        HandleStream::new(
            QUEUE,
            // SAFETY: a valid loop, on its thread; the handle is initialised in place.
            |h| unsafe { sys::uv_fs_event_init(loop_, h) },
            // SAFETY: an initialised fs_event handle of a HandleStream block (what the
            // callback expects); libuv copies the path.
            |h| unsafe { sys::uv_fs_event_start(h, Some(on_event), c_path.as_ptr(), flags) },
        )
    })??;
    Ok(Watcher {
        path: path.to_path_buf(),
        inner,
    })
}

impl Watcher {
    /// The next event; `None` once the runtime has shut down (it closed the handle).
    /// Cancel-safe: a dropped `next` loses no event.
    pub async fn next(&mut self) -> Option<io::Result<WatchEvent>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Polls for the next event, as [`next`](Watcher::next).
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<WatchEvent>>> {
        self.inner
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(io::Error::from)))
    }

    /// The path watched, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl futures_core::Stream for Watcher {
    type Item = io::Result<WatchEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Watcher::poll_next(self.get_mut(), cx)
    }
}

impl fmt::Debug for Watcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watcher")
            .field("path", &self.path)
            .field("handle", &self.inner.as_ptr())
            .finish()
    }
}
