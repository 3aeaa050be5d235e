// Tests of the bounds on per-run series in ServerMetrics: the idle timeout, the cap on
// exported runs, the cap on metric names, restored runs, and non-finite values. A fake clock
// drives the idle timeout.
#include "server/server_metrics.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace lrsched {
namespace {

using Labels = std::map<std::string, std::string>;

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration duration) { now_ += duration; }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

// The value of the sample of `family` with exactly `labels`, or nullopt when it is absent.
std::optional<double> FindSample(const std::vector<prometheus::MetricFamily>& families,
                                 const std::string& family_name, const Labels& labels) {
  for (const auto& family : families) {
    if (family.name != family_name) continue;
    for (const auto& sample : family.metric) {
      Labels sample_labels;
      for (const auto& label : sample.label) sample_labels[label.name] = label.value;
      if (sample_labels != labels) continue;
      if (family.type == prometheus::MetricType::Counter) return sample.counter.value;
      return sample.gauge.value;
    }
  }
  return std::nullopt;
}

class ServerMetricsTest : public ::testing::Test {
 protected:
  // Creates the metrics with the given limits, past the restore phase if `finish_restore`.
  void Create(absl::Duration idle_timeout, size_t max_runs, size_t max_metrics = 64,
              bool finish_restore = true) {
    MetricsOptions options;
    options.run_idle_timeout = idle_timeout;
    options.max_exported_runs = max_runs;
    options.max_metrics_per_run = max_metrics;
    options.clock = [this] { return clock_.Now(); };
    metrics_ = std::make_unique<ServerMetrics>(std::move(options));
    if (finish_restore) metrics_->FinishRestore();
  }

  std::optional<double> Sample(const std::string& family, const Labels& labels = {}) {
    return FindSample(metrics_->Collect(), family, labels);
  }

  bool IsExported(const std::string& run_id) {
    return Sample("lrsched_run_step", {{"run_id", run_id}}).has_value();
  }

  double Dropped(const std::string& reason) {
    return Sample("lrsched_run_series_dropped_total", {{"reason", reason}}).value_or(-1);
  }

  FakeClock clock_;
  std::unique_ptr<ServerMetrics> metrics_;
};

TEST_F(ServerMetricsTest, NewRunIsExportedWithEverySeries) {
  Create(absl::Hours(1), 10);
  const RunSeries series = metrics_->AddRun("a");
  series.learning_rate->Set(0.1);
  series.step->Set(7);
  series.reports->Increment();
  metrics_->AddRunMetric("a", "train_loss")->Set(0.5);

  const auto families = metrics_->Collect();
  const Labels run = {{"run_id", "a"}};
  EXPECT_EQ(FindSample(families, "lrsched_run_learning_rate", run), 0.1);
  EXPECT_EQ(FindSample(families, "lrsched_run_step", run), 7);
  EXPECT_EQ(FindSample(families, "lrsched_run_epoch", run), 0);
  EXPECT_EQ(FindSample(families, "lrsched_run_finished", run), 0);
  EXPECT_EQ(FindSample(families, "lrsched_run_reports_total", run), 1);
  EXPECT_EQ(FindSample(families, "lrsched_run_metric", {{"metric", "train_loss"}, {"run_id", "a"}}),
            0.5);
  EXPECT_EQ(FindSample(families, "lrsched_run_rejected_reports_total",
                       {{"reason", "non_finite"}, {"run_id", "a"}}),
            0);
  EXPECT_EQ(FindSample(families, "lrsched_runs_active", {}), 1);
  EXPECT_EQ(FindSample(families, "lrsched_runs_exported", {}), 1);
}

