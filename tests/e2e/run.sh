#!/usr/bin/env bash
# Browser end-to-end test of the demo site in real headless Chromium: approve, deny,
# tampered state, reload and replay of the callback, Disconnect, and a forged Disconnect.
#
# Usage: tests/e2e/run.sh                       run the tests
#        tests/e2e/run.sh --docs-screenshots    refresh docs/demo-home.png and docs/demo-connected.png
#
# Needs Debian's chromium and chromium-driver. As root, this script installs them with apt-get
# when they are missing. Otherwise it prints the command to install them. selenium goes into a virtualenv under the
# cargo target directory. Screenshots of failed tests are kept in tests/e2e/artifacts/.
# The last line of output is "N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
ARTIFACTS="$ROOT/tests/e2e/artifacts"

fail() {
    echo "error: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

ensure_chromium() {
    if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
        return
    fi
    if [[ "$(id -u)" != 0 ]]; then
        fail "Chromium or ChromeDriver is missing: install them with" \
            "'sudo apt-get update && sudo apt-get install -y chromium chromium-driver'," \
            "then run this script again"
    fi
    echo "installing chromium and chromium-driver with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]] ||
        fail "apt-get did not install $CHROMIUM and $CHROMEDRIVER"
}

# Creates the virtualenv with the pinned selenium unless it already has it.
ensure_selenium() {
    local venv="$1"
    local requirements="$ROOT/tests/e2e/requirements.txt"
    local stamp="$venv/requirements.txt"
    if [[ -x "$venv/bin/python" ]] && cmp -s "$requirements" "$stamp"; then
        return
    fi
    echo "installing selenium into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" ||
        fail "python3 cannot create a virtualenv: install python3-venv" \
            "(apt-get install python3-venv), then run this script again"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" ||
        fail "pip could not install $requirements"
    cp "$requirements" "$stamp"
}

ensure_chromium

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
VENV="$TARGET_DIR/e2e-venv"
ensure_selenium "$VENV"

cargo build --quiet -p stripe-connect-oauth-cli
BINARY="$TARGET_DIR/debug/stripe-connect-oauth"

EXTRA=()
if [[ "${1:-}" == "--docs-screenshots" ]]; then
    EXTRA=(--docs-screenshots "$ROOT/docs")
elif [[ $# -gt 0 ]]; then
    fail "unknown argument '$1'; the only option is --docs-screenshots"
fi

exec "$VENV/bin/python" "$ROOT/tests/e2e/test_demo.py" \
    --binary "$BINARY" --artifacts "$ARTIFACTS" "${EXTRA[@]}"
