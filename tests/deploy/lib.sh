# Helpers shared by the deployment tests. Source it after `set -euo pipefail`. It creates
# $work_dir, removes it on exit, and stops every process started with start_background.
#
# A test skips with exit code 77 (CTest's SKIP_RETURN_CODE) only when a tool is missing.

work_dir="$(mktemp -d)"
background_pids=()

cleanup() {
  local pid
  for pid in "${background_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${background_pids[@]}"; do
    # Prometheus and lrsched-server stop within a few seconds after SIGTERM.
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work_dir"
}
trap cleanup EXIT

# Prints the message and every log in $work_dir, then fails the test.
fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "$work_dir"/*.log; do
    [ -f "$log" ] || continue
    echo "--- $log (last 40 lines)" >&2
    tail -n 40 "$log" >&2
  done
  exit 1
}

skip() {
  echo "SKIP: $*"
  exit 77
}

# Skips the test unless every named command is on PATH.
require_commands() {
  local command_name
  for command_name in "$@"; do
    command -v "$command_name" >/dev/null 2>&1 ||
      skip "$command_name is not installed; scripts/install-deps.sh installs it"
  done
}

# Runs a command in the background with its output in $work_dir/NAME.log and records its pid
# in $last_pid. Usage: start_background NAME COMMAND [ARGS...]
start_background() {
  local name="$1"
  shift
  "$@" >"$work_dir/$name.log" 2>&1 &
  last_pid=$!
  background_pids+=("$last_pid")
}

# Prints a TCP port on 127.0.0.1 that nothing listens on. Another process may still take it
# before the caller binds it, so callers retry or fail with a clear message.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  fail "found no free TCP port on 127.0.0.1 in 50 tries"
}

# Starts lrsched-server with the given flags and waits for its "serving gRPC" log line. Sets
# server_pid, grpc_address (HOST:PORT) and metrics_port from that line.
# Usage: start_server NAME SERVER_BINARY [FLAGS...]
start_server() {
  local name="$1"
  shift
  start_background "$name" "$@"
  server_pid=$last_pid
  local log="$work_dir/$name.log"
  for _ in $(seq 1 100); do
    if grep -q "serving gRPC" "$log"; then break; fi
    kill -0 "$server_pid" 2>/dev/null || fail "lrsched-server ($name) exited at start"
    sleep 0.1
  done
  grep -q "serving gRPC" "$log" || fail "lrsched-server ($name) did not start within 10 s"
  grpc_address="$(grep -o 'serving gRPC on [^,]*' "$log" | awk '{print $4}')"
  metrics_port="$(grep -o 'metrics on http://[^/]*' "$log" | awk -F: '{print $NF}')"
  [ -n "$grpc_address" ] && [ -n "$metrics_port" ] || fail "no addresses in the log of $name"
}
