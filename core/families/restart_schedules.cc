#include "core/families/restart_schedules.h"

#include <cmath>
#include <numbers>

#include "core/families/restart_periods.h"

namespace lrsched {

double WarmRestartsSchedule::RateAt(double position) const {
  const RestartPeriod period = FindRestartPeriod(position, t_0_, static_cast<double>(t_mult_));
  const double t_cur = position - period.start;

  const double cosine = 1.0 + std::cos(std::numbers::pi * t_cur / period.length);
  return eta_min_ + (base_lr_ - eta_min_) * cosine / 2.0;
}

double CosineDecayRestartsSchedule::RateAt(double position) const {
  const RestartPeriod period = FindRestartPeriod(position, first_decay_steps_, t_mul_);
  const double completed_fraction = (position - period.start) / period.length;

  const double restart_factor = std::pow(m_mul_, static_cast<double>(period.index));
  const double cosine_decayed =
      0.5 * restart_factor * (1.0 + std::cos(std::numbers::pi * completed_fraction));
  const double decayed = (1.0 - alpha_) * cosine_decayed + alpha_;
  return initial_lr_ * decayed;
}

}  // namespace lrsched
