#!/usr/bin/env bash
# Tests scripts/find-libclang.sh against directory trees of its own. The first case is the
# machine that broke `make demo`: libclang-cpp.so.14 present, the C library bindgen loads absent.
set -euo pipefail
find="$(dirname "$0")/find-libclang.sh"
failures=0

# expect NAME EXPECTED_OUTPUT FILE...: lays out FILEs under a fresh root, runs the search.
expect() {
    local name=$1 want=$2
    shift 2
    local root
    root=$(mktemp -d)
    for f in "$@"; do
        mkdir -p "$root/$(dirname "$f")"
        : >"$root/$f"
    done
    local got
    got=$("$find" "$root" || true)
    got=${got#"$root"}
    if [ "$got" = "$want" ]; then
        echo "ok   $name"
    else
        echo "FAIL $name: wanted '$want', got '$got'"
        failures=$((failures + 1))
    fi
    rm -rf "$root"
}

expect "only libclang-cpp (Debian's libclang-cpp14 alone)" missing \
    usr/lib/llvm-14/lib/libclang-cpp.so.14 usr/lib/x86_64-linux-gnu/libclang-cpp.so.14
expect "nothing at all" missing
expect "static archives only" missing usr/lib/llvm-14/lib/libclangBasic.a
expect "libclang1-14's versioned library" /usr/lib/llvm-14/lib/libclang-14.so.1 \
    usr/lib/llvm-14/lib/libclang-cpp.so.14 usr/lib/llvm-14/lib/libclang-14.so.1
expect "libclang-dev's libclang.so" /usr/lib/llvm-14/lib/libclang.so \
    usr/lib/llvm-14/lib/libclang.so
expect "multiarch directory" /usr/lib/x86_64-linux-gnu/libclang-14.so.14 \
    usr/lib/x86_64-linux-gnu/libclang-14.so.14
expect "/usr/local install" /usr/local/lib/libclang.so.18 usr/local/lib/libclang.so.18
expect "a directory named like the library is not it" missing usr/lib/libclang.so/.keep

[ "$failures" = 0 ] || { echo "$failures case(s) failed"; exit 1; }
