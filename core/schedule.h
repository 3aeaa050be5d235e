// The compiled form of a schedule spec: a pure function from a position (an epoch or a step,
// as the spec's unit says) to a learning rate.
//
// Schedules are immutable after construction, so one instance may be evaluated from any number
// of threads at once. Every family computes the rate at a position directly, without replaying
// earlier positions, so a resumed job or a late worker gets its rate at once. Build schedules
// with BuildSchedule (schedule_builder.h), which validates the spec first. The classes assume
// valid parameters.
#ifndef LRSCHED_CORE_SCHEDULE_H_
#define LRSCHED_CORE_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace lrsched {

// The last position of a schedule that ends, and the field that ends it.
struct ScheduleEnd {
  int64_t last_position = 0;
  // The field and its value, e.g. "schedule.one_cycle_lr.total_steps is 20".
  std::string cause;
};

class Schedule {
 public:
  virtual ~Schedule() = default;

  // Returns the learning rate at `position`. REQUIRES: position >= 0. A schedule that ends
  // returns its last rate for positions past its end, so callers that must reject such
  // positions call CheckPosition first.
  virtual double LearningRate(int64_t position) const = 0;

  // Returns the learning rate at a fractional position, such as epoch 2.4 for PyTorch's
  // `CosineAnnealingWarmRestarts.step(2.4)`. The cosines, exponentials, ramps, warm restarts
  // and compositions evaluate their formula there. The families defined at whole positions
  // only (StepLR, MultiStepLR, ConstantLR, PiecewiseConstantDecay) hold the rate of
  // floor(position). REQUIRES: position finite and >= 0. At a whole position it equals
  // LearningRate.
  virtual double LearningRateAtFractionalPosition(double position) const;

  // The schedule's end, or nullopt when it has a rate at every position >= 0. Only
  // OneCycleLR and the range test's ramp end by themselves. A composition ends where a
  // schedule in it makes it end.
  const std::optional<ScheduleEnd>& end() const { return end_; }

  // Returns OK when the schedule has a rate at `position`. Otherwise returns INVALID_ARGUMENT
  // naming the position, the schedule's last position and the field that sets it, e.g.
  // "position 20 is past the end of the schedule: its last position is 19 because
  // schedule.one_cycle_lr.total_steps is 20". Negative positions are INVALID_ARGUMENT too.
  absl::Status CheckPosition(int64_t position) const;

 protected:
  void set_end(std::optional<ScheduleEnd> end) { end_ = std::move(end); }

 private:
  std::optional<ScheduleEnd> end_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_SCHEDULE_H_
