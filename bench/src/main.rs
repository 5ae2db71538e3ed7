//! uvco's benchmark harness: raw libuv callbacks vs uvco vs tokio current_thread, measured
//! in one process run, interleaved and repeated.
//!
//! ```text
//! cargo run --release -p uvco-bench                 # the whole table, under 5 minutes
//! cargo run --release -p uvco-bench -- --quick      # a ~20 s smoke run
//! cargo run --release -p uvco-bench -- fs_stat tcp  # only rows whose name contains a word
//! ```
//! Options: `--quick`, `--rounds N`, `--sample-ms N`, `--mem-n N`, `--no-memory`, `--no-table`,
//! `--pin CPU` (run every thread on one CPU), `--variant LABEL` (only
//! that variant, e.g. for a profiler), `--iters N` (run each selected variant once, N
//! operations after one warm-up, and print nothing else: for instruction counts, the
//! difference of two runs under callgrind; `scripts/bench-instructions.sh` does this),
//! `--exact` (NAMEs match whole row names), `--list` (print each selected row's variant
//! labels), `--io-uring` (add the fs rows on a loop configured
//! with `UV_LOOP_USE_IO_URING_SQPOLL`; its SQPOLL kernel thread spins a CPU while busy, so
//! these rows run apart from the threadpool rows).

use uvco_bench::{await_floor, counting, harness, memory, raw, tokio_ops, uvco_ops};

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use harness::{paired_ratio, Config, Row, RowResult, Unit, Variant};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const WIDE: usize = 64;
const FILE_SIZE: usize = 4096;
const STREAM_CHUNK: usize = 64 * 1024;

struct Args {
    quick: bool,
    rounds: Option<usize>,
    sample_ms: Option<u64>,
    mem_n: Option<usize>,
    memory: bool,
    table: bool,
    io_uring: bool,
    pin: Option<usize>,
    iters: Option<u64>,
    variants: Vec<String>,
    filters: Vec<String>,
    exact: bool,
    list: bool,
}

fn parse_args() -> Args {
    let mut a = Args {
        quick: false,
        rounds: None,
        sample_ms: None,
        mem_n: None,
        memory: true,
        table: true,
        io_uring: false,
        pin: None,
        iters: None,
        variants: vec![],
        filters: vec![],
        exact: false,
        list: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = |name: &str| -> u64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--rounds" => a.rounds = Some(num("--rounds") as usize),
            "--sample-ms" => a.sample_ms = Some(num("--sample-ms")),
            "--mem-n" => a.mem_n = Some(num("--mem-n") as usize),
            "--no-memory" => a.memory = false,
            "--io-uring" => a.io_uring = true,
            "--variant" => a.variants.push(it.next().expect("--variant takes a label")),
            "--pin" => a.pin = Some(num("--pin") as usize),
            "--iters" => a.iters = Some(num("--iters")),
            "--no-table" => a.table = false,
            "--exact" => a.exact = true,
            "--list" => a.list = true,
            "--bench" => {} // passed by `cargo bench`-style runners
            "-h" | "--help" => {
                println!("usage: uvco-bench [--quick] [--rounds N] [--sample-ms N] [--mem-n N] [--no-memory] [--no-table] [--pin CPU] [--io-uring] [--iters N] [--variant LABEL]... [--exact] [--list] [NAME...]");
                std::process::exit(0);
            }
            s if s.starts_with('-') => panic!("unknown option {s}"),
            s => a.filters.push(s.to_owned()),
        }
    }
    a
}

fn machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown".to_owned(), |s| s.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    // SAFETY: uv_version_string returns a static string.
    let uv = unsafe { CStr::from_ptr(libuv_sys2::uv_version_string()) };
    println!(
        "machine: {model}, {cores} cores available, Linux {}",
        kernel.trim()
    );
    println!(
        "libuv {} (threadpool: UV_THREADPOOL_SIZE={}), tokio 1.x current_thread + LocalSet (blocking pool: default, up to 512 threads)",
        uv.to_string_lossy(),
        std::env::var("UV_THREADPOOL_SIZE").unwrap_or_else(|_| "4 (default)".into())
    );
}

