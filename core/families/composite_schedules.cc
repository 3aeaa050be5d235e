#include "core/families/composite_schedules.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace lrsched {
namespace {

// `end` moved `offset` positions later, or no end when that is beyond int64.
std::optional<ScheduleEnd> ShiftedEnd(const std::optional<ScheduleEnd>& end, int64_t offset) {
  if (!end.has_value()) return std::nullopt;
  ScheduleEnd shifted = *end;
  if (__builtin_add_overflow(end->last_position, offset, &shifted.last_position)) {
    return std::nullopt;
  }
  return shifted;
}

}  // namespace

WarmupSchedule::WarmupSchedule(Shape shape, int64_t warmup_steps, double start_factor,
                               std::unique_ptr<Schedule> after)
    : shape_(shape),
      warmup_steps_(warmup_steps),
      start_factor_(start_factor),
      after_(std::move(after)) {
  set_end(ShiftedEnd(after_->end(), warmup_steps_));
}

double WarmupSchedule::Factor(double position) const {
  const double progress = position / static_cast<double>(warmup_steps_);
  switch (shape_) {
    case Shape::kLinear:
      return start_factor_ + (1.0 - start_factor_) * progress;
    case Shape::kExponential:
      return std::pow(start_factor_, 1.0 - progress);
    case Shape::kConstant:
      break;
  }
  return start_factor_;
}

double WarmupSchedule::LearningRate(int64_t position) const {
  if (position >= warmup_steps_) return after_->LearningRate(position - warmup_steps_);
  return after_->LearningRate(0) * Factor(static_cast<double>(position));
}

double WarmupSchedule::LearningRateAtFractionalPosition(double position) const {
  const double warmup_steps = static_cast<double>(warmup_steps_);
  if (position >= warmup_steps) {
    return after_->LearningRateAtFractionalPosition(position - warmup_steps);
  }
  return after_->LearningRate(0) * Factor(position);
}

SequenceSchedule::SequenceSchedule(std::vector<std::unique_ptr<Schedule>> schedules,
                                   std::vector<int64_t> milestones)
    : schedules_(std::move(schedules)), milestones_(std::move(milestones)) {
  const int64_t last_start = milestones_.empty() ? 0 : milestones_.back();
  set_end(ShiftedEnd(schedules_.back()->end(), last_start));
}

double SequenceSchedule::LearningRate(int64_t position) const {
  // Equal milestones make upper_bound skip the empty segment between them, as PyTorch does.
  const size_t index =
      std::upper_bound(milestones_.begin(), milestones_.end(), position) - milestones_.begin();
  const int64_t start = index == 0 ? 0 : milestones_[index - 1];
  return schedules_[index]->LearningRate(position - start);
}

double SequenceSchedule::LearningRateAtFractionalPosition(double position) const {
  const auto before_milestone = [](double value, int64_t milestone) {
    return value < static_cast<double>(milestone);
  };
  const size_t index =
      std::upper_bound(milestones_.begin(), milestones_.end(), position, before_milestone) -
      milestones_.begin();
  const double start = index == 0 ? 0 : static_cast<double>(milestones_[index - 1]);
  return schedules_[index]->LearningRateAtFractionalPosition(position - start);
}

ProductSchedule::ProductSchedule(double base_lr, std::vector<std::unique_ptr<Schedule>> schedules)
    : base_lr_(base_lr), schedules_(std::move(schedules)) {
  std::optional<ScheduleEnd> earliest;
  for (const auto& schedule : schedules_) {
    const auto& end = schedule->end();
    if (end.has_value() &&
        (!earliest.has_value() || end->last_position < earliest->last_position)) {
      earliest = end;
    }
  }
  set_end(std::move(earliest));
}

double ProductSchedule::LearningRate(int64_t position) const {
  double rate = base_lr_;
  for (const auto& schedule : schedules_) rate *= schedule->LearningRate(position) / base_lr_;
  return rate;
}

double ProductSchedule::LearningRateAtFractionalPosition(double position) const {
  double rate = base_lr_;
  for (const auto& schedule : schedules_) {
    rate *= schedule->LearningRateAtFractionalPosition(position) / base_lr_;
  }
  return rate;
}

}  // namespace lrsched
