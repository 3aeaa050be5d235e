#!/usr/bin/env bash
# Runs every RPC benchmark of lrsched-server beside bench/baseline_server, a gRPC server with
# the same messages and no logic, and writes the figures with their ratios to
# docs/performance.md. The tables go between the lines "<!-- BEGIN run_all.sh -->" and
# "<!-- END run_all.sh -->", or at the end of the file when it has no such lines.
#
# Both servers listen on 127.0.0.1, on free ports that the script picks, and each load runs
# against one of them while the other is idle. Each load runs --repeats times per server, with
# the two servers taking turns to go first. The tables give the median and the range of the
# runs.
# The scenarios, in order:
#   1. GetLearningRate: 1 call in flight (ping-pong), 16 and 64 in flight over 1 and 4
#      channels. ReportMetrics with 4 metrics: ping-pong, 16 in flight on 1 channel, 64 in
#      flight over 4 channels. The same reports on StreamMetrics: 1 stream, and 4 streams over
#      4 channels. lrsched acknowledges a report only after its commit.
#   2. Memory per idle run at 10,000 and 100,000 runs: VmRSS of lrsched-server before and
#      after CreateRun of the runs over the API (a fresh server for each count), and of a server
#      restored from a state file with the runs against one restored from a file with one run.
#      GetLearningRate, 16 in flight, runs again on the server that holds the created runs.
#   3. Restart: time from starting lrsched-server on a state file with 100,000 runs and
#      1,000,000 reports to its first answer for a stored run; the baseline's start beside it.
# A run with --repeats 5 took 14 minutes on 2 cores. It needs a built tree: lrsched-server and the
# bench targets load_generator, baseline_server and make_state_file.
#
# Usage: bench/run_all.sh [options]
#   --build-dir DIR   CMake build directory (default: build in the repository)
#   --output FILE     Markdown file to write the tables to (default: docs/performance.md)
#   --repeats N       runs of each load per server, 1 to 9 (default 3)
#   --duration S      measured seconds of each load, 1 to 60 (default 5)
#   --warmup S        unmeasured seconds before each load, 0 to 10 (default 1)
#   --memory-runs "N ..."  run counts of the memory figures (default "10000 100000")
#   --restart-runs N       runs of the restart's state file (default 100000)
#   --restart-reports N    reports of the restart's state file (default 1000000)
#   --source-commit SHA    commit that the build directory's sources came from, when they are
#                          not a git checkout (e.g. a `git archive` export)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_dir/build"
output="$repo_dir/docs/performance.md"
repeats=3
duration=5
warmup=1
memory_runs="10000 100000"
restart_runs=100000
restart_reports=1000000
source_commit=""

usage() {
  sed -n '/^# Usage:/,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

fail() {
  echo "run_all.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --memory-runs) memory_runs="$2"; shift 2 ;;
    --restart-runs) restart_runs="$2"; shift 2 ;;
    --restart-reports) restart_reports="$2"; shift 2 ;;
    --source-commit) source_commit="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option $1" ;;
  esac
done

[[ "$repeats" =~ ^[1-9]$ ]] || fail "--repeats must be 1 to 9, got $repeats"
[[ "$duration" =~ ^[0-9]+$ ]] && [ "$duration" -ge 1 ] && [ "$duration" -le 60 ] ||
  fail "--duration must be 1 to 60 seconds, got $duration"
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 10 ] ||
  fail "--warmup must be 0 to 10 seconds, got $warmup"
for count in $memory_runs "$restart_runs" "$restart_reports"; do
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || fail "run and report counts must be positive, got $count"
done

server_bin="$build_dir/server/lrsched-server"
load_bin="$build_dir/bench/load_generator"
baseline_bin="$build_dir/bench/baseline_server"
state_bin="$build_dir/bench/make_state_file"
for binary in "$server_bin" "$load_bin" "$baseline_bin" "$state_bin"; do
  [ -x "$binary" ] || fail "$binary is missing: build lrsched-server load_generator \
baseline_server make_state_file in $build_dir first"
done

work_dir="$(mktemp -d -t lrsched-bench.XXXXXX)"
results="$work_dir/results.txt"
: > "$results"
started_pids=()

