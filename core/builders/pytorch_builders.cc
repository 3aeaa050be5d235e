// Validation and construction of PyTorch's families, with PyTorch's defaults.
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/builders/family_builders.h"
#include "core/families/cyclic_schedules.h"
#include "core/families/pytorch_schedules.h"
#include "core/families/restart_schedules.h"
#include "core/parameter_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched::builders {
namespace {

// PyTorch 1.13.1's defaults.
constexpr double kDefaultStepGamma = 0.1;       // StepLR, MultiStepLR.
constexpr double kDefaultOneThird = 1.0 / 3;    // ConstantLR factor, LinearLR start_factor.
constexpr int64_t kDefaultTotalIters = 5;       // ConstantLR, LinearLR, PolynomialLR.
constexpr int64_t kDefaultStepSizeUp = 2000;    // CyclicLR.
constexpr double kDefaultPctStart = 0.3;        // OneCycleLR.
constexpr double kDefaultDivFactor = 25;        // OneCycleLR.
constexpr double kDefaultFinalDivFactor = 1e4;  // OneCycleLR.

absl::StatusOr<double> StepGamma(const BuildContext& context, bool has_gamma, double gamma) {
  if (!has_gamma) return kDefaultStepGamma;
  RETURN_IF_ERROR(CheckPositive(context.Field("gamma"), gamma));
  return gamma;
}

// CyclicLR and OneCycleLR take PyTorch's cycle_momentum so that its parameters map unchanged.
absl::Status CheckNoMomentumCycling(const BuildContext& context, bool has_value, bool value) {
  if (!has_value || !value) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      context.Field("cycle_momentum"), " must be false or unset: lrsched schedules only the ",
      "learning rate, so cycle the momentum in the trainer"));
}

// OneCycleLR's total_steps, given directly or as epochs * steps_per_epoch, with the cause of
// the schedule's end for CheckPosition's message.
struct OneCycleLength {
  int64_t total_steps = 0;
  std::string cause;
};

absl::StatusOr<OneCycleLength> OneCycleTotalSteps(const v1::OneCycleLR& spec,
                                                  const BuildContext& context) {
  const bool has_epochs = spec.has_epochs() || spec.has_steps_per_epoch();
  if (spec.has_total_steps() && has_epochs) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.path, " sets both total_steps and epochs or steps_per_epoch: set either ",
        "total_steps, or epochs and steps_per_epoch"));
  }
  if (spec.has_total_steps()) {
    RETURN_IF_ERROR(CheckPositive(context.Field("total_steps"), spec.total_steps()));
    return OneCycleLength{spec.total_steps(),
                          absl::StrCat(context.Field("total_steps"), " is ", spec.total_steps())};
  }

  RETURN_IF_ERROR(CheckPresent(context.Field("total_steps"), has_epochs,
                               "set total_steps, or epochs and steps_per_epoch"));
  RETURN_IF_ERROR(CheckPositive(context.Field("epochs"), spec.epochs()));
  RETURN_IF_ERROR(CheckPositive(context.Field("steps_per_epoch"), spec.steps_per_epoch()));
  const std::string product_path = context.Field("epochs * steps_per_epoch");
  ASSIGN_OR_RETURN(const int64_t total,
                   CheckedMultiply(product_path, spec.epochs(), spec.steps_per_epoch()));
  return OneCycleLength{total, absl::StrCat(product_path, " is ", total)};
}

}  // namespace

ScheduleOrError BuildStepLR(const v1::StepLR& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckPositive(context.Field("step_size"), spec.step_size()));
  ASSIGN_OR_RETURN(const double gamma, StepGamma(context, spec.has_gamma(), spec.gamma()));
  return std::make_unique<StepSchedule>(context.base_lr, spec.step_size(), gamma);
}

ScheduleOrError BuildMultiStepLR(const v1::MultiStepLR& spec, const BuildContext& context) {
  if (spec.milestones_size() > kMaxMilestones) {
    return absl::InvalidArgumentError(absl::StrCat(context.Field("milestones"), " has ",
                                                   spec.milestones_size(), " entries, at most ",
                                                   kMaxMilestones));
  }
  for (int i = 0; i < spec.milestones_size(); ++i) {
    RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(context.Field("milestones"), "[", i, "]"),
                                     spec.milestones(i)));
  }
  ASSIGN_OR_RETURN(const double gamma, StepGamma(context, spec.has_gamma(), spec.gamma()));
  std::vector<int64_t> milestones(spec.milestones().begin(), spec.milestones().end());
  return std::make_unique<MultiStepSchedule>(context.base_lr, std::move(milestones), gamma);
}

