// Validation and construction of transformers' families, with transformers' defaults. Where
// transformers accepts values that break its own formula (a decay of no length, warmup longer
// than training), these builders reject them.
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/builders/family_builders.h"
#include "core/families/transformers_schedules.h"
#include "core/parameter_checks.h"
#include "core/status_macros.h"

namespace lrsched::builders {
namespace {

// transformers' defaults.
constexpr double kDefaultCosineCycles = 0.5;             // The cosine families and WSD.
constexpr double kDefaultHardRestartCycles = 1;          // Cosine with hard restarts.
constexpr double kDefaultPolynomialLrEnd = 1e-7;         // Polynomial decay.
constexpr int64_t kDefaultInverseSqrtTimescale = 10000;  // When num_warmup_steps is 0.

// num_warmup_steps >= 0 and num_training_steps >= max(1, num_warmup_steps).
absl::Status CheckTrainingSteps(const BuildContext& context, int64_t num_warmup_steps,
                                int64_t num_training_steps) {
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_warmup_steps"), num_warmup_steps));
  RETURN_IF_ERROR(CheckPositive(context.Field("num_training_steps"), num_training_steps));
  if (num_training_steps >= num_warmup_steps) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(context.Field("num_training_steps"),
                                                 " must be at least num_warmup_steps (",
                                                 num_warmup_steps, "), got ", num_training_steps));
}

absl::StatusOr<double> NumCycles(const BuildContext& context, bool has_value, double value,
                                 double default_value) {
  if (!has_value) return default_value;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_cycles"), value));
  return value;
}

// The min-lr cosines take min_lr (a rate) or min_lr_rate (a fraction of base_lr), exactly one,
// and use the fraction.
template <typename MinLrSpec>
absl::StatusOr<double> MinLrRate(const MinLrSpec& spec, const BuildContext& context) {
  if (spec.has_min_lr() == spec.has_min_lr_rate()) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.path, " needs exactly one of min_lr (a rate) and min_lr_rate (a fraction of ",
        "base_lr), got ", spec.has_min_lr() ? "both" : "neither"));
  }
  if (spec.has_min_lr_rate()) {
    RETURN_IF_ERROR(CheckInClosedRange(context.Field("min_lr_rate"), spec.min_lr_rate(), 0, 1));
    return spec.min_lr_rate();
  }
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("min_lr"), spec.min_lr(), 0, context.base_lr));
  return spec.min_lr() / context.base_lr;
}

absl::StatusOr<TransformersWsdSchedule::Shape> ParseWsdShape(
    const std::string& path, const std::string& value, TransformersWsdSchedule::Shape fallback) {
  using Shape = TransformersWsdSchedule::Shape;
  return ParseChoice(
      path, value, fallback,
      {{"linear", Shape::kLinear}, {"cosine", Shape::kCosine}, {"1-sqrt", Shape::kOneMinusSqrt}});
}

// get_wsd_schedule's phase lengths, from num_training_steps or num_stable_steps.
absl::Status ResolveWsdLengths(const v1::WsdSchedule& spec, const BuildContext& context,
                               TransformersWsdSchedule::Options& options) {
  options.num_warmup_steps = spec.num_warmup_steps();
  options.num_decay_steps = spec.num_decay_steps();
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_warmup_steps"), options.num_warmup_steps));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_decay_steps"), options.num_decay_steps));
  RETURN_IF_ERROR(CheckPresent(context.Field("num_training_steps"),
                               spec.has_num_training_steps() || spec.has_num_stable_steps(),
                               "set num_training_steps or num_stable_steps"));

  ASSIGN_OR_RETURN(const int64_t warmup_and_decay,
                   CheckedAdd(context.Field("num_warmup_steps + num_decay_steps"),
                              options.num_warmup_steps, options.num_decay_steps));
  if (spec.has_num_stable_steps()) {
    options.num_stable_steps = spec.num_stable_steps();
    RETURN_IF_ERROR(CheckNonNegative(context.Field("num_stable_steps"), options.num_stable_steps));
    ASSIGN_OR_RETURN(const int64_t total, CheckedAdd(context.Field("the sum of the phases"),
                                                     warmup_and_decay, options.num_stable_steps));
    if (spec.has_num_training_steps() && spec.num_training_steps() != total) {
      return absl::InvalidArgumentError(absl::StrCat(
          context.Field("num_training_steps"), " is ", spec.num_training_steps(),
          " but num_warmup_steps + num_stable_steps + num_decay_steps is ", total,
          ": set only one of num_training_steps and num_stable_steps, or make them agree"));
    }
    return absl::OkStatus();
  }

  options.num_stable_steps = spec.num_training_steps() - warmup_and_decay;
  if (options.num_stable_steps >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(context.Field("num_training_steps"), " must be at least num_warmup_steps + ",
                   "num_decay_steps (", warmup_and_decay, "), got ", spec.num_training_steps()));
}

}  // namespace

