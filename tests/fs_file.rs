//! `fs::File` as a futures-io stream (AsyncRead, AsyncBufRead, AsyncWrite, AsyncSeek), on
//! real files: cases in the spirit of tokio's `tests/fs_file.rs` (read, write, seek,
//! try_clone, set_len, into_std, many small writes, a large copy), plus what uvco adds: a
//! dropped read loses no data, a dropped `File` still finishes its write, several tasks may
//! wait on one file, and steady-state reads and writes allocate nothing.

mod common;

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::io::{self, SeekFrom};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures_io::{AsyncRead, AsyncWrite};
use futures_util::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use uvco::fs::File;

#[global_allocator]
static A: common::Counting = common::Counting;

const HELLO: &[u8] = b"hello, world!";

fn run<F: Future<Output = ()>>(test: impl FnOnce(common::TempDir) -> F) {
    let dir = common::TempDir::new("fs-file");
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(test(dir));
    rt.close().unwrap();
}

async fn read_write(path: &std::path::Path) -> File {
    File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .await
        .unwrap()
}

/// Polls `f` once with a waker that does nothing.
fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
}

/// With the extension traits in scope, the method calls are theirs: the owned-buffer calls
/// are `*_owned` and shadow nothing.
#[test]
fn extension_trait_methods_read_as_written() {
    run(|dir| async move {
        let path = dir.join("ext");
        let mut file = read_write(&path).await;
        file.write_all(HELLO).await.unwrap();
        file.flush().await.unwrap();
        file.rewind().await.unwrap();
        let mut buf = [0; 5];
        let n = file.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], &HELLO[..n]);
        let mut rest = Vec::new();
        file.read_to_end(&mut rest).await.unwrap();
        assert_eq!([&buf[..n], &rest[..]].concat(), HELLO);
    });
}

#[test]
fn basic_read() {
    run(|dir| async move {
        let path = dir.join("read");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        let mut buf = [0; 1024];
        let n = AsyncReadExt::read(&mut file, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], HELLO);
        // At the end: 0, and again 0.
        assert_eq!(AsyncReadExt::read(&mut file, &mut buf).await.unwrap(), 0);
        assert_eq!(AsyncReadExt::read(&mut file, &mut buf).await.unwrap(), 0);
    });
}

#[test]
fn basic_write_then_flush() {
    run(|dir| async move {
        let path = dir.join("write");
        let mut file = File::create(&path).await.unwrap();
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);
        // Vectored: the slices go out in order, as one request.
        let n = file
            .write_vectored(&[io::IoSlice::new(b"ab"), io::IoSlice::new(b"cd")])
            .await
            .unwrap();
        assert_eq!(n, 4);
        AsyncWriteExt::close(&mut file).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello, world!abcd");
    });
}

#[test]
fn write_then_read_back_through_one_file() {
    run(|dir| async move {
        let path = dir.join("rw");
        let mut file = read_write(&path).await;
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        // The seek waits for the write in flight.
        file.rewind().await.unwrap();
        let mut back = Vec::new();
        AsyncReadExt::read_to_end(&mut file, &mut back)
            .await
            .unwrap();
        assert_eq!(back, HELLO);
        assert_eq!(file.stream_position().await.unwrap(), HELLO.len() as u64);
    });
}

#[test]
fn seek_from_start_current_and_end() {
    run(|dir| async move {
        let path = dir.join("seek");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut file = File::open(&path).await.unwrap();
        assert_eq!(file.seek(SeekFrom::Current(4)).await.unwrap(), 4);
        assert_eq!(file.stream_position().await.unwrap(), 4);
        // The end, on the threadpool.
        assert_eq!(file.seek(SeekFrom::End(-3)).await.unwrap(), 7);
        let mut rest = String::new();
        file.read_to_string(&mut rest).await.unwrap();
        assert_eq!(rest, "789");
        file.rewind().await.unwrap();
        assert_eq!(file.stream_position().await.unwrap(), 0);
        // Before the start: a typed error, and the position stays.
        let err = file.seek(SeekFrom::Current(-1)).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(file.stream_position().await.unwrap(), 0);
        let err = file.seek(SeekFrom::Start(u64::MAX)).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    });
}

