//! Spawn + wait of `true`: raw `uv_spawn` with an exit callback vs `uvco::process`, in
//! interleaved rounds on this machine, printing ns per round trip and the ratio of each pair.
//!
//! `cargo run --release --example process_bench [rounds] [spawns per round]`, or
//! `process_bench raw N` / `process_bench uvco N` for one path only (for callgrind: the
//! difference of two values of N cancels setup).
//!
//! Both spawn with the same options (`/bin/true`'s path looked up alike, stdio 0-2
//! inherited, the parent's environment), one child at a time: the next spawn starts after the
//! previous exit was seen. fork/exec dominates, so what differs is the cost on the loop
//! thread around it.

use std::ffi::{c_char, c_int, CString};
use std::ptr;
use std::time::Instant;

use uvco::process::Command;
use uvco::sys;

struct Raw {
    loop_: *mut sys::uv_loop_t,
    file: CString,
    argv: [*mut c_char; 2],
    stdio: [sys::uv_stdio_container_t; 3],
    left: usize,
}

unsafe extern "C" fn raw_exit(p: *mut sys::uv_process_t, status: i64, _signal: c_int) {
    assert_eq!(status, 0);
    // SAFETY: `data` is the Raw that started the process, alive while its loop runs.
    let raw = unsafe { &mut *(*p).data.cast::<Raw>() };
    // SAFETY: the process handle is closed once, here; it is freed in `raw_close`.
    unsafe { sys::uv_close(p.cast(), Some(raw_close)) };
    raw.left -= 1;
    if raw.left > 0 {
        // SAFETY: as above; `raw` outlives the loop's run.
        unsafe { raw_spawn(raw) };
    }
}

unsafe extern "C" fn raw_close(h: *mut sys::uv_handle_t) {
    // SAFETY: the Box made in `raw_spawn`, freed once by its close callback.
    drop(unsafe { Box::from_raw(h.cast::<sys::uv_process_t>()) });
}

/// # Safety
/// `raw` lives until its loop stops running.
unsafe fn raw_spawn(raw: &mut Raw) {
    // SAFETY: a zeroed handle is what uv_spawn initialises.
    let p = Box::into_raw(Box::new(unsafe { std::mem::zeroed::<sys::uv_process_t>() }));
    let options = sys::uv_process_options_t {
        exit_cb: Some(raw_exit),
        file: raw.file.as_ptr(),
        args: raw.argv.as_mut_ptr(),
        env: ptr::null_mut(),
        cwd: ptr::null(),
        flags: 0,
        stdio_count: 3,
        stdio: raw.stdio.as_mut_ptr(),
        uid: 0,
        gid: 0,
    };
    // SAFETY: a valid loop and handle; the options' strings live in `raw`.
    let r = unsafe { sys::uv_spawn(raw.loop_, p, &options) };
    assert_eq!(r, 0, "uv_spawn");
    // SAFETY: the handle was initialised by uv_spawn.
    unsafe { (*p).data = ptr::from_mut(raw).cast() };
}

fn raw_round(spawns: usize) -> f64 {
    // SAFETY: a zeroed loop, initialised before use and closed at the end.
    let loop_ = Box::into_raw(Box::new(unsafe { std::mem::zeroed::<sys::uv_loop_t>() }));
    // SAFETY: as above.
    assert_eq!(unsafe { sys::uv_loop_init(loop_) }, 0);
    let file = CString::new("true").unwrap();
    // SAFETY: a zeroed container is UV_IGNORE; each is set below.
    let mut stdio: [sys::uv_stdio_container_t; 3] = unsafe { std::mem::zeroed() };
    for (i, s) in stdio.iter_mut().enumerate() {
        s.flags = sys::uv_stdio_flags_UV_INHERIT_FD;
        s.data.fd = i as c_int;
    }
    let mut raw = Raw {
        loop_,
        argv: [file.as_ptr().cast_mut(), ptr::null_mut()],
        file,
        stdio,
        left: spawns,
    };
    let start = Instant::now();
    // SAFETY: `raw` lives until the loop has run to the end, below.
    unsafe {
        raw_spawn(&mut raw);
        sys::uv_run(loop_, sys::uv_run_mode_UV_RUN_DEFAULT);
    }
    let ns = start.elapsed().as_nanos() as f64 / spawns as f64;
    // SAFETY: every handle is closed (the run ended); the loop was initialised above.
    unsafe {
        assert_eq!(sys::uv_loop_close(loop_), 0);
        drop(Box::from_raw(loop_));
    }
    ns
}

fn uvco_round(rt: &uvco::Runtime, spawns: usize) -> f64 {
    rt.block_on(async {
        let mut cmd = Command::new("true");
        let start = Instant::now();
        for _ in 0..spawns {
            assert!(cmd.status().await.unwrap().success());
        }
        start.elapsed().as_nanos() as f64 / spawns as f64
    })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if let Some(mode) = args.next_if(|a| a == "raw" || a == "uvco") {
        let n: usize = args.next().map_or(100, |a| a.parse().expect("spawns"));
        let ns = if mode == "raw" {
            raw_round(n)
        } else {
            uvco_round(&uvco::Runtime::new().unwrap(), n)
        };
        println!("{mode}: {n} spawns, {ns:.0} ns/op");
        return;
    }
    let rounds: usize = args.next().map_or(9, |a| a.parse().expect("rounds"));
    let spawns: usize = args.next().map_or(200, |a| a.parse().expect("spawns"));
    let rt = uvco::Runtime::new().unwrap();
    // Warm up both paths (page cache, free lists).
    raw_round(20);
    uvco_round(&rt, 20);
    let (mut raws, mut uvcos, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so drift in the machine's load favours neither.
        let (raw, uv) = if round % 2 == 0 {
            let raw = raw_round(spawns);
            (raw, uvco_round(&rt, spawns))
        } else {
            let uv = uvco_round(&rt, spawns);
            (raw_round(spawns), uv)
        };
        println!(
            "round {round}: raw uv_spawn {raw:>9.0} ns/op   uvco {uv:>9.0} ns/op   uvco/raw {:.3}",
            uv / raw
        );
        raws.push(raw);
        uvcos.push(uv);
        ratios.push(uv / raw);
    }
    println!(
        "median of {rounds} rounds x {spawns} spawns: raw {:.0} ns/op, uvco {:.0} ns/op, uvco/raw {:.3}",
        median(&mut raws),
        median(&mut uvcos),
        median(&mut ratios)
    );
}
