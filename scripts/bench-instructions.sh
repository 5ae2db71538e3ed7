#!/usr/bin/env bash
# Instructions per operation for the bench's rows, each variant (raw libuv, uvco, tokio, ...)
# under callgrind: two runs of `uvco-bench --iters N` with different N, whose difference in
# total instructions (user space, all threads), divided by the difference in N, is the cost
# of one operation with setup and warm-up cancelled. Unlike wall clock on a shared 2-core
# machine, these counts repeat (to a few instructions where a threadpool is involved), so they
# show overhead the timings' noise hides.
#
# Environment: ROWS (space-separated row names; the default list below), SCALE (multiplies each
# row's N, 1). Extra arguments go to cargo's build (e.g. --offline).
set -euo pipefail

cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
SCALE=${SCALE:-1}
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind not found" >&2; exit 1; }

# row:N (the smaller run; the larger is 3N). N keeps each run to seconds under callgrind.
default_rows="fs_stat:400 fs_stat_x64:1000 readfile_4k:200 writefile_4k:200 getaddrinfo:100
tcp_connect:100 tcp_write_64:10000 tcp_echo_64:2000 tcp_stream_64k:200 spawn_join:10000"
ROWS=${ROWS:-$(echo $default_rows | tr ' ' '\n' | cut -d: -f1 | tr '\n' ' ')}

"$CARGO" build --quiet --release -p uvco-bench --bin uvco-bench "$@"
target_dir=$("$CARGO" metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bench="$target_dir/release/uvco-bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Total instructions of one callgrind run of `bench --iters $1 --variant $2 --exact $3`.
instructions() {
    local out="$work/cg.out"
    valgrind --tool=callgrind --callgrind-out-file="$out" -q \
        "$bench" --no-memory --no-table --exact --iters "$1" --variant "$2" "$3" >/dev/null 2>&1
    sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out"
}

echo "| row | variant | instructions/op | uvco (or await floor) variant − raw (or std) | uvco variant − await floor |"
echo "|---|---|--:|--:|--:|"
for row in $ROWS; do
    n=$(echo $default_rows | tr ' ' '\n' | sed -n "s/^$row:\([0-9]*\)$/\1/p")
    n=$(( ${n:-200} * SCALE ))
    big=$(( 3 * n ))
    base=
    floor=
    "$bench" --list --exact "$row" | grep -P '\t' | cut -f2 | while read -r label; do
        small_i=$(instructions "$n" "$label" "$row")
        big_i=$(instructions "$big" "$label" "$row")
        per=$(( (big_i - small_i) / (big - n) ))
        delta=
        over_floor=
        case "$label" in
            raw|std) base=$per ;;
            "await floor") floor=$per ;;
        esac
        case "$label" in
            uvco*|await*) [ -n "$base" ] && delta=$(( per - base )) ;;
        esac
        case "$label" in
            uvco*) [ -n "$floor" ] && over_floor=$(( per - floor )) ;;
        esac
        [ -n "$delta" ] && [ "$delta" -ge 0 ] && delta="+$delta"
        [ -n "$over_floor" ] && [ "$over_floor" -ge 0 ] && over_floor="+$over_floor"
        echo "| $row | $label | $per | $delta | $over_floor |"
    done
done
echo
echo "callgrind, user-space instructions over all threads, (I(3N) - I(N)) / 2N per row's N."
echo "await floor: the least an await can cost under the resume rule R4 (bench/src/await_floor/); uvco − await floor is what uvco adds to the await itself."
