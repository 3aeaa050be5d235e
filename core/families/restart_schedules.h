// Cosine schedules with warm restarts: PyTorch's CosineAnnealingWarmRestarts and Keras'
// CosineDecayRestarts. Both find the current period directly (restart_periods.h) instead of
// stepping through the positions before it.
#ifndef LRSCHED_CORE_FAMILIES_RESTART_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_RESTART_SCHEDULES_H_

#include <cstdint>

#include "core/families/continuous_schedule.h"

namespace lrsched {

// CosineAnnealingWarmRestarts: eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
// with periods T_0, T_0 * T_mult, ...
class WarmRestartsSchedule final : public ContinuousSchedule {
 public:
  WarmRestartsSchedule(double base_lr, int64_t t_0, int64_t t_mult, double eta_min)
      : base_lr_(base_lr), t_0_(t_0), t_mult_(t_mult), eta_min_(eta_min) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t t_0_;
  int64_t t_mult_;
  double eta_min_;
};

// CosineDecayRestarts: initial * ((1 - alpha) * 0.5 * m_mul^i * (1 + cos(pi * f)) + alpha) in
// period i, f being the fraction of the period done.
class CosineDecayRestartsSchedule final : public ContinuousSchedule {
 public:
  CosineDecayRestartsSchedule(double initial_lr, int64_t first_decay_steps, double t_mul,
                              double m_mul, double alpha)
      : initial_lr_(initial_lr),
        first_decay_steps_(first_decay_steps),
        t_mul_(t_mul),
        m_mul_(m_mul),
        alpha_(alpha) {}

 protected:
  double RateAt(double position) const override;

 private:
  double initial_lr_;
  int64_t first_decay_steps_;
  double t_mul_;
  double m_mul_;
  double alpha_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_RESTART_SCHEDULES_H_