ScheduleOrError BuildConstantScheduleWithWarmup(const v1::ConstantScheduleWithWarmup& spec,
                                                const BuildContext& context) {
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_warmup_steps"), spec.num_warmup_steps()));
  return std::make_unique<TransformersConstantSchedule>(context.base_lr, spec.num_warmup_steps());
}

ScheduleOrError BuildLinearScheduleWithWarmup(const v1::LinearScheduleWithWarmup& spec,
                                              const BuildContext& context) {
  RETURN_IF_ERROR(CheckTrainingSteps(context, spec.num_warmup_steps(), spec.num_training_steps()));
  return std::make_unique<TransformersLinearSchedule>(context.base_lr, spec.num_warmup_steps(),
                                                      spec.num_training_steps());
}

ScheduleOrError BuildCosineScheduleWithWarmup(const v1::CosineScheduleWithWarmup& spec,
                                              const BuildContext& context) {
  RETURN_IF_ERROR(CheckTrainingSteps(context, spec.num_warmup_steps(), spec.num_training_steps()));
  TransformersCosineSchedule::Options options;
  options.num_warmup_steps = spec.num_warmup_steps();
  options.num_training_steps = spec.num_training_steps();
  ASSIGN_OR_RETURN(options.num_cycles, NumCycles(context, spec.has_num_cycles(), spec.num_cycles(),
                                                 kDefaultCosineCycles));
  ASSIGN_OR_RETURN(const bool unclamped, ReproducesFault(context, spec.framework_fault(),
                                                         /*reproduce_by_default=*/false));
  options.hold_after_training = !unclamped;
  return std::make_unique<TransformersCosineSchedule>(context.base_lr, options);
}

ScheduleOrError BuildCosineWithHardRestarts(
    const v1::CosineWithHardRestartsScheduleWithWarmup& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckTrainingSteps(context, spec.num_warmup_steps(), spec.num_training_steps()));
  const double num_cycles = spec.has_num_cycles() ? spec.num_cycles() : kDefaultHardRestartCycles;
  RETURN_IF_ERROR(CheckPositive(context.Field("num_cycles"), num_cycles));
  return std::make_unique<TransformersHardRestartsSchedule>(
      context.base_lr, spec.num_warmup_steps(), spec.num_training_steps(), num_cycles);
}

ScheduleOrError BuildPolynomialDecayScheduleWithWarmup(
    const v1::PolynomialDecayScheduleWithWarmup& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_warmup_steps"), spec.num_warmup_steps()));
  if (spec.num_training_steps() <= spec.num_warmup_steps()) {
    return absl::InvalidArgumentError(
        absl::StrCat(context.Field("num_training_steps"),
                     " must be greater than num_warmup_steps (", spec.num_warmup_steps(), "), got ",
                     spec.num_training_steps(), ": the decay needs at least one step"));
  }

  const double lr_end = spec.has_lr_end() ? spec.lr_end() : kDefaultPolynomialLrEnd;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("lr_end"), lr_end));
  if (lr_end >= context.base_lr) {
    return absl::InvalidArgumentError(absl::StrCat(context.Field("lr_end"),
                                                   " must be below the base rate ", context.base_lr,
                                                   ", as transformers requires, got ", lr_end));
  }
  const double power = spec.has_power() ? spec.power() : 1.0;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("power"), power));
  return std::make_unique<TransformersPolynomialSchedule>(context.base_lr, spec.num_warmup_steps(),
                                                          spec.num_training_steps(), lr_end, power);
}