struct Fixture {
    dir: PathBuf,
    file: PathBuf,
    file_c: CString,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = std::env::temp_dir().join(format!("uvco-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("file-4k");
        std::fs::write(&file, vec![b'x'; FILE_SIZE]).expect("fixture file");
        let file_c = CString::new(file.as_os_str().as_bytes()).unwrap();
        Fixture { dir, file, file_c }
    }

    /// A tree of `WALK_DIRS` directories of `WALK_FILES / WALK_DIRS` empty files each,
    /// made when a walk row first needs it.
    fn tree(&self) -> PathBuf {
        let root = self.dir.join("tree");
        if !root.exists() {
            for d in 0..WALK_DIRS {
                let sub = root.join(format!("d{d:02}"));
                std::fs::create_dir_all(&sub).expect("tree dir");
                for f in 0..WALK_FILES / WALK_DIRS {
                    std::fs::File::create(sub.join(format!("f{f:04}"))).expect("tree file");
                }
            }
        }
        root
    }
}

/// The directory walk: 20 directories of 1000 files.
const WALK_DIRS: usize = 20;
const WALK_FILES: usize = 20_000;

/// The plain single-threaded std walk the uvco ones are held against: `read_dir` and each
/// entry's `metadata()` (fstatat on the directory's fd), depth first.
fn std_walk(root: &Path) -> impl FnMut(u64) {
    fn walk(dir: &Path) -> u64 {
        let mut sum = 0;
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            sum += meta.len();
            if meta.is_dir() {
                sum += walk(&entry.path());
            }
        }
        sum
    }
    let root = root.to_owned();
    move |n| {
        for _ in 0..n {
            std::hint::black_box(walk(&root));
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Every row, built lazily (building one sets up its loops, runtimes and sockets).
/// A row's name and how to build it.
type RowBuilder<'a> = (&'static str, Box<dyn FnOnce() -> Row + 'a>);

fn rows(fx: &Fixture) -> Vec<RowBuilder<'_>> {
    let path: &Path = &fx.file;
    let cpath: &CStr = &fx.file_c;
    vec![
        (
            "fs_stat",
            Box::new(move || Row {
                name: "fs_stat",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::fs_stat(&raw::Loop::new(), cpath, 1)),
                    Variant::new(
                        "await floor",
                        await_floor::fs_stat(&raw::Loop::new(), cpath),
                    ),
                    Variant::new(
                        "uvco",
                        uvco_ops::fs_stat(uvco_ops::fs_runtime(false), cpath),
                    ),
                    Variant::new(
                        "uvco callback",
                        uvco_ops::fs_stat_callback(uvco_ops::fs_runtime(false), cpath),
                    ),
                    Variant::new("uvco fs::metadata", uvco_ops::fs_metadata(path)),
                    Variant::new("tokio", tokio_ops::fs_stat(path)),
                ],
            }),
        ),
        (
            "fs_stat_x64",
            Box::new(move || Row {
                name: "fs_stat_x64",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::fs_stat(&raw::Loop::new(), cpath, WIDE)),
                    Variant::new(
                        "await floor",
                        await_floor::fs_stat_wide(&raw::Loop::new(), cpath, WIDE),
                    ),
                    Variant::new(
                        "uvco",
                        uvco_ops::fs_stat_wide(uvco_ops::fs_runtime(false), cpath, WIDE),
                    ),
                    Variant::new("uvco fs::metadata", uvco_ops::fs_metadata_wide(path, WIDE)),
                    Variant::new("tokio", tokio_ops::fs_stat_wide(path, WIDE)),
                ],
            }),
        ),
        (
            "readfile_4k",
            Box::new(move || Row {
                name: "readfile_4k",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new(
                        "raw",
                        raw::readfile(&raw::Loop::new(), cpath, FILE_SIZE * 2),
                    ),
                    Variant::new(
                        "await floor",
                        await_floor::readfile(&raw::Loop::new(), cpath, FILE_SIZE * 2),
                    ),
                    Variant::new(
                        "uvco",
                        uvco_ops::readfile(uvco_ops::fs_runtime(false), cpath, FILE_SIZE * 2),
                    ),
                    Variant::new("uvco fs::read", uvco_ops::fs_read(path)),
                    Variant::new("tokio", tokio_ops::readfile(path)),
                ],
            }),
        ),
        (
            "writefile_4k",
            Box::new(move || {
                let out = fx.dir.join("written-4k");
                let data = vec![b'w'; FILE_SIZE];
                Row {
                    name: "writefile_4k",
                    unit: Unit::Ops,
                    max_iters: u64::MAX,
                    variants: vec![
                        Variant::new("uvco fs::write", uvco_ops::fs_write(&out, &data)),
                        Variant::new("tokio", tokio_ops::writefile(&out, &data)),
                    ],
                }
            }),
        ),
        (
            "walk_20k",
            Box::new(move || {
                let tree = fx.tree();
                Row {
                    name: "walk_20k",
                    unit: Unit::Ops,
                    max_iters: u64::MAX,
                    variants: vec![
                        Variant::new("std", std_walk(&tree)),
                        Variant::new("uvco read_dir_metadata", uvco_ops::walk(&tree, true)),
                        Variant::new("uvco read_dir", uvco_ops::walk(&tree, false)),
                        Variant::new("tokio", tokio_ops::walk(&tree)),
                    ],
                }
            }),
        ),
        (
            "getaddrinfo",
            Box::new(|| Row {
                name: "getaddrinfo",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::getaddrinfo(&raw::Loop::new(), c"localhost")),
                    Variant::new("uvco", uvco_ops::getaddrinfo(c"localhost")),
                    Variant::new("uvco dns::lookup", uvco_ops::dns_lookup("localhost")),
                    Variant::new("tokio", tokio_ops::getaddrinfo("localhost")),
                ],
            }),
        ),
        (
            "tcp_connect",
            Box::new(|| Row {
                name: "tcp_connect",
                unit: Unit::Ops,
                // Each connect leaves a socket in TIME_WAIT; stay well inside the port range.
                max_iters: 2000,
                variants: vec![
                    Variant::new("raw", raw::tcp_connect(&raw::Loop::new())),
                    Variant::new("uvco", uvco_ops::tcp_connect()),
                    Variant::new("tokio", tokio_ops::tcp_connect()),
                ],
            }),
        ),
        (
            "tcp_write_64",
            Box::new(|| Row {
                name: "tcp_write_64",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::tcp_write(&raw::Loop::new(), 64)),
                    Variant::new("uvco", uvco_ops::tcp_write(64)),
                    Variant::new("tokio", tokio_ops::tcp_write(64)),
                ],
            }),
        ),
        (
            "tcp_echo_64",
            Box::new(|| Row {
                name: "tcp_echo_64",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::tcp_echo(&raw::Loop::new(), 64)),
                    Variant::new("await floor", await_floor::tcp_echo(&raw::Loop::new(), 64)),
                    Variant::new("uvco", uvco_ops::tcp_echo(64)),
                    Variant::new("tokio", tokio_ops::tcp_echo(64)),
                ],
            }),
        ),
        (
            "tcp_stream_64k",
            Box::new(|| Row {
                name: "tcp_stream_64k",
                unit: Unit::Bytes(STREAM_CHUNK as u64),
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::tcp_write(&raw::Loop::new(), STREAM_CHUNK)),
                    Variant::new("uvco", uvco_ops::tcp_write(STREAM_CHUNK)),
                    Variant::new("tokio", tokio_ops::tcp_write(STREAM_CHUNK)),
                ],
            }),
        ),
        (
            "spawn_join",
            Box::new(|| Row {
                name: "spawn_join",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("uvco", uvco_ops::spawn_join()),
                    Variant::new("tokio", tokio_ops::spawn_join()),
                ],
            }),
        ),
        (
            "fs_stat/io_uring",
            Box::new(move || Row {
                name: "fs_stat/io_uring",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new("raw", raw::fs_stat(&raw::Loop::with_io_uring(), cpath, 1)),
                    Variant::new("uvco", uvco_ops::fs_stat(uvco_ops::fs_runtime(true), cpath)),
                ],
            }),
        ),
        (
            "fs_stat_x64/io_uring",
            Box::new(move || Row {
                name: "fs_stat_x64/io_uring",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new(
                        "raw",
                        raw::fs_stat(&raw::Loop::with_io_uring(), cpath, WIDE),
                    ),
                    Variant::new(
                        "uvco",
                        uvco_ops::fs_stat_wide(uvco_ops::fs_runtime(true), cpath, WIDE),
                    ),
                ],
            }),
        ),
        (
            "readfile_4k/io_uring",
            Box::new(move || Row {
                name: "readfile_4k/io_uring",
                unit: Unit::Ops,
                max_iters: u64::MAX,
                variants: vec![
                    Variant::new(
                        "raw",
                        raw::readfile(&raw::Loop::with_io_uring(), cpath, FILE_SIZE * 2),
                    ),
                    Variant::new(
                        "uvco",
                        uvco_ops::readfile(uvco_ops::fs_runtime(true), cpath, FILE_SIZE * 2),
                    ),
                    // One threadpool job whatever the loop: is io_uring's chain faster?
                    Variant::new(
                        "uvco fs::read",
                        uvco_ops::fs_read_on(uvco_ops::fs_runtime(true), path),
                    ),
                ],
            }),
        ),
    ]
}

