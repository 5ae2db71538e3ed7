//! `fs::read`, `fs::read_to_string` and `fs::write` as one threadpool job each (or, for a
//! small file in the page cache, no job: read on the loop thread), on real files: the bytes
//! against std's, requests per call, the allocations of every thread (the pool thread's
//! included), errors as before, non-regular files, uncached files, and futures dropped
//! mid-job.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::io::{self, ErrorKind, Write as _};
use std::os::unix::fs::PermissionsExt;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use common::{serially, Baseline, TempDir};
use uvco::fs;

/// Counts the allocations of every thread: libuv's pool threads run the jobs. The tests of
/// this file run one at a time (`serially`), so the count is theirs.
struct AllThreads;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator; the counter is an atomic, which never allocates.
unsafe impl GlobalAlloc for AllThreads {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static A: AllThreads = AllThreads;

fn allocs() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

/// Requests submitted so far on this thread.
fn submitted() -> u64 {
    uvco::runtime::slot::stats().submitted
}

/// Whether `fs::read` can read a cached file in `dir` on the loop thread: the process can
/// resolve a path from the kernel's cache only (`openat2` with `RESOLVE_CACHED`, Linux 5.12;
/// not under valgrind 3.19, which doesn't know `openat2`), and `dir`'s file system reads
/// with `RWF_NOWAIT` (tmpfs refuses it). Where it can't, every read goes to the pool: the
/// fallback these tests then check.
fn cached_reads_supported(dir: &TempDir) -> bool {
    use std::os::fd::AsRawFd;
    let probe = dir.join("nowait-probe");
    std::fs::write(&probe, b"cached").unwrap();
    let file = std::fs::File::open(&probe).unwrap();
    let mut buf = [0u8; 16];
    let iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: one iovec over `buf`, live for the call, on an open fd.
    let nowait = unsafe { libc::preadv2(file.as_raw_fd(), &iov, 1, 0, libc::RWF_NOWAIT) } == 6;
    drop(file);
    std::fs::remove_file(&probe).unwrap();
    nowait && resolves_cached()
}

fn resolves_cached() -> bool {
    // SAFETY: an all-zero open_how is valid.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (libc::O_PATH | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_CACHED;
    // SAFETY: a NUL-terminated path and an open_how of the size passed, live for the call.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            libc::AT_FDCWD,
            c"/".as_ptr(),
            &how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: the fd just opened, closed once.
        unsafe { libc::close(fd as libc::c_int) };
    }
    fd >= 0
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn kind<T: std::fmt::Debug>(res: io::Result<T>) -> ErrorKind {
    res.unwrap_err().kind()
}

/// Sizes around the scratch buffer (16 KiB) and its probe (32 bytes), and the pool thread's
/// per-read cap (8 MiB).
const SIZES: &[usize] = &[
    0,
    1,
    4095,
    4096,
    16 * 1024 - 33,
    16 * 1024 - 32,
    16 * 1024 - 31,
    16 * 1024,
    16 * 1024 + 1,
    100_000,
    (8 << 20) + 3,
];

#[test]
fn read_gives_stds_bytes_at_exact_capacity() {
    serially(async {
        let dir = TempDir::new("onehop-sizes");
        for &len in SIZES {
            let path = dir.join(&format!("f{len}"));
            std::fs::write(&path, pattern(len)).unwrap();
            let got = fs::read(&path).await.unwrap();
            assert!(got == std::fs::read(&path).unwrap(), "{len} bytes differ");
            assert_eq!(got.capacity(), len, "capacity of a {len}-byte read");
            let text = fs::read_to_string(&path).await;
            if len <= 128 {
                assert_eq!(text.unwrap().len(), len); // all of 0..128 is ASCII
            } else {
                assert_eq!(kind(text), ErrorKind::InvalidData, "{len}");
            }
        }
    });
}

#[test]
fn one_request_per_read_and_write() {
    serially(async {
        let dir = TempDir::new("onehop-requests");
        let path = dir.join("f");
        // Files of up to 64 KiB just written are in the page cache: read with no request.
        let small = u64::from(!cached_reads_supported(&dir));
        for (len, reads) in [
            (10, small),
            (4096, small),
            (64 << 10, small),
            ((64 << 10) + 1, 1),
        ] {
            let before = submitted();
            fs::write(&path, pattern(len)).await.unwrap();
            assert_eq!(submitted() - before, 1, "fs::write of {len} bytes");
            let before = submitted();
            assert_eq!(fs::read(&path).await.unwrap().len(), len);
            assert_eq!(submitted() - before, reads, "fs::read of {len} bytes");
            let before = submitted();
            let _ = fs::read_to_string(&path).await;
            assert_eq!(
                submitted() - before,
                reads,
                "fs::read_to_string of {len} bytes"
            );
        }
    });
}

#[test]
fn allocations_of_every_thread() {
    serially(async {
        let dir = TempDir::new("onehop-allocs");
        let (small, big, text) = (dir.join("small"), dir.join("big"), dir.join("text"));
        std::fs::write(&small, pattern(4096)).unwrap();
        std::fs::write(&big, pattern(64 << 10)).unwrap();
        std::fs::write(&text, "x".repeat(4000)).unwrap();
        let contents = pattern(4096);
        // Warm-up: free-list slots, the scratch buffer, libuv's threadpool.
        for _ in 0..3 {
            fs::read(&small).await.unwrap();
            fs::read(&big).await.unwrap();
            fs::write(dir.join("w"), contents.clone()).await.unwrap();
        }
        let before = allocs();
        let data = fs::read(&small).await.unwrap();
        assert_eq!(allocs() - before, 1, "fs::read 4 KiB: the returned Vec");
        drop(data);
        let before = allocs();
        let data = fs::read(&big).await.unwrap();
        assert_eq!(allocs() - before, 1, "fs::read 64 KiB: the returned Vec");
        drop(data);
        let before = allocs();
        let s = fs::read_to_string(&text).await.unwrap();
        assert_eq!(allocs() - before, 1, "read_to_string: the String");
        drop(s);
        let (owned, w) = (contents.clone(), dir.join("w"));
        let before = allocs();
        fs::write(&w, owned).await.unwrap();
        assert_eq!(allocs() - before, 0, "fs::write of an owned Vec");
    });
}

#[test]
fn errors_are_as_before() {
    serially(async {
        let dir = TempDir::new("onehop-errors");
        let file = dir.join("file");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(
            kind(fs::read(dir.join("missing")).await),
            ErrorKind::NotFound
        );
        let err = fs::read(dir.join("missing")).await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(2), "ENOENT: {err}");
        assert_eq!(kind(fs::read(dir.path()).await), ErrorKind::IsADirectory);
        assert_eq!(
            kind(fs::read_to_string(dir.path()).await),
            ErrorKind::IsADirectory
        );
        assert_eq!(
            kind(fs::write(dir.path(), "x").await),
            ErrorKind::IsADirectory
        );
        assert_eq!(
            kind(fs::read(dir.join("file/x")).await),
            ErrorKind::NotADirectory
        );
        assert_eq!(
            kind(fs::write(dir.join("missing/x"), "x").await),
            ErrorKind::NotFound
        );
        // /dev/full: every write fails with ENOSPC.
        assert_eq!(
            kind(fs::write("/dev/full", "x").await),
            ErrorKind::StorageFull
        );
        let long = dir.path().join("d/".repeat(2100)).join("f");
        assert_eq!(fs::read(&long).await.unwrap_err().raw_os_error(), Some(36));
        assert_eq!(
            fs::write(&long, "x").await.unwrap_err().raw_os_error(),
            Some(36)
        );
        // A NUL byte: InvalidInput, and nothing submitted.
        let before = submitted();
        assert_eq!(kind(fs::read("a\0b").await), ErrorKind::InvalidInput);
        assert_eq!(
            kind(fs::read_to_string("a\0b").await),
            ErrorKind::InvalidInput
        );
        assert_eq!(kind(fs::write("a\0b", "x").await), ErrorKind::InvalidInput);
        assert_eq!(submitted(), before);
    });
}

