#!/usr/bin/env bash
# Renders deploy/k8s/base with `kubectl kustomize` and checks that the manifests agree with
# each other and with lrsched-server. The checks cover the flag file in the ConfigMap, the
# container ports, the gRPC probes, the Service, the ServiceMonitor, the state volume and the
# security context. Then the test starts the real server with the rendered arguments and flag
# file, with addresses moved to free loopback ports and the volume to a temporary folder. It
# makes the probes' gRPC health call and the ServiceMonitor's scrape against that server.
#
# Usage: k8s_manifests_test.sh REPOSITORY_ROOT SERVER_BINARY CLI_BINARY
# LRSCHED_KUBECTL picks another kubectl, for example Debian's 1.20 next to a newer one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root="$1"
server_binary="$2"
cli_binary="$3"
base="$root/deploy/k8s/base"
kubectl="${LRSCHED_KUBECTL:-kubectl}"

require_commands "$kubectl" jq yq curl
echo "kubectl: $("$kubectl" version --client 2>/dev/null | head -n 1)"

"$kubectl" kustomize "$base" >"$work_dir/rendered.yaml" 2>"$work_dir/kustomize.log" ||
  fail "kubectl kustomize $base failed: $(cat "$work_dir/kustomize.log")"
yq -s . "$work_dir/rendered.yaml" >"$work_dir/rendered.json" || fail "the rendering is not YAML"
manifests="$(cat "$work_dir/rendered.json")"
echo "rendered: $(jq -r '[.[] | "\(.kind)/\(.metadata.name)"] | join(", ")' <<<"$manifests")"

# Prints the one object of a kind and name, or fails.
object() {
  local found
  found="$(jq -c --arg kind "$2" --arg name "$3" \
    '[.[] | select(.kind == $kind and .metadata.name == $name)]' <<<"$1")"
  [ "$(jq length <<<"$found")" = 1 ] || fail "expected one $2 named $3 in the rendering"
  jq -c '.[0]' <<<"$found"
}

# Prints the port number of a host:port value.
port_of() { echo "${1##*:}"; }

# Checks that ports, probes, Service and ServiceMonitor agree in a rendering (a JSON array).
# Prints each disagreement and returns 1 when there is one.
check_ports() {
  local rendering="$1" failures=0 deployment container service monitor flags
  local grpc_port metrics_port
  deployment="$(object "$rendering" Deployment lrsched-server)"
  container="$(jq -c '.spec.template.spec.containers[0]' <<<"$deployment")"
  service="$(object "$rendering" Service lrsched)"
  monitor="$(object "$rendering" ServiceMonitor lrsched)"
  flags="$(object "$rendering" ConfigMap lrsched-server-config | jq -r '.data["server.flags"]')"

  grpc_port="$(jq '.ports[] | select(.name == "grpc") | .containerPort' <<<"$container")"
  metrics_port="$(jq '.ports[] | select(.name == "metrics") | .containerPort' <<<"$container")"
  local listen metrics_listen
  listen="$(grep -o '^--listen=.*' <<<"$flags" | cut -d= -f2)"
  metrics_listen="$(grep -o '^--metrics_listen=.*' <<<"$flags" | cut -d= -f2)"
  if [ "$(port_of "$listen")" != "$grpc_port" ]; then
    echo "--listen=$listen does not use the grpc containerPort $grpc_port"
    failures=$((failures + 1))
  fi
  if [ "$(port_of "$metrics_listen")" != "$metrics_port" ]; then
    echo "--metrics_listen=$metrics_listen does not use the metrics containerPort $metrics_port"
    failures=$((failures + 1))
  fi
  local probe probe_port
  for probe in readinessProbe livenessProbe; do
    probe_port="$(jq --arg probe "$probe" '.[$probe].grpc.port' <<<"$container")"
    if [ "$probe_port" != "$grpc_port" ]; then
      echo "$probe calls gRPC health on port $probe_port, the server listens on $grpc_port"
      failures=$((failures + 1))
    fi
  done
  local target
  for target in $(jq -r '.spec.ports[].targetPort' <<<"$service"); do
    if ! jq -e --arg name "$target" 'any(.ports[]; .name == $name)' <<<"$container" >/dev/null; then
      echo "Service targetPort $target names no container port"
      failures=$((failures + 1))
    fi
  done
  if ! jq -e --argjson pod "$(jq '.spec.template.metadata.labels' <<<"$deployment")" \
    '.spec.selector | to_entries | all(.value == $pod[.key])' <<<"$service" >/dev/null; then
    echo "the Service selector does not match the pod labels"
    failures=$((failures + 1))
  fi
  if ! jq -e --argjson labels "$(jq '.metadata.labels' <<<"$service")" \
    '.spec.selector.matchLabels | to_entries | all(.value == $labels[.key])' <<<"$monitor" >/dev/null; then
    echo "the ServiceMonitor selector does not match the Service labels"
    failures=$((failures + 1))
  fi
  local monitor_port monitor_target
  monitor_port="$(jq -r '.spec.endpoints[0].port' <<<"$monitor")"
  monitor_target="$(jq -r --arg name "$monitor_port" '.spec.ports[] | select(.name == $name) | .targetPort' <<<"$service")"
  if [ "$monitor_target" != "metrics" ]; then
    echo "the ServiceMonitor scrapes Service port \"$monitor_port\", which does not target metrics"
    failures=$((failures + 1))
  fi
  [ "$failures" -eq 0 ]
}

