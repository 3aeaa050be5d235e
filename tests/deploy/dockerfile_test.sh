#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine:
#  - every path it copies from the build context exists and .dockerignore keeps it;
#  - its build stage runs scripts/install-deps.sh and scripts/build.sh, the scripts that CI
#    runs (.ci/run -> scripts/test.sh), and the binaries it copies are where build.sh puts them;
#  - the runtime packages exist in Debian and provide every shared library the binaries link;
#  - the image runs as a non-root user, exposes both ports and keeps the state file on its
#    volume;
#  - lrsched-server starts with the image's ENTRYPOINT and CMD (addresses moved to free
#    loopback ports), and the HEALTHCHECK command passes against it and fails once it stops.
#
# Usage: dockerfile_test.sh REPOSITORY_ROOT BUILD_DIR SERVER_BINARY CLI_BINARY
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root="$1"
build_dir="$2"
server_binary="$3"
cli_binary="$4"
dockerfile="$root/Dockerfile"

require_commands jq dpkg apt-cache ldd

# Prints the Dockerfile's instructions one per line, with continuation lines joined and
# comments dropped.
instructions() {
  sed -e '/^[[:space:]]*#/d' "$1" | sed -e ':join' -e '/\\$/{N;s/\\\n[[:space:]]*/ /;b join}' |
    sed -e '/^[[:space:]]*$/d'
}

# Prints "STAGE INSTRUCTION" lines, STAGE being the name of the FROM ... AS STAGE above.
staged_instructions() {
  instructions "$1" | awk '$1 == "FROM" { stage = $NF } { print stage, $0 }'
}

