// The Prometheus series the server exports on /metrics.
//
// Families are registered once at start. Per-run series carry a `run_id` label and leave the
// exposition when the run is deleted. All methods are thread-safe.
//
//   lrsched_runs                          gauge    runs the server holds
//   lrsched_run_learning_rate{run_id}     gauge    rate handed out at the highest position asked
//   lrsched_run_step{run_id}              gauge    highest step reported
//   lrsched_run_epoch{run_id}             gauge    highest epoch reported
//   lrsched_run_metric{run_id,metric}     gauge    last reported value of each metric
//   lrsched_run_reports_total{run_id}     counter  metric reports stored
//   lrsched_rpc_requests_total{method,code}   counter  finished RPCs by gRPC status code
//   lrsched_rpc_duration_seconds{method}      histogram  RPC latency, receipt to reply
#ifndef LRSCHED_SERVER_SERVER_METRICS_H_
#define LRSCHED_SERVER_SERVER_METRICS_H_

#include <array>
#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace lrsched {

enum class RpcMethod {
  kCreateRun,
  kGetRun,
  kListRuns,
  kDeleteRun,
  kGetLearningRate,
  kReportMetrics,
  kPreviewSchedule,
};
inline constexpr int kRpcMethodCount = 7;

// The series of one run. The run's registry entry owns it and guards `metrics`.
struct RunSeries {
  prometheus::Gauge* learning_rate = nullptr;
  prometheus::Gauge* step = nullptr;
  prometheus::Gauge* epoch = nullptr;
  prometheus::Counter* reports = nullptr;
  std::map<std::string, prometheus::Gauge*> metrics;
};

class ServerMetrics {
 public:
  ServerMetrics();

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  void RecordRpc(RpcMethod method, grpc::StatusCode code, absl::Duration latency);

  RunSeries AddRun(const std::string& run_id);
  prometheus::Gauge* AddRunMetric(const std::string& run_id, const std::string& metric);
  void RemoveRun(const RunSeries& series);
  void SetRunCount(size_t count);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& runs_;
  prometheus::Family<prometheus::Gauge>& run_learning_rate_;
  prometheus::Family<prometheus::Gauge>& run_step_;
  prometheus::Family<prometheus::Gauge>& run_epoch_;
  prometheus::Family<prometheus::Gauge>& run_metric_;
  prometheus::Family<prometheus::Counter>& run_reports_;
  prometheus::Family<prometheus::Counter>& rpc_requests_;
  prometheus::Family<prometheus::Histogram>& rpc_duration_;
  std::array<prometheus::Histogram*, kRpcMethodCount> rpc_duration_by_method_;
  prometheus::Gauge* run_count_;
};

// The gRPC method name, as in the service definition.
const char* RpcMethodName(RpcMethod method);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_SERVER_METRICS_H_
