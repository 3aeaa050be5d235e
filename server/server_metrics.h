// The Prometheus series the server exports on /metrics. docs/metrics.md describes each one.
//
// Server-wide families live in a prometheus::Registry and are registered once at start. The
// series of each run (label `run_id`) are owned here and exported only while the run is
// active, so that the exposition stays bounded. Samples with a `run_id` label that other
// parts of the server add to registry() follow the same rules, as part of their run:
//
//  - A run is active from its creation and from every change to one of the series owned here
//    (a stored report, a rate handed out at a new highest position, a rejected report).
//    A run restored from the state file waits for its first change. After
//    `MetricsOptions::run_idle_timeout` without a change, its series leave the exposition.
//  - At most `MetricsOptions::max_exported_runs` runs are exported at once. An exported run
//    keeps its slot until it goes quiet. Further active runs wait for a free slot, and each
//    one left out is counted in lrsched_run_series_dropped_total{reason="run_limit"}.
//  - A run exports at most `MetricsOptions::max_metrics_per_run` metric names; the later
//    names count in lrsched_run_series_dropped_total{reason="metric_limit"}.
//  - A NaN or infinite value is never exported: the series is left out of the scrape, the
//    server logs a warning and counts it in lrsched_run_series_dropped_total{reason="non_finite"}.
//
// Changes are found by comparing each run's values between sweeps. A sweep runs on every
// scrape and, at most once a second, after an RPC, so activity is dated to within about a
// second while RPCs arrive. The handles that AddRun and AddRunMetric return stay valid until
// RemoveRun, whether or not the run is exported. All methods are thread-safe.
#ifndef LRSCHED_SERVER_SERVER_METRICS_H_
#define LRSCHED_SERVER_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "lrsched/v1/service.pb.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/metric_family.h"
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
  kUpdateSchedule,
  kListDecisions,
  kLeaseSchedule,
  kStreamMetrics,
};
inline constexpr int kRpcMethodCount = 11;

// The series of one run, as handles that the run's registry entry keeps and that its `mu`
// guards. A default-constructed RunSeries has null handles: the run has been removed.
struct RunSeries {
  std::string run_id;
  // Tells this run's series from those of a later run with the same id.
  uint64_t generation = 0;
  prometheus::Gauge* learning_rate = nullptr;
  prometheus::Gauge* step = nullptr;
  prometheus::Gauge* epoch = nullptr;
  // 1 once the run is finished, else 0.
  prometheus::Gauge* finished = nullptr;
  prometheus::Counter* reports = nullptr;
  std::map<std::string, prometheus::Gauge*> metrics;
};

struct MetricsOptions {
  // A run whose series did not change for this long leaves the exposition.
  absl::Duration run_idle_timeout = absl::Hours(6);
  // Maximum number of runs exported at once. 0 exports no per-run series at all.
  size_t max_exported_runs = 1000;
  // Maximum number of metric names exported per run. Each further name is counted as dropped.
  size_t max_metrics_per_run = 64;
  // The time source; tests substitute a fake clock.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class ServerMetrics final : public prometheus::Collectable {
 public:
  explicit ServerMetrics(MetricsOptions options = MetricsOptions());
  ~ServerMetrics() override;

  // Counts a finished RPC and its latency. May sweep the runs for activity (see the top).
  void RecordRpc(RpcMethod method, grpc::StatusCode code, absl::Duration latency);

  // Creates the series of a run and returns their handles. Until FinishRestore is called,
  // the run counts as restored from the state file and stays out of the exposition until
  // one of its series changes. Adding an id that is already present replaces its series.
  RunSeries AddRun(const std::string& run_id);

  // Returns the gauge of one reported metric of a run, creating it on first use. Never null:
  // for a run that has been removed the gauge is a placeholder that is never exported.
  prometheus::Gauge* AddRunMetric(const std::string& run_id, const std::string& metric);

  // Deletes the run's series. The handles in `series` are invalid afterwards. Does nothing
  // when `series` has no handles or belongs to a run that was removed and added again.
  void RemoveRun(const RunSeries& series);

  // Counts a ReportMetrics request that failed validation in
  // lrsched_run_rejected_reports_total{run_id, reason}: reason "non_finite" when a metric
  // value is NaN or infinite, else "invalid". Requests for unknown runs are not counted
  // per run (lrsched_rpc_requests_total counts them).
  void RecordRejectedReport(const v1::ReportMetricsRequest& request);

  // Marks the runs added so far as restored: each stays out of the exposition until one of
  // its series changes. Call once, after the runs of the state file were added.
  void FinishRestore();

  void SetRunCount(size_t count);

  // The registry of server-wide families, for other parts of the server to register theirs.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  // Sweeps the runs, then returns every exported family. Called by the /metrics endpoint.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct RunState;

  // Updates each run's activity, retires quiet runs and fills free export slots.
  void Sweep(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sweeps unless a sweep ran in the last second or another thread is sweeping now.
  void SweepIfDue() const;
  void AppendRunFamilies(std::vector<prometheus::MetricFamily>& families) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Removes the registry samples whose run is not exported or whose value is not finite.
  void FilterRunSamples(std::vector<prometheus::MetricFamily>& families) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Returns whether a sample of an exported run may be exported: false for a NaN or infinite
  // value, which is counted and logged once per series until it is finite again.
  bool IsExportable(RunState& run, const std::string& series_key, double value) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const MetricsOptions options_;

  // Server-wide families.
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& runs_;
  prometheus::Family<prometheus::Gauge>& runs_active_;
  prometheus::Family<prometheus::Gauge>& runs_exported_;
  prometheus::Family<prometheus::Counter>& series_dropped_;
  prometheus::Family<prometheus::Counter>& rpc_requests_;
  prometheus::Family<prometheus::Histogram>& rpc_duration_;
  std::array<prometheus::Histogram*, kRpcMethodCount> rpc_duration_by_method_;
  // The request counter of each method and gRPC status code, looked up on first use so that
  // later calls skip the family's label lookup and its mutex.
  static constexpr int kStatusCodeCount = 17;
  mutable std::array<std::array<std::atomic<prometheus::Counter*>, kStatusCodeCount>,
                     kRpcMethodCount>
      rpc_request_counters_{};
  prometheus::Gauge* run_count_;
  prometheus::Gauge* active_run_count_;
  prometheus::Gauge* exported_run_count_;
  prometheus::Counter* dropped_run_limit_;
  prometheus::Counter* dropped_metric_limit_;
  prometheus::Counter* dropped_non_finite_;

  // Returned by AddRunMetric for a run that is gone; concurrent writes to it are harmless.
  prometheus::Gauge detached_gauge_;

  // Unix time in nanoseconds before which SweepIfDue does nothing.
  mutable std::atomic<int64_t> next_sweep_unix_nanos_{0};

  mutable absl::Mutex mu_;
  bool restoring_ ABSL_GUARDED_BY(mu_) = true;
  uint64_t last_generation_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, std::unique_ptr<RunState>> runs_by_id_ ABSL_GUARDED_BY(mu_);
  mutable size_t exported_runs_ ABSL_GUARDED_BY(mu_) = 0;
};

// The gRPC method name, as in the service definition.
const char* RpcMethodName(RpcMethod method);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_SERVER_METRICS_H_
