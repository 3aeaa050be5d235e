// The schedule families, each a closed form that a reader can check against the formula of the
// framework it comes from. Parameters are validated by BuildSchedule before construction.
#ifndef LRSCHED_CORE_SCHEDULE_FAMILIES_H_
#define LRSCHED_CORE_SCHEDULE_FAMILIES_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "core/schedule.h"

namespace lrsched {

class ConstantSchedule final : public Schedule {
 public:
  explicit ConstantSchedule(double base_lr) : base_lr_(base_lr) {}
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
};

// PyTorch StepLR: base_lr * gamma^floor(t / step_size).
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

// PyTorch MultiStepLR: base_lr * gamma^(number of milestones <= t), repeats counted.
class MultiStepSchedule final : public Schedule {
 public:
  MultiStepSchedule(double base_lr, std::vector<int64_t> milestones, double gamma);
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
  std::vector<int64_t> sorted_milestones_;
  double gamma_;
};

// Keras ExponentialDecay: initial * decay_rate^(t / decay_steps), floored when staircase.
class ExponentialDecaySchedule final : public Schedule {
 public:
  ExponentialDecaySchedule(double initial_lr, int64_t decay_steps, double decay_rate,
                           bool staircase)
      : initial_lr_(initial_lr),
        decay_steps_(decay_steps),
        decay_rate_(decay_rate),
        staircase_(staircase) {}
  double LearningRate(int64_t position) const override;

 private:
  double initial_lr_;
  int64_t decay_steps_;
  double decay_rate_;
  bool staircase_;
};

// Keras CosineDecay (without its warmup), clamped at alpha * initial after decay_steps.
class CosineDecaySchedule final : public Schedule {
 public:
  CosineDecaySchedule(double initial_lr, int64_t decay_steps, double alpha)
      : initial_lr_(initial_lr), decay_steps_(decay_steps), alpha_(alpha) {}
  double LearningRate(int64_t position) const override;

 private:
  double initial_lr_;
  int64_t decay_steps_;
  double alpha_;
};

// PyTorch CosineAnnealingLR, closed form; periodic past T_max as in PyTorch.
class CosineAnnealingSchedule final : public Schedule {
 public:
  CosineAnnealingSchedule(double base_lr, int64_t t_max, double eta_min)
      : base_lr_(base_lr), t_max_(t_max), eta_min_(eta_min) {}
  double LearningRate(int64_t position) const override;

 private:
  double base_lr_;
  int64_t t_max_;
  double eta_min_;
};

// A linear ramp from start_factor * after(0) to after(0) over warmup_steps positions, then
// after(t - warmup_steps).
class LinearWarmupSchedule final : public Schedule {
 public:
  LinearWarmupSchedule(int64_t warmup_steps, double start_factor,
                       std::unique_ptr<Schedule> after)
      : warmup_steps_(warmup_steps), start_factor_(start_factor), after_(std::move(after)) {}
  double LearningRate(int64_t position) const override;

 private:
  int64_t warmup_steps_;
  double start_factor_;
  std::unique_ptr<Schedule> after_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_SCHEDULE_FAMILIES_H_
