#!/usr/bin/env bash
# Draws one SVG chart per schedule example in docs/schedules.md with `lrsched preview --plot`,
# into docs/plots/FAMILY.svg. Each example is the ```json block just before a line that names
# plots/FAMILY.svg (an image link) or holds a `<!-- plot: FAMILY -->` placeholder.
#
# Preview evaluates specs on a server, so the script starts lrsched-server on a free loopback
# port with a temporary state file and stops it at the end.
#
# Usage: docs/plots/make_plots.sh [BUILD_DIR]   (default BUILD_DIR: build)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${1:-$repo_dir/build}"
lrsched="$build_dir/client/lrsched"
server="$build_dir/server/lrsched-server"
plots_dir="$repo_dir/docs/plots"
schedules_doc="$repo_dir/docs/schedules.md"

for program in "$lrsched" "$server"; do
  if [ ! -x "$program" ]; then
    echo "make_plots: $program is missing; build the lrsched and lrsched-server targets" >&2
    exit 1
  fi
done

# Positions to plot per family: enough to show each example's shape, and no more than a
# schedule that ends (one_cycle_lr, lr_range_test_ramp) has.
declare -A steps=(
  [constant]=10 [step_lr]=100 [multi_step_lr]=100 [constant_lr]=10 [linear_lr]=10
  [exponential_lr]=60 [multiplicative_lr]=60 [polynomial_lr]=15 [cosine_annealing_lr]=120
  [cosine_annealing_warm_restarts]=70 [cyclic_lr]=40 [one_cycle_lr]=40
  [exponential_decay]=3000 [cosine_decay]=1200 [piecewise_constant_decay]=2000
  [polynomial_decay]=40 [inverse_time_decay]=100 [cosine_decay_restarts]=7000
  [constant_schedule_with_warmup]=1000 [linear_schedule_with_warmup]=1100
  [cosine_schedule_with_warmup]=110 [cosine_with_hard_restarts_schedule_with_warmup]=70
  [polynomial_decay_schedule_with_warmup]=110 [inverse_sqrt_schedule]=200 [wsd_schedule]=45
  [cosine_with_min_lr_schedule_with_warmup]=45
  [cosine_with_min_lr_schedule_with_warmup_lr_rate]=55 [lr_range_test_ramp]=100
  [linear_warmup]=12 [sequence]=20 [product]=12
)

work_dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work_dir"
}
trap cleanup EXIT

"$server" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
  --state "$work_dir/state.db" >"$work_dir/server.log" 2>&1 &
server_pid=$!

# The server logs the address it listens on; wait up to 10 s for it.
address=""
for _ in $(seq 100); do
  address="$(grep -o 'serving gRPC on 127\.0\.0\.1:[0-9]*' "$work_dir/server.log" |
             head -n 1 | sed 's/serving gRPC on //')" || true
  [ -n "$address" ] && break
  sleep 0.1
done
if [ -z "$address" ]; then
  echo "make_plots: lrsched-server did not report its address; its log:" >&2
  cat "$work_dir/server.log" >&2
  exit 1
fi

# Prints "FAMILY<TAB>JSON" for every example, the JSON joined onto one line.
extract_examples() {
  awk '
    /^```json/ { in_block = 1; block = ""; next }
    in_block && /^```/ { in_block = 0; next }
    in_block { block = block $0; next }
    match($0, /<!-- plot: [a-z_0-9]+ -->/) {
      name = substr($0, RSTART + 11, RLENGTH - 15); print name "\t" block; next
    }
    match($0, /\(plots\/[a-z_0-9]+\.svg\)/) {
      name = substr($0, RSTART + 7, RLENGTH - 12); print name "\t" block
    }
  ' "$schedules_doc"
}

count=0
while IFS=$'\t' read -r family spec; do
  if [ -z "${steps[$family]:-}" ]; then
    echo "make_plots: no step count for $family; add it to the steps table" >&2
    exit 1
  fi
  printf '%s\n' "$spec" >"$work_dir/$family.json"
  "$lrsched" --server "$address" --timeout 5 preview --spec "$work_dir/$family.json" \
    --steps "${steps[$family]}" --plot "$plots_dir/$family.svg" >/dev/null
  count=$((count + 1))
done < <(extract_examples)

echo "make_plots: wrote $count charts to $plots_dir"
