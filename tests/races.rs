//! Deterministic cancellation races for every request kind: dropped right after submission,
//! dropped while queued for the threadpool (the cancel succeeds), dropped after the threadpool
//! ran it but before its callback (the cancel fails; what it produced is released), completed
//! and dropped without a poll, and handles closed with writes pending.
//!
//! Each test checks that every submitted request completed exactly once (the runtime's slot
//! counters), that every slot went back to the free list, and that no fd leaked. The tests
//! share libuv's threadpool and the process fd table, so they run one at a time.

mod common;

use std::ffi::{c_int, CString};
use std::net::TcpListener;
use std::os::unix::ffi::OsStrExt;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{open_fds, serially, Baseline, RawHandle, TempDir};
use uvco::requests::*;
use uvco::sys;
use uvco::task::{spawn_blocking, yield_now};
use uvco::Awaitable as _;
use uvco_runtime::slot;

/// Occupies every threadpool thread (libuv's default is 4) until dropped, so that requests
/// submitted meanwhile stay queued.
struct PoolHold {
    release: Arc<Barrier>,
    jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<()>>>>>,
}

const POOL: usize = 4;

fn hold_pool() -> PoolHold {
    let started = Arc::new(Barrier::new(POOL + 1));
    let release = Arc::new(Barrier::new(POOL + 1));
    let jobs = (0..POOL)
        .map(|_| {
            let (started, release) = (started.clone(), release.clone());
            Box::pin(spawn_blocking(move || {
                started.wait();
                release.wait();
            })) as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>
        })
        .collect();
    started.wait();
    PoolHold { release, jobs }
}

impl PoolHold {
    async fn release(self) {
        self.release.wait();
        for job in self.jobs {
            job.await.unwrap();
        }
    }
}

/// Blocks the loop thread (not the loop) until `cond` holds: for waiting on the threadpool
/// without letting callbacks run.
fn spin_until(cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn cpath(p: &std::path::Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).unwrap()
}

const O_RDONLY: c_int = 0;

#[test]
fn fs_dropped_right_after_submission() {
    serially(async {
        let base = Baseline::take();
        let dir = TempDir::new("races");
        let p = cpath(dir.path());
        for _ in 0..100 {
            // SAFETY: the path outlives the call (libuv copies it).
            drop(unsafe { UvFsStat::new(p.as_ptr()) });
            // SAFETY: as above.
            drop(unsafe { UvFsOpen::new(p.as_ptr(), O_RDONLY, 0) });
        }
        assert_eq!(base.settle().await, 200);
    });
}

#[test]
fn fs_open_cancelled_while_queued() {
    serially(async {
        let base = Baseline::take();
        let dir = TempDir::new("races");
        let p = cpath(dir.path());
        let hold = hold_pool();
        // SAFETY: the path outlives the call.
        let open = unsafe { UvFsOpen::new(p.as_ptr(), O_RDONLY, 0) };
        drop(open); // queued behind the held threads: uv_cancel succeeds, the fd is never opened
        hold.release().await;
        assert_eq!(base.settle().await, 1);
    });
}

#[test]
fn fs_close_dropped_while_queued_still_closes() {
    serially(async {
        use std::os::fd::IntoRawFd;
        let dir = TempDir::new("races");
        let base = Baseline::take();
        let fd = std::fs::File::open(dir.path()).unwrap().into_raw_fd();
        let hold = hold_pool();
        // SAFETY: an fd we own, handed to libuv to close.
        drop(unsafe { UvFsClose::new(fd) }); // not cancelled: that would leak the fd
        hold.release().await;
        assert_eq!(base.settle().await, 1);
    });
}

#[test]
fn fs_open_dropped_after_the_threadpool_ran_it() {
    serially(async {
        let dir = TempDir::new("races");
        let p = cpath(dir.path());
        let base = Baseline::take();
        // SAFETY: the path outlives the call.
        let open = unsafe { UvFsOpen::new(p.as_ptr(), O_RDONLY, 0) };
        // open(2) has returned on a threadpool thread once the fd exists; the callback has not
        // run, because the loop thread is right here.
        spin_until(|| open_fds() == base.fds + 1);
        drop(open); // too late to cancel: the orphaned callback must close the fd
        assert_eq!(base.settle().await, 1);
    });
}

#[test]
fn fs_open_completed_then_dropped_unpolled() {
    serially(async {
        let dir = TempDir::new("races");
        let p = cpath(dir.path());
        let base = Baseline::take();
        // SAFETY: the path outlives the call.
        let open = unsafe { UvFsOpen::new(p.as_ptr(), O_RDONLY, 0) };
        let done = slot::stats().completed + 1;
        while slot::stats().completed < done {
            yield_now().await; // the callback runs and records the fd; nobody polls `open`
        }
        assert_eq!(open_fds(), base.fds + 1);
        drop(open); // completion and drop in the same turn: the fd is closed right here
        assert_eq!(open_fds(), base.fds);
        assert_eq!(base.settle().await, 0);
    });
}

