# uvco: `make demo` runs the tour, `make test` runs every test. Both first install what the
# build needs when it is missing (bindgen in libuv-sys2 needs libclang), and skip that when
# it is present.
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: deps demo test check unit miri valgrind stress bench bench-node fmt

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }
	@if ! ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/*/libclang*.so* >/dev/null 2>&1; then \
		echo "installing libclang-dev (bindgen in libuv-sys2 needs it)"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq libclang-dev; \
	fi

demo: deps
	$(CARGO) run --release --example demo

# Everything CI runs: lints, the test suite, miri on the runtime core, valgrind on the
# integration tests.
test: check unit miri valgrind

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

fmt:
	$(CARGO) fmt --all
