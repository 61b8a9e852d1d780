#!/usr/bin/env bash
# Runs bench_vs_stripe_python.py: builds the release wheel and the release fake server, and
# creates a virtualenv of its own (target/python/bench-venv) with the wheel and stripe-python,
# which no other virtualenv of this project installs. Extra arguments go to the script.
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repository"

python="${PYTHON:-python3}"
venv="$repository/target/python/bench-venv"
wheels="$repository/target/python/bench-wheels"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin==1.16.0 stripe==16.1.0

cargo build --release -p fake-stripe --bin fake-stripe-connect
rm -rf "$wheels"
"$venv/bin/maturin" build --manifest-path python/Cargo.toml --out "$wheels"
wheel=("$wheels"/stripe_connect_oauth-*.whl)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "${wheel[0]}"

"$venv/bin/python" python/bench/bench_vs_stripe_python.py \
    --fake "$repository/target/release/fake-stripe-connect" "$@"