# Checks that each COPY source from the build context exists and is not excluded by
# .dockerignore. Returns 1 and names the path otherwise.
check_copy_sources() {
  local file="$1" failures=0 line source pattern
  while IFS= read -r line; do
    # COPY SOURCE... DESTINATION; the last word is the destination.
    read -r -a words <<<"$line"
    for source in "${words[@]:1:${#words[@]}-2}"; do
      if [ ! -e "$root/$source" ]; then
        echo "COPY source $source does not exist in $root"
        failures=$((failures + 1))
        continue
      fi
      local ignored=""
      while IFS= read -r pattern; do
        [ -n "$pattern" ] || continue
        # shellcheck disable=SC2053  # the pattern is a glob on purpose
        if [[ "$source" == $pattern || "$source" == $pattern/* ]]; then ignored="$pattern"; fi
      done < <(sed -e '/^#/d' "$root/.dockerignore")
      if [ -n "$ignored" ]; then
        echo "COPY source $source is excluded by .dockerignore pattern $ignored"
        failures=$((failures + 1))
      else
        echo "COPY source exists: $source"
      fi
    done
  done < <(instructions "$file" | awk '$1 == "COPY" && $2 !~ /^--from=/')
  [ "$failures" -eq 0 ]
}

echo "== paths copied from the build context"
check_copy_sources "$dockerfile" || fail "the Dockerfile copies a missing or ignored path"
# COPY . . sends the whole context: the paths the build needs must not be ignored.
for needed in CMakeLists.txt proto core server client trainer scripts/build.sh \
  scripts/install-deps.sh; do
  [ -e "$root/$needed" ] || fail "$needed is missing from the repository"
  while IFS= read -r pattern; do
    [ -n "$pattern" ] || continue
    [[ "$needed" == $pattern ]] && fail "$needed is excluded by .dockerignore pattern $pattern"
  done < <(sed -e '/^#/d' "$root/.dockerignore")
done
echo "the sources the build needs are in the context"

echo "== guard: a missing COPY source is reported"
sed 's|COPY scripts/install-deps.sh scripts/install-deps.sh|COPY scripts/no-such-script.sh /x|' \
  "$dockerfile" >"$work_dir/Dockerfile.broken"
cmp -s "$dockerfile" "$work_dir/Dockerfile.broken" && fail "the guard edit matched nothing"
if check_copy_sources "$work_dir/Dockerfile.broken" >"$work_dir/guard.out"; then
  fail "check_copy_sources accepted a COPY of scripts/no-such-script.sh"
fi
grep -q "no-such-script.sh does not exist" "$work_dir/guard.out" || fail "the guard does not name the path"
echo "missing path reported"

echo "== the build stage runs the scripts CI runs"
grep -qx 'exec scripts/test.sh' "$root/.ci/run" || fail ".ci/run does not exec scripts/test.sh"
grep -q '^"$root/scripts/install-deps.sh"$' "$root/scripts/test.sh" ||
  fail "scripts/test.sh does not run scripts/install-deps.sh"
grep -q '^"$root/scripts/build.sh"' "$root/scripts/test.sh" ||
  fail "scripts/test.sh does not run scripts/build.sh"
build_runs="$(staged_instructions "$dockerfile" | awk '$1 == "build" && $2 == "RUN"')"
grep -q 'RUN scripts/install-deps.sh' <<<"$build_runs" ||
  fail "the build stage does not run scripts/install-deps.sh"
grep -q 'scripts/build.sh --target lrsched-server lrsched' <<<"$build_runs" ||
  fail "the build stage does not build with scripts/build.sh"
if grep -Eq 'cmake --build|(^|[[:space:];&])(make|ninja)([[:space:]]|$)' <<<"$build_runs"; then
  fail "the build stage compiles outside scripts/build.sh: $build_runs"
fi
echo "build stage: install-deps.sh, then build.sh, as .ci/run -> scripts/test.sh"

# build.sh builds in LRSCHED_BUILD_DIR, here /src/build; the copied paths under it must be
# where CMake puts the two programs.
while read -r source; do
  relative="${source#/src/build/}"
  [ "$relative" != "$source" ] || fail "COPY --from=build source $source is not under /src/build"
  [ "$build_dir/$relative" -ef "$server_binary" ] || [ "$build_dir/$relative" -ef "$cli_binary" ] ||
    fail "COPY --from=build $source: CMake builds no lrsched-server or lrsched at $relative"
  echo "COPY --from=build $source is a program CMake builds"
done < <(instructions "$dockerfile" | awk '$1 == "COPY" && $2 == "--from=build" {print $3}')

echo "== runtime packages provide every linked library"
# Prints "LIBRARY PACKAGE" for each shared library the two programs link. Debian 12
# registers some libraries under /lib and others under /usr/lib, so a path dpkg does not
# know is looked up again in its resolved form.
library_owners() {
  local libraries known library owner
  mapfile -t libraries < <(ldd "$server_binary" "$cli_binary" | awk '$3 ~ /^\// {print $3}' | sort -u)
  known="$(dpkg -S "${libraries[@]}" 2>/dev/null | awk -F': ' '{sub(/:.*/, "", $1); print $2, $1}' || true)"
  echo "$known"
  for library in "${libraries[@]}"; do
    grep -q "^$library " <<<"$known" && continue
    owner="$(dpkg -S "$(readlink -f "$library")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)"
    echo "$library ${owner:-NONE}"
  done
}

# Checks that the packages in $1 (space-separated) and their dependencies own every linked
# library. Returns 1 and names each library they do not bring.
check_runtime_packages() {
  local packages="$1" closure failures=0 library owner
  # shellcheck disable=SC2086  # one argument per package
  closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances $packages | grep -v '^ ' | sed 's/:.*//' | sort -u)"
  while read -r library owner; do
    if [ "$owner" = NONE ]; then
      echo "no Debian package owns $library"
      failures=$((failures + 1))
    elif ! grep -qx "$owner" <<<"$closure"; then
      echo "$library comes from $owner, which the runtime packages do not bring"
      failures=$((failures + 1))
    fi
  done <<<"$owners"
  [ "$failures" -eq 0 ]
}

runtime_packages="$(staged_instructions "$dockerfile" | awk '$1 == "runtime" && $2 == "RUN"' |
  grep -o 'apt-get install [^&]*' | tr ' ' '\n' | grep -E '^lib|^zlib' | xargs || true)"
[ -n "$runtime_packages" ] || fail "found no runtime packages in the runtime stage"
# shellcheck disable=SC2086  # one argument per package
candidates="$(apt-cache policy $runtime_packages 2>/dev/null |
  awk '/^[^ ]/ {name = $1; sub(/:$/, "", name)} /Candidate:/ && $2 != "(none)" {print name}')"
for package in $runtime_packages; do
  grep -qx "$package" <<<"$candidates" ||
    fail "runtime package $package is not in the Debian archive (run apt-get update?)"
