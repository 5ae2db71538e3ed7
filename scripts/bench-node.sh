#!/usr/bin/env bash
# `make bench-node`: fs.stat and fs.readFile (4 KiB) in one node process, one at a time and
# with 64 in flight, through Node's callbacks, fs.promises and the uvco test addon (host mode)
# as promise and callback; ops/s, mallocs/op (an LD_PRELOAD counter) and JS heap bytes/op.
#   scripts/bench-node.sh [--quick]     (--quick: a ~20 s smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
CARGO=${CARGO:-cargo}

echo "== build: the uvco test addon (host mode, release), the malloc counter" >&2
(cd host && $CARGO build -q --release -p uvco-node-test-addon)
cp host/target/release/libuvco_node_test_addon.so host/target/release/addon.node
mkdir -p target
cc -O2 -Wall -shared -fPIC -o target/malloc_count.so bench/node/malloc_count.c -ldl

count_file=$(mktemp "${TMPDIR:-/tmp}/uvco-malloc-count.XXXXXX")
trap 'rm -f "$count_file"' EXIT

echo "== node $(node --version): bench/node/fs_bench.js $*" >&2
LD_PRELOAD="$root/target/malloc_count.so" MALLOC_COUNT_FILE="$count_file" \
    UVCO_ADDON="$root/host/target/release/addon.node" \
    node --expose-gc bench/node/fs_bench.js "$@"