ScheduleOrError BuildConstantLR(const v1::ConstantLR& spec, const BuildContext& context) {
  const double factor = spec.has_factor() ? spec.factor() : kDefaultOneThird;
  const int64_t total_iters = spec.has_total_iters() ? spec.total_iters() : kDefaultTotalIters;
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("factor"), factor, 0.0, 1.0));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("total_iters"), total_iters));
  ASSIGN_OR_RETURN(const bool reproduce, ReproducesFault(context, spec.framework_fault(),
                                                         /*reproduce_by_default=*/false));
  return std::make_unique<ConstantFactorSchedule>(context.base_lr, factor, total_iters, reproduce);
}

ScheduleOrError BuildLinearLR(const v1::LinearLR& spec, const BuildContext& context) {
  const double start_factor = spec.has_start_factor() ? spec.start_factor() : kDefaultOneThird;
  const double end_factor = spec.has_end_factor() ? spec.end_factor() : 1.0;
  const int64_t total_iters = spec.has_total_iters() ? spec.total_iters() : kDefaultTotalIters;
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("start_factor"), start_factor, 0.0, 1.0));
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("end_factor"), end_factor, 0.0, 1.0));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("total_iters"), total_iters));
  ASSIGN_OR_RETURN(const bool reproduce, ReproducesFault(context, spec.framework_fault(),
                                                         /*reproduce_by_default=*/false));
  return std::make_unique<LinearFactorSchedule>(context.base_lr, start_factor, end_factor,
                                                total_iters, reproduce);
}

ScheduleOrError BuildExponentialLR(const v1::ExponentialLR& spec, const BuildContext& context) {
  RETURN_IF_ERROR(CheckPresent(context.Field("gamma"), spec.has_gamma(),
                               "set the factor that multiplies the rate at each position"));
  RETURN_IF_ERROR(CheckPositive(context.Field("gamma"), spec.gamma()));
  return std::make_unique<ExponentialSchedule>(context.base_lr, spec.gamma());
}

ScheduleOrError BuildMultiplicativeLR(const v1::MultiplicativeLR& spec,
                                      const BuildContext& context) {
  RETURN_IF_ERROR(CheckPresent(context.Field("factor"), spec.has_factor(),
                               "set the constant that PyTorch's lr_lambda returns"));
  RETURN_IF_ERROR(CheckPositive(context.Field("factor"), spec.factor()));
  return std::make_unique<ExponentialSchedule>(context.base_lr, spec.factor());
}

ScheduleOrError BuildPolynomialLR(const v1::PolynomialLR& spec, const BuildContext& context) {
  const int64_t total_iters = spec.has_total_iters() ? spec.total_iters() : kDefaultTotalIters;
  const double power = spec.has_power() ? spec.power() : 1.0;
  RETURN_IF_ERROR(CheckPositive(context.Field("total_iters"), total_iters));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("power"), power));
  return std::make_unique<PolynomialSchedule>(context.base_lr, total_iters, power);
}

ScheduleOrError BuildCosineAnnealingLR(const v1::CosineAnnealingLR& spec,
                                       const BuildContext& context) {
  RETURN_IF_ERROR(CheckPositive(context.Field("t_max"), spec.t_max()));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("eta_min"), spec.eta_min()));
  ASSIGN_OR_RETURN(const bool periodic,
                   ReproducesFault(context, spec.framework_fault(), /*reproduce_by_default=*/true));
  return std::make_unique<CosineAnnealingSchedule>(context.base_lr, spec.t_max(), spec.eta_min(),
                                                   /*hold_after_t_max=*/!periodic);
}

ScheduleOrError BuildCosineAnnealingWarmRestarts(const v1::CosineAnnealingWarmRestarts& spec,
                                                 const BuildContext& context) {
  const int64_t t_mult = spec.has_t_mult() ? spec.t_mult() : 1;
  RETURN_IF_ERROR(CheckPositive(context.Field("t_0"), spec.t_0()));
  RETURN_IF_ERROR(CheckAtLeast(context.Field("t_mult"), t_mult, int64_t{1}));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("eta_min"), spec.eta_min()));
  return std::make_unique<WarmRestartsSchedule>(context.base_lr, spec.t_0(), t_mult,
                                                spec.eta_min());
}