#[test]
fn write_creates_truncates_and_keeps_modes() {
    serially(async {
        let dir = TempDir::new("onehop-write");
        let path = dir.join("f");
        fs::write(&path, pattern(100_000)).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), pattern(100_000));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode & !0o666,
            0,
            "created with 0o666 before the umask: {mode:o}"
        );
        fs::write(&path, "short").await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short", "truncated");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&path, "again").await.unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "an existing file keeps its mode");
        fs::write(&path, "").await.unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        // /dev/null is not seekable for all purposes: writes go at the position.
        fs::write("/dev/null", pattern(10_000)).await.unwrap();
    });
}

/// A FIFO: `read` takes the sequential path (a pool thread must not block on it for the
/// whole file), `write` writes at the position.
#[test]
fn fifos_read_and_write() {
    serially(async {
        let dir = TempDir::new("onehop-fifo");
        let fifo = dir.join("fifo");
        common::mkfifo(&fifo);
        let data = pattern(300_000);
        let writer = {
            let (fifo, data) = (fifo.clone(), data.clone());
            std::thread::spawn(move || {
                let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                for chunk in data.chunks(7000) {
                    f.write_all(chunk).unwrap();
                }
            })
        };
        assert!(
            fs::read(&fifo).await.unwrap() == data,
            "bytes through the FIFO"
        );
        writer.join().unwrap();

        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        fs::write(&fifo, data.clone()).await.unwrap();
        assert!(reader.join().unwrap() == data);
    });
}