fn selected(args: &Args, name: &str) -> bool {
    if name.contains("io_uring") && !args.io_uring {
        return false;
    }
    args.filters.is_empty()
        || args.filters.iter().any(|f| {
            if args.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        })
}

fn check_targets(results: &[RowResult], mem: &[memory::Mem]) {
    println!("\nTargets of issue 5 (ratios are throughput ratios, median of per-round pairs: ≥ 1 means uvco is as fast or faster):");
    let line =
        |ok: bool, what: String| println!("- [{}] {what}", if ok { "met" } else { "MISSED" });
    for r in results {
        let Some(u) = r.get("uvco") else { continue };
        if let Some(raw) = r.get("raw") {
            let (m, lo, hi) = paired_ratio(u, raw);
            let goal = if r.name == "tcp_write_64" { 0.9 } else { 0.95 };
            line(
                m >= goal,
                format!(
                    "{}: uvco/raw {m:.2} ({lo:.2}–{hi:.2}), target ≥ {goal}",
                    r.name
                ),
            );
        }
        if let Some(t) = r.get("tokio") {
            let goal = match r.name {
                "fs_stat_x64" => Some(2.0),
                "spawn_join" => Some(1.5),
                _ => None,
            };
            if let Some(goal) = goal {
                let (m, lo, hi) = paired_ratio(u, t);
                line(
                    m >= goal,
                    format!(
                        "{}: uvco/tokio {m:.2} ({lo:.2}–{hi:.2}), target ≥ {goal}",
                        r.name
                    ),
                );
            }
        }
        let total = (u.rust_allocs_per_op * (u.iters as usize * u.ns.len()) as f64).round();
        line(
            u.rust_allocs_per_op == 0.0,
            format!(
                "{}: uvco Rust allocations/op {:.4} ({total} over {} rounds of {} ops), target 0",
                r.name,
                u.rust_allocs_per_op,
                u.ns.len(),
                u.iters
            ),
        );
    }
    println!("\nTargets of issue 12 (one-hop composite fs operations):");
    for r in results {
        let pairs: &[(&str, &str, f64)] = match r.name {
            // Issue 5 asked 0.95 of this row; issue 12 asks 0.97.
            "fs_stat_x64" => &[("uvco", "raw", 0.97)],
            "readfile_4k" => &[("uvco fs::read", "tokio", 1.2)],
            "walk_20k" => &[("uvco read_dir_metadata", "std", 1.0)],
            _ => &[],
        };
        for &(num, den, goal) in pairs {
            let (Some(a), Some(b)) = (r.get(num), r.get(den)) else {
                continue;
            };
            let (m, lo, hi) = paired_ratio(a, b);
            line(
                m >= goal,
                format!(
                    "{}: {num} / {den} {m:.2} ({lo:.2}–{hi:.2}), target ≥ {goal}",
                    r.name
                ),
            );
            // What the await alone leaves of raw's speed: a runtime under R4 can't pass it.
            if let (true, Some(floor)) = (den == "raw", r.get("await floor")) {
                let (m, lo, hi) = paired_ratio(floor, b);
                println!("  (the await floor / raw in the same run: {m:.2} ({lo:.2}–{hi:.2}))");
            }
        }
        // The returned Vec (or String) is the one allocation an fs::read may make.
        if let Some(u) = r.get("uvco fs::read") {
            line(
                u.rust_allocs_per_op <= 1.0,
                format!(
                    "{}: uvco fs::read Rust allocations/op {:.4} (all threads), target ≤ 1 (the returned Vec)",
                    r.name, u.rust_allocs_per_op
                ),
            );
        }
        if let Some(u) = r.get("uvco fs::write") {
            line(
                u.rust_allocs_per_op <= 1.0,
                format!(
                    "{}: uvco fs::write Rust allocations/op {:.4} (all threads), target ≤ 1 (the benchmark's own copy of the data)",
                    r.name, u.rust_allocs_per_op
                ),
            );
        }
    }
    for m in mem
        .iter()
        .filter(|m| m.variant == "uvco" && m.what.starts_with("in-flight"))
    {
        let slot = uvco_runtime::slot::slot_size::<uvco_runtime::kind::Fs, ()>();
        line(
            slot <= 512,
            format!(
                "{}: uvco's slot {slot} B per request, target ≤ 512 (with libuv's own path copy: {:.0} B heap, {:.0} B RSS per request)",
                m.what, m.heap_per, m.rss_per
            ),
        );
    }
}