echo "== ports, probes, Service and ServiceMonitor agree"
check_ports "$manifests" || fail "the manifests disagree about ports"
deployment="$(object "$manifests" Deployment lrsched-server)"
pod="$(jq -c '.spec.template.spec' <<<"$deployment")"
container="$(jq -c '.containers[0]' <<<"$pod")"
flags="$(object "$manifests" ConfigMap lrsched-server-config | jq -r '.data["server.flags"]')"
echo "flag file:"
sed 's/^/  /' <<<"$flags"

echo "== guard: a changed containerPort is reported"
broken="$(jq -c '(.[] | select(.kind == "Deployment") | .spec.template.spec.containers[0].ports[0].containerPort) = 50052' <<<"$manifests")"
if check_ports "$broken" >"$work_dir/guard-ports.out"; then
  fail "check_ports accepted a grpc containerPort of 50052 with --listen on 50051"
fi
grep -q "does not use the grpc containerPort 50052" "$work_dir/guard-ports.out" ||
  fail "the port guard does not name the port: $(cat "$work_dir/guard-ports.out")"
echo "disagreeing port reported"

echo "== state on the PersistentVolumeClaim, read-only root, non-root user, resources"
state_path="$(grep -o '^--state=.*' <<<"$flags" | cut -d= -f2)"
state_mount="$(jq -r '.volumeMounts[] | select(.name == "state") | .mountPath' <<<"$container")"
[ "$(dirname "$state_path")" = "$state_mount" ] ||
  fail "--state=$state_path is not on the state volume mounted at $state_mount"
claim="$(jq -r '.volumes[] | select(.name == "state") | .persistentVolumeClaim.claimName' <<<"$pod")"
object "$manifests" PersistentVolumeClaim "$claim" >/dev/null
jq -e '.securityContext.readOnlyRootFilesystem == true and
       .securityContext.allowPrivilegeEscalation == false' <<<"$container" >/dev/null ||
  fail "the container's root filesystem is writable or it may escalate privileges"
jq -e '.securityContext.runAsNonRoot == true and .securityContext.runAsUser > 0' <<<"$pod" >/dev/null ||
  fail "the pod may run as root"
image_user="$(awk '$1 == "USER" {print $2}' "$root/Dockerfile" | cut -d: -f1)"
[ "$(jq '.securityContext.runAsUser' <<<"$pod")" = "$image_user" ] ||
  fail "runAsUser differs from the image's USER $image_user, which owns the state folder"
jq -e '.resources.requests.cpu and .resources.requests.memory and
       .resources.limits.cpu and .resources.limits.memory' <<<"$container" >/dev/null ||
  fail "the container lacks CPU or memory requests or limits"
[ "$(jq '.spec.replicas' <<<"$deployment")" = 1 ] && \
  [ "$(jq -r '.spec.strategy.type' <<<"$deployment")" = Recreate ] ||
  fail "the Deployment must run one replica with the Recreate strategy: SQLite has one writer"