/// A FIFO with no writer yet: the first poll of `read` neither sees an end of file (an open
/// for reading that doesn't wait for a writer, as the loop thread's look at the path must not
/// do) nor returns; the bytes come once a writer has come and gone.
#[test]
fn a_fifo_read_waits_for_its_writer() {
    serially(async {
        let dir = TempDir::new("onehop-fifo-wait");
        let fifo = dir.join("fifo");
        common::mkfifo(&fifo);
        let mut read = pin!(fs::read(&fifo));
        assert!(
            poll_once(read.as_mut()).is_pending(),
            "read before any writer"
        );
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, b"late writer").unwrap())
        };
        assert_eq!(read.await.unwrap(), b"late writer");
        writer.join().unwrap();
    });
}

/// Whether any page of the file at `path` is in the page cache (mincore of a mapping).
fn any_page_cached(path: &std::path::Path, len: usize) -> bool {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path).unwrap();
    let pages = len.div_ceil(4096);
    let mut vec = vec![0u8; pages];
    // SAFETY: a shared read-only mapping of an open file of `len` bytes, unmapped below;
    // mincore writes one byte per page of it into `vec`.
    unsafe {
        let map = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_SHARED,
            file.as_raw_fd(),
            0,
        );
        assert_ne!(map, libc::MAP_FAILED);
        assert_eq!(libc::mincore(map, len, vec.as_mut_ptr()), 0);
        libc::munmap(map, len);
    }
    vec.iter().any(|&b| b & 1 != 0)
}

/// A small file whose pages are not in the page cache (written with O_DIRECT, which leaves
/// none there, and dropped with POSIX_FADV_DONTNEED): the loop thread's `preadv2(RWF_NOWAIT)`
/// doesn't wait for the disk but refuses, and hands the open file to the pool, which reads it
/// (one request; the same bytes as std). The refused read starts the kernel's readahead,
/// which on a fast disk can be done before the refusal: then the loop thread reads the bytes
/// itself (no request), which is right too. Either way the bytes are cached afterwards, and
/// the next read makes no request. Where the page cache keeps the pages all the same (tmpfs
/// is all page cache, and refuses O_DIRECT), only the bytes are checked.
#[test]
fn uncached_small_files_read_on_the_pool() {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    serially(async {
        let dir = TempDir::new("onehop-uncached");
        let path = dir.join("cold");
        // Whole pages from an aligned buffer, as O_DIRECT wants.
        let len = 5 * 4096;
        let layout = Layout::from_size_align(len, 4096).unwrap();
        // SAFETY: a non-zero layout; freed below with the same layout.
        let aligned = unsafe { System.alloc(layout) };
        assert!(!aligned.is_null());
        // SAFETY: `aligned` is valid for `len` bytes and not aliased.
        unsafe { std::slice::from_raw_parts_mut(aligned, len) }.copy_from_slice(&pattern(len));
        let direct = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .custom_flags(libc::O_DIRECT)
            .open(&path);
        let written = direct.and_then(|mut file| {
            // SAFETY: as above.
            file.write_all(unsafe { std::slice::from_raw_parts(aligned, len) })?;
            file.sync_all()?;
            // SAFETY: fadvise on an open fd; DONTNEED drops the file's clean cached pages.
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
            Ok(())
        });
        // SAFETY: allocated above with this layout.
        unsafe { System.dealloc(aligned, layout) };
        if written.is_err() {
            std::fs::write(&path, pattern(len)).unwrap();
        }
        let cold = !any_page_cached(&path, len);
        let before = submitted();
        assert!(fs::read(&path).await.unwrap() == pattern(len));
        if cold {
            let hops = submitted() - before;
            assert!(hops <= 1, "an uncached read: {hops} requests");
            eprintln!("an uncached read: {hops} requests");
            // Read once, it is cached: the next read needs none.
            let before = submitted();
            assert!(fs::read(&path).await.unwrap() == pattern(len));
            let small = u64::from(!cached_reads_supported(&dir));
            assert_eq!(submitted() - before, small, "the same file, cached now");
        } else {
            eprintln!("the page cache kept the pages (tmpfs?): request counts not checked");
        }
    });
}

