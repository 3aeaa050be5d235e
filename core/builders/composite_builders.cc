// Validation and construction of the range test and the compositions. A composition builds the
// schedules it contains through BuildNestedSchedule, so their errors carry the whole path, and
// checks that a schedule that ends is never asked past its end.
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/builders/family_builders.h"
#include "core/families/composite_schedules.h"
#include "core/families/generic_schedules.h"
#include "core/parameter_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched::builders {
namespace {

// Builds the schedule a warmup leads into, which must be present.
ScheduleOrError BuildWarmupTarget(bool has_schedule, const v1::Schedule& schedule,
                                  const BuildContext& context) {
  if (!has_schedule) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.Field("schedule"), " is missing: name the schedule the warmup leads into"));
  }
  return BuildNestedSchedule(schedule, context.Field("schedule"), context);
}

// Builds the schedules of a sequence or a product, at least one.
absl::StatusOr<std::vector<std::unique_ptr<Schedule>>> BuildParts(
    const google::protobuf::RepeatedPtrField<v1::Schedule>& specs, const BuildContext& context) {
  const std::string path = context.Field("schedules");
  if (specs.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is empty: give at least one schedule"));
  }

  std::vector<std::unique_ptr<Schedule>> parts;
  for (int i = 0; i < specs.size(); ++i) {
    ASSIGN_OR_RETURN(auto part,
                     BuildNestedSchedule(specs[i], absl::StrCat(path, "[", i, "]"), context));
    parts.push_back(std::move(part));
  }
  return parts;
}

absl::Status CheckMilestones(const v1::Sequence& spec, const BuildContext& context) {
  const std::string path = context.Field("milestones");
  if (spec.milestones_size() + 1 != spec.schedules_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " has ", spec.milestones_size(), " entries for ", spec.schedules_size(),
                     " schedules: give one milestone fewer than schedules"));
  }
  if (spec.milestones_size() > kMaxMilestones) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " has ", spec.milestones_size(), " entries, at most ", kMaxMilestones));
  }
  for (int i = 0; i < spec.milestones_size(); ++i) {
    RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, "[", i, "]"), spec.milestones(i)));
  }
  return CheckNonDecreasing(path, spec.milestones());
}

// Every schedule but the last runs up to its milestone, so one that ends before it is an error.
absl::Status CheckPartsReachMilestones(const std::vector<std::unique_ptr<Schedule>>& parts,
                                       const v1::Sequence& spec, const BuildContext& context) {
  int64_t start = 0;
  for (int i = 0; i < spec.milestones_size(); ++i) {
    const int64_t milestone = spec.milestones(i);
    const auto& end = parts[i]->end();
    if (end.has_value() && milestone > start && milestone - start - 1 > end->last_position) {
      return absl::InvalidArgumentError(
          absl::StrCat(context.Field("milestones"), "[", i, "] is ", milestone, ", but ",
                       context.Field("schedules"), "[", i, "] ends after ", end->last_position + 1,
                       " positions because ", end->cause, ": set the milestone to at most ",
                       start + end->last_position + 1));
    }
    start = milestone;
  }
  return absl::OkStatus();
}

}  // namespace

ScheduleOrError BuildLrRangeTestRamp(const v1::LrRangeTestRamp& spec, const BuildContext& context) {
  using Ramp = RangeTestSchedule::Ramp;
  Ramp ramp = Ramp::kExponential;
  switch (spec.ramp()) {
    case v1::LrRangeTestRamp::RAMP_UNSPECIFIED:
    case v1::LrRangeTestRamp::EXPONENTIAL:
      break;
    case v1::LrRangeTestRamp::LINEAR:
      ramp = Ramp::kLinear;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          context.Field("ramp"), " must be EXPONENTIAL, LINEAR or unset, got ", spec.ramp()));
  }

  if (ramp == Ramp::kExponential) {
    RETURN_IF_ERROR(CheckPositive(context.Field("min_lr"), spec.min_lr()));
  } else {
    RETURN_IF_ERROR(CheckNonNegative(context.Field("min_lr"), spec.min_lr()));
  }
  RETURN_IF_ERROR(CheckFinite(context.Field("max_lr"), spec.max_lr()));
  if (spec.max_lr() <= spec.min_lr()) {
    return absl::InvalidArgumentError(absl::StrCat(context.Field("max_lr"),
                                                   " must be greater than min_lr (", spec.min_lr(),
                                                   "), got ", spec.max_lr()));
  }
  RETURN_IF_ERROR(CheckAtLeast(context.Field("num_steps"), spec.num_steps(), int64_t{2}));
  return std::make_unique<RangeTestSchedule>(
      spec.min_lr(), spec.max_lr(), spec.num_steps(), ramp,
      absl::StrCat(context.Field("num_steps"), " is ", spec.num_steps()));
}

ScheduleOrError BuildLinearWarmup(const v1::LinearWarmup& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckPositive(context.Field("warmup_steps"), spec.warmup_steps()));
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("start_factor"), spec.start_factor(), 0.0, 1.0));
  ASSIGN_OR_RETURN(auto after, BuildWarmupTarget(spec.has_schedule(), spec.schedule(), context));
  return std::make_unique<WarmupSchedule>(WarmupSchedule::Shape::kLinear, spec.warmup_steps(),
                                          spec.start_factor(), std::move(after));
}

ScheduleOrError BuildExponentialWarmup(const v1::ExponentialWarmup& spec,
                                       const BuildContext& context) {
  RETURN_IF_ERROR(CheckPositive(context.Field("warmup_steps"), spec.warmup_steps()));
  RETURN_IF_ERROR(
      CheckInLeftOpenRange(context.Field("start_factor"), spec.start_factor(), 0.0, 1.0));
  ASSIGN_OR_RETURN(auto after, BuildWarmupTarget(spec.has_schedule(), spec.schedule(), context));
  return std::make_unique<WarmupSchedule>(WarmupSchedule::Shape::kExponential, spec.warmup_steps(),
                                          spec.start_factor(), std::move(after));
}

ScheduleOrError BuildConstantWarmup(const v1::ConstantWarmup& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckPositive(context.Field("warmup_steps"), spec.warmup_steps()));
  RETURN_IF_ERROR(CheckPresent(context.Field("factor"), spec.has_factor(),
                               "set the fraction of the first rate to hold during the warmup"));
  RETURN_IF_ERROR(CheckInLeftOpenRange(context.Field("factor"), spec.factor(), 0.0, 1.0));
  ASSIGN_OR_RETURN(auto after, BuildWarmupTarget(spec.has_schedule(), spec.schedule(), context));
  return std::make_unique<WarmupSchedule>(WarmupSchedule::Shape::kConstant, spec.warmup_steps(),
                                          spec.factor(), std::move(after));
}

ScheduleOrError BuildSequence(const v1::Sequence& spec, const BuildContext& context) {
  ASSIGN_OR_RETURN(auto parts, BuildParts(spec.schedules(), context));
  RETURN_IF_ERROR(CheckMilestones(spec, context));
  RETURN_IF_ERROR(CheckPartsReachMilestones(parts, spec, context));
  std::vector<int64_t> milestones(spec.milestones().begin(), spec.milestones().end());
  return std::make_unique<SequenceSchedule>(std::move(parts), std::move(milestones));
}

ScheduleOrError BuildProduct(const v1::Product& spec, const BuildContext& context) {
  ASSIGN_OR_RETURN(auto parts, BuildParts(spec.schedules(), context));
  return std::make_unique<ProductSchedule>(context.base_lr, std::move(parts));
}

}  // namespace lrsched::builders
