#!/usr/bin/env bash
# Prints the cost of one locally computed lrsched rate (bench/local_rate_benchmark, Google
# Benchmark) beside one PyTorch scheduler.step() of the same schedules
# (bench/pytorch_scheduler_step.py), measured in the same run. Needs Debian's python3-torch.
#
# Usage: bench/compare_local_rate_with_pytorch.sh [BUILD_DIR]
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$repo_dir/build}"
benchmark="$build_dir/bench/local_rate_benchmark"
python="${PYTHON:-/usr/bin/python3}"

if [ ! -x "$benchmark" ]; then
  echo "compare: $benchmark is missing; build the local_rate_benchmark target" >&2
  exit 1
fi
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "compare: $python cannot import torch; install Debian's python3-torch" >&2
  exit 1
fi

"$benchmark" --benchmark_min_time=0.5 2>/dev/null
"$python" "$repo_dir/bench/pytorch_scheduler_step.py"
