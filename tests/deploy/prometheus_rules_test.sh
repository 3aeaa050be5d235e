#!/usr/bin/env bash
# Checks deploy/prometheus with promtool: the configuration, the alerting rules, and the rule
# unit tests. Then checks that every alert has a firing and a not-firing test, and that
# promtool catches a broken rule file, a changed threshold and a broken configuration.
#
# Usage: prometheus_rules_test.sh REPOSITORY_ROOT
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root="$1"
prometheus_dir="$root/deploy/prometheus"
rules="$prometheus_dir/rules/lrsched-alerts.yml"
rule_tests="$prometheus_dir/tests/lrsched-alerts-test.yml"

require_commands promtool
promtool --version 2>&1 | head -n 1

echo "== promtool check config, check rules, test rules"
promtool check config "$prometheus_dir/prometheus.yml" || fail "promtool check config failed"
promtool check rules "$prometheus_dir"/rules/*.yml || fail "promtool check rules failed"
promtool test rules "$prometheus_dir"/tests/*.yml || fail "promtool test rules failed"

echo "== every alert has a firing and a not-firing test"
alerts="$(awk '$1 == "-" && $2 == "alert:" {print $3}' "$rules")"
[ "$(echo "$alerts" | wc -l)" -ge 10 ] || fail "expected at least 10 alerts in $rules, found: $alerts"
# Prints "ALERT fires" or "ALERT quiet" for each alert_rule_test case in the test file.
cases="$(awk '
  $1 == "alertname:" { alert = $2; next }
  $1 == "exp_alerts:" && alert != "" {
    print alert, ($2 == "[]" ? "quiet" : "fires")
    alert = ""
  }' "$rule_tests")"
for alert in $alerts; do
  grep -qx "$alert fires" <<<"$cases" || fail "no test in $rule_tests where $alert fires"
  grep -qx "$alert quiet" <<<"$cases" || fail "no test in $rule_tests where $alert stays quiet"
  echo "$alert: tested firing and not firing"
done

echo "== guard: promtool rejects broken input"
mkdir -p "$work_dir/rules" "$work_dir/tests"
cp "$rule_tests" "$work_dir/tests/"

# A PromQL syntax error must fail `check rules`.
sed 's/expr: up{job="lrsched"} == 0/expr: up{job="lrsched" == 0/' "$rules" \
  >"$work_dir/rules/lrsched-alerts.yml"
cmp -s "$rules" "$work_dir/rules/lrsched-alerts.yml" && fail "the syntax-error edit matched nothing"
if promtool check rules "$work_dir/rules/lrsched-alerts.yml" >"$work_dir/broken.out" 2>&1; then
  fail "promtool check rules accepted a rule with a PromQL syntax error"
fi
echo "broken rule rejected: $(grep -m1 -i 'error\|parse' "$work_dir/broken.out" || true)"

# A changed threshold must fail the unit tests.
sed 's/> 2 \* min_over_time/> 4 * min_over_time/' "$rules" >"$work_dir/rules/lrsched-alerts.yml"
cmp -s "$rules" "$work_dir/rules/lrsched-alerts.yml" && fail "the threshold edit matched nothing"
if promtool test rules "$work_dir/tests/lrsched-alerts-test.yml" >"$work_dir/threshold.out" 2>&1; then
  fail "promtool test rules passed with the divergence threshold changed from 2 to 4"
fi
grep -q "LrschedRunLossDiverging" "$work_dir/threshold.out" ||
  fail "the failed rule test does not name LrschedRunLossDiverging"
echo "changed threshold caught by the unit tests"

# A configuration with an unknown field must fail `check config`.
sed 's/scrape_interval: 15s/scrape_intervall: 15s/' "$prometheus_dir/prometheus.yml" \
  >"$work_dir/prometheus.yml"
cmp -s "$prometheus_dir/prometheus.yml" "$work_dir/prometheus.yml" &&
  fail "the configuration edit matched nothing"
if promtool check config "$work_dir/prometheus.yml" >"$work_dir/config.out" 2>&1; then
  fail "promtool check config accepted an unknown field"
fi
echo "broken configuration rejected"

echo "prometheus rules: every check passed"
