# `make test` runs every gate and test suite; `make demo` runs the demo platform site.

CARGO ?= cargo
PREFIX ?= /usr/local

.PHONY: test deps lint rust-test c-test python-test e2e demo install bench python-bench

# The browser test runs last, so the run ends on its `N passed, N failed` line.
test: deps lint rust-test c-test python-test e2e

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

# Builds the wheel into a virtualenv under target/python and runs ruff, stubtest, mypy and pytest.
python-test:
	bash python/run-tests.sh

e2e:
	bash tests/e2e/run.sh

demo:
	$(CARGO) run -p stripe-connect-oauth-cli -- demo

install:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" bash scripts/install-c.sh

bench:
	$(CARGO) bench -p stripe-connect-oauth --bench sans_io
	$(CARGO) bench -p stripe-connect-oauth --bench exchange
	bash core/benches/callgrind.sh

python-bench:
	bash python/bench/run-bench.sh
