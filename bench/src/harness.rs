//! Running the variants of each operation interleaved and repeated, and printing the table.
//!
//! For one operation, each variant is first calibrated (its iteration count is set so that
//! one sample takes about `sample` time), then the rounds run: in each round every variant
//! runs one sample, the starting variant rotating from round to round (A B C, B C A, C A B,
//! ...) so that neither drift nor order favours one. Ratios are taken per round, between
//! samples that ran back to back, and their median is reported.

use std::time::{Duration, Instant};

use crate::counting::Snapshot;

/// What one operation is.
#[derive(Clone, Copy)]
pub enum Unit {
    /// Operations per second.
    Ops,
    /// Bytes moved per operation: throughput is reported in MB/s.
    Bytes(u64),
}

/// One way of doing an operation: `run(n)` does it `n` times.
pub struct Variant {
    pub label: &'static str,
    pub run: Box<dyn FnMut(u64)>,
}

impl Variant {
    pub fn new(label: &'static str, run: impl FnMut(u64) + 'static) -> Variant {
        Variant {
            label,
            run: Box::new(run),
        }
    }
}

/// An operation and its variants.
pub struct Row {
    pub name: &'static str,
    pub unit: Unit,
    pub variants: Vec<Variant>,
    /// Upper bound on the iterations of one sample (for operations that use up a resource,
    /// like ephemeral ports).
    pub max_iters: u64,
}

#[derive(Clone, Copy)]
pub struct Config {
    pub sample: Duration,
    pub rounds: usize,
}

/// Measurements of one variant of one row.
pub struct Measured {
    pub label: &'static str,
    pub iters: u64,
    /// ns/op of each round.
    pub ns: Vec<f64>,
    pub rust_allocs_per_op: f64,
    pub uv_allocs_per_op: f64,
}

pub struct RowResult {
    pub name: &'static str,
    pub unit: Unit,
    pub variants: Vec<Measured>,
}

fn time(run: &mut dyn FnMut(u64), n: u64) -> Duration {
    let start = Instant::now();
    run(n);
    start.elapsed()
}

fn calibrate(v: &mut Variant, cfg: Config, max_iters: u64) -> u64 {
    (v.run)(1); // warm-up: first-use allocations, free lists, threads, connections
    let mut n = 1u64;
    loop {
        let t = time(&mut v.run, n);
        if t >= cfg.sample / 8 || n >= max_iters {
            let per_op = t.as_secs_f64() / n as f64;
            let iters = (cfg.sample.as_secs_f64() / per_op.max(1e-9)) as u64;
            return iters.clamp(1, max_iters);
        }
        n = (n * 4).min(max_iters);
    }
}

pub fn run_row(mut row: Row, cfg: Config) -> RowResult {
    eprint!("  {:<22}", row.name);
    let iters: Vec<u64> = row
        .variants
        .iter_mut()
        .map(|v| calibrate(v, cfg, row.max_iters))
        .collect();
    let k = row.variants.len();
    let mut ns = vec![Vec::with_capacity(cfg.rounds); k];
    let mut allocs = vec![(0u64, 0u64, 0u64); k]; // (rust, uv, ops)
    for round in 0..cfg.rounds {
        for j in 0..k {
            let i = (round + j) % k;
            let before = Snapshot::now();
            let t = time(&mut row.variants[i].run, iters[i]);
            let d = Snapshot::now().since(before);
            ns[i].push(t.as_nanos() as f64 / iters[i] as f64);
            allocs[i].0 += d.rust_allocs;
            allocs[i].1 += d.uv_allocs;
            allocs[i].2 += iters[i];
        }
        eprint!(".");
    }
    eprintln!();
    let variants = row
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| Measured {
            label: v.label,
            iters: iters[i],
            ns: ns[i].clone(),
            rust_allocs_per_op: allocs[i].0 as f64 / allocs[i].2 as f64,
            uv_allocs_per_op: allocs[i].1 as f64 / allocs[i].2 as f64,
        })
        .collect();
    RowResult {
        name: row.name,
        unit: row.unit,
        variants,
    }
}

pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The smallest and largest of `xs`.
pub fn min_max(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// Throughput ratio of `num` over `den` per round: den_ns / num_ns, i.e. > 1 when `num` is
/// faster. Returns (median, min, max).
pub fn paired_ratio(num: &Measured, den: &Measured) -> (f64, f64, f64) {
    let r: Vec<f64> = num.ns.iter().zip(&den.ns).map(|(a, b)| b / a).collect();
    let (lo, hi) = min_max(&r);
    (median(&r), lo, hi)
}

impl RowResult {
    pub fn get(&self, label: &str) -> Option<&Measured> {
        self.variants.iter().find(|m| m.label == label)
    }

    /// The raw variant a uvco variant is compared with: "raw io_uring" for "uvco io_uring",
    /// plain "raw" otherwise, and "std" in rows without a raw libuv variant (the walk).
    pub fn raw_for(&self, uvco_label: &str) -> Option<&Measured> {
        let suffix = uvco_label.strip_prefix("uvco").unwrap_or("");
        self.get(&format!("raw{suffix}"))
            .or_else(|| self.get("raw"))
            .or_else(|| self.get("std"))
    }
}

/// A duration in ns, in the unit that reads best.
pub fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e4 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Throughput for one op taking `ns`, in ops/s or MB/s.
pub fn fmt_rate(unit: Unit, ns: f64) -> String {
    match unit {
        Unit::Ops => {
            let ops = 1e9 / ns;
            if ops >= 1e6 {
                format!("{:.2} M/s", ops / 1e6)
            } else if ops >= 1e3 {
                format!("{:.1} k/s", ops / 1e3)
            } else {
                format!("{ops:.0} /s")
            }
        }
        Unit::Bytes(b) => format!("{:.0} MB/s", b as f64 / ns * 1e3),
    }
}

/// A per-op count: 0, or four decimals below 0.01, else two.
pub fn fmt_count(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x < 0.01 {
        format!("{x:.4}")
    } else {
        format!("{x:.2}")
    }
}

/// A paired ratio as `median (min–max)`.
pub fn fmt_ratio((m, lo, hi): (f64, f64, f64)) -> String {
    format!("{m:.2} ({lo:.2}–{hi:.2})")
}

/// Prints the results as a Markdown table.
pub fn print_table(results: &[RowResult]) {
    println!("| operation | variant | median/op | min–max/op | throughput | ops/sample | Rust allocs/op | libuv mallocs/op | uvco vs raw (or std) | uvco vs tokio |");
    println!("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for r in results {
        let tokio = r.get("tokio");
        for (i, m) in r.variants.iter().enumerate() {
            let raw = r.raw_for(m.label);
            let med = median(&m.ns);
            let (lo, hi) = min_max(&m.ns);
            let (vs_raw, vs_tokio) = if m.label.starts_with("uvco") || m.label == "await floor" {
                (
                    raw.map(|raw| fmt_ratio(paired_ratio(m, raw)))
                        .unwrap_or_else(|| "n/a".into()),
                    tokio
                        .map(|t| fmt_ratio(paired_ratio(m, t)))
                        .unwrap_or_else(|| "n/a".into()),
                )
            } else {
                (String::new(), String::new())
            };
            println!(
                "| {} | {} | {} | {}–{} | {} | {} | {} | {} | {} | {} |",
                if i == 0 { r.name } else { "" },
                m.label,
                fmt_ns(med),
                fmt_ns(lo),
                fmt_ns(hi),
                fmt_rate(r.unit, med),
                m.iters,
                fmt_count(m.rust_allocs_per_op),
                fmt_count(m.uv_allocs_per_op),
                vs_raw,
                vs_tokio,
            );
        }
    }
}
