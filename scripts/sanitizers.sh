#!/usr/bin/env bash
# Runs uvco's tests under the sanitizers of the nightly toolchain:
#
#   asan   AddressSanitizer (with LeakSanitizer) over the unit and integration tests of the
#          uvco and uvco-runtime packages, bundled libuv instrumented too (see below).
#   tsan   ThreadSanitizer over the tests that wake a task, or free a block, from another
#          thread than the loop's (std rebuilt with -Zbuild-std, as TSan needs).
#   miri   miri over the unit tests of the facade (the root package) that don't call libuv.
#
# Usage: scripts/sanitizers.sh [asan] [tsan] [miri]   (no argument: all three)
#        UVCO_SANITIZERS_SKIP="name ..." leaves those integration-test targets out.
#        UVCO_PRUNE_TARGETS=1 removes each sanitizer's target directory once it has passed
#        (CI sets it: together they would take over 3 GB of a machine's disk).
#
# Each sanitizer builds into a target directory of its own (target/asan, target/tsan; miri
# into target/miri, shared with `make miri`), so that none of them thrashes the normal
# build or another one, and an unchanged tree rebuilds nothing. Needs the nightly toolchain with rust-src and miri (the
# Makefile's targets install them).
#
# Skipped, and why:
# - the trybuild test `ui`: it runs cargo itself on compile-fail cases; nothing of ours runs.
# - tests named deliberate_leak_*: they leak on purpose (a forgotten guard must leak rather
#   than dangle), as in scripts/valgrind-tests.sh.
# - doctests: rustdoc does not take the sanitizer flags of the test build.
#
# libuv under ASan: instrumented too. It has to be: uvco's contract (R1) is that libuv never
# touches memory the runtime gave back, and those accesses (a request's result, a statbuf,
# readdir entries, a handle's fields) are made by libuv's C code; uninstrumented, they go
# unseen (ASan's malloc interposition alone catches only double frees and leaks of libuv's
# own allocations). libuv-sys2 compiles libuv with the cc crate, which since 1.11 (the
# version in Cargo.lock) adds -fsanitize=address (and, for gcc, -fno-ipa-icf-variables) by
# itself when CARGO_CFG_SANITIZE has `address`, for gcc and clang on x86_64 Linux; the
# CFLAGS_<target> below says it again, for an older cc. gcc's objects call the same
# __asan_* ABI that the LLVM runtime linked into rustc's test binaries provides: a
# use-after-free of a libuv handle is reported in libuv's frame (core.c, uv_is_active).
#
# libuv under TSan: instrumented too (cc does not add -fsanitize=thread by itself, so
# CFLAGS_<target> does). Not so much for libuv's own accesses as for its closes: on Linux,
# libuv closes fds with a raw syscall(SYS_close), unseen by TSan, *unless* it is compiled
# with -fsanitize=thread (__SANITIZE_THREAD__), when it calls close(3). Uninstrumented, every
# fd that libuv closed and another thread's socket(2) or accept(2) then reused looks to TSan
# like a race on that fd (seen: std's accept4 in a peer thread against the epoll_create1 of
# a loop that was gone; and uv__iou_init's mmap of its io_uring fd against the same). With
# libuv instrumented, no suppressions are needed. The synchronisation
# under test is uvco's (its wake queue, slots, free lists: Rust, instrumented) and libuv's
# threadpool hand-over (pthread mutexes and conditions, an eventfd write for uv_async_send),
# which TSan sees through its interceptors. gcc's TSan instrumentation calls the same
# __tsan_* entry points as clang's, which the runtime rustc links provides.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
TARGET=x86_64-unknown-linux-gnu
TARGET_ENV=${TARGET//-/_}

# Test targets to leave out (space-separated names), for a run while one doesn't build.
SKIP_TARGETS=" ${UVCO_SANITIZERS_SKIP:-} "

# The test targets of a package's tests/ directory, except trybuild's `ui`, as --test flags.
test_flags() {
    local dir=$1 f name
    for f in "$dir"/tests/*.rs; do
        name=$(basename "$f" .rs)
        [ "$name" = ui ] && continue
        [[ $SKIP_TARGETS == *" $name "* ]] && continue
        printf -- '--test %s ' "$name"
    done
}

# Removes a sanitizer's target directory after its run, when UVCO_PRUNE_TARGETS=1.
prune() {
    if [ "${UVCO_PRUNE_TARGETS:-0}" = 1 ]; then
        echo "==> sanitizers: removing $1 ($(du -sh "$1" | cut -f1))"
        rm -rf "$1"
    fi
}

run_asan() {
    echo "==> sanitizers: AddressSanitizer (+LeakSanitizer), target/asan"
    local start=$SECONDS
    # shellcheck disable=SC2046 # word splitting of the --test flags is intended
    env RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" \
        "CFLAGS_$TARGET_ENV=-fsanitize=address -fno-omit-frame-pointer" \
        ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1" \
        CARGO_TARGET_DIR=target/asan \
        "$CARGO" +nightly test --target "$TARGET" \
        -p uvco -p uvco-runtime --lib $(test_flags .) $(test_flags uvco-runtime) \
        -- --skip deliberate_leak
    echo "==> sanitizers: asan passed in $((SECONDS - start)) s"
    prune target/asan
}

# The tests where another thread than the loop's touches the runtime: wakers moved to and
# woken from other threads (through the scheduler's remote queue and uv_async_send),
# runtimes on several threads, free-list blocks freed on another thread, the threadpool
# handing results back, a peer thread on a socket, and runtime drops raced against waking
# threads (tests/reliability.rs, when present).
TSAN_RUNTIME_TESTS=(
    a_waker_moved_to_another_thread_wakes_its_task
    runtimes_on_several_threads
    abort_cancels_the_request_of_the_task
    dropped_mid_flight_leaks_nothing_and_completes_once
    cancelled_before_start_reports_ecanceled_once
)
TSAN_UNIT_TESTS=(
    remote_wake_goes_through_the_kick
    main_waker_sets_the_flag_from_any_thread
    block_freed_on_another_thread
)

run_tsan() {
    echo "==> sanitizers: ThreadSanitizer (-Zbuild-std), target/tsan"
    local start=$SECONDS
    local -a tsan_env=(
        RUSTFLAGS="-Zsanitizer=thread -Cforce-frame-pointers=yes"
        "CFLAGS_$TARGET_ENV=-fsanitize=thread -fno-omit-frame-pointer"
        TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
        CARGO_TARGET_DIR=target/tsan
    )
    local -a cargo_tsan=("$CARGO" +nightly test -Zbuild-std --target "$TARGET")
    env "${tsan_env[@]}" "${cargo_tsan[@]}" -p uvco-runtime --lib -- "${TSAN_UNIT_TESTS[@]}"
    env "${tsan_env[@]}" "${cargo_tsan[@]}" -p uvco-runtime --test runtime -- \
        "${TSAN_RUNTIME_TESTS[@]}"
    # races.rs: the threadpool racing cancellation; requests.rs: peer threads on sockets.
    local -a uvco_tests=(--test races --test requests --test workers)
    [ -f tests/reliability.rs ] && [[ $SKIP_TARGETS != *" reliability "* ]] &&
        uvco_tests+=(--test reliability)
    env "${tsan_env[@]}" "${cargo_tsan[@]}" -p uvco "${uvco_tests[@]}" -- --skip deliberate_leak
    # drop_every_await.rs, the families whose work crosses threads inside the runtime
    # (spawn_blocking, fs and DNS on the threadpool, every drop point); its stream families'
    # other threads are socket peers, which share nothing with the runtime (and take minutes
    # under TSan).
    env "${tsan_env[@]}" "${cargo_tsan[@]}" -p uvco --test drop_every_await -- \
        dns_time_and_tasks fs_functions fs_dirs_and_files
    echo "==> sanitizers: tsan passed in $((SECONDS - start)) s"
    prune target/tsan
}

run_miri() {
    echo "==> sanitizers: miri over the facade's unit tests"
    local start=$SECONDS
    # The facade's unit tests are pure Rust (offsets, rounding, paths); any test that calls
    # libuv would fail here with "unsupported operation: can't call foreign function", which
    # is how a new one that needs libuv shows itself: mark it #[cfg_attr(miri, ignore)].
    # cargo miri builds under target/miri by itself, shared with `make miri`.
    MIRIFLAGS=-Zmiri-permissive-provenance "$CARGO" +nightly miri test -p uvco --lib
    echo "==> sanitizers: miri passed in $((SECONDS - start)) s"
}

what=("$@")
[ ${#what[@]} -eq 0 ] && what=(asan tsan miri)
for w in "${what[@]}"; do
    case $w in
        asan) run_asan ;;
        tsan) run_tsan ;;
        miri) run_miri ;;
        *) echo "sanitizers: unknown '$w' (asan, tsan, miri)" >&2; exit 2 ;;
    esac
done