TEST_F(ServerMetricsTest, QuietRunLeavesAndReturnsOnChange) {
  Create(absl::Minutes(10), 10);
  const RunSeries series = metrics_->AddRun("a");
  EXPECT_TRUE(IsExported("a"));

  clock_.Advance(absl::Minutes(9));
  EXPECT_TRUE(IsExported("a")) << "still within the idle timeout";
  clock_.Advance(absl::Minutes(2));
  EXPECT_FALSE(IsExported("a")) << "11 minutes without a change";
  EXPECT_EQ(Sample("lrsched_runs_active"), 0);
  EXPECT_EQ(Sample("lrsched_runs_exported"), 0);

  series.reports->Increment();
  EXPECT_TRUE(IsExported("a")) << "a stored report makes the run active again";
  clock_.Advance(absl::Minutes(9));
  EXPECT_TRUE(IsExported("a")) << "the idle time counts from the report";
}

TEST_F(ServerMetricsTest, UnchangedValueIsNoActivity) {
  Create(absl::Minutes(10), 10);
  const RunSeries series = metrics_->AddRun("a");
  series.learning_rate->Set(0.1);
  EXPECT_TRUE(IsExported("a"));
  clock_.Advance(absl::Minutes(6));
  series.learning_rate->Set(0.1);
  clock_.Advance(absl::Minutes(6));
  EXPECT_FALSE(IsExported("a")) << "setting the same rate again is not a change";
}

TEST_F(ServerMetricsTest, RestoredRunWaitsForFirstChange) {
  Create(absl::Hours(1), 10, 64, /*finish_restore=*/false);
  const RunSeries series = metrics_->AddRun("restored");
  series.step->Set(120);
  series.reports->Increment(40);
  metrics_->AddRunMetric("restored", "test_loss")->Set(0.3);
  metrics_->FinishRestore();

  EXPECT_FALSE(IsExported("restored"));
  EXPECT_EQ(Sample("lrsched_runs_active"), 0);

  series.learning_rate->Set(0.05);
  EXPECT_TRUE(IsExported("restored"));
  EXPECT_EQ(Sample("lrsched_run_reports_total", {{"run_id", "restored"}}), 40);

  const RunSeries created = metrics_->AddRun("created-after-restore");
  EXPECT_TRUE(IsExported("created-after-restore"));
}

TEST_F(ServerMetricsTest, RunLimitCountsLeftOutRunsOnce) {
  Create(absl::Minutes(10), 2);
  const RunSeries a = metrics_->AddRun("a");
  EXPECT_TRUE(IsExported("a")) << "a takes its slot at the first scrape";
  clock_.Advance(absl::Minutes(1));
  const RunSeries b = metrics_->AddRun("b");
  EXPECT_TRUE(IsExported("b"));
  clock_.Advance(absl::Minutes(1));
  const RunSeries c = metrics_->AddRun("c");

  EXPECT_FALSE(IsExported("c"));
  EXPECT_EQ(Dropped("run_limit"), 1);
  EXPECT_EQ(Sample("lrsched_runs_active"), 3);
  EXPECT_EQ(Sample("lrsched_runs_exported"), 2);

  c.reports->Increment();
  EXPECT_FALSE(IsExported("c")) << "an exported run keeps its slot while active";
  EXPECT_EQ(Dropped("run_limit"), 1) << "c is still the same left-out run";

  // a goes quiet first (created 2 minutes before c), so c takes its slot.
  clock_.Advance(absl::Minutes(8) + absl::Seconds(30));
  b.reports->Increment();
  EXPECT_FALSE(IsExported("a"));
  EXPECT_TRUE(IsExported("b"));
  EXPECT_TRUE(IsExported("c"));
  EXPECT_EQ(Dropped("run_limit"), 1);

  a.reports->Increment();
  EXPECT_FALSE(IsExported("a")) << "both slots are taken again";
  EXPECT_EQ(Dropped("run_limit"), 2) << "a is a new left-out run";
}

TEST_F(ServerMetricsTest, ZeroRunLimitExportsNoRun) {
  Create(absl::Minutes(10), 0);
  const RunSeries a = metrics_->AddRun("a");
  EXPECT_FALSE(IsExported("a"));
  EXPECT_EQ(Dropped("run_limit"), 1);
  EXPECT_EQ(Sample("lrsched_runs_active"), 1);
}

