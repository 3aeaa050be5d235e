// The lrsched server as a library: the gRPC service, its state file and its /metrics endpoint,
// started and stopped as one object. lrsched-server's main and the service tests both use it.
#ifndef LRSCHED_SERVER_SERVER_H_
#define LRSCHED_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lrsched {

struct ServerOptions {
  // host:port for gRPC; port 0 picks a free port (see Server::grpc_port).
  std::string listen_address = "0.0.0.0:50051";
  // host:port for the Prometheus /metrics endpoint; port 0 picks a free port.
  std::string metrics_address = "0.0.0.0:9464";
  // The SQLite state file, created when missing.
  std::string state_path = "lrsched-state.db";
  // A run whose series did not change for this long leaves /metrics (see server_metrics.h).
  absl::Duration metrics_run_idle_timeout = absl::Hours(6);
  // Maximum number of runs whose series are on /metrics at once. 0 exports no per-run series.
  size_t metrics_max_runs = 1000;
};

class Server {
 public:
  // Opens the state file, loads every stored run, and starts serving. Returns an error naming
  // the file or address when one cannot be opened or bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);

  // Calls Shutdown with a short grace period if it was not called before.
  virtual ~Server() = default;

  // The bound ports, useful when the options asked for port 0.
  virtual int grpc_port() const = 0;
  virtual int metrics_port() const = 0;

  // Stops accepting calls, lets calls in flight finish within `grace`, cancels the rest, then
  // closes the state file. Safe to call more than once.
  virtual void Shutdown(absl::Duration grace) = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_SERVER_H_
