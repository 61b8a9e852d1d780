# `make test` runs every gate and test suite; `make demo` runs the demo platform site.

CARGO ?= cargo

.PHONY: test lint rust-test demo bench

test: lint rust-test

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) build -p stripe-connect-oauth --no-default-features

rust-test:
	$(CARGO) test --workspace

bench:
	$(CARGO) bench -p stripe-connect-oauth --bench sans_io
