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

// A spec with base_lr 0.1 and unit STEP around one Schedule message.
std::string Spec(const std::string& schedule) {
  return R"({"base_lr":0.1,"unit":"STEP","schedule":)" + schedule + "}";
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
                "schedule names no schedule family: set one of constant, step_lr,"},
        BadSpec{"ZeroStepSize",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":0}}})",
                "schedule.step_lr.step_size must be positive, got 0"},
        BadSpec{"NegativeGamma",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"step_lr":{"step_size":2,"gamma":-0.5}}})",
                "schedule.step_lr.gamma must be positive and finite, got -0.5"},
        BadSpec{"NanGamma", Spec(R"({"step_lr":{"step_size":2,"gamma":"NaN"}})"),
                "schedule.step_lr.gamma must be positive and finite, got nan"},
        BadSpec{"InfiniteGamma", Spec(R"({"step_lr":{"step_size":2,"gamma":"Infinity"}})"),
                "schedule.step_lr.gamma must be positive and finite, got inf"},
        BadSpec{"ZeroGamma",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"multi_step_lr":{"milestones":[2],"gamma":0}}})",
                "schedule.multi_step_lr.gamma must be positive and finite, got 0"},
        BadSpec{"NegativeMilestone",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"multi_step_lr":{"milestones":[2,-3]}}})",
                "schedule.multi_step_lr.milestones[1] must be zero or positive, got -3"},
        BadSpec{"ConstantFactorAboveOne", Spec(R"({"constant_lr":{"factor":1.5}})"),
                "schedule.constant_lr.factor must be in [0, 1], got 1.5"},
        BadSpec{"ConstantNanFactor", Spec(R"({"constant_lr":{"factor":"NaN"}})"),
                "schedule.constant_lr.factor must be in [0, 1], got nan"},
        BadSpec{"ConstantNegativeTotalIters", Spec(R"({"constant_lr":{"total_iters":-1}})"),
                "schedule.constant_lr.total_iters must be zero or positive, got -1"},
        BadSpec{"LinearNegativeEndFactor", Spec(R"({"linear_lr":{"end_factor":-0.5}})"),
                "schedule.linear_lr.end_factor must be in [0, 1], got -0.5"},
        BadSpec{"ExponentialMissingGamma", Spec(R"({"exponential_lr":{}})"),
                "schedule.exponential_lr.gamma is missing: set the factor"},
        BadSpec{"ExponentialZeroGamma", Spec(R"({"exponential_lr":{"gamma":0}})"),
                "schedule.exponential_lr.gamma must be positive and finite, got 0"},
        BadSpec{"MultiplicativeMissingFactor", Spec(R"({"multiplicative_lr":{}})"),
                "schedule.multiplicative_lr.factor is missing"},
        BadSpec{"PolynomialZeroTotalIters", Spec(R"({"polynomial_lr":{"total_iters":0}})"),
                "schedule.polynomial_lr.total_iters must be positive, got 0"},
        BadSpec{"PolynomialNegativePower", Spec(R"({"polynomial_lr":{"power":-1}})"),
                "schedule.polynomial_lr.power must be zero or positive and finite, got -1"},
        BadSpec{"ZeroTMax",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"cosine_annealing_lr":{"T_max":0}}})",
                "schedule.cosine_annealing_lr.t_max must be positive, got 0"},
        BadSpec{"NegativeEtaMin",
                R"({"base_lr":0.1,"unit":"EPOCH",
                    "schedule":{"cosine_annealing_lr":{"t_max":5,"eta_min":-1}}})",
                "schedule.cosine_annealing_lr.eta_min must be zero or positive and finite"},
        BadSpec{"UnknownFrameworkFaultName",
                Spec(R"({"cosine_annealing_lr":{"T_max":5,"framework_fault":"SOMETIMES"}})"),
                "framework_fault"},
        BadSpec{"UnknownFrameworkFaultNumber",
                Spec(R"({"cosine_annealing_lr":{"T_max":5,"framework_fault":7}})"),
                "schedule.cosine_annealing_lr.framework_fault must be FRAMEWORK_FAULT_REPRODUCE, "
                "FRAMEWORK_FAULT_FIX or unset, got 7"},
        BadSpec{"ZeroT0", Spec(R"({"cosine_annealing_warm_restarts":{"T_0":0}})"),
                "schedule.cosine_annealing_warm_restarts.t_0 must be positive, got 0"},
        BadSpec{"TMultBelowOne",
                Spec(R"({"cosine_annealing_warm_restarts":{"T_0":5,"T_mult":0}})"),
                "schedule.cosine_annealing_warm_restarts.t_mult must be at least 1, got 0"},
        BadSpec{"FractionalTMult",
                Spec(R"({"cosine_annealing_warm_restarts":{"T_0":5,"T_mult":1.5}})"),
                "cosine_annealing_warm_restarts.t_mult): invalid value 1.5 for type TYPE_INT64"},
        BadSpec{"WarmRestartsNanEtaMin",
                Spec(R"({"cosine_annealing_warm_restarts":{"T_0":5,"eta_min":"NaN"}})"),
                "schedule.cosine_annealing_warm_restarts.eta_min must be zero or positive and "
                "finite, got nan"},
        BadSpec{"CyclicMissingMaxLr", Spec(R"({"cyclic_lr":{"base_lr":0.01}})"),
                "schedule.cyclic_lr.max_lr is missing"},
        BadSpec{"CyclicInfiniteMaxLr", Spec(R"({"cyclic_lr":{"max_lr":"Infinity"}})"),
                "schedule.cyclic_lr.max_lr must be zero or positive and finite, got inf"},
        BadSpec{"CyclicNegativeBaseLr", Spec(R"({"cyclic_lr":{"base_lr":-0.1,"max_lr":1}})"),
                "schedule.cyclic_lr.base_lr must be zero or positive and finite, got -0.1"},
        BadSpec{"CyclicUnknownMode", Spec(R"({"cyclic_lr":{"max_lr":1,"mode":"sine"}})"),
                R"(schedule.cyclic_lr.mode must be one of "triangular", "triangular2", )"
                R"("exp_range", got "sine")"},
        BadSpec{"CyclicModeOfWrongType", Spec(R"({"cyclic_lr":{"max_lr":1,"mode":3}})"),
                "mode"},
        BadSpec{"CyclicZeroStepSizeUp", Spec(R"({"cyclic_lr":{"max_lr":1,"step_size_up":0}})"),
                "schedule.cyclic_lr.step_size_up must be positive, got 0"},
        BadSpec{"CyclicNegativeStepSizeDown",
                Spec(R"({"cyclic_lr":{"max_lr":1,"step_size_down":-1}})"),
                "schedule.cyclic_lr.step_size_down must be zero or positive, got -1"},
        BadSpec{"CyclicCycleLengthOverflows",
                Spec(R"({"cyclic_lr":{"max_lr":1,"step_size_up":9223372036854775807,
                                      "step_size_down":9223372036854775807}})"),
                "schedule.cyclic_lr.step_size_up + step_size_down is 9223372036854775807 + "
                "9223372036854775807, beyond the largest position"},
        BadSpec{"CyclicMomentum", Spec(R"({"cyclic_lr":{"max_lr":1,"cycle_momentum":true}})"),
                "schedule.cyclic_lr.cycle_momentum must be false or unset"},
        BadSpec{"CyclicMomentumOfWrongType",
                Spec(R"({"cyclic_lr":{"max_lr":1,"cycle_momentum":"yes"}})"), "cycle_momentum"},
        BadSpec{"OneCycleWithoutLength", Spec(R"({"one_cycle_lr":{"max_lr":1}})"),
                "schedule.one_cycle_lr.total_steps is missing: set total_steps, or epochs and "
                "steps_per_epoch"},
        BadSpec{"OneCycleBothLengths",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"epochs":2,"steps_per_epoch":5}})"),
                "schedule.one_cycle_lr sets both total_steps and epochs or steps_per_epoch"},
        BadSpec{"OneCycleEpochsOnly", Spec(R"({"one_cycle_lr":{"epochs":2}})"),
                "schedule.one_cycle_lr.steps_per_epoch must be positive, got 0"},
        BadSpec{"OneCycleNegativeTotalSteps", Spec(R"({"one_cycle_lr":{"total_steps":-5}})"),
                "schedule.one_cycle_lr.total_steps must be positive, got -5"},
        BadSpec{"OneCycleLengthOverflows",
                Spec(R"({"one_cycle_lr":{"epochs":4611686018427387904,"steps_per_epoch":4}})"),
                "schedule.one_cycle_lr.epochs * steps_per_epoch is 4611686018427387904 * 4, "
                "beyond the largest position"},
        BadSpec{"OneCycleRisingPhaseOfNoLength",
                Spec(R"({"one_cycle_lr":{"max_lr":1,"total_steps":10,"pct_start":0.1}})"),
                "schedule.one_cycle_lr.pct_start is 0.1 with 10 total steps, which gives the "
                "rising phase no length"},
        BadSpec{"OneCyclePctStartAboveOne",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"pct_start":1.5}})"),
                "schedule.one_cycle_lr.pct_start must be in [0, 1], got 1.5"},
        BadSpec{"OneCycleUnknownAnneal",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"anneal_strategy":"cosine"}})"),
                R"(schedule.one_cycle_lr.anneal_strategy must be one of "cos", "linear", )"
                R"(got "cosine")"},
        BadSpec{"OneCycleZeroDivFactor",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"div_factor":0}})"),
                "schedule.one_cycle_lr.div_factor must be positive and finite, got 0"},
        BadSpec{"OneCycleNegativeMaxLr",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"max_lr":-1}})"),
                "schedule.one_cycle_lr.max_lr must be positive and finite, got -1"},
        BadSpec{"OneCycleMomentum",
                Spec(R"({"one_cycle_lr":{"total_steps":10,"cycle_momentum":true}})"),
                "schedule.one_cycle_lr.cycle_momentum must be false or unset"},
        BadSpec{"ZeroDecaySteps",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"exponential_decay":{"decay_steps":0,"decay_rate":0.9}}})",
                "schedule.exponential_decay.decay_steps must be positive, got 0"},
        BadSpec{"MissingDecayRate",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"exponential_decay":{"decay_steps":10}}})",
                "schedule.exponential_decay.decay_rate must be positive and finite, got 0"},
        BadSpec{"NegativeInitialLearningRate",
                Spec(R"({"exponential_decay":{"decay_steps":10,"decay_rate":0.5,
                                              "initial_learning_rate":-1}})"),
                "schedule.exponential_decay.initial_learning_rate must be zero or positive and "
                "finite, got -1"},
        BadSpec{"NanInitialLearningRate",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"cosine_decay":{"decay_steps":10,"initial_learning_rate":"NaN"}}})",
                "schedule.cosine_decay.initial_learning_rate must be zero or positive and "
                "finite, got nan"},
        BadSpec{"AlphaAboveOne",
                R"({"base_lr":0.1,"unit":"STEP",
                    "schedule":{"cosine_decay":{"decay_steps":10,"alpha":1.5}}})",
                "schedule.cosine_decay.alpha must be in [0, 1], got 1.5"},
        BadSpec{"CosineDecayWarmupWithoutTarget",
                Spec(R"({"cosine_decay":{"decay_steps":10,"warmup_steps":5}})"),
                "schedule.cosine_decay.warmup_steps is 5 but schedule.cosine_decay.warmup_target "
                "is missing"},
        BadSpec{"CosineDecayInfiniteWarmupTarget",
                Spec(R"({"cosine_decay":{"decay_steps":10,"warmup_target":"Infinity"}})"),
                "schedule.cosine_decay.warmup_target must be zero or positive and finite, got inf"},
        BadSpec{"PolynomialDecayZeroDecaySteps",
                Spec(R"({"polynomial_decay":{"decay_steps":0}})"),
                "schedule.polynomial_decay.decay_steps must be positive, got 0"},
        BadSpec{"PolynomialDecayNanEnd",
                Spec(R"({"polynomial_decay":{"decay_steps":10,"end_learning_rate":"NaN"}})"),
                "schedule.polynomial_decay.end_learning_rate must be zero or positive and "
                "finite, got nan"},
        BadSpec{"InverseTimeZeroDecaySteps",
                Spec(R"({"inverse_time_decay":{"decay_steps":0,"decay_rate":0.5}})"),
                "schedule.inverse_time_decay.decay_steps must be positive, got 0"},
        BadSpec{"InverseTimeMissingDecayRate",
                Spec(R"({"inverse_time_decay":{"decay_steps":10}})"),
                "schedule.inverse_time_decay.decay_rate is missing"},
        BadSpec{"RestartsZeroFirstDecaySteps",
                Spec(R"({"cosine_decay_restarts":{"first_decay_steps":0}})"),
                "schedule.cosine_decay_restarts.first_decay_steps must be positive, got 0"},
        BadSpec{"RestartsTMulBelowOne",
                Spec(R"({"cosine_decay_restarts":{"first_decay_steps":10,"t_mul":0.5}})"),
                "schedule.cosine_decay_restarts.t_mul must be at least 1 and finite, got 0.5"},
        BadSpec{"RestartsNanMMul",
                Spec(R"({"cosine_decay_restarts":{"first_decay_steps":10,"m_mul":"NaN"}})"),
                "schedule.cosine_decay_restarts.m_mul must be zero or positive and finite, "
                "got nan"},
        BadSpec{"PiecewiseEmpty",
                Spec(R"({"piecewise_constant_decay":{"boundaries":[],"values":[0.1]}})"),
                "schedule.piecewise_constant_decay.boundaries is empty"},
        BadSpec{"PiecewiseOneValueTooFew",
                Spec(R"({"piecewise_constant_decay":{"boundaries":[1,2],"values":[0.1,0.01]}})"),
                "schedule.piecewise_constant_decay.values has 2 entries and "
                "schedule.piecewise_constant_decay.boundaries has 2: give one more value than "
                "boundaries"},
        BadSpec{"PiecewiseUnsorted",
                Spec(R"({"piecewise_constant_decay":{"boundaries":[10,5],
                                                     "values":[0.1,0.01,0.001]}})"),
                "schedule.piecewise_constant_decay.boundaries must be in non-decreasing order, "
                "but schedule.piecewise_constant_decay.boundaries[1] = 5 follows "
                "schedule.piecewise_constant_decay.boundaries[0] = 10"},
        BadSpec{"PiecewiseNanValue",
                Spec(R"({"piecewise_constant_decay":{"boundaries":[10],"values":[0.1,"NaN"]}})"),
                "schedule.piecewise_constant_decay.values[1] must be zero or positive and "
                "finite, got nan"},
        BadSpec{"PiecewiseFractionalBoundary",
                Spec(R"({"piecewise_constant_decay":{"boundaries":[1.5],"values":[1,0.1]}})"),
                "boundaries"},
        BadSpec{"TransformersTrainingShorterThanWarmup",
                Spec(R"({"linear_schedule_with_warmup":{"num_warmup_steps":10,
                                                        "num_training_steps":5}})"),
                "schedule.linear_schedule_with_warmup.num_training_steps must be at least "
                "num_warmup_steps (10), got 5"},
        BadSpec{"TransformersNegativeWarmup",
                Spec(R"({"constant_schedule_with_warmup":{"num_warmup_steps":-1}})"),
                "schedule.constant_schedule_with_warmup.num_warmup_steps must be zero or "
                "positive, got -1"},
        BadSpec{"TransformersCosineWithoutTraining",
                Spec(R"({"cosine_schedule_with_warmup":{"num_warmup_steps":0}})"),
                "schedule.cosine_schedule_with_warmup.num_training_steps must be positive, got 0"},
        BadSpec{"TransformersNegativeCycles",
                Spec(R"({"cosine_schedule_with_warmup":{"num_training_steps":10,
                                                        "num_cycles":-1}})"),
                "schedule.cosine_schedule_with_warmup.num_cycles must be zero or positive and "
                "finite, got -1"},
        BadSpec{"TransformersZeroHardRestarts",
                Spec(R"({"cosine_with_hard_restarts_schedule_with_warmup":{
                        "num_training_steps":10,"num_cycles":0}})"),
                "schedule.cosine_with_hard_restarts_schedule_with_warmup.num_cycles must be "
                "positive and finite, got 0"},
        BadSpec{"TransformersPolynomialWithoutDecay",
                Spec(R"({"polynomial_decay_schedule_with_warmup":{"num_warmup_steps":10,
                                                                  "num_training_steps":10}})"),
                "schedule.polynomial_decay_schedule_with_warmup.num_training_steps must be "
                "greater than num_warmup_steps (10), got 10"},
        BadSpec{"TransformersLrEndAboveBase",
                Spec(R"({"polynomial_decay_schedule_with_warmup":{"num_training_steps":10,
                                                                  "lr_end":0.5}})"),
                "schedule.polynomial_decay_schedule_with_warmup.lr_end must be below the base "
                "rate 0.1, as transformers requires, got 0.5"},
        BadSpec{"TransformersZeroTimescale",
                Spec(R"({"inverse_sqrt_schedule":{"num_warmup_steps":5,"timescale":0}})"),
                "schedule.inverse_sqrt_schedule.timescale must be positive, got 0"},
        BadSpec{"WsdWithoutLength",
                Spec(R"({"wsd_schedule":{"num_warmup_steps":5,"num_decay_steps":10}})"),
                "schedule.wsd_schedule.num_training_steps is missing: set num_training_steps or "
                "num_stable_steps"},
        BadSpec{"WsdLengthsDisagree",
                Spec(R"({"wsd_schedule":{"num_warmup_steps":5,"num_decay_steps":10,
                                         "num_stable_steps":15,"num_training_steps":100}})"),
                "schedule.wsd_schedule.num_training_steps is 100 but num_warmup_steps + "
                "num_stable_steps + num_decay_steps is 30"},
        BadSpec{"WsdTrainingTooShort",
                Spec(R"({"wsd_schedule":{"num_warmup_steps":5,"num_decay_steps":10,
                                         "num_training_steps":10}})"),
                "schedule.wsd_schedule.num_training_steps must be at least num_warmup_steps + "
                "num_decay_steps (15), got 10"},
        BadSpec{"WsdUnknownDecayType",
                Spec(R"({"wsd_schedule":{"num_decay_steps":10,"num_training_steps":20,
                                         "decay_type":"exp"}})"),
                R"(schedule.wsd_schedule.decay_type must be one of "linear", "cosine", )"
                R"("1-sqrt", got "exp")"},
        BadSpec{"WsdMinLrRatioAboveOne",
                Spec(R"({"wsd_schedule":{"num_decay_steps":10,"num_training_steps":20,
                                         "min_lr_ratio":2}})"),
                "schedule.wsd_schedule.min_lr_ratio must be in [0, 1], got 2"},
        BadSpec{"MinLrAndMinLrRate",
                Spec(R"({"cosine_with_min_lr_schedule_with_warmup":{"num_training_steps":10,
                                                                    "min_lr":0.01,
                                                                    "min_lr_rate":0.1}})"),
                "schedule.cosine_with_min_lr_schedule_with_warmup needs exactly one of min_lr "
                "(a rate) and min_lr_rate (a fraction of base_lr), got both"},
        BadSpec{"NeitherMinLrNorMinLrRate",
                Spec(R"({"cosine_with_min_lr_schedule_with_warmup_lr_rate":{
                        "num_training_steps":10}})"),
                "got neither"},
        BadSpec{"MinLrAboveBase",
                Spec(R"({"cosine_with_min_lr_schedule_with_warmup":{"num_training_steps":10,
                                                                    "min_lr":0.5}})"),
                "schedule.cosine_with_min_lr_schedule_with_warmup.min_lr must be in [0, 0.1], "
                "got 0.5"},
        BadSpec{"WarmupLrRateAboveOne",
                Spec(R"({"cosine_with_min_lr_schedule_with_warmup_lr_rate":{
                        "num_training_steps":10,"min_lr_rate":0.1,"warmup_lr_rate":2}})"),
                "schedule.cosine_with_min_lr_schedule_with_warmup_lr_rate.warmup_lr_rate must "
                "be in [0, 1], got 2"},
        BadSpec{"RangeTestMaxBelowMin",
                Spec(R"({"lr_range_test_ramp":{"min_lr":0.1,"max_lr":0.01,"num_steps":100}})"),
                "schedule.lr_range_test_ramp.max_lr must be greater than min_lr (0.1), got 0.01"},
        BadSpec{"RangeTestInfiniteMax",
                Spec(R"({"lr_range_test_ramp":{"min_lr":0.1,"max_lr":"Infinity",
                                               "num_steps":100}})"),
                "schedule.lr_range_test_ramp.max_lr must be finite, got inf"},
        BadSpec{"RangeTestOneStep",
                Spec(R"({"lr_range_test_ramp":{"min_lr":0.001,"max_lr":1,"num_steps":1}})"),
                "schedule.lr_range_test_ramp.num_steps must be at least 2, got 1"},
        BadSpec{"RangeTestExponentialFromZero",
                Spec(R"({"lr_range_test_ramp":{"min_lr":0,"max_lr":1,"num_steps":10}})"),
                "schedule.lr_range_test_ramp.min_lr must be positive and finite, got 0"},
        BadSpec{"RangeTestUnknownRamp",
                Spec(R"({"lr_range_test_ramp":{"min_lr":0.1,"max_lr":1,"num_steps":10,
                                          "ramp":"QUADRATIC"}})"),
                "ramp"},
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
        BadSpec{"ExponentialWarmupFromZero",
                Spec(R"({"exponential_warmup":{"warmup_steps":3,"schedule":{"constant":{}}}})"),
                "schedule.exponential_warmup.start_factor must be in (0, 1], got 0"},
        BadSpec{"ConstantWarmupWithoutFactor",
                Spec(R"({"constant_warmup":{"warmup_steps":3,"schedule":{"constant":{}}}})"),
                "schedule.constant_warmup.factor is missing"},
        BadSpec{"ConstantWarmupWithoutSchedule",
                Spec(R"({"constant_warmup":{"warmup_steps":3,"factor":0.1}})"),
                "schedule.constant_warmup.schedule is missing"},
        BadSpec{"SequenceEmpty", Spec(R"({"sequence":{}})"),
                "schedule.sequence.schedules is empty: give at least one schedule"},
        BadSpec{"SequenceMissingMilestone",
                Spec(R"({"sequence":{"schedules":[{"constant":{}},{"constant":{}}]}})"),
                "schedule.sequence.milestones has 0 entries for 2 schedules: give one milestone "
                "fewer than schedules"},
        BadSpec{"SequenceUnsortedMilestones",
                Spec(R"({"sequence":{"schedules":[{"constant":{}},{"constant":{}},
                                                  {"constant":{}}],"milestones":[5,3]}})"),
                "schedule.sequence.milestones must be in non-decreasing order, but "
                "schedule.sequence.milestones[1] = 3 follows schedule.sequence.milestones[0] = 5"},
        BadSpec{"SequenceMilestoneZero",
                Spec(R"({"sequence":{"schedules":[{"constant":{}},{"constant":{}}],
                                     "milestones":[0]}})"),
                "schedule.sequence.milestones[0] must be positive, got 0"},
        BadSpec{"SequenceNestedBadTMax",
                Spec(R"({"sequence":{"schedules":[{"constant":{}},
                                                  {"cosine_annealing_lr":{"T_max":0}}],
                                     "milestones":[5]}})"),
                "schedule.sequence.schedules[1].cosine_annealing_lr.t_max must be positive, "
                "got 0"},
        BadSpec{"SequenceScheduleEndsBeforeMilestone",
                Spec(R"({"sequence":{"schedules":[{"one_cycle_lr":{"total_steps":20}},
                                                  {"constant":{}}],"milestones":[30]}})"),
                "schedule.sequence.milestones[0] is 30, but schedule.sequence.schedules[0] ends "
                "after 20 positions because schedule.sequence.schedules[0].one_cycle_lr."
                "total_steps is 20: set the milestone to at most 20"},
        BadSpec{"SequenceSchedulesOfWrongType", Spec(R"({"sequence":{"schedules":{}}})"),
                "schedules"},
        BadSpec{"ProductEmpty", Spec(R"({"product":{"schedules":[]}})"),
                "schedule.product.schedules is empty"},
        BadSpec{"ProductPartWithoutFamily", Spec(R"({"product":{"schedules":[{}]}})"),
                "schedule.product.schedules[0] names no schedule family"},
        BadSpec{"DepthThreeBadField",
                Spec(R"({"linear_warmup":{"warmup_steps":2,"schedule":{"product":{"schedules":[
                        {"sequence":{"schedules":[{"constant":{}},{"step_lr":{"step_size":0}}],
                                     "milestones":[3]}}]}}}})"),
                "schedule.linear_warmup.schedule.product.schedules[0].sequence.schedules[1]."
                "step_lr.step_size must be positive, got 0"},
        BadSpec{"WrongTypeInJson",
                R"({"base_lr":0.1,"unit":"EPOCH","schedule":{"step_lr":{"step_size":"three"}}})",
                "step_size"},
        BadSpec{"IntegerBeyondInt64", Spec(R"({"step_lr":{"step_size":1e30}})"), "step_size"},
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

