// Walks a ScheduleSpec once, validating every field with its full path and building the
// matching Schedule objects on the way.
#include "core/schedule_builder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/schedule_families.h"
#include "core/status_macros.h"

namespace lrsched {
namespace {

// PyTorch's default for StepLR and MultiStepLR.
constexpr double kDefaultGamma = 0.1;

// Returns the Keras `initial_learning_rate` override when set, else the spec's base_lr.
absl::StatusOr<double> InitialRate(const std::string& path, bool has_override,
                                   double override_value, double base_lr) {
  if (!has_override) return base_lr;
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".initial_learning_rate"), override_value));
  return override_value;
}

absl::StatusOr<double> Gamma(const std::string& path, bool has_gamma, double gamma) {
  if (!has_gamma) return kDefaultGamma;
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".gamma"), gamma));
  return gamma;
}

absl::StatusOr<std::unique_ptr<Schedule>> Build(const v1::Schedule& schedule,
                                                const std::string& path, double base_lr,
                                                int depth);

absl::StatusOr<std::unique_ptr<Schedule>> BuildStepLR(const v1::StepLR& spec,
                                                      const std::string& path, double base_lr) {
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".step_size"), spec.step_size()));
  ASSIGN_OR_RETURN(const double gamma, Gamma(path, spec.has_gamma(), spec.gamma()));
  return std::make_unique<StepSchedule>(base_lr, spec.step_size(), gamma);
}

absl::StatusOr<std::unique_ptr<Schedule>> BuildMultiStepLR(const v1::MultiStepLR& spec,
                                                           const std::string& path,
                                                           double base_lr) {
  if (spec.milestones_size() > kMaxMilestones) {
    return absl::InvalidArgumentError(absl::StrCat(path, ".milestones has ",
                                                   spec.milestones_size(),
                                                   " entries, at most ", kMaxMilestones));
  }
  for (int i = 0; i < spec.milestones_size(); ++i) {
    RETURN_IF_ERROR(
        CheckNonNegative(absl::StrCat(path, ".milestones[", i, "]"), spec.milestones(i)));
  }
  ASSIGN_OR_RETURN(const double gamma, Gamma(path, spec.has_gamma(), spec.gamma()));
  std::vector<int64_t> milestones(spec.milestones().begin(), spec.milestones().end());
  return std::make_unique<MultiStepSchedule>(base_lr, std::move(milestones), gamma);
}

absl::StatusOr<std::unique_ptr<Schedule>> BuildExponentialDecay(
    const v1::ExponentialDecay& spec, const std::string& path, double base_lr) {
  ASSIGN_OR_RETURN(const double initial,
                   InitialRate(path, spec.has_initial_learning_rate(),
                               spec.initial_learning_rate(), base_lr));
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".decay_steps"), spec.decay_steps()));
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".decay_rate"), spec.decay_rate()));
  return std::make_unique<ExponentialDecaySchedule>(initial, spec.decay_steps(),
                                                    spec.decay_rate(), spec.staircase());
}

absl::StatusOr<std::unique_ptr<Schedule>> BuildCosineDecay(const v1::CosineDecay& spec,
                                                           const std::string& path,
                                                           double base_lr) {
  ASSIGN_OR_RETURN(const double initial,
                   InitialRate(path, spec.has_initial_learning_rate(),
                               spec.initial_learning_rate(), base_lr));
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".decay_steps"), spec.decay_steps()));
  RETURN_IF_ERROR(CheckInClosedRange(absl::StrCat(path, ".alpha"), spec.alpha(), 0.0, 1.0));
  return std::make_unique<CosineDecaySchedule>(initial, spec.decay_steps(), spec.alpha());
}

absl::StatusOr<std::unique_ptr<Schedule>> BuildCosineAnnealingLR(
    const v1::CosineAnnealingLR& spec, const std::string& path, double base_lr) {
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".t_max"), spec.t_max()));
  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".eta_min"), spec.eta_min()));
  return std::make_unique<CosineAnnealingSchedule>(base_lr, spec.t_max(), spec.eta_min());
}

absl::StatusOr<std::unique_ptr<Schedule>> BuildLinearWarmup(const v1::LinearWarmup& spec,
                                                            const std::string& path,
                                                            double base_lr, int depth) {
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".warmup_steps"), spec.warmup_steps()));
  RETURN_IF_ERROR(
      CheckInClosedRange(absl::StrCat(path, ".start_factor"), spec.start_factor(), 0.0, 1.0));
  if (!spec.has_schedule()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".schedule is missing: name the schedule the warmup leads into"));
  }
  ASSIGN_OR_RETURN(auto after,
                   Build(spec.schedule(), absl::StrCat(path, ".schedule"), base_lr, depth + 1));
  return std::make_unique<LinearWarmupSchedule>(spec.warmup_steps(), spec.start_factor(),
                                                std::move(after));
}

absl::StatusOr<std::unique_ptr<Schedule>> Build(const v1::Schedule& schedule,
                                                const std::string& path, double base_lr,
                                                int depth) {
  if (depth > kMaxScheduleDepth) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, " is nested ", depth, " levels deep, at most ", kMaxScheduleDepth));
  }

  switch (schedule.family_case()) {
    case v1::Schedule::kConstant:
      return std::make_unique<ConstantSchedule>(base_lr);
    case v1::Schedule::kStepLr:
      return BuildStepLR(schedule.step_lr(), absl::StrCat(path, ".step_lr"), base_lr);
    case v1::Schedule::kMultiStepLr:
      return BuildMultiStepLR(schedule.multi_step_lr(), absl::StrCat(path, ".multi_step_lr"),
                              base_lr);
    case v1::Schedule::kExponentialDecay:
      return BuildExponentialDecay(schedule.exponential_decay(),
                                   absl::StrCat(path, ".exponential_decay"), base_lr);
    case v1::Schedule::kCosineDecay:
      return BuildCosineDecay(schedule.cosine_decay(), absl::StrCat(path, ".cosine_decay"),
                              base_lr);
    case v1::Schedule::kCosineAnnealingLr:
      return BuildCosineAnnealingLR(schedule.cosine_annealing_lr(),
                                    absl::StrCat(path, ".cosine_annealing_lr"), base_lr);
    case v1::Schedule::kLinearWarmup:
      return BuildLinearWarmup(schedule.linear_warmup(), absl::StrCat(path, ".linear_warmup"),
                               base_lr, depth);
    case v1::Schedule::FAMILY_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      path, " names no schedule family: set one of constant, step_lr, multi_step_lr, "
            "exponential_decay, cosine_decay, cosine_annealing_lr, linear_warmup"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Schedule>> BuildSchedule(const v1::ScheduleSpec& spec) {
  RETURN_IF_ERROR(CheckPositive("base_lr", spec.base_lr()));
  if (spec.unit() != v1::ScheduleSpec::EPOCH && spec.unit() != v1::ScheduleSpec::STEP) {
    return absl::InvalidArgumentError(
        "unit is missing: set it to EPOCH or STEP, the position the schedule counts");
  }
  if (!spec.has_schedule()) {
    return absl::InvalidArgumentError("schedule is missing: name a schedule family");
  }
  return Build(spec.schedule(), "schedule", spec.base_lr(), /*depth=*/1);
}

absl::Status ValidateScheduleSpec(const v1::ScheduleSpec& spec) {
  return BuildSchedule(spec).status();
}

}  // namespace lrsched
