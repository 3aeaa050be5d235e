#!/usr/bin/env bash
# Prints the CPU time of one Schedule::LearningRate call per family
# (bench/schedule_eval_benchmark, Google Benchmark) beside the wall time of one PyTorch
# scheduler.step() of the matching schedulers (bench/pytorch_schedule_step.py), measured in the
# same run. Needs Debian's python3-torch.
#
# Usage: bench/compare_schedule_eval_with_pytorch.sh [BUILD_DIR]   (default BUILD_DIR: build)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$repo_dir/build}"
benchmark="$build_dir/bench/schedule_eval_benchmark"
python="${PYTHON:-/usr/bin/python3}"

if [ ! -x "$benchmark" ]; then
  echo "compare: $benchmark is missing; build the schedule_eval_benchmark target" >&2
  exit 1
fi
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "compare: $python cannot import torch; install Debian's python3-torch" >&2
  exit 1
fi

"$benchmark" --benchmark_min_time=0.2 2>/dev/null
"$python" "$repo_dir/bench/pytorch_schedule_step.py"
