// Policies and decisions through the real client and server: the golden ReduceLROnPlateau
// cases of PyTorch and Keras reported through the API, restarts in the middle of a plateau,
// several workers, stragglers, operators' decisions.
#include <chrono>
#include <cmath>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "core/policy/policy_json.h"
#include "core/spec_json.h"
#include "gtest/gtest.h"
#include "tests/core/golden_cases.h"
#include "tests/server/http_get.h"
#include "tests/server/server_fixture.h"

namespace lrsched {
namespace {

using PolicyTest = testing::ServerFixture;

struct PlateauCase {
  std::string id;
  bool keras = false;
  std::string monitor;
  nlohmann::json params;
  double base_lr = 0;
  std::vector<double> metrics;
  std::vector<double> lr;
  double lr_after_last = 0;
};

std::vector<PlateauCase> LoadPlateauCases(const std::string& file) {
  const std::string path = testing::GoldenDir() + "/" + file;
  std::ifstream stream(path);
  EXPECT_TRUE(stream.good()) << "cannot read " << path;
  std::vector<PlateauCase> cases;
  if (!stream) return cases;
  for (const auto& entry : nlohmann::json::parse(stream)) {
    PlateauCase plateau;
    plateau.id = entry.at("id");
    plateau.keras = file.rfind("keras/", 0) == 0;
    plateau.params = entry.at("params");
    plateau.monitor = plateau.params.value("monitor", "val_loss");
    plateau.params.erase("monitor");
    plateau.base_lr = entry.at("base_lr");
    plateau.metrics = entry.at("metrics").get<std::vector<double>>();
    plateau.lr = entry.at("lr").get<std::vector<double>>();
    plateau.lr_after_last = entry.at("lr_after_step").back();
    cases.push_back(std::move(plateau));
  }
  return cases;
}

v1::CreateRunRequest PlateauRun(const PlateauCase& plateau, int num_workers = 1) {
  v1::CreateRunRequest request;
  request.set_run_id(plateau.id);
  request.set_num_workers(num_workers);
  request.mutable_spec()->set_base_lr(plateau.base_lr);
  request.mutable_spec()->set_unit(v1::ScheduleSpec::EPOCH);
  request.mutable_spec()->mutable_schedule()->mutable_constant();

  // The framework's parameters pass through unchanged, under the framework's policy name.
  const nlohmann::json policy = {
      {"monitor", plateau.monitor},
      {plateau.keras ? "keras_reduce_lr_on_plateau" : "reduce_lr_on_plateau", plateau.params}};
  auto parsed = ParsePolicyJson(policy.dump());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (parsed.ok()) *request.mutable_policy() = *parsed;
  return request;
}

bool Close(double expected, double actual) {
  return std::fabs(actual - expected) <= 1e-9 * std::fabs(expected);
}

// Asks for the rate of each epoch, then reports its metric, as a training loop does.
void ExpectGoldenRates(Client& client, const PlateauCase& plateau, size_t first, size_t end) {
  for (size_t epoch = first; epoch < end; ++epoch) {
    const auto rate = client.GetLearningRate(plateau.id, 0, epoch, "w0");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_TRUE(Close(plateau.lr[epoch], rate->learning_rate()))
        << "epoch " << epoch << ": expected " << plateau.lr[epoch] << ", got "
        << rate->learning_rate();
    const auto stored =
        client.ReportMetrics(plateau.id, "w0", 0, epoch, {{plateau.monitor, plateau.metrics[epoch]}});
    ASSERT_TRUE(stored.ok()) << stored.status();
  }
}

class GoldenPlateauTest : public PolicyTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(GoldenPlateauTest, MatchesFrameworkThroughApi) {
  const auto cases = LoadPlateauCases(GetParam());
  ASSERT_FALSE(cases.empty());
  for (const PlateauCase& plateau : cases) {
    SCOPED_TRACE(plateau.id);
    const auto created = client_->CreateRun(PlateauRun(plateau));
    ASSERT_TRUE(created.ok()) << created.status();
    ExpectGoldenRates(*client_, plateau, 0, plateau.metrics.size());

    const auto last = client_->GetLearningRate(plateau.id, 0, plateau.metrics.size(), "w0");
    ASSERT_TRUE(last.ok()) << last.status();
    EXPECT_TRUE(Close(plateau.lr_after_last, last->learning_rate()))
        << "after the last report: expected " << plateau.lr_after_last << ", got "
        << last->learning_rate();
  }
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenPlateauTest,
                         ::testing::Values("torch/reduce_lr_on_plateau.json",
                                           "keras/reduce_lr_on_plateau.json",
                                           "keras/keras_tests_reduce_lr_on_plateau.json"),
                         [](const auto& info) {
                           return info.param.find("torch") == 0 ? std::string("Torch")
                                  : info.param.find("keras_tests") != std::string::npos
                                      ? std::string("KerasTests")
                                      : std::string("Keras");
                         });

TEST_F(PolicyTest, RestartMidPlateauKeepsTheRates) {
  std::vector<PlateauCase> cases = LoadPlateauCases("torch/reduce_lr_on_plateau.json");
  for (PlateauCase& plateau : LoadPlateauCases("keras/reduce_lr_on_plateau.json")) {
    cases.push_back(std::move(plateau));
  }

  // Every run stops halfway through its metrics, with patience and cooldown counters running.
  for (const PlateauCase& plateau : cases) {
    SCOPED_TRACE(plateau.id);
    ASSERT_TRUE(client_->CreateRun(PlateauRun(plateau)).ok());
    ExpectGoldenRates(*client_, plateau, 0, plateau.metrics.size() / 2);
  }
  RestartServer();
  for (const PlateauCase& plateau : cases) {
    SCOPED_TRACE(plateau.id);
    ExpectGoldenRates(*client_, plateau, plateau.metrics.size() / 2, plateau.metrics.size());
  }
}

v1::CreateRunRequest TwoWorkerRun(double straggler_timeout_seconds) {
  PlateauCase plateau;
  plateau.id = "pair";
  plateau.monitor = "loss";
  plateau.params = {{"factor", 0.5}, {"patience", 0}};
  plateau.base_lr = 1.0;
  v1::CreateRunRequest request = PlateauRun(plateau, /*num_workers=*/2);
  request.mutable_policy()->set_straggler_timeout_seconds(straggler_timeout_seconds);
  return request;
}

TEST_F(PolicyTest, WorkersWaitForEachOtherAtBoundaries) {
  ASSERT_TRUE(client_->CreateRun(TwoWorkerRun(30)).ok());
  auto second = Connect();

  // Epoch 0 ends with a mean loss of 1.0; epoch 1 with a mean of 1.5, no improvement.
  ASSERT_TRUE(client_->ReportMetrics("pair", "w0", 10, 0, {{"loss", 0.5}}).ok());
  auto waiting = std::async(std::launch::async,
                            [&] { return client_->GetLearningRate("pair", 10, 1, "w0"); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "worker 0 must wait while worker 1 has not reported epoch 0";
  ASSERT_TRUE(second->ReportMetrics("pair", "w1", 10, 0, {{"loss", 1.5}}).ok());
  const auto rate = waiting.get();
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(rate->learning_rate(), 1.0);

  ASSERT_TRUE(client_->ReportMetrics("pair", "w0", 20, 1, {{"loss", 1.0}}).ok());
  ASSERT_TRUE(second->ReportMetrics("pair", "w1", 20, 1, {{"loss", 2.0}}).ok());
  const auto first_rate = client_->GetLearningRate("pair", 20, 2, "w0");
  const auto second_rate = second->GetLearningRate("pair", 20, 2, "w1");
  ASSERT_TRUE(first_rate.ok()) << first_rate.status();
  ASSERT_TRUE(second_rate.ok()) << second_rate.status();
  EXPECT_EQ(first_rate->learning_rate(), 0.5);
  EXPECT_EQ(second_rate->learning_rate(), 0.5);
  EXPECT_EQ(first_rate->schedule_version(), 2);
}

TEST_F(PolicyTest, StragglerTimeoutClosesTheBoundary) {
  ASSERT_TRUE(client_->CreateRun(TwoWorkerRun(0.5)).ok());
  ASSERT_TRUE(client_->ReportMetrics("pair", "w0", 10, 0, {{"loss", 0.5}}).ok());

  const auto started = std::chrono::steady_clock::now();
  const auto rate = client_->GetLearningRate("pair", 10, 1, "w0");
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(rate->learning_rate(), 1.0);
  EXPECT_GE(waited, 0.3) << "the boundary closed before the straggler timeout";

  const auto run = client_->GetRun("pair");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->decided_through(), 0);
  const auto body = testing::HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(body.ok()) << body.status();
  const auto timeouts =
      testing::FindSample(*body, R"(lrsched_run_straggler_timeouts_total{run_id="pair"})");
  ASSERT_TRUE(timeouts.ok()) << timeouts.status();
  EXPECT_EQ(*timeouts, 1);

  // The straggler's late report is stored but leaves the decided boundary alone.
  const auto late = client_->ReportMetrics("pair", "w1", 10, 0, {{"loss", 9.0}});
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_FALSE(late->duplicate());
}

TEST_F(PolicyTest, RepeatedReportCountsOnce) {
  ASSERT_TRUE(client_->CreateRun(TwoWorkerRun(30)).ok());
  const auto first = client_->ReportMetrics("pair", "w0", 10, 0, {{"loss", 0.5}});
  const auto again = client_->ReportMetrics("pair", "w0", 10, 0, {{"loss", 0.5}});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(first->duplicate());
  EXPECT_TRUE(again->duplicate());
  EXPECT_EQ(again->report_count(), 1);

  // A repeat from the same worker must not complete the boundary of two workers.
  EXPECT_EQ(client_->GetRun("pair")->decided_through(), -1);
}

TEST_F(PolicyTest, MissingMonitorIsReported) {
  PlateauCase plateau;
  plateau.id = "unwatched";
  plateau.monitor = "val_loss";
  plateau.params = {{"patience", 0}};
  plateau.base_lr = 0.1;
  ASSERT_TRUE(client_->CreateRun(PlateauRun(plateau)).ok());
  ASSERT_TRUE(client_->ReportMetrics("unwatched", "w0", 5, 0, {{"train_loss", 0.4}}).ok());

  const auto rate = client_->GetLearningRate("unwatched", 5, 1, "w0");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(rate->learning_rate(), 0.1);
  const auto run = client_->GetRun("unwatched");
  ASSERT_TRUE(run.ok());
  EXPECT_NE(run->warning().find("val_loss"), std::string::npos) << run->warning();
}

v1::CreateRunRequest StepRun() {
  v1::CreateRunRequest request;
  request.set_run_id("steered");
  auto spec = ParseSpecJson(
      R"({"base_lr":0.1,"unit":"STEP","schedule":{"step_lr":{"step_size":10,"gamma":0.5}}})");
  EXPECT_TRUE(spec.ok());
  *request.mutable_spec() = *spec;
  return request;
}

v1::UpdateScheduleRequest Update(int64_t position) {
  v1::UpdateScheduleRequest request;
  request.set_run_id("steered");
  request.set_effective_position(position);
  request.set_reason("loss spikes");
  request.set_operator_("alice");
  return request;
}

TEST_F(PolicyTest, OperatorDecisionsApplyFromTheirPosition) {
  ASSERT_TRUE(client_->CreateRun(StepRun()).ok());
  ASSERT_TRUE(client_->GetLearningRate("steered", 12, 0, "w0").ok());

  v1::UpdateScheduleRequest scale = Update(15);
  scale.set_scale(0.1);
  const auto decision = client_->UpdateSchedule(scale);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->sequence(), 1);
  EXPECT_EQ(decision->actor(), "operator:alice");
  EXPECT_NEAR(decision->learning_rate(), 0.005, 1e-18);

  // StepLR gives 0.05 for steps 10..19 and 0.025 from 20; the decision scales from step 15.
  EXPECT_NEAR(client_->GetLearningRate("steered", 14, 0, "w0")->learning_rate(), 0.05, 1e-18);
  EXPECT_NEAR(client_->GetLearningRate("steered", 15, 0, "w0")->learning_rate(), 0.005, 1e-18);
  EXPECT_NEAR(client_->GetLearningRate("steered", 25, 0, "w0")->learning_rate(), 0.0025, 1e-18);

  v1::UpdateScheduleRequest set = Update(30);
  set.set_set(0.2);
  ASSERT_TRUE(client_->UpdateSchedule(set).ok());
  v1::UpdateScheduleRequest finish = Update(40);
  finish.set_finish(true);
  ASSERT_TRUE(client_->UpdateSchedule(finish).ok());
  EXPECT_EQ(client_->GetLearningRate("steered", 35, 0, "w0")->learning_rate(), 0.2);
  EXPECT_EQ(client_->GetLearningRate("steered", 40, 0, "w0").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client_->ReportMetrics("steered", "w0", 41, 0, {{"loss", 1}}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const auto history = client_->ListDecisions("steered");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->decisions_size(), 3);
  EXPECT_EQ(history->decisions(0).reason(), "loss spikes");
  EXPECT_EQ(client_->GetRun("steered")->state(), v1::Run::FINISHED);

  // The same rates after a restart.
  RestartServer();
  EXPECT_NEAR(client_->GetLearningRate("steered", 15, 0, "w0")->learning_rate(), 0.005, 1e-18);
  EXPECT_EQ(client_->GetLearningRate("steered", 35, 0, "w0")->learning_rate(), 0.2);
  EXPECT_EQ(client_->ListDecisions("steered")->decisions_size(), 3);
}

TEST_F(PolicyTest, DecisionInThePastIsRejected) {
  ASSERT_TRUE(client_->CreateRun(StepRun()).ok());
  ASSERT_TRUE(client_->GetLearningRate("steered", 12, 0, "w0").ok());

  v1::UpdateScheduleRequest past = Update(12);
  past.set_scale(0.5);
  const auto rejected = client_->UpdateSchedule(past);
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(rejected.status().message().find("choose 13 or later"), std::string::npos)
      << rejected.status();
  EXPECT_NEAR(client_->GetLearningRate("steered", 12, 0, "w0")->learning_rate(), 0.05, 1e-18);
}

TEST_F(PolicyTest, BadDecisionsAreInvalid) {
  ASSERT_TRUE(client_->CreateRun(StepRun()).ok());
  struct Bad {
    v1::UpdateScheduleRequest request;
    std::string message_part;
  };
  std::vector<Bad> bad;
  bad.push_back({Update(20), "request names no action"});
  bad.back().request.set_reason("x");
  bad.push_back({Update(20), "request.scale must be positive and finite"});
  bad.back().request.set_scale(std::nan(""));
  bad.push_back({Update(20), "request.set must be positive and finite"});
  bad.back().request.set_set(-1);
  bad.push_back({Update(20), "reason is missing"});
  bad.back().request.set_scale(0.5);
  bad.back().request.clear_reason();
  bad.push_back({Update(20), "request.switch_schedule.unit must equal the run's unit STEP"});
  bad.back().request.mutable_switch_schedule()->set_base_lr(0.1);
  bad.back().request.mutable_switch_schedule()->set_unit(v1::ScheduleSpec::EPOCH);
  bad.back().request.mutable_switch_schedule()->mutable_schedule()->mutable_constant();

  for (const Bad& case_ : bad) {
    const auto rejected = client_->UpdateSchedule(case_.request);
    EXPECT_EQ(rejected.status().code(), absl::StatusCode::kInvalidArgument) << rejected.status();
    EXPECT_NE(rejected.status().message().find(case_.message_part), std::string::npos)
        << rejected.status();
  }
  EXPECT_EQ(client_->ListDecisions("steered")->decisions_size(), 0);
}

TEST_F(PolicyTest, InvalidPolicyNamesTheField) {
  PlateauCase plateau;
  plateau.id = "bad-policy";
  plateau.monitor = "val_loss";
  plateau.params = {{"factor", 1.5}};
  plateau.base_lr = 0.1;
  const auto created = client_->CreateRun(PlateauRun(plateau));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(created.status().message(),
            "policy.reduce_lr_on_plateau.factor must be in (0, 1), got 1.5");

  plateau.params = {{"patience", -1}};
  EXPECT_NE(client_->CreateRun(PlateauRun(plateau)).status().message().find("patience"),
            std::string::npos);

  plateau.keras = true;
  plateau.monitor = "f1";
  plateau.params = nlohmann::json::object();
  EXPECT_NE(client_->CreateRun(PlateauRun(plateau)).status().message().find("set mode"),
            std::string::npos);
}

v1::CreateRunRequest RunWithPolicy(const std::string& run_id, const char* spec_json,
                                   const char* policy_json) {
  v1::CreateRunRequest request;
  request.set_run_id(run_id);
  auto spec = ParseSpecJson(spec_json);
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (spec.ok()) *request.mutable_spec() = *spec;
  auto policy = ParsePolicyJson(policy_json);
  EXPECT_TRUE(policy.ok()) << policy.status();
  if (policy.ok()) *request.mutable_policy() = *policy;
  return request;
}

// The ramp multiplies the rate by 10 every 2 epochs: 1e-4 * 10^(epoch / 2).
constexpr char kRampSpec[] =
    R"({"base_lr":1e-4,"unit":"EPOCH",
        "schedule":{"exponential_decay":{"decay_steps":2,"decay_rate":10}}})";

TEST_F(PolicyTest, RangeTestStopsAtDivergenceAndSwitches) {
  ASSERT_TRUE(client_
                  ->CreateRun(RunWithPolicy("range", kRampSpec, R"({"monitor":"loss",
      "lr_range_test":{"smoothing":0,"max_boundaries":20,
        "follow_up":{"base_lr":1,"unit":"EPOCH","schedule":{"constant":{}}}}})"))
                  .ok());

  // With smoothing 0 the smoothed loss is the loss: lowest 0.8 at epoch 3, and 5.0 at epoch 4
  // exceeds 4 * 0.8, which ends the test.
  const double losses[] = {2.0, 1.5, 1.0, 0.8, 5.0};
  for (int epoch = 0; epoch < 5; ++epoch) {
    const auto rate = client_->GetLearningRate("range", 0, epoch, "w0");
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_NEAR(rate->learning_rate(), 1e-4 * std::pow(10.0, epoch / 2.0), 1e-15);
    ASSERT_TRUE(client_->ReportMetrics("range", "w0", 0, epoch, {{"loss", losses[epoch]}}).ok());
  }

  const double suggestion = 1e-4 * std::pow(10.0, 1.5) / 10;
  const auto after = client_->GetLearningRate("range", 0, 5, "w0");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NEAR(after->learning_rate(), suggestion, 1e-15);
  EXPECT_NEAR(client_->GetLearningRate("range", 0, 9, "w0")->learning_rate(), suggestion, 1e-15);

  const auto run = client_->GetRun("range");
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run->policy_state().range_finished());
  EXPECT_NEAR(run->policy_state().suggested_learning_rate(), suggestion, 1e-15);
  const auto history = client_->ListDecisions("range");
  ASSERT_EQ(history->decisions_size(), 1);
  EXPECT_TRUE(history->decisions(0).has_switch_schedule());
  EXPECT_EQ(history->decisions(0).effective_position(), 5);
}

