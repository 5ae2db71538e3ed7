# uvco: `make demo` runs the tour, `make test` runs every test. Both first install what the
# build needs when it is missing (bindgen in libuv-sys2 needs libclang), and skip that when
# it is present.
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: deps demo test check scripts-test unit miri valgrind stress bench bench-node fmt

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }
	@if ! scripts/find-libclang.sh >/dev/null; then \
		echo "installing libclang-dev (bindgen in libuv-sys2 loads libclang.so)"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq libclang-dev; \
		scripts/find-libclang.sh >/dev/null || { echo "libclang still missing after install"; exit 1; }; \
	fi

# The tour: a composite file read, DNS and a TCP echo, each timed next to raw libuv
# callbacks. Built without tokio, so that a fresh machine builds it quickly.
demo: deps
	$(CARGO) run --release -p uvco-bench --no-default-features --bin demo

# Everything CI runs: lints, the test suite, miri on the runtime core, valgrind on the
# integration tests.
test: check scripts-test unit miri valgrind

# The shell scripts the build itself rests on.
scripts-test:
	scripts/test-find-libclang.sh

check: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

unit: deps
	$(CARGO) test --workspace

# The allocator and task core (the parts that don't call libuv) under miri.
miri: deps
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@rustup component list --toolchain nightly --installed | grep -q '^miri' || rustup component add --toolchain nightly miri rust-src
	MIRIFLAGS=-Zmiri-permissive-provenance $(CARGO) +nightly miri test -p uvco-runtime --lib

valgrind: deps
	@command -v valgrind >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq valgrind; }
	scripts/valgrind-tests.sh

# The stress tests at full size: 100k requests dropped in random order, 20k timeout tasks.
stress: deps
	UVCO_STRESS_SCALE=100 $(CARGO) test --release --test stress -- --nocapture

# uvco vs raw libuv callbacks vs tokio, in one run (about 2 minutes), io_uring rows included.
bench: deps
	$(CARGO) run --release -p uvco-bench --bin uvco-bench -- --io-uring

# The same fs operations in Node.js, with callbacks and with fs.promises.
bench-node:
	@command -v node >/dev/null || { echo "node not found: install Node.js"; exit 1; }
	node bench/node/fs_bench.js

fmt:
	$(CARGO) fmt --all
