// Formulas of the schedule families. Where the frameworks compute recursively (PyTorch's
// chainable form), these closed forms agree with them to within a few ulps; the golden tests
// bound the difference.
#include "core/schedule_families.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lrsched {

double ConstantSchedule::LearningRate(int64_t /*position*/) const { return base_lr_; }

double StepSchedule::LearningRate(int64_t position) const {
  return base_lr_ * std::pow(gamma_, static_cast<double>(position / step_size_));
}

MultiStepSchedule::MultiStepSchedule(double base_lr, std::vector<int64_t> milestones,
                                     double gamma)
    : base_lr_(base_lr), sorted_milestones_(std::move(milestones)), gamma_(gamma) {
  std::sort(sorted_milestones_.begin(), sorted_milestones_.end());
}

double MultiStepSchedule::LearningRate(int64_t position) const {
  const auto passed = std::upper_bound(sorted_milestones_.begin(), sorted_milestones_.end(),
                                       position) -
                      sorted_milestones_.begin();
  return base_lr_ * std::pow(gamma_, static_cast<double>(passed));
}

double ExponentialDecaySchedule::LearningRate(int64_t position) const {
  // Keras' operation order: p = step / decay_steps, floored for staircase, then rate^p.
  double exponent = static_cast<double>(position) / static_cast<double>(decay_steps_);
  if (staircase_) exponent = std::floor(exponent);
  return initial_lr_ * std::pow(decay_rate_, exponent);
}

double CosineDecaySchedule::LearningRate(int64_t position) const {
  const double step = static_cast<double>(std::min(position, decay_steps_));
  const double completed_fraction = step / static_cast<double>(decay_steps_);
  const double cosine_decayed = 0.5 * (1.0 + std::cos(std::numbers::pi * completed_fraction));
  const double decayed = (1.0 - alpha_) * cosine_decayed + alpha_;
  return initial_lr_ * decayed;
}

double CosineAnnealingSchedule::LearningRate(int64_t position) const {
  const double phase =
      std::numbers::pi * static_cast<double>(position) / static_cast<double>(t_max_);
  return eta_min_ + (base_lr_ - eta_min_) * (1.0 + std::cos(phase)) / 2.0;
}

double LinearWarmupSchedule::LearningRate(int64_t position) const {
  if (position >= warmup_steps_) return after_->LearningRate(position - warmup_steps_);

  const double progress = static_cast<double>(position) / static_cast<double>(warmup_steps_);
  return after_->LearningRate(0) * (start_factor_ + (1.0 - start_factor_) * progress);
}

}  // namespace lrsched
