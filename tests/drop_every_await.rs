//! Drop at every await: each multi-step operation of uvco's public API is polled N times and
//! then dropped, for every N = 0, 1, 2, ... until it completes, on a real loop with real
//! files, sockets on 127.0.0.1 and threads.
//!
//! The future is polled by hand with a counting waker: poll `i + 1` happens only after poll
//! `i` asked to be woken and was, so N counts the operation's own await points (a request
//! submitted, a callback run, a timer fired, bytes arrived). Each N is tried twice: dropped
//! right after its N-th poll (its request in flight), and dropped after the wake that poll
//! asked for (its callback ran, its result not yet claimed). Between polls the loop runs:
//! the driver waits for the wake on the runtime, without blocking it.
//!
//! After each drop, the loop settles and the harness checks:
//! - every request submitted completed, once (the runtime's slot counters);
//! - the process has as many open fds as before the drop;
//! - what the operation did is whole or absent where its documentation says so (a rename
//!   happened or not, a copy is complete or absent, a removed tree is all there or gone) and
//!   never corrupt (a file written by a dropped write is a prefix of the data);
//! - on streams, a peer receives a whole number of the writes made, byte for byte, and data
//!   read before and after the drop is exactly what the peer sent: nothing lost or doubled;
//! - once the case's fixture (files, sockets, peers) is gone: requests, fds, free-list
//!   blocks in use and the waker's references are all back to where the case started.
//!
//! Each test prints its operations, the N at which each completed, and its case count
//! (`cargo test --test drop_every_await -- --nocapture`).

mod common;

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use common::{open_fds, serially, TempDir};
use uvco::fs;
use uvco::task::yield_now;

/// Polls beyond which an operation that has not completed is a failure (a hang).
const MAX_POLLS: usize = 200;
/// How long a settle or a wake may take before the case fails.
const PATIENCE: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------
// The driver
// ---------------------------------------------------------------------------------------

/// The waker the operation under test is polled with: it counts its wakes and passes each on
/// to the harness's task, which is waiting for it.
#[derive(Default)]
struct Counter {
    wakes: AtomicUsize,
    outer: Mutex<Option<Waker>>,
}

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        let outer = self.outer.lock().unwrap().take();
        if let Some(outer) = outer {
            outer.wake();
        }
    }
}

impl Counter {
    /// Waits, on the loop, until there have been more than `seen` wakes.
    async fn wait_past(&self, seen: usize, what: &str) {
        let wait = poll_fn(|cx| {
            if self.wakes.load(Ordering::SeqCst) > seen {
                return Poll::Ready(());
            }
            *self.outer.lock().unwrap() = Some(cx.waker().clone());
            if self.wakes.load(Ordering::SeqCst) > seen {
                return Poll::Ready(());
            }
            Poll::Pending
        });
        let waited = uvco::time::timeout(PATIENCE, wait).await;
        *self.outer.lock().unwrap() = None;
        assert!(
            waited.is_ok(),
            "{what}: pending, and no wake in {PATIENCE:?}"
        );
    }
}

/// Where, after its last poll, the future is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Right after the last poll returned `Pending`: what it submitted is in flight.
    Poll,
    /// After the wake the last poll asked for: a callback ran, its result unclaimed.
    Wake,
}

/// One case: the operation polled `polls` times, then dropped at `at`.
#[derive(Clone, Copy, Debug)]
struct Case {
    polls: usize,
    at: At,
}

/// What happened to the future of a case.
struct Driven<T> {
    /// Its output, if it completed within the case's polls.
    out: Option<T>,
    /// The waker it was polled with; whatever keeps a clone must let it go eventually.
    counter: Arc<Counter>,
}

/// Polls `fut` as `case` says and drops it, unless it completes first.
async fn drive<F: Future>(fut: F, case: Case, what: &str) -> Driven<F::Output> {
    let counter = Arc::new(Counter::default());
    let out = {
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        let mut fut = pin!(fut);
        let mut seen = 0;
        let mut out = None;
        for i in 0..case.polls {
            if i > 0 {
                counter.wait_past(seen, what).await;
            }
            seen = counter.wakes.load(Ordering::SeqCst);
            if let Poll::Ready(done) = fut.as_mut().poll(&mut cx) {
                out = Some(done);
                break;
            }
        }
        if out.is_none() && case.at == At::Wake && case.polls > 0 {
            counter.wait_past(seen, what).await;
        }
        out
        // `fut` is dropped here, when it did not complete.
    };
    Driven { out, counter }
}

/// The state a case starts from, and the checks that it went back to it.
struct Probe {
    what: String,
    slots: uvco::runtime::slot::SlotStats,
    in_use: isize,
    fds: usize,
}

impl Probe {
    fn take(what: String) -> Probe {
        Probe {
            what,
            slots: uvco::runtime::slot::stats(),
            in_use: uvco::runtime::alloc::stats().in_use,
            fds: open_fds(),
        }
    }

    fn requests_done(&self) -> bool {
        let now = uvco::runtime::slot::stats();
        now.completed - self.slots.completed == now.submitted - self.slots.submitted
    }

    /// As [`settle`](Probe::settle) for a dropped operation; only requests for a completed
    /// one.
    async fn settle_if_dropped(&self, completed: bool, delta: isize) {
        if completed {
            self.settle_requests().await;
        } else {
            self.settle(delta).await;
        }
    }

    fn assert_fds(&self, delta: isize) {
        assert_eq!(
            open_fds() as isize,
            self.fds as isize + delta,
            "{}: fd count",
            self.what
        );
    }

    /// Waits for every request submitted since the probe to complete.
    async fn settle_requests(&self) {
        let deadline = Instant::now() + PATIENCE;
        while !self.requests_done() {
            assert!(
                Instant::now() < deadline,
                "{}: requests still in flight: {:?} from {:?}",
                self.what,
                uvco::runtime::slot::stats(),
                self.slots
            );
            yield_now().await;
        }
    }

    /// Waits for requests to settle, then checks the fd count moved by `delta`.
    async fn settle(&self, delta: isize) {
        self.settle_requests().await;
        self.assert_fds(delta);
    }

    /// Waits until everything is back where the probe found it: requests, free-list blocks,
    /// fds, and the references to the case's waker. Then checks each.
    async fn back(&self, counter: Arc<Counter>) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let done = self.requests_done()
                && uvco::runtime::alloc::stats().in_use == self.in_use
                && open_fds() == self.fds
                && Arc::strong_count(&counter) == 1;
            if done || Instant::now() > deadline {
                break;
            }
            yield_now().await;
        }
        let (now, in_use) = (uvco::runtime::slot::stats(), uvco::runtime::alloc::stats());
        assert!(
            self.requests_done(),
            "{}: requests in flight: {now:?} from {:?}",
            self.what,
            self.slots
        );
        assert_eq!(
            in_use.in_use, self.in_use,
            "{}: free-list blocks still in use",
            self.what
        );
        assert_eq!(open_fds(), self.fds, "{}: an fd leaked", self.what);
        assert_eq!(
            Arc::strong_count(&counter),
            1,
            "{}: a clone of the waker was kept",
            self.what
        );
    }
}

