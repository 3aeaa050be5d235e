#!/usr/bin/env bash
# lrsched-server's --metrics_max_runs and --metrics_run_idle_seconds, seen from /metrics over
# HTTP. The cap is kept and the run left out is counted, a quiet run leaves after the idle
# time and comes back with its next report, and invalid values are rejected at start.
#
# Usage: metrics_flags_test.sh SERVER_BINARY CLI_BINARY SPEC_FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"

server_binary="$1"
cli_binary="$2"
spec_file="$3"

require_commands curl

# Prints the value of one exact series from /metrics, or nothing when it is absent.
sample() {
  curl -sf "http://127.0.0.1:$metrics_port/metrics" | awk -v series="$1" '$1 == series {print $2}'
}

expect_sample() {
  local actual
  actual="$(sample "$1")"
  [ "$actual" = "$2" ] || fail "$1 is \"$actual\", expected \"$2\""
}

echo "== invalid flag values are rejected"
for flag in --metrics_max_runs=-1 --metrics_max_runs=1000001 --metrics_run_idle_seconds=0 \
  --metrics_run_idle_seconds=2592001 --metrics_run_idle_seconds=nan; do
  status=0
  "$server_binary" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
    --state "$work_dir/unused.db" "$flag" >"$work_dir/invalid.out" 2>&1 || status=$?
  [ "$status" -ne 0 ] || fail "lrsched-server started with $flag"
  grep -q -- "invalid ${flag%%=*}" "$work_dir/invalid.out" ||
    fail "the error for $flag does not name the flag: $(cat "$work_dir/invalid.out")"
  echo "$flag: exit $status, $(head -n 1 "$work_dir/invalid.out")"
done

echo "== at most one run exported, idle after 2 seconds"
start_server server "$server_binary" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
  --state "$work_dir/state.db" --metrics_max_runs 1 --metrics_run_idle_seconds 2
grep -q "runs leave /metrics after 2s without a change, at most 1 exported" "$work_dir/server.log" ||
  fail "the start line does not show the metrics limits"

"$cli_binary" --server "$grpc_address" runs create --id first --spec "$spec_file" >/dev/null
"$cli_binary" --server "$grpc_address" runs create --id second --spec "$spec_file" >/dev/null
expect_sample 'lrsched_runs' 2
expect_sample 'lrsched_runs_active' 2
expect_sample 'lrsched_runs_exported' 1
expect_sample 'lrsched_run_step{run_id="first"}' 0
expect_sample 'lrsched_run_step{run_id="second"}' ""
expect_sample 'lrsched_run_series_dropped_total{reason="run_limit"}' 1
echo "first exported, second left out and counted"

sleep 2.5
expect_sample 'lrsched_runs_active' 0
expect_sample 'lrsched_runs_exported' 0
expect_sample 'lrsched_run_step{run_id="first"}' ""
expect_sample 'lrsched_runs' 2
echo "both runs left /metrics after 2 s without a change"

"$cli_binary" --server "$grpc_address" report second --step 5 --metric loss=0.25 >/dev/null
expect_sample 'lrsched_run_step{run_id="second"}' 5
expect_sample 'lrsched_run_metric{metric="loss",run_id="second"}' 0.25
expect_sample 'lrsched_run_reports_total{run_id="second"}' 1
expect_sample 'lrsched_runs_exported' 1
expect_sample 'lrsched_run_series_dropped_total{reason="run_limit"}' 1
grep -q "run first left /metrics after" "$work_dir/server.log" || fail "no log line for the idle run"
echo "second is back with its report"

echo "metrics flags: every check passed"