# Stops every server this script started, then removes the scratch folder.
cleanup() {
  for pid in "${started_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work_dir"
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

# Waits up to 60 s until something listens on 127.0.0.1:PORT and process PID still runs.
wait_for_port() {
  local port="$1" pid="$2" log="$3" attempt
  for attempt in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || fail "the server exited at start; its log $log says: \
$(tail -5 "$log")"
    if ss -Htln "sport = :$port" | grep -q .; then return 0; fi
    sleep 0.1
  done
  fail "nothing listened on port $port after 60 s; see $log"
}

# Sends SIGTERM to PID and waits up to 30 s for it to exit, then kills it. The PID leaves
# started_pids, so that cleanup never signals a process that reused the number.
stop_server() {
  local pid="$1" attempt remaining=()
  for attempt in "${started_pids[@]}"; do
    [ "$attempt" = "$pid" ] || remaining+=("$attempt")
  done
  started_pids=("${remaining[@]}")

  kill -TERM "$pid" 2>/dev/null || return 0
  for attempt in $(seq 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  echo "run_all.sh: server $pid did not stop within 30 s of SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Starts lrsched-server on state file $1 without waiting; sets server_pid, server_port and
# server_log.
launch_lrsched() {
  local state="$1"
  server_port="$(pick_port)"
  server_log="$work_dir/lrsched-$server_port.log"
  "$server_bin" --listen "127.0.0.1:$server_port" --metrics_listen 127.0.0.1:0 \
    --state "$state" --shutdown_grace_seconds 1 > "$server_log" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
}

# Starts baseline_server without waiting; sets the same variables as launch_lrsched.
launch_baseline() {
  server_port="$(pick_port)"
  server_log="$work_dir/baseline-$server_port.log"
  "$baseline_bin" --listen "127.0.0.1:$server_port" --max_seconds 7200 > "$server_log" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
}

# Prints the resident memory of process PID in KiB.
resident_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# Runs load_generator against 127.0.0.1:PORT with the remaining options, and appends its
# result line to the results file, prefixed with the fields in TAGS.
run_load() {
  local port="$1" tags="$2"
  shift 2
  local line
  line="$("$load_bin" --target "127.0.0.1:$port" "$@" | grep '^result ')" ||
    fail "load_generator $* failed against port $port"
  echo "$tags ${line#result }" >> "$results"
  echo "  $tags ${line#result }" >&2
}

# Scenario rows: id|title|load_generator scenario|channels|calls in flight.
load_rows=(
  "rate_1|GetLearningRate, ping-pong|get_rate|1|1"
  "rate_16x1|GetLearningRate, 16 in flight, 1 channel|get_rate|1|16"
  "rate_16x4|GetLearningRate, 16 in flight, 4 channels|get_rate|4|16"
  "rate_64x1|GetLearningRate, 64 in flight, 1 channel|get_rate|1|64"
  "rate_64x4|GetLearningRate, 64 in flight, 4 channels|get_rate|4|64"
  "report_1|ReportMetrics (4 metrics), ping-pong|report|1|1"
  "report_16x1|ReportMetrics (4 metrics), 16 in flight, 1 channel|report|1|16"
  "report_64x4|ReportMetrics (4 metrics), 64 in flight, 4 channels|report|4|64"
  "stream_1|StreamMetrics (4 metrics each), 1 stream|stream_report|1|1"
  "stream_4x4|StreamMetrics (4 metrics each), 4 streams, 4 channels|stream_report|4|4"
)

run_load_scenarios() {
  echo "== loads: $repeats run(s) per server of ${warmup} s + ${duration} s" >&2
  launch_lrsched "$work_dir/load-state.db"
  local lrsched_pid="$server_pid" lrsched_port="$server_port"
  wait_for_port "$lrsched_port" "$lrsched_pid" "$server_log"
  launch_baseline
  local baseline_pid="$server_pid" baseline_port="$server_port"
  wait_for_port "$baseline_port" "$baseline_pid" "$server_log"

  local row id title scenario channels in_flight rep server
  for row in "${load_rows[@]}"; do
    IFS='|' read -r id title scenario channels in_flight <<< "$row"
    for rep in $(seq "$repeats"); do
      # The servers take turns to go first, so a drift in the machine's load hits both.
      local order="lrsched baseline"
      [ $((rep % 2)) -eq 0 ] && order="baseline lrsched"
      for server in $order; do
        local port="$lrsched_port"
        [ "$server" = baseline ] && port="$baseline_port"
        run_load "$port" "kind=load row=$id server=$server rep=$rep" \
          --scenario "$scenario" --channels "$channels" --in_flight "$in_flight" \
          --warmup_seconds "$warmup" --duration_seconds "$duration" --label "$server"
      done
    done
  done
  stop_server "$lrsched_pid"
  stop_server "$baseline_pid"
}

# Memory of $1 runs created over the API, with the CreateRun rate of both servers, then
# GetLearningRate on the lrsched-server that has the runs, beside the baseline.
run_api_memory() {
  local runs="$1" pid port before after
  echo "== memory: $runs runs created over the API" >&2
  launch_lrsched "$work_dir/api-$runs.db"
  pid="$server_pid"
  port="$server_port"
  wait_for_port "$port" "$pid" "$server_log"
  # A short load first, so that gRPC's threads and buffers exist before the first reading.
  "$load_bin" --target "127.0.0.1:$port" --scenario get_rate --in_flight 16 \
    --warmup_seconds 0 --duration_seconds 1 > /dev/null
  before="$(resident_kib "$pid")"
  run_load "$port" "kind=create server=lrsched" --scenario create_runs --runs "$runs" \
    --run_id api --in_flight 4 --duration_seconds 600 --label lrsched
  sleep 1
  after="$(resident_kib "$pid")"
  echo "kind=memory source=api runs=$runs before_kib=$before after_kib=$after" >> "$results"

  launch_baseline
  local baseline_pid="$server_pid" baseline_port="$server_port"
  wait_for_port "$baseline_port" "$baseline_pid" "$server_log"
  run_load "$baseline_port" "kind=create server=baseline" --scenario create_runs \
    --runs "$runs" --run_id api --in_flight 4 --duration_seconds 600 --label baseline

  # GetLearningRate while the runs are registered: lrsched's metrics sweep walks every run.
  local id="rate_16x1_runs$runs" rep server
  load_rows+=("$id|GetLearningRate, 16 in flight, 1 channel, $runs runs registered|get_rate|1|16")
  for rep in $(seq "$repeats"); do
    for server in lrsched baseline; do
      local target_port="$port"
      [ "$server" = baseline ] && target_port="$baseline_port"
      run_load "$target_port" "kind=load row=$id server=$server rep=$rep" --scenario get_rate \
        --channels 1 --in_flight 16 --warmup_seconds "$warmup" \
        --duration_seconds "$duration" --label "$server"
    done
  done
  stop_server "$pid"
  stop_server "$baseline_pid"
}

# Sets restored_kib to the VmRSS in KiB of lrsched-server restored from state file $1, after
# a short load.
measure_restored() {
  launch_lrsched "$1"
  local pid="$server_pid" port="$server_port"
  wait_for_port "$port" "$pid" "$server_log"
  "$load_bin" --target "127.0.0.1:$port" --scenario get_rate --in_flight 16 \
    --warmup_seconds 0 --duration_seconds 1 > /dev/null
  sleep 1
  restored_kib="$(resident_kib "$pid")"
  stop_server "$pid"
}

# Memory of runs restored from state files, against a server restored from an empty one.
run_stored_memory() {
  local empty_kib runs state
  echo "== memory: runs restored from state files" >&2
  "$state_bin" --state "$work_dir/empty.db" --runs 1 --reports 0 > /dev/null
  measure_restored "$work_dir/empty.db"
  empty_kib="$restored_kib"
  for runs in $memory_runs; do
    state="$work_dir/idle-$runs.db"
    "$state_bin" --state "$state" --runs "$runs" --reports 0 > /dev/null
    measure_restored "$state"
    echo "kind=memory source=state_file runs=$runs before_kib=$empty_kib \
after_kib=$restored_kib" >> "$results"
    rm -f "$state" "$state-wal" "$state-shm"
  done
}

# Time from start to serving for a server restored from a large state file, and the
# baseline's start beside it.
run_restart() {
  local state="$work_dir/restart.db" rep line start last_run
  echo "== restart: $restart_runs runs, $restart_reports reports" >&2
  line="$("$state_bin" --state "$state" --runs "$restart_runs" --reports "$restart_reports" \
    --run_prefix stored)"
  echo "kind=state_file ${line#result }" >> "$results"
  last_run="$(printf 'stored-%07d' $((restart_runs - 1)))"

  for rep in $(seq "$repeats"); do
    start="$(date +%s%N)"
    launch_lrsched "$state"
    run_load "$server_port" "kind=restart server=lrsched rep=$rep" --scenario wait_serving \
      --run_id "$last_run" --since_unix_nanos "$start" --duration_seconds 120 --label lrsched
    echo "kind=restart_memory rep=$rep kib=$(resident_kib "$server_pid")" >> "$results"
    stop_server "$server_pid"

    start="$(date +%s%N)"
    launch_baseline
    run_load "$server_port" "kind=restart server=baseline rep=$rep" --scenario wait_serving \
      --run_id "$last_run" --since_unix_nanos "$start" --duration_seconds 120 --label baseline
    stop_server "$server_pid"
  done
  du -k "$state" | awk '{ print "kind=state_size kib=" $1 }' >> "$results"
}

# Prints which sources the measured binaries were built from: the source tree of the build
# directory, with its git commit, or --source-commit when the tree is no git checkout.
describe_sources() {
  local source_dir commit
  source_dir="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")"
  if [ -n "$source_commit" ]; then
    echo "\`$source_commit\` (sources in $source_dir)"
  elif commit="$(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null)"; then
    if [ -n "$(git -C "$source_dir" status --porcelain 2>/dev/null)" ]; then
      echo "\`$commit\` plus uncommitted changes in $source_dir"
    else
      echo "\`$commit\`"
    fi
  else
    echo "unknown: $source_dir is not a git checkout and --source-commit was not given"
  fi
}

# Fails when a source file of lrsched-server is newer than the binary: the figures would then
# belong to older code than the commit they are reported under.
check_build_is_current() {
  local source_dir newer
  source_dir="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")"
  newer="$(find "$source_dir/server" "$source_dir/core" "$source_dir/proto" -type f \
    -newer "$server_bin" -print -quit)"
  [ -z "$newer" ] || fail "$newer is newer than $server_bin: rebuild lrsched-server first"
}

# Prints the Markdown section: the machine, then one table per part and the targets.
write_section() {
  local load_after
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

  echo "<!-- BEGIN run_all.sh -->"
  echo "_Written by \`bench/run_all.sh\`; edits between these markers are overwritten._"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Commit of the measured binaries: $sources"
  local hypervisor
  hypervisor="$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)"
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)" \
    "(family $(lscpu | sed -n 's/^CPU family: *//p' | head -1)," \
    "model $(lscpu | sed -n 's/^Model: *//p' | head -1))${hypervisor:+, a $hypervisor guest}," \
    "$(nproc) cores seen by the process"
  echo "- Memory: $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Load average (1, 5, 15 min) before: $load_before; after: $load_after"
  echo "- Settings: $repeats run(s) per server and load, ${warmup} s warmup +" \
    "${duration} s measured each; the load generator runs on the same cores as the server."
  echo
  LOAD_ROWS="$(printf '%s\n' "${load_rows[@]}")" \
    awk -f "$repo_dir/bench/performance_tables.awk" "$results"
  echo "<!-- END run_all.sh -->"
}

