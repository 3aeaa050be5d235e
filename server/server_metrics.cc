#include "server/server_metrics.h"

#include "absl/strings/ascii.h"
#include "grpcpp/impl/codegen/status_code_enum.h"

namespace lrsched {
namespace {

// Latency buckets from 50 µs (a call answered from memory on loopback) to 10 s.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,   0.05,   0.1,     0.25,   0.5,   1,      2.5,    5,     10};
}

// The canonical upper-case name of a gRPC status code, as grpc-go and grpcurl print it.
const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

}  // namespace

const char* RpcMethodName(RpcMethod method) {
  switch (method) {
    case RpcMethod::kCreateRun: return "CreateRun";
    case RpcMethod::kGetRun: return "GetRun";
    case RpcMethod::kListRuns: return "ListRuns";
    case RpcMethod::kDeleteRun: return "DeleteRun";
    case RpcMethod::kGetLearningRate: return "GetLearningRate";
    case RpcMethod::kReportMetrics: return "ReportMetrics";
    case RpcMethod::kPreviewSchedule: return "PreviewSchedule";
  }
  return "unknown";
}

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      runs_(prometheus::BuildGauge()
                .Name("lrsched_runs")
                .Help("Runs the server holds.")
                .Register(*registry_)),
      run_learning_rate_(prometheus::BuildGauge()
                             .Name("lrsched_run_learning_rate")
                             .Help("Learning rate handed out at the highest position asked.")
                             .Register(*registry_)),
      run_step_(prometheus::BuildGauge()
                    .Name("lrsched_run_step")
                    .Help("Highest step a worker of the run reported.")
                    .Register(*registry_)),
      run_epoch_(prometheus::BuildGauge()
                     .Name("lrsched_run_epoch")
                     .Help("Highest epoch a worker of the run reported.")
                     .Register(*registry_)),
      run_metric_(prometheus::BuildGauge()
                      .Name("lrsched_run_metric")
                      .Help("Last reported value of each metric of a run.")
                      .Register(*registry_)),
      run_reports_(prometheus::BuildCounter()
                       .Name("lrsched_run_reports_total")
                       .Help("Metric reports stored for a run.")
                       .Register(*registry_)),
      rpc_requests_(prometheus::BuildCounter()
                        .Name("lrsched_rpc_requests_total")
                        .Help("Finished RPCs by method and gRPC status code.")
                        .Register(*registry_)),
      rpc_duration_(prometheus::BuildHistogram()
                        .Name("lrsched_rpc_duration_seconds")
                        .Help("RPC latency from receipt to reply, by method.")
                        .Register(*registry_)),
      run_count_(&runs_.Add({})) {
  for (int i = 0; i < kRpcMethodCount; ++i) {
    const auto method = static_cast<RpcMethod>(i);
    rpc_duration_by_method_[i] =
        &rpc_duration_.Add({{"method", RpcMethodName(method)}}, LatencyBuckets());
  }
}

void ServerMetrics::RecordRpc(RpcMethod method, grpc::StatusCode code,
                              absl::Duration latency) {
  rpc_requests_.Add({{"method", RpcMethodName(method)}, {"code", StatusCodeName(code)}})
      .Increment();
  rpc_duration_by_method_[static_cast<int>(method)]->Observe(absl::ToDoubleSeconds(latency));
}

RunSeries ServerMetrics::AddRun(const std::string& run_id) {
  RunSeries series;
  series.learning_rate = &run_learning_rate_.Add({{"run_id", run_id}});
  series.step = &run_step_.Add({{"run_id", run_id}});
  series.epoch = &run_epoch_.Add({{"run_id", run_id}});
  series.reports = &run_reports_.Add({{"run_id", run_id}});
  return series;
}

prometheus::Gauge* ServerMetrics::AddRunMetric(const std::string& run_id,
                                               const std::string& metric) {
  return &run_metric_.Add({{"run_id", run_id}, {"metric", metric}});
}

void ServerMetrics::RemoveRun(const RunSeries& series) {
  run_learning_rate_.Remove(series.learning_rate);
  run_step_.Remove(series.step);
  run_epoch_.Remove(series.epoch);
  run_reports_.Remove(series.reports);
  for (const auto& [name, gauge] : series.metrics) run_metric_.Remove(gauge);
}

void ServerMetrics::SetRunCount(size_t count) { run_count_->Set(static_cast<double>(count)); }

}  // namespace lrsched