TEST_F(ServerMetricsTest, MetricNamesPastLimitAreCounted) {
  Create(absl::Hours(1), 10, /*max_metrics=*/2);
  const RunSeries a = metrics_->AddRun("a");
  prometheus::Gauge* first = metrics_->AddRunMetric("a", "m1");
  EXPECT_EQ(metrics_->AddRunMetric("a", "m1"), first) << "the same name returns the same gauge";
  metrics_->AddRunMetric("a", "m2")->Set(2);
  prometheus::Gauge* third = metrics_->AddRunMetric("a", "m3");
  ASSERT_NE(third, nullptr);
  third->Set(3);

  EXPECT_TRUE(Sample("lrsched_run_metric", {{"metric", "m2"}, {"run_id", "a"}}).has_value());
  EXPECT_FALSE(Sample("lrsched_run_metric", {{"metric", "m3"}, {"run_id", "a"}}).has_value());
  EXPECT_EQ(Dropped("metric_limit"), 1);
}

TEST_F(ServerMetricsTest, NonFiniteValueIsLeftOut) {
  Create(absl::Hours(1), 10);
  const RunSeries a = metrics_->AddRun("a");
  prometheus::Gauge* loss = metrics_->AddRunMetric("a", "loss");
  loss->Set(std::nan(""));
  a.learning_rate->Set(std::numeric_limits<double>::infinity());

  const Labels loss_labels = {{"metric", "loss"}, {"run_id", "a"}};
  EXPECT_FALSE(Sample("lrsched_run_metric", loss_labels).has_value());
  EXPECT_FALSE(Sample("lrsched_run_learning_rate", {{"run_id", "a"}}).has_value());
  EXPECT_TRUE(IsExported("a")) << "the run's other series stay";
  EXPECT_EQ(Dropped("non_finite"), 2) << "one per series, not one per scrape";

  loss->Set(1.5);
  EXPECT_EQ(Sample("lrsched_run_metric", loss_labels), 1.5);
  loss->Set(std::nan(""));
  EXPECT_FALSE(Sample("lrsched_run_metric", loss_labels).has_value());
  EXPECT_EQ(Dropped("non_finite"), 3) << "a series that became NaN again counts again";
}

TEST_F(ServerMetricsTest, RemoveRunIgnoresStaleHandles) {
  Create(absl::Hours(1), 10);
  const RunSeries old_series = metrics_->AddRun("a");
  metrics_->RemoveRun(old_series);
  EXPECT_FALSE(IsExported("a"));
  EXPECT_EQ(Sample("lrsched_runs_exported"), 0);

  const RunSeries new_series = metrics_->AddRun("a");
  metrics_->RemoveRun(old_series);
  EXPECT_TRUE(IsExported("a")) << "handles of a removed run must not remove its successor";
  metrics_->RemoveRun(RunSeries());

  EXPECT_NE(metrics_->AddRunMetric("unknown", "loss"), nullptr);
  EXPECT_FALSE(IsExported("unknown"));
}

TEST_F(ServerMetricsTest, RejectedReportsCountByReason) {
  Create(absl::Hours(1), 10);
  const RunSeries a = metrics_->AddRun("a");

  v1::ReportMetricsRequest non_finite;
  non_finite.set_run_id("a");
  (*non_finite.mutable_metrics())["loss"] = std::nan("");
  (*non_finite.mutable_metrics())["accuracy"] = 0.5;
  metrics_->RecordRejectedReport(non_finite);

  v1::ReportMetricsRequest empty;
  empty.set_run_id("a");
  metrics_->RecordRejectedReport(empty);
  metrics_->RecordRejectedReport(empty);

  v1::ReportMetricsRequest unknown_run;
  unknown_run.set_run_id("nobody");
  metrics_->RecordRejectedReport(unknown_run);

  EXPECT_EQ(Sample("lrsched_run_rejected_reports_total", {{"reason", "non_finite"}, {"run_id", "a"}}),
            1);
  EXPECT_EQ(Sample("lrsched_run_rejected_reports_total", {{"reason", "invalid"}, {"run_id", "a"}}),
            2);
  EXPECT_FALSE(Sample("lrsched_run_rejected_reports_total",
                      {{"reason", "invalid"}, {"run_id", "nobody"}})
                   .has_value());
}

