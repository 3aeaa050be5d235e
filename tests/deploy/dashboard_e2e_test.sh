#!/usr/bin/env bash
# End to end: a real Prometheus (Debian's package) scrapes a real lrsched-server every second
# while the trainer trains 2 epochs on 2,000 images and an operator scales the run's rate.
# Then every query of the Grafana dashboard, with its variables substituted, goes to
# Prometheus's HTTP API. Each must return at least one series with a finite value, and the
# decision annotation must show the decision. The dashboard's variable queries must find the
# run, and Prometheus must have loaded the alerting rules. Everything listens on 127.0.0.1.
#
# Usage: dashboard_e2e_test.sh REPOSITORY_ROOT SERVER_BINARY TRAINER_BINARY CLI_BINARY
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root="$1"
server_binary="$2"
trainer_binary="$3"
cli_binary="$4"
dashboard="$root/deploy/grafana/dashboards/lrsched.json"
rules="$root/deploy/prometheus/rules/lrsched-alerts.yml"
run_id="dashboard-e2e"

require_commands prometheus curl jq
prometheus --version 2>&1 | head -n 1

# Values Grafana would give the dashboard's variables for this test. Scrapes come every
# second, so 30 s windows hold about 30 samples.
substitute() {
  local expr="$1"
  expr="${expr//\$__rate_interval/30s}"
  expr="${expr//\$__interval/5s}"
  expr="${expr//\$job/lrsched}"
  expr="${expr//\$run_id/$2}"
  echo "$expr"
}

# Evaluates a PromQL query at $eval_time and prints Prometheus's JSON reply.
query() {
  curl -sf -G "http://127.0.0.1:$prometheus_port/api/v1/query" \
    --data-urlencode "query=$1" --data-urlencode "time=$eval_time"
}

# Prints how many series of a query reply have a finite value.
count_finite() {
  jq '[.data.result[] | .value[1] | select(. != "NaN" and . != "+Inf" and . != "-Inf")] | length'
}

# Evaluates every target of every panel of a dashboard file for the run `run`, printing one
# line each. Returns 1 when any target returns no series with a finite value.
check_panels() {
  local file="$1" run="$2" failures=0 line title ref_id expr reply finite
  while IFS= read -r line; do
    title="$(base64 -d <<<"$line" | jq -r '.title')"
    ref_id="$(base64 -d <<<"$line" | jq -r '.refId')"
    expr="$(substitute "$(base64 -d <<<"$line" | jq -r '.expr')" "$run")"
    if [[ "$expr" == *'$'* ]]; then
      echo "  \"$title\" $ref_id: a variable is left unsubstituted: $expr"
      failures=$((failures + 1))
      continue
    fi
    reply="$(query "$expr")" || {
      echo "  \"$title\" $ref_id: Prometheus rejected the query: $expr"
      failures=$((failures + 1))
      continue
    }
    finite="$(count_finite <<<"$reply")"
    if [ "$finite" -eq 0 ]; then
      echo "  \"$title\" $ref_id: NO DATA: $expr"
      failures=$((failures + 1))
    else
      echo "  \"$title\" $ref_id: $finite series: $expr"
    fi
  done < <(jq -r '.panels[] | .title as $title | .targets[] |
                  {title: $title, refId: .refId, expr: .expr} | @base64' "$file")
  [ "$failures" -eq 0 ]
}

echo "== the dashboard's structure"
jq -e '.templating.list[] | select(.name == "datasource" and .type == "datasource" and
         .query == "prometheus")' "$dashboard" >/dev/null ||
  fail "the dashboard has no Prometheus datasource variable named datasource"
jq -e '[.panels[] | .datasource.uid, .targets[].datasource.uid] | all(. == "${datasource}")' \
  "$dashboard" >/dev/null || fail "a panel or target does not use the \${datasource} variable"
