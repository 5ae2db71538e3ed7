//! uvco::fs::watch (uv_fs_event) and uvco::fs::poll (uv_fs_poll) on real files being
//! written, renamed and removed while watched.

mod common;

use std::future::poll_fn;
use std::io::ErrorKind;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use uvco::fs::{self, StatWatcher, WatchEvent, Watcher};

#[global_allocator]
static A: common::Counting = common::Counting;

fn run<F: std::future::Future>(f: F) -> F::Output {
    let rt = uvco::Runtime::new().unwrap();
    let out = rt.block_on(f);
    // Every watcher was dropped: its handle closed, so the loop closes.
    rt.close().unwrap();
    out
}

/// Events until one for `name` satisfies `want` (a generous bound only keeps a broken build
/// from hanging; nothing is timed).
async fn until(w: &mut Watcher, name: &str, want: impl Fn(&WatchEvent) -> bool) -> Vec<WatchEvent> {
    let mut seen = Vec::new();
    loop {
        let event = uvco::time::timeout(Duration::from_secs(30), w.next())
            .await
            .unwrap_or_else(|_| panic!("no event for {name}; saw {seen:?}"))
            .expect("the stream goes on")
            .unwrap();
        let hit = event.name() == Some(Path::new(name)) && want(&event);
        seen.push(event);
        if hit {
            return seen;
        }
    }
}

#[test]
fn directory_create_write_rename_remove() {
    let dir = common::TempDir::new("watch");
    let dir = dir.path().to_path_buf();
    run(async move {
        let mut w = fs::watch(&dir).unwrap();
        assert_eq!(w.path(), dir.as_path());
        fs::write(dir.join("a.txt"), "one").await.unwrap();
        until(&mut w, "a.txt", WatchEvent::is_rename).await; // created
        until(&mut w, "a.txt", WatchEvent::is_change).await; // written

        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("a.txt"))
            .unwrap()
            .write_all_at_end(b" two");
        until(&mut w, "a.txt", WatchEvent::is_change).await;

        fs::rename(dir.join("a.txt"), dir.join("b.txt"))
            .await
            .unwrap();
        let seen = until(&mut w, "b.txt", WatchEvent::is_rename).await;
        assert!(
            seen.iter()
                .any(|e| e.name() == Some(Path::new("a.txt")) && e.is_rename()),
            "both ends of the move: {seen:?}"
        );

        fs::remove_file(dir.join("b.txt")).await.unwrap();
        until(&mut w, "b.txt", WatchEvent::is_rename).await;
        assert!(seen.iter().all(|e| !e.overflowed()));
    });
}

trait AppendExt {
    fn write_all_at_end(self, data: &[u8]);
}

impl AppendExt for std::fs::File {
    fn write_all_at_end(mut self, data: &[u8]) {
        std::io::Write::write_all(&mut self, data).unwrap();
    }
}

#[test]
fn a_watched_file_reports_its_own_name() {
    let dir = common::TempDir::new("watch");
    let file = dir.join("watched.log");
    std::fs::write(&file, "start").unwrap();
    run(async move {
        let mut w = fs::watch(&file).unwrap();
        fs::write(&file, "changed").await.unwrap();
        // As a futures_core::Stream.
        let event = poll_fn(|cx| Pin::new(&mut w).poll_next(cx))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.name(), Some(Path::new("watched.log")));
        assert!(event.is_change(), "{event:?}");
    });
}

#[test]
fn events_wait_for_a_late_reader_and_a_dropped_next_loses_none() {
    let dir = common::TempDir::new("watch");
    let dir = dir.path().to_path_buf();
    run(async move {
        let mut w = fs::watch(&dir).unwrap();
        // A `next` dropped before anything happened.
        assert!(uvco::time::timeout(Duration::from_millis(1), w.next())
            .await
            .is_err());
        for i in 0..20 {
            std::fs::write(dir.join(format!("f{i}")), "x").unwrap();
        }
        // Nobody read meanwhile: the events were queued, in order.
        let mut created = Vec::new();
        while created.len() < 20 {
            let e = w.next().await.unwrap().unwrap();
            if e.is_rename() {
                created.push(e.name().unwrap().to_str().unwrap().to_string());
            }
        }
        let want: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
        assert_eq!(created, want);
    });
}

#[test]
fn dropping_watchers_stops_them() {
    let dir = common::TempDir::new("watch");
    let dir = dir.path().to_path_buf();
    run(async move {
        // Two watchers on one path (libuv shares the inotify watch); one is dropped while
        // the other keeps going.
        let mut a = fs::watch(&dir).unwrap();
        let b = fs::watch(&dir).unwrap();
        drop(b);
        fs::write(dir.join("x"), "x").await.unwrap();
        until(&mut a, "x", WatchEvent::is_rename).await;
        drop(a);
        // The handles are closed: `run`'s `close` fails otherwise.
        fs::write(dir.join("y"), "y").await.unwrap();
    });
}

