// Closed forms of PyTorch's families. PyTorch's default recursive (chainable) form agrees with
// them to within a few ulps, and the golden tests bound the difference.
#include "core/families/pytorch_schedules.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lrsched {

double StepSchedule::LearningRate(int64_t position) const {
  return base_lr_ * std::pow(gamma_, static_cast<double>(position / step_size_));
}

MultiStepSchedule::MultiStepSchedule(double base_lr, std::vector<int64_t> milestones, double gamma)
    : base_lr_(base_lr), sorted_milestones_(std::move(milestones)), gamma_(gamma) {
  std::sort(sorted_milestones_.begin(), sorted_milestones_.end());
}

double MultiStepSchedule::LearningRate(int64_t position) const {
  const auto passed =
      std::upper_bound(sorted_milestones_.begin(), sorted_milestones_.end(), position) -
      sorted_milestones_.begin();
  return base_lr_ * std::pow(gamma_, static_cast<double>(passed));
}

ConstantFactorSchedule::ConstantFactorSchedule(double base_lr, double factor, int64_t total_iters,
                                               bool stuck_at_zero_total_iters)
    : base_lr_(base_lr),
      factor_(factor),
      total_iters_(total_iters),
      // PyTorch restores the rate only at a step() where last_epoch == total_iters, and its
      // first step() is last_epoch 1, so total_iters 0 is never reached.
      never_restores_(total_iters == 0 && stuck_at_zero_total_iters) {}

double ConstantFactorSchedule::LearningRate(int64_t position) const {
  // PyTorch's closed form: factor + (t >= total_iters) * (1 - factor).
  if (never_restores_ || position < total_iters_) return base_lr_ * factor_;
  return base_lr_ * (factor_ + (1.0 - factor_));
}

double LinearFactorSchedule::RateAt(double position) const {
  if (total_iters_ == 0)
    return base_lr_ * (stuck_at_zero_total_iters_ ? start_factor_ : end_factor_);

  const double iters = static_cast<double>(total_iters_);
  const double progress = std::min(iters, position) / iters;
  return base_lr_ * (start_factor_ + (end_factor_ - start_factor_) * progress);
}

double ExponentialSchedule::RateAt(double position) const {
  return base_lr_ * std::pow(gamma_, position);
}

double PolynomialSchedule::RateAt(double position) const {
  const double iters = static_cast<double>(total_iters_);
  return base_lr_ * std::pow(1.0 - std::min(iters, position) / iters, power_);
}

double CosineAnnealingSchedule::RateAt(double position) const {
  const double t_max = static_cast<double>(t_max_);
  if (hold_after_t_max_) position = std::min(position, t_max);

  const double phase = std::numbers::pi * position / t_max;
  return eta_min_ + (base_lr_ - eta_min_) * (1.0 + std::cos(phase)) / 2.0;
}

}  // namespace lrsched
