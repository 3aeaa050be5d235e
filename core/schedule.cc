#include "core/schedule.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace lrsched {

double Schedule::LearningRateAtFractionalPosition(double position) const {
  // A position beyond int64 has no whole position to hold, so the largest one is used.
  constexpr double kInt64Limit = 9223372036854775808.0;  // 2^63
  if (position >= kInt64Limit) return LearningRate(std::numeric_limits<int64_t>::max());
  return LearningRate(static_cast<int64_t>(std::floor(position)));
}

absl::Status Schedule::CheckPosition(int64_t position) const {
  if (position < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("position must be zero or positive, got ", position));
  }
  if (!end_.has_value() || position <= end_->last_position) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, " is past the end of the schedule: its last position is ",
                   end_->last_position, " because ", end_->cause));
}

}  // namespace lrsched