#[test]
fn read_ahead_is_accounted_for_by_seek_and_write() {
    run(|dir| async move {
        let path = dir.join("ahead");
        std::fs::write(&path, b"abcdefgh").unwrap();
        let mut file = read_write(&path).await;
        AsyncWriteExt::write_all(&mut file, b"abcdefgh")
            .await
            .unwrap();
        file.rewind().await.unwrap();
        // fill_buf reads the whole file ahead; consuming 2 leaves the position at 2.
        assert_eq!(file.fill_buf().await.unwrap(), b"abcdefgh");
        file.consume_unpin(2);
        assert_eq!(file.stream_position().await.unwrap(), 2);
        let mut two = [0; 2];
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"cd");
        // A write lands where the reader is, not past what was read ahead.
        assert_eq!(file.fill_buf().await.unwrap(), b"efgh");
        AsyncWriteExt::write_all(&mut file, b"XY").await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abcdXYgh");
        let mut line = String::new();
        file.read_line(&mut line).await.unwrap();
        assert_eq!(line, "gh");
    });
}

#[test]
fn try_clone_shares_the_position() {
    run(|dir| async move {
        let path = dir.join("clone");
        let file = File::create(&path).await.unwrap();
        let mut clone = file.try_clone().await.unwrap();
        AsyncWriteExt::write_all(&mut clone, HELLO).await.unwrap();
        clone.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);
        let mut file = file;
        assert_eq!(file.stream_position().await.unwrap(), HELLO.len() as u64);
    });
}

#[test]
fn set_len_truncates_and_extends_after_the_write_in_flight() {
    run(|dir| async move {
        let path = dir.join("len");
        let mut file = read_write(&path).await;
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        // No flush: set_len waits for the write.
        file.set_len(5).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        file.set_len(8).await.unwrap();
        assert_eq!(file.metadata().await.unwrap().len(), 8);
        assert_eq!(std::fs::read(&path).unwrap(), b"hello\0\0\0");
        // The position stays past the old end.
        assert_eq!(file.stream_position().await.unwrap(), HELLO.len() as u64);
    });
}

#[test]
fn into_std_waits_for_the_write_and_from_std_keeps_the_position() {
    run(|dir| async move {
        let path = dir.join("std");
        let mut file = File::create(&path).await.unwrap();
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        // In flight: try_into_std gives the file back.
        let mut file = match file.try_into_std() {
            Ok(_) => panic!("a write was in flight"),
            Err(file) => file,
        };
        file.flush().await.unwrap();
        let std_file = file.try_into_std().expect("idle");
        drop(std_file);
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);

        let mut file = read_write(&path).await;
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        let mut std_file = file.into_std().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);

        // The std file is where the stream was.
        use std::io::{Read, Seek};
        assert_eq!(std_file.stream_position().unwrap(), HELLO.len() as u64);
        std_file.seek(SeekFrom::Start(7)).unwrap();
        let mut file = File::from_std(std_file);
        let mut tail = String::new();
        file.read_to_string(&mut tail).await.unwrap();
        assert_eq!(tail, "world!");
        // into_std after reads ahead gives them back to the position.
        let mut file = File::open(&path).await.unwrap();
        assert_eq!(file.fill_buf().await.unwrap(), HELLO);
        file.consume_unpin(5);
        let mut std_file = file.into_std().await.unwrap();
        let mut rest = String::new();
        std_file.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, ", world!");
    });
}

#[test]
fn max_buf_size_bounds_each_request() {
    run(|dir| async move {
        let path = dir.join("max-buf");
        let mut file = read_write(&path).await;
        file.set_max_buf_size(1);
        let mut buf = [0; 64];
        // One byte a request, each way.
        assert_eq!(AsyncWriteExt::write(&mut file, HELLO).await.unwrap(), 1);
        file.rewind().await.unwrap();
        assert_eq!(AsyncReadExt::read(&mut file, &mut buf).await.unwrap(), 1);
        assert_eq!(buf[0], HELLO[0]);
    });
}

#[test]
fn many_small_writes() {
    run(|dir| async move {
        let path = dir.join("small");
        let mut file = File::create(&path).await.unwrap();
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            let piece = format!("{i};");
            AsyncWriteExt::write_all(&mut file, piece.as_bytes())
                .await
                .unwrap();
            expected.extend_from_slice(piece.as_bytes());
        }
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), expected);
    });
}

