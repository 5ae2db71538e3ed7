//! `uvco::fs` on real files in a temporary directory: every public function, its error
//! paths, allocation counts, and fds released by dropped files and futures.

#[global_allocator]
static A: common::Counting = common::Counting;

mod common;

use std::ffi::OsStr;
use std::future::Future;
use std::io::{self, ErrorKind};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use common::TempDir;
use uvco::fs::{self, File, OpenOptions, Permissions};

/// How many of this process's fds are open on `path` (parallel tests open other files, so
/// this is what "no fd leaked" can be checked against).
fn fds_on(path: &Path) -> usize {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|link| *link == target)
        .count()
}

/// Runs the loop through threadpool round trips until `done` holds, or gives up after a
/// minute (a guard against hanging, not a timing check: the caller's assertion then fails).
/// Bounded by time, not by a count of round trips: under valgrind, which runs one thread at
/// a time, 200 round trips once went by before a pool thread got to a dropped open.
///
/// It first waits for every request of this thread to complete: until a dropped `open`'s
/// callback has run (and closed what it opened), its fd may not exist yet, so no fd on the
/// path proves nothing. (Under valgrind, a pool thread once opened the file right between a
/// check that found no fd and the assertion after it.)
async fn settle(mut done: impl FnMut() -> bool) {
    let in_flight = || {
        let stats = uvco::runtime::slot::stats();
        stats.submitted - stats.completed
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if in_flight() == 0 && done() {
            return;
        }
        let _ = fs::metadata("/").await;
    }
}

/// Polls `fut` once with a waker that does nothing.
fn poll_once<F: Future>(fut: Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Requests started so far on this thread (each takes a slot from the free list).
fn requests() -> u64 {
    let stats = uvco::runtime::alloc::stats();
    stats.hits + stats.misses
}

fn kind<T: std::fmt::Debug>(res: io::Result<T>) -> ErrorKind {
    res.unwrap_err().kind()
}

// ---------------------------------------------------------------------------------------
// Whole-file functions

#[uvco::test]
async fn write_read_and_read_to_string() -> io::Result<()> {
    let dir = TempDir::new("fs-rw");
    let path = dir.join("a.txt");
    fs::write(&path, "hello").await?;
    assert_eq!(fs::read(&path).await?, b"hello");
    fs::write(&path, String::from("replaced, longer")).await?;
    assert_eq!(fs::read_to_string(&path).await?, "replaced, longer");
    fs::write(&path, vec![0xff, 0xfe]).await?;
    assert_eq!(
        kind(fs::read_to_string(&path).await),
        ErrorKind::InvalidData
    );
    fs::write(&path, b"").await?;
    assert_eq!(fs::read(&path).await?, b"");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    fs::write(&path, big.clone()).await?;
    assert_eq!(fs::read(&path).await?, big);
    assert_eq!(std::fs::read(&path)?, big);
    Ok(())
}

#[uvco::test]
async fn read_finds_the_end_past_a_wrong_size() -> io::Result<()> {
    // procfs reports size 0: every byte comes through the probe, growing the Vec.
    let expected = std::fs::read("/proc/self/mountinfo")?;
    let got = fs::read("/proc/self/mountinfo").await?;
    assert!(!got.is_empty());
    assert_eq!(
        got.len(),
        expected.len(),
        "mountinfo is stable within a test"
    );
    assert_eq!(
        fs::read("/proc/version").await?,
        std::fs::read("/proc/version")?
    );
    Ok(())
}

/// A sparse file over 2 GiB: one read request returns at most `UV__IO_MAX_BYTES` (just under
/// 2 GiB), and that short read must not be taken for the end. The file costs no disk, but
/// reading it takes 2.2 GB of RAM and a few seconds, hence `#[ignore]`: run it with
/// `cargo test --test fs -- --ignored read_over_2_gib`. `reached_eof`'s unit tests in
/// `src/fs/contents.rs` check the same rule cheaply.
#[uvco::test]
#[ignore = "needs 2.2 GB of RAM"]
async fn read_over_2_gib_reads_it_all() -> io::Result<()> {
    let dir = TempDir::new("fs-read-big");
    let path = dir.join("sparse");
    let len: u64 = (1 << 31) + (64 << 20);
    let file = std::fs::File::create(&path)?;
    file.set_len(len)?;
    std::os::unix::fs::FileExt::write_all_at(&file, b"end", len - 3)?;
    drop(file);
    let data = fs::read(&path).await?;
    assert_eq!(
        data.len() as u64,
        len,
        "not truncated at the first read's cap"
    );
    assert_eq!(&data[data.len() - 3..], b"end");
    Ok(())
}

#[test]
fn read_allocates_only_the_returned_vec() {
    let dir = TempDir::new("fs-alloc");
    let path = dir.join("4k");
    std::fs::write(&path, vec![7u8; 4096]).unwrap();
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        // Warm-up: fills the free lists with slots of each size read uses.
        for _ in 0..3 {
            assert_eq!(fs::read(&path).await.unwrap().len(), 4096);
        }
        let before = common::allocs();
        let data = fs::read(&path).await.unwrap();
        let after = common::allocs();
        assert_eq!(data.len(), 4096);
        assert_eq!(
            data.capacity(),
            4096,
            "sized by fstat, end found by the probe"
        );
        assert_eq!(
            after - before,
            1,
            "fs::read allocates only the returned Vec"
        );
    });
}

