// Compositions: warmups, sequences and products, nested, with rates computed by hand from the
// formulas in docs/schedules.md.
#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "tests/core/build_from_json.h"

namespace lrsched {
namespace {

using testing::BuildScheduleJson;

// A linear warmup (depth 1) around a product (depth 2) of a sequence (depth 3) and a StepLR.
constexpr char kDepthThreeSchedule[] = R"({"linear_warmup": {
    "warmup_steps": 2, "start_factor": 0.5,
    "schedule": {"product": {"schedules": [
        {"sequence": {"schedules": [{"constant": {}}, {"exponential_lr": {"gamma": 0.5}}],
                      "milestones": [2]}},
        {"step_lr": {"step_size": 3, "gamma": 0.1}}]}}}})";

TEST(Composition, DepthThreeMatchesHandComputedRates) {
  const auto schedule = BuildScheduleJson(kDepthThreeSchedule, /*base_lr=*/0.2);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  // With u = t - 2 after the warmup: product(u) = 0.2 * s(u) * k(u), where the sequence gives
  // s(u) = 1 for u < 2 and 0.5^(u - 2) after, and StepLR gives k(u) = 0.1^floor(u / 3).
  // During the warmup: product(0) * (0.5 + 0.5 * t / 2).
  const double expected[] = {
      0.2 * 0.5,            // t = 0: warmup start.
      0.2 * 0.75,           // t = 1.
      0.2,                  // t = 2: u = 0.
      0.2,                  // u = 1.
      0.2,                  // u = 2: the sequence's exponential starts at its 0.
      0.2 * 0.5 * 0.1,      // u = 3: StepLR's first decay.
      0.2 * 0.25 * 0.1,     // u = 4.
      0.2 * 0.125 * 0.1,    // u = 5.
      0.2 * 0.0625 * 0.01,  // u = 6: StepLR's second decay.
  };
  for (int t = 0; t < 9; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-15) << "position " << t;
  }
}

TEST(Composition, DepthThreeAtFractionalPositions) {
  const auto schedule = BuildScheduleJson(kDepthThreeSchedule, /*base_lr=*/0.2);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  // t = 1.5 is in the warmup: 0.2 * (0.5 + 0.5 * 0.75). t = 6.5 is u = 4.5: the exponential is
  // continuous, 0.5^2.5, and StepLR applies floor(4.5 / 3) = 1 decay.
  EXPECT_NEAR((*schedule)->LearningRateAtFractionalPosition(1.5), 0.2 * 0.875, 1e-15);
  EXPECT_NEAR((*schedule)->LearningRateAtFractionalPosition(6.5), 0.2 * std::pow(0.5, 2.5) * 0.1,
              1e-15);
}

// PyTorch's SequentialLR calls step(0) on the next scheduler at its milestone, so the
// ExponentialLR restarts from base_lr: [0.1, 0.1, 1.0, 0.9, 0.81], not the docstring's
// [0.1, 0.1, 0.9, 0.81, 0.729].
TEST(Sequence, NextScheduleCountsFromZeroAtItsMilestone) {
  const auto schedule = BuildScheduleJson(R"({"sequence": {
      "schedules": [{"constant_lr": {"factor": 0.1, "total_iters": 2}},
                    {"exponential_lr": {"gamma": 0.9}}],
      "milestones": [2]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {0.1, 0.1, 1.0, 0.9, 0.81};
  for (int t = 0; t < 5; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-15) << "position " << t;
  }
}

TEST(Sequence, EqualMilestonesSkipTheScheduleBetweenThem) {
  const auto schedule = BuildScheduleJson(R"({"sequence": {
      "schedules": [{"constant_lr": {"factor": 0.5, "total_iters": 10}},
                    {"constant_lr": {"factor": 0.25, "total_iters": 10}},
                    {"step_lr": {"step_size": 1, "gamma": 0.5}}],
      "milestones": [3, 3]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(2), 0.5);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(3), 1.0);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(4), 0.5);
}

TEST(Sequence, FractionalPositionPicksTheSegmentAndShiftsIt) {
  const auto schedule = BuildScheduleJson(R"({"sequence": {
      "schedules": [{"constant": {}}, {"exponential_lr": {"gamma": 0.25}}],
      "milestones": [2]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_DOUBLE_EQ((*schedule)->LearningRateAtFractionalPosition(1.999), 1.0);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRateAtFractionalPosition(2.5), 0.5);
}

// ChainedScheduler's constructors each apply their position-0 factor, so they compound.
TEST(Product, RatesAtPositionZeroCompound) {
  const auto schedule = BuildScheduleJson(R"({"product": {"schedules": [
      {"linear_lr": {"start_factor": 0.5, "total_iters": 3}},
      {"constant_lr": {"factor": 0.5, "total_iters": 6}}]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(0), 0.25);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(3), 0.5);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(6), 1.0);
}

