#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and running lrsched needs.
# Idempotent: packages already present are left as they are. Needs root (or sudo).
set -euo pipefail

packages=(
  # Build tools.
  build-essential cmake pkg-config
  # gRPC, Protocol Buffers and Abseil.
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev grpc-proto
  # Metrics, logging, maths, storage, compression.
  prometheus-cpp-dev libgoogle-glog-dev libeigen3-dev libsqlite3-dev zlib1g-dev
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev curl
  # Deployment tests: promtool and the Prometheus server, JSON and YAML queries.
  prometheus jq yq
  # The Fashion-MNIST data set the bundled trainer learns.
  dataset-fashion-mnist
)

# kubectl renders the Kubernetes manifests in the tests. Debian's kubernetes-client conflicts
# with other kubectl packages, so it is installed only where no kubectl exists.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo_command=()
if [ "$(id -u)" -ne 0 ]; then sudo_command=(sudo); fi

echo "install-deps: installing ${missing[*]}"
"${sudo_command[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_command[@]}" apt-get install -y -q --no-install-recommends \
  "${missing[@]}"
