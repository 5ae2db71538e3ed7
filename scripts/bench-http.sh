#!/usr/bin/env bash
# HTTP rows of the bench: one hyper http1 file server (bench/src/bin/http_server.rs) on uvco and
# on tokio, driven by wrk, the runtimes of a group alternating in one run so that the machine's
# drift hits all of them. Per case and round, a fresh server of each runtime (so its peak RSS is
# that case's), in an order that rotates from round to round.
#
# Two groups:
# - single: uvco (one runtime) against tokio current_thread, on every case;
# - multi: uvco on 1 and on WORKERS worker threads (`uvco::workers`, an SO_REUSEPORT listener
#   per worker) against tokio's multi-thread runtime with WORKERS workers, on the MULTI_CASES.
#
# Cases: keep-alive and `Connection: close` on a 4 KiB file, keep-alive on a 1 MiB file,
# 1000 keep-alive connections on the 4 KiB file (wrk's timeouts counted), and the keep-alive
# cases again with the files served from memory (the server's `mem` mode). Prints each run, then
# per case and group the median requests/s of each runtime, the median of the rounds' ratios
# against the group's baseline (tokio, tokio-mt), their spread (lowest-highest), wrk's timeouts
# (all rounds), the highest VmHWM (peak RSS) of each runtime's servers, and the median of the
# servers' CPU time per request.
#
# Environment: ROUNDS (3), DURATION (seconds per run, 5), CONNS (64), MANY (1000), THREADS
# (wrk threads, 2), PORT (18473), CASES (a regex on case names, all by default), HTTP_GROUPS
# ("single multi"), WORKERS (2), MULTI_CASES (a regex, default keepalive_4k, close_4k and
# keepalive_4k_mem). Extra arguments go to cargo's build (e.g. --offline).
set -euo pipefail

cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
MANY=${MANY:-1000}
THREADS=${THREADS:-2}
PORT=${PORT:-18473}
CASES=${CASES:-.}
HTTP_GROUPS=${HTTP_GROUPS:-single multi}
WORKERS=${WORKERS:-2}
MULTI_CASES=${MULTI_CASES:-^(keepalive_4k|close_4k|keepalive_4k_mem)$}

command -v wrk >/dev/null || { echo "bench-http: wrk not found (make bench-http installs it)" >&2; exit 1; }

"$CARGO" build --quiet --release -p uvco-bench --bin http_server "$@"
target_dir=$("$CARGO" metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
server="$target_dir/release/http_server"

# 1000 connections need more than the usual 1024 fds, on both ends.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/www"
head -c 4096 /dev/urandom >"$work/www/4k.bin"
head -c $((1024 * 1024)) /dev/urandom >"$work/www/1m.bin"

# name path connections header mode ("mem": the server reads the files once at start, which
# tells the network's share from the file read's)
cases=(
    "keepalive_4k /4k.bin $CONNS - file"
    "close_4k /4k.bin $CONNS Connection:close file"
    "keepalive_1m /1m.bin $CONNS - file"
    "conns${MANY}_4k /4k.bin $MANY - file"
    "keepalive_4k_mem /4k.bin $CONNS - mem"
    "keepalive_1m_mem /1m.bin $CONNS - mem"
)

# Runs one server under wrk; prints "req_per_s timeouts errors p99 vmhwm_kb cpu_us", the last
# the server's CPU time (user + system, all its threads) per request, in microseconds: less
# swayed by the other load on the machine than requests/s.
run_one() {
    local rt=$1 path=$2 conns=$3 header=$4 mode=$5
    local mem=() kind=$rt
    [ "$mode" = mem ] && mem=(mem)
    # uvco-wN: uvco on N workers; tokio-mtN: tokio multi-thread with N workers.
    case $rt in
        uvco-w*) kind=uvco mem+=(--workers "${rt#uvco-w}") ;;
        tokio-mt*) kind=tokio-mt mem+=(--workers "${rt#tokio-mt}") ;;
    esac
    "$server" "$kind" "$PORT" "$work/www" "${mem[@]}" >"$work/server.log" 2>&1 &
    pid=$!
    local up=
    for _ in $(seq 100); do
        if curl -fs -o /dev/null "http://127.0.0.1:$PORT$path"; then up=1; break; fi
        sleep 0.05
    done
    [ -n "$up" ] || { echo "bench-http: $rt server did not come up" >&2; cat "$work/server.log" >&2; exit 1; }
    local args=(-t "$THREADS" -c "$conns" -d "${DURATION}s" --latency)
    [ "$header" != - ] && args+=(-H "${header/:/: }")
    wrk "${args[@]}" "http://127.0.0.1:$PORT$path" >"$work/wrk.out"
    local hwm ticks
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    # utime and stime: fields 14 and 15 of /proc/PID/stat (the name, field 2, has no spaces).
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    awk -v hwm="$hwm" -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" '
        / requests in / { requests = $1 }
        /Requests\/sec:/ { rps = $2 }
        /Socket errors:/ { gsub(",", ""); errors = $4 + $6 + $8; timeouts = $10 }
        /Non-2xx/ { errors += $NF }
        $1 == "99%" { p99 = $2 }
        END {
            cpu = requests > 0 ? ticks / hz * 1e6 / requests : 0
            printf "%s %d %d %s %s %.1f\n", rps, timeouts, errors, p99, hwm, cpu
        }
    ' "$work/wrk.out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One case of one group: the runtimes alternate (order rotating by round); the first runtime
