#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs every test with CTest.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${LRSCHED_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure --timeout 600 -j "$(nproc)"