TEST_F(PolicyTest, RangeTestWithoutFollowUpFinishes) {
  ASSERT_TRUE(client_
                  ->CreateRun(RunWithPolicy("range", kRampSpec, R"({"monitor":"loss",
      "lr_range_test":{"max_boundaries":2}})"))
                  .ok());
  ASSERT_TRUE(client_->ReportMetrics("range", "w0", 0, 0, {{"loss", 2.0}}).ok());
  ASSERT_TRUE(client_->ReportMetrics("range", "w0", 0, 1, {{"loss", 1.0}}).ok());
  EXPECT_EQ(client_->GetLearningRate("range", 0, 2, "w0").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client_->GetRun("range")->state(), v1::Run::FINISHED);
}

TEST_F(PolicyTest, HypergradientMovesTheRateByTheDotProduct) {
  ASSERT_TRUE(client_
                  ->CreateRun(RunWithPolicy(
                      "hd", R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"constant":{}}})",
                      R"({"monitor":"grad_dot",
                          "hypergradient_descent":{"hyper_rate":0.01,"max_lr":0.2}})"))
                  .ok());

  // rate = clamp(rate + 0.01 * dot, 1e-8, 0.2): 0.1 + 0.01 * 3 = 0.13, then
  // 0.13 - 0.01 * 5 = 0.08, then 0.08 + 0.01 * 100 is clamped to 0.2.
  const double dots[] = {3, -5, 100};
  const double expected[] = {0.1, 0.13, 0.08, 0.2};
  for (int epoch = 0; epoch < 3; ++epoch) {
    EXPECT_NEAR(client_->GetLearningRate("hd", 0, epoch, "w0")->learning_rate(), expected[epoch],
                1e-15);
    ASSERT_TRUE(client_->ReportMetrics("hd", "w0", 0, epoch, {{"grad_dot", dots[epoch]}}).ok());
  }
  EXPECT_NEAR(client_->GetLearningRate("hd", 0, 3, "w0")->learning_rate(), expected[3], 1e-15);
}