#[uvco::test]
async fn read_errors() {
    let dir = TempDir::new("fs-read-err");
    assert_eq!(
        kind(fs::read(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::read_to_string(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    // open(2) of a directory for reading succeeds; its read(2) fails with EISDIR.
    let err = fs::read(dir.path()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IsADirectory);
    assert_eq!(
        kind(fs::write(dir.path(), "x").await),
        ErrorKind::IsADirectory
    );
    // A file as a directory: ENOTDIR.
    std::fs::write(dir.join("file"), "x").unwrap();
    assert_eq!(
        kind(fs::read(dir.join("file/x")).await),
        ErrorKind::NotADirectory
    );
    assert_eq!(
        kind(fs::write(dir.join("missing/x"), "x").await),
        ErrorKind::NotFound
    );
}

// ---------------------------------------------------------------------------------------
// Paths: NUL bytes, PATH_MAX, non-UTF-8

#[uvco::test]
async fn nul_in_a_path_is_invalid_input_and_submits_nothing() {
    let dir = TempDir::new("fs-nul");
    let ok = dir.join("ok");
    std::fs::write(&ok, "x").unwrap();
    let bad = Path::new("a\0b");
    let before = requests();
    macro_rules! invalid {
        ($($call:expr),* $(,)?) => {$(
            assert_eq!(kind($call.await), ErrorKind::InvalidInput, "{}", stringify!($call));
        )*};
    }
    invalid!(
        fs::read(bad),
        fs::read_to_string(bad),
        fs::write(bad, "x"),
        File::open(bad),
        File::create(bad),
        OpenOptions::new().read(true).open(bad),
        fs::metadata(bad),
        fs::symlink_metadata(bad),
        fs::try_exists(bad),
        fs::remove_file(bad),
        fs::create_dir(bad),
        fs::create_dir_all(bad),
        fs::remove_dir(bad),
        fs::remove_dir_all(bad),
        fs::read_dir(bad),
        fs::canonicalize(bad),
        fs::read_link(bad),
        fs::set_permissions(bad, Permissions::from_mode(0o644)),
        fs::rename(&ok, bad),
        fs::rename(bad, &ok),
        fs::copy(&ok, bad),
        fs::copy(bad, &ok),
        fs::hard_link(&ok, bad),
        fs::symlink(bad, &ok),
    );
    assert_eq!(requests(), before, "a request was submitted");
    assert_eq!(fs::read(&ok).await.unwrap(), b"x");
}

#[uvco::test]
async fn paths_longer_than_path_max() {
    let dir = TempDir::new("fs-long");
    let long = dir.path().join("d/".repeat(2100)).join("f"); // > 4096 bytes, heap C string
    assert!(long.as_os_str().len() > 4096);
    for err in [
        fs::read(&long).await.unwrap_err(),
        fs::write(&long, "x").await.unwrap_err(),
        fs::metadata(&long).await.unwrap_err(),
        fs::create_dir(&long).await.unwrap_err(),
        fs::read_dir(&long).await.unwrap_err(),
    ] {
        assert_eq!(err.raw_os_error(), Some(36), "ENAMETOOLONG: {err}");
        // `ErrorKind::InvalidFilename` (named through Debug: it is newer than our MSRV).
        assert_eq!(format!("{:?}", err.kind()), "InvalidFilename");
    }
    // try_exists can't tell: an error, not `false`.
    assert!(fs::try_exists(&long).await.is_err());
    // A single component longer than NAME_MAX (255) is too long as well.
    let err = fs::write(dir.join(&"n".repeat(300)), "x")
        .await
        .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(36));
}

#[uvco::test]
async fn non_utf8_names_work() -> io::Result<()> {
    let dir = TempDir::new("fs-bytes");
    let name = OsStr::from_bytes(b"caf\xe9-\xff.bin");
    let path = dir.path().join(name);
    fs::write(&path, "bytes").await?;
    assert_eq!(fs::read(&path).await?, b"bytes");
    assert!(fs::metadata(&path).await?.is_file());
    let mut entries = fs::read_dir(dir.path()).await?;
    let entry = entries.next_entry().await?.expect("one entry");
    assert_eq!(entry.file_name(), name);
    assert_eq!(entry.path(), path);
    assert!(entries.next_entry().await?.is_none());
    let renamed = dir.path().join(OsStr::from_bytes(b"\x80"));
    fs::rename(&path, &renamed).await?;
    assert_eq!(
        fs::canonicalize(&renamed).await?,
        std::fs::canonicalize(&renamed)?
    );
    fs::remove_file(&renamed).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// File and OpenOptions

#[uvco::test]
async fn file_reads_into_spare_capacity() -> io::Result<()> {
    let dir = TempDir::new("fs-file-read");
    let path = dir.join("f");
    std::fs::write(&path, "0123456789")?;
    let mut file = File::open(&path).await?;
    let mut buf = Vec::with_capacity(4);
    buf.extend_from_slice(b">");
    let (n, buf) = file.read_owned(buf).await;
    assert_eq!(n?, 3, "only the spare capacity is filled");
    assert_eq!(buf, b">012");
    let (n, buf) = file.read_owned(buf).await;
    assert_eq!(n?, 0, "no spare capacity: nothing read");
    assert_eq!(buf, b">012");
    let (n, buf) = file.read_owned(Vec::with_capacity(100)).await;
    assert_eq!(n?, 7, "the rest, from the current position");
    assert_eq!(buf, b"3456789");
    let (n, _) = file.read_owned(Vec::with_capacity(100)).await;
    assert_eq!(n?, 0, "end of file");
    let (n, buf) = file.read_at(Vec::with_capacity(3), 5).await;
    assert_eq!(n?, 3);
    assert_eq!(buf, b"567");
    let (n, buf) = file.read_at(Vec::with_capacity(3), 50).await;
    assert_eq!((n?, buf.len()), (0, 0));
    assert_eq!(
        kind(file.read_at(Vec::with_capacity(3), u64::MAX).await.0),
        ErrorKind::InvalidInput
    );
    file.close().await?;

    let mut file = File::open(&path).await?;
    let (n, all) = file.read_to_end_owned(b"start:".to_vec()).await;
    assert_eq!(n?, 10);
    assert_eq!(all, b"start:0123456789");
    Ok(())
}

#[uvco::test]
async fn file_writes() -> io::Result<()> {
    let dir = TempDir::new("fs-file-write");
    let path = dir.join("f");
    let mut file = File::create(&path).await?;
    let (n, buf) = file.write_owned(b"hello".to_vec()).await;
    assert_eq!(n?, 5);
    assert_eq!(buf, b"hello", "the buffer comes back");
    let (n, _) = file.write_owned(Vec::new()).await;
    assert_eq!(n?, 0);
    let (res, buf) = file.write_all_owned(vec![b'x'; 200_000]).await;
    res?;
    assert_eq!(buf.len(), 200_000);
    let (n, _) = file.write_at(b"HE".to_vec(), 0).await;
    assert_eq!(n?, 2);
    assert_eq!(file.metadata().await?.len(), 200_005);
    file.sync_data().await?;
    file.set_len(3).await?;
    file.sync_all().await?;
    assert_eq!(file.metadata().await?.len(), 3);
    file.set_permissions(Permissions::from_mode(0o600)).await?;
    assert_eq!(file.metadata().await?.permissions().mode() & 0o777, 0o600);
    assert!(file.as_raw_fd() >= 0);
    // Opened write-only: reading fails with EBADF.
    assert_eq!(
        file.read_owned(Vec::with_capacity(1))
            .await
            .0
            .unwrap_err()
            .raw_os_error(),
        Some(9)
    );
    file.close().await?;
    assert_eq!(std::fs::read(&path)?, b"HEl");
    Ok(())
}

#[uvco::test]
async fn open_options() -> io::Result<()> {
    let dir = TempDir::new("fs-open");
    let path = dir.join("f");
    let missing = dir.join("missing");
    assert_eq!(kind(File::open(&missing).await), ErrorKind::NotFound);
    assert_eq!(
        kind(OpenOptions::new().write(true).open(&missing).await),
        ErrorKind::NotFound
    );

    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o640)
        .open(&path)
        .await?;
    assert_eq!(
        file.metadata().await?.permissions().mode() & 0o137,
        0,
        "0o640 less the umask"
    );
    file.write_all_owned(b"one".to_vec()).await.0?;
    drop(file);
    assert_eq!(
        kind(
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await
        ),
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        kind(File::create_new(&path).await),
        ErrorKind::AlreadyExists
    );

    let mut file = OpenOptions::new().append(true).open(&path).await?;
    file.write_all_owned(b"-two".to_vec()).await.0?;
    file.write_at(b"-three".to_vec(), 0).await.0?; // O_APPEND wins on Linux
    file.close().await?;
    assert_eq!(fs::read(&path).await?, b"one-two-three");

    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .await?;
    file.write_all_owned(b"ONE".to_vec()).await.0?;
    let (n, buf) = file.read_owned(Vec::with_capacity(4)).await;
    assert_eq!((n?, &buf[..]), (4, &b"-two"[..]));
    file.close().await?;

    let file = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .await?;
    assert_eq!(file.metadata().await?.len(), 0);
    file.close().await?;

    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .open(dir.join("new"))
        .await?;
    file.write_all_owned(b"created".to_vec()).await.0?;
    file.close().await?;
    let created = File::create_new(dir.join("new2")).await?;
    drop(created);
    assert!(fs::try_exists(dir.join("new2")).await?);

    // Combinations std rejects, rejected before any request.
    let before = requests();
    for options in [
        OpenOptions::new(),
        OpenOptions::new().read(true).create(true).clone(),
        OpenOptions::new().read(true).truncate(true).clone(),
        OpenOptions::new().read(true).create_new(true).clone(),
        OpenOptions::new().append(true).truncate(true).clone(),
    ] {
        assert_eq!(
            kind(options.open(&path).await),
            ErrorKind::InvalidInput,
            "{options:?}"
        );
    }
    assert_eq!(requests(), before);

    // A directory can't be opened for writing.
    assert_eq!(
        kind(OpenOptions::new().write(true).open(dir.path()).await),
        ErrorKind::IsADirectory
    );
    // ... and reading one that was opened fails.
    let mut as_file = File::open(dir.path()).await?;
    assert_eq!(
        kind(as_file.read_owned(Vec::with_capacity(8)).await.0),
        ErrorKind::IsADirectory
    );
    assert!(as_file.metadata().await?.is_dir());
    Ok(())
}

/// `File` and `ReadDir` are `!Send`, as their docs say (they belong to the loop's thread).
/// This compiles only while that holds: for a `Send` type, `_` could be either impl's
/// parameter, and the call would be ambiguous.
#[test]
fn file_and_read_dir_are_not_send() {
    trait AmbiguousIfSend<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    <File as AmbiguousIfSend<_>>::check();
    <fs::ReadDir as AmbiguousIfSend<_>>::check();
}

#[uvco::test]
async fn file_from_std() -> io::Result<()> {
    let dir = TempDir::new("fs-from-std");
    let path = dir.join("f");
    std::fs::write(&path, "std")?;
    let mut file = File::from(std::fs::File::open(&path)?);
    let (n, buf) = file.read_owned(Vec::with_capacity(8)).await;
    assert_eq!((n?, &buf[..]), (3, &b"std"[..]));
    assert!(format!("{file:?}").starts_with("File"));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// No leaked fds

#[uvco::test]
async fn dropped_file_closes_its_fd() -> io::Result<()> {
    let dir = TempDir::new("fs-drop");
    let path = dir.join("f");
    let mut file = File::create(&path).await?;
    file.write_all_owned(b"data".to_vec()).await.0?;
    assert_eq!(fds_on(&path), 1);
    drop(file);
    settle(|| fds_on(&path) == 0).await;
    assert_eq!(fds_on(&path), 0, "the dropped File's fd is closed");
    assert_eq!(fs::read(&path).await?, b"data");
    Ok(())
}

#[uvco::test]
async fn file_dropped_with_a_write_in_flight_closes_after_it() -> io::Result<()> {
    let dir = TempDir::new("fs-drop-write");
    let path = dir.join("f");
    let mut file = File::create(&path).await?;
    {
        let write = file.write_owned(vec![b'w'; 1 << 20]);
        let mut write = std::pin::pin!(write);
        assert!(
            poll_once(write.as_mut()).is_pending(),
            "submitted, not done"
        );
    } // the future is dropped; its request holds the fd
    drop(file);
    settle(|| fds_on(&path) == 0).await;
    assert_eq!(fds_on(&path), 0);
    // The write was either cancelled before it started or ran to its end in this file.
    let len = fs::metadata(&path).await?.len();
    assert!(len == 0 || len == 1 << 20, "len {len}");
    Ok(())
}

#[uvco::test]
async fn read_future_dropped_mid_flight_leaks_no_fd() {
    let dir = TempDir::new("fs-drop-read");
    let path = dir.join("f");
    // Over 64 KiB, so that even cached it is read by a pool job, not on the loop thread.
    std::fs::write(&path, vec![1u8; 128 << 10]).unwrap();
    // Drop after 1, 2, ... polls: before the job ran, or while it ran.
    for polls in 1..=8 {
        let mut finished = false;
        {
            let read = fs::read(&path);
            let mut read = std::pin::pin!(read);
            for i in 0..polls {
                if i > 0 {
                    // Let the loop complete what was submitted.
                    let _ = fs::metadata("/").await;
                }
                if let Poll::Ready(res) = poll_once(read.as_mut()) {
                    assert_eq!(res.unwrap().len(), 128 << 10);
                    finished = true;
                    break;
                }
            }
        } // the future is dropped here, whatever request it was waiting for
        settle(|| fds_on(&path) == 0).await;
        assert_eq!(
            fds_on(&path),
            0,
            "leaked an fd, dropped after {polls} polls"
        );
        if finished {
            // One threadpool job (open, fstat, read, close on one pool thread): dropped
            // before it ran and while it ran, then it finishes.
            assert!(polls >= 2, "finished after {polls} polls");
            return;
        }
    }
    panic!("fs::read took more polls than expected");
}

#[uvco::test]
async fn open_future_dropped_leaks_no_fd() {
    let dir = TempDir::new("fs-drop-open");
    let path = dir.join("f");
    std::fs::write(&path, "x").unwrap();
    for _ in 0..8 {
        let open = File::open(&path);
        let mut open = std::pin::pin!(open);
        let _ = poll_once(open.as_mut());
    }
    settle(|| fds_on(&path) == 0).await;
    assert_eq!(fds_on(&path), 0);
}

// ---------------------------------------------------------------------------------------
// Directories

#[uvco::test]
async fn create_and_remove_dirs() -> io::Result<()> {
    let dir = TempDir::new("fs-dirs");
    let a = dir.join("a");
    fs::create_dir(&a).await?;
    assert!(fs::metadata(&a).await?.is_dir());
    assert_eq!(kind(fs::create_dir(&a).await), ErrorKind::AlreadyExists);
    assert_eq!(
        kind(fs::create_dir(dir.join("x/y")).await),
        ErrorKind::NotFound
    );

    fs::create_dir_all(a.join("b/c/d")).await?;
    fs::create_dir_all(a.join("b/c/d")).await?; // existing: fine
                                                // `.` and `..` components. A trailing `.` once made this loop forever (its parent was
                                                // taken as the directory above the missing one): a timeout, so that a relapse fails.
    for (path, made) in [
        ("dot/x/.", "dot/x"),
        ("./dot2/./y/", "dot2/y"),
        ("up/z/..", "up/z"),
    ] {
        uvco::time::timeout(Duration::from_secs(30), fs::create_dir_all(a.join(path)))
            .await
            .unwrap_or_else(|_| panic!("create_dir_all({path:?}) never returned"))?;
        assert!(fs::metadata(a.join(made)).await?.is_dir(), "{path}");
    }
    fs::create_dir_all(&a).await?;
    fs::create_dir_all("").await?;
    assert!(fs::metadata(a.join("b/c/d")).await?.is_dir());
    fs::write(a.join("file"), "x").await?;
    assert_eq!(
        kind(fs::create_dir_all(a.join("file")).await),
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        kind(fs::create_dir_all(a.join("file/sub")).await),
        ErrorKind::NotADirectory
    );

    assert_eq!(kind(fs::remove_dir(&a).await), ErrorKind::DirectoryNotEmpty);
    assert_eq!(
        kind(fs::remove_dir(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::remove_dir(a.join("file")).await),
        ErrorKind::NotADirectory
    );
    fs::remove_dir(a.join("b/c/d")).await?;
    assert!(!fs::try_exists(a.join("b/c/d")).await?);

    // remove_dir_all: files, nested dirs, and a symlink to a directory outside that must
    // not be followed.
    let outside = dir.join("outside");
    fs::create_dir(&outside).await?;
    fs::write(outside.join("keep"), "keep").await?;
    fs::symlink(&outside, a.join("b/link")).await?;
    for i in 0..100 {
        fs::write(a.join(format!("b/c/f{i}")), "x").await?;
    }
    fs::remove_dir_all(&a).await?;
    assert!(!fs::try_exists(&a).await?);
    assert_eq!(fs::read(outside.join("keep")).await?, b"keep");
    // On a symlink: only the link goes.
    fs::symlink(&outside, dir.join("link")).await?;
    fs::remove_dir_all(dir.join("link")).await?;
    assert!(fs::try_exists(outside.join("keep")).await?);
    assert_eq!(
        kind(fs::remove_dir_all(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::remove_dir_all(outside.join("keep")).await),
        ErrorKind::NotADirectory
    );
    Ok(())
}

/// The CVE-2022-21658 race: a subdirectory is swapped for a symbolic link to a directory
/// outside while `remove_dir_all` walks the tree. A walk by path (libuv has no `*at`
/// functions) then lists and empties the link's target; std's walk by directory fd doesn't.
/// The timing varies, so this can only fail, not prove: whatever point the swap lands at,
/// the victim's file must survive.
#[uvco::test]
async fn remove_dir_all_does_not_follow_a_link_swapped_in() -> io::Result<()> {
    let dir = TempDir::new("fs-rm-race");
    let (root, victim) = (dir.join("root"), dir.join("victim"));
    std::fs::create_dir_all(root.join("a"))?;
    std::fs::create_dir(&victim)?;
    std::fs::write(victim.join("secret"), "do not delete")?;
    for i in 0..3000 {
        std::fs::write(root.join(format!("f{i}")), "")?;
    }
    let (root2, moved) = (root.clone(), dir.join("a-moved"));
    let victim2 = victim.clone();
    let swapper = std::thread::spawn(move || {
        // Once most of root is gone (the walk is well under way), swap `a` for the link.
        while std::fs::read_dir(&root2).map_or(0, |d| d.count()) > 300 {
            std::thread::sleep(Duration::from_micros(100));
        }
        // Either step fails if the walk got there first: then there was no race to lose.
        if std::fs::rename(root2.join("a"), &moved).is_ok() {
            let _ = std::os::unix::fs::symlink(&victim2, root2.join("a"));
        }
    });
    // Ok, or an error if the link appeared after root was listed: either is fine.
    let _ = fs::remove_dir_all(&root).await;
    swapper.join().unwrap();
    assert_eq!(
        std::fs::read(victim.join("secret")).ok().as_deref(),
        Some(&b"do not delete"[..]),
        "remove_dir_all followed the link"
    );
    Ok(())
}

#[uvco::test]
async fn read_dir_lists_entries() -> io::Result<()> {
    let dir = TempDir::new("fs-read-dir");
    let mut expected = Vec::new();
    for i in 0..75 {
        // more than one batch of 32
        let name = format!("file{i:02}");
        fs::write(dir.join(&name), "x").await?;
        expected.push(name);
    }
    fs::create_dir(dir.join("sub")).await?;
    fs::symlink("file00", dir.join("link")).await?;
    expected.push("link".into());
    expected.push("sub".into());
    expected.sort();

    let mut entries = fs::read_dir(dir.path()).await?;
    let mut names = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let name = entry.file_name().into_string().unwrap();
        assert_eq!(entry.path(), dir.join(&name));
        let file_type = entry.file_type().await?;
        let meta = entry.metadata().await?;
        assert_eq!(meta.file_type(), file_type);
        match &name[..] {
            "sub" => assert!(file_type.is_dir()),
            "link" => assert!(file_type.is_symlink() && !file_type.is_file()),
            _ => assert!(file_type.is_file() && meta.len() == 1),
        }
        names.push(name);
    }
    assert!(entries.next_entry().await?.is_none(), "stays at the end");
    names.sort();
    assert_eq!(names, expected);
    assert!(format!("{entries:?}").contains("fs-read-dir"));

    let mut empty = fs::read_dir(dir.join("sub")).await?;
    assert!(empty.next_entry().await?.is_none());

    assert_eq!(
        kind(fs::read_dir(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::read_dir(dir.join("file00")).await),
        ErrorKind::NotADirectory
    );
    Ok(())
}

#[uvco::test]
async fn dropped_read_dir_closes_the_directory() -> io::Result<()> {
    let dir = TempDir::new("fs-read-dir-drop");
    for i in 0..40 {
        fs::write(dir.join(&format!("f{i}")), "x").await?;
    }
    let mut entries = fs::read_dir(dir.path()).await?;
    assert_eq!(fds_on(dir.path()), 1);
    assert!(entries.next_entry().await?.is_some());
    drop(entries);
    assert_eq!(fds_on(dir.path()), 0);

    // A next_entry future dropped while its readdir request runs: the directory is closed
    // once the request is done (the listing can't go on, see the next test).
    let mut entries = fs::read_dir(dir.path()).await?;
    {
        let next = entries.next_entry();
        let mut next = std::pin::pin!(next);
        assert!(poll_once(next.as_mut()).is_pending());
    }
    settle(|| fds_on(dir.path()) == 0).await;
    assert_eq!(fds_on(dir.path()), 0);
    Ok(())
}

#[uvco::test]
async fn a_dropped_next_entry_is_an_error_not_the_end() -> io::Result<()> {
    let dir = TempDir::new("fs-read-dir-cancel");
    for i in 0..100 {
        fs::write(dir.join(&format!("f{i}")), "").await?;
    }
    let mut entries = fs::read_dir(dir.path()).await?;
    // Past the first batch (a later batch is lost as well as the first), up to a call that
    // has to submit a request, whose future is dropped in flight.
    for _ in 0..40 {
        assert!(entries.next_entry().await?.is_some());
    }
    loop {
        let next = entries.next_entry();
        let mut next = std::pin::pin!(next);
        match poll_once(next.as_mut()) {
            Poll::Ready(entry) => assert!(entry?.is_some(), "100 entries, not yet"),
            Poll::Pending => break,
        }
    }
    // Its request may have read the entries it was after, which nobody will see: the
    // listing would look complete with fewer than 100 entries.
    for _ in 0..2 {
        let err = entries.next_entry().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Other);
        assert!(err.to_string().contains("listing is incomplete"), "{err}");
    }
    // A dropped future that never submitted (the entries were at hand) changes nothing.
    let mut entries = fs::read_dir(dir.path()).await?;
    assert!(entries.next_entry().await?.is_some());
    {
        let next = entries.next_entry();
        let mut next = std::pin::pin!(next);
        assert!(
            poll_once(next.as_mut()).is_ready(),
            "from the fetched batch"
        );
    }
    let mut n = 2;
    while entries.next_entry().await?.is_some() {
        n += 1;
    }
    assert_eq!(n, 100);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Names, links, copies

#[uvco::test]
async fn rename_remove_copy() -> io::Result<()> {
    let dir = TempDir::new("fs-rename");
    let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
    fs::write(&a, "contents").await?;
    fs::rename(&a, &b).await?;
    assert!(!fs::try_exists(&a).await?);
    assert_eq!(fs::read(&b).await?, b"contents");
    assert_eq!(kind(fs::rename(&a, &c).await), ErrorKind::NotFound);

    assert_eq!(fs::copy(&b, &c).await?, 8);
    assert_eq!(fs::read(&c).await?, b"contents");
    fs::write(&a, "longer contents").await?;
    assert_eq!(fs::copy(&a, &c).await?, 15, "replaces the target");
    assert_eq!(fs::read(&c).await?, b"longer contents");
    assert_eq!(
        kind(fs::copy(dir.join("missing"), &c).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::copy(&a, dir.join("missing/c")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::copy(dir.path(), dir.join("d")).await),
        ErrorKind::InvalidInput,
        "not a regular file, as std::fs::copy says"
    );
    assert!(!fs::try_exists(dir.join("d")).await?);

    fs::remove_file(&c).await?;
    assert!(!fs::try_exists(&c).await?);
    assert_eq!(kind(fs::remove_file(&c).await), ErrorKind::NotFound);
    assert_eq!(
        kind(fs::remove_file(dir.path()).await),
        ErrorKind::IsADirectory
    );
    Ok(())
}

#[uvco::test]
async fn a_failed_copy_keeps_the_existing_target() -> io::Result<()> {
    let dir = TempDir::new("fs-copy-keep");
    let (src, precious) = (dir.join("srcdir"), dir.join("precious"));
    fs::create_dir(&src).await?;
    fs::write(&precious, "keep me").await?;
    // uv_fs_copyfile opened (and truncated) the target, failed to read a directory, and
    // unlinked the target.
    assert_eq!(
        kind(fs::copy(&src, &precious).await),
        ErrorKind::InvalidInput
    );
    assert_eq!(fs::read(&precious).await?, b"keep me");
    assert_eq!(
        std::fs::copy(&src, &precious).unwrap_err().kind(),
        ErrorKind::InvalidInput,
        "the same answer as std"
    );
    Ok(())
}

#[uvco::test]
async fn copy_reads_a_procfs_file_to_its_end() -> io::Result<()> {
    // /proc files report size 0: a copy of st_size bytes would be empty.
    let dir = TempDir::new("fs-copy-proc");
    let to = dir.join("status");
    fs::write(&to, "old contents, longer than nothing").await?;
    let n = fs::copy("/proc/self/status", &to).await?;
    assert!(n > 0, "copied {n} bytes");
    let copied = fs::read_to_string(&to).await?;
    assert_eq!(copied.len() as u64, n, "the count is what was copied");
    assert!(copied.starts_with("Name:"), "{copied:?}");
    Ok(())
}

#[uvco::test]
async fn links() -> io::Result<()> {
    let dir = TempDir::new("fs-links");
    let target = dir.join("target");
    fs::write(&target, "t").await?;

    fs::hard_link(&target, dir.join("hard")).await?;
    assert_eq!(fs::metadata(&target).await?.nlink(), 2);
    assert_eq!(
        fs::metadata(dir.join("hard")).await?.ino(),
        fs::metadata(&target).await?.ino()
    );
    assert_eq!(
        kind(fs::hard_link(&target, dir.join("hard")).await),
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        kind(fs::hard_link(dir.join("missing"), dir.join("h2")).await),
        ErrorKind::NotFound
    );

    let link = dir.join("sym");
    fs::symlink("target", &link).await?;
    assert_eq!(fs::read_link(&link).await?, PathBuf::from("target"));
    assert!(fs::symlink_metadata(&link).await?.is_symlink());
    assert!(
        fs::metadata(&link).await?.is_file(),
        "metadata follows links"
    );
    assert_eq!(
        fs::canonicalize(&link).await?,
        std::fs::canonicalize(&target)?
    );
    assert_eq!(fs::read(&link).await?, b"t");
    assert_eq!(
        kind(fs::symlink("x", &link).await),
        ErrorKind::AlreadyExists
    );
    assert_eq!(kind(fs::read_link(&target).await), ErrorKind::InvalidInput); // EINVAL
    assert_eq!(
        kind(fs::read_link(dir.join("missing")).await),
        ErrorKind::NotFound
    );

    let dangling = dir.join("dangling");
    fs::symlink("nowhere", &dangling).await?;
    assert!(!fs::try_exists(&dangling).await?);
    assert!(fs::symlink_metadata(&dangling).await?.is_symlink());
    assert_eq!(kind(fs::canonicalize(&dangling).await), ErrorKind::NotFound);
    assert_eq!(
        kind(
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&dangling)
                .await
        ),
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        kind(fs::canonicalize(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    let canon = fs::canonicalize(dir.path().join("./target/../target")).await;
    assert_eq!(kind(canon), ErrorKind::NotADirectory); // a file as a path component
    assert_eq!(
        fs::canonicalize(dir.path().join("./sym")).await?,
        std::fs::canonicalize(&target)?
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Metadata and permissions

#[uvco::test]
async fn metadata_and_permissions() -> io::Result<()> {
    let dir = TempDir::new("fs-meta");
    let path = dir.join("f");
    let start = SystemTime::now() - Duration::from_secs(2);
    fs::write(&path, "12345").await?;
    let meta = fs::metadata(&path).await?;
    assert!(meta.is_file() && !meta.is_dir() && !meta.is_symlink());
    assert_eq!(meta.len(), 5);
    let std_meta = std::fs::metadata(&path)?;
    assert_eq!(meta.modified()?, std_meta.modified()?);
    assert_eq!(meta.accessed()?, std_meta.accessed()?);
    assert!(meta.modified()? >= start && meta.modified()? <= SystemTime::now());
    match meta.created() {
        Ok(created) => assert_eq!(created, std_meta.created()?),
        Err(err) => assert_eq!(err.kind(), ErrorKind::Unsupported),
    }
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(meta.mode(), std_meta.mode());
        assert_eq!((meta.uid(), meta.gid()), (std_meta.uid(), std_meta.gid()));
        assert_eq!((meta.dev(), meta.ino()), (std_meta.dev(), std_meta.ino()));
        assert_eq!(
            (meta.blocks(), meta.blksize()),
            (std_meta.blocks(), std_meta.blksize())
        );
    }
    assert!(format!("{meta:?}").contains("len: 5"));
    assert!(fs::metadata(dir.path()).await?.is_dir());
    assert_eq!(
        kind(fs::metadata(dir.join("missing")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(fs::symlink_metadata(dir.join("missing")).await),
        ErrorKind::NotFound
    );

    let mut perm = meta.permissions();
    assert!(!perm.readonly());
    perm.set_readonly(true);
    fs::set_permissions(&path, perm.clone()).await?;
    let now = fs::metadata(&path).await?.permissions();
    assert!(now.readonly());
    assert_eq!(now.mode() & 0o777, perm.mode() & 0o777);
    assert_eq!(
        std::fs::metadata(&path)?.permissions(),
        std::fs::Permissions::from(now.clone())
    );
    fs::set_permissions(&path, Permissions::from_mode(0o640)).await?;
    assert_eq!(
        fs::metadata(&path).await?.permissions().mode() & 0o7777,
        0o640
    );
    assert_eq!(
        kind(fs::set_permissions(dir.join("missing"), now).await),
        ErrorKind::NotFound
    );

    let mut p = Permissions::from(std::fs::Permissions::from(Permissions::from_mode(0o755)));
    assert_eq!(p.mode(), 0o755);
    p.set_mode(0o500);
    assert!(p.readonly());
    p.set_readonly(false);
    assert_eq!(p.mode(), 0o722);
    Ok(())
}

#[uvco::test]
async fn try_exists_cases() -> io::Result<()> {
    let dir = TempDir::new("fs-exists");
    assert!(fs::try_exists(dir.path()).await?);
    assert!(!fs::try_exists(dir.join("missing")).await?);
    fs::write(dir.join("file"), "x").await?;
    assert!(fs::try_exists(dir.join("file")).await?);
    // A file used as a directory: ENOTDIR is an error, not `false`.
    assert_eq!(
        kind(fs::try_exists(dir.join("file/x")).await),
        ErrorKind::NotADirectory
    );
    Ok(())
}
