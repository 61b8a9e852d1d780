#!/usr/bin/env bash
# Builds the stripe_connect_oauth wheel and runs every Python check on it: ruff, mypy's stubtest
# against the built module, mypy on the package and tests, and pytest against the fake Stripe
# server binary. Exits non-zero when any step fails, pytest's "no tests collected" included.
#
# The virtualenv lives in target/python/venv (override with PYTHON_VENV) and is created on first
# use from `python3` (override with PYTHON). The tools are pinned below.
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repository"

python="${PYTHON:-python3}"
venv="${PYTHON_VENV:-$repository/target/python/venv}"
wheels="$repository/target/python/wheels"
tools=(
    maturin==1.16.0
    pytest==9.2.0
    pytest-timeout==2.4.0
    mypy==2.4.1
    ruff==0.17.6
)

step() {
    printf '\n== %s\n' "$*"
}

step "virtualenv $venv"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${tools[@]}"

step "fake Stripe server binary"
cargo build -p fake-stripe --bin fake-stripe-connect
export FAKE_STRIPE_CONNECT="$repository/target/debug/fake-stripe-connect"

step "wheel"
rm -rf "$wheels"
"$venv/bin/maturin" build --manifest-path python/Cargo.toml --out "$wheels"
wheel=("$wheels"/stripe_connect_oauth-*.whl)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "${wheel[0]}"

cd "$repository/python"

step "ruff"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .

step "stubtest"
# Run outside the source tree, so that the installed package is the one imported.
(cd "$repository/target/python" && "$venv/bin/python" -m mypy.stubtest stripe_connect_oauth)

step "mypy"
"$venv/bin/mypy" python/stripe_connect_oauth tests

step "pytest"
status=0
"$venv/bin/python" -m pytest -W error --timeout 60 tests || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
fi
exit "$status"
