// Walks a ScheduleSpec once, validating every field with its full path and building the
// matching Schedule objects on the way. The families' own checks are in core/builders/.
#include "core/schedule_builder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/builders/family_builders.h"
#include "core/parameter_checks.h"
#include "core/schedule_families.h"
#include "core/status_macros.h"

namespace lrsched {
namespace builders {
namespace {

// "constant, step_lr, ...": every family of the Schedule oneof, for the message of a schedule
// that names none.
std::string FamilyNames() {
  const auto* family = v1::Schedule::descriptor()->FindOneofByName("family");
  std::vector<std::string> names;
  for (int i = 0; i < family->field_count(); ++i) names.push_back(family->field(i)->name());
  return absl::StrJoin(names, ", ");
}

// The family's field name, e.g. "step_lr", or empty when none is set.
std::string FamilyName(const v1::Schedule& schedule) {
  const auto* field = v1::Schedule::descriptor()->FindFieldByNumber(schedule.family_case());
  return field == nullptr ? "" : field->name();
}

// Calls the family's builder. One case per family and no default, so that the compiler
// reports a family added to the proto but not here.
ScheduleOrError DispatchFamily(const v1::Schedule& spec, const BuildContext& context) {
  switch (spec.family_case()) {
    case v1::Schedule::kConstant:
      return std::make_unique<ConstantSchedule>(context.base_lr);

    case v1::Schedule::kStepLr:
      return BuildStepLR(spec.step_lr(), context);
    case v1::Schedule::kMultiStepLr:
      return BuildMultiStepLR(spec.multi_step_lr(), context);
    case v1::Schedule::kConstantLr:
      return BuildConstantLR(spec.constant_lr(), context);
    case v1::Schedule::kLinearLr:
      return BuildLinearLR(spec.linear_lr(), context);
    case v1::Schedule::kExponentialLr:
      return BuildExponentialLR(spec.exponential_lr(), context);
    case v1::Schedule::kMultiplicativeLr:
      return BuildMultiplicativeLR(spec.multiplicative_lr(), context);
    case v1::Schedule::kPolynomialLr:
      return BuildPolynomialLR(spec.polynomial_lr(), context);
    case v1::Schedule::kCosineAnnealingLr:
      return BuildCosineAnnealingLR(spec.cosine_annealing_lr(), context);
    case v1::Schedule::kCosineAnnealingWarmRestarts:
      return BuildCosineAnnealingWarmRestarts(spec.cosine_annealing_warm_restarts(), context);
    case v1::Schedule::kCyclicLr:
      return BuildCyclicLR(spec.cyclic_lr(), context);
    case v1::Schedule::kOneCycleLr:
      return BuildOneCycleLR(spec.one_cycle_lr(), context);

    case v1::Schedule::kExponentialDecay:
      return BuildExponentialDecay(spec.exponential_decay(), context);
    case v1::Schedule::kCosineDecay:
      return BuildCosineDecay(spec.cosine_decay(), context);
    case v1::Schedule::kPiecewiseConstantDecay:
      return BuildPiecewiseConstantDecay(spec.piecewise_constant_decay(), context);
    case v1::Schedule::kPolynomialDecay:
      return BuildPolynomialDecay(spec.polynomial_decay(), context);
    case v1::Schedule::kInverseTimeDecay:
      return BuildInverseTimeDecay(spec.inverse_time_decay(), context);
    case v1::Schedule::kCosineDecayRestarts:
      return BuildCosineDecayRestarts(spec.cosine_decay_restarts(), context);

    case v1::Schedule::kConstantScheduleWithWarmup:
      return BuildConstantScheduleWithWarmup(spec.constant_schedule_with_warmup(), context);
    case v1::Schedule::kLinearScheduleWithWarmup:
      return BuildLinearScheduleWithWarmup(spec.linear_schedule_with_warmup(), context);
    case v1::Schedule::kCosineScheduleWithWarmup:
      return BuildCosineScheduleWithWarmup(spec.cosine_schedule_with_warmup(), context);
    case v1::Schedule::kCosineWithHardRestartsScheduleWithWarmup:
      return BuildCosineWithHardRestarts(spec.cosine_with_hard_restarts_schedule_with_warmup(),
                                         context);
    case v1::Schedule::kPolynomialDecayScheduleWithWarmup:
      return BuildPolynomialDecayScheduleWithWarmup(spec.polynomial_decay_schedule_with_warmup(),
                                                    context);
    case v1::Schedule::kInverseSqrtSchedule:
      return BuildInverseSqrtSchedule(spec.inverse_sqrt_schedule(), context);
    case v1::Schedule::kWsdSchedule:
      return BuildWsdSchedule(spec.wsd_schedule(), context);
    case v1::Schedule::kCosineWithMinLrScheduleWithWarmup:
      return BuildCosineWithMinLr(spec.cosine_with_min_lr_schedule_with_warmup(), context);
    case v1::Schedule::kCosineWithMinLrScheduleWithWarmupLrRate:
      return BuildCosineWithMinLrLrRate(spec.cosine_with_min_lr_schedule_with_warmup_lr_rate(),
                                        context);

    case v1::Schedule::kLrRangeTestRamp:
      return BuildLrRangeTestRamp(spec.lr_range_test_ramp(), context);
    case v1::Schedule::kLinearWarmup:
      return BuildLinearWarmup(spec.linear_warmup(), context);
    case v1::Schedule::kExponentialWarmup:
      return BuildExponentialWarmup(spec.exponential_warmup(), context);
    case v1::Schedule::kConstantWarmup:
      return BuildConstantWarmup(spec.constant_warmup(), context);
    case v1::Schedule::kSequence:
      return BuildSequence(spec.sequence(), context);
    case v1::Schedule::kProduct:
      return BuildProduct(spec.product(), context);

    case v1::Schedule::FAMILY_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(context.path, " names no schedule family: set one of ", FamilyNames()));
}

// Builds the Schedule message at `path`, counting it against kMaxSchedulesPerSpec.
ScheduleOrError BuildFamily(const v1::Schedule& schedule, const std::string& path,
                            BuildContext context) {
  if (++*context.schedule_count > kMaxSchedulesPerSpec) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is schedule number ", *context.schedule_count,
                     " of the spec, at most ", kMaxSchedulesPerSpec, " are allowed"));
  }

