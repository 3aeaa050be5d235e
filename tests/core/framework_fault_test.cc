// The families that document a framework fault: their default, and both behaviours chosen
// with framework_fault.
#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "tests/core/build_from_json.h"

namespace lrsched {
namespace {

using testing::BuildScheduleJson;

// Replaces the placeholder FAULT in `schedule_json` by `choice`. In proto3,
// FRAMEWORK_FAULT_UNSPECIFIED is the same as leaving the field out.
std::string WithFault(std::string schedule_json, const std::string& choice) {
  const size_t at = schedule_json.find("FAULT\"");
  EXPECT_NE(at, std::string::npos) << schedule_json;
  return schedule_json.replace(at, 5, choice);
}

TEST(CosineAnnealingLR, DefaultIsPeriodicAsPyTorch) {
  const auto schedule =
      BuildScheduleJson(R"({"cosine_annealing_lr": {"T_max": 10, "eta_min": 0.1}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_NEAR((*schedule)->LearningRate(10), 0.1, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(20), 1.0, 1e-15);
}

TEST(CosineAnnealingLR, FixHoldsEtaMinFromTMax) {
  const auto schedule = BuildScheduleJson(R"({"cosine_annealing_lr": {"T_max": 10,
      "eta_min": 0.1, "framework_fault": "FRAMEWORK_FAULT_FIX"}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_NEAR((*schedule)->LearningRate(5), 0.55, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(10), 0.1, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(20), 0.1, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRateAtFractionalPosition(1e9 + 0.5), 0.1, 1e-15);
}

// transformers' cosine with 2 warmup and 10 training steps: 0 at step 10, then it rises again
// (base_lr * 0.5 * (1 + cos(pi * 9 / 8)) at step 11) unless the fix keeps it at 0.
constexpr char kTransformersCosine[] = R"({"cosine_schedule_with_warmup": {
    "num_warmup_steps": 2, "num_training_steps": 10, "framework_fault": "FAULT"}})";

TEST(TransformersCosine, DefaultHoldsFinalRate) {
  const auto schedule =
      BuildScheduleJson(WithFault(kTransformersCosine, "FRAMEWORK_FAULT_UNSPECIFIED"), 10.0);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_NEAR((*schedule)->LearningRate(10), 0.0, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(11), 0.0, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(18), 0.0, 1e-15);
}

TEST(TransformersCosine, ReproduceRisesPastTraining) {
  const auto schedule =
      BuildScheduleJson(WithFault(kTransformersCosine, "FRAMEWORK_FAULT_REPRODUCE"), 10.0);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double rising = 10.0 * 0.5 * (1 + std::cos(std::acos(-1.0) * 9 / 8));
  EXPECT_NEAR((*schedule)->LearningRate(11), rising, 1e-14);
  EXPECT_NEAR((*schedule)->LearningRate(18), 10.0, 1e-14);
}

TEST(TransformersCosine, MinLrVariantsHoldTheirMinimumByDefault) {
  for (const std::string family : {"cosine_with_min_lr_schedule_with_warmup",
                                   "cosine_with_min_lr_schedule_with_warmup_lr_rate"}) {
    SCOPED_TRACE(family);
    const auto schedule = BuildScheduleJson(
        R"({")" + family +
        R"(": {"num_warmup_steps": 0, "num_training_steps": 40, "min_lr_rate": 0.1}})");
    ASSERT_TRUE(schedule.ok()) << schedule.status();

    EXPECT_NEAR((*schedule)->LearningRate(60), 0.1, 1e-15);
    EXPECT_NEAR((*schedule)->LearningRate(1000), 0.1, 1e-15);
  }
}

TEST(ConstantLR, ZeroTotalItersGivesBaseLrByDefault) {
  const auto fixed = BuildScheduleJson(R"({"constant_lr": {"factor": 0.25, "total_iters": 0}})");
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_DOUBLE_EQ((*fixed)->LearningRate(0), 1.0);
  EXPECT_DOUBLE_EQ((*fixed)->LearningRate(100), 1.0);
}

