#include "core/families/generic_schedules.h"

#include <algorithm>
#include <cmath>

namespace lrsched {

RangeTestSchedule::RangeTestSchedule(double min_lr, double max_lr, int64_t num_steps, Ramp ramp,
                                     std::string end_cause)
    : min_lr_(min_lr),
      max_lr_(max_lr),
      last_position_(static_cast<double>(num_steps - 1)),
      ramp_(ramp) {
  set_end(ScheduleEnd{num_steps - 1, std::move(end_cause)});
}

double RangeTestSchedule::RateAt(double position) const {
  const double progress = std::min(position, last_position_) / last_position_;
  if (ramp_ == Ramp::kLinear) return min_lr_ + (max_lr_ - min_lr_) * progress;
  return min_lr_ * std::pow(max_lr_ / min_lr_, progress);
}

}  // namespace lrsched
