#!/usr/bin/env bash
# Checks deploy/docker-compose.yml and the Grafana provisioning without a Docker engine.
# Every file it mounts must exist, and the names and ports that connect the three services
# must agree: Prometheus scrapes the server's metrics port, Grafana's data source is the
# Prometheus service, and the dashboard provider reads the folder the dashboards are mounted
# in. The server's state must be on a volume, and every image pinned to a version.
#
# Usage: compose_test.sh REPOSITORY_ROOT
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root="$1"
deploy="$root/deploy"

require_commands jq yq

compose="$(yq . "$deploy/docker-compose.yml")" || fail "deploy/docker-compose.yml is not YAML"
[ "$(jq -c '.services | keys' <<<"$compose")" = '["grafana","lrsched-server","prometheus"]' ] ||
  fail "expected the services grafana, lrsched-server and prometheus"

# Prints the host path of the bind mount of SERVICE at CONTAINER_PATH, relative to deploy/.
bind_source() {
  jq -r --arg service "$1" --arg target "$2" \
    '.services[$service].volumes[] | select(split(":")[1] == $target) | split(":")[0]' <<<"$compose"
}

echo "== mounted files exist"
while IFS=$'\t' read -r service mount; do
  source_path="${mount%%:*}"
  [[ "$source_path" == ./* ]] || continue
  [ -e "$deploy/$source_path" ] || fail "$service mounts $source_path, which does not exist in deploy/"
  echo "$service: $source_path exists"
done < <(jq -r '.services | to_entries[] | .key as $service | .value.volumes[]? | [$service, .] | @tsv' \
  <<<"$compose")
[ -f "$root/$(jq -r '.services["lrsched-server"].build.dockerfile' <<<"$compose")" ] ||
  fail "the server's Dockerfile is missing"
[ "$(cd "$deploy" && cd "$(jq -r '.services["lrsched-server"].build.context' <<<"$compose")" && pwd)" = \
  "$(cd "$root" && pwd)" ] || fail "the server's build context is not the repository root"

echo "== Prometheus scrapes the server's metrics port and loads the rules"
prometheus_config="$(bind_source prometheus /etc/prometheus/prometheus.yml)"
[ "$prometheus_config" = "./prometheus/prometheus.yml" ] ||
  fail "Prometheus does not get deploy/prometheus/prometheus.yml"
[ "$(bind_source prometheus /etc/prometheus/rules)" = "./prometheus/rules" ] ||
  fail "Prometheus does not get deploy/prometheus/rules next to its configuration"
target="$(yq -r '.scrape_configs[] | select(.job_name == "lrsched") | .static_configs[0].targets[0]' \
  "$deploy/prometheus/prometheus.yml")"
image_metrics_port="$(grep -o -- '--metrics_listen=[^"]*' "$root/Dockerfile" | awk -F: '{print $NF}')"
[ "$target" = "lrsched-server:$image_metrics_port" ] ||
  fail "Prometheus scrapes $target, the server's metrics are on lrsched-server:$image_metrics_port"
jq -e --arg port "$image_metrics_port" '.services["lrsched-server"].ports | any(endswith(":" + $port))' \
  <<<"$compose" >/dev/null || fail "the metrics port $image_metrics_port is not published"
echo "job lrsched scrapes $target"

echo "== Grafana's data source and dashboard provider"
[ "$(bind_source grafana /etc/grafana/provisioning)" = "./grafana/provisioning" ] ||
  fail "Grafana does not get deploy/grafana/provisioning"
dashboards_mount="$(jq -r '.services.grafana.volumes[] | select(startswith("./grafana/dashboards:")) | split(":")[1]' \
  <<<"$compose")"
provider_path="$(yq -r '.providers[0].options.path' "$deploy/grafana/provisioning/dashboards/lrsched.yml")"
[ "$provider_path" = "$dashboards_mount" ] ||
  fail "the dashboard provider reads $provider_path, the dashboards are mounted at $dashboards_mount"
home="$(jq -r '.services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH' <<<"$compose")"
[ -f "$deploy/grafana/dashboards/$(basename "$home")" ] && [ "$(dirname "$home")" = "$dashboards_mount" ] ||
  fail "the home dashboard $home is not a mounted dashboard"
datasource_url="$(yq -r '.datasources[0].url' "$deploy/grafana/provisioning/datasources/prometheus.yml")"
[ "$datasource_url" = "http://prometheus:9090" ] || fail "the data source URL is $datasource_url"
[ "$(yq -r '.datasources[0].type' "$deploy/grafana/provisioning/datasources/prometheus.yml")" = prometheus ] ||
  fail "the provisioned data source is not of type prometheus"
jq -e '.templating.list[] | select(.name == "datasource" and .query == "prometheus")' \
  "$deploy/grafana/dashboards/lrsched.json" >/dev/null ||
  fail "the dashboard does not choose its data source through a prometheus datasource variable"
echo "data source $datasource_url, dashboards from $provider_path"

echo "== the server's state is on a volume, images are pinned"
state_dir="$(grep -o -- '--state=[^"]*' "$root/Dockerfile" | cut -d= -f2 | xargs dirname)"
jq -e --arg dir "$state_dir" '.services["lrsched-server"].volumes | any(endswith(":" + $dir))' \
  <<<"$compose" >/dev/null || fail "no volume holds the server's state folder $state_dir"
while IFS=$'\t' read -r service image; do
  [[ "$image" == *:* && "$image" != *:latest ]] || fail "$service uses the unpinned image $image"
  echo "$service: $image"
done < <(jq -r '.services | to_entries[] | [.key, .value.image] | @tsv' <<<"$compose")

echo "compose: every check passed"
