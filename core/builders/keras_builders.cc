// Validation and construction of Keras' families, with Keras 3's defaults and constructor
// checks (decay_steps > 0, one more value than boundaries), plus range checks Keras omits.
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/builders/family_builders.h"
#include "core/families/keras_schedules.h"
#include "core/families/restart_schedules.h"
#include "core/parameter_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched::builders {
namespace {

// Keras 3's defaults.
constexpr double kDefaultEndLearningRate = 0.0001;  // PolynomialDecay.
constexpr double kDefaultTMul = 2.0;                // CosineDecayRestarts.

// The Keras `initial_learning_rate` override when set, else the spec's base_lr. Zero is valid,
// as the start of a Keras warmup.
absl::StatusOr<double> InitialRate(const BuildContext& context, bool has_override,
                                   double override_value) {
  if (!has_override) return context.base_lr;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("initial_learning_rate"), override_value));
  return override_value;
}

absl::Status CheckPiecewiseLists(const v1::PiecewiseConstantDecay& spec,
                                 const BuildContext& context) {
  const std::string boundaries = context.Field("boundaries");
  if (spec.boundaries().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(boundaries, " is empty: give at least one step at which the value changes"));
  }
  if (spec.boundaries_size() > kMaxMilestones) {
    return absl::InvalidArgumentError(absl::StrCat(boundaries, " has ", spec.boundaries_size(),
                                                   " entries, at most ", kMaxMilestones));
  }
  if (spec.values_size() != spec.boundaries_size() + 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.Field("values"), " has ", spec.values_size(), " entries and ", boundaries, " has ",
        spec.boundaries_size(), ": give one more value than boundaries"));
  }
  return absl::OkStatus();
}

}  // namespace

ScheduleOrError BuildExponentialDecay(const v1::ExponentialDecay& spec,
                                      const BuildContext& context) {
  ASSIGN_OR_RETURN(const double initial, InitialRate(context, spec.has_initial_learning_rate(),
                                                     spec.initial_learning_rate()));
  RETURN_IF_ERROR(CheckPositive(context.Field("decay_steps"), spec.decay_steps()));
  RETURN_IF_ERROR(CheckPositive(context.Field("decay_rate"), spec.decay_rate()));
  return std::make_unique<ExponentialDecaySchedule>(initial, spec.decay_steps(), spec.decay_rate(),
                                                    spec.staircase());
}

ScheduleOrError BuildCosineDecay(const v1::CosineDecay& spec, const BuildContext& context) {
  ASSIGN_OR_RETURN(const double initial, InitialRate(context, spec.has_initial_learning_rate(),
                                                     spec.initial_learning_rate()));
  RETURN_IF_ERROR(CheckPositive(context.Field("decay_steps"), spec.decay_steps()));
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("alpha"), spec.alpha(), 0.0, 1.0));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("warmup_steps"), spec.warmup_steps()));

  std::optional<double> warmup_target;
  if (spec.has_warmup_target()) {
    RETURN_IF_ERROR(CheckNonNegative(context.Field("warmup_target"), spec.warmup_target()));
    warmup_target = spec.warmup_target();
  } else if (spec.warmup_steps() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.Field("warmup_steps"), " is ", spec.warmup_steps(), " but ",
        context.Field("warmup_target"), " is missing: set the rate the warmup reaches ",
        "(Keras silently skips the warmup without it)"));
  }
  return std::make_unique<CosineDecaySchedule>(initial, spec.decay_steps(), spec.alpha(),
                                               warmup_target, spec.warmup_steps());
}

ScheduleOrError BuildPiecewiseConstantDecay(const v1::PiecewiseConstantDecay& spec,
                                            const BuildContext& context) {
  RETURN_IF_ERROR(CheckPiecewiseLists(spec, context));
  for (int i = 0; i < spec.boundaries_size(); ++i) {
    RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(context.Field("boundaries"), "[", i, "]"),
                                     spec.boundaries(i)));
  }
  RETURN_IF_ERROR(CheckNonDecreasing(context.Field("boundaries"), spec.boundaries()));
  for (int i = 0; i < spec.values_size(); ++i) {
    RETURN_IF_ERROR(
        CheckNonNegative(absl::StrCat(context.Field("values"), "[", i, "]"), spec.values(i)));
  }

  std::vector<int64_t> boundaries(spec.boundaries().begin(), spec.boundaries().end());
  std::vector<double> values(spec.values().begin(), spec.values().end());
  return std::make_unique<PiecewiseConstantSchedule>(std::move(boundaries), std::move(values));
}

ScheduleOrError BuildPolynomialDecay(const v1::PolynomialDecay& spec, const BuildContext& context) {
  ASSIGN_OR_RETURN(const double initial, InitialRate(context, spec.has_initial_learning_rate(),
                                                     spec.initial_learning_rate()));
  RETURN_IF_ERROR(CheckPositive(context.Field("decay_steps"), spec.decay_steps()));
  const double end =
      spec.has_end_learning_rate() ? spec.end_learning_rate() : kDefaultEndLearningRate;
  const double power = spec.has_power() ? spec.power() : 1.0;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("end_learning_rate"), end));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("power"), power));
  return std::make_unique<PolynomialDecaySchedule>(initial, spec.decay_steps(), end, power,
                                                   spec.cycle());
}

ScheduleOrError BuildInverseTimeDecay(const v1::InverseTimeDecay& spec,
                                      const BuildContext& context) {
  ASSIGN_OR_RETURN(const double initial, InitialRate(context, spec.has_initial_learning_rate(),
                                                     spec.initial_learning_rate()));
  RETURN_IF_ERROR(CheckPositive(context.Field("decay_steps"), spec.decay_steps()));
  RETURN_IF_ERROR(CheckPresent(context.Field("decay_rate"), spec.has_decay_rate(),
                               "set how fast the rate falls, 0 for a constant rate"));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("decay_rate"), spec.decay_rate()));
  return std::make_unique<InverseTimeDecaySchedule>(initial, spec.decay_steps(), spec.decay_rate(),
                                                    spec.staircase());
}

ScheduleOrError BuildCosineDecayRestarts(const v1::CosineDecayRestarts& spec,
                                         const BuildContext& context) {
  ASSIGN_OR_RETURN(const double initial, InitialRate(context, spec.has_initial_learning_rate(),
                                                     spec.initial_learning_rate()));
  RETURN_IF_ERROR(CheckPositive(context.Field("first_decay_steps"), spec.first_decay_steps()));
  const double t_mul = spec.has_t_mul() ? spec.t_mul() : kDefaultTMul;
  const double m_mul = spec.has_m_mul() ? spec.m_mul() : 1.0;
  RETURN_IF_ERROR(CheckAtLeast(context.Field("t_mul"), t_mul, 1.0));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("m_mul"), m_mul));
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("alpha"), spec.alpha(), 0.0, 1.0));
  return std::make_unique<CosineDecayRestartsSchedule>(initial, spec.first_decay_steps(), t_mul,
                                                       m_mul, spec.alpha());
}

}  // namespace lrsched::builders
