// Hugging Face transformers' schedules (transformers.optimization): base_lr times transformers'
// LambdaLR multiplier, with transformers' operation order. Parameters are validated by
// BuildSchedule. Those with a warmup ramp from 0 as t / max(1, num_warmup_steps) unless noted.
#ifndef LRSCHED_CORE_FAMILIES_TRANSFORMERS_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_TRANSFORMERS_SCHEDULES_H_

#include <cstdint>
#include <optional>

#include "core/families/continuous_schedule.h"

namespace lrsched {

// get_constant_schedule_with_warmup.
class TransformersConstantSchedule final : public ContinuousSchedule {
 public:
  TransformersConstantSchedule(double base_lr, int64_t num_warmup_steps)
      : base_lr_(base_lr), num_warmup_steps_(num_warmup_steps) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t num_warmup_steps_;
};

// get_linear_schedule_with_warmup: down to 0 at num_training_steps, 0 after.
class TransformersLinearSchedule final : public ContinuousSchedule {
 public:
  TransformersLinearSchedule(double base_lr, int64_t num_warmup_steps, int64_t num_training_steps)
      : base_lr_(base_lr),
        num_warmup_steps_(num_warmup_steps),
        num_training_steps_(num_training_steps) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t num_warmup_steps_;
  int64_t num_training_steps_;
};

// get_cosine_schedule_with_warmup (min_lr_rate 0) and
// get_cosine_with_min_lr_schedule_with_warmup. With `hold_after_training`, the decay progress
// is capped at 1. Without it, the cosine continues past num_training_steps, as in
// transformers.
class TransformersCosineSchedule final : public ContinuousSchedule {
 public:
  struct Options {
    int64_t num_warmup_steps = 0;
    int64_t num_training_steps = 0;
    double num_cycles = 0.5;
    double min_lr_rate = 0;
    bool hold_after_training = true;
  };

  TransformersCosineSchedule(double base_lr, const Options& options)
      : base_lr_(base_lr), options_(options) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  Options options_;
};

// get_cosine_with_min_lr_schedule_with_warmup_lr_rate: the min-lr cosine counted with +1
// offsets, and an optional warmup_lr_rate at t = 0.
class TransformersCosineLrRateSchedule final : public ContinuousSchedule {
 public:
  struct Options {
    int64_t num_warmup_steps = 0;
    int64_t num_training_steps = 0;
    double num_cycles = 0.5;
    double min_lr_rate = 0;
    std::optional<double> warmup_lr_rate;
    bool hold_after_training = true;
  };

  TransformersCosineLrRateSchedule(double base_lr, const Options& options)
      : base_lr_(base_lr), options_(options) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  Options options_;
};

// get_cosine_with_hard_restarts_schedule_with_warmup: num_cycles cosines from 1 to 0, then 0
// from num_training_steps on.
class TransformersHardRestartsSchedule final : public ContinuousSchedule {
 public:
  TransformersHardRestartsSchedule(double base_lr, int64_t num_warmup_steps,
                                   int64_t num_training_steps, double num_cycles)
      : base_lr_(base_lr),
        num_warmup_steps_(num_warmup_steps),
        num_training_steps_(num_training_steps),
        num_cycles_(num_cycles) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t num_warmup_steps_;
  int64_t num_training_steps_;
  double num_cycles_;
};

// get_polynomial_decay_schedule_with_warmup: from base_lr down to lr_end at
// num_training_steps, lr_end after. REQUIRES: num_training_steps > num_warmup_steps.
class TransformersPolynomialSchedule final : public ContinuousSchedule {
 public:
  TransformersPolynomialSchedule(double base_lr, int64_t num_warmup_steps,
                                 int64_t num_training_steps, double lr_end, double power)
      : base_lr_(base_lr),
        num_warmup_steps_(num_warmup_steps),
        num_training_steps_(num_training_steps),
        lr_end_(lr_end),
        power_(power) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t num_warmup_steps_;
  int64_t num_training_steps_;
  double lr_end_;
  double power_;
};

// get_inverse_sqrt_schedule: 1 / sqrt((t + timescale - num_warmup_steps) / timescale) after
// the warmup. REQUIRES: timescale > 0.
class TransformersInverseSqrtSchedule final : public ContinuousSchedule {
 public:
  TransformersInverseSqrtSchedule(double base_lr, int64_t num_warmup_steps, int64_t timescale)
      : base_lr_(base_lr), num_warmup_steps_(num_warmup_steps), timescale_(timescale) {}

 protected:
  double RateAt(double position) const override;

 private:
  double base_lr_;
  int64_t num_warmup_steps_;
  int64_t timescale_;
};

// get_wsd_schedule: warmup, stable, decay, then min_lr_ratio.
class TransformersWsdSchedule final : public ContinuousSchedule {
 public:
  enum class Shape { kLinear, kCosine, kOneMinusSqrt };

  struct Options {
    int64_t num_warmup_steps = 0;
    int64_t num_stable_steps = 0;
    int64_t num_decay_steps = 0;
    Shape warmup_type = Shape::kLinear;
    Shape decay_type = Shape::kCosine;
    double min_lr_ratio = 0;
    double num_cycles = 0.5;
  };

  // REQUIRES: the three phase lengths are >= 0 and their sum fits in int64.
  TransformersWsdSchedule(double base_lr, const Options& options)
      : base_lr_(base_lr), options_(options) {}

 protected:
  double RateAt(double position) const override;

 private:
  double Factor(double position) const;

  double base_lr_;
  Options options_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_TRANSFORMERS_SCHEDULES_H_