  const std::string family = FamilyName(schedule);
  context.path = family.empty() ? path : absl::StrCat(path, ".", family);
  return DispatchFamily(schedule, context);
}

}  // namespace

ScheduleOrError BuildNestedSchedule(const v1::Schedule& schedule, const std::string& path,
                                    const BuildContext& parent) {
  BuildContext context = parent;
  context.depth = parent.depth + 1;
  if (context.depth > kMaxScheduleDepth) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is nested ", context.depth,
                                                   " levels deep, at most ", kMaxScheduleDepth));
  }
  return BuildFamily(schedule, path, context);
}

absl::StatusOr<bool> ReproducesFault(const BuildContext& context, v1::FrameworkFault choice,
                                     bool reproduce_by_default) {
  switch (choice) {
    case v1::FRAMEWORK_FAULT_UNSPECIFIED:
      return reproduce_by_default;
    case v1::FRAMEWORK_FAULT_REPRODUCE:
      return true;
    case v1::FRAMEWORK_FAULT_FIX:
      return false;
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(context.Field("framework_fault"), " must be FRAMEWORK_FAULT_REPRODUCE, ",
                   "FRAMEWORK_FAULT_FIX or unset, got ", static_cast<int>(choice)));
}

}  // namespace builders

absl::StatusOr<std::unique_ptr<Schedule>> BuildSchedule(const v1::ScheduleSpec& spec) {
  RETURN_IF_ERROR(CheckPositive("base_lr", spec.base_lr()));
  if (spec.unit() != v1::ScheduleSpec::EPOCH && spec.unit() != v1::ScheduleSpec::STEP) {
    return absl::InvalidArgumentError(
        "unit is missing: set it to EPOCH or STEP, the position the schedule counts");
  }
  if (!spec.has_schedule()) {
    return absl::InvalidArgumentError("schedule is missing: name a schedule family");
  }

  int schedule_count = 0;
  builders::BuildContext root;
  root.base_lr = spec.base_lr();
  root.depth = 1;
  root.schedule_count = &schedule_count;
  return builders::BuildFamily(spec.schedule(), "schedule", root);
}

absl::Status ValidateScheduleSpec(const v1::ScheduleSpec& spec) {
  return BuildSchedule(spec).status();
}

}  // namespace lrsched
