#!/usr/bin/env bash
# Counts the instructions the client and the bare ureq floor spend per exchange, with callgrind.
#
# The fake runs in its own process, so the counts cover the client side only. Each contender
# runs N1 and N2 exchanges inside one collected function. The difference, divided by N2 - N1,
# removes start-up and the first connection and leaves the cost of one pooled exchange.
set -euo pipefail
cd "$(dirname "$0")/../.."

N1=${N1:-50}
N2=${N2:-150}

command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }

cargo build --release -q -p fake-stripe --bin fake-stripe-connect
bench=$(cargo bench -p stripe-connect-oauth --bench exchange --no-run 2>&1 \
  | grep -o 'target/release/deps/exchange-[0-9a-f]*' | head -n 1)

work=$(mktemp -d)
./target/release/fake-stripe-connect --port 0 >"$work/announce" 2>"$work/fake.log" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/announce" ] && break; sleep 0.1; done
base_url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["base_url"])' <"$work/announce")
export FAKE_SECRET_KEY
FAKE_SECRET_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["test_secret_key"])' <"$work/announce")

count() {
  local mode=$1 n=$2 function=$3
  valgrind --tool=callgrind --callgrind-out-file="$work/out" --toggle-collect="*$function*" \
    "$bench" instructions "$mode" "$base_url" "$n" 2>/dev/null
  callgrind_annotate "$work/out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

declare -A per_exchange
for mode in client floor; do
  function=run_${mode}_exchanges
  low=$(count "$mode" "$N1" "$function")
  high=$(count "$mode" "$N2" "$function")
  per_exchange[$mode]=$(( (high - low) / (N2 - N1) ))
  echo "$mode: ${per_exchange[$mode]} instructions per exchange ($N1 -> $low, $N2 -> $high)"
done
python3 -c "print(f'ratio client/floor: {${per_exchange[client]} / ${per_exchange[floor]}:.3f}')"
