// The service through the real client against a real server on an ephemeral loopback port,
// with its state in a real SQLite file.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "client/client.h"
#include "core/spec_json.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/server.h"
#include "tests/server/http_get.h"
#include "tests/server/server_fixture.h"

namespace lrsched {
namespace {

constexpr char kStepLrSpec[] =
    R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":2,"gamma":0.5}}})";
constexpr char kCosineStepSpec[] =
    R"({"base_lr":1.0,"unit":"STEP","schedule":{"cosine_annealing_lr":{"T_max":10}}})";

v1::ScheduleSpec Spec(const char* json) {
  auto spec = ParseSpecJson(json);
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : v1::ScheduleSpec();
}

v1::CreateRunRequest CreateRequest(const std::string& run_id, const char* spec_json) {
  v1::CreateRunRequest request;
  request.set_run_id(run_id);
  *request.mutable_spec() = Spec(spec_json);
  return request;
}

using ServiceTest = testing::ServerFixture;

TEST_F(ServiceTest, CreateRunTwiceReturnsTheSameRun) {
  const auto first = client_->CreateRun(CreateRequest("run-1", kStepLrSpec));
  ASSERT_TRUE(first.ok()) << first.status();
  const auto second = client_->CreateRun(CreateRequest("run-1", kStepLrSpec));
  ASSERT_TRUE(second.ok()) << second.status();

  EXPECT_EQ(first->run_id(), "run-1");
  EXPECT_EQ(first->num_workers(), 1);
  EXPECT_EQ(first->schedule_version(), 1);
  EXPECT_EQ(first->create_time().seconds(), second->create_time().seconds());
  EXPECT_EQ(first->create_time().nanos(), second->create_time().nanos());
}

TEST_F(ServiceTest, CreateRunWithOtherSpecIsAlreadyExists) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kStepLrSpec)).ok());
  const auto conflict = client_->CreateRun(CreateRequest("run-1", kCosineStepSpec));
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists) << conflict.status();

  // The run keeps its first spec.
  const auto rate = client_->GetLearningRate("run-1", 0, 2, "w0");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_DOUBLE_EQ(rate->learning_rate(), 0.05);
}

TEST_F(ServiceTest, LearningRateFollowsTheSpecUnit) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("by-epoch", kStepLrSpec)).ok());
  ASSERT_TRUE(client_->CreateRun(CreateRequest("by-step", kCosineStepSpec)).ok());

  // StepLR by epoch: 0.1 * 0.5^floor(epoch / 2), whatever the step.
  const double step_lr_expected[] = {0.1, 0.1, 0.05, 0.05, 0.025};
  for (int epoch = 0; epoch < 5; ++epoch) {
    const auto rate = client_->GetLearningRate("by-epoch", 1000 + epoch, epoch, "w0");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_DOUBLE_EQ(rate->learning_rate(), step_lr_expected[epoch]) << "epoch " << epoch;
    EXPECT_EQ(rate->position(), epoch);
    EXPECT_EQ(rate->unit(), v1::ScheduleSpec::EPOCH);
    EXPECT_EQ(rate->schedule_version(), 1);
  }

  // CosineAnnealingLR by step: (1 + cos(pi * step / 10)) / 2, whatever the epoch.
  for (int step : {0, 3, 5, 10, 15}) {
    const auto rate = client_->GetLearningRate("by-step", step, 7, "w0");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_NEAR(rate->learning_rate(), (1 + std::cos(M_PI * step / 10.0)) / 2, 1e-15)
        << "step " << step;
    EXPECT_EQ(rate->position(), step);
  }
}

