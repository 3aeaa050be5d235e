// Positions: exact restart periods, fractional positions, the ends that CheckPosition enforces,
// and every family at the extremes of the int64 range.
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "core/families/restart_periods.h"
#include "gtest/gtest.h"
#include "lrsched/v1/schedule.pb.h"
#include "tests/core/build_from_json.h"

namespace lrsched {
namespace {

using testing::BuildScheduleJson;

constexpr int64_t kMaxPosition = std::numeric_limits<int64_t>::max();

struct PeriodCase {
  std::string name;
  double position;
  int64_t first_length;
  double multiplier;
  int64_t index;
  double start;
  double length;
};

class RestartPeriodTest : public ::testing::TestWithParam<PeriodCase> {};

TEST_P(RestartPeriodTest, FindsThePeriodExactly) {
  const PeriodCase& c = GetParam();
  const RestartPeriod period = FindRestartPeriod(c.position, c.first_length, c.multiplier);
  EXPECT_EQ(period.index, c.index);
  EXPECT_EQ(period.start, c.start);
  EXPECT_EQ(period.length, c.length);
}

INSTANTIATE_TEST_SUITE_P(
    Periods, RestartPeriodTest,
    ::testing::Values(
        // PyTorch's step(121) computes int(math.log(243, 3)) = 4 and misses this restart.
        PeriodCase{"PowersOfThreeRestartAt121", 121, 1, 3, 5, 121, 243},
        PeriodCase{"PowersOfThreeJustBefore121", 120.999, 1, 3, 4, 40, 81},
        // And math.log(1000, 10) = 2.9999999999999996 misses the restart at 111.
        PeriodCase{"PowersOfTenRestartAt111", 111, 1, 10, 3, 111, 1000},
        PeriodCase{"EqualPeriods", 25, 10, 1, 2, 20, 10},
        PeriodCase{"FractionalPositionInFirstPeriod", 1.5, 2, 2, 0, 0, 2},
        // 4 + 4 * 1.5 = 10 is a restart: the long double powers of 1.5 are exact.
        PeriodCase{"NonIntegralMultiplierRestartAt10", 10, 4, 1.5, 2, 10, 9},
        PeriodCase{"NonIntegralMultiplierJustBefore10", 9.999, 4, 1.5, 1, 4, 6},
        // 2^63 - 1 = 1 + 2 + ... + 2^62 starts period 63, whose length leaves int64.
        PeriodCase{"DoublingAtTheLargestPosition", 9223372036854775807.0, 1, 2, 63,
                   9223372036854775807.0, 9223372036854775808.0},
        PeriodCase{"HugeMultiplier", 5, 1, 1e30, 1, 1, 1e30}),
    [](const auto& info) { return info.param.name; });

TEST(CheckPosition, RejectsNegativePositions) {
  const auto schedule = BuildScheduleJson(R"({"constant": {}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const absl::Status status = (*schedule)->CheckPosition(-1);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "position must be zero or positive, got -1");
  EXPECT_TRUE((*schedule)->CheckPosition(kMaxPosition).ok());
}

TEST(LrRangeTestRamp, ExponentialRampEndsAtMaxLr) {
  const auto schedule = BuildScheduleJson(
      R"({"lr_range_test_ramp": {"min_lr": 0.0001, "max_lr": 1, "num_steps": 5}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  for (int t = 0; t < 5; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-15) << "position " << t;
  }
  EXPECT_EQ((*schedule)->CheckPosition(5).message(),
            "position 5 is past the end of the schedule: its last position is 4 because "
            "schedule.lr_range_test_ramp.num_steps is 5");
}

TEST(LrRangeTestRamp, LinearRampCanStartAtZero) {
  const auto schedule = BuildScheduleJson(
      R"({"lr_range_test_ramp": {"min_lr": 0, "max_lr": 1, "num_steps": 5, "ramp": "LINEAR"}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {0.0, 0.25, 0.5, 0.75, 1.0};
  for (int t = 0; t < 5; ++t) {
    EXPECT_DOUBLE_EQ((*schedule)->LearningRate(t), expected[t]) << "position " << t;
  }
  EXPECT_DOUBLE_EQ((*schedule)->LearningRateAtFractionalPosition(0.5), 0.125);
}

TEST(FractionalPosition, WholePositionFamiliesHoldTheirRate) {
  const auto step = BuildScheduleJson(R"({"step_lr": {"step_size": 3, "gamma": 0.5}})");
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ((*step)->LearningRateAtFractionalPosition(2.999), 1.0);
  EXPECT_EQ((*step)->LearningRateAtFractionalPosition(3.0), 0.5);

  const auto piecewise = BuildScheduleJson(
      R"({"piecewise_constant_decay": {"boundaries": [10], "values": [1.0, 0.1]}})");
  ASSERT_TRUE(piecewise.ok()) << piecewise.status();
  EXPECT_EQ((*piecewise)->LearningRateAtFractionalPosition(10.5), 1.0);
  EXPECT_EQ((*piecewise)->LearningRateAtFractionalPosition(11.0), 0.1);
}

TEST(FractionalPosition, WarmRestartsFollowTheEpochFraction) {
  const auto schedule = BuildScheduleJson(
      R"({"cosine_annealing_warm_restarts": {"T_0": 2, "T_mult": 2, "eta_min": 0.0}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  // The second period runs from epoch 2 to 6: epoch 3.2 is 1.2 of its 4 epochs.
  const double expected = 0.5 * (1 + std::cos(std::numbers::pi * 1.2 / 4));
  EXPECT_NEAR((*schedule)->LearningRateAtFractionalPosition(3.2), expected, 1e-15);
  EXPECT_EQ((*schedule)->LearningRateAtFractionalPosition(6.0), 1.0);
}

TEST(CosineDecayRestarts, NonIntegralTMulRestartsExactly) {
  const auto schedule = BuildScheduleJson(R"({"cosine_decay_restarts": {
      "initial_learning_rate": 1.0, "first_decay_steps": 4, "t_mul": 1.5, "m_mul": 0.5}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  // Periods [0, 4), [4, 10), [10, 19): step 9 is 5/6 of the second period, step 10 restarts
  // the third at m_mul^2.
  const double ninth = 0.5 * 0.5 * (1 + std::cos(std::numbers::pi * 5 / 6));
  EXPECT_NEAR((*schedule)->LearningRate(9), ninth, 1e-15);
  EXPECT_EQ((*schedule)->LearningRate(10), 0.25);
}

TEST(CosineDecayRestarts, TMulJustAboveOneStaysFinite) {
  // The smallest double above 1: the index estimate divides by log(t_mul), about 2.2e-16.
  const auto schedule = BuildScheduleJson(R"({"cosine_decay_restarts": {
      "first_decay_steps": 1, "t_mul": 1.0000000000000002}})");
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  for (const double position : {0.0, 1.0, 1e6 + 0.5, 1e18, 1e300}) {
    const double rate = (*schedule)->LearningRateAtFractionalPosition(position);
    EXPECT_TRUE(std::isfinite(rate)) << "position " << position << ": " << rate;
    EXPECT_GE(rate, 0) << "position " << position;
  }
  EXPECT_EQ((*schedule)->LearningRate(0), 1.0);
  EXPECT_EQ((*schedule)->LearningRate(1), 1.0);
}

// One spec per family, with decaying parameters so that every rate stays finite.
const std::vector<std::pair<std::string, std::string>>& EveryFamily() {
  static const auto* families = new std::vector<std::pair<std::string, std::string>>{
      {"constant", R"({})"},
      {"step_lr", R"({"step_size": 3})"},
      {"multi_step_lr", R"({"milestones": [3, 9223372036854775807]})"},
      {"constant_lr", R"({})"},
      {"linear_lr", R"({})"},
      {"exponential_lr", R"({"gamma": 0.9})"},
      {"multiplicative_lr", R"({"factor": 0.9})"},
      {"polynomial_lr", R"({"total_iters": 9223372036854775807})"},
      {"cosine_annealing_lr", R"({"T_max": 9223372036854775807})"},
      {"cosine_annealing_warm_restarts", R"({"T_0": 3, "T_mult": 2})"},
      {"cyclic_lr", R"({"max_lr": 2, "step_size_up": 3, "mode": "triangular2"})"},
      {"one_cycle_lr", R"({"total_steps": 9223372036854775807})"},
      {"exponential_decay", R"({"decay_steps": 7, "decay_rate": 0.5})"},
      {"cosine_decay",
       R"({"decay_steps": 9223372036854775807, "warmup_target": 2, "warmup_steps": 5})"},
      {"piecewise_constant_decay", R"({"boundaries": [1, 9223372036854775807],
                                       "values": [1, 0.5, 0.25]})"},
      {"polynomial_decay", R"({"decay_steps": 7, "cycle": true})"},
      {"inverse_time_decay", R"({"decay_steps": 7, "decay_rate": 0.5, "staircase": true})"},
      {"cosine_decay_restarts", R"({"first_decay_steps": 3, "t_mul": 1.5, "m_mul": 0.9})"},
      {"constant_schedule_with_warmup", R"({"num_warmup_steps": 9223372036854775807})"},
      {"linear_schedule_with_warmup",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807})"},
      {"cosine_schedule_with_warmup",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807})"},
      {"cosine_with_hard_restarts_schedule_with_warmup",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807,
           "num_cycles": 1e9})"},
      {"polynomial_decay_schedule_with_warmup",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807})"},
      {"inverse_sqrt_schedule", R"({"num_warmup_steps": 3})"},
      {"wsd_schedule", R"({"num_warmup_steps": 3, "num_decay_steps": 9223372036854775800,
                           "num_stable_steps": 4})"},
      {"cosine_with_min_lr_schedule_with_warmup",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807,
           "min_lr": 0.1})"},
      {"cosine_with_min_lr_schedule_with_warmup_lr_rate",
       R"({"num_warmup_steps": 3, "num_training_steps": 9223372036854775807,
           "min_lr_rate": 0.1, "warmup_lr_rate": 0.01})"},
      {"lr_range_test_ramp", R"({"min_lr": 1e-7, "max_lr": 10, "num_steps": 9223372036854775807})"},
      {"linear_warmup", R"({"warmup_steps": 9223372036854775807, "schedule": {"constant": {}}})"},
      {"exponential_warmup", R"({"warmup_steps": 9223372036854775807, "start_factor": 1e-3,
                                 "schedule": {"exponential_lr": {"gamma": 0.5}}})"},
      {"constant_warmup", R"({"warmup_steps": 5, "factor": 0.5,
                              "schedule": {"one_cycle_lr": {"total_steps": 10}}})"},
      {"sequence", R"({"schedules": [{"constant": {}}, {"cyclic_lr": {"max_lr": 0.5}}],
                       "milestones": [9223372036854775807]})"},
      {"product", R"({"schedules": [{"step_lr": {"step_size": 1, "gamma": 0.5}},
                                    {"cosine_decay_restarts": {"first_decay_steps": 1}}]})"},
  };
  return *families;
}