TEST(ConstantLR, ReproduceStaysAtTheFactorForever) {
  const auto stuck = BuildScheduleJson(R"({"constant_lr": {"factor": 0.25, "total_iters": 0,
      "framework_fault": "FRAMEWORK_FAULT_REPRODUCE"}})");
  ASSERT_TRUE(stuck.ok()) << stuck.status();
  EXPECT_DOUBLE_EQ((*stuck)->LearningRate(0), 0.25);
  EXPECT_DOUBLE_EQ((*stuck)->LearningRate(std::numeric_limits<int64_t>::max()), 0.25);
}

TEST(LinearLR, ZeroTotalItersGivesEndFactorByDefault) {
  const auto fixed = BuildScheduleJson(
      R"({"linear_lr": {"start_factor": 0.5, "end_factor": 0.8, "total_iters": 0}})");
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_DOUBLE_EQ((*fixed)->LearningRate(0), 0.8);
  EXPECT_DOUBLE_EQ((*fixed)->LearningRate(7), 0.8);
}

TEST(LinearLR, ReproduceStaysAtTheStartFactor) {
  const auto stuck = BuildScheduleJson(R"({"linear_lr": {"start_factor": 0.5, "total_iters": 0,
      "framework_fault": "FRAMEWORK_FAULT_REPRODUCE"}})");
  ASSERT_TRUE(stuck.ok()) << stuck.status();
  EXPECT_DOUBLE_EQ((*stuck)->LearningRate(7), 0.5);
}

// PyTorch 1.13.1 divides by zero at the first step() for start_factor 0, but the closed form
// ramps.
TEST(LinearLR, ZeroStartFactorRamps) {
  const auto schedule =
      BuildScheduleJson(R"({"linear_lr": {"start_factor": 0.0, "total_iters": 4}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(0), 0.0);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(1), 0.25);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(4), 1.0);
}

constexpr char kOneCycle[] = R"({"one_cycle_lr": {"max_lr": 1.0, "total_steps": 20,
    "framework_fault": "FAULT"}})";

TEST(OneCycleLR, DefaultEndsAtTheLastStep) {
  const auto schedule = BuildScheduleJson(WithFault(kOneCycle, "FRAMEWORK_FAULT_UNSPECIFIED"));
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_TRUE((*schedule)->CheckPosition(19).ok());
  const absl::Status past = (*schedule)->CheckPosition(20);
  EXPECT_EQ(past.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(past.message(),
            "position 20 is past the end of the schedule: its last position is 19 because "
            "schedule.one_cycle_lr.total_steps is 20");
  // The minimum, max_lr / (div_factor * final_div_factor), held past the end.
  EXPECT_NEAR((*schedule)->LearningRate(20), 4e-6, 1e-18);
}

TEST(OneCycleLR, ReproduceExtrapolatesOneMoreStep) {
  const auto schedule = BuildScheduleJson(WithFault(kOneCycle, "FRAMEWORK_FAULT_REPRODUCE"));
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_TRUE((*schedule)->CheckPosition(20).ok());
  EXPECT_EQ((*schedule)->CheckPosition(21).code(), absl::StatusCode::kInvalidArgument);
  // The mirror image of step 18, which PyTorch rounds to 0.01254 in its golden recording.
  EXPECT_NEAR((*schedule)->LearningRate(20), (*schedule)->LearningRate(18), 1e-15);
  EXPECT_NEAR((*schedule)->LearningRate(20), 0.01254, 1e-5);
}

TEST(OneCycleLR, ReproduceCannotExtrapolateAPhaseOfNoLength) {
  // pct_start 1 leaves the annealing phase no length: PyTorch divides by zero at total_steps,
  // so the schedule still ends at total_steps - 1.
  const auto schedule = BuildScheduleJson(R"({"one_cycle_lr": {"max_lr": 1.0,
      "total_steps": 20, "pct_start": 1.0, "framework_fault": "FRAMEWORK_FAULT_REPRODUCE"}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ((*schedule)->end()->last_position, 19);
  EXPECT_NEAR((*schedule)->LearningRate(19), 1.0, 1e-15);
}

}  // namespace
}  // namespace lrsched