TEST_F(ServiceTest, UnknownRunIsNotFound) {
  EXPECT_EQ(client_->GetRun("missing").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client_->GetLearningRate("missing", 0, 0, "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(client_->ReportMetrics("missing", "w0", 0, 0, {{"loss", 1.0}}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(client_->DeleteRun("missing").code(), absl::StatusCode::kNotFound);
}

TEST_F(ServiceTest, InvalidSpecNamesTheField) {
  const auto created = client_->CreateRun(CreateRequest(
      "bad", R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":0}}})"));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(created.status().message(), "spec.schedule.step_lr.step_size must be positive, got 0");

  v1::CreateRunRequest nan_rate = CreateRequest("bad", kStepLrSpec);
  nan_rate.mutable_spec()->set_base_lr(std::numeric_limits<double>::quiet_NaN());
  const auto nan_created = client_->CreateRun(nan_rate);
  EXPECT_EQ(nan_created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(nan_created.status().message().find("spec.base_lr"), std::string::npos)
      << nan_created.status();

  v1::CreateRunRequest no_spec;
  no_spec.set_run_id("bad");
  EXPECT_EQ(client_->CreateRun(no_spec).status().message(), "spec is missing");
}

struct BadRunId {
  std::string name;
  std::string run_id;
  std::string message_part;
};

class BadRunIdTest : public ServiceTest, public ::testing::WithParamInterface<BadRunId> {};

TEST_P(BadRunIdTest, RejectedByEveryMethod) {
  const BadRunId& bad = GetParam();
  const auto created = client_->CreateRun(CreateRequest(bad.run_id, kStepLrSpec));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find(bad.message_part), std::string::npos)
      << created.status();
  EXPECT_EQ(client_->GetRun(bad.run_id).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->GetLearningRate(bad.run_id, 0, 0, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->ReportMetrics(bad.run_id, "", 0, 0, {{"loss", 1}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->DeleteRun(bad.run_id).code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Ids, BadRunIdTest,
    ::testing::Values(BadRunId{"Empty", "", "run_id must not be empty"},
                      BadRunId{"TooLong", std::string(129, 'a'), "at most 128"},
                      BadRunId{"Space", "my run", "contains \" \""},
                      BadRunId{"Slash", "a/b", "contains \"/\""},
                      BadRunId{"Huge", std::string(100000, 'x'), "at most 128"}),
    [](const auto& info) { return info.param.name; });

TEST_F(ServiceTest, BadReportIsRejectedAndLosesNothingAccepted) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kStepLrSpec)).ok());
  const auto accepted = client_->ReportMetrics("run-1", "w0", 10, 1, {{"loss", 0.5}});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->report_count(), 1);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Bad {
    int64_t step;
    std::map<std::string, double> metrics;
    std::string message_part;
  };
  const Bad bad_reports[] = {
      {11, {{"loss", nan}}, "metrics[loss] must be finite"},
      {11, {{"loss", -inf}}, "metrics[loss] must be finite"},
      {11, {{"", 1.0}}, "metrics key must not be empty"},
      {11, {{std::string(200, 'm'), 1.0}}, "at most 128"},
      {11, {}, "metrics is empty"},
      {-1, {{"loss", 1.0}}, "step must be zero or positive, got -1"},
  };
  for (const Bad& bad : bad_reports) {
    const auto rejected = client_->ReportMetrics("run-1", "w0", bad.step, 1, bad.metrics);
    EXPECT_EQ(rejected.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(rejected.status().message().find(bad.message_part), std::string::npos)
        << rejected.status();
  }

  const auto run = client_->GetRun("run-1");
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->report_count(), 1);
  EXPECT_EQ(run->last_step(), 10);
  EXPECT_EQ(run->last_metrics().at("loss"), 0.5);
}

TEST_F(ServiceTest, BadLearningRateRequestsAreInvalid) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kStepLrSpec)).ok());
  EXPECT_EQ(client_->GetLearningRate("run-1", -5, 0, "").status().message(),
            "step must be zero or positive, got -5");
  EXPECT_EQ(client_->GetLearningRate("run-1", 0, -1, "").status().message(),
            "epoch must be zero or positive, got -1");
  EXPECT_EQ(client_->GetLearningRate("run-1", 0, 0, "bad worker").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ServiceTest, ListRunsPagesInIdOrder) {
  for (const char* id : {"e", "a", "d", "b", "c"}) {
    ASSERT_TRUE(client_->CreateRun(CreateRequest(id, kStepLrSpec)).ok());
  }
  std::string ids;
  std::string token;
  int pages = 0;
  do {
    const auto page = client_->ListRuns(2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& run : page->runs()) ids += run.run_id();
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(ids, "abcde");
  EXPECT_EQ(pages, 3);

  EXPECT_EQ(client_->ListRuns(-1, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->ListRuns(1001, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->ListRuns(10, "not a token!").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ServiceTest, DeletedRunIsGoneAfterRestart) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("keep", kStepLrSpec)).ok());
  ASSERT_TRUE(client_->CreateRun(CreateRequest("drop", kStepLrSpec)).ok());
  ASSERT_TRUE(client_->ReportMetrics("drop", "w0", 1, 0, {{"loss", 2.0}}).ok());
  ASSERT_TRUE(client_->DeleteRun("drop").ok());
  EXPECT_EQ(client_->GetRun("drop").status().code(), absl::StatusCode::kNotFound);

  RestartServer();
  EXPECT_EQ(client_->GetRun("drop").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(client_->GetRun("keep").ok());

  // The id is free again, and the new run starts with no reports.
  const auto again = client_->CreateRun(CreateRequest("drop", kCosineStepSpec));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->report_count(), 0);
}

TEST_F(ServiceTest, RestartAnswersExactlyAsBefore) {
  v1::CreateRunRequest request = CreateRequest("run-1", kCosineStepSpec);
  request.set_num_workers(4);
  (*request.mutable_labels())["team"] = "vision";
  ASSERT_TRUE(client_->CreateRun(request).ok());
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-2", kStepLrSpec)).ok());
  ASSERT_TRUE(client_->ReportMetrics("run-1", "w0", 100, 1, {{"loss", 0.7}, {"acc", 0.5}}).ok());
  ASSERT_TRUE(client_->ReportMetrics("run-1", "w1", 200, 2, {{"loss", 0.25}}).ok());

  const auto before = client_->GetRun("run-1");
  ASSERT_TRUE(before.ok()) << before.status();
  std::vector<double> rates_before;
  for (int step = 0; step < 30; ++step) {
    rates_before.push_back(client_->GetLearningRate("run-1", step, 0, "w0")->learning_rate());
  }

  RestartServer();

  const auto after = client_->GetRun("run-1");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*after, *before))
      << "before: " << before->DebugString() << "after: " << after->DebugString();
  EXPECT_EQ(after->report_count(), 2);
  EXPECT_EQ(after->last_step(), 200);
  EXPECT_EQ(after->last_metrics().at("loss"), 0.25);
  EXPECT_EQ(after->last_metrics().at("acc"), 0.5);
  for (int step = 0; step < 30; ++step) {
    const auto rate = client_->GetLearningRate("run-1", step, 0, "w0");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_EQ(rate->learning_rate(), rates_before[step]) << "step " << step;
  }
  EXPECT_TRUE(client_->GetRun("run-2").ok());
}

