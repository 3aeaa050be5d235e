// The compiled form of a schedule spec: a pure function from a position (an epoch or a step,
// as the spec's unit says) to a learning rate.
//
// Schedules are immutable after construction, so one instance may be evaluated from any number
// of threads at once. Build them with BuildSchedule (schedule_builder.h), which validates the
// spec first; the classes here assume valid parameters.
#ifndef LRSCHED_CORE_SCHEDULE_H_
#define LRSCHED_CORE_SCHEDULE_H_

#include <cstdint>

namespace lrsched {

class Schedule {
 public:
  virtual ~Schedule() = default;

  // Returns the learning rate at `position`. REQUIRES: position >= 0.
  virtual double LearningRate(int64_t position) const = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_SCHEDULE_H_