#[test]
fn fs_results_owning_memory_are_released_when_unclaimed() {
    serially(async {
        let dir = TempDir::new("races");
        std::fs::write(dir.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.join("f"), dir.join("l")).unwrap();
        let (d, l, tpl) = (
            cpath(dir.path()),
            cpath(&dir.join("l")),
            cpath(&dir.join("t-XXXXXX")),
        );
        let base = Baseline::take();
        // SAFETY: the paths outlive the calls. Each result owns memory (entries, a path, a
        // directory stream, a mkstemp fd) that must be released when nobody takes it.
        let ops: (
            UvFsScandir,
            UvFsReadlink,
            UvFsRealpath,
            UvFsMkdtemp,
            UvFsOpendir,
            UvFsMkstemp,
        ) = unsafe {
            (
                UvFsScandir::new(d.as_ptr(), 0),
                UvFsReadlink::new(l.as_ptr()),
                UvFsRealpath::new(l.as_ptr()),
                UvFsMkdtemp::new(tpl.as_ptr()),
                UvFsOpendir::new(d.as_ptr()),
                UvFsMkstemp::new(tpl.as_ptr()),
            )
        };
        let done = base.slots.completed + 6;
        while slot::stats().completed < done {
            yield_now().await;
        }
        drop(ops);
        assert_eq!(base.settle().await, 0);
    });
}

#[test]
fn dns_random_and_work_cancelled_while_queued() {
    serially(async {
        let base = Baseline::take();
        let addr = uvco_runtime::sockaddr::RawSocketAddr::new("127.0.0.1:1".parse().unwrap());
        let hold = hold_pool();
        unsafe extern "C" fn never(_: *mut sys::uv_work_t) {
            panic!("a cancelled work request ran");
        }
        // SAFETY: the strings and the address outlive the calls (libuv copies them); the random
        // buffer is owned by the slot.
        unsafe {
            drop(UvGetaddrinfo::new(
                c"localhost".as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
            ));
            drop(UvGetnameinfo::new(addr.as_ptr(), 0));
            drop(UvRandom::with_keep([0u8; 16], |b| {
                (b.as_mut_ptr().cast(), b.len(), 0)
            }));
            drop(UvQueueWork::new(Some(never)));
        }
        hold.release().await;
        assert_eq!(base.settle().await, 4);
    });
}

#[test]
fn dns_results_released_when_unclaimed() {
    serially(async {
        let base = Baseline::take();
        let addr = uvco_runtime::sockaddr::RawSocketAddr::new("127.0.0.1:1".parse().unwrap());
        // SAFETY: as above.
        let ops = unsafe {
            (
                UvGetaddrinfo::new(c"localhost".as_ptr(), std::ptr::null(), std::ptr::null()),
                UvGetnameinfo::new(addr.as_ptr(), 0),
            )
        };
        let done = base.slots.completed + 2;
        while slot::stats().completed < done {
            yield_now().await;
        }
        drop(ops); // the address list goes back through uv_freeaddrinfo (valgrind checks it)
        assert_eq!(base.settle().await, 0);
    });
}

/// A connected TCP handle whose peer never reads, so writes eventually queue in libuv.
async fn stalled_tcp() -> (RawHandle<sys::uv_tcp_t>, std::net::TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = uvco_runtime::sockaddr::RawSocketAddr::new(listener.local_addr().unwrap());
    // SAFETY: a valid loop and a fresh handle.
    let tcp = RawHandle::new(|h| unsafe { sys::uv_tcp_init(uvco::current_loop(), h) });
    // SAFETY: the handle outlives the request; libuv copies the address.
    unsafe { UvTcpConnect::new(tcp.0, addr.as_ptr()) }
        .await
        .unwrap();
    let (peer, _) = listener.accept().unwrap();
    (tcp, peer)
}

fn write_chunk(tcp: &RawHandle<sys::uv_tcp_t>) -> UvWrite<uvco::Keep<(Vec<u8>, sys::uv_buf_t)>> {
    write_bytes(tcp, 7)
}

/// A 1 MiB write of `byte`s.
fn write_bytes(
    tcp: &RawHandle<sys::uv_tcp_t>,
    byte: u8,
) -> UvWrite<uvco::Keep<(Vec<u8>, sys::uv_buf_t)>> {
    // SAFETY: the bytes and the buf array are owned by the slot; the handle outlives it.
    unsafe {
        UvWrite::with_keep(
            (
                vec![byte; 1 << 20],
                sys::uv_buf_init(std::ptr::null_mut(), 0),
            ),
            |(data, buf)| {
                *buf = sys::uv_buf_init(data.as_mut_ptr().cast(), data.len() as u32);
                (tcp.0.cast(), &raw const *buf, 1)
            },
        )
    }
}