TEST_F(ServiceTest, PreviewMatchesTheFormulaAndValidates) {
  const auto preview = client_->PreviewSchedule(Spec(kStepLrSpec), 6);
  ASSERT_TRUE(preview.ok()) << preview.status();
  const double expected[] = {0.1, 0.1, 0.05, 0.05, 0.025, 0.025};
  ASSERT_EQ(preview->learning_rates_size(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(preview->learning_rates(i), expected[i]);

  EXPECT_EQ(client_->PreviewSchedule(Spec(kStepLrSpec), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->PreviewSchedule(Spec(kStepLrSpec), 500001).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(client_->PreviewSchedule(Spec(kStepLrSpec), 500000).ok());
  EXPECT_EQ(client_->ListRuns(10, "")->runs_size(), 0) << "a preview must not create a run";
}

TEST_F(ServiceTest, MetricsEndpointShowsTheRun) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kCosineStepSpec)).ok());
  const auto rate = client_->GetLearningRate("run-1", 3, 0, "w0");
  ASSERT_TRUE(rate.ok()) << rate.status();
  ASSERT_TRUE(client_->ReportMetrics("run-1", "w0", 3, 0, {{"train_loss", 1.25}}).ok());
  EXPECT_EQ(client_->GetRun("nope").status().code(), absl::StatusCode::kNotFound);

  const auto body = testing::HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(body.ok()) << body.status();
  const auto sample = [&](const std::string& series) {
    auto value = testing::FindSample(*body, series);
    EXPECT_TRUE(value.ok()) << value.status() << "\n" << *body;
    return value.ok() ? *value : std::nan("");
  };
  EXPECT_NEAR(sample(R"(lrsched_run_learning_rate{run_id="run-1"})"), rate->learning_rate(),
              1e-15 * rate->learning_rate());
  EXPECT_EQ(sample(R"(lrsched_run_step{run_id="run-1"})"), 3);
  EXPECT_EQ(sample(R"(lrsched_run_metric{metric="train_loss",run_id="run-1"})"), 1.25);
  EXPECT_EQ(sample(R"(lrsched_run_reports_total{run_id="run-1"})"), 1);
  EXPECT_EQ(sample("lrsched_runs"), 1);
  EXPECT_EQ(sample(R"(lrsched_rpc_requests_total{code="NOT_FOUND",method="GetRun"})"), 1);
  EXPECT_EQ(sample(R"(lrsched_rpc_duration_seconds_count{method="GetLearningRate"})"), 1);
}

