// Wires the parts of the server together and owns their lifetimes: state file, writer thread,
// registry, metrics endpoint and gRPC server.
#include "server/server.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "glog/logging.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "prometheus/exposer.h"
#include "server/policy_metrics.h"
#include "server/run_controller.h"
#include "server/run_registry.h"
#include "server/scheduler_service.h"
#include "server/server_metrics.h"
#include "server/state_store.h"
#include "server/store_writer.h"

namespace lrsched {
namespace {

// Replaces the port of a host:port address with the port actually bound.
std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  const std::string host = colon == std::string::npos ? address : address.substr(0, colon);
  return absl::StrCat(host, ":", port);
}

class ServerImpl final : public Server {
 public:
  ~ServerImpl() override { Shutdown(absl::Seconds(1)); }

  absl::Status Init(const ServerOptions& options);

  int grpc_port() const override { return grpc_port_; }
  int metrics_port() const override { return metrics_port_; }
  void Shutdown(absl::Duration grace) override;

 private:
  absl::Status StartMetricsEndpoint(const std::string& address);
  absl::Status StartGrpc(const std::string& address);

  std::unique_ptr<StateStore> store_;
  std::unique_ptr<StoreWriter> writer_;
  // Shared with the metrics endpoint, which keeps a weak pointer to it.
  std::shared_ptr<ServerMetrics> metrics_;
  RunRegistry registry_;
  std::unique_ptr<PolicyMetrics> policy_metrics_;
  std::unique_ptr<RunController> controller_;
  std::unique_ptr<SchedulerService> service_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::unique_ptr<grpc::Server> grpc_server_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  bool shut_down_ = false;
};

absl::Status ServerImpl::Init(const ServerOptions& options) {
  ASSIGN_OR_RETURN(store_, StateStore::Open(options.state_path));
  ASSIGN_OR_RETURN(auto stored_runs, store_->LoadRuns());
  const size_t run_count = stored_runs.size();

  MetricsOptions metrics_options;
  metrics_options.run_idle_timeout = options.metrics_run_idle_timeout;
  metrics_options.max_exported_runs = options.metrics_max_runs;
  metrics_ = std::make_shared<ServerMetrics>(std::move(metrics_options));

  writer_ = std::make_unique<StoreWriter>(store_.get());
  policy_metrics_ = std::make_unique<PolicyMetrics>(*metrics_->registry());
  controller_ = std::make_unique<RunController>(&registry_, writer_.get(), policy_metrics_.get());
  service_ = std::make_unique<SchedulerService>(&registry_, writer_.get(), metrics_.get(),
                                                policy_metrics_.get(), controller_.get());
  RETURN_IF_ERROR(service_->Restore(std::move(stored_runs)));
  metrics_->FinishRestore();

  RETURN_IF_ERROR(StartMetricsEndpoint(options.metrics_address));
  RETURN_IF_ERROR(StartGrpc(options.listen_address));
  LOG(INFO) << "lrsched-server serving gRPC on " << WithPort(options.listen_address, grpc_port_)
            << ", metrics on http://" << WithPort(options.metrics_address, metrics_port_)
            << "/metrics, state file " << options.state_path << " with " << run_count
            << " run(s); runs leave /metrics after "
            << absl::FormatDuration(options.metrics_run_idle_timeout)
            << " without a change, at most " << options.metrics_max_runs << " exported";
  return absl::OkStatus();
}

absl::Status ServerImpl::StartMetricsEndpoint(const std::string& address) {
  // prometheus-cpp reports a failed bind by throwing.
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& error) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", error.what()));
  }
  exposer_->RegisterCollectable(metrics_);
  const auto ports = exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address));
  }
  metrics_port_ = ports.front();
  return absl::OkStatus();
}

absl::Status ServerImpl::StartGrpc(const std::string& address) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &grpc_port_);
  builder.RegisterService(service_.get());
  grpc_server_ = builder.BuildAndStart();
  if (!grpc_server_ || grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen for gRPC on ", address, ": the address is invalid or in use"));
  }
  return absl::OkStatus();
}

void ServerImpl::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;

  // Requests held for a boundary are answered first, so the gRPC server can drain; calls in
  // flight may still be waiting for the writer, so it stops after the gRPC server.
  if (controller_) controller_->Shutdown();
  if (grpc_server_) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    grpc_server_->Wait();
  }
  if (writer_) writer_->Stop();
  // NOTE: civetweb, under prometheus-cpp's Exposer, takes about 2 s to stop because its
  // listening thread polls with a fixed 2 s timeout (civetweb 1.15 in Debian 12).
  exposer_.reset();
  store_.reset();
  LOG(INFO) << "lrsched-server stopped; state file closed";
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto server = std::make_unique<ServerImpl>();
  RETURN_IF_ERROR(server->Init(options));
  return server;
}

}  // namespace lrsched