# listed is the baseline of the ratios. Appends a summary line per runtime to `summary`.
bench_case() {
    local name=$1 path=$2 conns=$3 header=$4 mode=$5
    shift 5
    local base=$1 rts=("$@") n=$#
    local rt
    for rt in "${rts[@]}"; do
        : >"$work/$rt.runs"
        : >"$work/$rt.ratios"
    done
    for round in $(seq "$ROUNDS"); do
        local i order=()
        for i in $(seq 0 $((n - 1))); do
            order+=("${rts[$(((i + round - 1) % n))]}")
        done
        for rt in "${order[@]}"; do
            line=$(run_one "$rt" "$path" "$conns" "$header" "$mode")
            echo "$line" >>"$work/$rt.runs"
            read -r rps timeouts errors p99 hwm cpu <<<"$line"
            printf '%-16s round %d %-9s %10s req/s  timeouts %5d  errors %5d  p99 %8s  VmHWM %7s kB  cpu %6s us/req\n' \
                "$name" "$round" "$rt" "$rps" "$timeouts" "$errors" "$p99" "$hwm" "$cpu"
        done
        for rt in "${rts[@]}"; do
            paste -d' ' "$work/$rt.runs" "$work/$base.runs" | tail -1 | awk '{ printf "%.4f\n", $1 / $(NF / 2 + 1) }' >>"$work/$rt.ratios"
        done
    done
    local b_hwm
    b_hwm=$(cut -d' ' -f5 "$work/$base.runs" | sort -g | tail -1)
    for rt in "${rts[@]}"; do
        local rps ratio lo hi to hwm cpu
        rps=$(cut -d' ' -f1 "$work/$rt.runs" | median)
        ratio=$(median <"$work/$rt.ratios")
        lo=$(sort -g "$work/$rt.ratios" | head -1)
        hi=$(sort -g "$work/$rt.ratios" | tail -1)
        to=$(awk '{ s += $2 } END { print s }' "$work/$rt.runs")
        hwm=$(cut -d' ' -f5 "$work/$rt.runs" | sort -g | tail -1)
        cpu=$(cut -d' ' -f6 "$work/$rt.runs" | median)
        summary+=("$(printf '%-16s %-9s %10.0f %7.2fx %5.2f-%-5.2f %8d %9d %6.2fx %7.1f' \
            "$name" "$rt" "$rps" "$ratio" "$lo" "$hi" "$to" "$hwm" \
            "$(awk -v u="$hwm" -v t="$b_hwm" 'BEGIN { print u / t }')" "$cpu")")
    done
}

summary=()
for group in $HTTP_GROUPS; do
    case $group in
        single) rts=(tokio uvco) ;;
        multi) rts=("tokio-mt$WORKERS" uvco-w1 "uvco-w$WORKERS") ;;
        *) echo "bench-http: unknown group $group (single, multi)" >&2; exit 2 ;;
    esac
    for spec in "${cases[@]}"; do
        read -r name path conns header mode <<<"$spec"
        [[ $name =~ $CASES ]] || continue
        [ "$group" = multi ] && ! [[ $name =~ $MULTI_CASES ]] && continue
        bench_case "$name" "$path" "$conns" "$header" "$mode" "${rts[@]}"
    done
done

echo
echo "HTTP/1.1 file server under wrk ($THREADS threads, ${DURATION}s per run, $ROUNDS rounds; ratio: median of the rounds' runtime/baseline, baseline tokio or tokio-mt$WORKERS; spread: lowest-highest round)"
printf '%-16s %-9s %10s %8s %-11s %8s %9s %7s %7s\n' case runtime req_per_s ratio spread timeouts VmHWM_kB rss cpu_us
for line in "${summary[@]}"; do echo "$line"; done