ScheduleOrError BuildInverseSqrtSchedule(const v1::InverseSqrtSchedule& spec,
                                         const BuildContext& context) {
  RETURN_IF_ERROR(CheckNonNegative(context.Field("num_warmup_steps"), spec.num_warmup_steps()));
  // transformers: `timescale = num_warmup_steps or 10_000` when unset.
  int64_t timescale =
      spec.num_warmup_steps() > 0 ? spec.num_warmup_steps() : kDefaultInverseSqrtTimescale;
  if (spec.has_timescale()) timescale = spec.timescale();
  RETURN_IF_ERROR(CheckPositive(context.Field("timescale"), timescale));
  return std::make_unique<TransformersInverseSqrtSchedule>(context.base_lr, spec.num_warmup_steps(),
                                                           timescale);
}

ScheduleOrError BuildWsdSchedule(const v1::WsdSchedule& spec, const BuildContext& context) {
  using Shape = TransformersWsdSchedule::Shape;
  TransformersWsdSchedule::Options options;
  RETURN_IF_ERROR(ResolveWsdLengths(spec, context, options));
  ASSIGN_OR_RETURN(options.warmup_type,
                   ParseWsdShape(context.Field("warmup_type"), spec.warmup_type(), Shape::kLinear));
  ASSIGN_OR_RETURN(options.decay_type,
                   ParseWsdShape(context.Field("decay_type"), spec.decay_type(), Shape::kCosine));
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("min_lr_ratio"), spec.min_lr_ratio(), 0, 1));
  options.min_lr_ratio = spec.min_lr_ratio();
  ASSIGN_OR_RETURN(options.num_cycles, NumCycles(context, spec.has_num_cycles(), spec.num_cycles(),
                                                 kDefaultCosineCycles));
  return std::make_unique<TransformersWsdSchedule>(context.base_lr, options);
}

ScheduleOrError BuildCosineWithMinLr(const v1::CosineWithMinLrScheduleWithWarmup& spec,
                                     const BuildContext& context) {
  RETURN_IF_ERROR(CheckTrainingSteps(context, spec.num_warmup_steps(), spec.num_training_steps()));
  TransformersCosineSchedule::Options options;
  options.num_warmup_steps = spec.num_warmup_steps();
  options.num_training_steps = spec.num_training_steps();
  ASSIGN_OR_RETURN(options.num_cycles, NumCycles(context, spec.has_num_cycles(), spec.num_cycles(),
                                                 kDefaultCosineCycles));
  ASSIGN_OR_RETURN(options.min_lr_rate, MinLrRate(spec, context));
  ASSIGN_OR_RETURN(const bool unclamped, ReproducesFault(context, spec.framework_fault(),
                                                         /*reproduce_by_default=*/false));
  options.hold_after_training = !unclamped;
  return std::make_unique<TransformersCosineSchedule>(context.base_lr, options);
}

ScheduleOrError BuildCosineWithMinLrLrRate(const v1::CosineWithMinLrScheduleWithWarmupLrRate& spec,
                                           const BuildContext& context) {
  RETURN_IF_ERROR(CheckTrainingSteps(context, spec.num_warmup_steps(), spec.num_training_steps()));
  TransformersCosineLrRateSchedule::Options options;
  options.num_warmup_steps = spec.num_warmup_steps();
  options.num_training_steps = spec.num_training_steps();
  ASSIGN_OR_RETURN(options.num_cycles, NumCycles(context, spec.has_num_cycles(), spec.num_cycles(),
                                                 kDefaultCosineCycles));
  ASSIGN_OR_RETURN(options.min_lr_rate, MinLrRate(spec, context));
  if (spec.has_warmup_lr_rate()) {
    RETURN_IF_ERROR(
        CheckInClosedRange(context.Field("warmup_lr_rate"), spec.warmup_lr_rate(), 0, 1));
    options.warmup_lr_rate = spec.warmup_lr_rate();
  }
  ASSIGN_OR_RETURN(const bool unclamped, ReproducesFault(context, spec.framework_fault(),
                                                         /*reproduce_by_default=*/false));
  options.hold_after_training = !unclamped;
  return std::make_unique<TransformersCosineLrRateSchedule>(context.base_lr, options);
}

}  // namespace lrsched::builders
