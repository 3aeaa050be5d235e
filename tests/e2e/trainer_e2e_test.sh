#!/usr/bin/env bash
# End to end: a real lrsched-server on loopback ports with a SQLite file, the real trainer on a
# 2,000-image subset of Fashion-MNIST for 2 epochs, and /metrics read over HTTP. The run's
# learning-rate gauge must equal the rate the server hands out for the last epoch.
#
# Usage: trainer_e2e_test.sh SERVER_BINARY TRAINER_BINARY CLI_BINARY SPEC_FILE
set -euo pipefail

server_binary="$1"
trainer_binary="$2"
cli_binary="$3"
spec_file="$4"

work_dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work_dir"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for log in "$work_dir"/*.log; do echo "--- $log" >&2; cat "$log" >&2; done
  exit 1
}

# Starts the server on free ports and sets grpc_address and metrics_port from its log line.
start_server() {
  local log="$work_dir/server-$1.log"
  "$server_binary" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
    --state "$work_dir/state.db" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if grep -q "serving gRPC" "$log"; then break; fi
    kill -0 "$server_pid" 2>/dev/null || fail "lrsched-server exited at start"
    sleep 0.1
  done
  grpc_address="$(grep -o 'serving gRPC on [0-9.:]*' "$log" | awk '{print $4}')"
  metrics_port="$(grep -o 'metrics on http://[0-9.]*:[0-9]*' "$log" | awk -F: '{print $NF}')"
  [ -n "$grpc_address" ] && [ -n "$metrics_port" ] || fail "no addresses in the server log"
}

stop_server() {
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" -eq 0 ] || fail "lrsched-server exited with $status after SIGTERM, expected 0"
}

# Prints the value of one exact series from /metrics.
sample() {
  curl -sf "http://127.0.0.1:$metrics_port/metrics" | awk -v series="$1" '$1 == series {print $2}'
}

start_server first
echo "server at $grpc_address, metrics on port $metrics_port"

"$trainer_binary" --server "$grpc_address" --spec "$spec_file" --run e2e --epochs 2 \
  --train_limit 2000 --timeout 10 >"$work_dir/trainer.log" 2>&1 || fail "the trainer failed"
cat "$work_dir/trainer.log"
[ "$(grep -c '^epoch ' "$work_dir/trainer.log")" -eq 2 ] || fail "expected 2 epoch lines"
grep -q '^done: run e2e, 2 epochs' "$work_dir/trainer.log" || fail "no summary line"

# The gauge shows the rate at the highest epoch asked for, epoch 1; ask the server for it.
served_rate="$("$cli_binary" --server "$grpc_address" lr e2e --step 0 --epoch 1)"
gauge_rate="$(sample 'lrsched_run_learning_rate{run_id="e2e"}')"
echo "served rate $served_rate, gauge $gauge_rate"
[ -n "$gauge_rate" ] || fail "no lrsched_run_learning_rate series for run e2e"
awk -v a="$served_rate" -v b="$gauge_rate" \
  'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 1e-15 * a) }' ||
  fail "gauge $gauge_rate differs from the served rate $served_rate"

# The same rate, as the warmup-then-cosine spec defines it, appears in the trainer's line.
grep -q "^epoch 2/2  lr $(printf '%.6g' "$served_rate") " "$work_dir/trainer.log" ||
  fail "the trainer did not train epoch 2 at $served_rate"

[ "$(sample 'lrsched_run_epoch{run_id="e2e"}')" = "1" ] || fail "lrsched_run_epoch is not 1"
accuracy="$(sample 'lrsched_run_metric{metric="test_accuracy",run_id="e2e"}')"
awk -v a="$accuracy" 'BEGIN { exit !(a > 0.5 && a <= 1) }' ||
  fail "test_accuracy gauge is \"$accuracy\", expected above 0.5 after 2 epochs"

# With --per_step and a schedule counted in steps, the trainer computes each step's rate from a
# leased schedule: 32 steps of 2,000 images at batch 64 take one lease, not 32 calls.
cat >"$work_dir/steps.json" <<'SPEC'
{"base_lr": 0.05, "unit": "STEP", "schedule": {"cosine_annealing_lr": {"T_max": 32}}}
SPEC
"$trainer_binary" --server "$grpc_address" --spec "$work_dir/steps.json" --run per-step \
  --per_step --epochs 1 --train_limit 2000 --timeout 10 >"$work_dir/per-step.log" 2>&1 ||
  fail "the per-step trainer failed"
leases="$(sample 'lrsched_rpc_requests_total{code="OK",method="LeaseSchedule"}')"
[ "$leases" = "1" ] || fail "expected 1 LeaseSchedule call for 32 steps, got \"$leases\""

# A clean stop, then the same replies from the same state file.
stop_server
start_server second
"$cli_binary" --server "$grpc_address" runs get e2e >"$work_dir/run.json"
grep -q '"report_count": "2"' "$work_dir/run.json" || fail "after restart the run lost reports"
[ "$("$cli_binary" --server "$grpc_address" lr e2e --step 0 --epoch 1)" = "$served_rate" ] ||
  fail "after restart epoch 1 has another rate"

# A trainer that cannot reach its server names the address it tried.
if "$trainer_binary" --server 127.0.0.1:1 --spec "$spec_file" --epochs 1 --train_limit 100 \
  --timeout 1 >"$work_dir/unreachable.log" 2>&1; then
  fail "the trainer succeeded without a server"
fi
grep -q "127.0.0.1:1" "$work_dir/unreachable.log" || fail "the error does not name the address"

# Missing data files name the path and the Debian package.
if "$trainer_binary" --server "$grpc_address" --spec "$spec_file" --data_dir /nonexistent \
  --epochs 1 >"$work_dir/nodata.log" 2>&1; then
  fail "the trainer succeeded without data"
fi
grep -q "/nonexistent/train-images-idx3-ubyte.gz" "$work_dir/nodata.log" &&
  grep -q "dataset-fashion-mnist" "$work_dir/nodata.log" ||
  fail "the missing-data error does not name the path and the package"

stop_server
echo "trainer end to end: every check passed"