#[test]
fn procfs_reads_past_its_size_of_zero() {
    serially(async {
        for path in ["/proc/self/mountinfo", "/proc/version", "/proc/self/status"] {
            let got = fs::read(path).await.unwrap();
            assert!(!got.is_empty(), "{path}");
            if path != "/proc/self/status" {
                assert_eq!(got, std::fs::read(path).unwrap(), "{path}");
            }
        }
    });
}

/// Polls `fut` once with a waker that does nothing.
fn poll_once<F: Future>(fut: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Turns the loop until every request of this thread has called back.
async fn all_called_back() {
    loop {
        let now = uvco::runtime::slot::stats();
        if now.completed == now.submitted {
            return;
        }
        uvco::task::yield_now().await;
    }
}

/// Drops `make()`'s future after 1, 2, ... polls (each poll after its requests called back)
/// until one completes; after each drop, every request calls back, and no fd or free-list
/// block stays behind.
async fn drop_at_every_poll<F, T>(what: &str, mut make: impl FnMut() -> F) -> usize
where
    F: Future<Output = io::Result<T>>,
{
    for polls in 1..=16 {
        let base = Baseline::take();
        let mut done = false;
        {
            let mut fut = pin!(make());
            for i in 0..polls {
                if i > 0 {
                    all_called_back().await;
                }
                if let Poll::Ready(res) = poll_once(fut.as_mut()) {
                    res.unwrap_or_else(|e| panic!("{what}: {e}"));
                    done = true;
                    break;
                }
            }
        }
        base.settle().await;
        if done {
            return polls;
        }
    }
    panic!("{what}: not done in 16 polls");
}

#[test]
fn dropped_futures_leave_nothing_behind() {
    serially(async {
        let dir = TempDir::new("onehop-drop");
        let path = dir.join("f");
        std::fs::write(&path, pattern(100_000)).unwrap();
        let polls = drop_at_every_poll("fs::read", || fs::read(&path)).await;
        assert_eq!(
            polls, 2,
            "one job: submitted by the first poll, done by the second"
        );
        drop_at_every_poll("fs::read_to_string", || fs::read_to_string("/proc/version")).await;
        let w = dir.join("w");
        drop_at_every_poll("fs::write", || fs::write(&w, pattern(100_000))).await;
        // A dropped write is cancelled before it starts or writes a prefix.
        let written = std::fs::read(&w).unwrap();
        assert!(pattern(100_000).starts_with(&written));
    });
}

/// A file far larger than one read: the future is dropped while the pool thread reads it.
/// The buffer it reads into belongs to the job in the request's slot, so the pool thread
/// never writes into freed memory (ASan and valgrind check that), and the job stops at its
/// next read; the fd is closed and the slot freed once it calls back.
#[test]
fn dropping_a_read_of_a_large_file() {
    serially(async {
        let dir = TempDir::new("onehop-large");
        let path = dir.join("sparse");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(64 << 20).unwrap();
        drop(file);
        for polls in [1, 2] {
            let base = Baseline::take();
            {
                let mut read = pin!(fs::read(&path));
                for i in 0..polls {
                    if i > 0 {
                        // Let the job start: a pool thread is reading when the future drops.
                        let _ = fs::metadata("/").await;
                    }
                    // The first poll submits the job, which can't call back before the
                    // loop runs; a later one may find it done.
                    let polled = poll_once(read.as_mut());
                    assert!(i > 0 || polled.is_pending());
                }
            }
            base.settle().await;
        }
        // The file still reads whole afterwards.
        assert_eq!(fs::read(&path).await.unwrap().len(), 64 << 20);
        // Nothing of the dropped jobs' memory is reused wrongly: a busy loop of reads of
        // other files reads their own bytes.
        let small = dir.join("small");
        std::fs::write(&small, pattern(5000)).unwrap();
        for _ in 0..20 {
            {
                let mut read = pin!(fs::read(&path));
                assert!(poll_once(read.as_mut()).is_pending());
            } // dropped while its job runs
            assert_eq!(fs::read(&small).await.unwrap(), pattern(5000));
        }
    });
}

#[test]
fn reads_in_flight_together() {
    serially(async {
        let dir = TempDir::new("onehop-wide");
        let paths: Vec<_> = (0..64)
            .map(|i| {
                let p = dir.join(&format!("f{i}"));
                std::fs::write(&p, pattern(1000 + i * 300)).unwrap();
                p
            })
            .collect();
        let tasks: Vec<_> = paths
            .iter()
            .cloned()
            .map(|p| uvco::spawn_local(async move { fs::read(&p).await }))
            .collect();
        for (i, t) in tasks.into_iter().enumerate() {
            assert_eq!(t.await.unwrap().unwrap(), pattern(1000 + i * 300));
        }
    });
}

#[test]
fn read_dir_metadata_matches_lstat() {
    serially(async {
        let dir = TempDir::new("onehop-listing");
        for i in 0..300 {
            std::fs::write(dir.join(&format!("f{i}")), pattern(i)).unwrap();
        }
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::os::unix::fs::symlink("f7", dir.join("link")).unwrap();
        std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
        let before = submitted();
        let entries = fs::read_dir_metadata(dir.path()).await.unwrap();
        assert_eq!(submitted() - before, 1, "one job for the whole listing");
        let mut names: Vec<_> = entries.iter().map(|e| e.file_name()).collect();
        names.sort();
        let mut std_names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        std_names.sort();
        assert_eq!(names, std_names);
        // Paths as `Path::join` makes them, with a trailing slash on the directory too.
        let slashed = format!("{}/", dir.path().display());
        let mut paths: Vec<_> = fs::read_dir_metadata(&slashed)
            .await
            .unwrap()
            .iter()
            .map(|e| e.path())
            .collect();
        paths.sort();
        let mut std_paths: Vec<_> = std::fs::read_dir(&slashed)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        std_paths.sort();
        assert_eq!(paths, std_paths);
        let before = submitted();
        let mut metas = Vec::new();
        for entry in &entries {
            metas.push((
                entry.metadata().await.unwrap(),
                entry.file_type().await.unwrap(),
            ));
        }
        assert_eq!(
            submitted(),
            before,
            "metadata and file_type came with the listing"
        );
        for (entry, (meta, file_type)) in entries.iter().zip(metas) {
            let asked = fs::symlink_metadata(entry.path()).await.unwrap();
            let what = entry.path();
            assert_eq!(meta.mode(), asked.mode(), "{what:?}");
            assert_eq!(meta.len(), asked.len(), "{what:?}");
            assert_eq!(meta.ino(), asked.ino(), "{what:?}");
            assert_eq!(meta.dev(), asked.dev(), "{what:?}");
            assert_eq!(meta.nlink(), asked.nlink(), "{what:?}");
            assert_eq!(meta.uid(), asked.uid(), "{what:?}");
            assert_eq!(
                meta.modified().unwrap(),
                asked.modified().unwrap(),
                "{what:?}"
            );
            assert_eq!(file_type, asked.file_type(), "{what:?}");
            let name = entry.file_name();
            if name == "link" || name == "dangling" {
                assert!(file_type.is_symlink(), "not followed: {what:?}");
            } else if name == "sub" {
                assert!(meta.is_dir());
            } else {
                assert!(meta.is_file());
            }
        }
    });
}

#[test]
fn read_dir_metadata_errors() {
    serially(async {
        let dir = TempDir::new("onehop-listing-errors");
        std::fs::write(dir.join("file"), "x").unwrap();
        std::fs::create_dir(dir.join("empty")).unwrap();
        assert!(fs::read_dir_metadata(dir.join("empty"))
            .await
            .unwrap()
            .is_empty());
        for (path, want) in [
            (dir.join("missing"), ErrorKind::NotFound),
            (dir.join("file"), ErrorKind::NotADirectory),
        ] {
            let got = fs::read_dir_metadata(&path).await.unwrap_err();
            let before = fs::read_dir(&path).await.unwrap_err();
            assert_eq!(got.kind(), want, "{path:?}");
            assert_eq!(
                got.raw_os_error(),
                before.raw_os_error(),
                "as read_dir: {path:?}"
            );
        }
        let before = submitted();
        assert_eq!(
            kind(fs::read_dir_metadata("a\0b").await),
            ErrorKind::InvalidInput
        );
        assert_eq!(submitted(), before);
    });
}

#[test]
fn dropped_listing_leaves_nothing_behind() {
    serially(async {
        let dir = TempDir::new("onehop-listing-drop");
        for i in 0..2000 {
            std::fs::File::create(dir.join(&format!("f{i}"))).unwrap();
        }
        let polls =
            drop_at_every_poll("read_dir_metadata", || fs::read_dir_metadata(dir.path())).await;
        assert_eq!(polls, 2);
        assert_eq!(fs::read_dir_metadata(dir.path()).await.unwrap().len(), 2000);
    });
}