std::vector<v1::ReportMetricsRequest> Reports(const std::string& run_id, int count) {
  std::vector<v1::ReportMetricsRequest> reports;
  for (int i = 0; i < count; ++i) {
    v1::ReportMetricsRequest& report = reports.emplace_back();
    report.set_run_id(run_id);
    report.set_worker("w0");
    report.set_step(i);
    (*report.mutable_metrics())["loss"] = 1.0 / (i + 1);
  }
  return reports;
}

TEST_F(ServiceTest, StreamStoresEveryReportOnce) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kStepLrSpec)).ok());
  const auto streamed = client_->StreamMetrics(Reports("run-1", 500));
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->stored(), 500);
  EXPECT_EQ(streamed->duplicates(), 0);

  // Sending the same stream again, as a retrying worker would, stores nothing new.
  const auto again = client_->StreamMetrics(Reports("run-1", 500));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->stored(), 0);
  EXPECT_EQ(again->duplicates(), 500);

  const auto run = client_->GetRun("run-1");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->report_count(), 500);
  EXPECT_EQ(run->last_step(), 499);
  EXPECT_EQ(run->last_metrics().at("loss"), 1.0 / 500);
}

TEST_F(ServiceTest, StreamStopsAtBadReportKeepingEarlierOnes) {
  ASSERT_TRUE(client_->CreateRun(CreateRequest("run-1", kStepLrSpec)).ok());
  auto reports = Reports("run-1", 20);
  (*reports[7].mutable_metrics())["loss"] = std::numeric_limits<double>::infinity();

  const auto streamed = client_->StreamMetrics(reports);
  EXPECT_EQ(streamed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(streamed.status().message().find("report 7 of the stream: metrics[loss] must be"),
            std::string::npos)
      << streamed.status();

  // Reports 0..6 were accepted before the bad one and stay stored; whatever the server read
  // after it is not.
  const auto run = client_->GetRun("run-1");
  ASSERT_TRUE(run.ok());
  EXPECT_GE(run->report_count(), 7);
  EXPECT_LT(run->report_count(), 20);
  RestartServer();
  EXPECT_GE(client_->GetRun("run-1")->report_count(), 7);
}

}  // namespace
}  // namespace lrsched
