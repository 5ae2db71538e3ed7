//! The host build's bindings (`src/sys/bindings_x86_64_linux.rs`) are libuv-sys2's, committed:
//! this checks that they are byte for byte what libuv-sys2's build script generated for this
//! build, so that a libuv-sys2 upgrade can't leave the host build on stale declarations.
//! `scripts/update-host-bindings.sh` refreshes the file.

use std::path::PathBuf;

const COMMITTED: &str = include_str!("../src/sys/bindings_x86_64_linux.rs");

/// libuv-sys2's generated bindings under this build's target directory.
fn generated() -> Vec<PathBuf> {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<this test>
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(profile_dir.join("build")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let bindings = dir.join("out/bindings.rs");
        if name.starts_with("libuv-sys2-") && bindings.exists() {
            found.push(bindings);
        }
    }
    found
}

#[test]
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn committed_host_bindings_are_what_libuv_sys2_generates() {
    let found = generated();
    assert!(
        !found.is_empty(),
        "no libuv-sys2 bindings.rs under the target directory"
    );
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text == COMMITTED,
            "{} differs from src/sys/bindings_x86_64_linux.rs: run scripts/update-host-bindings.sh",
            path.display()
        );
    }
}