#[test]
fn watch_errors_are_typed() {
    run(async {
        let missing = std::env::temp_dir().join("uvco-watch-no-such-path/at/all");
        assert_eq!(fs::watch(&missing).unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(
            fs::watch("nul\0byte").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            fs::poll("nul\0byte", Duration::from_millis(10))
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            fs::poll("x", Duration::from_secs(u64::MAX / 2))
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            fs::watch_recursive(std::env::temp_dir())
                .unwrap_err()
                .kind(),
            ErrorKind::Unsupported
        );
    });
}

/// The next item whose current size is `len`, skipping states a poll caught halfway through
/// a write (truncated, not yet written); returns it and the first item seen.
async fn until_len(
    p: &mut StatWatcher,
    len: u64,
) -> ((fs::Metadata, fs::Metadata), (fs::Metadata, fs::Metadata)) {
    let mut first = None;
    loop {
        let item = p.next().await.unwrap().unwrap();
        let first = *first.get_or_insert(item);
        if item.1.len() == len {
            return (item, first);
        }
    }
}

#[test]
fn poll_sees_a_file_appear_grow_and_go() {
    let dir = common::TempDir::new("poll");
    let file = dir.join("grows");
    run(async move {
        let mut p = fs::poll(&file, Duration::from_millis(10)).unwrap();
        assert_eq!(p.interval(), Duration::from_millis(10));
        // Not there yet: one error item (which also tells that polling has its baseline).
        let err = p.next().await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        fs::write(&file, "1").await.unwrap();
        let ((_, curr), (prev, _)) = until_len(&mut p, 1).await;
        assert_eq!(
            (prev.len(), prev.ino()),
            (0, 0),
            "appeared: prev is all zeros"
        );
        assert!(curr.is_file());
        for size in [5u64, 9, 200] {
            fs::write(&file, vec![b'z'; size as usize]).await.unwrap();
            until_len(&mut p, size).await;
        }
        fs::remove_file(&file).await.unwrap();
        let err = p.next().await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(p.path(), file.as_path());
    });
}

#[test]
fn poll_changes_cost_no_allocation() {
    let dir = common::TempDir::new("poll");
    let file = dir.join("counted");
    run(async move {
        let mut p = fs::poll(&file, Duration::from_millis(10)).unwrap();
        let contents: Vec<Vec<u8>> = (0..13).map(|n| vec![b'.'; n]).collect();
        let grow = |n: usize| std::fs::write(&file, &contents[n]).unwrap();
        // The baseline: missing.
        p.next().await.unwrap().unwrap_err();
        grow(2);
        until_len(&mut p, 2).await;
        let before = common::allocs();
        for n in 3..13 {
            grow(n);
            until_len(&mut p, n as u64).await;
        }
        assert_eq!(
            common::allocs() - before,
            0,
            "10 changes, each a queued pair"
        );
    });
}

#[test]
fn watchers_outliving_their_runtime_end() {
    let dir = common::TempDir::new("watch");
    let rt = uvco::Runtime::new().unwrap();
    let (mut w, mut p) = rt.block_on(async {
        (
            fs::watch(dir.path()).unwrap(),
            fs::poll(dir.path(), Duration::from_millis(10)).unwrap(),
        )
    });
    drop(rt);
    std::fs::write(dir.join("late"), "x").unwrap();
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // The runtime closed both handles: the streams end, and nothing panics.
    assert!(matches!(w.poll_next(&mut cx), std::task::Poll::Ready(None)));
    assert!(matches!(p.poll_next(&mut cx), std::task::Poll::Ready(None)));
    drop((w, p));
}

#[test]
fn a_reader_that_falls_behind_sees_the_overflow_mark() {
    let dir = common::TempDir::new("watch");
    let dir = dir.path().to_path_buf();
    run(async move {
        let mut w = fs::watch(&dir).unwrap();
        // 2100 files, each a create and a modify: more than the 4096 events a watcher
        // holds, all queued by the kernel before the loop reads any (nothing awaits here).
        for i in 0..2100 {
            std::fs::write(dir.join(format!("f{i:04}")), "x").unwrap();
        }
        let mut held = 0;
        loop {
            let event = w.next().await.unwrap().unwrap();
            held += 1;
            if event.overflowed() {
                break;
            }
        }
        assert_eq!(held, 4096, "the held events, the newest marked");
        // Watching goes on.
        fs::write(dir.join("after"), "y").await.unwrap();
        until(&mut w, "after", WatchEvent::is_rename).await;
    });
}
