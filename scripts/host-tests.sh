#!/usr/bin/env bash
# The host-mode tests: uvco built with its `host` feature (no libuv of its own) inside real
# Node.js and inside a C program on Debian's system libuv. Run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/../host"
CARGO=${CARGO:-cargo}

echo "== uvco-node's unit tests (the parts that need no node)"
$CARGO test -q -p uvco-node --features uvco/host --lib

echo "== build: the test addon (host), the same addon bundled (to be refused), the C plugin"
$CARGO build -q -p uvco-node-test-addon -p uvco-c-plugin
# The bundled build in its own target dir: a cdylib's file name has no feature hash, so the
# two builds would overwrite each other's output in one.
$CARGO build -q -p uvco-node-test-addon --no-default-features --features bundled \
    --target-dir target/bundled
cp target/debug/libuvco_node_test_addon.so target/addon.node
cp target/bundled/debug/libuvco_node_test_addon.so target/addon-bundled.node
cc -O1 -Wall -Werror -o target/c-host c-host/host.c -luv -ldl

echo "== host build: no libuv inside, and nothing newer than the oldest supported host"
have=$(nm -D --defined-only "$(ldconfig -p | awk '/libuv\.so\.1 /{print $NF; exit}')" | awk '{print $3}' | sort -u)
for so in target/addon.node target/debug/libuvco_c_plugin.so; do
    defined=$(nm "$so" | awk '$2 ~ /^[tTdDbB]$/ && $3 ~ /^uv_/' | wc -l)
    [ "$defined" = 0 ] || { echo "$so defines $defined uv_* symbols: a libuv is linked in"; exit 1; }
    wanted=$(nm -D --undefined-only "$so" | awk '$2 ~ /^uv_/ {print $2}' | sort -u)
    missing=$(comm -23 <(echo "$wanted") <(echo "$have"))
    [ -z "$missing" ] || { echo "$so needs uv_* symbols Debian's libuv 1.44 lacks: $missing"; exit 1; }
    echo "ok   $so: 0 uv_* defined, $(echo "$wanted" | wc -l) bound at load time, all in libuv 1.44"
done

echo "== node $(node --version) (libuv $(node -p process.versions.uv))"
node --test tests/

echo "== the C host on Debian's libuv"
target/c-host target/debug/libuvco_c_plugin.so ../Cargo.toml

echo "== valgrind: the C host, and node running the addon"
valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --show-possibly-lost=no --show-reachable=no \
    target/c-host target/debug/libuvco_c_plugin.so ../Cargo.toml >/dev/null
valgrind --quiet --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite --show-possibly-lost=no --show-reachable=no \
    node tests/valgrind-run.js
echo "host tests: ok"