#[test]
fn large_file_through_futures_io_copy() {
    run(|dir| async move {
        let src = dir.join("large-src");
        let dst = dir.join("large-dst");
        let data: Vec<u8> = (0..(5 << 20) + 12345u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        std::fs::write(&src, &data).unwrap();
        let reader = File::open(&src).await.unwrap();
        let mut writer = File::create(&dst).await.unwrap();
        // Smaller requests than the default, to have many of them.
        writer.set_max_buf_size(256 * 1024);
        assert_eq!(writer.max_buf_size(), 256 * 1024);
        let copied = futures_util::io::copy(futures_util::io::BufReader::new(reader), &mut writer)
            .await
            .unwrap();
        assert_eq!(copied, data.len() as u64);
        writer.close().await.unwrap();
        assert!(std::fs::read(&dst).unwrap() == data, "copy differs");
    });
}

#[test]
fn a_dropped_read_loses_no_data_and_keeps_the_order() {
    run(|dir| async move {
        let path = dir.join("dropped-read");
        std::fs::write(&path, b"first|second").unwrap();
        let mut file = File::open(&path).await.unwrap();
        {
            let mut buf = [0; 6];
            let mut read = AsyncReadExt::read(&mut file, &mut buf);
            // Submitted, then dropped before it completes: the request belongs to the file.
            assert!(poll_once(&mut read).is_pending());
        }
        let mut all = Vec::new();
        AsyncReadExt::read_to_end(&mut file, &mut all)
            .await
            .unwrap();
        assert_eq!(all, b"first|second");
    });
}

#[test]
fn a_dropped_file_still_finishes_its_write() {
    let dir = common::TempDir::new("fs-file-drop");
    let path = dir.join("dropped-file");
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        let mut file = File::create(&path).await.unwrap();
        AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
        drop(file);
    });
    // The write goes on in a task of its own.
    rt.block_on(async {
        while rt.live_tasks() > 0 {
            uvco::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    });
    rt.close().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), HELLO);
}

#[test]
fn write_errors_are_reported_by_the_next_flush() {
    run(|dir| async move {
        let path = dir.join("read-only");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        // Buffered, so reported done; the kernel refuses it in the background.
        assert_eq!(AsyncWriteExt::write(&mut file, b"nope").await.unwrap(), 4);
        let err = file.flush().await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF), "{err}");
        // Reported once.
        file.flush().await.unwrap();
        // sync_all reports it too.
        AsyncWriteExt::write(&mut file, b"nope").await.unwrap();
        assert_eq!(
            file.sync_all().await.unwrap_err().raw_os_error(),
            Some(libc::EBADF)
        );
    });
}

#[test]
fn several_tasks_wait_on_one_write_in_flight() {
    run(|dir| async move {
        let path = dir.join("shared");
        let mut file = File::create(&path).await.unwrap();
        let n = poll_fn(|cx| Pin::new(&mut file).poll_write(cx, HELLO))
            .await
            .unwrap();
        assert_eq!(n, HELLO.len());
        let file = Rc::new(file);
        let done = Rc::new(Cell::new(0));
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let (file, done) = (file.clone(), done.clone());
                uvco::spawn_local(async move {
                    assert_eq!(file.metadata().await.unwrap().len(), HELLO.len() as u64);
                    done.set(done.get() + 1);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(done.get(), 3);
    });
}

#[test]
fn owned_buffer_calls_see_what_the_stream_wrote_and_read_ahead() {
    run(|dir| async move {
        let path = dir.join("mixed");
        let mut file = read_write(&path).await;
        AsyncWriteExt::write_all(&mut file, b"stream;")
            .await
            .unwrap();
        let (res, _) = file.write_all_owned(b"owned;".to_vec()).await;
        res.unwrap();
        let (res, buf) = file.read_at(Vec::with_capacity(64), 0).await;
        res.unwrap();
        assert_eq!(buf, b"stream;owned;");
        file.rewind().await.unwrap();
        let mut six = [0; 6];
        file.read_exact(&mut six).await.unwrap();
        assert_eq!(&six, b"stream");
        let (res, buf) = file.read_owned(Vec::with_capacity(64)).await;
        res.unwrap();
        assert_eq!(buf, b";owned;");
    });
}

/// One round of the allocation test: write a block, flush, read it back, three seeks.
async fn round(file: &mut File, block: &[u8], buf: &mut [u8]) {
    file.rewind().await.unwrap();
    AsyncWriteExt::write_all(file, block).await.unwrap();
    file.flush().await.unwrap();
    file.rewind().await.unwrap();
    file.read_exact(buf).await.unwrap();
    assert!(buf == block);
    file.seek(SeekFrom::End(0)).await.unwrap();
}

#[test]
fn steady_state_reads_and_writes_allocate_nothing() {
    run(|dir| async move {
        let path = dir.join("allocs");
        let mut file = read_write(&path).await;
        let block = vec![7u8; 4096];
        let mut buf = vec![0u8; 4096];
        // Warm up: the stream's buffer, the free-list blocks of the slots.
        for _ in 0..3 {
            round(&mut file, &block, &mut buf).await;
        }
        let before = common::allocs();
        for _ in 0..100 {
            round(&mut file, &block, &mut buf).await;
        }
        let allocs = common::allocs() - before;
        assert_eq!(
            allocs, 0,
            "100 rounds of write + flush + read + 3 seeks: no heap allocation"
        );
    });
}

#[test]
fn poll_read_with_an_empty_slice_submits_nothing() {
    run(|dir| async move {
        let path = dir.join("empty");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        let before = uvco::runtime::slot::stats().submitted;
        let mut read = pin!(poll_fn(|cx| Pin::new(&mut file).poll_read(cx, &mut [])));
        assert_eq!(poll_once(&mut read).map(Result::unwrap), Poll::Ready(0));
        assert_eq!(uvco::runtime::slot::stats().submitted, before);
    });
}

#[test]
fn a_fifo_streams_but_does_not_seek() {
    run(|dir| async move {
        let path = dir.join("fifo");
        common::mkfifo(&path);
        // Read and write: open(2) of a FIFO doesn't wait for a peer then.
        let mut fifo = File::options()
            .read(true)
            .write(true)
            .open(&path)
            .await
            .unwrap();
        AsyncWriteExt::write_all(&mut fifo, b"ping").await.unwrap();
        fifo.flush().await.unwrap();
        let mut got = [0; 4];
        fifo.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"ping");
        let err = fifo.stream_position().await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ESPIPE), "{err}");
        let err = fifo.seek(SeekFrom::End(0)).await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ESPIPE), "{err}");
        // Still usable after the errors.
        AsyncWriteExt::write_all(&mut fifo, b"pong").await.unwrap();
        fifo.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"pong");
    });
}

