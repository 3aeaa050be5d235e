// Internal to BuildSchedule: one function per schedule family that validates the family's
// message and builds its Schedule. Each returns INVALID_ARGUMENT naming the field's full path,
// its value and the valid range.
#ifndef LRSCHED_CORE_BUILDERS_FAMILY_BUILDERS_H_
#define LRSCHED_CORE_BUILDERS_FAMILY_BUILDERS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/schedule.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched::builders {

using ScheduleOrError = absl::StatusOr<std::unique_ptr<Schedule>>;

// The place in the spec of the family being built, and the values it inherits from the
// schedules around it.
struct BuildContext {
  // Path of the family's message, e.g. "schedule.sequence.schedules[1].step_lr".
  std::string path;
  // The spec's base_lr, which every schedule in the spec scales.
  double base_lr = 0;
  // Nesting level of the family: 1 for the spec's own schedule.
  int depth = 1;
  // Schedules built so far in the whole spec, shared by all contexts of one spec.
  int* schedule_count = nullptr;

  // Path of one of the family's fields.
  std::string Field(absl::string_view name) const { return absl::StrCat(path, ".", name); }
};

// Builds the schedule at `path` (a Schedule message, e.g. "schedule.product.schedules[0]")
// nested one level below `parent`. It is defined in schedule_builder.cc, and compositions call
// it for the schedules they contain.
ScheduleOrError BuildNestedSchedule(const v1::Schedule& schedule, const std::string& path,
                                    const BuildContext& parent);

// Whether a family with a known framework fault reproduces it, given its choice and its
// default. INVALID_ARGUMENT for enum numbers outside FrameworkFault.
absl::StatusOr<bool> ReproducesFault(const BuildContext& context, v1::FrameworkFault choice,
                                     bool reproduce_by_default);

// PyTorch (pytorch_builders.cc).
ScheduleOrError BuildStepLR(const v1::StepLR& spec, const BuildContext& context);
ScheduleOrError BuildMultiStepLR(const v1::MultiStepLR& spec, const BuildContext& context);
ScheduleOrError BuildConstantLR(const v1::ConstantLR& spec, const BuildContext& context);
ScheduleOrError BuildLinearLR(const v1::LinearLR& spec, const BuildContext& context);
ScheduleOrError BuildExponentialLR(const v1::ExponentialLR& spec, const BuildContext& context);
ScheduleOrError BuildMultiplicativeLR(const v1::MultiplicativeLR& spec,
                                      const BuildContext& context);
ScheduleOrError BuildPolynomialLR(const v1::PolynomialLR& spec, const BuildContext& context);
ScheduleOrError BuildCosineAnnealingLR(const v1::CosineAnnealingLR& spec,
                                       const BuildContext& context);
ScheduleOrError BuildCosineAnnealingWarmRestarts(const v1::CosineAnnealingWarmRestarts& spec,
                                                 const BuildContext& context);
ScheduleOrError BuildCyclicLR(const v1::CyclicLR& spec, const BuildContext& context);
ScheduleOrError BuildOneCycleLR(const v1::OneCycleLR& spec, const BuildContext& context);

// Keras (keras_builders.cc).
ScheduleOrError BuildExponentialDecay(const v1::ExponentialDecay& spec,
                                      const BuildContext& context);
ScheduleOrError BuildCosineDecay(const v1::CosineDecay& spec, const BuildContext& context);
ScheduleOrError BuildPiecewiseConstantDecay(const v1::PiecewiseConstantDecay& spec,
                                            const BuildContext& context);
ScheduleOrError BuildPolynomialDecay(const v1::PolynomialDecay& spec, const BuildContext& context);
ScheduleOrError BuildInverseTimeDecay(const v1::InverseTimeDecay& spec,
                                      const BuildContext& context);
ScheduleOrError BuildCosineDecayRestarts(const v1::CosineDecayRestarts& spec,
                                         const BuildContext& context);

// Hugging Face transformers (transformers_builders.cc).
ScheduleOrError BuildConstantScheduleWithWarmup(const v1::ConstantScheduleWithWarmup& spec,
                                                const BuildContext& context);
ScheduleOrError BuildLinearScheduleWithWarmup(const v1::LinearScheduleWithWarmup& spec,
                                              const BuildContext& context);
ScheduleOrError BuildCosineScheduleWithWarmup(const v1::CosineScheduleWithWarmup& spec,
                                              const BuildContext& context);
ScheduleOrError BuildCosineWithHardRestarts(
    const v1::CosineWithHardRestartsScheduleWithWarmup& spec, const BuildContext& context);
ScheduleOrError BuildPolynomialDecayScheduleWithWarmup(
    const v1::PolynomialDecayScheduleWithWarmup& spec, const BuildContext& context);
ScheduleOrError BuildInverseSqrtSchedule(const v1::InverseSqrtSchedule& spec,
                                         const BuildContext& context);
ScheduleOrError BuildWsdSchedule(const v1::WsdSchedule& spec, const BuildContext& context);
ScheduleOrError BuildCosineWithMinLr(const v1::CosineWithMinLrScheduleWithWarmup& spec,
                                     const BuildContext& context);
ScheduleOrError BuildCosineWithMinLrLrRate(const v1::CosineWithMinLrScheduleWithWarmupLrRate& spec,
                                           const BuildContext& context);

// The range test and the compositions (composite_builders.cc).
ScheduleOrError BuildLrRangeTestRamp(const v1::LrRangeTestRamp& spec, const BuildContext& context);
ScheduleOrError BuildLinearWarmup(const v1::LinearWarmup& spec, const BuildContext& context);
ScheduleOrError BuildExponentialWarmup(const v1::ExponentialWarmup& spec,
                                       const BuildContext& context);
ScheduleOrError BuildConstantWarmup(const v1::ConstantWarmup& spec, const BuildContext& context);
ScheduleOrError BuildSequence(const v1::Sequence& spec, const BuildContext& context);
ScheduleOrError BuildProduct(const v1::Product& spec, const BuildContext& context);

}  // namespace lrsched::builders

#endif  // LRSCHED_CORE_BUILDERS_FAMILY_BUILDERS_H_
