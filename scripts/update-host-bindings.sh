#!/usr/bin/env bash
# Refreshes uvco-runtime/src/sys/bindings_x86_64_linux.rs, the host build's bindings, from the
# bindings libuv-sys2's build script generates (bindgen on its bundled uv.h). Run after a
# libuv-sys2 upgrade; uvco-runtime/tests/host_bindings.rs fails until then.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p uvco-runtime
newest=$(ls -t target/debug/build/libuv-sys2-*/out/bindings.rs | head -1)
cp "$newest" uvco-runtime/src/sys/bindings_x86_64_linux.rs
echo "copied $newest"