TEST_F(ServerMetricsTest, RegistrySamplesFollowTheirRun) {
  Create(absl::Minutes(10), 1);
  auto& family = prometheus::BuildGauge()
                     .Name("test_run_value")
                     .Help("A per-run gauge registered outside ServerMetrics.")
                     .Register(*metrics_->registry());
  family.Add({{"run_id", "a"}}).Set(1);
  family.Add({{"run_id", "b"}}).Set(2);
  family.Add({{"run_id", "nan"}}).Set(std::nan(""));
  family.Add({}).Set(3);

  const RunSeries a = metrics_->AddRun("a");
  const RunSeries b = metrics_->AddRun("b");
  EXPECT_EQ(Sample("test_run_value", {{"run_id", "a"}}), 1);
  EXPECT_FALSE(Sample("test_run_value", {{"run_id", "b"}}).has_value()) << "b is over the limit";
  EXPECT_FALSE(Sample("test_run_value", {{"run_id", "nan"}}).has_value()) << "no such run";
  EXPECT_EQ(Sample("test_run_value"), 3) << "a sample without run_id is always exported";

  family.Add({{"run_id", "a"}}).Set(std::nan(""));
  EXPECT_FALSE(Sample("test_run_value", {{"run_id", "a"}}).has_value());
  EXPECT_EQ(Dropped("non_finite"), 1);

  clock_.Advance(absl::Minutes(11));
  EXPECT_FALSE(Sample("test_run_value", {{"run_id", "a"}}).has_value()) << "a went quiet";
}

TEST_F(ServerMetricsTest, RpcSweepDatesActivity) {
  Create(absl::Minutes(10), 10);
  const RunSeries a = metrics_->AddRun("a");
  EXPECT_TRUE(IsExported("a"));

  // A change seen by an RPC's sweep dates the activity, even if the scrape comes much later.
  clock_.Advance(absl::Minutes(5));
  a.reports->Increment();
  metrics_->RecordRpc(RpcMethod::kReportMetrics, grpc::StatusCode::OK, absl::Milliseconds(1));
  clock_.Advance(absl::Minutes(9));
  EXPECT_TRUE(IsExported("a")) << "14 minutes after creation, 9 after the report";
  clock_.Advance(absl::Minutes(2));
  EXPECT_FALSE(IsExported("a"));
  EXPECT_EQ(Sample("lrsched_rpc_requests_total", {{"code", "OK"}, {"method", "ReportMetrics"}}),
            1);
}

TEST_F(ServerMetricsTest, RpcSweepsAtMostOncePerSecond) {
  Create(absl::Minutes(10), 10);
  const RunSeries a = metrics_->AddRun("a");
  metrics_->RecordRpc(RpcMethod::kCreateRun, grpc::StatusCode::OK, absl::Milliseconds(1));

  // 0.5 s after that sweep, the next RPC does not sweep, so the scrape 9 minutes later is the
  // first to see the report and dates it then.
  clock_.Advance(absl::Milliseconds(500));
  a.reports->Increment();
  metrics_->RecordRpc(RpcMethod::kReportMetrics, grpc::StatusCode::OK, absl::Milliseconds(1));
  clock_.Advance(absl::Minutes(9));
  EXPECT_TRUE(IsExported("a"));
  clock_.Advance(absl::Minutes(2));
  EXPECT_TRUE(IsExported("a")) << "the report counts from the scrape, 2 minutes ago";
}

}  // namespace
}  // namespace lrsched