jq -e '[.panels[].id] | length == (unique | length)' "$dashboard" >/dev/null ||
  fail "two panels share an id"
jq -e '[.panels[] | .targets | length > 0] | all' "$dashboard" >/dev/null ||
  fail "a panel has no query"
echo "$(jq '.panels | length' "$dashboard") panels, every one on the \${datasource} variable"

echo "== start lrsched-server and Prometheus on 127.0.0.1"
start_server server "$server_binary" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 \
  --state "$work_dir/state.db"
echo "lrsched-server: gRPC $grpc_address, metrics port $metrics_port"

prometheus_port="$(free_port)"
cat >"$work_dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules
scrape_configs:
  - job_name: lrsched
    static_configs:
      - targets: ["127.0.0.1:$metrics_port"]
EOF
start_background prometheus prometheus --config.file="$work_dir/prometheus.yml" \
  --storage.tsdb.path="$work_dir/tsdb" --web.listen-address="127.0.0.1:$prometheus_port"
prometheus_pid=$last_pid
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null 2>&1 && break
  kill -0 "$prometheus_pid" 2>/dev/null ||
    fail "prometheus exited at start (port $prometheus_port taken?)"
  sleep 0.1
done
curl -sf "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null ||
  fail "prometheus was not ready within 30 s"
echo "prometheus: http://127.0.0.1:$prometheus_port"

eval_time="$(date +%s)"
for _ in $(seq 1 100); do
  eval_time="$(date +%s.%N)"
  [ "$(query 'up{job="lrsched"} == 1' | jq '.data.result | length')" = 1 ] && break
  sleep 0.2
done
[ "$(query 'up{job="lrsched"} == 1' | jq '.data.result | length')" = 1 ] ||
  fail "prometheus did not scrape lrsched-server within 20 s"

echo "== train 2 epochs, and make one failed call"
if "$cli_binary" --server "$grpc_address" --timeout 5 runs get no-such-run >"$work_dir/cli.log" 2>&1; then
  fail "lrsched runs get no-such-run succeeded"
fi
grep -q "NOT_FOUND" "$work_dir/cli.log" || fail "runs get no-such-run did not fail with NOT_FOUND"
"$trainer_binary" --server "$grpc_address" --spec "$root/docs/specs/warmup-cosine.json" \
  --run "$run_id" --epochs 2 --train_limit 2000 --timeout 10 >"$work_dir/trainer.log" 2>&1 ||
  fail "the trainer failed"
grep -q "^done: run $run_id, 2 epochs" "$work_dir/trainer.log" || fail "the trainer did not finish"
# An operator's decision, for the decision annotation.
"$cli_binary" --server "$grpc_address" --timeout 5 runs update "$run_id" --from 5 --scale 0.5 \
  --reason "dashboard end-to-end test" >"$work_dir/decision.log" 2>&1 ||
  fail "lrsched runs update failed: $(cat "$work_dir/decision.log")"

# Three more scrapes, so that every window contains samples from before and after training.
sleep 3.5
eval_time="$(date +%s.%N)"

echo "== the scrape is healthy and the alerting rules are loaded"
targets="$(curl -sf "http://127.0.0.1:$prometheus_port/api/v1/targets")"
jq -e '.data.activeTargets[] | select(.labels.job == "lrsched") |
         .health == "up" and .lastError == ""' <<<"$targets" >/dev/null ||
  fail "the lrsched target is not healthy: $(jq -c '.data.activeTargets' <<<"$targets")"
rules_reply="$(curl -sf "http://127.0.0.1:$prometheus_port/api/v1/rules")"
loaded="$(jq '[.data.groups[].rules[] | select(.type == "alerting")] | length' <<<"$rules_reply")"
expected="$(grep -c '^ *- alert:' "$rules")"
[ "$loaded" -eq "$expected" ] || fail "prometheus loaded $loaded alerting rules, $rules has $expected"
unhealthy="$(jq -r '.data.groups[].rules[] | select(.health != "ok") |
                    "\(.name): \(.lastError)"' <<<"$rules_reply")"
