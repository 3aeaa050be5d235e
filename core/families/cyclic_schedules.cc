#include "core/families/cyclic_schedules.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace lrsched {

double CyclicSchedule::LearningRate(int64_t position) const {
  // Integer division finds the cycle exactly, where PyTorch computes floor(1 + t / total) in
  // floating point.
  const int64_t cycle = position / cycle_length_ + 1;
  const double offset = static_cast<double>(position % cycle_length_);
  return RateInCycle(cycle, offset, static_cast<double>(position));
}

double CyclicSchedule::LearningRateAtFractionalPosition(double position) const {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  const int64_t whole = position >= kTwoTo63 ? std::numeric_limits<int64_t>::max()
                                             : static_cast<int64_t>(std::floor(position));
  const int64_t cycle = whole / cycle_length_ + 1;
  const double offset =
      static_cast<double>(whole % cycle_length_) + (position - static_cast<double>(whole));
  return RateInCycle(cycle, offset, position);
}

double CyclicSchedule::RateInCycle(int64_t cycle, double offset, double position) const {
  // PyTorch's x <= step_ratio, with both sides multiplied by the cycle length. With
  // step_size_down = 0 the offset never exceeds step_size_up, so there is no division by 0.
  const double up = static_cast<double>(step_size_up_);
  const double length = static_cast<double>(cycle_length_);
  const double scale = offset <= up ? offset / up : (length - offset) / (length - up);

  double height_factor = 1.0;
  switch (mode_) {
    case Mode::kTriangular:
      break;
    case Mode::kTriangular2: {
      // 1 / 2^(cycle - 1), which is 0 in double long before 1100 halvings.
      const int halvings = static_cast<int>(std::min<int64_t>(cycle - 1, 1100));
      height_factor = std::ldexp(1.0, -halvings);
      break;
    }
    case Mode::kExpRange:
      height_factor = std::pow(gamma_, position);
      break;
  }
  return low_ + (high_ - low_) * scale * height_factor;
}

OneCycleSchedule::OneCycleSchedule(const Options& options) : anneal_(options.anneal) {
  const double total = static_cast<double>(options.total_steps);
  const double initial_lr = options.max_lr / options.div_factor;
  const double min_lr = initial_lr / options.final_div_factor;

  // PyTorch's phase ends: pct_start * total - 1, (2 * pct_start) * total - 2, total - 1.
  phases_.push_back({options.pct_start * total - 1, initial_lr, options.max_lr});
  if (options.three_phase) {
    phases_.push_back({2 * options.pct_start * total - 2, options.max_lr, initial_lr});
    phases_.push_back({total - 1, initial_lr, min_lr});
  } else {
    phases_.push_back({total - 1, options.max_lr, min_lr});
  }

  // PyTorch's rate at total_steps continues the last phase, which has no length (and PyTorch
  // divides by zero there) when the phase before it already ends at total_steps - 1.
  const double last_phase_start = phases_[phases_.size() - 2].end_step;
  const bool extrapolate = options.extrapolate_at_total_steps && last_phase_start != total - 1;
  const int64_t last_position = extrapolate ? options.total_steps : options.total_steps - 1;
  last_position_ = static_cast<double>(last_position);
  set_end(ScheduleEnd{last_position, options.end_cause});
}

double OneCycleSchedule::AnnealRate(double start, double end, double fraction) const {
  if (anneal_ == Anneal::kLinear) return (end - start) * fraction + start;

  const double cosine = std::cos(std::numbers::pi * fraction) + 1;
  return end + (start - end) / 2.0 * cosine;
}

double OneCycleSchedule::RateAt(double position) const {
  position = std::min(position, last_position_);

  // As PyTorch: the first phase whose end is not before the position, else the last phase.
  double start_step = 0;
  for (size_t i = 0; i < phases_.size(); ++i) {
    const Phase& phase = phases_[i];
    if (position <= phase.end_step || i + 1 == phases_.size()) {
      const double fraction = (position - start_step) / (phase.end_step - start_step);
      return AnnealRate(phase.start_lr, phase.end_lr, fraction);
    }
    start_step = phase.end_step;
  }
  return phases_.back().end_lr;  // Not reached: the last phase always returns.
}

}  // namespace lrsched
