#!/usr/bin/env bash
# Builds libstripe_connect_oauth and the fake Stripe server, then compiles the C tests, the C++
# header test and the example with -Wall -Wextra -Werror. Each program runs twice against the
# fake server on 127.0.0.1. The first run links the static library under AddressSanitizer and
# UndefinedBehaviorSanitizer, and the second links the shared library under valgrind. Finally
# the script installs the library into a temporary prefix and builds the example through
# pkg-config.
#
# The last line of output is "N passed, N failed"; the exit status is 0 only when nothing
# failed. Environment: CC (default gcc), CXX (default g++).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

CC=${CC:-gcc}
CXX=${CXX:-g++}
passed=0
failed=0

pass() {
  passed=$((passed + 1))
  echo "PASS $1"
}

fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# ---- tools -------------------------------------------------------------------------------

packages="gcc g++ libc6-dev valgrind pkg-config python3"
missing_tools() {
  local missing=""
  for tool in "$CC" "$CXX" valgrind pkg-config python3; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  echo "$missing"
}
missing=$(missing_tools)
if [ -n "$missing" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages for:$missing"
  # shellcheck disable=SC2086 # one word per package
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
  missing=$(missing_tools)
fi
if [ -n "$missing" ]; then
  echo "missing tools:$missing. Install them with: sudo apt-get install $packages" >&2
  fail "tools"
  finish
fi

# ---- build -------------------------------------------------------------------------------

echo "building the library and the fake server"
if ! cargo build -q -p stripe-connect-oauth-ffi -p fake-stripe; then
  fail "cargo build"
  finish
fi
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lib_dir="$target_dir/debug"

work=$(mktemp -d)
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null
    wait "$fake_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/asan" "$work/shared"

c_flags=(-std=c11 -Wall -Wextra -Werror -Wpedantic -g -Iinclude -Itests/c)
cxx_flags=(-std=c++17 -Wall -Wextra -Werror -Wpedantic -g -Iinclude)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
static_lib=("$lib_dir/libstripe_connect_oauth.a" -lpthread -ldl -lm)
shared_lib=("-L$lib_dir" -lstripe_connect_oauth "-Wl,-rpath,$lib_dir" -lpthread)

tests="test_vectors test_arguments test_flow test_byo_http test_threads"
built=""
for test in $tests; do
  if "$CC" "${c_flags[@]}" "${sanitize[@]}" tests/c/support.c "tests/c/$test.c" \
    "${static_lib[@]}" -o "$work/asan/$test" &&
    "$CC" "${c_flags[@]}" tests/c/support.c "tests/c/$test.c" "${shared_lib[@]}" \
      -o "$work/shared/$test"; then
    built="$built $test"
  else
    fail "compile $test"
  fi
done
if "$CXX" "${cxx_flags[@]}" "${sanitize[@]}" tests/c/test_header.cpp "${static_lib[@]}" \
  -o "$work/asan/test_header_cpp" &&
  "$CXX" "${cxx_flags[@]}" tests/c/test_header.cpp "${shared_lib[@]}" \
    -o "$work/shared/test_header_cpp"; then
  built="$built test_header_cpp"
else
  fail "compile test_header.cpp"
fi
example_built=false
if "$CC" "${c_flags[@]}" "${sanitize[@]}" examples/c/connect_example.c "${static_lib[@]}" \
  -o "$work/asan/connect_example" &&
  "$CC" "${c_flags[@]}" examples/c/connect_example.c "${shared_lib[@]}" \
    -o "$work/shared/connect_example"; then
  example_built=true
else
  fail "compile examples/c/connect_example.c"
fi

# ---- the fake Stripe server --------------------------------------------------------------

"$lib_dir/fake-stripe-connect" --port 0 >"$work/fake.json" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do
  grep -q '}' "$work/fake.json" 2>/dev/null && break
  sleep 0.1
done
fake_json=$(head -n 1 "$work/fake.json")
read_fake() {
  python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$fake_json" "$1"
}
if ! fake_url=$(read_fake base_url) || [[ "$fake_url" != http://127.0.0.1:* ]]; then
  echo "the fake server did not start; its log:" >&2
  cat "$work/fake.log" >&2
  fail "fake server"
  finish
fi
export SCO_FAKE_URL="$fake_url"
export SCO_VECTORS_DIR="$root/tests/vectors"
echo "fake server at $fake_url"

# ---- runs --------------------------------------------------------------------------------

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
valgrind=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible
  --error-exitcode=1 --suppressions=tests/c/valgrind.supp)

run() {
  local name=$1
  shift
  if "$@" >"$work/output" 2>&1; then
    pass "$name"
  else
    fail "$name"
    sed 's/^/    /' "$work/output"
  fi
}

for test in $built; do
  run "$test (asan+ubsan, static)" "$work/asan/$test"
  run "$test (valgrind, shared)" "${valgrind[@]}" "$work/shared/$test"
done

# Runs the example's two steps against the fake: authorize, the fake's approval, callback.
example_flow() {
  local state url location
  export STRIPE_CLIENT_ID STRIPE_SECRET_KEY STRIPE_CONNECT_BASE="$fake_url"
  STRIPE_CLIENT_ID=$(read_fake client_id)
  STRIPE_SECRET_KEY=$(read_fake test_secret_key)
  "$@" authorize >"$work/authorize" || return 1
  state=$(sed -n 's/^state=//p' "$work/authorize")
  url=$(sed -n 's/^url=//p' "$work/authorize")
  location=$(python3 - "$fake_url" "$url" <<'PY'
import json, sys, urllib.request
base_url, authorize_url = sys.argv[1], sys.argv[2]
request = urllib.request.Request(
    base_url + "/__fake/codes",
    data=json.dumps({"authorize_url": authorize_url}).encode(),
    headers={"Content-Type": "application/json"},
)
# No proxy: the fake listens on loopback only.
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print(json.load(opener.open(request, timeout=10))["location"])
PY
  ) || return 1
  "$@" callback "$location" "$state" >"$work/callback" || return 1
  cat "$work/authorize" "$work/callback" | grep -v '^state=\|^url='
  grep -q '^connected account acct_' "$work/callback"
}

if $example_built; then
  run "connect_example (asan+ubsan, static)" example_flow "$work/asan/connect_example"
  run "connect_example (valgrind, shared)" example_flow "${valgrind[@]}" \
    "$work/shared/connect_example"
fi

# ---- install and pkg-config --------------------------------------------------------------

install_and_build() {
  local prefix="$work/prefix"
  PREFIX="$prefix" PROFILE=debug bash scripts/install-c.sh || return 1
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  pkg-config --exists stripe_connect_oauth || return 1
  local cflags libs static_libs
  cflags=$(pkg-config --cflags stripe_connect_oauth)
  libs=$(pkg-config --libs stripe_connect_oauth)
  static_libs=$(pkg-config --static --libs stripe_connect_oauth |
    sed 's/-lstripe_connect_oauth/-Wl,-Bstatic -lstripe_connect_oauth -Wl,-Bdynamic/')
  # shellcheck disable=SC2086 # pkg-config output is a list of flags
  "$CC" -std=c11 -Wall -Wextra -Werror examples/c/connect_example.c $cflags $libs \
    "-Wl,-rpath,$(pkg-config --variable=libdir stripe_connect_oauth)" \
    -o "$work/installed_shared" || return 1
  # shellcheck disable=SC2086
  "$CC" -std=c11 -Wall -Wextra -Werror examples/c/connect_example.c $cflags $static_libs \
    -o "$work/installed_static" || return 1
  # The prefix also contains the .so, which the linker takes over the .a without -Bstatic.
  if ldd "$work/installed_static" | grep libstripe_connect_oauth; then
    echo "the static build still needs libstripe_connect_oauth.so:" \
      "link the .a with -Wl,-Bstatic" >&2
    return 1
  fi
  example_flow "$work/installed_shared" && example_flow "$work/installed_static"
}
run "make install PREFIX=... and pkg-config" install_and_build

finish
