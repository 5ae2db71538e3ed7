# uvco: `make demo` runs the tour, `make test` runs every test. Both install what the
# build needs first (bindgen in libuv-sys2 needs libclang), and skip that when present.
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo test lint miri bench fmt

deps:
	@if ! ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 && ! ls /usr/lib/*/libclang*.so* >/dev/null 2>&1; then \
		echo "installing libclang-dev (needed by bindgen in libuv-sys2)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libclang-dev; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }

demo: deps
	$(CARGO) run --release --example demo

test: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace

fmt:
	$(CARGO) fmt --all
