#!/usr/bin/env bash
# Installs the Debian packages that `make test` needs beyond the Rust toolchain, when they are
# missing: OpenSSL headers for the native-tls build check, and the C tools. As root it runs
# apt-get; otherwise it prints the command to run and fails.
set -euo pipefail

packages=(libssl-dev pkg-config gcc g++ libc6-dev valgrind python3 python3-venv)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
