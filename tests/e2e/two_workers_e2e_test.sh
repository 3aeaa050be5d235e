#!/usr/bin/env bash
# End to end: two lrsched-trainer processes train one run, each on its half of a 2,000-image
# subset, with a ReduceLROnPlateau policy on the mean test loss. A threshold of 0.3 makes the
# policy reduce the rate at nearly every epoch, so the test sees decisions; both workers must
# train every epoch with the same rate.
#
# Usage: two_workers_e2e_test.sh SERVER_BINARY TRAINER_BINARY CLI_BINARY SPEC_FILE POLICY_FILE
set -euo pipefail

server_binary="$1"
trainer_binary="$2"
cli_binary="$3"
spec_file="$4"
policy_file="$5"

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

"$server_binary" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
  --state "$work_dir/state.db" >"$work_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if grep -q "serving gRPC" "$work_dir/server.log"; then break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "lrsched-server exited at start"
  sleep 0.1
done
address="$(grep -o 'serving gRPC on [0-9.:]*' "$work_dir/server.log" | awk '{print $4}')"
[ -n "$address" ] || fail "no address in the server log"

pids=()
for index in 0 1; do
  "$trainer_binary" --server "$address" --spec "$spec_file" --policy "$policy_file" \
    --run pair --workers 2 --worker_index "$index" --epochs 4 --train_limit 2000 \
    --timeout 10 --wait 60 >"$work_dir/worker-$index.log" 2>&1 &
  pids+=($!)
done
for index in 0 1; do
  wait "${pids[$index]}" || fail "worker $index failed"
done

rates() { grep '^epoch ' "$1" | awk '{print $2, $4}'; }
rates "$work_dir/worker-0.log" >"$work_dir/rates-0.txt"
rates "$work_dir/worker-1.log" >"$work_dir/rates-1.txt"
cat "$work_dir/rates-0.txt"
[ "$(wc -l <"$work_dir/rates-0.txt")" -eq 4 ] || fail "worker 0 did not train 4 epochs"
diff "$work_dir/rates-0.txt" "$work_dir/rates-1.txt" >/dev/null ||
  fail "the workers trained with different rates"
grep -q '1000 training' "$work_dir/worker-0.log" || fail "worker 0 did not train on its half"

"$cli_binary" --server "$address" runs get pair >"$work_dir/run.json"
grep -q '"decided_through": "3"' "$work_dir/run.json" || fail "the policy did not decide 4 epochs"
grep -q '"decision_count"' "$work_dir/run.json" || fail "the policy made no decision"
[ "$(sort -u "$work_dir/rates-0.txt" | awk '{print $2}' | sort -u | wc -l)" -gt 1 ] ||
  fail "the rate never changed, so the test saw no decision"

kill -TERM "$server_pid"
wait "$server_pid" || fail "lrsched-server did not stop cleanly"
server_pid=""
echo "two workers end to end: every check passed"
