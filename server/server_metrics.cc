#include "server/server_metrics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <set>
#include <utility>

#include "glog/logging.h"
#include "grpcpp/impl/codegen/status_code_enum.h"

namespace lrsched {
namespace {

// Latency buckets from 50 µs (a call answered from memory on loopback) to 10 s.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,   0.05,   0.1,     0.25,   0.5,   1,      2.5,    5,     10};
}

// Shortest time between two sweeps started by RPCs. Scrapes always sweep.
constexpr absl::Duration kRpcSweepInterval = absl::Seconds(1);

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

prometheus::MetricFamily MakeFamily(const char* name, const char* help,
                                    prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

// A sample with its labels, which must be given sorted by name as prometheus-cpp sorts them.
prometheus::ClientMetric MakeSample(std::vector<prometheus::ClientMetric::Label> labels,
                                    prometheus::MetricType type, double value) {
  prometheus::ClientMetric sample;
  sample.label = std::move(labels);
  if (type == prometheus::MetricType::Counter) {
    sample.counter.value = value;
  } else {
    sample.gauge.value = value;
  }
  return sample;
}

}  // namespace

// The series of one run. Gauges and counters are atomic, and every other field is guarded by
// ServerMetrics::mu_.
struct ServerMetrics::RunState {
  RunState(std::string id, uint64_t generation_in)
      : run_id(std::move(id)), generation(generation_in) {}

  // Reads every value of the run into `values` in a fixed order.
  void ReadValues(std::vector<uint64_t>& values) const;

  // Returns true when a value changed since the last call, and remembers the new values.
  bool TakeChange() {
    ReadValues(scratch_values);
    if (scratch_values == last_values) return false;
    std::swap(scratch_values, last_values);
    return true;
  }

  const std::string run_id;
  const uint64_t generation;
  prometheus::Gauge learning_rate;
  prometheus::Gauge step;
  prometheus::Gauge epoch;
  prometheus::Gauge finished;
  prometheus::Counter reports;
  prometheus::Counter rejected_non_finite;
  prometheus::Counter rejected_invalid;

  struct MetricSeries {
    std::unique_ptr<prometheus::Gauge> gauge;
    // False for names past MetricsOptions::max_metrics_per_run.
    bool exported = false;
  };
  std::map<std::string, MetricSeries> metrics;
  size_t exported_metric_count = 0;

  // Time of the last change, or InfinitePast for a restored run that has not changed since.
  absl::Time last_activity = absl::InfinitePast();
  bool exported = false;
  // Set once the run was counted as left out for the run limit, until it goes quiet.
  bool counted_as_dropped = false;
  // Series (family name and label values) whose non-finite value was counted.
  std::set<std::string> non_finite_series;