#[test]
fn a_dropped_waiter_hands_the_wait_over_to_the_others() {
    run(|dir| async move {
        let path = dir.join("fifo-wait");
        common::mkfifo(&path);
        let mut fifo = File::options()
            .read(true)
            .write(true)
            .open(&path)
            .await
            .unwrap();
        // Twice a pipe's capacity: the write blocks its pool thread until we drain the pipe.
        let data = vec![5u8; 128 * 1024];
        fifo.set_max_buf_size(data.len());
        let n = poll_fn(|cx| Pin::new(&mut fifo).poll_write(cx, &data))
            .await
            .unwrap();
        assert_eq!(n, data.len());
        let fifo = Rc::new(fifo);
        let done = Rc::new(Cell::new(0));
        let waiter = |fifo: Rc<File>, done: Rc<Cell<u32>>| async move {
            fifo.sync_data().await.unwrap_or(());
            done.set(done.get() + 1);
        };
        let first = uvco::spawn_local(waiter(fifo.clone(), done.clone()));
        let second = uvco::spawn_local(waiter(fifo.clone(), done.clone()));
        // Both wait; the second polled last, so the request holds its waker alone.
        uvco::task::yield_now().await;
        uvco::task::yield_now().await;
        assert_eq!(done.get(), 0);
        second.abort();
        assert!(second.await.is_err());
        // Drain the pipe (a blocking read, on this thread: the writer is a pool thread).
        let mut reader = std::fs::File::open(&path).unwrap();
        let mut back = vec![0u8; data.len()];
        std::io::Read::read_exact(&mut reader, &mut back).unwrap();
        assert!(back == data);
        let waited = uvco::time::timeout(std::time::Duration::from_secs(20), first).await;
        assert!(waited.is_ok(), "the first waiter was never woken");
        assert_eq!(done.get(), 1);
    });
}

#[test]
fn a_runtime_dropped_under_a_file_with_a_write_in_flight_ends() {
    let dir = common::TempDir::new("fs-file-shutdown");
    let path = dir.join("shutdown");
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        let mut file = File::create(&path).await.unwrap();
        uvco::spawn_local(async move {
            AsyncWriteExt::write_all(&mut file, HELLO).await.unwrap();
            // Never flushed: the runtime drops this task, and the file, with the write
            // maybe in flight; the task that finishes it is dropped in turn, once.
            std::future::pending::<()>().await;
        })
        .detach();
        uvco::task::yield_now().await;
    });
    drop(rt);
    // Written, or cancelled before a pool thread took it: nothing else.
    let contents = std::fs::read(&path).unwrap();
    assert!(contents.is_empty() || contents == HELLO, "{contents:?}");
}
