//! `make demo`: what uvco is for, in one run. It reads a file with one composite operation,
//! resolves localhost, and runs a TCP echo on 127.0.0.1, through uvco's API; then it times
//! each next to the same work written as raw libuv callbacks, in the same process, and
//! prints ns/op and allocations/op for both.

use std::time::{Duration, Instant};

use uvco_bench::harness::{
    self, fmt_count, fmt_ns, fmt_rate, fmt_ratio, median, min_max, paired_ratio, Config, Measured,
    Row, RowResult, Unit, Variant,
};
use uvco_bench::{counting, raw, uvco_ops};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const FILE_SIZE: usize = 4096;
const ECHO: usize = 64;

fn main() -> std::io::Result<()> {
    counting::install();
    let start = Instant::now();
    let dir = std::env::temp_dir().join(format!("uvco-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("file-4k");
    std::fs::write(&file, vec![b'u'; FILE_SIZE])?;

    println!("uvco: async/await over libuv, next to the same work as raw libuv callbacks\n");
    let rt = uvco::Runtime::new()?;
    rt.block_on(async {
        let bytes = uvco::fs::read(&file).await?;
        println!(
            "uvco::fs::read         {} bytes   (open + fstat + read + close, one task frame)",
            bytes.len()
        );
        let addrs = uvco::dns::lookup("localhost", 7).await?;
        println!("uvco::dns::lookup      localhost -> {addrs:?}");
        let listener = uvco::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        uvco::spawn_local(async move {
            let (mut conn, _) = listener.accept().await?;
            let mut buf = [0u8; 1024];
            loop {
                let n = conn.read(&mut buf).await?;
                if n == 0 {
                    return conn.shutdown().await;
                }
                conn.write_all(&buf[..n]).await?;
            }
        })
        .detach();
        let mut conn = uvco::net::TcpStream::connect(addr).await?;
        conn.write_all(b"hello, libuv").await?;
        let mut back = [0u8; 12];
        let mut got = 0;
        while got < back.len() {
            got += conn.read(&mut back[got..]).await?;
        }
        println!(
            "uvco::net::TcpStream   echo via {addr}: {:?}",
            String::from_utf8_lossy(&back)
        );
        std::io::Result::Ok(())
    })?;
    rt.close()?;

    let c_file = std::ffi::CString::new(file.to_str().expect("temp path is UTF-8")).unwrap();
    let cfg = Config {
        sample: Duration::from_millis(150),
        rounds: 5,
    };
    println!(
        "\ntiming each, interleaved with its raw-callback twin ({} rounds of ~{} ms samples):",
        cfg.rounds,
        cfg.sample.as_millis()
    );
    let rows = vec![
        Row {
            name: "readfile_4k",
            unit: Unit::Ops,
            max_iters: u64::MAX,
            variants: vec![
                Variant::new(
                    "raw",
                    raw::readfile(&raw::Loop::new(), &c_file, FILE_SIZE * 2),
                ),
                Variant::new("uvco", uvco_ops::fs_read(&file)),
            ],
        },
        Row {
            name: "getaddrinfo",
            unit: Unit::Ops,
            max_iters: u64::MAX,
            variants: vec![
                Variant::new("raw", raw::getaddrinfo(&raw::Loop::new(), c"localhost")),
                Variant::new("uvco", uvco_ops::dns_lookup("localhost")),
            ],
        },
        Row {
            name: "tcp_echo_64",
            unit: Unit::Ops,
            max_iters: u64::MAX,
            variants: vec![
                Variant::new("raw", raw::tcp_echo(&raw::Loop::new(), ECHO)),
                Variant::new("uvco", uvco_ops::tcp_echo(ECHO)),
            ],
        },
    ];
    let results: Vec<_> = rows
        .into_iter()
        .map(|row| harness::run_row(row, cfg))
        .collect();
    println!();
    print_table(&results);
    println!("\nuvco vs raw: throughput of uvco over raw callbacks (median of per-round ratios); 1.00 = the await costs nothing.");
    for r in &results {
        if let (Some(u), Some(raw)) = (r.get("uvco"), r.get("raw")) {
            let (m, _, _) = paired_ratio(u, raw);
            println!(
                "  {:<12} {m:.2}x raw, {:.2} Rust allocations/op",
                r.name, u.rust_allocs_per_op
            );
        }
    }
    println!(
        "(fs::read's one allocation is the Vec it returns; dns::lookup's is the Vec of addresses.)"
    );
    println!(
        "\ndone in {:.1} s; `make bench` runs the full table against tokio too.",
        start.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// One column of the demo's table: its header, whether it is numeric (right-aligned), and its
/// cell for one variant of one row (`None`: nothing to show).
struct Column {
    header: &'static str,
    numeric: bool,
    cell: fn(&RowResult, usize, &Measured) -> Option<String>,
}

const COLUMNS: &[Column] = &[
    Column {
        header: "operation",
        numeric: false,
        cell: |row, i, _| (i == 0).then(|| row.name.to_owned()),
    },
    Column {
        header: "variant",
        numeric: false,
        cell: |_, _, m| Some(m.label.to_owned()),
    },
    Column {
        header: "median/op",
        numeric: true,
        cell: |_, _, m| Some(fmt_ns(median(&m.ns))),
    },
    Column {
        header: "min–max/op",
        numeric: true,
        cell: |_, _, m| {
            let (lo, hi) = min_max(&m.ns);
            Some(format!("{}–{}", fmt_ns(lo), fmt_ns(hi)))
        },
    },
    Column {
        header: "throughput",
        numeric: true,
        cell: |row, _, m| Some(fmt_rate(row.unit, median(&m.ns))),
    },
    Column {
        header: "ops/sample",
        numeric: true,
        cell: |_, _, m| Some(m.iters.to_string()),
    },
    Column {
        header: "Rust allocs/op",
        numeric: true,
        cell: |_, _, m| Some(fmt_count(m.rust_allocs_per_op)),
    },
    Column {
        header: "libuv mallocs/op",
        numeric: true,
        cell: |_, _, m| Some(fmt_count(m.uv_allocs_per_op)),
    },
    Column {
        header: "uvco vs raw",
        numeric: true,
        cell: |row, _, m| {
            let raw = row
                .raw_for(m.label)
                .filter(|_| m.label.starts_with("uvco"))?;
            Some(fmt_ratio(paired_ratio(m, raw)))
        },
    },
    Column {
        header: "uvco vs tokio",
        numeric: true,
        cell: |row, _, m| {
            let tokio = row.get("tokio").filter(|_| m.label.starts_with("uvco"))?;
            Some(fmt_ratio(paired_ratio(m, tokio)))
        },
    },
];

/// Prints the results as a Markdown table of the columns that carry data: a column with no
/// value on any line (such as "uvco vs tokio", the demo being built without tokio) is left
/// out rather than printed empty.
fn print_table(results: &[RowResult]) {
    let lines: Vec<Vec<Option<String>>> = results
        .iter()
        .flat_map(|row| {
            row.variants.iter().enumerate().map(move |(i, m)| {
                COLUMNS
                    .iter()
                    .map(|column| (column.cell)(row, i, m))
                    .collect()
            })
        })
        .collect();
    let shown: Vec<usize> = (0..COLUMNS.len())
        .filter(|&c| lines.iter().any(|line| line[c].is_some()))
        .collect();
    let row = |cells: Vec<&str>| println!("| {} |", cells.join(" | "));
    row(shown.iter().map(|&c| COLUMNS[c].header).collect());
    println!(
        "|{}|",
        shown
            .iter()
            .map(|&c| if COLUMNS[c].numeric { "--:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for line in &lines {
        row(shown
            .iter()
            .map(|&c| line[c].as_deref().unwrap_or(""))
            .collect());
    }
}
