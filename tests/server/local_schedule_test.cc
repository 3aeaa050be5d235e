// LocalSchedule against the server: for every golden case of every supported family, and for
// runs with decisions, the rate computed locally must equal the rate the server returns.
#include "client/local_schedule.h"

#include <string>
#include <vector>

#include "core/policy/policy_json.h"
#include "core/spec_json.h"
#include "gtest/gtest.h"
#include "tests/core/golden_cases.h"
#include "tests/server/server_fixture.h"

namespace lrsched {
namespace {

using LocalScheduleTest = testing::ServerFixture;

constexpr int64_t kPositionsChecked = 40;

void ExpectLocalEqualsServer(Client& client, const std::string& run_id, int64_t positions,
                             int64_t lease_positions) {
  LocalSchedule local(&client, run_id, "w-local", lease_positions);
  for (int64_t position = 0; position < positions; ++position) {
    const auto remote = client.GetLearningRate(run_id, position, position, "w-remote");
    const auto computed = local.LearningRate(position, position);
    ASSERT_EQ(remote.ok(), computed.ok())
        << "position " << position << ": " << remote.status() << " / " << computed.status();
    if (!remote.ok()) continue;
    EXPECT_EQ(*computed, remote->learning_rate()) << "position " << position;
  }
}

TEST_F(LocalScheduleTest, EqualsServerForEveryGoldenFamily) {
  const char* files[] = {"torch/step_lr.json",        "torch/multistep_lr.json",
                         "torch/cosine_annealing_lr.json", "torch/sequential_lr.json",
                         "torch/constant_lr.json",    "torch/linear_lr.json",
                         "torch/exponential_lr.json", "torch/polynomial_lr.json",
                         "torch/cyclic_lr.json",      "torch/one_cycle_lr.json",
                         "torch/cosine_annealing_warm_restarts.json",
                         "torch/chained_scheduler.json", "torch/hf_schedules.json",
                         "keras/exponential_decay.json", "keras/cosine_decay.json",
                         "keras/cosine_decay_restarts.json", "keras/piecewise_constant_decay.json",
                         "keras/polynomial_decay.json", "keras/inverse_time_decay.json"};
  int checked = 0;
  for (const char* file : files) {
    for (const auto& golden : testing::LoadGoldenCases(file)) {
      const auto spec_json = testing::SpecJsonFor(golden);
      if (!spec_json) continue;
      SCOPED_TRACE(golden.id + " " + *spec_json);
      v1::CreateRunRequest request;
      request.set_run_id(golden.id);
      auto spec = ParseSpecJson(*spec_json);
      ASSERT_TRUE(spec.ok()) << spec.status();
      *request.mutable_spec() = *spec;
      const auto created = client_->CreateRun(request);
      ASSERT_TRUE(created.ok()) << created.status();
      ExpectLocalEqualsServer(*client_, golden.id, kPositionsChecked, /*lease_positions=*/7);
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(LocalScheduleTest, LeaseHoldsBackLaterDecisions) {
  v1::CreateRunRequest request;
  request.set_run_id("steered");
  auto spec = ParseSpecJson(
      R"({"base_lr":0.1,"unit":"STEP","schedule":{"cosine_annealing_lr":{"T_max":50}}})");
  ASSERT_TRUE(spec.ok());
  *request.mutable_spec() = *spec;
  ASSERT_TRUE(client_->CreateRun(request).ok());

  LocalSchedule local(client_.get(), "steered", "w0", /*lease_positions=*/10);
  ASSERT_TRUE(local.LearningRate(0, 0).ok());

  // Positions 0..9 are leased, so a decision there is rejected and one at 10 is accepted.
  v1::UpdateScheduleRequest update;
  update.set_run_id("steered");
  update.set_reason("test");
  update.set_scale(0.5);
  update.set_effective_position(9);
  EXPECT_EQ(client_->UpdateSchedule(update).status().code(),
            absl::StatusCode::kFailedPrecondition);
  update.set_effective_position(10);
  ASSERT_TRUE(client_->UpdateSchedule(update).ok());

  ExpectLocalEqualsServer(*client_, "steered", 30, /*lease_positions=*/10);
  const auto at_ten = local.LearningRate(10, 0);
  ASSERT_TRUE(at_ten.ok());
  EXPECT_EQ(local.schedule_version(), 2);
  EXPECT_EQ(local.lease_count(), 2);
}

TEST_F(LocalScheduleTest, PolicyRunsRenewAtEachBoundary) {
  v1::CreateRunRequest request;
  request.set_run_id("plateau");
  auto spec = ParseSpecJson(R"({"base_lr":1.0,"unit":"EPOCH","schedule":{"constant":{}}})");
  auto policy = ParsePolicyJson(
      R"({"monitor":"loss","reduce_lr_on_plateau":{"factor":0.5,"patience":0}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_TRUE(policy.ok()) << policy.status();
  *request.mutable_spec() = *spec;
  *request.mutable_policy() = *policy;
  ASSERT_TRUE(client_->CreateRun(request).ok());

  // The loss never improves after epoch 0, so the rate halves at every later boundary.
  LocalSchedule local(client_.get(), "plateau", "w0");
  const double expected[] = {1.0, 1.0, 0.5, 0.25, 0.125};
  for (int epoch = 0; epoch < 5; ++epoch) {
    const auto rate = local.LearningRate(epoch * 100, epoch);
    ASSERT_TRUE(rate.ok()) << rate.status();
    EXPECT_EQ(*rate, expected[epoch]) << "epoch " << epoch;
    EXPECT_EQ(*rate, client_->GetLearningRate("plateau", epoch * 100, epoch, "w1")->learning_rate());
    ASSERT_TRUE(client_->ReportMetrics("plateau", "w0", epoch * 100, epoch, {{"loss", 1.0}}).ok());
  }
  EXPECT_EQ(local.lease_count(), 5);
}

}  // namespace
}  // namespace lrsched
