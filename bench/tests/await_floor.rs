//! The await floor's runners finish, for no operation, one, fewer than the width and more
//! than it: a lost wake would hang one (the watchdog turns that into a failure), and a failed
//! request, a short write or a stream that ends panics inside it.

use std::ffi::CString;
use std::sync::mpsc;
use std::time::Duration;

use uvco_bench::{await_floor, raw};

const WATCHDOG: Duration = Duration::from_secs(60);

/// A row's name and its floor variant, as the bench's harness runs it.
type Row = (&'static str, Box<dyn FnMut(u64)>);

#[test]
fn the_await_floor_runs_every_row_to_its_end() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let dir = std::env::temp_dir().join(format!("uvco-await-floor-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("4k");
        std::fs::write(&file, vec![b'x'; 4096]).expect("write");
        let path = CString::new(file.to_str().expect("utf-8 path")).expect("no NUL");
        let mut rows: Vec<Row> = vec![
            (
                "fs_stat",
                Box::new(await_floor::fs_stat(&raw::Loop::new(), &path)),
            ),
            (
                "fs_stat_x64",
                Box::new(await_floor::fs_stat_wide(&raw::Loop::new(), &path, 64)),
            ),
            (
                "readfile_4k",
                Box::new(await_floor::readfile(&raw::Loop::new(), &path, 8192)),
            ),
            (
                "tcp_echo_64",
                Box::new(await_floor::tcp_echo(&raw::Loop::new(), 64)),
            ),
        ];
        for (name, run) in &mut rows {
            tx.send(Some(*name)).expect("the test waits");
            for n in [0, 1, 3, 64, 130] {
                run(n);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        tx.send(None).expect("the test waits");
    });
    let mut row = "setup";
    loop {
        match rx.recv_timeout(WATCHDOG) {
            Ok(Some(next)) => row = next,
            Ok(None) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("{row} hung for {WATCHDOG:?}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{row} panicked"),
        }
    }
    assert_eq!(row, "tcp_echo_64", "every row ran");
}