  std::vector<uint64_t> last_values;
  std::vector<uint64_t> scratch_values;
};

void ServerMetrics::RunState::ReadValues(std::vector<uint64_t>& values) const {
  // Bit patterns, so that a NaN compares equal to itself and is not seen as a change.
  values.clear();
  const auto add = [&](double value) { values.push_back(std::bit_cast<uint64_t>(value)); };
  add(learning_rate.Value());
  add(step.Value());
  add(epoch.Value());
  add(finished.Value());
  add(reports.Value());
  add(rejected_non_finite.Value());
  add(rejected_invalid.Value());
  add(static_cast<double>(metrics.size()));
  for (const auto& [name, series] : metrics) add(series.gauge->Value());
}

const char* RpcMethodName(RpcMethod method) {
  switch (method) {
    case RpcMethod::kCreateRun: return "CreateRun";
    case RpcMethod::kGetRun: return "GetRun";
    case RpcMethod::kListRuns: return "ListRuns";
    case RpcMethod::kDeleteRun: return "DeleteRun";
    case RpcMethod::kGetLearningRate: return "GetLearningRate";
    case RpcMethod::kReportMetrics: return "ReportMetrics";
    case RpcMethod::kPreviewSchedule: return "PreviewSchedule";
    case RpcMethod::kUpdateSchedule: return "UpdateSchedule";
    case RpcMethod::kListDecisions: return "ListDecisions";
    case RpcMethod::kLeaseSchedule: return "LeaseSchedule";
    case RpcMethod::kStreamMetrics: return "StreamMetrics";
  }
  return "unknown";
}

ServerMetrics::ServerMetrics(MetricsOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()),
      runs_(prometheus::BuildGauge()
                .Name("lrsched_runs")
                .Help("Runs the server holds, exported or not.")
                .Register(*registry_)),
      runs_active_(prometheus::BuildGauge()
                       .Name("lrsched_runs_active")
                       .Help("Runs whose series changed within --metrics_run_idle_seconds.")
                       .Register(*registry_)),
      runs_exported_(prometheus::BuildGauge()
                         .Name("lrsched_runs_exported")
                         .Help("Runs whose series are on /metrics, at most --metrics_max_runs.")
                         .Register(*registry_)),
      series_dropped_(prometheus::BuildCounter()
                          .Name("lrsched_run_series_dropped_total")
                          .Help("Per-run series left out of /metrics, by reason: run_limit, "
                                "metric_limit or non_finite.")
                          .Register(*registry_)),
      rpc_requests_(prometheus::BuildCounter()
                        .Name("lrsched_rpc_requests_total")
                        .Help("Finished RPCs by method and gRPC status code.")
                        .Register(*registry_)),
      rpc_duration_(prometheus::BuildHistogram()
                        .Name("lrsched_rpc_duration_seconds")
                        .Help("RPC latency from receipt to reply, by method.")
                        .Register(*registry_)),
      run_count_(&runs_.Add({})),
      active_run_count_(&runs_active_.Add({})),
      exported_run_count_(&runs_exported_.Add({})),
      dropped_run_limit_(&series_dropped_.Add({{"reason", "run_limit"}})),
      dropped_metric_limit_(&series_dropped_.Add({{"reason", "metric_limit"}})),
      dropped_non_finite_(&series_dropped_.Add({{"reason", "non_finite"}})) {
  for (int i = 0; i < kRpcMethodCount; ++i) {
    const auto method = static_cast<RpcMethod>(i);
    rpc_duration_by_method_[i] =
        &rpc_duration_.Add({{"method", RpcMethodName(method)}}, LatencyBuckets());
  }
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::RecordRpc(RpcMethod method, grpc::StatusCode code,
                              absl::Duration latency) {
  const int code_index = static_cast<int>(code) >= 0 && static_cast<int>(code) < kStatusCodeCount
                             ? static_cast<int>(code)
                             : static_cast<int>(grpc::StatusCode::UNKNOWN);
  std::atomic<prometheus::Counter*>& slot =
      rpc_request_counters_[static_cast<int>(method)][code_index];
  prometheus::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Two threads may both get here; Family::Add returns the same counter to both.
    counter = &rpc_requests_.Add(
        {{"method", RpcMethodName(method)},
         {"code", StatusCodeName(static_cast<grpc::StatusCode>(code_index))}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
  rpc_duration_by_method_[static_cast<int>(method)]->Observe(absl::ToDoubleSeconds(latency));
  SweepIfDue();
}

RunSeries ServerMetrics::AddRun(const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  auto run = std::make_unique<RunState>(run_id, ++last_generation_);
  RunSeries series;
  series.run_id = run_id;
  series.generation = run->generation;
  series.learning_rate = &run->learning_rate;
  series.step = &run->step;
  series.epoch = &run->epoch;
  series.finished = &run->finished;
  series.reports = &run->reports;

  if (!restoring_) run->last_activity = options_.clock();
  run->TakeChange();
  auto& slot = runs_by_id_[run_id];
  if (slot != nullptr && slot->exported) --exported_runs_;
  slot = std::move(run);
  return series;
}

prometheus::Gauge* ServerMetrics::AddRunMetric(const std::string& run_id,
                                               const std::string& metric) {
  absl::MutexLock lock(&mu_);
  const auto run = runs_by_id_.find(run_id);
  if (run == runs_by_id_.end()) return &detached_gauge_;

  RunState::MetricSeries& series = run->second->metrics[metric];
  if (series.gauge != nullptr) return series.gauge.get();
  series.gauge = std::make_unique<prometheus::Gauge>();
  if (run->second->exported_metric_count < options_.max_metrics_per_run) {
    series.exported = true;
    ++run->second->exported_metric_count;
  } else {
    dropped_metric_limit_->Increment();
    LOG_EVERY_N(WARNING, 100) << "metric \"" << metric << "\" of run " << run_id
                              << " is not exported: the run already exports "
                              << options_.max_metrics_per_run << " metric names ("
                              << google::COUNTER << " names left out so far)";
  }
  return series.gauge.get();
}

void ServerMetrics::RemoveRun(const RunSeries& series) {
  if (series.learning_rate == nullptr) return;
  absl::MutexLock lock(&mu_);
  const auto run = runs_by_id_.find(series.run_id);
  if (run == runs_by_id_.end() || run->second->generation != series.generation) return;
  if (run->second->exported) --exported_runs_;
  runs_by_id_.erase(run);
}

void ServerMetrics::RecordRejectedReport(const v1::ReportMetricsRequest& request) {
  const bool non_finite =
      std::any_of(request.metrics().begin(), request.metrics().end(),
                  [](const auto& entry) { return !std::isfinite(entry.second); });
  absl::MutexLock lock(&mu_);
  const auto run = runs_by_id_.find(request.run_id());
  if (run == runs_by_id_.end()) return;
  if (non_finite) {
    run->second->rejected_non_finite.Increment();
  } else {
    run->second->rejected_invalid.Increment();
  }
}

void ServerMetrics::FinishRestore() {
  absl::MutexLock lock(&mu_);
  for (auto& [run_id, run] : runs_by_id_) run->TakeChange();
  restoring_ = false;
}

void ServerMetrics::SetRunCount(size_t count) { run_count_->Set(static_cast<double>(count)); }

void ServerMetrics::SweepIfDue() const {
  const absl::Time now = options_.clock();
  if (absl::ToUnixNanos(now) < next_sweep_unix_nanos_.load(std::memory_order_relaxed)) return;
  // RecordRpc does not wait for a sweep or a scrape in progress.
  if (!mu_.TryLock()) return;
  Sweep(now);
  mu_.Unlock();
}

void ServerMetrics::Sweep(absl::Time now) const {
  next_sweep_unix_nanos_.store(absl::ToUnixNanos(now + kRpcSweepInterval),
                               std::memory_order_relaxed);

  size_t active_runs = 0;
  std::vector<RunState*> waiting;
  for (const auto& [run_id, run] : runs_by_id_) {
    if (run->TakeChange()) run->last_activity = now;
    const bool active = run->last_activity != absl::InfinitePast() &&
                        now - run->last_activity <= options_.run_idle_timeout;
    if (!active) {
      if (run->exported) {
        run->exported = false;
        --exported_runs_;
        LOG(INFO) << "run " << run_id << " left /metrics after "
                  << absl::FormatDuration(now - run->last_activity) << " without a change";
      }
      run->counted_as_dropped = false;
      continue;
    }
    ++active_runs;
    if (!run->exported) waiting.push_back(run.get());
  }

  // The most recently active runs get free slots first.
  std::sort(waiting.begin(), waiting.end(), [](const RunState* a, const RunState* b) {
    if (a->last_activity != b->last_activity) return a->last_activity > b->last_activity;
    return a->run_id < b->run_id;
  });
  for (RunState* run : waiting) {
    if (exported_runs_ < options_.max_exported_runs) {
      run->exported = true;
      run->counted_as_dropped = false;
      ++exported_runs_;
    } else if (!run->counted_as_dropped) {
      run->counted_as_dropped = true;
      dropped_run_limit_->Increment();
      LOG_EVERY_N(WARNING, 100) << "run " << run->run_id << " is active but not on /metrics: "
                                << options_.max_exported_runs
                                << " runs (--metrics_max_runs) are exported already ("
                                << google::COUNTER << " runs left out so far)";
    }
  }

  active_run_count_->Set(static_cast<double>(active_runs));
  exported_run_count_->Set(static_cast<double>(exported_runs_));
}

std::vector<prometheus::MetricFamily> ServerMetrics::Collect() const {
  absl::MutexLock lock(&mu_);
  Sweep(options_.clock());
  // The run families first, so that the non_finite count they add shows in this scrape.
  std::vector<prometheus::MetricFamily> families;
  AppendRunFamilies(families);
  std::vector<prometheus::MetricFamily> server_families = registry_->Collect();
  FilterRunSamples(server_families);
  families.insert(families.end(), std::make_move_iterator(server_families.begin()),
                  std::make_move_iterator(server_families.end()));
  return families;
}

bool ServerMetrics::IsExportable(RunState& run, const std::string& series_key,
                                 double value) const {
  if (std::isfinite(value)) {
    run.non_finite_series.erase(series_key);
    return true;
  }
  if (run.non_finite_series.insert(series_key).second) {
    dropped_non_finite_->Increment();
    LOG(WARNING) << "series " << series_key << " of run " << run.run_id << " is " << value
                 << " and is left out of /metrics until it is finite";
  }
  return false;
}

void ServerMetrics::AppendRunFamilies(std::vector<prometheus::MetricFamily>& families) const {
  using prometheus::MetricType;
  auto learning_rate = MakeFamily("lrsched_run_learning_rate",
                                  "Learning rate handed out at the highest position asked.",
                                  MetricType::Gauge);
  auto step = MakeFamily("lrsched_run_step", "Highest step a worker of the run reported.",
                         MetricType::Gauge);
  auto epoch = MakeFamily("lrsched_run_epoch", "Highest epoch a worker of the run reported.",
                          MetricType::Gauge);
  auto finished =
      MakeFamily("lrsched_run_finished", "1 once the run is finished, else 0.", MetricType::Gauge);
  auto metric = MakeFamily("lrsched_run_metric", "Last reported value of each metric of a run.",
                           MetricType::Gauge);
  auto reports = MakeFamily("lrsched_run_reports_total", "Metric reports stored for a run.",
                            MetricType::Counter);
  auto rejected = MakeFamily("lrsched_run_rejected_reports_total",
                             "Metric reports of a run rejected as invalid, by reason: "
                             "non_finite or invalid.",
                             MetricType::Counter);

  for (const auto& [run_id, run] : runs_by_id_) {
    if (!run->exported) continue;
    const auto add = [&](prometheus::MetricFamily& family, const std::string& key_suffix,
                         std::vector<prometheus::ClientMetric::Label> labels, double value) {
      if (!IsExportable(*run, family.name + key_suffix, value)) return;
      family.metric.push_back(MakeSample(std::move(labels), family.type, value));
    };

    add(learning_rate, "", {{"run_id", run_id}}, run->learning_rate.Value());
    add(step, "", {{"run_id", run_id}}, run->step.Value());
    add(epoch, "", {{"run_id", run_id}}, run->epoch.Value());
    add(finished, "", {{"run_id", run_id}}, run->finished.Value());
    add(reports, "", {{"run_id", run_id}}, run->reports.Value());
    add(rejected, "{invalid}", {{"reason", "invalid"}, {"run_id", run_id}},
        run->rejected_invalid.Value());
    add(rejected, "{non_finite}", {{"reason", "non_finite"}, {"run_id", run_id}},
        run->rejected_non_finite.Value());
    for (const auto& [name, series] : run->metrics) {
      if (!series.exported) continue;
      add(metric, "{" + name + "}", {{"metric", name}, {"run_id", run_id}},
          series.gauge->Value());
    }
  }

  // Empty families are left out, as prometheus-cpp's registry leaves them out.
  for (auto* family :
       {&learning_rate, &step, &epoch, &finished, &metric, &reports, &rejected}) {
    if (!family->metric.empty()) families.push_back(std::move(*family));
  }
}

void ServerMetrics::FilterRunSamples(std::vector<prometheus::MetricFamily>& families) const {
  for (prometheus::MetricFamily& family : families) {
    std::vector<prometheus::ClientMetric> kept;
    kept.reserve(family.metric.size());
    for (prometheus::ClientMetric& sample : family.metric) {
      const auto run_label =
          std::find_if(sample.label.begin(), sample.label.end(),
                       [](const prometheus::ClientMetric::Label& label) {
                         return label.name == "run_id";
                       });
      if (run_label == sample.label.end()) {
        kept.push_back(std::move(sample));
        continue;
      }

      const auto run = runs_by_id_.find(run_label->value);
      if (run == runs_by_id_.end() || !run->second->exported) continue;
      // Histogram and summary samples are exported without a check of their values.
      double value = 0;
      if (family.type == prometheus::MetricType::Counter) value = sample.counter.value;
      if (family.type == prometheus::MetricType::Gauge) value = sample.gauge.value;
      if (family.type == prometheus::MetricType::Untyped) value = sample.untyped.value;
      std::string series_key = family.name + "{";
      for (const auto& label : sample.label) {
        if (label.name != "run_id") series_key += label.value + ",";
      }
      series_key += "}";
      if (IsExportable(*run->second, series_key, value)) kept.push_back(std::move(sample));
    }
    family.metric = std::move(kept);
  }
}

}  // namespace lrsched
