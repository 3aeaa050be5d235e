// Validation and compilation of ScheduleSpec messages into Schedule objects.
#ifndef LRSCHED_CORE_SCHEDULE_BUILDER_H_
#define LRSCHED_CORE_SCHEDULE_BUILDER_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/schedule.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched {

// Maximum number of schedules nested inside one another in a spec.
inline constexpr int kMaxScheduleDepth = 32;

// Maximum number of schedules in one spec, compositions included. A product evaluates every
// schedule it contains at each position, so this bounds the work of one evaluation.
inline constexpr int kMaxSchedulesPerSpec = 1000;

// Maximum number of milestones in one MultiStepLR or Sequence, and of boundaries in one
// PiecewiseConstantDecay.
inline constexpr int kMaxMilestones = 10000;

// Validates `spec` as a whole and compiles it. On error returns INVALID_ARGUMENT whose message
// names the path to the bad field, the value and the valid range, for example
// "schedule.sequence.schedules[1].cosine_annealing_lr.t_max must be positive, got 0".
absl::StatusOr<std::unique_ptr<Schedule>> BuildSchedule(const v1::ScheduleSpec& spec);

// Validates `spec` without keeping the compiled schedule.
absl::Status ValidateScheduleSpec(const v1::ScheduleSpec& spec);

}  // namespace lrsched

#endif  // LRSCHED_CORE_SCHEDULE_BUILDER_H_
