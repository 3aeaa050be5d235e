// The multipliers follow transformers' optimization.py (commit 005edacb6b5d) operation by
// operation, so that double results match its LambdaLR to the last bits where libm agrees.
#include "core/families/transformers_schedules.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lrsched {
namespace {

// t / max(1, num_warmup_steps).
double WarmupFactor(double position, int64_t num_warmup_steps) {
  return position / static_cast<double>(std::max<int64_t>(1, num_warmup_steps));
}

// (t - num_warmup_steps) / max(1, num_training_steps - num_warmup_steps).
double DecayProgress(double position, int64_t num_warmup_steps, int64_t num_training_steps) {
  const int64_t decay_length = std::max<int64_t>(1, num_training_steps - num_warmup_steps);
  return (position - static_cast<double>(num_warmup_steps)) / static_cast<double>(decay_length);
}

// 0.5 * (1 + cos(pi * num_cycles * 2 * progress)), mapped onto [min_lr_rate, 1] and kept >= 0.
double CosineFactor(double progress, double num_cycles, double min_lr_rate) {
  const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * num_cycles * 2.0 * progress));
  return std::max(0.0, cosine * (1 - min_lr_rate) + min_lr_rate);
}

}  // namespace

double TransformersConstantSchedule::RateAt(double position) const {
  if (position < static_cast<double>(num_warmup_steps_)) {
    return base_lr_ * WarmupFactor(position, num_warmup_steps_);
  }
  return base_lr_;
}

double TransformersLinearSchedule::RateAt(double position) const {
  if (position < static_cast<double>(num_warmup_steps_)) {
    return base_lr_ * WarmupFactor(position, num_warmup_steps_);
  }

  const int64_t decay_length = std::max<int64_t>(1, num_training_steps_ - num_warmup_steps_);
  const double remaining = static_cast<double>(num_training_steps_) - position;
  return base_lr_ * std::max(0.0, remaining / static_cast<double>(decay_length));
}

double TransformersCosineSchedule::RateAt(double position) const {
  if (position < static_cast<double>(options_.num_warmup_steps)) {
    return base_lr_ * WarmupFactor(position, options_.num_warmup_steps);
  }

  double progress = DecayProgress(position, options_.num_warmup_steps, options_.num_training_steps);
  if (options_.hold_after_training) progress = std::min(progress, 1.0);
  return base_lr_ * CosineFactor(progress, options_.num_cycles, options_.min_lr_rate);
}

double TransformersCosineLrRateSchedule::RateAt(double position) const {
  const double warmup_steps = static_cast<double>(options_.num_warmup_steps);
  if (position < warmup_steps) {
    if (!options_.warmup_lr_rate.has_value()) {
      return base_lr_ * ((position + 1.0) / std::max(1.0, warmup_steps));
    }
    const double start = *options_.warmup_lr_rate;
    const double ramp_length = std::max(1.0, warmup_steps - 1);
    return base_lr_ * (start + (1.0 - start) * position / ramp_length);
  }

  const double decay_length =
      std::max(1.0, static_cast<double>(options_.num_training_steps) - warmup_steps);
  double progress = (position - warmup_steps + 1.0) / decay_length;
  if (options_.hold_after_training) progress = std::min(progress, 1.0);
  return base_lr_ * CosineFactor(progress, options_.num_cycles, options_.min_lr_rate);
}

double TransformersHardRestartsSchedule::RateAt(double position) const {
  if (position < static_cast<double>(num_warmup_steps_)) {
    return base_lr_ * WarmupFactor(position, num_warmup_steps_);
  }

  const double progress = DecayProgress(position, num_warmup_steps_, num_training_steps_);
  if (progress >= 1.0) return base_lr_ * 0.0;
  const double cycle_fraction = std::fmod(num_cycles_ * progress, 1.0);
  return base_lr_ * std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * cycle_fraction)));
}

double TransformersPolynomialSchedule::RateAt(double position) const {
  if (position < static_cast<double>(num_warmup_steps_)) {
    return base_lr_ * WarmupFactor(position, num_warmup_steps_);
  }

  // transformers divides by the optimizer's rate, which LambdaLR multiplies back.
  const double lr_init = base_lr_;
  if (position > static_cast<double>(num_training_steps_)) return base_lr_ * (lr_end_ / lr_init);

  const double decay_steps = static_cast<double>(num_training_steps_ - num_warmup_steps_);
  const double remaining = 1 - (position - static_cast<double>(num_warmup_steps_)) / decay_steps;
  const double decayed = (lr_init - lr_end_) * std::pow(remaining, power_) + lr_end_;
  return base_lr_ * (decayed / lr_init);
}

double TransformersInverseSqrtSchedule::RateAt(double position) const {
  if (position < static_cast<double>(num_warmup_steps_)) {
    return base_lr_ * WarmupFactor(position, num_warmup_steps_);
  }

  const double shift = static_cast<double>(timescale_ - num_warmup_steps_);
  return base_lr_ * (1.0 / std::sqrt((position + shift) / static_cast<double>(timescale_)));
}

double TransformersWsdSchedule::RateAt(double position) const {
  return base_lr_ * Factor(position);
}

double TransformersWsdSchedule::Factor(double position) const {
  const double warmup_end = static_cast<double>(options_.num_warmup_steps);
  const double stable_end = warmup_end + static_cast<double>(options_.num_stable_steps);
  const double decay_end = stable_end + static_cast<double>(options_.num_decay_steps);
  const double min_ratio = options_.min_lr_ratio;

  double factor = 0;
  if (position < warmup_end) {
    const double progress = WarmupFactor(position, options_.num_warmup_steps);
    switch (options_.warmup_type) {
      case Shape::kLinear:
        factor = progress;
        break;
      case Shape::kCosine:
        factor = 0.5 * (1.0 - std::cos(std::numbers::pi * progress));
        break;
      case Shape::kOneMinusSqrt:
        factor = 1.0 - std::sqrt(1.0 - progress);
        break;
    }
  } else if (position < stable_end) {
    return 1.0;
  } else if (position < decay_end) {
    const double decay_length = std::max<int64_t>(1, options_.num_decay_steps);
    const double progress = (position - warmup_end - options_.num_stable_steps) / decay_length;
    switch (options_.decay_type) {
      case Shape::kLinear:
        factor = 1.0 - progress;
        break;
      case Shape::kCosine:
        factor = 0.5 * (1.0 + std::cos(std::numbers::pi * options_.num_cycles * 2.0 * progress));
        break;
      case Shape::kOneMinusSqrt:
        factor = 1.0 - std::sqrt(progress);
        break;
    }
  } else {
    return min_ratio;
  }
  return std::max(0.0, factor * (1.0 - min_ratio) + min_ratio);
}

}  // namespace lrsched