ScheduleOrError BuildCyclicLR(const v1::CyclicLR& spec, const BuildContext& context) {
  const double low = spec.has_base_lr() ? spec.base_lr() : context.base_lr;
  RETURN_IF_ERROR(CheckNonNegative(context.Field("base_lr"), low));
  RETURN_IF_ERROR(CheckPresent(context.Field("max_lr"), spec.has_max_lr(),
                               "set the rate at the top of each cycle"));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("max_lr"), spec.max_lr()));

  const int64_t up = spec.has_step_size_up() ? spec.step_size_up() : kDefaultStepSizeUp;
  const int64_t down = spec.has_step_size_down() ? spec.step_size_down() : up;
  RETURN_IF_ERROR(CheckPositive(context.Field("step_size_up"), up));
  RETURN_IF_ERROR(CheckNonNegative(context.Field("step_size_down"), down));
  RETURN_IF_ERROR(CheckedAdd(context.Field("step_size_up + step_size_down"), up, down).status());

  using Mode = CyclicSchedule::Mode;
  ASSIGN_OR_RETURN(const Mode mode,
                   ParseChoice(context.Field("mode"), spec.mode(), Mode::kTriangular,
                               {{"triangular", Mode::kTriangular},
                                {"triangular2", Mode::kTriangular2},
                                {"exp_range", Mode::kExpRange}}));
  const double gamma = spec.has_gamma() ? spec.gamma() : 1.0;
  RETURN_IF_ERROR(CheckPositive(context.Field("gamma"), gamma));
  RETURN_IF_ERROR(
      CheckNoMomentumCycling(context, spec.has_cycle_momentum(), spec.cycle_momentum()));
  return std::make_unique<CyclicSchedule>(low, spec.max_lr(), up, down, mode, gamma);
}

ScheduleOrError BuildOneCycleLR(const v1::OneCycleLR& spec, const BuildContext& context) {
  OneCycleSchedule::Options options;
  options.max_lr = spec.has_max_lr() ? spec.max_lr() : context.base_lr;
  RETURN_IF_ERROR(CheckPositive(context.Field("max_lr"), options.max_lr));
  ASSIGN_OR_RETURN(OneCycleLength length, OneCycleTotalSteps(spec, context));
  options.total_steps = length.total_steps;
  options.end_cause = std::move(length.cause);

  options.pct_start = spec.has_pct_start() ? spec.pct_start() : kDefaultPctStart;
  RETURN_IF_ERROR(CheckInClosedRange(context.Field("pct_start"), options.pct_start, 0.0, 1.0));
  if (options.pct_start * static_cast<double>(options.total_steps) == 1.0) {
    return absl::InvalidArgumentError(absl::StrCat(
        context.Field("pct_start"), " is ", options.pct_start, " with ", options.total_steps,
        " total steps, which gives the rising phase no length (PyTorch divides by zero): ",
        "choose a pct_start other than 1 / total_steps"));
  }

  using Anneal = OneCycleSchedule::Anneal;
  ASSIGN_OR_RETURN(
      options.anneal,
      ParseChoice(context.Field("anneal_strategy"), spec.anneal_strategy(), Anneal::kCosine,
                  {{"cos", Anneal::kCosine}, {"linear", Anneal::kLinear}}));
  options.div_factor = spec.has_div_factor() ? spec.div_factor() : kDefaultDivFactor;
  options.final_div_factor =
      spec.has_final_div_factor() ? spec.final_div_factor() : kDefaultFinalDivFactor;
  RETURN_IF_ERROR(CheckPositive(context.Field("div_factor"), options.div_factor));
  RETURN_IF_ERROR(CheckPositive(context.Field("final_div_factor"), options.final_div_factor));
  options.three_phase = spec.three_phase();
  RETURN_IF_ERROR(
      CheckNoMomentumCycling(context, spec.has_cycle_momentum(), spec.cycle_momentum()));

  ASSIGN_OR_RETURN(
      options.extrapolate_at_total_steps,
      ReproducesFault(context, spec.framework_fault(), /*reproduce_by_default=*/false));
  return std::make_unique<OneCycleSchedule>(options);
}

}  // namespace lrsched::builders
