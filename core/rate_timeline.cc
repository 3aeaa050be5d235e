#include "core/rate_timeline.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched {

absl::Status ValidateDecisionAction(const v1::Decision& decision, v1::ScheduleSpec::Unit unit,
                                    const std::string& path) {
  RETURN_IF_ERROR(
      CheckNonNegative(absl::StrCat(path, ".effective_position"), decision.effective_position()));
  switch (decision.action_case()) {
    case v1::Decision::kScale:
      return CheckPositive(absl::StrCat(path, ".scale"), decision.scale());
    case v1::Decision::kSet:
      return CheckPositive(absl::StrCat(path, ".set"), decision.set());
    case v1::Decision::kSwitchSchedule: {
      if (decision.switch_schedule().unit() != unit) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ".switch_schedule.unit must equal the run's unit ",
            v1::ScheduleSpec::Unit_Name(unit)));
      }
      const auto built = BuildSchedule(decision.switch_schedule());
      if (built.ok()) return absl::OkStatus();
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".switch_schedule.", built.status().message()));
    }
    case v1::Decision::kFinish:
      if (decision.finish()) return absl::OkStatus();
      break;
    case v1::Decision::ACTION_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, " names no action: set one of scale, set, switch_schedule, finish"));
}

absl::StatusOr<std::shared_ptr<const RateTimeline>> RateTimeline::Build(
    const v1::ScheduleSpec& spec, const std::vector<v1::Decision>& decisions) {
  ASSIGN_OR_RETURN(std::unique_ptr<Schedule> schedule, BuildSchedule(spec));
  auto timeline = std::shared_ptr<RateTimeline>(new RateTimeline());
  timeline->segments_.push_back(Segment{0, std::move(schedule), 0, 1.0, std::nullopt});

  // Stable, so decisions at one position keep the order in which they were made.
  std::vector<const v1::Decision*> ordered;
  for (const auto& decision : decisions) ordered.push_back(&decision);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return a->effective_position() < b->effective_position();
  });
  for (const v1::Decision* decision : ordered) {
    RETURN_IF_ERROR(timeline->Apply(*decision, spec.unit()));
  }
  return timeline;
}

absl::Status RateTimeline::Apply(const v1::Decision& decision, v1::ScheduleSpec::Unit unit) {
  RETURN_IF_ERROR(ValidateDecisionAction(
      decision, unit, absl::StrCat("decision ", decision.sequence())));
  const int64_t position = decision.effective_position();
  Segment next = SegmentAt(position);
  next.start = position;

  switch (decision.action_case()) {
    case v1::Decision::kScale:
      if (next.constant) {
        *next.constant *= decision.scale();
      } else {
        next.multiplier *= decision.scale();
      }
      break;
    case v1::Decision::kSet:
      next.constant = decision.set();
      break;
    case v1::Decision::kSwitchSchedule: {
      // Validated above, so building cannot fail here.
      auto built = BuildSchedule(decision.switch_schedule());
      next.schedule = std::move(*built);
      next.origin = position;
      next.multiplier = 1.0;
      next.constant.reset();
      break;
    }
    case v1::Decision::kFinish:
      finished_at_ = std::min(finished_at_.value_or(position), position);
      return absl::OkStatus();
    case v1::Decision::ACTION_NOT_SET:
      break;
  }

  // Build applies decisions in position order, so this segment starts after all others.
  segments_.push_back(std::move(next));
  return absl::OkStatus();
}

const RateTimeline::Segment& RateTimeline::SegmentAt(int64_t position) const {
  // The last segment starting at or before `position`; segment 0 starts at 0.
  const auto after = std::upper_bound(
      segments_.begin(), segments_.end(), position,
      [](int64_t value, const Segment& segment) { return value < segment.start; });
  return *(after - 1);
}

absl::StatusOr<double> RateTimeline::LearningRate(int64_t position) const {
  if (finished_at_ && position >= *finished_at_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the run finished at position ", *finished_at_, "; position ", position,
        " has no learning rate"));
  }
  const Segment& segment = SegmentAt(position);
  if (segment.constant) return *segment.constant;
  RETURN_IF_ERROR(segment.schedule->CheckPosition(position - segment.origin));
  return segment.multiplier * segment.schedule->LearningRate(position - segment.origin);
}

int64_t RateTimeline::LastPositionWithRate(int64_t from, int64_t to) const {
  if (finished_at_) to = std::min(to, *finished_at_ - 1);
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    const int64_t segment_last =
        i + 1 < segments_.size() ? segments_[i + 1].start - 1 : std::numeric_limits<int64_t>::max();
    if (segment_last < from || segment.constant || !segment.schedule->end()) continue;
    const int64_t schedule_last = segment.origin + segment.schedule->end()->last_position;
    if (schedule_last < segment_last) to = std::min(to, schedule_last);
  }
  return std::max(to, from - 1);
}

}  // namespace lrsched
