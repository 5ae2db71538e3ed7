//! Stress: many requests dropped mid-flight in random order, mixed with completions, and
//! storms of timeouts. `make test` runs a CI-sized version; `make stress` sets
//! `UVCO_STRESS_SCALE=100` for the full size (100k requests).

mod common;

use std::cell::Cell;
use std::ffi::CString;
use std::rc::Rc;
use std::time::Duration;

use common::{serially, Baseline, TempDir};
use uvco::requests::{UvFsOpen, UvFsStat, UvRandom};
use uvco::task::{spawn_blocking, yield_now};
use uvco::time::{sleep, timeout};
use uvco::Awaitable as _;

fn scale() -> usize {
    std::env::var("UVCO_STRESS_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// A small deterministic PRNG (xorshift64*), seeded per test, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn requests_dropped_in_random_order_mixed_with_completions() {
    serially(dropped_in_random_order());
}

async fn dropped_in_random_order() {
    let total = 1_000 * scale();
    let dir = TempDir::new("stress");
    std::fs::write(dir.join("f"), b"stress").unwrap();
    let path = CString::new(dir.join("f").to_str().unwrap()).unwrap();
    let base = Baseline::take();
    let mut rng = Rng(0x5eed_1234);
    let mut live: Vec<Box<dyn std::any::Any>> = Vec::new();
    let completed = Rc::new(Cell::new(0usize));
    for i in 0..total {
        // SAFETY: the path outlives each call (libuv copies it); the random buffer is owned
        // by its slot.
        match rng.below(4) {
            0 => live.push(Box::new(unsafe { UvFsStat::new(path.as_ptr()) })),
            1 => live.push(Box::new(unsafe { UvFsOpen::new(path.as_ptr(), 0, 0) })),
            2 => live.push(Box::new(unsafe {
                UvRandom::with_keep([0u8; 32], |b| (b.as_mut_ptr().cast(), 32, 0))
            })),
            _ => {
                // Some run to completion in their own task.
                let completed = completed.clone();
                let p = path.clone();
                uvco::spawn_local(async move {
                    // SAFETY: as above.
                    if unsafe { UvFsStat::new(p.as_ptr()) }.await.is_ok() {
                        completed.set(completed.get() + 1);
                    }
                })
                .detach();
            }
        }
        // Drop a random live future now and then, and let the loop turn.
        if !live.is_empty() && rng.below(3) == 0 {
            let victim = rng.below(live.len() as u64) as usize;
            drop(live.swap_remove(victim));
        }
        if i % 64 == 0 {
            yield_now().await;
        }
    }
    // Drop the rest in random order, some after their callbacks ran.
    while !live.is_empty() {
        let victim = rng.below(live.len() as u64) as usize;
        drop(live.swap_remove(victim));
        if rng.below(16) == 0 {
            yield_now().await;
        }
    }
    let orphaned = base.settle().await; // every fd an orphaned open produced was closed, every slot freed
    println!(
        "{total} requests, {orphaned} dropped in flight, {} completed in tasks",
        completed.get()
    );
    assert!(completed.get() > 0);
}

#[test]
fn timeout_storm() {
    serially(timeouts());
}

async fn timeouts() {
    let tasks = 200 * scale();
    let base = Baseline::take();
    let done = Rc::new(Cell::new(0usize));
    let mut rng = Rng(0xdead_beef);
    for _ in 0..tasks {
        let (deadline, work) = (rng.below(3), rng.below(4));
        let done = done.clone();
        uvco::spawn_local(async move {
            let deadline = Duration::from_millis(deadline);
            let _ = match work {
                0 => timeout(deadline, sleep(Duration::from_millis(2)))
                    .await
                    .map(drop),
                1 => timeout(
                    deadline,
                    spawn_blocking(|| std::thread::sleep(Duration::from_micros(200))),
                )
                .await
                .map(drop),
                2 => timeout(deadline, yield_now()).await,
                _ => timeout(deadline, std::future::pending::<()>()).await,
            };
            done.set(done.get() + 1);
        })
        .detach();
    }
    while done.get() < tasks {
        sleep(Duration::from_millis(1)).await;
    }
    // Timer handles close on the next turn; orphaned threadpool jobs finish on their own.
    base.settle().await;
}

/// Raises the soft fd limit to the hard one (the echo storm needs two fds per connection).
fn raise_fd_limit() {
    #[repr(C)]
    struct Rlimit {
        cur: u64,
        max: u64,
    }
    extern "C" {
        fn getrlimit(resource: i32, rlim: *mut Rlimit) -> i32;
        fn setrlimit(resource: i32, rlim: *const Rlimit) -> i32;
    }
    const RLIMIT_NOFILE: i32 = 7;
    let mut lim = Rlimit { cur: 0, max: 0 };
    // SAFETY: plain libc calls with a valid struct of the kernel's layout (two u64 on Linux).
    unsafe {
        if getrlimit(RLIMIT_NOFILE, &mut lim) == 0 && lim.cur < lim.max {
            lim.cur = lim.max;
            setrlimit(RLIMIT_NOFILE, &lim);
        }
    }
}

#[test]
fn tcp_echo_storm() {
    raise_fd_limit();
    serially(echo_storm());
}

async fn echo_storm() {
    let clients = 250 * scale().min(20); // 5000 connections at full size
    let base = Baseline::take();
    let listener = uvco::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = uvco::spawn_local(async move {
        for _ in 0..clients {
            let (mut conn, _) = listener.accept().await.unwrap();
            uvco::spawn_local(async move {
                let mut buf = [0u8; 4096];
                loop {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => conn.write_all(&buf[..n]).await.unwrap(),
                    }
                }
                let _ = conn.shutdown().await;
            })
            .detach();
        }
    });
    let ok = Rc::new(Cell::new(0usize));
    let mut handles = Vec::with_capacity(clients);
    for i in 0..clients {
        let ok = ok.clone();
        handles.push(uvco::spawn_local(async move {
            let msg: Vec<u8> = (0..1024).map(|b| (b + i) as u8).collect();
            let mut conn = uvco::net::TcpStream::connect(addr).await.unwrap();
            conn.write_all(&msg).await.unwrap();
            conn.shutdown().await.unwrap();
            let mut back = Vec::with_capacity(msg.len());
            let mut buf = [0u8; 4096];
            loop {
                let n = conn.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                back.extend_from_slice(&buf[..n]);
            }
            assert_eq!(back, msg, "connection {i} echoed wrong bytes");
            ok.set(ok.get() + 1);
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    server.await.unwrap();
    assert_eq!(ok.get(), clients);
    println!("{clients} concurrent connections echoed");
    // Closed sockets are released by their close callbacks, on the next turns.
    base.settle().await;
}
