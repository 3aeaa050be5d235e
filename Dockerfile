# lrsched-server and the lrsched command in a small Debian 12 image.
#
#   docker build -t lrsched:0.1.0 .
#   docker run -p 50051:50051 -p 9464:9464 -v lrsched-state:/var/lib/lrsched lrsched:0.1.0
#
# The build stage installs the dependencies and builds with the scripts CI runs
# (scripts/install-deps.sh, scripts/build.sh); tests/deploy/dockerfile_test.sh checks that.
# The runtime stage has only the shared libraries the two programs link.

FROM debian:12 AS build
WORKDIR /src
# The dependency script alone first, so that the package layer survives source changes.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
# -march=native would tie the image to the CPU of the build machine; the cache entry set
# here is kept when scripts/build.sh configures the same build folder again.
RUN cmake -S . -B build -DLRSCHED_NATIVE_ARCH=OFF \
    && LRSCHED_BUILD_DIR=/src/build scripts/build.sh --target lrsched-server lrsched \
    && strip build/server/lrsched-server build/client/lrsched

FROM debian:12-slim AS runtime
# The Debian 12 packages of the libraries lrsched-server and lrsched link; apt brings
# their own dependencies (civetweb, c-ares, re2, OpenSSL, libunwind).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libabsl20220623 libgflags2.2 libgoogle-glog0v6 libgrpc++1.51 libgrpc29 \
       libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libprotobuf32 libsqlite3-0 zlib1g \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 lrsched \
    && useradd --system --uid 10001 --gid lrsched --home-dir /var/lib/lrsched \
       --shell /usr/sbin/nologin lrsched \
    && mkdir -p /var/lib/lrsched \
    && chown lrsched:lrsched /var/lib/lrsched
COPY --from=build /src/build/server/lrsched-server /usr/local/bin/lrsched-server
COPY --from=build /src/build/client/lrsched /usr/local/bin/lrsched

USER 10001:10001
WORKDIR /var/lib/lrsched
# The SQLite state file and its write-ahead log.
VOLUME ["/var/lib/lrsched"]
# gRPC API, Prometheus /metrics.
EXPOSE 50051 9464
# The standard gRPC health service; `lrsched health` exits 0 and prints SERVING when it serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["lrsched", "health", "--server", "127.0.0.1:50051", "--timeout", "2"]
ENTRYPOINT ["lrsched-server"]
CMD ["--listen=0.0.0.0:50051", "--metrics_listen=0.0.0.0:9464", "--state=/var/lib/lrsched/state.db"]
