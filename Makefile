# uvco: `make demo` runs the tour, `make test` runs every test. Both first install what the
# build needs when it is missing (bindgen in libuv-sys2 needs libclang), and skip that when
# it is present.
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
# A full run builds each crate once per target directory, so incremental state (a third of
# target/debug) only costs disk; a hand-run `cargo test` keeps it.
export CARGO_INCREMENTAL ?= 0

.PHONY: deps host-deps nightly-deps demo test check scripts-test examples host-test unit miri valgrind \
	sanitizers asan tsan miri-facade stress bench bench-http bench-instructions wrk-deps valgrind-deps bench-node fmt

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }
	@if ! scripts/find-libclang.sh >/dev/null; then \
		echo "installing libclang-dev (bindgen in libuv-sys2 loads libclang.so)"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq libclang-dev; \
		scripts/find-libclang.sh >/dev/null || { echo "libclang still missing after install"; exit 1; }; \
	fi

# What the host-mode tests need besides: Node.js (on the machine; Debian's nodejs otherwise),
# Debian's system libuv for the C host, and valgrind.
host-deps: deps
	@command -v node >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq nodejs; }
	@[ -f /usr/include/uv.h ] && ldconfig -p | grep -q 'libuv\.so\.1 ' || \
		{ echo "installing libuv1-dev (the C host's libuv)"; $(APT_GET) update -qq && $(APT_GET) install -y -qq libuv1-dev; }
	@command -v valgrind >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq valgrind; }

# The tour: a composite file read, DNS and a TCP echo, each timed next to raw libuv
# callbacks. Built without tokio, so that a fresh machine builds it quickly.
demo: deps
	$(CARGO) run --release -p uvco-bench --no-default-features --bin demo

# Everything CI runs: lints, the test suite, miri on the runtime core and the facade,
# valgrind, AddressSanitizer and ThreadSanitizer on the integration tests.
test: check scripts-test unit examples miri valgrind host-test asan tsan miri-facade

# The shell scripts the build itself rests on.
scripts-test:
	scripts/test-find-libclang.sh

check: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd host && $(CARGO) fmt --all --check
	cd host && $(CARGO) clippy --workspace --all-targets -- -D warnings

# The runnable examples in examples/, each run to completion.
examples: deps
	CARGO=$(CARGO) scripts/run-examples.sh

# uvco in host mode: inside real Node.js (the test addon on uvco-node) and inside a C program
# on Debian's libuv 1.44; symbol checks, node --test, valgrind on both.
host-test: host-deps
	CARGO=$(CARGO) scripts/host-tests.sh

unit: deps
	$(CARGO) test --workspace
	$(CARGO) test -p uvco --features tracing --test tracing

# The nightly toolchain with what miri and -Zbuild-std (ThreadSanitizer) need: miri, rust-src.
nightly-deps: deps
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@rustup component list --toolchain nightly --installed | grep -q '^miri' || rustup component add --toolchain nightly miri
	@rustup component list --toolchain nightly --installed | grep -q '^rust-src' || rustup component add --toolchain nightly rust-src

# The allocator and task core (the parts that don't call libuv) under miri.
miri: nightly-deps
	MIRIFLAGS=-Zmiri-permissive-provenance $(CARGO) +nightly miri test -p uvco-runtime --lib

# The sanitizers (scripts/sanitizers.sh says what each covers and skips), each in a target
# directory of its own under target/: AddressSanitizer and LeakSanitizer over the unit and
# integration tests, libuv's C code instrumented too; ThreadSanitizer (std rebuilt) over the
# tests that wake tasks and free blocks from other threads; miri over the facade's unit tests.
sanitizers: asan tsan miri-facade

asan: nightly-deps
	CARGO=$(CARGO) scripts/sanitizers.sh asan

tsan: nightly-deps
	CARGO=$(CARGO) scripts/sanitizers.sh tsan

miri-facade: nightly-deps
	CARGO=$(CARGO) scripts/sanitizers.sh miri

valgrind: deps valgrind-deps
	scripts/valgrind-tests.sh

valgrind-deps:
	@command -v valgrind >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq valgrind; }

# The stress tests at full size: 100k requests dropped in random order, 20k timeout tasks.
stress: deps
	UVCO_STRESS_SCALE=100 $(CARGO) test --release --test stress -- --nocapture

# uvco vs raw libuv callbacks vs tokio, in one run (about 2 minutes), io_uring rows included;
# then the HTTP rows, then instructions per operation under callgrind (which repeat where the
# timings swing).
bench: deps wrk-deps valgrind-deps
	$(CARGO) run --release -p uvco-bench --bin uvco-bench -- --io-uring
	CARGO=$(CARGO) scripts/bench-http.sh
	CARGO=$(CARGO) scripts/bench-instructions.sh

# Instructions per operation alone (about 5 minutes): raw, uvco and tokio under callgrind.
bench-instructions: deps valgrind-deps
	CARGO=$(CARGO) scripts/bench-instructions.sh

# The HTTP rows alone (about 2 minutes): one hyper file server on uvco and on tokio under wrk,
# alternating; keep-alive, Connection: close, 1 MiB, 1000 connections, peak RSS.
bench-http: deps wrk-deps
	CARGO=$(CARGO) scripts/bench-http.sh

# wrk (the HTTP load generator) and curl (the script's readiness check), when missing.
wrk-deps:
	@command -v wrk >/dev/null && command -v curl >/dev/null || \
		{ $(APT_GET) update -qq && $(APT_GET) install -y -qq wrk curl; }

# fs.stat and fs.readFile in one node process: callbacks, fs.promises, and the uvco addon
# (host mode) as promises and callbacks; ops/s, mallocs/op, JS heap bytes/op.
bench-node: host-deps
	CARGO=$(CARGO) scripts/bench-node.sh

fmt:
	$(CARGO) fmt --all
