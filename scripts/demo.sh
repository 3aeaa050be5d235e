#!/usr/bin/env bash
# The main job. Installs the dependencies, builds lrsched and starts lrsched-server with its
# embedded SQLite store in the background. Then trains the bundled Eigen trainer on
# Fashion-MNIST for 10 epochs, with a warmup-then-cosine rate that the server hands out each
# epoch, prints where to look at the metrics, and stops the server.
#
# Environment: LRSCHED_GRPC_PORT (default 50051), LRSCHED_METRICS_PORT (default 9464),
# LRSCHED_DEMO_DIR (state file and logs; default build/demo), LRSCHED_DEMO_EPOCHS (default 10).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${LRSCHED_BUILD_DIR:-$root/build}"
grpc_port="${LRSCHED_GRPC_PORT:-50051}"
metrics_port="${LRSCHED_METRICS_PORT:-9464}"
demo_dir="${LRSCHED_DEMO_DIR:-$build_dir/demo}"
epochs="${LRSCHED_DEMO_EPOCHS:-10}"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" --target lrsched-server lrsched lrsched-trainer

mkdir -p "$demo_dir"
server_log="$demo_dir/server.log"
"$build_dir/server/lrsched-server" --listen "127.0.0.1:$grpc_port" \
  --metrics_listen "127.0.0.1:$metrics_port" --state "$demo_dir/state.db" \
  >"$server_log" 2>&1 &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

# The server logs one line once it serves; stop early if it exits instead.
for _ in $(seq 1 100); do
  if grep -q "serving gRPC" "$server_log"; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "demo: lrsched-server failed to start; its log ($server_log) follows:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "demo: $(grep -o 'serving gRPC.*' "$server_log")"

run_id="fashion-mnist-$(date +%Y%m%d-%H%M%S)"
"$build_dir/trainer/lrsched-trainer" --server "127.0.0.1:$grpc_port" \
  --spec "$root/docs/specs/warmup-cosine.json" --run "$run_id" --epochs "$epochs"

echo
echo "demo: the run as the server stores it: $build_dir/client/lrsched runs get $run_id --server 127.0.0.1:$grpc_port"
"$build_dir/client/lrsched" runs get "$run_id" --server "127.0.0.1:$grpc_port"
echo "demo: the run's series on http://127.0.0.1:$metrics_port/metrics:"
curl -s "http://127.0.0.1:$metrics_port/metrics" | grep "run_id=\"$run_id\"" || true
echo "demo: stopping lrsched-server; the state file $demo_dir/state.db keeps the run"
