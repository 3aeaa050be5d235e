#!/usr/bin/env bash
# End-to-end test of the lrsched command against a real lrsched-server on 127.0.0.1. It covers
# every command with its errors and exit statuses, and a run with a ReduceLROnPlateau policy and
# operator decisions. It also covers a server that is down, a restart on the same port while a
# command retries, and a clean stop on SIGTERM.
#
# Usage: cli_end_to_end_test.sh LRSCHED_BINARY LRSCHED_SERVER_BINARY
# Prints one line per check and ends with "N passed, N failed"; exits 1 if any check failed.
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 LRSCHED_BINARY LRSCHED_SERVER_BINARY" >&2
  exit 2
fi
LRSCHED=$1
SERVER_BINARY=$2

WORK_DIR=$(mktemp -d)
SERVER_PID=""
PASSED=0
FAILED=0

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

pass() {
  PASSED=$((PASSED + 1))
  echo "PASS: $1"
}

fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $1"
  shift
  for detail in "$@"; do echo "      $detail"; done
}

# Runs lrsched with the given arguments and standard input from $STDIN_FILE (or nothing),
# storing its output in OUT and ERR and its exit status in STATUS.
run_lrsched() {
  local stdin_file=${STDIN_FILE:-/dev/null}
  "$LRSCHED" "$@" <"$stdin_file" >"$WORK_DIR/out" 2>"$WORK_DIR/err"
  STATUS=$?
  OUT=$(cat "$WORK_DIR/out")
  ERR=$(cat "$WORK_DIR/err")
}

expect_status() {
  local name=$1 expected=$2
  if [[ "$STATUS" == "$expected" ]]; then
    pass "$name: exit status $expected"
  else
    fail "$name: exit status $STATUS, expected $expected" "stdout: ${OUT:0:500}" \
      "stderr: ${ERR:0:500}"
  fi
}

expect_out() {
  local name=$1 expected=$2
  if [[ "$OUT" == "$expected" ]]; then
    pass "$name: output"
  else
    fail "$name: unexpected output" "got:      ${OUT//$'\n'/\\n}" \
      "expected: ${expected//$'\n'/\\n}"
  fi
}

expect_out_contains() {
  local name=$1 fragment=$2
  if [[ "$OUT" == *"$fragment"* ]]; then
    pass "$name: output contains $fragment"
  else
    fail "$name: output lacks $fragment" "stdout: ${OUT:0:1000}"
  fi
}

# Checks that OUT is a number within 1e-15 of `expected`, for rates that are products of
# several factors and so need not print as the shortest decimal of the exact product.
expect_out_near() {
  local name=$1 expected=$2
  if awk -v got="$OUT" -v expected="$expected" 'BEGIN {
       if (got !~ /^[-+.0-9eE]+$/) exit 1
       difference = got - expected
       if (difference < 0) difference = -difference
       exit !(difference <= 1e-15)
     }'; then
    pass "$name: output $OUT is within 1e-15 of $expected"
  else
    fail "$name: output $OUT, expected $expected within 1e-15" "stderr: ${ERR:0:500}"
  fi
}

# Checks that some line of OUT matches the extended regular expression `pattern`.
expect_out_line() {
  local name=$1 pattern=$2
  if grep -Eq -- "$pattern" <<<"$OUT"; then
    pass "$name: a line matches $pattern"
  else
    fail "$name: no line matches $pattern" "stdout: ${OUT:0:1500}"
  fi
}

expect_err_contains() {
  local name=$1 fragment=$2
  if [[ "$ERR" == *"$fragment"* ]]; then
    pass "$name: error contains $fragment"
  else
    fail "$name: error lacks $fragment" "stderr: ${ERR:0:1000}"
  fi
}

# Starts lrsched-server on LISTEN (default 127.0.0.1:0) and sets SERVER_PID and ADDRESS from
# its startup log line. Returns 1 if the line does not appear within 15 seconds.
start_server() {
  local listen=${1:-127.0.0.1:0}
  : >"$WORK_DIR/server.log"
  "$SERVER_BINARY" --listen "$listen" --metrics_listen 127.0.0.1:0 \
    --state "$WORK_DIR/s.db" 2>>"$WORK_DIR/server.log" &
  SERVER_PID=$!
  ADDRESS=""
  for _ in $(seq 150); do
    ADDRESS=$(sed -n 's/.*serving gRPC on \([0-9.]*:[0-9]*\).*/\1/p' "$WORK_DIR/server.log" |
      head -n 1)
    if [[ -n "$ADDRESS" ]]; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "lrsched-server did not log its address; its log:" >&2
  cat "$WORK_DIR/server.log" >&2
  return 1
}

