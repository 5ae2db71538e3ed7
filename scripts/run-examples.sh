#!/usr/bin/env bash
# Runs every example of the `uvco` package (examples/*.rs) with `cargo run --example`, so that
# they can't rot: each must build, run on its own and exit 0. Stops at the first that fails.
# Extra arguments go to cargo (e.g. --release).
set -euo pipefail

cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}

shopt -s nullglob
examples=(examples/*.rs)
if [ ${#examples[@]} -eq 0 ]; then
    echo "run-examples: no examples in examples/" >&2
    exit 1
fi

for path in "${examples[@]}"; do
    name=$(basename "$path" .rs)
    echo "==> cargo run --example $name"
    # No arguments: every example then runs its self-test and exits. No stdin, and a time
    # limit, so that an example that waits forever fails instead of hanging the build.
    # `--features hyper` for the examples that require it (`[[example]]` in Cargo.toml); the
    # others build the same with it.
    if ! timeout 300 "$CARGO" run --quiet -p uvco --features hyper "$@" --example "$name" </dev/null; then
        echo "run-examples: example '$name' failed" >&2
        exit 1
    fi
done
echo "run-examples: ${#examples[@]} examples passed"