done
owners="$(library_owners)"
[ "$(wc -l <<<"$owners")" -ge 10 ] || fail "expected at least 10 linked libraries, found: $owners"
check_runtime_packages "$runtime_packages" || fail "the runtime image would miss a library"
echo "the $(wc -l <<<"$owners") libraries that lrsched-server and lrsched link come with: $runtime_packages"

# Guard: without libsqlite3-0 the server's SQLite library is missing.
if check_runtime_packages "${runtime_packages/libsqlite3-0/}" >"$work_dir/packages.out"; then
  fail "the package check passed without libsqlite3-0"
fi
grep -q "libsqlite3.so.0 comes from libsqlite3-0" "$work_dir/packages.out" ||
  fail "the package check does not name libsqlite3: $(cat "$work_dir/packages.out")"
echo "a missing runtime package is reported"

echo "== user, ports, volume"
user="$(instructions "$dockerfile" | awk '$1 == "USER" {print $2}' | tail -n 1)"
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] ||
  fail "the image runs as \"$user\", expected a non-root user"
exposed="$(instructions "$dockerfile" | awk '$1 == "EXPOSE" {$1 = ""; print}' | xargs)"
[ "$exposed" = "50051 9464" ] || fail "EXPOSE is \"$exposed\", expected 50051 9464"
volume="$(instructions "$dockerfile" | awk '$1 == "VOLUME" {$1 = ""; print}' | jq -r '.[0]')"
entrypoint="$(instructions "$dockerfile" | awk '$1 == "ENTRYPOINT" {$1 = ""; print}')"
command_json="$(instructions "$dockerfile" | awk '$1 == "CMD" {$1 = ""; print}')"
state_flag="$(jq -r '.[] | select(startswith("--state="))' <<<"$command_json")"
[ "$(dirname "${state_flag#--state=}")" = "$volume" ] ||
  fail "the state file ${state_flag#--state=} is not on the volume $volume"
[ "$(jq -r '.[0]' <<<"$entrypoint")" = "lrsched-server" ] || fail "ENTRYPOINT is not lrsched-server"
echo "user $user, ports $exposed, state file ${state_flag#--state=} on volume $volume"

echo "== the image's command starts the server, and its health check passes"
grpc_port="$(free_port)"
http_port="$(free_port)"
mkdir -p "$work_dir/volume"
mapfile -t server_args < <(jq -r '.[]' <<<"$command_json" |
  sed -e "s|0.0.0.0:50051|127.0.0.1:$grpc_port|" -e "s|0.0.0.0:9464|127.0.0.1:$http_port|" \
      -e "s|$volume|$work_dir/volume|")
echo "lrsched-server ${server_args[*]}"
start_server server "$server_binary" "${server_args[@]}"
[ "$grpc_address" = "127.0.0.1:$grpc_port" ] || fail "the server listens on $grpc_address"
[ "$metrics_port" = "$http_port" ] || fail "metrics are on port $metrics_port, expected $http_port"
[ -f "$work_dir/volume/state.db" ] || fail "the server did not create its state file on the volume"

health_json="$(instructions "$dockerfile" | awk '$1 == "HEALTHCHECK"' | sed 's/.* CMD //')"
[ "$(jq -r '.[0:4] | join(" ")' <<<"$health_json")" = "lrsched health --server 127.0.0.1:50051" ] ||
  fail "the health check is not lrsched health --server 127.0.0.1:50051: $health_json"
mapfile -t health_args < <(jq -r '.[1:][]' <<<"$health_json" | sed "s|127.0.0.1:50051|$grpc_address|")
"$cli_binary" "${health_args[@]}" >"$work_dir/health.out" 2>&1 ||
  fail "the health check failed against a serving server: $(cat "$work_dir/health.out")"
grep -qx "SERVING" "$work_dir/health.out" || fail "the health check did not print SERVING"
echo "health check: $(cat "$work_dir/health.out")"

kill -TERM "$server_pid"
wait "$server_pid" || fail "lrsched-server exited with an error after SIGTERM"
if "$cli_binary" "${health_args[@]}" >"$work_dir/health-stopped.out" 2>&1; then
  fail "the health check passed with the server stopped"
fi
echo "health check fails once the server stopped"

echo "dockerfile: every check passed"