extern "C" {
    fn sched_setaffinity(pid: i32, size: usize, mask: *const u64) -> i32;
}

/// Pins the process (and every thread it starts later) to one CPU.
fn pin(cpu: usize) {
    let mut mask = [0u64; 16];
    mask[cpu / 64] |= 1 << (cpu % 64);
    // SAFETY: a valid cpu_set_t-sized mask for the calling process.
    let rc = unsafe { sched_setaffinity(0, size_of_val(&mask), mask.as_ptr()) };
    assert_eq!(rc, 0, "sched_setaffinity({cpu}) failed");
}

fn main() {
    counting::install();
    let args = parse_args();
    if let Some(cpu) = args.pin {
        pin(cpu);
        println!("pinned to CPU {cpu} (all threads)");
    }
    if std::env::var_os("UV_USE_IO_URING").is_none() {
        // libuv creates an SQPOLL ring for a loop configured with UV_LOOP_USE_IO_URING_SQPOLL
        // only when this is set; it is read once, at the first such loop's first fs request.
        std::env::set_var("UV_USE_IO_URING", "1");
    }
    let start = Instant::now();
    let cfg = if args.quick {
        Config {
            sample: Duration::from_millis(60),
            rounds: 7,
        }
    } else {
        Config {
            sample: Duration::from_millis(400),
            rounds: 11,
        }
    };
    let cfg = Config {
        sample: args.sample_ms.map_or(cfg.sample, Duration::from_millis),
        rounds: args.rounds.unwrap_or(cfg.rounds),
    };
    let mem_n = args
        .mem_n
        .unwrap_or(if args.quick { 20_000 } else { 100_000 });

    machine();
    println!(
        "method: one process; per operation, variants interleaved with rotating order, {} rounds of ~{} ms samples; median and min–max over rounds",
        cfg.rounds,
        cfg.sample.as_millis()
    );
    let fx = Fixture::new();
    if args.list {
        // What `--variant` accepts, row by row: "row<TAB>label" lines.
        for (name, build) in rows(&fx) {
            if selected(&args, name) {
                for v in build().variants {
                    println!("{name}\t{}", v.label);
                }
            }
        }
        return;
    }
    if let Some(n) = args.iters {
        // Fixed work for instruction counts: one warm-up operation, then `n`; run twice
        // with different `n` under callgrind, the difference divided by the difference of
        // the `n`s is the cost of one operation, setup and warm-up cancelled.
        for (name, build) in rows(&fx) {
            if selected(&args, name) {
                let row = build();
                for mut v in row.variants {
                    if args.variants.is_empty() || args.variants.iter().any(|l| l == v.label) {
                        (v.run)(1);
                        (v.run)(n);
                        println!("ran {name} / {}: 1 + {n} operations", v.label);
                    }
                }
            }
        }
        return;
    }
    let mut results = Vec::new();
    if args.table {
        eprintln!("running ({} rounds):", cfg.rounds);
        for (name, build) in rows(&fx) {
            if selected(&args, name) {
                let mut row = build();
                if !args.variants.is_empty() {
                    row.variants
                        .retain(|v| args.variants.iter().any(|l| l == v.label));
                }
                results.push(harness::run_row(row, cfg));
            }
        }
        println!();
        harness::print_table(&results);
        println!("\nvs raw / vs tokio: throughput of uvco over the other (other's ns/op ÷ uvco's), median of the per-round ratios and their min–max; ≥ 1 means uvco is as fast or faster.");
        println!("uvco = the generated request futures (uvco::requests) awaited; \"uvco fs::…\" / \"uvco dns::lookup\" = the safe API on top of them.");
        println!("await floor = the least an await can cost under the resume rule (R4): callbacks set a flag (one future: fs_stat, readfile) or queue the woken future in a ring (fs_stat_x64's 64 tasks, tcp_echo's server and client), and the prepare phase polls what was woken; no slots, cancellation, in-flight list, counted wakers, panic containment or spawn: a yardstick, not a runtime (bench/src/await_floor/). Its \"vs raw\" is the most any runtime under R4 can reach in that row.");
        println!("readfile: raw and uvco chain 4 requests (open, fstat, read, close: 4 threadpool round trips) into a reused buffer; uvco fs::read runs all four in one threadpool job (uv_queue_work) and returns a new Vec; tokio::fs::read does all of it in one spawn_blocking and returns a new Vec.");
        println!("writefile: uvco fs::write (open, write, close in one threadpool job) vs tokio::fs::write (one spawn_blocking), a copy of the same 4 KiB each time.");
        println!("walk_20k: sizes summed over a tree of {WALK_DIRS} directories of {} empty files; std = single-threaded read_dir + DirEntry::metadata on this thread; uvco read_dir_metadata = one threadpool job per directory, a task per directory; uvco read_dir = a request per 32 entries and per entry's lstat; tokio = read_dir + metadata (a spawn_blocking per entry). \"vs raw\" is vs std in this row.", WALK_FILES / WALK_DIRS);
        println!("tcp_write_64 / tcp_stream_64k: raw = uv_try_write, then uv_write of the rest and running the loop until its callback; uvco = TcpStream::write_all; tokio = write_all. A task (raw: a read callback) on the same loop drains the other end.");
        println!("tcp_echo_64: a round trip of 64 bytes over loopback: the client writes and reads the message back; raw echoes with uv_try_write from the server's read callback, uvco and tokio from a task (read, write_all) on the same loop.");
        println!("spawn_join: raw has no task concept, so no raw row.");
    }
    let mut mem = Vec::new();
    if args.memory && selected(&args, "memory") {
        eprintln!("memory at load (n = {mem_n})");
        mem.push(memory::raw_fs_in_flight(&fx.file_c, mem_n));
        mem.push(memory::uvco_fs_in_flight(&fx.file_c, mem_n));
        mem.push(memory::tokio_fs_in_flight(&fx.file, mem_n));
        mem.push(memory::uvco_idle_tasks(mem_n));
        mem.push(memory::tokio_idle_tasks(mem_n));
        println!();
        memory::print(&mem);
    }
    check_targets(&results, &mem);
    println!("\ntotal time: {:.1} s", start.elapsed().as_secs_f64());
}