/// The cases of one test, counted as they run.
struct Tally {
    family: &'static str,
    ops: Vec<(String, usize, usize)>,
}

static TOTAL: AtomicUsize = AtomicUsize::new(0);

impl Tally {
    fn new(family: &'static str) -> Tally {
        Tally {
            family,
            ops: Vec::new(),
        }
    }

    /// Runs `run` for every N until it completes: dropped at N polls (in flight), then, if
    /// N > 0, dropped after the N-th poll's wake. `run` returns whether the operation
    /// completed. It is run once first, whole, to warm up what a first use opens for good
    /// (libuv's threadpool, resolver configuration, free-list classes).
    async fn sweep<F, Fut>(&mut self, op: &str, mut run: F)
    where
        F: FnMut(String, Case) -> Fut,
        Fut: Future<Output = bool>,
    {
        let warm = Case {
            polls: MAX_POLLS,
            at: At::Poll,
        };
        assert!(
            run(format!("{op} (warm-up)"), warm).await,
            "{op}: did not complete in {MAX_POLLS} polls"
        );
        let mut cases = 0;
        for polls in 0..=MAX_POLLS {
            cases += 1;
            let case = Case {
                polls,
                at: At::Poll,
            };
            if run(format!("{op}, dropped after {polls} polls"), case).await {
                self.ops.push((op.to_string(), polls, cases));
                return;
            }
            if polls > 0 {
                cases += 1;
                let case = Case {
                    polls,
                    at: At::Wake,
                };
                let what = format!("{op}, dropped after {polls} polls and the wake");
                // Where a peer thread sets the pace, the same N may complete this time.
                if run(what, case).await {
                    self.ops.push((op.to_string(), polls, cases));
                    return;
                }
            }
        }
        panic!("{op}: did not complete in {MAX_POLLS} polls");
    }

