// Spec validation: every bad value is rejected with INVALID_ARGUMENT naming its path.
#include "core/schedule_builder.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/spec_json.h"
#include "gtest/gtest.h"

namespace lrsched {
namespace {

absl::Status BuildFromJson(const std::string& json) {
  const auto spec = ParseSpecJson(json);
  if (!spec.ok()) return spec.status();
  return BuildSchedule(*spec).status();
}

struct BadSpec {
  std::string name;
  std::string json;
  std::string expected_message_part;
};

class BadSpecTest : public ::testing::TestWithParam<BadSpec> {};

TEST_P(BadSpecTest, RejectedNamingTheField) {
  const BadSpec& bad = GetParam();
  SCOPED_TRACE(bad.json);
  const absl::Status status = BuildFromJson(bad.json);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find(bad.expected_message_part), std::string::npos)
      << "message: " << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Specs, BadSpecTest,
    ::testing::Values(
        BadSpec{"MissingBaseLr", R"({"unit":"EPOCH","schedule":{"constant":{}}})",
                "base_lr must be positive and finite, got 0"},
        BadSpec{"NegativeBaseLr", R"({"base_lr":-0.1,"unit":"EPOCH","schedule":{"constant":{}}})",
                "base_lr must be positive and finite, got -0.1"},
        BadSpec{"NanBaseLr", R"({"base_lr":"NaN","unit":"EPOCH","schedule":{"constant":{}}})",
                "base_lr must be positive and finite, got nan"},
        BadSpec{"InfiniteBaseLr",
                R"({"base_lr":"Infinity","unit":"EPOCH","schedule":{"constant":{}}})",
                "base_lr must be positive and finite, got inf"},
        BadSpec{"MissingUnit", R"({"base_lr":0.1,"schedule":{"constant":{}}})",
                "unit is missing"},
        BadSpec{"MissingSchedule", R"({"base_lr":0.1,"unit":"STEP"})", "schedule is missing"},
        BadSpec{"EmptySchedule", R"({"base_lr":0.1,"unit":"STEP","schedule":{}})",
                "schedule names no schedule family"},
        BadSpec{"ZeroStepSize",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":0}}})",
                "schedule.step_lr.step_size must be positive, got 0"},
        BadSpec{"NegativeGamma",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"step_lr":{"step_size":2,"gamma":-0.5}}})",
                "schedule.step_lr.gamma must be positive and finite, got -0.5"},
        BadSpec{"ZeroGamma",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"multi_step_lr":{"milestones":[2],"gamma":0}}})",
                "schedule.multi_step_lr.gamma must be positive and finite, got 0"},
        BadSpec{"NegativeMilestone",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"multi_step_lr":{"milestones":[2,-3]}}})",
                "schedule.multi_step_lr.milestones[1] must be zero or positive, got -3"},
        BadSpec{"ZeroDecaySteps",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"exponential_decay":{"decay_steps":0,"decay_rate":0.9}}})",
                "schedule.exponential_decay.decay_steps must be positive, got 0"},
        BadSpec{"MissingDecayRate",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"exponential_decay":{"decay_steps":10}}})",
                "schedule.exponential_decay.decay_rate must be positive and finite, got 0"},
        BadSpec{"NanInitialLearningRate",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"cosine_decay":{"decay_steps":10,"initial_learning_rate":"NaN"}}})",
                "schedule.cosine_decay.initial_learning_rate must be positive and finite"},
        BadSpec{"AlphaAboveOne",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"cosine_decay":{"decay_steps":10,"alpha":1.5}}})",
                "schedule.cosine_decay.alpha must be in [0, 1], got 1.5"},
        BadSpec{"ZeroTMax",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"cosine_annealing_lr":{"T_max":0}}})",
                "schedule.cosine_annealing_lr.t_max must be positive, got 0"},
        BadSpec{"NegativeEtaMin",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"cosine_annealing_lr":{"t_max":5,"eta_min":-1}}})",
                "schedule.cosine_annealing_lr.eta_min must be zero or positive and finite"},
        BadSpec{"WarmupWithoutSchedule",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"linear_warmup":{"warmup_steps":3}}})",
                "schedule.linear_warmup.schedule is missing"},
        BadSpec{"NestedBadField",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"linear_warmup":{"warmup_steps":3,
                    "schedule":{"cosine_annealing_lr":{"t_max":-4}}}}})",
                "schedule.linear_warmup.schedule.cosine_annealing_lr.t_max must be positive, "
                "got -4"},
        BadSpec{"StartFactorAboveOne",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"linear_warmup":{"warmup_steps":3,
                    "start_factor":2,"schedule":{"constant":{}}}}})",
                "schedule.linear_warmup.start_factor must be in [0, 1], got 2"},
        BadSpec{"WrongTypeInJson",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":"three"}}})",
                "step_size"},
        BadSpec{"UnknownField",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step":3}}})", "step"},
        BadSpec{"UnknownUnit", R"({"base_lr":0.1,"unit":"HOUR","schedule":{"constant":{}}})",
                "unit"},
        BadSpec{"NotJson", "base_lr: 0.1", "invalid schedule spec JSON"}),
    [](const auto& info) { return info.param.name; });

TEST(ScheduleBuilder, RejectsNestingDeeperThanTheLimit) {
  std::string json = R"({"constant":{}})";
  for (int i = 0; i < kMaxScheduleDepth; ++i) {
    json = R"({"linear_warmup":{"warmup_steps":1,"schedule":)" + json + "}}";
  }
  const absl::Status status =
      BuildFromJson(R"({"base_lr":0.1,"unit":"STEP","schedule":)" + json + "}");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find("levels deep"), std::string::npos) << status;
}

TEST(ScheduleBuilder, GammaDefaultsToPyTorchValue) {
  const auto spec = ParseSpecJson(
      R"({"base_lr":1.0,"unit":"EPOCH","schedule":{"step_lr":{"step_size":2}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  const auto schedule = BuildSchedule(*spec);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  // torch.optim.lr_scheduler.StepLR documents gamma=0.1 as its default.
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(2), 0.1);
}

// LinearWarmup follows PyTorch's LinearLR factor, start + (1 - start) * t / total_iters,
// applied to the wrapped schedule's first rate.
TEST(LinearWarmup, RampsToTheWrappedScheduleThenShiftsIt) {
  const auto spec = ParseSpecJson(R"({"base_lr":0.1,"unit":"EPOCH","schedule":{
      "linear_warmup":{"warmup_steps":4,"start_factor":0.5,
                       "schedule":{"step_lr":{"step_size":2,"gamma":0.5}}}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  const auto schedule = BuildSchedule(*spec);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  const double expected[] = {0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1, 0.05, 0.05, 0.025};
  for (int t = 0; t < 9; ++t) {
    EXPECT_NEAR((*schedule)->LearningRate(t), expected[t], 1e-15) << "position " << t;
  }
}

TEST(SpecJson, PrintsProtoFieldNamesAndParsesThemBack) {
  const auto spec = ParseSpecJson(
      R"({"base_lr":0.1,"unit":"STEP","schedule":{"exponential_decay":{"decaySteps":10,
          "decay_rate":0.5,"staircase":true}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();

  const std::string json = SpecToJson(*spec);
  EXPECT_NE(json.find("\"decay_steps\""), std::string::npos) << json;
  const auto again = ParseSpecJson(json);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), spec->SerializeAsString());
}

}  // namespace
}  // namespace lrsched