# Sends SIGTERM to the server and checks that it exits with status 0 within 20 seconds.
stop_server() {
  local name=$1
  kill -TERM "$SERVER_PID"
  local waited=0
  while kill -0 "$SERVER_PID" 2>/dev/null && ((waited < 200)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "$name: server still running 20 s after SIGTERM"
    kill -KILL "$SERVER_PID"
  fi
  wait "$SERVER_PID"
  local server_status=$?
  SERVER_PID=""
  if [[ "$server_status" == 0 ]]; then
    pass "$name: server exited with status 0 after SIGTERM"
  else
    fail "$name: server exited with status $server_status after SIGTERM" \
      "log: $(tail -n 5 "$WORK_DIR/server.log")"
  fi
}

cat >"$WORK_DIR/step.json" <<'EOF'
{"base_lr": 0.1, "unit": "STEP", "schedule": {"step_lr": {"step_size": 2, "gamma": 0.5}}}
EOF
cat >"$WORK_DIR/epoch_cosine.json" <<'EOF'
{"base_lr": 1, "unit": "EPOCH", "schedule": {"cosine_annealing_lr": {"T_max": 4}}}
EOF
cat >"$WORK_DIR/zero_step_size.json" <<'EOF'
{"base_lr": 0.1, "unit": "STEP", "schedule": {"step_lr": {"step_size": 0}}}
EOF
cat >"$WORK_DIR/unknown_field.json" <<'EOF'
{"base_lr": 0.1, "unit": "STEP", "schedul": {}}
EOF
cat >"$WORK_DIR/epoch_constant.json" <<'EOF'
{"base_lr": 0.1, "unit": "EPOCH", "schedule": {"constant": {}}}
EOF
cat >"$WORK_DIR/plateau.json" <<'EOF'
{"monitor": "test_loss", "reduce_lr_on_plateau": {"factor": 0.5, "patience": 0}}
EOF
cat >"$WORK_DIR/bad_factor.json" <<'EOF'
{"monitor": "test_loss", "reduce_lr_on_plateau": {"factor": 1.5, "patience": 0}}
EOF

if ! start_server; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "server at $ADDRESS"

# --- Commands that succeed. ---

run_lrsched health --server "$ADDRESS"
expect_status "health" 0
expect_out "health" "SERVING"

LRSCHED_SERVER=$ADDRESS run_lrsched health
expect_status "health with LRSCHED_SERVER" 0

run_lrsched runs create --server "$ADDRESS" --id r1 --spec "$WORK_DIR/step.json" \
  --workers 2 --label team=vision --label owner=ana
expect_status "runs create" 0
expect_out_contains "runs create" '"run_id": "r1"'
expect_out_contains "runs create" '"num_workers": 2'
expect_out_contains "runs create" '"team": "vision"'
expect_out_contains "runs create" '"step_size": "2"'

run_lrsched runs create --server "$ADDRESS" --id r1 --spec "$WORK_DIR/step.json" \
  --workers 2 --label team=vision --label owner=ana
expect_status "runs create repeated" 0

STDIN_FILE="$WORK_DIR/epoch_cosine.json" run_lrsched runs create --server "$ADDRESS" \
  --id r2 --spec -
expect_status "runs create from stdin" 0
expect_out_contains "runs create from stdin" '"unit": "EPOCH"'

run_lrsched runs get --server "$ADDRESS" r1
expect_status "runs get" 0
expect_out_contains "runs get" '"run_id": "r1"'
expect_out_contains "runs get" '"state": "ACTIVE"'

run_lrsched runs list --server "$ADDRESS" --page_size 1
expect_status "runs list with pages of 1" 0
if [[ "$OUT" == *'"run_id": "r1"'*'"run_id": "r2"'* ]]; then
  pass "runs list: both runs, ordered by id"
else
  fail "runs list: expected r1 then r2" "stdout: ${OUT:0:1000}"
fi

# StepLR with base 0.1, step_size 2, gamma 0.5: 0.1 * 0.5^floor(step / 2).
expected_rates=(0.1 0.1 0.05 0.05 0.025)
for step in 0 1 2 3 4; do
  run_lrsched lr --server "$ADDRESS" r1 --step "$step" --worker w0
  expect_status "lr step $step" 0
  expect_out "lr step $step" "${expected_rates[$step]}"
done

run_lrsched lr --server "$ADDRESS" r1 --step 3 --json
expect_status "lr --json" 0
expect_out_contains "lr --json" '"learning_rate": 0.05'
expect_out_contains "lr --json" '"unit": "STEP"'

run_lrsched report --server "$ADDRESS" r1 --step 3 --epoch 1 --worker w0 \
  --metric loss=0.31 --metric acc=0.9
expect_status "report" 0
expect_out "report" "report stored, run r1 has 1 report"

run_lrsched runs get --server "$ADDRESS" r1
expect_out_contains "runs get after report" '"report_count": "1"'
expect_out_contains "runs get after report" '"loss": 0.31'

run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/step.json" --steps 5
expect_status "preview StepLR" 0
expect_out "preview StepLR" $'step,lr\n0,0.1\n1,0.1\n2,0.05\n3,0.05\n4,0.025'

# CosineAnnealingLR with base 1, T_max 4, eta_min 0: (1 + cos(pi * t / 4)) / 2.
run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/epoch_cosine.json" --steps 5
expect_status "preview cosine" 0
cosine_check=$(printf '%s\n' "$OUT" | awk -F, '
  NR == 1 { if ($0 != "epoch,lr") { print "bad header " $0; exit } next }
  {
    expected = (1 + cos(atan2(0, -1) * $1 / 4)) / 2
    difference = $2 - expected
    if (difference < 0) difference = -difference
    if (difference > 1e-15) { print "epoch " $1 ": " $2 " vs " expected; exit }
    rows++
  }
  END { if (rows != 5) print rows " rows" }')
if [[ -z "$cosine_check" ]]; then
  pass "preview cosine: values match the formula"
else
  fail "preview cosine: $cosine_check" "stdout: ${OUT//$'\n'/\\n}"
fi

run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/step.json" --steps 5 \
  --plot "$WORK_DIR/step.svg"
expect_status "preview plot" 0
if grep -q '^<svg ' "$WORK_DIR/step.svg" && grep -q '</svg>' "$WORK_DIR/step.svg" &&
   [ "$(grep -c '<polyline' "$WORK_DIR/step.svg")" = 1 ]; then
  pass "preview plot: SVG with one polyline written"
else
  fail "preview plot: $WORK_DIR/step.svg is not the expected SVG"
fi

# --- Errors from the server: exit status 1. ---

run_lrsched runs get --server "$ADDRESS" no-such-run
expect_status "runs get unknown" 1
expect_err_contains "runs get unknown" "error: NOT_FOUND: "
expect_err_contains "runs get unknown" "no-such-run"

run_lrsched lr --server "$ADDRESS" no-such-run --step 0
expect_status "lr unknown run" 1
expect_err_contains "lr unknown run" "error: NOT_FOUND: "

run_lrsched runs create --server "$ADDRESS" --id r1 --spec "$WORK_DIR/epoch_cosine.json"
expect_status "runs create conflicting" 1
expect_err_contains "runs create conflicting" "error: ALREADY_EXISTS: "

run_lrsched runs create --server "$ADDRESS" --id bad --spec "$WORK_DIR/zero_step_size.json"
expect_status "runs create invalid spec" 1
expect_err_contains "runs create invalid spec" "error: INVALID_ARGUMENT: "
expect_err_contains "runs create invalid spec" "step_size"

run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/zero_step_size.json" --steps 3
expect_status "preview invalid spec" 1
expect_err_contains "preview invalid spec" "error: INVALID_ARGUMENT: "
expect_err_contains "preview invalid spec" "step_size"

# --- Invalid command lines and input files: exit status 2, nothing sent. ---

# lrsched checks the server's limit of 500,000 positions before it calls.
run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/step.json" --steps 100000000
expect_status "preview too many steps" 2
expect_err_contains "preview too many steps" "--steps must be in [1, 500000], got 100000000"

run_lrsched runs rename --server "$ADDRESS"
expect_status "unknown subcommand" 2
expect_err_contains "unknown subcommand" 'unknown runs subcommand "rename"'
expect_err_contains "unknown subcommand" "usage: lrsched"

run_lrsched runs create --server "$ADDRESS" --spec "$WORK_DIR/step.json"
expect_status "runs create without --id" 2
expect_err_contains "runs create without --id" "missing required flag --id"

run_lrsched runs create --server "$ADDRESS" --id "" --spec "$WORK_DIR/step.json"
expect_status "runs create empty --id" 2
expect_err_contains "runs create empty --id" "--id must not be empty"

# 100,000 characters stay below Linux's limit of 128 KiB for one argument.
huge_id=$(head -c 100000 /dev/zero | tr '\0' 'a')
run_lrsched runs get --server "$ADDRESS" "$huge_id"
expect_status "runs get huge id" 2
expect_err_contains "runs get huge id" "RUN_ID is 100000 characters long, at most 128"
if ((${#ERR} < 1000)); then
  pass "runs get huge id: message is short (${#ERR} bytes)"
else
  fail "runs get huge id: message is ${#ERR} bytes"
fi

run_lrsched report --server "$ADDRESS" r1 --step 1 --metric loss
expect_status "report metric without =" 2
expect_err_contains "report metric without =" '--metric must have the form NAME=VALUE, got "loss"'
expect_err_contains "report metric without =" "usage: lrsched report"

run_lrsched report --server "$ADDRESS" r1 --step 1 --metric loss=NaN
expect_status "report NaN metric" 2
expect_err_contains "report NaN metric" '--metric loss must be a finite number, got "NaN"'

run_lrsched lr --server "$ADDRESS" r1 --step -1
expect_status "lr negative step" 2
expect_err_contains "lr negative step" "--step must be at least 0, got -1"

run_lrsched lr --server "$ADDRESS" r1 --step 1.5
expect_status "lr fractional step" 2
expect_err_contains "lr fractional step" '--step must be an integer, got "1.5"'

run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/missing.json" --steps 3
expect_status "preview missing spec file" 2
expect_err_contains "preview missing spec file" "$WORK_DIR/missing.json"
expect_err_contains "preview missing spec file" "No such file or directory"

run_lrsched preview --server "$ADDRESS" --spec "$WORK_DIR/unknown_field.json" --steps 3
expect_status "preview unknown field" 2
expect_err_contains "preview unknown field" "schedul"

STDIN_FILE=/dev/null run_lrsched preview --server "$ADDRESS" --spec - --steps 3
expect_status "preview empty stdin" 2
expect_err_contains "preview empty stdin" "spec from standard input"

run_lrsched --help
expect_status "--help" 0
for command in "runs create" "runs get" "runs list" "runs delete" "runs update RUN_ID" \
  "runs history RUN_ID" "lr RUN_ID" "report RUN_ID" "preview" "health"; do
  expect_out_contains "--help" "lrsched $command"
done

run_lrsched help preview
expect_status "help preview" 0
expect_out_contains "help preview" "usage: lrsched preview --spec FILE|- --steps N"

# --- Delete. ---

run_lrsched runs delete --server "$ADDRESS" r2
expect_status "runs delete" 0
expect_out "runs delete" "deleted run r2"

run_lrsched runs get --server "$ADDRESS" r2
expect_status "runs get deleted" 1
expect_err_contains "runs get deleted" "error: NOT_FOUND: "

# --- A run with a ReduceLROnPlateau policy, operator decisions and the history. ---

run_lrsched runs create --server "$ADDRESS" --id plateau --spec "$WORK_DIR/epoch_constant.json" \
  --policy "$WORK_DIR/plateau.json"
expect_status "runs create with policy" 0
expect_out_contains "runs create with policy" '"monitor": "test_loss"'
expect_out_contains "runs create with policy" '"factor": 0.5'
expect_out_contains "runs create with policy" '"decided_through": "-1"'

run_lrsched runs history --server "$ADDRESS" plateau
expect_status "runs history before decisions" 0
expect_out "runs history before decisions" "no decisions"

# The monitored loss improves at epoch 1 and then stops improving.
losses=(1.0 0.9 0.95 0.97)
for epoch in 0 1 2 3; do
  run_lrsched report --server "$ADDRESS" plateau --step $((epoch * 100)) --epoch "$epoch" \
    --worker w0 --metric "test_loss=${losses[$epoch]}"
  expect_status "report plateau epoch $epoch" 0
done

# PyTorch's ReduceLROnPlateau in mode "min" with threshold_mode "rel" and the default threshold
# 1e-4 counts a loss as better than the best when loss < best * (1 - 1e-4). Each epoch that is
# not better adds one bad epoch, and more than `patience` (0) bad epochs multiply the rate by
# `factor` (0.5) and reset the count. Epoch 0 (1.0) sets the best and epoch 1 (0.9) improves
# it. Epoch 2 (0.95) and epoch 3 (0.97) are not better than 0.9, so each halves the rate. A
# step at the end of epoch E sets the rate of epoch E + 1: with base 0.1, epochs 0 to 4 get
# 0.1, 0.1, 0.1, 0.05 and 0.025. `lr` for epoch E waits until the policy has stepped through
# epoch E - 1, which the reports above completed.
expected_rates=(0.1 0.1 0.1 0.05 0.025)
for epoch in 0 1 2 3 4; do
  run_lrsched lr --server "$ADDRESS" plateau --step $((epoch * 100)) --epoch "$epoch" --worker w0
  expect_status "lr plateau epoch $epoch" 0
  expect_out "lr plateau epoch $epoch" "${expected_rates[$epoch]}"
done

# Workers have received rates up to epoch 4, so epoch 5 is the first that may change.
run_lrsched runs update --server "$ADDRESS" plateau --from 5 --scale 0.1 \
  --reason "loss spikes after the data change" --operator e2e
expect_status "runs update --scale" 0
expect_out_contains "runs update --scale" '"effective_position": "5"'
expect_out_contains "runs update --scale" '"scale": 0.1'
expect_out_contains "runs update --scale" '"actor": "operator:e2e"'
expect_out_contains "runs update --scale" '"sequence": "3"'

# An improving loss at epoch 4 lets the policy step through epoch 4 without a decision.
run_lrsched report --server "$ADDRESS" plateau --step 400 --epoch 4 --worker w0 \
  --metric test_loss=0.5
expect_status "report plateau epoch 4" 0

run_lrsched lr --server "$ADDRESS" plateau --step 500 --epoch 5 --worker w0
expect_status "lr plateau epoch 5 after update" 0
expect_out_near "lr plateau epoch 5 after update" 0.0025

run_lrsched runs update --server "$ADDRESS" plateau --from 0 --scale 0.5 --reason "too late"
expect_status "runs update in the past" 1
expect_err_contains "runs update in the past" "error: FAILED_PRECONDITION: "
expect_err_contains "runs update in the past" "effective_position 0 is in the past"

run_lrsched runs history --server "$ADDRESS" plateau
expect_status "runs history" 0
expect_out_line "runs history" '^SEQ +FROM +ACTION +RATE +ACTOR +TIME +REASON$'
expect_out_line "runs history" \
  '^1 +3 +scale 0\.5 +0\.05 +policy:reduce_lr_on_plateau +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +no improvement'
expect_out_line "runs history" \
  '^2 +4 +scale 0\.5 +0\.025 +policy:reduce_lr_on_plateau +[0-9T:-]+Z +no improvement'
expect_out_line "runs history" \
  '^3 +5 +scale 0\.1 +0\.0025[0-9]* +operator:e2e +[0-9T:-]+Z +loss spikes after the data change$'
history_rows=$(($(printf '%s\n' "$OUT" | wc -l) - 1))
if [[ "$history_rows" == 3 ]]; then
  pass "runs history: 3 decisions"
else
  fail "runs history: $history_rows decisions, expected 3" "stdout: ${OUT:0:1500}"
fi

run_lrsched runs history --server "$ADDRESS" plateau --json
expect_status "runs history --json" 0
expect_out_contains "runs history --json" '"actor": "policy:reduce_lr_on_plateau"'
expect_out_contains "runs history --json" '"boundary": "3"'
expect_out_contains "runs history --json" '"actor": "operator:e2e"'

run_lrsched runs create --server "$ADDRESS" --id bad-policy \
  --spec "$WORK_DIR/epoch_constant.json" --policy "$WORK_DIR/bad_factor.json"
expect_status "runs create with factor 1.5" 1
expect_err_contains "runs create with factor 1.5" "error: INVALID_ARGUMENT: "
expect_err_contains "runs create with factor 1.5" "policy.reduce_lr_on_plateau.factor"

run_lrsched runs create --server "$ADDRESS" --id no-policy-file \
  --spec "$WORK_DIR/epoch_constant.json" --policy "$WORK_DIR/missing_policy.json"
expect_status "runs create missing policy file" 2
expect_err_contains "runs create missing policy file" \
  "cannot open policy file \"$WORK_DIR/missing_policy.json\": No such file or directory"

STDIN_FILE="$WORK_DIR/plateau.json" run_lrsched runs create --server "$ADDRESS" \
  --id both-stdin --spec - --policy -
expect_status "runs create spec and policy from stdin" 2
expect_err_contains "runs create spec and policy from stdin" \
  "--spec and --policy cannot both read standard input"

run_lrsched runs update --server "$ADDRESS" plateau --from 9 --scale 0.5
expect_status "runs update without --reason" 2
expect_err_contains "runs update without --reason" "missing required flag --reason"

run_lrsched runs update --server "$ADDRESS" plateau --from 9 --scale 0.5 --finish --reason x
expect_status "runs update two actions" 2
expect_err_contains "runs update two actions" "--scale and --finish cannot be combined"

run_lrsched runs update --server "$ADDRESS" plateau --from 9 --scale nan --reason x
expect_status "runs update NaN scale" 2
expect_err_contains "runs update NaN scale" '--scale must be a finite number, got "nan"'

run_lrsched runs update --server "$ADDRESS" plateau --from -1 --scale 0.5 --reason x
expect_status "runs update negative position" 2
expect_err_contains "runs update negative position" "--from must be at least 0, got -1"

run_lrsched runs update --server "$ADDRESS" plateau --from 9 --spec "$WORK_DIR/missing.json" \
  --reason x
expect_status "runs update missing spec file" 2
expect_err_contains "runs update missing spec file" "cannot open spec file"

run_lrsched runs update --server "$ADDRESS" plateau --from 9 --scale 0.5 --reason "$huge_id"
expect_status "runs update huge reason" 1
expect_err_contains "runs update huge reason" "error: INVALID_ARGUMENT: reason is 100000 characters"
if ((${#ERR} < 1000)); then
  pass "runs update huge reason: message is short (${#ERR} bytes)"
else
  fail "runs update huge reason: message is ${#ERR} bytes"
fi

run_lrsched runs history --server "$ADDRESS" no-such-run
expect_status "runs history unknown run" 1
expect_err_contains "runs history unknown run" "error: NOT_FOUND: "

# --- A server that is down, then comes back on the same port. ---

stop_server "first server"

start_time=$(date +%s.%N)
run_lrsched health --server "$ADDRESS" --timeout 1
elapsed=$(awk -v start="$start_time" -v end="$(date +%s.%N)" 'BEGIN { printf "%.2f", end - start }')
expect_status "health with server down" 1
expect_err_contains "health with server down" "error: UNAVAILABLE: server $ADDRESS is unavailable"
expect_err_contains "health with server down" "hint: check that lrsched-server is running"
if awk -v elapsed="$elapsed" 'BEGIN { exit !(elapsed >= 1 && elapsed < 12) }'; then
  pass "health with server down: gave up after ${elapsed}s for --timeout 1"
else
  fail "health with server down: gave up after ${elapsed}s for --timeout 1"
fi

# A command started while the server is down succeeds once the server is back.
"$LRSCHED" runs get --server "$ADDRESS" --timeout 20 r1 >"$WORK_DIR/retry_out" \
  2>"$WORK_DIR/retry_err" &
retrying_pid=$!
sleep 1
if start_server "$ADDRESS"; then
  wait "$retrying_pid"
  STATUS=$?
  OUT=$(cat "$WORK_DIR/retry_out")
  ERR=$(cat "$WORK_DIR/retry_err")
  expect_status "runs get across restart" 0
  expect_out_contains "runs get across restart" '"report_count": "1"'
  expect_err_contains "runs get across restart" "failed with UNAVAILABLE (attempt 1)"

  run_lrsched runs history --server "$ADDRESS" plateau
  expect_status "runs history after restart" 0
  expect_out_line "runs history after restart" '^3 +5 +scale 0\.1 .* +operator:e2e '
  run_lrsched lr --server "$ADDRESS" plateau --step 500 --epoch 5 --worker w0
  expect_status "lr plateau epoch 5 after restart" 0
  expect_out_near "lr plateau epoch 5 after restart" 0.0025
  stop_server "restarted server"
else
  kill "$retrying_pid" 2>/dev/null
  wait "$retrying_pid" 2>/dev/null
  fail "restart on $ADDRESS: server did not start"
fi

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
