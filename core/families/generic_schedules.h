// Schedules that belong to no framework: the constant rate and the learning-rate range test.
#ifndef LRSCHED_CORE_FAMILIES_GENERIC_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_GENERIC_SCHEDULES_H_

#include <cstdint>
#include <string>

#include "core/families/continuous_schedule.h"

namespace lrsched {

class ConstantSchedule final : public ContinuousSchedule {
 public:
  explicit ConstantSchedule(double base_lr) : base_lr_(base_lr) {}

 protected:
  double RateAt(double /*position*/) const override { return base_lr_; }

 private:
  double base_lr_;
};

// The range test's ramp from min_lr at 0 to max_lr at num_steps - 1, where the schedule ends.
// Positions past the end get the rate of the last position, max_lr.
class RangeTestSchedule final : public ContinuousSchedule {
 public:
  enum class Ramp { kExponential, kLinear };

  // REQUIRES: num_steps >= 2, and min_lr > 0 for the exponential ramp. `end_cause` names the field
  // that ends the schedule, for CheckPosition's message.
  RangeTestSchedule(double min_lr, double max_lr, int64_t num_steps, Ramp ramp,
                    std::string end_cause);

 protected:
  double RateAt(double position) const override;

 private:
  double min_lr_;
  double max_lr_;
  double last_position_;
  Ramp ramp_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_GENERIC_SCHEDULES_H_