TEST_F(PolicyTest, InvalidAdaptivePoliciesNameTheField) {
  const auto bad_range = client_->CreateRun(RunWithPolicy("bad", kRampSpec, R"({"monitor":"loss",
      "lr_range_test":{"max_boundaries":0}})"));
  EXPECT_EQ(bad_range.status().message(),
            "policy.lr_range_test.max_boundaries must be positive, got 0");

  const auto bad_follow_up = client_->CreateRun(RunWithPolicy("bad", kRampSpec, R"({"monitor":"loss",
      "lr_range_test":{"max_boundaries":5,
        "follow_up":{"unit":"STEP","schedule":{"constant":{}}}}})"));
  EXPECT_NE(bad_follow_up.status().message().find("follow_up.unit"), std::string::npos)
      << bad_follow_up.status();

  const auto bad_hd = client_->CreateRun(RunWithPolicy("bad", kRampSpec, R"({"monitor":"g",
      "hypergradient_descent":{"hyper_rate":0.1,"min_lr":0.5,"max_lr":0.1}})"));
  EXPECT_EQ(bad_hd.status().message(),
            "policy.hypergradient_descent.max_lr must be at least min_lr 0.5, got 0.1");
}

v1::CreateRunRequest PopulationRun(const std::string& run_id, double base_lr) {
  const std::string spec = absl::StrCat(R"({"base_lr":)", base_lr,
                                        R"(,"unit":"EPOCH","schedule":{"constant":{}}})");
  return RunWithPolicy(run_id, spec.c_str(), R"({"monitor":"loss",
      "population_based_training":{"population":"pop","perturb_factors":[2.0]}})");
}

