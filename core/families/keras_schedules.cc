#include "core/families/keras_schedules.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lrsched {

double ExponentialDecaySchedule::RateAt(double position) const {
  // Keras' operation order: p = step / decay_steps, floored for staircase, then rate^p.
  double exponent = position / static_cast<double>(decay_steps_);
  if (staircase_) exponent = std::floor(exponent);
  return initial_lr_ * std::pow(decay_rate_, exponent);
}

double CosineDecaySchedule::Decay(double step, double decay_from) const {
  const double completed_fraction = step / static_cast<double>(decay_steps_);
  const double cosine_decayed = 0.5 * (1.0 + std::cos(std::numbers::pi * completed_fraction));
  const double decayed = (1.0 - alpha_) * cosine_decayed + alpha_;
  return decay_from * decayed;
}

double CosineDecaySchedule::RateAt(double position) const {
  const double decay_steps = static_cast<double>(decay_steps_);
  if (!warmup_target_.has_value()) return Decay(std::min(position, decay_steps), initial_lr_);

  const double warmup_steps = static_cast<double>(warmup_steps_);
  const double step = std::min(position, decay_steps + warmup_steps);
  if (step >= warmup_steps) return Decay(step - warmup_steps, *warmup_target_);

  // Keras' code adds initial_learning_rate here, although its docstring formula leaves it out.
  const double completed_fraction = step / warmup_steps;
  return (*warmup_target_ - initial_lr_) * completed_fraction + initial_lr_;
}

double PiecewiseConstantSchedule::LearningRate(int64_t position) const {
  // A step equal to a boundary keeps the earlier value, as Keras' `step <= boundary` test.
  const auto passed =
      std::lower_bound(boundaries_.begin(), boundaries_.end(), position) - boundaries_.begin();
  return values_[passed];
}

double PolynomialDecaySchedule::RateAt(double position) const {
  double step = position;
  double horizon = static_cast<double>(decay_steps_);
  if (cycle_) {
    // The first multiple of decay_steps at or above the step, decay_steps itself at step 0.
    const double multiplier = step == 0 ? 1.0 : std::ceil(step / horizon);
    horizon *= multiplier;
  } else {
    step = std::min(step, horizon);
  }

  const double completed_fraction = step / horizon;
  return (initial_lr_ - end_lr_) * std::pow(1.0 - completed_fraction, power_) + end_lr_;
}

double InverseTimeDecaySchedule::RateAt(double position) const {
  double periods = position / static_cast<double>(decay_steps_);
  if (staircase_) periods = std::floor(periods);
  return initial_lr_ / (1.0 + decay_rate_ * periods);
}

}  // namespace lrsched
