// PyTorch's closed-form schedule families (torch.optim.lr_scheduler, checked against 1.13.1).
// Each is the closed form PyTorch itself uses for `step(epoch)`. PyTorch's default recursive
// form agrees with it to within a few ulps. Parameters are validated by BuildSchedule.
#ifndef LRSCHED_CORE_FAMILIES_PYTORCH_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_PYTORCH_SCHEDULES_H_

#include <cstdint>
#include <vector>

#include "core/families/continuous_schedule.h"
#include "core/schedule.h"

namespace lrsched {

// StepLR: base_lr * gamma^floor(t / step_size).
class StepSchedule final : public Schedule {
 public:
  StepSchedule(double base_lr, int64_t step_size, double gamma)
      : base_lr_(base_lr), step_size_(step_size), gamma_(gamma) {}
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
  int64_t step_size_;
  double gamma_;
};

// MultiStepLR: base_lr * gamma^(number of milestones <= t), repeats counted.
class MultiStepSchedule final : public Schedule {
 public:
  MultiStepSchedule(double base_lr, std::vector<int64_t> milestones, double gamma);
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
  std::vector<int64_t> sorted_milestones_;
  double gamma_;
};

// ConstantLR: base_lr * factor for t < total_iters, then base_lr. With
// `stuck_at_zero_total_iters`, total_iters = 0 keeps base_lr * factor forever, as PyTorch does.
class ConstantFactorSchedule final : public Schedule {
 public:
  ConstantFactorSchedule(double base_lr, double factor, int64_t total_iters,
                         bool stuck_at_zero_total_iters);
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
  double factor_;
  int64_t total_iters_;
  // Whether the rate stays at base_lr * factor forever, PyTorch's result for total_iters = 0.
  bool never_restores_;
};

// LinearLR: base_lr * (start + (end - start) * min(t, total_iters) / total_iters). With
// total_iters = 0 the rate is base_lr * end, or base_lr * start when
// `stuck_at_zero_total_iters` reproduces PyTorch.
class LinearFactorSchedule final : public ContinuousSchedule {
 public:
  LinearFactorSchedule(double base_lr, double start_factor, double end_factor, int64_t total_iters,
                       bool stuck_at_zero_total_iters)
      : base_lr_(base_lr),
        start_factor_(start_factor),
        end_factor_(end_factor),
        total_iters_(total_iters),
        stuck_at_zero_total_iters_(stuck_at_zero_total_iters) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  double start_factor_;
  double end_factor_;
  int64_t total_iters_;
  bool stuck_at_zero_total_iters_;
};

// ExponentialLR, and MultiplicativeLR with a constant multiplier: base_lr * gamma^t.
class ExponentialSchedule final : public ContinuousSchedule {
 public:
  ExponentialSchedule(double base_lr, double gamma) : base_lr_(base_lr), gamma_(gamma) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  double gamma_;
};

// PolynomialLR: base_lr * (1 - min(t, total_iters) / total_iters)^power.
class PolynomialSchedule final : public ContinuousSchedule {
 public:
  PolynomialSchedule(double base_lr, int64_t total_iters, double power)
      : base_lr_(base_lr), total_iters_(total_iters), power_(power) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t total_iters_;
  double power_;
};

// CosineAnnealingLR, closed form. Periodic past T_max as in PyTorch, or held at eta_min from
// T_max on when `hold_after_t_max`.
class CosineAnnealingSchedule final : public ContinuousSchedule {
 public:
  CosineAnnealingSchedule(double base_lr, int64_t t_max, double eta_min, bool hold_after_t_max)
      : base_lr_(base_lr), t_max_(t_max), eta_min_(eta_min), hold_after_t_max_(hold_after_t_max) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t t_max_;
  double eta_min_;
  bool hold_after_t_max_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_PYTORCH_SCHEDULES_H_
