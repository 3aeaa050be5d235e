// Keras' schedule families (keras.optimizers.schedules, checked against Keras 3), with Keras'
// operation order, evaluated in double. Parameters are validated by BuildSchedule.
#ifndef LRSCHED_CORE_FAMILIES_KERAS_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_KERAS_SCHEDULES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "core/families/continuous_schedule.h"
#include "core/schedule.h"

namespace lrsched {

// ExponentialDecay: initial * decay_rate^(t / decay_steps), floored when staircase.
class ExponentialDecaySchedule final : public ContinuousSchedule {
 public:
  ExponentialDecaySchedule(double initial_lr, int64_t decay_steps, double decay_rate,
                           bool staircase)
      : initial_lr_(initial_lr),
        decay_steps_(decay_steps),
        decay_rate_(decay_rate),
        staircase_(staircase) {}

 protected:
  double RateAt(double position) const override;

 private:
  double initial_lr_;
  int64_t decay_steps_;
  double decay_rate_;
  bool staircase_;
};

// CosineDecay, clamped after decay_steps, with Keras' optional linear warmup from initial to
// warmup_target over warmup_steps.
class CosineDecaySchedule final : public ContinuousSchedule {
 public:
  CosineDecaySchedule(double initial_lr, int64_t decay_steps, double alpha,
                      std::optional<double> warmup_target, int64_t warmup_steps)
      : initial_lr_(initial_lr),
        decay_steps_(decay_steps),
        alpha_(alpha),
        warmup_target_(warmup_target),
        warmup_steps_(warmup_steps) {}

 protected:
  double RateAt(double position) const override;

 private:
  // The cosine from `decay_from` at step 0 to alpha * decay_from at decay_steps.
  double Decay(double step, double decay_from) const;

  double initial_lr_;
  int64_t decay_steps_;
  double alpha_;
  std::optional<double> warmup_target_;
  int64_t warmup_steps_;
};

// PiecewiseConstantDecay: values[number of boundaries below t].
class PiecewiseConstantSchedule final : public Schedule {
 public:
  // REQUIRES: boundaries non-decreasing, values.size() == boundaries.size() + 1.
  PiecewiseConstantSchedule(std::vector<int64_t> boundaries, std::vector<double> values)
      : boundaries_(std::move(boundaries)), values_(std::move(values)) {}
  double LearningRate(int64_t position) const override;

 private:
  std::vector<int64_t> boundaries_;
  std::vector<double> values_;
};

// PolynomialDecay: (initial - end) * (1 - t' / d)^power + end, with Keras' `cycle`.
class PolynomialDecaySchedule final : public ContinuousSchedule {
 public:
  PolynomialDecaySchedule(double initial_lr, int64_t decay_steps, double end_lr, double power,
                          bool cycle)
      : initial_lr_(initial_lr),
        decay_steps_(decay_steps),
        end_lr_(end_lr),
        power_(power),
        cycle_(cycle) {}

 protected:
  double RateAt(double position) const override;

 private:
  double initial_lr_;
  int64_t decay_steps_;
  double end_lr_;
  double power_;
  bool cycle_;
};

// InverseTimeDecay: initial / (1 + decay_rate * t / decay_steps), floored when staircase.
class InverseTimeDecaySchedule final : public ContinuousSchedule {
 public:
  InverseTimeDecaySchedule(double initial_lr, int64_t decay_steps, double decay_rate,
                           bool staircase)
      : initial_lr_(initial_lr),
        decay_steps_(decay_steps),
        decay_rate_(decay_rate),
        staircase_(staircase) {}

 protected:
  double RateAt(double position) const override;

 private:
  double initial_lr_;
  int64_t decay_steps_;
  double decay_rate_;
  bool staircase_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_KERAS_SCHEDULES_H_