# Replaces the marked section of the output file with the new one, or appends it.
update_output() {
  local section="$1"
  mkdir -p "$(dirname "$output")"
  touch "$output"
  if grep -q '^<!-- BEGIN run_all.sh -->$' "$output" &&
     grep -q '^<!-- END run_all.sh -->$' "$output"; then
    awk -v section_file="$section" '
      /^<!-- BEGIN run_all.sh -->$/ { while ((getline line < section_file) > 0) print line; skip = 1; next }
      /^<!-- END run_all.sh -->$/ { skip = 0; next }
      !skip { print }
    ' "$output" > "$output.new"
    mv "$output.new" "$output"
  else
    { echo; cat "$section"; } >> "$output"
  fi
}

check_build_is_current
# Described before the run, because a commit made while it runs would not be in the binaries.
sources="$(describe_sources)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run_load_scenarios
for runs in $memory_runs; do
  run_api_memory "$runs"
done
run_stored_memory
run_restart

write_section > "$work_dir/section.md"
update_output "$work_dir/section.md"
raw_copy="${TMPDIR:-/tmp}/lrsched-bench-results-$(date +%Y%m%d-%H%M%S).txt"
cp "$results" "$raw_copy"
echo "run_all.sh: wrote the figures to $output and the raw results to $raw_copy" >&2