TEST_F(PolicyTest, PopulationWorstRunTakesTheBestRate) {
  const double rates[] = {0.1, 0.2, 0.3, 0.4};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(client_->CreateRun(PopulationRun(absl::StrCat("p", i + 1), rates[i])).ok());
  }

  // p1..p3 report first and see fewer than 4 results (floor(n * 0.25) < 1), so only p4, the
  // worst of all four, exploits: it takes p1's rate times 2 and p1's checkpoint.
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(
        client_->ReportMetrics(absl::StrCat("p", i + 1), "w0", 0, 0, {{"loss", i + 1.0}}).ok());
  }
  const auto p4 = client_->GetLearningRate("p4", 0, 1, "w0");
  ASSERT_TRUE(p4.ok()) << p4.status();
  EXPECT_NEAR(p4->learning_rate(), 0.2, 1e-15);
  EXPECT_EQ(p4->load_checkpoint_from(), "p1");
  const auto p1 = client_->GetLearningRate("p1", 0, 1, "w0");
  EXPECT_EQ(p1->learning_rate(), 0.1);
  EXPECT_EQ(p1->load_checkpoint_from(), "");
  EXPECT_EQ(client_->ListDecisions("p4")->decisions(0).source_run_id(), "p1");

  // After a restart the population's results are restored: p3 now ranks last of four.
  RestartServer();
  ASSERT_TRUE(client_->ReportMetrics("p3", "w0", 0, 1, {{"loss", 9.0}}).ok());
  const auto p3 = client_->GetLearningRate("p3", 0, 2, "w0");
  ASSERT_TRUE(p3.ok()) << p3.status();
  EXPECT_NEAR(p3->learning_rate(), 0.2, 1e-15);
  EXPECT_EQ(p3->load_checkpoint_from(), "p1");
}

}  // namespace
}  // namespace lrsched
