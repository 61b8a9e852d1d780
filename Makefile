# `make test` runs every gate and test suite; `make demo` runs the demo platform site.

CARGO ?= cargo
PREFIX ?= /usr/local

.PHONY: test deps lint rust-test c-test install bench

test: deps lint rust-test c-test

deps:
	bash scripts/install-test-deps.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) build -p stripe-connect-oauth --no-default-features
	$(CARGO) build -p stripe-connect-oauth --no-default-features --features native-tls

# The workspace tests include the header check, which regenerates
# include/stripe_connect_oauth.h with the pinned cbindgen and fails on any difference.
rust-test:
	$(CARGO) test --workspace

c-test:
	bash tests/c/run.sh

install:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" bash scripts/install-c.sh

bench:
	$(CARGO) bench -p stripe-connect-oauth --bench sans_io
	$(CARGO) bench -p stripe-connect-oauth --bench exchange
	bash core/benches/callgrind.sh