TEST(ScheduleBuilder, RejectsMoreSchedulesThanTheLimit) {
  std::string parts = R"({"constant":{}})";
  for (int i = 1; i < kMaxSchedulesPerSpec; ++i) parts += R"(,{"constant":{}})";
  const std::string product = R"({"product":{"schedules":[)" + parts + "]}}";

  // The product itself is one schedule, so its last part is one too many.
  const absl::Status status = BuildFromJson(Spec(product));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find("schedule.product.schedules[999] is schedule number 1001 of "
                                  "the spec, at most 1000 are allowed"),
            std::string::npos)
      << status;
}

TEST(SpecJson, AcceptsPyTorchCapitalizedNamesAndLowerCase) {
  for (const std::string fields : {R"("T_0":5,"T_mult":2)", R"("t_0":5,"t_mult":2)"}) {
    SCOPED_TRACE(fields);
    const auto spec =
        ParseSpecJson(Spec(R"({"cosine_annealing_warm_restarts":{)" + fields + "}}"));
    ASSERT_TRUE(spec.ok()) << spec.status();
    EXPECT_EQ(spec->schedule().cosine_annealing_warm_restarts().t_0(), 5);
    EXPECT_EQ(spec->schedule().cosine_annealing_warm_restarts().t_mult(), 2);
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