#[test]
fn writes_dropped_while_queued_and_closed_with_writes_pending() {
    serially(async {
        let base = Baseline::take();
        let (tcp, peer) = stalled_tcp().await;
        // 16 MiB of 1 MiB writes: far more than the socket buffers hold, so most stay queued.
        let mut writes: Vec<_> = (0..16).map(|_| write_chunk(&tcp)).collect();
        // Dropping a queued write asks libuv to cancel it (libuv >= 1.52).
        writes.truncate(8);
        // Closing the handle ends the rest with UV_ECANCELED, before the handle is freed.
        drop(tcp);
        drop(writes);
        drop(peer);
        assert_eq!(base.settle().await, 16);
    });
}

#[test]
fn dropping_writes_never_truncates_a_message() {
    serially(async {
        use std::io::Read;
        let base = Baseline::take();
        let (tcp, mut peer) = stalled_tcp().await;
        // 16 messages of 1 MiB, each of its own byte: the first ones fill the socket buffers,
        // one is half sent, the rest wait in libuv's queue.
        let writes: Vec<_> = (1..=16u8).map(|b| write_bytes(&tcp, b)).collect();
        // Drop them all: queued ones are cancelled and never sent; a half-sent one is not
        // cancelled (that would cut it short) and runs to completion.
        drop(writes);
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            peer.read_to_end(&mut got).unwrap();
            got
        });
        while uvco_runtime::slot::stats().completed - base.slots.completed < 16 + 1 {
            yield_now().await; // the connect, then the 16 writes
        }
        drop(tcp); // every write is done: closing cuts nothing
        let got = reader.join().unwrap();
        assert!(
            !got.is_empty() && got.len() % (1 << 20) == 0,
            "a message was cut: {} bytes",
            got.len()
        );
        for (i, message) in got.chunks(1 << 20).enumerate() {
            assert!(
                message.iter().all(|&b| b as usize == i + 1),
                "message {i} is not whole"
            );
        }
        assert_eq!(base.settle().await, 16);
    });
}

#[test]
fn connect_and_udp_send_dropped_in_flight() {
    serially(async {
        let base = Baseline::take();
        {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = uvco_runtime::sockaddr::RawSocketAddr::new(listener.local_addr().unwrap());
            // SAFETY: a valid loop and fresh handles; libuv copies addresses; the datagram is
            // owned by the slot.
            let tcp = RawHandle::new(|h| unsafe { sys::uv_tcp_init(uvco::current_loop(), h) });
            let udp = RawHandle::new(|h| unsafe { sys::uv_udp_init(uvco::current_loop(), h) });
            unsafe {
                drop(UvTcpConnect::new(tcp.0, addr.as_ptr()));
                drop(UvUdpSend::with_keep(
                    (b"x".to_vec(), sys::uv_buf_init(std::ptr::null_mut(), 0)),
                    |(d, b)| {
                        *b = sys::uv_buf_init(d.as_mut_ptr().cast(), d.len() as u32);
                        (udp.0, &raw const *b, 1, addr.as_ptr())
                    },
                ));
            }
            // Not cancellable: the callbacks run when the requests finish or the handles close.
        }
        assert_eq!(base.settle().await, 2);
    });
}

#[test]
fn runtime_dropped_with_every_kind_in_flight() {
    let _serial = common::serial();
    let dir = TempDir::new("races");
    let p = cpath(dir.path());
    let fds = open_fds();
    let in_use = uvco::runtime::alloc::stats().in_use;
    let rt = uvco::Runtime::new().unwrap();
    let before = slot::stats();
    rt.block_on(async {
        for _ in 0..200 {
            let p = p.clone();
            // SAFETY: the path outlives the calls (libuv copies it).
            uvco::spawn_local(async move {
                loop {
                    let fd = unsafe { UvFsOpen::new(p.as_ptr(), O_RDONLY, 0) }
                        .await
                        .unwrap();
                    unsafe { UvFsClose::new(fd) }.await.unwrap();
                }
            })
            .detach();
        }
        uvco::spawn_local(async {
            // SAFETY: the strings outlive the call.
            let _ = unsafe {
                UvGetaddrinfo::new(c"localhost".as_ptr(), std::ptr::null(), std::ptr::null())
            }
            .await;
        })
        .detach();
        let (tcp, peer) = stalled_tcp().await;
        let writes: Vec<_> = (0..4).map(|_| write_chunk(&tcp)).collect();
        uvco::spawn_local(async move {
            let _keep = (tcp, peer);
            for w in writes {
                let _ = w.await;
            }
        })
        .detach();
        yield_now().await;
    });
    assert_eq!(rt.close(), Ok(()), "uv_loop_close returned 0");
    let after = slot::stats();
    assert_eq!(
        after.completed - before.completed,
        after.submitted - before.submitted
    );
    assert_eq!(uvco::runtime::alloc::stats().in_use, in_use);
    assert_eq!(open_fds(), fds, "orphaned opens closed their fds");
}