TEST(EveryFamily, IsInTheExtremesTable) {
  std::set<std::string> listed;
  for (const auto& [family, fields] : EveryFamily()) listed.insert(family);
  const auto* oneof = v1::Schedule::descriptor()->FindOneofByName("family");
  for (int i = 0; i < oneof->field_count(); ++i) {
    EXPECT_EQ(listed.count(oneof->field(i)->name()), 1u) << oneof->field(i)->name();
  }
}

TEST(EveryFamily, GivesFiniteRatesAtExtremePositions) {
  const std::vector<int64_t> positions = {0, 1, (int64_t{1} << 53) + 1, kMaxPosition - 1,
                                          kMaxPosition};
  for (const auto& [family, fields] : EveryFamily()) {
    SCOPED_TRACE(family);
    const auto schedule = BuildScheduleJson(R"({")" + family + R"(": )" + fields + "}", 0.5);
    ASSERT_TRUE(schedule.ok()) << schedule.status();

    for (const int64_t position : positions) {
      const double rate = (*schedule)->LearningRate(position);
      EXPECT_TRUE(std::isfinite(rate)) << "position " << position << ": " << rate;
      EXPECT_GE(rate, 0) << "position " << position;
    }
    for (const double position : {0.5, 123456.5, 1e300}) {
      const double rate = (*schedule)->LearningRateAtFractionalPosition(position);
      EXPECT_TRUE(std::isfinite(rate)) << "position " << position << ": " << rate;
      EXPECT_GE(rate, 0) << "position " << position;
    }
  }
}

}  // namespace
}  // namespace lrsched