TEST(Product, UsesEachScheduleRelativeToBaseLr) {
  // CyclicLR sets absolute rates, 0.01 to 0.1, as in PyTorch, and the ExponentialLR multiplies
  // them by 0.5^t.
  const auto schedule = BuildScheduleJson(R"({"product": {"schedules": [
      {"cyclic_lr": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2}},
      {"exponential_lr": {"gamma": 0.5}}]}})",
                                          /*base_lr=*/0.05);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_NEAR((*schedule)->LearningRate(0), 0.01, 1e-17);
  EXPECT_NEAR((*schedule)->LearningRate(2), 0.1 * 0.25, 1e-17);
}

TEST(Warmup, ExponentialGrowsByTheSameFactorEachPosition) {
  const auto schedule = BuildScheduleJson(R"({"exponential_warmup": {
      "warmup_steps": 4, "start_factor": 0.0001, "schedule": {"constant": {}}}})",
                                          0.1);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  // 0.0001^(1 - t / 4): 1e-4, 1e-3, 1e-2, 1e-1 of the rate, then the rate.
  const double expected[] = {1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.1};
  for (int t = 0; t < 6; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-16) << "position " << t;
  }
}

TEST(Warmup, ConstantHoldsAFractionOfTheFirstRate) {
  const auto schedule = BuildScheduleJson(R"({"constant_warmup": {
      "warmup_steps": 2, "factor": 0.1,
      "schedule": {"step_lr": {"step_size": 1, "gamma": 0.5}}}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {0.1, 0.1, 1.0, 0.5, 0.25};
  for (int t = 0; t < 5; ++t) {
    EXPECT_DOUBLE_EQ((*schedule)->LearningRate(t), expected[t]) << "position " << t;
  }
}

// LinearWarmup follows PyTorch's LinearLR factor, start + (1 - start) * t / total_iters,
// applied to the wrapped schedule's first rate.
TEST(Warmup, LinearRampsThenShifts) {
  const auto schedule = BuildScheduleJson(R"({"linear_warmup":{"warmup_steps":4,
      "start_factor":0.5, "schedule":{"step_lr":{"step_size":2,"gamma":0.5}}}})",
                                          0.1);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1, 0.05, 0.05, 0.025};
  for (int t = 0; t < 9; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-15) << "position " << t;
  }
}

constexpr char kOneCycle20[] = R"({"one_cycle_lr": {"max_lr": 1.0, "total_steps": 20}})";

TEST(CompositionEnd, SequenceEndsWhereItsLastScheduleEnds) {
  const auto schedule = BuildScheduleJson(std::string(R"({"sequence": {"schedules": [
      {"constant": {}}, )") + kOneCycle20 +
                                          R"(], "milestones": [5]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  ASSERT_TRUE((*schedule)->end().has_value());
  EXPECT_EQ((*schedule)->end()->last_position, 24);
  EXPECT_TRUE((*schedule)->CheckPosition(24).ok());
  const absl::Status past = (*schedule)->CheckPosition(25);
  EXPECT_EQ(past.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(past.message(),
            "position 25 is past the end of the schedule: its last position is 24 because "
            "schedule.sequence.schedules[1].one_cycle_lr.total_steps is 20");
}

TEST(CompositionEnd, WarmupShiftsTheEnd) {
  const auto schedule = BuildScheduleJson(std::string(R"({"linear_warmup": {
      "warmup_steps": 3, "schedule": )") + kOneCycle20 +
                                          "}}");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  ASSERT_TRUE((*schedule)->end().has_value());
  EXPECT_EQ((*schedule)->end()->last_position, 22);
  EXPECT_EQ((*schedule)->CheckPosition(23).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CompositionEnd, ProductEndsWithItsEarliestSchedule) {
  const auto schedule = BuildScheduleJson(std::string(R"({"product": {"schedules": [
      {"lr_range_test_ramp": {"min_lr": 0.001, "max_lr": 1, "num_steps": 50}}, )") +
                                          kOneCycle20 + "]}}");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  ASSERT_TRUE((*schedule)->end().has_value());
  EXPECT_EQ((*schedule)->end()->last_position, 19);
  EXPECT_NE((*schedule)->CheckPosition(20).message().find("one_cycle_lr.total_steps is 20"),
            std::string::npos);
}

TEST(CompositionEnd, ScheduleWithoutEndHasRateEverywhere) {
  const auto schedule = BuildScheduleJson(R"({"sequence": {"schedules": [
      {"lr_range_test_ramp": {"min_lr": 0.001, "max_lr": 1, "num_steps": 10}},
      {"constant": {}}], "milestones": [10]}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  EXPECT_FALSE((*schedule)->end().has_value());
  EXPECT_TRUE((*schedule)->CheckPosition(std::numeric_limits<int64_t>::max()).ok());
}

}  // namespace
}  // namespace lrsched