[ -z "$unhealthy" ] || fail "alerting rules failed to evaluate: $unhealthy"
firing="$(curl -sf "http://127.0.0.1:$prometheus_port/api/v1/alerts" |
  jq -r '.data.alerts[] | select(.state == "firing") | .labels.alertname')"
[ -z "$firing" ] || fail "alerts fire for a healthy server and run: $firing"
echo "$loaded alerting rules loaded and evaluated, none firing"

echo "== the dashboard's variables"
job_values="$(query 'lrsched_runs' | jq -r '[.data.result[].metric.job] | unique | join(",")')"
[ "$job_values" = "lrsched" ] || fail "variable job: label_values(lrsched_runs, job) gives \"$job_values\""
while IFS=$'\t' read -r name definition; do
  [[ "$definition" =~ ^label_values\((.*),\ *([a-z_]+)\)$ ]] ||
    fail "variable $name: cannot read \"$definition\" as label_values(SELECTOR, LABEL)"
  selector="$(substitute "${BASH_REMATCH[1]}" "")"
  label="${BASH_REMATCH[2]}"
  values="$(query "$selector" | jq -r --arg wanted "$label" '[.data.result[].metric[$wanted]] | unique | join(",")')"
  [ -n "$values" ] || fail "variable $name: $selector has no series with label $label"
  echo "  variable $name: $definition -> $values"
  if [ "$name" = "run_id" ]; then
    [[ ",$values," == *",$run_id,"* ]] || fail "variable run_id does not offer the run $run_id"
  fi
done < <(jq -r '.templating.list[] | select(.type == "query") | [.name, .definition] | @tsv' \
  "$dashboard")

echo "== every panel query returns data"
check_panels "$dashboard" "$run_id" || fail "a dashboard query returned no data"

echo "== the decision annotation"
while IFS= read -r line; do
  name="$(base64 -d <<<"$line" | jq -r '.name')"
  expr="$(substitute "$(base64 -d <<<"$line" | jq -r '.expr')" "$run_id")"
  reply="$(query "$expr")" || fail "annotation \"$name\": Prometheus rejected $expr"
  # The counter appeared at 1 with the run's first decision; the annotation must show it.
  jq -e '.data.result | any(.metric.policy == "operator" and .metric.kind == "scale")' \
    <<<"$reply" >/dev/null ||
    fail "annotation \"$name\" shows no operator scale decision: $expr -> $(jq -c .data <<<"$reply")"
  echo "  annotation \"$name\": $(jq '.data.result | length' <<<"$reply") series: $expr"
done < <(jq -r '.annotations.list[] | select(.datasource.type == "prometheus") | @base64' \
  "$dashboard")

echo "== guard: a query without data fails the check"
# One panel each, so that the guard costs two queries.
jq '.panels |= map(select(.title == "Learning rate"))' "$dashboard" >"$work_dir/rate-panel.json"
if check_panels "$work_dir/rate-panel.json" "no-such-run" >"$work_dir/guard-run.out"; then
  fail "the panel check passed for a run that does not exist"
fi
grep -q '"Learning rate" A: NO DATA' "$work_dir/guard-run.out" ||
  fail "the check for a missing run does not name the learning-rate panel"
jq '.panels |= [.[0] | .targets[0].expr = "sum(lrsched_no_such_series)"]' "$dashboard" \
  >"$work_dir/broken.json"
if check_panels "$work_dir/broken.json" "$run_id" >"$work_dir/guard-broken.out"; then
  fail "the panel check passed for a dashboard with a query for a missing series"
fi
grep -q 'NO DATA: sum(lrsched_no_such_series)' "$work_dir/guard-broken.out" ||
  fail "the check does not name the query without data"
echo "queries without data are reported"

echo "dashboard end to end: every check passed"
