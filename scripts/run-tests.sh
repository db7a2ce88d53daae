#!/usr/bin/env bash
# Installs the dependencies, builds the release flavour and runs every test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
bash scripts/build.sh release
ctest --test-dir build --output-on-failure -j2
