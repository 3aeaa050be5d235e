// Base class of the families whose formula is defined at every real position, so that a whole
// position and a fractional one go through the same formula.
#ifndef LRSCHED_CORE_FAMILIES_CONTINUOUS_SCHEDULE_H_
#define LRSCHED_CORE_FAMILIES_CONTINUOUS_SCHEDULE_H_

#include <cstdint>

#include "core/schedule.h"

namespace lrsched {

class ContinuousSchedule : public Schedule {
 public:
  double LearningRate(int64_t position) const final {
    return RateAt(static_cast<double>(position));
  }
  double LearningRateAtFractionalPosition(double position) const final { return RateAt(position); }

 protected:
  // Returns the rate at `position`, which is finite and >= 0.
  virtual double RateAt(double position) const = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_CONTINUOUS_SCHEDULE_H_
