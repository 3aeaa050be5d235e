#include "core/policy/lr_range_test.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched {

absl::StatusOr<std::unique_ptr<Policy>> LrRangeTestPolicy::Create(const v1::LrRangeTest& spec,
                                                                  v1::ScheduleSpec::Unit unit,
                                                                  const std::string& path) {
  auto policy = std::unique_ptr<LrRangeTestPolicy>(new LrRangeTestPolicy());
  if (spec.has_divergence_factor()) {
    if (!(std::isfinite(spec.divergence_factor()) && spec.divergence_factor() > 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".divergence_factor must be above 1 and finite, got ", spec.divergence_factor()));
    }
    policy->divergence_factor_ = spec.divergence_factor();
  }
  if (spec.has_smoothing()) {
    if (!(spec.smoothing() >= 0 && spec.smoothing() < 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".smoothing must be in [0, 1), got ", spec.smoothing()));
    }
    policy->smoothing_ = spec.smoothing();
  }
  if (spec.has_suggestion_divisor()) {
    RETURN_IF_ERROR(
        CheckPositive(absl::StrCat(path, ".suggestion_divisor"), spec.suggestion_divisor()));
    policy->suggestion_divisor_ = spec.suggestion_divisor();
  }
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".max_boundaries"), spec.max_boundaries()));
  policy->max_boundaries_ = spec.max_boundaries();

  if (spec.has_follow_up()) {
    v1::ScheduleSpec follow_up = spec.follow_up();
    if (follow_up.unit() != unit) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".follow_up.unit must equal the run's unit ", v1::ScheduleSpec::Unit_Name(unit)));
    }
    // The suggestion replaces base_lr, so any placeholder validates the rest.
    follow_up.set_base_lr(1.0);
    const auto built = BuildSchedule(follow_up);
    if (!built.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".follow_up.", built.status().message()));
    }
    policy->follow_up_ = std::move(follow_up);
  }
  return policy;
}

std::optional<v1::Decision> LrRangeTestPolicy::Step(const BoundaryObservation& observation,
                                                    v1::PolicyState& state) const {
  if (state.range_finished()) return std::nullopt;

  const double loss = *observation.monitored;
  const int64_t count = state.range_count() + 1;
  const double average = smoothing_ * state.range_average() + (1 - smoothing_) * loss;
  const double smoothed = average / (1 - std::pow(smoothing_, static_cast<double>(count)));
  state.set_range_count(count);
  state.set_range_average(average);

  if (count == 1 || smoothed < state.range_best_loss()) {
    state.set_range_best_loss(smoothed);
    state.set_range_best_rate(observation.learning_rate);
  }

  if (count > 1 && smoothed > divergence_factor_ * state.range_best_loss()) {
    return Conclude(state, absl::StrCat("the smoothed loss ", smoothed, " exceeded ",
                                        divergence_factor_, " times its lowest value ",
                                        state.range_best_loss()));
  }
  if (count >= max_boundaries_) {
    return Conclude(state, absl::StrCat("the test reached its last boundary, ", max_boundaries_));
  }
  return std::nullopt;
}

v1::Decision LrRangeTestPolicy::Conclude(v1::PolicyState& state, const std::string& why) const {
  const double suggestion = state.range_best_rate() / suggestion_divisor_;
  state.set_range_finished(true);
  state.set_suggested_learning_rate(suggestion);

  v1::Decision decision;
  if (follow_up_) {
    v1::ScheduleSpec follow_up = *follow_up_;
    follow_up.set_base_lr(suggestion);
    *decision.mutable_switch_schedule() = std::move(follow_up);
  } else {
    decision.set_finish(true);
  }
  decision.set_reason(absl::StrCat("range test ended because ", why, "; lowest loss at rate ",
                                   state.range_best_rate(), ", suggested rate ", suggestion));
  return decision;
}

}  // namespace lrsched
