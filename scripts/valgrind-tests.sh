#!/usr/bin/env bash
# Runs the integration-test binaries of uvco and uvco-runtime under valgrind memcheck.
# Any memory error, or memory definitely lost, fails the run. Tests named deliberate_leak_*
# leak on purpose (a forgotten guard must leak rather than dangle) and are skipped here.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind not found"; exit 1; }
bins=$(cargo test -p uvco -p uvco-runtime --tests --no-run --message-format=json 2>/dev/null \
  | python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    exe = msg.get("executable")
    # trybuild (ui) runs cargo itself: nothing of ours to check under valgrind.
    if exe and msg.get("target", {}).get("name") != "ui":
        print(exe)
')
for bin in $bins; do
  echo "valgrind: $(basename "$bin")"
  skip=(--skip deliberate_leak)
  # The drop harness's stream families wait on peer threads hundreds of times, which
  # valgrind's one-thread-at-a-time scheduling stretches to 10+ minutes; they run in
  # `make unit` and under AddressSanitizer (`make asan`), which check the same memory.
  case "$(basename "$bin")" in
    drop_every_await-*) skip+=(--skip tcp_streams --skip unix_streams --skip udp_sockets) ;;
  esac
  valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions=scripts/valgrind.supp \
    --show-possibly-lost=no --show-reachable=no "$bin" --test-threads=1 -q "${skip[@]}"
done
