#!/usr/bin/env bash
# Installs every build, test, fuzz and benchmark dependency from Debian 12 packages.
# Idempotent and non-interactive: does nothing (not even `apt-get update`) when all are installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build git
  clang libclang-rt-14-dev clang-format  # libFuzzer and sanitizer runtimes
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev ca-certificates
)

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "${pkg}" || missing+=("${pkg}")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and no sudo; install these packages: ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
apt_get=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
"${apt_get[@]}" update -qq
"${apt_get[@]}" install --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
