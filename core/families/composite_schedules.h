// Compositions of schedules: a warmup in front of a schedule, a sequence of schedules joined at
// milestones, and a product of schedules. Each owns the schedules it composes and ends where
// one of them makes it end.
#ifndef LRSCHED_CORE_FAMILIES_COMPOSITE_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_COMPOSITE_SCHEDULES_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "core/schedule.h"

namespace lrsched {

// For t < warmup_steps: after(0) * factor(t), where factor is linear from start_factor to 1,
// exponential from start_factor to 1, or constant start_factor. From warmup_steps on:
// after(t - warmup_steps).
class WarmupSchedule final : public Schedule {
 public:
  enum class Shape { kLinear, kExponential, kConstant };

  // REQUIRES: warmup_steps > 0, and start_factor > 0 for the exponential shape.
  WarmupSchedule(Shape shape, int64_t warmup_steps, double start_factor,
                 std::unique_ptr<Schedule> after);
  double LearningRate(int64_t position) const override;
  double LearningRateAtFractionalPosition(double position) const override;

 private:
  double Factor(double position) const;

  Shape shape_;
  int64_t warmup_steps_;
  double start_factor_;
  std::unique_ptr<Schedule> after_;
};

// schedules[i](t - milestones[i - 1]) for milestones[i - 1] <= t < milestones[i].
class SequenceSchedule final : public Schedule {
 public:
  // REQUIRES: milestones.size() + 1 == schedules.size(), milestones positive and
  // non-decreasing, and every schedule but the last reaching its milestone.
  SequenceSchedule(std::vector<std::unique_ptr<Schedule>> schedules,
                   std::vector<int64_t> milestones);
  double LearningRate(int64_t position) const override;
  double LearningRateAtFractionalPosition(double position) const override;

 private:
  std::vector<std::unique_ptr<Schedule>> schedules_;
  std::vector<int64_t> milestones_;
};

// base_lr * product of (schedules[i](t) / base_lr).
class ProductSchedule final : public Schedule {
 public:
  // REQUIRES: base_lr > 0 and at least one schedule.
  ProductSchedule(double base_lr, std::vector<std::unique_ptr<Schedule>> schedules);
  double LearningRate(int64_t position) const override;
  double LearningRateAtFractionalPosition(double position) const override;

 private:
  double base_lr_;
  std::vector<std::unique_ptr<Schedule>> schedules_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_COMPOSITE_SCHEDULES_H_
