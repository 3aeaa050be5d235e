#!/usr/bin/env bash
# Configures and builds lrsched in build/ (Release by default). Extra arguments go to the
# build step, for example `scripts/build.sh --target lrsched-server`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${LRSCHED_BUILD_DIR:-$root/build}"
jobs="${LRSCHED_BUILD_JOBS:-$(nproc)}"

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" >/dev/null
cmake --build "$build_dir" -j "$jobs" "$@"
