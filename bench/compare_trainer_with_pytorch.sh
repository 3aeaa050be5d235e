#!/usr/bin/env bash
# Trains the same MLP on Fashion-MNIST with the bundled trainer
# (bench/trainer_epoch) and with PyTorch (bench/pytorch_epoch.py), then prints
# the seconds per epoch of both, their ratio and both test accuracies.
#
# It installs nothing. PyTorch needs the Debian packages python3-torch and
# libopenblas0-pthread. Debian's torch calls the system BLAS, which is the
# slow reference BLAS unless OpenBLAS is selected, so the PyTorch runs put
# the OpenBLAS directory first in LD_LIBRARY_PATH. That affects only those
# commands and leaves update-alternatives alone.
#
# PyTorch runs twice, because its OpenMP threads and OpenBLAS's own threads
# compete for the cores:
#   "torch N": torch.set_num_threads(N), OpenBLAS N threads and
#     OMP_WAIT_POLICY=PASSIVE. Without PASSIVE, the idle OpenMP threads spin
#     and an epoch took about 5 s instead of 0.8 s on a 2-core AMD EPYC VM.
#   "torch 1+blas N": torch.set_num_threads(1), OpenBLAS N threads.
# The ratio uses the faster of the two.
#
# Usage: bench/compare_trainer_with_pytorch.sh [options]
#   --build-dir DIR      CMake build directory that contains bench/trainer_epoch
#                        (default: build in the repository)
#   --epochs N           epochs per run (default 5)
#   --threads N          threads of each run (default 2)
#   --batch-size N       examples per SGD step (default 64)
#   --learning-rate X    constant SGD learning rate (default 0.05)
#   --momentum X         SGD momentum coefficient (default 0.9)
#   --seed N             seed of the initialization and the shuffle (default 1)
#   --data-dir DIR       directory of the Fashion-MNIST gzip IDX files
#                        (default /usr/share/datasets/fashion-mnist)
# The PYTHON environment variable names the interpreter that has torch
# (default /usr/bin/python3, where Debian's python3-torch installs it).
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_dir/build"
epochs=5
threads=2
batch_size=64
learning_rate=0.05
momentum=0.9
seed=1
data_dir=/usr/share/datasets/fashion-mnist
python="${PYTHON:-/usr/bin/python3}"

usage() {
  sed -n '/^# Usage:/,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --batch-size) batch_size="$2"; shift 2 ;;
    --learning-rate) learning_rate="$2"; shift 2 ;;
    --momentum) momentum="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# Checks everything both runs need and names what to install or build.
check_prerequisites() {
  local missing=()
  if ! "$python" -c 'import torch' 2>/dev/null; then missing+=(python3-torch); fi
  if ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=(libopenblas0-pthread)
  fi
  if [ ! -f "$data_dir/train-images-idx3-ubyte.gz" ]; then missing+=(dataset-fashion-mnist); fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "compare: missing Debian packages: ${missing[*]}" >&2
    echo "compare: install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi

  trainer="$build_dir/bench/trainer_epoch"
  if [ ! -x "$trainer" ]; then
    echo "compare: $trainer not found. Build it with:" >&2
    echo "  cmake -S $repo_dir -B $build_dir && cmake --build $build_dir --target trainer_epoch" >&2
    exit 1
  fi

  local multiarch
  multiarch="$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH"))')"
  openblas_dir="/usr/lib/$multiarch/openblas-pthread"
  if [ ! -f "$openblas_dir/libblas.so.3" ]; then
    echo "compare: $openblas_dir/libblas.so.3 not found. Reinstall libopenblas0-pthread." >&2
    exit 1
  fi
}

# Prints "seconds accuracy" per epoch from the output lines of either program.
epoch_columns() {
  awk '$1 == "epoch" { print $4, $10 }' "$1"
}

# Prints the mean of the first column.
mean_seconds() {
  awk '{ total += $1; count += 1 } END { if (count) printf "%.3f", total / count }' "$1"
}

check_prerequisites
common_args=(--epochs "$epochs" --threads "$threads" --seed "$seed")
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

echo "compare: $epochs epochs, batch size $batch_size, learning rate $learning_rate," \
  "momentum $momentum, $threads threads, $(nproc) cores"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  echo "compare: note: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE is set and picks OpenBLAS's kernels"
fi

echo "compare: running $trainer"
"$trainer" "${common_args[@]}" --batch_size "$batch_size" \
  --learning_rate "$learning_rate" --momentum "$momentum" --data_dir "$data_dir" \
  | tee "$work_dir/lrsched.txt"

pytorch_args=(--batch-size "$batch_size" --learning-rate "$learning_rate"
  --momentum "$momentum" --data-dir "$data_dir" --epochs "$epochs" --seed "$seed")
echo "compare: running PyTorch, torch $threads threads"
LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  OPENBLAS_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE \
  "$python" "$repo_dir/bench/pytorch_epoch.py" "${pytorch_args[@]}" --threads "$threads" \
  | tee "$work_dir/torch_threads.txt"
echo "compare: running PyTorch, torch 1 thread + OpenBLAS $threads threads"
LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  OPENBLAS_NUM_THREADS="$threads" \
  "$python" "$repo_dir/bench/pytorch_epoch.py" "${pytorch_args[@]}" --threads 1 \
  | tee "$work_dir/torch_blas.txt"

for name in lrsched torch_threads torch_blas; do
  epoch_columns "$work_dir/$name.txt" > "$work_dir/$name.columns"
done
lrsched_mean="$(mean_seconds "$work_dir/lrsched.columns")"
threads_mean="$(mean_seconds "$work_dir/torch_threads.columns")"
blas_mean="$(mean_seconds "$work_dir/torch_blas.columns")"
best_torch=torch_threads
if awk -v a="$blas_mean" -v b="$threads_mean" 'BEGIN { exit !(a < b) }'; then
  best_torch=torch_blas
fi
best_mean="$(mean_seconds "$work_dir/$best_torch.columns")"

echo
printf '%-6s %12s %14s %18s\n' epoch lrsched_s "torch_${threads}_s" "torch_1+blas_${threads}_s"
paste -d ' ' "$work_dir/lrsched.columns" "$work_dir/torch_threads.columns" \
  "$work_dir/torch_blas.columns" \
  | awk '{ printf "%-6d %12.3f %14.3f %18.3f\n", NR, $1, $3, $5 }'
printf '%-6s %12s %14s %18s\n' mean "$lrsched_mean" "$threads_mean" "$blas_mean"
echo
awk -v ours="$lrsched_mean" -v theirs="$best_mean" -v name="$best_torch" 'BEGIN {
  printf "seconds per epoch: lrsched %.3f, fastest PyTorch (%s) %.3f, ratio lrsched/PyTorch %.2f\n",
    ours, name, theirs, ours / theirs }'
printf 'final test accuracy: lrsched %s, torch %s threads %s, torch 1 thread + OpenBLAS %s threads %s\n' \
  "$(tail -n 1 "$work_dir/lrsched.columns" | cut -d ' ' -f 2)" "$threads" \
  "$(tail -n 1 "$work_dir/torch_threads.columns" | cut -d ' ' -f 2)" "$threads" \
  "$(tail -n 1 "$work_dir/torch_blas.columns" | cut -d ' ' -f 2)"