    fn print(&self) {
        let cases: usize = self.ops.iter().map(|(_, _, c)| c).sum();
        let total = TOTAL.fetch_add(cases, Ordering::SeqCst) + cases;
        println!("drop_every_await: {}", self.family);
        for (op, polls, cases) in &self.ops {
            println!("  {op:<62} completes at N={polls:<3} {cases:>3} cases");
        }
        println!(
            "drop_every_await: {}: {} operations, {cases} (operation, N) cases \
             (running total in this process: {total})",
            self.family,
            self.ops.len()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// Bytes that show where they came from: a corrupted, shifted or doubled chunk doesn't
/// match.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i as u64 * 31 + seed as u64 * 7 + (i as u64 >> 8)) % 251) as u8)
        .collect()
}

/// A fresh, empty directory under `root` for one case.
fn fresh(root: &TempDir) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = root.join(&format!("case-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The file at `path` holds a prefix of `data` (possibly all of it, possibly nothing).
fn assert_prefix(what: &str, got: &[u8], data: &[u8]) {
    assert!(
        got.len() <= data.len() && got == &data[..got.len()],
        "{what}: {} bytes that are not a prefix of the {} written",
        got.len(),
        data.len()
    );
}

/// A case: an async block that takes a probe before its fixture is made, runs `$body`
/// (which returns whether the operation completed, and the waker it was polled with), and
/// checks, once the fixture is gone, that everything is back where the probe found it.
macro_rules! case {
    ($what:ident, $body:block) => {
        async move {
            let outer = Probe::take($what.clone());
            let (completed, counter): (bool, Arc<Counter>) = $body;
            outer.back(counter).await;
            completed
        }
    };
}

// ---------------------------------------------------------------------------------------
// fs: the free functions
// ---------------------------------------------------------------------------------------

/// One-shot fs operations on a prepared directory: `prepare` makes the fixture in `dir`,
/// `op` is the operation, `after` checks the directory after a drop (`None`) or the output.
async fn fs_case<P, O, Fut, T, A>(
    what: String,
    case: Case,
    root: &TempDir,
    prepare: P,
    op: O,
    after: A,
) -> bool
where
    P: FnOnce(&Path),
    O: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = io::Result<T>>,
    A: FnOnce(&str, &Path, Option<T>),
{
    case!(what, {
        let dir = fresh(root);
        prepare(&dir);
        let inner = Probe::take(what.clone());
        let d = drive(op(dir.clone()), case, &what).await;
        let completed = d.out.is_some();
        // A completed operation's output may hold an fd (a File); the end checks it's gone.
        inner.settle_if_dropped(completed, 0).await;
        let out = d.out.map(|r| r.unwrap_or_else(|e| panic!("{what}: {e}")));
        after(&what, &dir, out);
        std::fs::remove_dir_all(&dir).unwrap();
        (completed, d.counter)
    })
    .await
}

#[test]
fn fs_functions() {
    serially(async {
        let root = TempDir::new("drop-every-await-fs");
        let mut t = Tally::new("fs functions");
        let data = &pattern(100_000, 1);
        let text: &String = &(0..10_000)
            .map(|i| (b'a' + (i % 26) as u8) as char)
            .collect();

        t.sweep("fs::read (100 kB file)", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("f"), data).unwrap(),
                move |d| async move { fs::read(d.join("f")).await },
                move |what, _, out| {
                    if let Some(got) = out {
                        assert!(got == *data, "{what}: wrong bytes");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::read (empty file)", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("f"), b"").unwrap(),
                move |d| async move { fs::read(d.join("f")).await },
                move |what, _, out| {
                    if let Some(got) = out {
                        assert!(got.is_empty(), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::read (/proc/self/stat, size 0)", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |_| {},
                move |_| async move { fs::read("/proc/self/stat").await },
                move |what, _, out| {
                    if let Some(got) = out {
                        assert!(!got.is_empty(), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::read_to_string", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("f"), text).unwrap(),
                move |d| async move { fs::read_to_string(d.join("f")).await },
                move |what, _, out| {
                    if let Some(got) = out {
                        assert!(got == *text, "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::write (100 kB)", |what, case| {
            let written = data.clone();
            fs_case(
                what,
                case,
                &root,
                move |_| {},
                move |d| async move { fs::write(d.join("f"), written).await },
                move |what, d, out| {
                    let f = d.join("f");
                    if out.is_some() {
                        assert!(std::fs::read(&f).unwrap() == *data, "{what}");
                    } else if exists(&f) {
                        assert_prefix(what, &std::fs::read(&f).unwrap(), data);
                    }
                },
            )
        })
        .await;

        t.sweep("fs::copy", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("a"), data).unwrap(),
                move |d| async move { fs::copy(d.join("a"), d.join("b")).await },
                move |what, d, out| {
                    if let Some(n) = out {
                        assert_eq!(n, data.len() as u64, "{what}");
                    }
                    // Cancelled before it started, or run to its end: never half a copy.
                    let b = d.join("b");
                    if out.is_some() || exists(&b) {
                        assert!(std::fs::read(&b).unwrap() == *data, "{what}: partial copy");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::metadata", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("f"), [0; 123]).unwrap(),
                move |d| async move { fs::metadata(d.join("f")).await },
                move |what, _, out| {
                    if let Some(m) = out {
                        assert!(m.is_file() && m.len() == 123, "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::symlink_metadata", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::os::unix::fs::symlink("nowhere", d.join("l")).unwrap(),
                move |d| async move { fs::symlink_metadata(d.join("l")).await },
                move |what, _, out| {
                    if let Some(m) = out {
                        assert!(m.is_symlink(), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::try_exists (missing)", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |_| {},
                move |d| async move { fs::try_exists(d.join("missing")).await },
                move |what, _, out| assert_ne!(out, Some(true), "{what}"),
            )
        })
        .await;

        t.sweep("fs::canonicalize", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::create_dir(d.join("sub")).unwrap(),
                move |d| async move { fs::canonicalize(d.join("sub/../sub/.")).await },
                move |what, d, out| {
                    if let Some(p) = out {
                        assert_eq!(p, std::fs::canonicalize(d.join("sub")).unwrap(), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::read_link", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::os::unix::fs::symlink("target/of/link", d.join("l")).unwrap(),
                move |d| async move { fs::read_link(d.join("l")).await },
                move |what, _, out| {
                    if let Some(p) = out {
                        assert_eq!(p, Path::new("target/of/link"), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::rename", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("a"), data).unwrap(),
                move |d| async move { fs::rename(d.join("a"), d.join("b")).await },
                move |what, d, out| {
                    let (a, b) = (exists(&d.join("a")), exists(&d.join("b")));
                    assert!(a != b, "{what}: a exists: {a}, b exists: {b}");
                    assert!(out.is_none() || b, "{what}");
                    let left = if a { d.join("a") } else { d.join("b") };
                    assert!(std::fs::read(left).unwrap() == *data, "{what}");
                },
            )
        })
        .await;

        t.sweep("fs::remove_file", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("f"), b"x").unwrap(),
                move |d| async move { fs::remove_file(d.join("f")).await },
                move |what, d, out| {
                    let f = d.join("f");
                    assert!(out.is_none() || !exists(&f), "{what}");
                    if exists(&f) {
                        assert_eq!(std::fs::read(&f).unwrap(), b"x", "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::hard_link", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::write(d.join("a"), b"linked").unwrap(),
                move |d| async move { fs::hard_link(d.join("a"), d.join("b")).await },
                move |what, d, out| {
                    let b = d.join("b");
                    assert!(out.is_none() || exists(&b), "{what}");
                    if exists(&b) {
                        use std::os::unix::fs::MetadataExt;
                        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
                        assert_eq!(ino(&b), ino(&d.join("a")), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("fs::symlink", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |_| {},
                move |d| async move { fs::symlink("some/where", d.join("l")).await },
                move |what, d, out| {
                    let l = d.join("l");
                    assert!(out.is_none() || exists(&l), "{what}");
                    if exists(&l) {
                        assert_eq!(std::fs::read_link(&l).unwrap(), Path::new("some/where"));
                    }
                },
            )
        })
        .await;

        t.sweep("fs::set_permissions", |what, case| {
            use std::os::unix::fs::PermissionsExt;
            fs_case(
                what,
                case,
                &root,
                move |d| {
                    std::fs::write(d.join("f"), b"").unwrap();
                    let perm = std::fs::Permissions::from_mode(0o644);
                    std::fs::set_permissions(d.join("f"), perm).unwrap();
                },
                move |d| async move {
                    fs::set_permissions(d.join("f"), fs::Permissions::from_mode(0o600)).await
                },
                move |what, d, out| {
                    let mode = std::fs::metadata(d.join("f")).unwrap().permissions().mode();
                    let mode = mode & 0o777;
                    assert!(mode == 0o600 || (out.is_none() && mode == 0o644), "{what}");
                },
            )
        })
        .await;

        t.sweep("fs::create_dir", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |_| {},
                move |d| async move { fs::create_dir(d.join("new")).await },
                move |what, d, out| {
                    assert!(out.is_none() || d.join("new").is_dir(), "{what}");
                },
            )
        })
        .await;

        for (label, existing) in [
            ("fs::create_dir_all (5 levels new)", ""),
            ("fs::create_dir_all (2 of 5 exist)", "a/b"),
        ] {
            t.sweep(label, |what, case| {
                fs_case(
                    what,
                    case,
                    &root,
                    move |d| {
                        if !existing.is_empty() {
                            std::fs::create_dir_all(d.join(existing)).unwrap();
                        }
                    },
                    move |d| async move { fs::create_dir_all(d.join("a/b/c/d/e")).await },
                    move |what, d, out| {
                        let deep = d.join("a/b/c/d/e");
                        assert!(out.is_none() || deep.is_dir(), "{what}");
                        // Whatever the dropped call left, a new one finishes the job.
                        std::fs::create_dir_all(&deep).unwrap();
                    },
                )
            })
            .await;
        }

        t.sweep("fs::remove_dir", |what, case| {
            fs_case(
                what,
                case,
                &root,
                move |d| std::fs::create_dir(d.join("old")).unwrap(),
                move |d| async move { fs::remove_dir(d.join("old")).await },
                move |what, d, out| {
                    assert!(out.is_none() || !exists(&d.join("old")), "{what}");
                },
            )
        })
        .await;

        t.sweep(
            "fs::remove_dir_all (tree of 2 dirs, 3 files)",
            |what, case| {
                fs_case(
                    what,
                    case,
                    &root,
                    move |d| {
                        std::fs::create_dir_all(d.join("t/a/b")).unwrap();
                        for f in ["t/1", "t/a/2", "t/a/b/3"] {
                            std::fs::write(d.join(f), f).unwrap();
                        }
                    },
                    move |d| async move { fs::remove_dir_all(d.join("t")).await },
                    move |what, d, out| {
                        // Cancelled before it started, or run to its end.
                        let left = ["t", "t/1", "t/a", "t/a/2", "t/a/b", "t/a/b/3"]
                            .iter()
                            .filter(|p| exists(&d.join(p)))
                            .count();
                        assert!(
                            left == 0 || (out.is_none() && left == 6),
                            "{what}: {left} left"
                        );
                    },
                )
            },
        )
        .await;

        t.print();
    });
}

// ---------------------------------------------------------------------------------------
// fs: directories listed, File
// ---------------------------------------------------------------------------------------

/// Names and sizes of the directory listing made by [`list`].
type Listing = Vec<(String, u64)>;

/// Lists `dir` with read_dir, next_entry, and each entry's file_type and metadata.
async fn list(dir: PathBuf) -> io::Result<Listing> {
    let mut entries = fs::read_dir(&dir).await?;
    let mut out = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        assert!(entry.file_type().await?.is_file());
        let len = entry.metadata().await?.len();
        out.push((entry.file_name().into_string().unwrap(), len));
    }
    out.sort();
    Ok(out)
}

const ENTRIES: usize = 40; // more than one readdir batch (32)

fn make_entries(d: &Path) -> Listing {
    let mut all: Listing = (0..ENTRIES)
        .map(|i| (format!("e{i:02}"), i as u64))
        .collect();
    for (name, len) in &all {
        std::fs::write(d.join(name), vec![b'x'; *len as usize]).unwrap();
    }
    all.sort();
    all
}

/// A `File` case: `open` makes the file the operation works on (in a fresh dir), `op` runs
/// on it, and `after` checks the file's bytes once the `File` is closed.
async fn file_case<O, T, A>(
    what: String,
    case: Case,
    root: &TempDir,
    initial: &[u8],
    fd_delta: isize,
    op: O,
    after: A,
) -> bool
where
    O: for<'f> FnOnce(
        &'f mut Option<fs::File>,
    ) -> std::pin::Pin<Box<dyn Future<Output = io::Result<T>> + 'f>>,
    A: FnOnce(&str, Vec<u8>, Option<T>),
{
    case!(what, {
        let dir = fresh(root);
        let path = dir.join("f");
        std::fs::write(&path, initial).unwrap();
        let std_file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let mut file = Some(fs::File::from(std_file));
        let inner = Probe::take(what.clone());
        let d = drive(op(&mut file), case, &what).await;
        let completed = d.out.is_some();
        inner.settle(fd_delta).await;
        let out = d.out.map(|r| r.unwrap_or_else(|e| panic!("{what}: {e}")));
        drop(file); // a detached close, if the op left it
        inner.settle_requests().await;
        after(&what, std::fs::read(&path).unwrap(), out);
        std::fs::remove_dir_all(&dir).unwrap();
        (completed, d.counter)
    })
    .await
}

#[test]
fn fs_dirs_and_files() {
    serially(async {
        let root = TempDir::new("drop-every-await-file");
        let mut t = Tally::new("fs directories and File");
        let data = &pattern(300_000, 2);

        let root = &root;
        t.sweep(
            "read_dir + next_entry + file_type + metadata (40)",
            |what, case| {
                case!(what, {
                    let dir = fresh(root);
                    let all = make_entries(&dir);
                    let inner = Probe::take(what.clone());
                    let d = drive(list(dir.clone()), case, &what).await;
                    inner.settle(0).await;
                    if let Some(out) = &d.out {
                        assert!(out.as_ref().unwrap() == &all, "{what}: wrong listing");
                    }
                    std::fs::remove_dir_all(&dir).unwrap();
                    (d.out.is_some(), d.counter)
                })
            },
        )
        .await;

        t.sweep(
            "ReadDir::next_entry, then the listing goes on",
            |what, case| {
                case!(what, {
                    let dir = fresh(root);
                    let all = make_entries(&dir);
                    let mut entries = fs::read_dir(&dir).await.unwrap();
                    let inner = Probe::take(what.clone());
                    // Step through the first 33 entries (a second batch) as one operation.
                    let mut names = Vec::new();
                    let names_ref = &mut names;
                    let entries_ref = &mut entries;
                    let op = async move {
                        for _ in 0..33 {
                            let e = entries_ref.next_entry().await?.unwrap();
                            names_ref.push(e.file_name().into_string().unwrap());
                        }
                        io::Result::Ok(())
                    };
                    let d = drive(op, case, &what).await;
                    inner.settle_requests().await;
                    let completed = d.out.is_some();
                    // Drain: either the rest of the listing, or the documented error once a
                    // readdir request was dropped in flight; never a short listing as Ok.
                    let mut failed = false;
                    loop {
                        match entries.next_entry().await {
                            Ok(Some(e)) => names.push(e.file_name().into_string().unwrap()),
                            Ok(None) => break,
                            Err(err) => {
                                assert_eq!(err.kind(), io::ErrorKind::Other, "{what}: {err}");
                                assert!(!completed, "{what}: {err}");
                                failed = true;
                                break;
                            }
                        }
                    }
                    drop(entries);
                    // The directory is closed: at its end, or when a dropped readdir request
                    // called back (its entries are lost).
                    inner.assert_fds(-1);
                    names.sort();
                    let mut unique = names.clone();
                    unique.dedup();
                    assert_eq!(unique.len(), names.len(), "{what}: an entry came twice");
                    if !failed {
                        let want: Vec<_> = all.iter().map(|(n, _)| n.clone()).collect();
                        assert_eq!(names, want, "{what}: the listing ended short");
                    }
                    std::fs::remove_dir_all(&dir).unwrap();
                    (completed, d.counter)
                })
            },
        )
        .await;

        for (label, how) in [
            ("File::open", 0),
            ("File::create", 1),
            ("File::create_new", 2),
            ("OpenOptions::open (append)", 3),
        ] {
            t.sweep(label, |what, case| {
                fs_case(
                    what,
                    case,
                    root,
                    move |d| {
                        if how != 2 {
                            std::fs::write(d.join("f"), b"old").unwrap();
                        }
                    },
                    move |d| async move {
                        let f = d.join("f");
                        match how {
                            0 => fs::File::open(f).await,
                            1 => fs::File::create(f).await,
                            2 => fs::File::create_new(f).await,
                            _ => fs::OpenOptions::new().append(true).open(f).await,
                        }
                    },
                    move |what, _, out| {
                        // A completed open's File, closed by drop (a detached close).
                        drop(out);
                        let _ = what;
                    },
                )
            })
            .await;
        }

        t.sweep("File::read (64 kB buffer)", |what, case| {
            file_case(
                what,
                case,
                root,
                data,
                0,
                move |f| {
                    Box::pin(async move {
                        let (n, buf) = f
                            .as_mut()
                            .unwrap()
                            .read_owned(Vec::with_capacity(65536))
                            .await;
                        n.map(|n| (n, buf))
                    })
                },
                move |what, _, out| {
                    if let Some((n, buf)) = out {
                        assert!(n == buf.len() && buf == data[..n], "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("File::read_at", |what, case| {
            file_case(
                what,
                case,
                root,
                data,
                0,
                move |f| {
                    Box::pin(async move {
                        let (n, buf) = f
                            .as_ref()
                            .unwrap()
                            .read_at(Vec::with_capacity(1000), 5000)
                            .await;
                        n.map(|n| (n, buf))
                    })
                },
                move |what, _, out| {
                    if let Some((n, buf)) = out {
                        assert!(n == 1000 && buf == data[5000..6000], "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("File::read_to_end (300 kB)", |what, case| {
            file_case(
                what,
                case,
                root,
                data,
                0,
                move |f| {
                    Box::pin(async move {
                        let (n, buf) = f.as_mut().unwrap().read_to_end_owned(Vec::new()).await;
                        n.map(|n| (n, buf))
                    })
                },
                move |what, _, out| {
                    if let Some((n, buf)) = out {
                        assert!(n == data.len() && buf == *data, "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("File::write", |what, case| {
            let written = data.clone();
            file_case(
                what,
                case,
                root,
                b"",
                0,
                move |f| Box::pin(async move { f.as_mut().unwrap().write_owned(written).await.0 }),
                move |what, got, out| {
                    assert_prefix(what, &got, data);
                    if let Some(n) = out {
                        assert_eq!(got.len(), n, "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("File::write_at", |what, case| {
            let written = data[..1000].to_vec();
            file_case(
                what,
                case,
                root,
                &[0; 3000],
                0,
                move |f| {
                    Box::pin(async move { f.as_ref().unwrap().write_at(written, 1000).await.0 })
                },
                move |what, got, out| {
                    assert_eq!(got.len(), 3000, "{what}");
                    assert!(
                        got[..1000].iter().chain(&got[2000..]).all(|&b| b == 0),
                        "{what}"
                    );
                    let mid = &got[1000..2000];
                    assert!(
                        mid == &data[..1000] || (out.is_none() && mid.iter().all(|&b| b == 0)),
                        "{what}: the range is neither written nor untouched"
                    );
                },
            )
        })
        .await;

        t.sweep("File::write_all (300 kB)", |what, case| {
            let written = data.clone();
            file_case(
                what,
                case,
                root,
                b"",
                0,
                move |f| {
                    Box::pin(async move { f.as_mut().unwrap().write_all_owned(written).await.0 })
                },
                move |what, got, out| {
                    assert_prefix(what, &got, data);
                    assert!(out.is_none() || got == *data, "{what}");
                },
            )
        })
        .await;

        t.sweep("File::metadata", |what, case| {
            file_case(
                what,
                case,
                root,
                &[7; 77],
                0,
                move |f| Box::pin(async move { f.as_ref().unwrap().metadata().await }),
                move |what, _, out| {
                    if let Some(m) = out {
                        assert_eq!(m.len(), 77, "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("File::set_len", |what, case| {
            file_case(
                what,
                case,
                root,
                &[7; 77],
                0,
                move |f| Box::pin(async move { f.as_ref().unwrap().set_len(10).await }),
                move |what, got, out| {
                    assert!(
                        got == [7; 10] || (out.is_none() && got == [7; 77]),
                        "{what}"
                    );
                },
            )
        })
        .await;

        t.sweep("File::set_permissions", |what, case| {
            file_case(
                what,
                case,
                root,
                b"",
                0,
                move |f| {
                    Box::pin(async move {
                        let perm = fs::Permissions::from_mode(0o640);
                        f.as_ref().unwrap().set_permissions(perm).await
                    })
                },
                move |_, _, _| {},
            )
        })
        .await;

        t.sweep("File::sync_all", |what, case| {
            file_case(
                what,
                case,
                root,
                b"synced",
                0,
                move |f| Box::pin(async move { f.as_ref().unwrap().sync_all().await }),
                move |_, _, _| {},
            )
        })
        .await;

        t.sweep("File::sync_data", |what, case| {
            file_case(
                what,
                case,
                root,
                b"synced",
                0,
                move |f| Box::pin(async move { f.as_ref().unwrap().sync_data().await }),
                move |_, _, _| {},
            )
        })
        .await;

        t.sweep("File::close", |what, case| {
            file_case(
                what,
                case,
                root,
                b"closed",
                -1, // dropped or not, the file is gone: its fd is closed
                move |f| {
                    // Moved into the future: dropped unpolled, it drops (and closes) the file.
                    let file = f.take().unwrap();
                    Box::pin(async move { file.close().await })
                },
                move |what, got, _| assert_eq!(got, b"closed", "{what}"),
            )
        })
        .await;

        t.sweep("timeout(fs::read) (deadline far)", |what, case| {
            fs_case(
                what,
                case,
                root,
                move |d| std::fs::write(d.join("f"), data).unwrap(),
                move |d| async move {
                    uvco::time::timeout(PATIENCE, fs::read(d.join("f")))
                        .await
                        .map_err(io::Error::from)?
                },
                move |what, _, out| {
                    if let Some(got) = out {
                        assert!(got == *data, "{what}");
                    }
                },
            )
        })
        .await;

        t.print();
    });
}

// ---------------------------------------------------------------------------------------
// dns, time, task
// ---------------------------------------------------------------------------------------

/// A case whose operation touches no fixture: only leaks and the output are checked. The
/// operation is made after the probe: some submit when called, not when first polled
/// (`spawn_blocking`).
async fn plain_case<M, Fut, T, A>(what: String, case: Case, make: M, after: A) -> bool
where
    M: FnOnce() -> Fut,
    Fut: Future<Output = T>,
    A: FnOnce(&str, Option<T>),
{
    case!(what, {
        let inner = Probe::take(what.clone());
        let d = drive(make(), case, &what).await;
        let completed = d.out.is_some();
        inner.settle_if_dropped(completed, 0).await;
        after(&what, d.out);
        (completed, d.counter)
    })
    .await
}

#[test]
fn dns_time_and_tasks() {
    serially(async {
        let mut t = Tally::new("dns, time and tasks");
        let root = TempDir::new("drop-every-await-task");
        std::fs::write(root.join("f"), b"task").unwrap();

        t.sweep("dns::lookup(\"localhost\")", |what, case| {
            plain_case(
                what,
                case,
                || uvco::dns::lookup("localhost", 80),
                |what, out| {
                    if let Some(addrs) = out {
                        let addrs = addrs.unwrap();
                        assert!(!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()));
                        let _ = what;
                    }
                },
            )
        })
        .await;

        t.sweep("dns::lookup(\"127.0.0.1\")", |what, case| {
            plain_case(
                what,
                case,
                || uvco::dns::lookup("127.0.0.1", 80),
                |what, out| {
                    if let Some(addrs) = out {
                        let want: SocketAddr = "127.0.0.1:80".parse().unwrap();
                        assert_eq!(addrs.unwrap(), vec![want], "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("dns::lookup_addr(127.0.0.1)", |what, case| {
            let op = || uvco::dns::lookup_addr("127.0.0.1".parse().unwrap());
            plain_case(what, case, op, |what, out| {
                if let Some(name) = out {
                    assert!(!name.unwrap().is_empty(), "{what}");
                }
            })
        })
        .await;

        t.sweep("time::sleep(3 ms)", |what, case| {
            let start = Instant::now();
            plain_case(
                what,
                case,
                || uvco::time::sleep(Duration::from_millis(3)),
                move |what, out| {
                    if out.is_some() {
                        assert!(start.elapsed() >= Duration::from_millis(2), "{what}");
                    }
                },
            )
        })
        .await;

        t.sweep("time::timeout(30 ms, sleep(2 ms))", |what, case| {
            let op = || {
                uvco::time::timeout(
                    Duration::from_millis(30),
                    uvco::time::sleep(Duration::from_millis(2)),
                )
            };
            plain_case(what, case, op, |what, out| {
                assert!(out.is_none_or(|r| r.is_ok()), "{what}");
            })
        })
        .await;

        t.sweep("time::timeout(2 ms, sleep(10 s))", |what, case| {
            let op = || {
                uvco::time::timeout(
                    Duration::from_millis(2),
                    uvco::time::sleep(Duration::from_secs(10)),
                )
            };
            plain_case(what, case, op, |what, out| {
                assert!(out.is_none_or(|r| r.is_err()), "{what}");
            })
        })
        .await;

        t.sweep("time::interval(2 ms), 3 ticks", |what, case| {
            let op = || async {
                let mut every = uvco::time::interval(Duration::from_millis(2));
                for _ in 0..3 {
                    every.tick().await;
                }
            };
            plain_case(what, case, op, |_, _| {})
        })
        .await;

        t.sweep("task::yield_now", |what, case| {
            plain_case(what, case, yield_now, |_, _| {})
        })
        .await;

        t.sweep("task::spawn_blocking", |what, case| {
            let ran = Arc::new(AtomicBool::new(false));
            let flag = ran.clone();
            let op = move || {
                uvco::task::spawn_blocking(move || {
                    std::thread::sleep(Duration::from_millis(1));
                    flag.store(true, Ordering::SeqCst);
                    42
                })
            };
            plain_case(what, case, op, move |what, out| {
                if let Some(v) = out {
                    assert_eq!(v.unwrap(), 42, "{what}");
                    assert!(ran.load(Ordering::SeqCst), "{what}");
                }
            })
        })
        .await;

        t.sweep(
            "spawn_local(sleep, fs::read) awaited by JoinHandle",
            |what, case| {
                let path = root.join("f");
                let op = move || async move {
                    uvco::spawn_local(async move {
                        uvco::time::sleep(Duration::from_millis(1)).await;
                        fs::read(path).await
                    })
                    .await
                };
                plain_case(what, case, op, |what, out| {
                    if let Some(r) = out {
                        assert_eq!(r.unwrap().unwrap(), b"task", "{what}");
                    }
                })
            },
        )
        .await;

        t.print();
    });
}

// ---------------------------------------------------------------------------------------
// Streams: TCP and Unix sockets
// ---------------------------------------------------------------------------------------

/// What the stream cases need of a uvco stream type.
trait Conn: Sized + futures_io::AsyncWrite + Unpin {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    async fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    async fn shutdown(&mut self) -> io::Result<()>;
}

impl Conn for uvco::net::TcpStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        uvco::net::TcpStream::read(self, buf).await
    }
    async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        uvco::net::TcpStream::write_all(self, buf).await
    }
    async fn shutdown(&mut self) -> io::Result<()> {
        uvco::net::TcpStream::shutdown(self).await
    }
}

impl Conn for uvco::net::UnixStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        uvco::net::UnixStream::read(self, buf).await
    }
    async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        uvco::net::UnixStream::write_all(self, buf).await
    }
    async fn shutdown(&mut self) -> io::Result<()> {
        uvco::net::UnixStream::shutdown(self).await
    }
}

/// The std peer of a stream: a TCP or Unix socket, used from a thread.
trait Peer: Read + Write + Send + 'static {
    fn shut_write(&self);
}

impl Peer for std::net::TcpStream {
    fn shut_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

impl Peer for std::os::unix::net::UnixStream {
    fn shut_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

/// How to make connected pairs of one stream family.
trait Family {
    type Conn: Conn;
    type Peer: Peer;
    /// A uvco stream connected to a std peer.
    async fn pair(dir: &Path) -> (Self::Conn, Self::Peer);
}

struct Tcp;
struct Unix;

impl Family for Tcp {
    type Conn = uvco::net::TcpStream;
    type Peer = std::net::TcpStream;
    async fn pair(_: &Path) -> (Self::Conn, Self::Peer) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let conn = uvco::net::TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (peer, _) = listener.accept().unwrap();
        (conn, peer)
    }
}

impl Family for Unix {
    type Conn = uvco::net::UnixStream;
    type Peer = std::os::unix::net::UnixStream;
    async fn pair(dir: &Path) -> (Self::Conn, Self::Peer) {
        let path = dir.join("s");
        let _ = std::fs::remove_file(&path);
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let conn = uvco::net::UnixStream::connect(&path).await.unwrap();
        let (peer, _) = listener.accept().unwrap();
        std::fs::remove_file(&path).unwrap();
        (conn, peer)
    }
}

const READ_TOTAL: usize = 64 * 1024;
const CHUNK: usize = 4096;
const WRITES: usize = 4;
const WRITE_LEN: usize = 2 * 1024 * 1024;

/// Reads `total` bytes into `got`, a read at a time.
async fn read_into<C: Conn>(conn: &mut C, got: &RefCell<Vec<u8>>, total: usize) -> io::Result<()> {
    let mut buf = vec![0; 8192];
    while got.borrow().len() < total {
        let n = conn.read(&mut buf).await?;
        assert!(n > 0, "EOF before {total} bytes");
        got.borrow_mut().extend_from_slice(&buf[..n]);
    }
    Ok(())
}

/// The peer reads until EOF, slowly (64 kB, then a pause), so that the kernel's buffers
/// fill and writes queue in libuv; it returns what it read.
fn reading_peer<P: Peer>(mut peer: P) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = vec![0; 64 * 1024];
        loop {
            std::thread::sleep(Duration::from_micros(200));
            match peer.read(&mut buf) {
                Ok(0) => return got,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => panic!("peer: {err}"),
            }
        }
    })
}

/// The messages of the write cases, each recognisable.
fn messages() -> Vec<Vec<u8>> {
    (0..WRITES)
        .map(|i| pattern(WRITE_LEN, 10 + i as u8))
        .collect()
}

async fn stream_cases<F: Family>(t: &mut Tally, label: &str, root: &TempDir) {
    let sent = &pattern(READ_TOTAL, 3);

    t.sweep(
        &format!("{label} read, 64 kB in 16 chunks"),
        |what, case| {
            case!(what, {
                let dir = fresh(root);
                let (mut conn, peer) = F::pair(&dir).await;
                let chunks = sent.clone();
                let writer = std::thread::spawn(move || {
                    let mut peer = peer;
                    for chunk in chunks.chunks(CHUNK) {
                        peer.write_all(chunk).unwrap();
                        std::thread::sleep(Duration::from_micros(300));
                    }
                    peer // kept open until the reader is done
                });
                let got = RefCell::new(Vec::new());
                let inner = Probe::take(what.clone());
                let d = drive(read_into(&mut conn, &got, READ_TOTAL), case, &what).await;
                inner.settle(0).await;
                let completed = d.out.is_some();
                // Dropped reads lose nothing: the rest arrives, exactly.
                read_into(&mut conn, &got, READ_TOTAL).await.unwrap();
                assert!(
                    *got.borrow() == *sent,
                    "{what}: bytes lost, doubled or corrupt"
                );
                let peer = writer.join().unwrap();
                drop(peer);
                let mut buf = [0; 16];
                assert_eq!(
                    conn.read(&mut buf).await.unwrap(),
                    0,
                    "{what}: more than sent"
                );
                drop(conn);
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        },
    )
    .await;

    t.sweep(
        &format!("{label} write_all x4 (2 MiB each), then more"),
        move |what, case| {
            case!(what, {
                let dir = fresh(root);
                let (mut conn, peer) = F::pair(&dir).await;
                let reader = reading_peer(peer);
                let msgs = messages();
                let started = std::cell::Cell::new(0);
                let inner = Probe::take(what.clone());
                let op = async {
                    for m in &msgs {
                        started.set(started.get() + 1);
                        conn.write_all(m).await?;
                    }
                    io::Result::Ok(())
                };
                let d = drive(op, case, &what).await;
                inner.settle(0).await;
                let completed = d.out.is_some();
                if let Some(r) = d.out {
                    r.unwrap();
                }
                // The stream goes on: a last message, then EOF.
                let last = pattern(1000, 99);
                conn.write_all(&last).await.unwrap();
                conn.shutdown().await.unwrap();
                let got = reader.join().unwrap();
                // A whole number of the messages, in order, then the last one. A write_all
                // that was polled lets its request finish in order when dropped.
                let k = (got.len() - last.len()) / WRITE_LEN;
                assert_eq!(
                    got.len(),
                    k * WRITE_LEN + last.len(),
                    "{what}: a partial message"
                );
                assert!(k <= WRITES, "{what}");
                for (i, m) in msgs.iter().take(k).enumerate() {
                    let at = i * WRITE_LEN;
                    assert!(
                        got[at..at + WRITE_LEN] == m[..],
                        "{what}: message {i} corrupt"
                    );
                }
                assert!(
                    got[k * WRITE_LEN..] == last[..],
                    "{what}: the last message corrupt"
                );
                assert_eq!(
                    k,
                    started.get(),
                    "{what}: {k} messages of {} started",
                    started.get()
                );
                drop(conn);
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        },
    )
    .await;

    t.sweep(
        &format!("{label} write_all x4, then the stream dropped"),
        move |what, case| {
            case!(what, {
                let dir = fresh(root);
                let (mut conn, peer) = F::pair(&dir).await;
                let reader = reading_peer(peer);
                let msgs = messages();
                let done = std::cell::Cell::new(0);
                let inner = Probe::take(what.clone());
                let op = async {
                    for m in &msgs {
                        conn.write_all(m).await?;
                        done.set(done.get() + 1);
                    }
                    io::Result::Ok(())
                };
                let d = drive(op, case, &what).await;
                let completed = d.out.is_some();
                drop(conn); // a queued write is cancelled; what was written stays
                inner.settle_requests().await;
                let got = reader.join().unwrap();
                inner.assert_fds(-2); // the stream's and the peer's
                let all: Vec<u8> = msgs.concat();
                assert_prefix(&what, &got, &all);
                assert!(
                    got.len() >= done.get() * WRITE_LEN,
                    "{what}: completed writes lost"
                );
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        },
    )
    .await;

    t.sweep(
        &format!("{label} AsyncWrite::poll_write x4 + poll_flush, then more"),
        |what, case| {
            case!(what, {
                let dir = fresh(root);
                let (mut conn, peer) = F::pair(&dir).await;
                let reader = reading_peer(peer);
                let msgs = messages();
                let accepted = std::cell::Cell::new(0);
                let inner = Probe::take(what.clone());
                let op = async {
                    use futures_io::AsyncWrite;
                    for m in &msgs {
                        let mut at = 0;
                        while at < m.len() {
                            let n = poll_fn(|cx| {
                                std::pin::Pin::new(&mut conn).poll_write(cx, &m[at..])
                            })
                            .await?;
                            at += n;
                            accepted.set(accepted.get() + n);
                        }
                    }
                    poll_fn(|cx| std::pin::Pin::new(&mut conn).poll_flush(cx)).await
                };
                let d = drive(op, case, &what).await;
                inner.settle(0).await;
                let completed = d.out.is_some();
                if let Some(r) = d.out {
                    r.unwrap();
                }
                let last = pattern(1000, 98);
                conn.write_all(&last).await.unwrap();
                conn.shutdown().await.unwrap();
                let got = reader.join().unwrap();
                // Exactly the bytes poll_write reported written, in order, then the last.
                let all: Vec<u8> = msgs.concat();
                let n = accepted.get();
                assert_eq!(
                    got.len(),
                    n + last.len(),
                    "{what}: {n} bytes reported written"
                );
                assert!(got[..n] == all[..n], "{what}: written bytes corrupt");
                assert!(got[n..] == last[..], "{what}: the last message corrupt");
                drop(conn);
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        },
    )
    .await;

    t.sweep(&format!("{label} shutdown"), |what, case| {
        case!(what, {
            let dir = fresh(root);
            let (mut conn, peer) = F::pair(&dir).await;
            let reader = reading_peer(peer);
            conn.write_all(b"before shutdown").await.unwrap();
            let inner = Probe::take(what.clone());
            let d = drive(conn.shutdown(), case, &what).await;
            // A shutdown polled once goes on when dropped: the peer may see EOF and close
            // its socket any time now, so only the end checks the fds.
            inner.settle_requests().await;
            let completed = d.out.is_some();
            if let Some(r) = d.out {
                r.unwrap();
            }
            drop(conn);
            assert_eq!(reader.join().unwrap(), b"before shutdown", "{what}");
            std::fs::remove_dir_all(&dir).unwrap();
            (completed, d.counter)
        })
    })
    .await;
}

/// A peer that connects (before this returns, so that its fd is in the case's baseline),
/// sends its tag, and reads until the other side closes.
fn tagging_peer<P: Peer>(
    connect: impl FnOnce() -> P + Send + 'static,
    tag: &'static [u8],
) -> std::thread::JoinHandle<()> {
    let (connected, wait) = std::sync::mpsc::channel();
    let peer = std::thread::spawn(move || {
        let mut peer = connect();
        connected.send(()).unwrap();
        peer.write_all(tag).unwrap();
        peer.shut_write();
        let mut rest = Vec::new();
        let _ = peer.read_to_end(&mut rest);
    });
    wait.recv().unwrap();
    peer
}

/// Reads what a tagging peer sent, up to its EOF.
async fn read_tag<C: Conn>(conn: &mut C) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0; 64];
    loop {
        let n = conn.read(&mut buf).await.unwrap();
        if n == 0 {
            return got;
        }
        got.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn tcp_streams() {
    serially(async {
        let root = TempDir::new("drop-every-await-tcp");
        let mut t = Tally::new("TCP");

        t.sweep("TcpStream::connect", |what, case| {
            case!(what, {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = listener.local_addr().unwrap();
                let inner = Probe::take(what.clone());
                let d = drive(uvco::net::TcpStream::connect(addr), case, &what).await;
                inner.settle(if d.out.is_some() { 1 } else { 0 }).await;
                let completed = d.out.is_some();
                if let Some(conn) = d.out {
                    let conn = conn.unwrap();
                    assert_eq!(conn.peer_addr().unwrap(), addr, "{what}");
                }
                drop(listener);
                (completed, d.counter)
            })
        })
        .await;

        t.sweep("TcpStream::connect (refused)", |what, case| {
            case!(what, {
                let addr = std::net::TcpListener::bind("127.0.0.1:0")
                    .unwrap()
                    .local_addr()
                    .unwrap();
                let inner = Probe::take(what.clone());
                let d = drive(uvco::net::TcpStream::connect(addr), case, &what).await;
                inner.settle(0).await;
                let completed = d.out.is_some();
                if let Some(r) = d.out {
                    let err = r.unwrap_err();
                    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused, "{what}");
                }
                (completed, d.counter)
            })
        })
        .await;

        t.sweep("TcpListener::accept", |what, case| {
            case!(what, {
                let listener = uvco::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = listener.local_addr().unwrap();
                let peer = tagging_peer(
                    move || std::net::TcpStream::connect(addr).unwrap(),
                    b"tcp-tag",
                );
                let inner = Probe::take(what.clone());
                let d = drive(listener.accept(), case, &what).await;
                let completed = d.out.is_some();
                // A dropped accept takes no connection: the next one gets the peer's.
                let mut conn = match d.out {
                    Some(r) => r.unwrap().0,
                    None => {
                        // libuv may hold the connection's fd already (accepted, reported,
                        // not yet taken by uv_accept): the listener's, not a leak.
                        inner.settle_requests().await;
                        let next = uvco::time::timeout(PATIENCE, listener.accept()).await;
                        next.expect("the connection was lost").unwrap().0
                    }
                };
                inner.assert_fds(1);
                assert_eq!(read_tag(&mut conn).await, b"tcp-tag", "{what}");
                drop(conn);
                peer.join().unwrap();
                drop(listener);
                (completed, d.counter)
            })
        })
        .await;

        stream_cases::<Tcp>(&mut t, "TcpStream", &root).await;

        t.print();
    });
}

#[test]
fn unix_streams() {
    serially(async {
        let root = TempDir::new("drop-every-await-unix");
        let mut t = Tally::new("Unix sockets");

        t.sweep("UnixStream::connect", |what, case| {
            let root = &root;
            case!(what, {
                let dir = fresh(root);
                let path = dir.join("s");
                let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
                let inner = Probe::take(what.clone());
                let d = drive(uvco::net::UnixStream::connect(&path), case, &what).await;
                inner.settle(if d.out.is_some() { 1 } else { 0 }).await;
                let completed = d.out.is_some();
                if let Some(conn) = d.out {
                    assert_eq!(conn.unwrap().peer_addr().unwrap(), path, "{what}");
                }
                drop(listener);
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        })
        .await;

        t.sweep("UnixListener::accept", |what, case| {
            let root = &root;
            case!(what, {
                let dir = fresh(root);
                let path = dir.join("s");
                let listener = uvco::net::UnixListener::bind(&path).unwrap();
                let to = path.clone();
                let peer = tagging_peer(
                    move || std::os::unix::net::UnixStream::connect(to).unwrap(),
                    b"unix-tag",
                );
                let inner = Probe::take(what.clone());
                let d = drive(listener.accept(), case, &what).await;
                let completed = d.out.is_some();
                let mut conn = match d.out {
                    Some(r) => r.unwrap(),
                    None => {
                        inner.settle_requests().await; // as for TCP
                        let next = uvco::time::timeout(PATIENCE, listener.accept()).await;
                        next.expect("the connection was lost").unwrap()
                    }
                };
                inner.assert_fds(1);
                assert_eq!(read_tag(&mut conn).await, b"unix-tag", "{what}");
                drop(conn);
                peer.join().unwrap();
                drop(listener);
                std::fs::remove_dir_all(&dir).unwrap();
                (completed, d.counter)
            })
        })
        .await;

        stream_cases::<Unix>(&mut t, "UnixStream", &root).await;

        t.print();
    });
}

// ---------------------------------------------------------------------------------------
// UDP
// ---------------------------------------------------------------------------------------

#[test]
fn udp_sockets() {
    serially(async {
        let mut t = Tally::new("UDP");

        t.sweep("UdpSocket::send_to", |what, case| {
            case!(what, {
                let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                let sock = uvco::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                let msg = pattern(1200, 5);
                let inner = Probe::take(what.clone());
                let d = drive(sock.send_to(&msg, peer.local_addr().unwrap()), case, &what).await;
                inner.settle(0).await;
                let completed = d.out.is_some();
                if let Some(n) = d.out {
                    assert_eq!(n.unwrap(), msg.len(), "{what}");
                }
                // The datagram arrived whole, or (dropped before it was sent) not at all.
                peer.set_read_timeout(Some(Duration::from_millis(if completed {
                    5000
                } else {
                    20
                })))
                .unwrap();
                let mut buf = [0; 2000];
                match peer.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        assert!(buf[..n] == msg[..], "{what}: datagram corrupt");
                        assert_eq!(from, sock.local_addr().unwrap(), "{what}");
                    }
                    Err(_) => assert!(!completed, "{what}: sent, not received"),
                }
                drop(sock);
                (completed, d.counter)
            })
        })
        .await;

        t.sweep("UdpSocket::recv_from", |what, case| {
            case!(what, {
                let sock = uvco::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                let to = sock.local_addr().unwrap();
                let msg = pattern(1200, 6);
                let sent = msg.clone();
                let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                let sender = std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(1));
                    peer.send_to(&sent, to).unwrap();
                    (peer.local_addr().unwrap(), peer)
                });
                let mut buf = vec![0; 2000];
                let inner = Probe::take(what.clone());
                let d = drive(sock.recv_from(&mut buf), case, &what).await;
                let completed = d.out.is_some();
                let (from, peer) = sender.join().unwrap();
                inner.settle(0).await;
                drop(peer);
                // A dropped receive loses nothing: the datagram is kept for the next one.
                let (n, got_from) = match d.out {
                    Some(r) => r.unwrap(),
                    None => uvco::time::timeout(PATIENCE, sock.recv_from(&mut buf))
                        .await
                        .expect("the datagram was lost")
                        .unwrap(),
                };
                assert!(buf[..n] == msg[..], "{what}: datagram corrupt");
                assert_eq!(got_from, from, "{what}");
                drop(sock);
                (completed, d.counter)
            })
        })
        .await;

        t.print();
    });
}
