#!/usr/bin/env bash
# Profiles lrsched-server and bench/baseline_server under valgrind's callgrind while
# bench/load_generator sends a fixed number of calls, and prints the instructions each server
# executes per call with the functions that execute most of them.
#
# Instruction counts do not depend on the load of the machine, so they compare the two
# servers even on shared cores where timings drift. Collection is switched on only around the
# measured calls (callgrind_control -i on/off), so start-up and shutdown are left out.
#
# Usage: bench/profile_server.sh [options]
#   --build-dir DIR   CMake build directory (default: build in the repository)
#   --output-dir DIR  where the callgrind files and annotations go (default: a new folder
#                     under /tmp, printed at the end)
#   --calls N         measured calls per profile, 100 to 1000000 (default 20000)
#   --in-flight N     calls in flight, 1 to 256 (default 16)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_dir/build"
output_dir=""
calls=20000
in_flight=16

usage() {
  sed -n '/^# Usage:/,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

fail() {
  echo "profile_server.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --output-dir) output_dir="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --in-flight) in_flight="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option $1" ;;
  esac
done

[[ "$calls" =~ ^[0-9]+$ ]] && [ "$calls" -ge 100 ] && [ "$calls" -le 1000000 ] ||
  fail "--calls must be 100 to 1000000, got $calls"
[[ "$in_flight" =~ ^[0-9]+$ ]] && [ "$in_flight" -ge 1 ] && [ "$in_flight" -le 256 ] ||
  fail "--in-flight must be 1 to 256, got $in_flight"
command -v valgrind > /dev/null || fail "valgrind is missing: apt-get install valgrind"

server_bin="$build_dir/server/lrsched-server"
load_bin="$build_dir/bench/load_generator"
baseline_bin="$build_dir/bench/baseline_server"
for binary in "$server_bin" "$load_bin" "$baseline_bin"; do
  [ -x "$binary" ] || fail "$binary is missing: build lrsched-server load_generator \
baseline_server in $build_dir first"
done
[ -n "$output_dir" ] || output_dir="$(mktemp -d -t lrsched-profile.XXXXXX)"
mkdir -p "$output_dir"

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# Prints a TCP port on 127.0.0.1 that nothing listens on, trying at most 100 random ones.
pick_port() {
  local attempt port
  for attempt in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Htln "sport = :$port" | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  fail "found no free port in 100 attempts"
}

# Profiles one server ($1: lrsched or baseline) under one load_generator scenario ($2).
profile() {
  local server="$1" scenario="$2" port log out attempt
  port="$(pick_port)"
  log="$output_dir/$server-$scenario.log"
  out="$output_dir/callgrind.$server-$scenario"
  local command=("$baseline_bin" --listen "127.0.0.1:$port" --max_seconds 3600)
  if [ "$server" = lrsched ]; then
    command=("$server_bin" --listen "127.0.0.1:$port" --metrics_listen 127.0.0.1:0
             --state "$output_dir/$server-$scenario.db" --shutdown_grace_seconds 1)
  fi
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
    "${command[@]}" > "$log" 2>&1 &
  server_pid=$!

  # Under valgrind the server takes several seconds to start.
  for attempt in $(seq 1200); do
    kill -0 "$server_pid" 2>/dev/null || fail "$server exited at start; see $log"
    if ss -Htln "sport = :$port" | grep -q .; then break; fi
    sleep 0.1
  done
  # Unmeasured calls first: they create the run and warm gRPC's buffers and threads.
  "$load_bin" --target "127.0.0.1:$port" --scenario "$scenario" --in_flight "$in_flight" \
    --warmup_seconds 0 --duration_seconds 120 --max_calls 200 > /dev/null
  callgrind_control -i on "$server_pid" > /dev/null 2>&1
  "$load_bin" --target "127.0.0.1:$port" --scenario "$scenario" --in_flight "$in_flight" \
    --warmup_seconds 0 --duration_seconds 600 --max_calls "$calls" --label "$server" |
    tee "$output_dir/$server-$scenario.result"
  callgrind_control -i off "$server_pid" > /dev/null 2>&1

  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""

  local total
  total="$(callgrind_annotate "$out" 2>/dev/null |
    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')"
  echo "$server $scenario: $total instructions for $calls calls, $((total / calls)) per call"
  callgrind_annotate --inclusive=yes --threshold=99 "$out" \
    > "$output_dir/$server-$scenario.inclusive.txt"
  callgrind_annotate --threshold=95 "$out" > "$output_dir/$server-$scenario.exclusive.txt"
}

for scenario in get_rate report stream_report; do
  for server in lrsched baseline; do
    profile "$server" "$scenario"
  done
done
echo "profile_server.sh: annotations in $output_dir (*.inclusive.txt, *.exclusive.txt)"