echo "state $state_path on claim $claim, user $image_user, read-only root"

echo "== the dashboard ConfigMap for Grafana's sidecar"
dashboard_map="$(object "$manifests" ConfigMap lrsched-grafana-dashboard)"
[ "$(jq -r '.metadata.labels.grafana_dashboard' <<<"$dashboard_map")" = 1 ] ||
  fail "the dashboard ConfigMap lacks the label grafana_dashboard: \"1\""
cmp -s "$base/lrsched-dashboard.json" "$root/deploy/grafana/dashboards/lrsched.json" ||
  fail "deploy/k8s/base/lrsched-dashboard.json differs from deploy/grafana/dashboards/lrsched.json; copy it over"
jq -r '.data["lrsched-dashboard.json"]' <<<"$dashboard_map" | jq -e '.uid == "lrsched-overview"' >/dev/null ||
  fail "the ConfigMap does not hold the dashboard"
echo "dashboard ConfigMap labelled and equal to deploy/grafana/dashboards/lrsched.json"

echo "== the server starts with the rendered arguments"
config_mount="$(jq -r --arg name "$(jq -r '.volumes[] | select(.configMap.name == "lrsched-server-config") | .name' <<<"$pod")" \
  '.volumeMounts[] | select(.name == $name) | .mountPath' <<<"$container")"
grpc_port="$(free_port)"
http_port="$(free_port)"
mkdir -p "$work_dir/config" "$work_dir/state"
sed -e "s|0.0.0.0:$(port_of "$(grep -o '^--listen=.*' <<<"$flags")")|127.0.0.1:$grpc_port|" \
    -e "s|0.0.0.0:$(port_of "$(grep -o '^--metrics_listen=.*' <<<"$flags")")|127.0.0.1:$http_port|" \
    -e "s|$state_mount|$work_dir/state|" <<<"$flags" >"$work_dir/config/server.flags"
grep -q "127.0.0.1:$grpc_port" "$work_dir/config/server.flags" || fail "could not move --listen to loopback"
mapfile -t server_args < <(jq -r '.args[]' <<<"$container" | sed "s|$config_mount|$work_dir/config|")
echo "lrsched-server ${server_args[*]}"
start_server server "$server_binary" "${server_args[@]}"
[ "$grpc_address" = "127.0.0.1:$grpc_port" ] || fail "the server listens on $grpc_address"
[ "$metrics_port" = "$http_port" ] || fail "metrics are on port $metrics_port, expected $http_port"
[ -f "$work_dir/state/state.db" ] || fail "the state file is not on the state volume"

# The kubelet's gRPC probe calls grpc.health.v1.Health/Check with an empty service name,
# as lrsched health does.
"$cli_binary" --server "$grpc_address" --timeout 5 health >"$work_dir/health.out" 2>&1 ||
  fail "the gRPC health check failed: $(cat "$work_dir/health.out")"
grep -qx SERVING "$work_dir/health.out" || fail "the health check did not print SERVING"
scrape_path="$(object "$manifests" ServiceMonitor lrsched | jq -r '.spec.endpoints[0].path')"
# The body is read whole first: grep -q stops at the first match, and with pipefail the
# SIGPIPE that curl then gets would fail the check.
scrape_body="$(curl -sf "http://127.0.0.1:$http_port$scrape_path")" ||
  fail "GET $scrape_path on the metrics port failed"
grep -q '^lrsched_runs ' <<<"$scrape_body" ||
  fail "GET $scrape_path on the metrics port returned no lrsched_runs"
echo "probe: SERVING; ServiceMonitor scrape of $scrape_path: lrsched_runs present"

echo "== guard: a flag the server does not know stops it"
cp "$work_dir/config/server.flags" "$work_dir/config/bad.flags"
echo "--no_such_flag=1" >>"$work_dir/config/bad.flags"
status=0
timeout 10 "$server_binary" --flagfile="$work_dir/config/bad.flags" >"$work_dir/bad-flag.out" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "lrsched-server started with --no_such_flag"
grep -q "no_such_flag" "$work_dir/bad-flag.out" || fail "the error does not name the unknown flag"
echo "unknown flag rejected with exit $status"

echo "kubernetes manifests: every check passed"
