#!/usr/bin/env bash
# Installs the C library: libstripe_connect_oauth.so and .a, include/stripe_connect_oauth.h, and
# the pkg-config file stripe_connect_oauth.pc.
#
# Settings (environment variables):
#   PREFIX      installation prefix (default /usr/local)
#   LIBDIR      library directory (default $PREFIX/lib)
#   INCLUDEDIR  header directory (default $PREFIX/include)
#   DESTDIR     staging root prepended to every path, for packaging (default empty)
#   PROFILE     cargo profile to build: release (default) or debug
#
# Example: PREFIX="$HOME/.local" scripts/install-c.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

prefix=${PREFIX:-/usr/local}
libdir=${LIBDIR:-$prefix/lib}
includedir=${INCLUDEDIR:-$prefix/include}
destdir=${DESTDIR:-}
profile=${PROFILE:-release}

case "$profile" in
  release) cargo build -p stripe-connect-oauth-ffi --release ;;
  debug) cargo build -p stripe-connect-oauth-ffi ;;
  *)
    echo "PROFILE must be release or debug, not $profile" >&2
    exit 2
    ;;
esac

metadata=$(cargo metadata --format-version 1 --no-deps)
target_dir=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])' <<<"$metadata")
version=$(python3 -c '
import json, sys
packages = json.load(sys.stdin)["packages"]
print(next(p["version"] for p in packages if p["name"] == "stripe-connect-oauth-ffi"))
' <<<"$metadata")
built="$target_dir/$profile"

install -d "$destdir$libdir/pkgconfig" "$destdir$includedir"
install -m 0644 include/stripe_connect_oauth.h "$destdir$includedir/"
install -m 0755 "$built/libstripe_connect_oauth.so" "$destdir$libdir/"
install -m 0644 "$built/libstripe_connect_oauth.a" "$destdir$libdir/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@LIBDIR@|$libdir|" -e "s|@INCLUDEDIR@|$includedir|" \
  -e "s|@VERSION@|$version|" ffi-c/stripe_connect_oauth.pc.in \
  >"$destdir$libdir/pkgconfig/stripe_connect_oauth.pc"

echo "installed stripe_connect_oauth $version ($profile) into $destdir$prefix"
