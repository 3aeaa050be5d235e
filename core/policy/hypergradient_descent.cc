#include "core/policy/hypergradient_descent.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/status_macros.h"

namespace lrsched {

absl::StatusOr<std::unique_ptr<Policy>> HypergradientDescentPolicy::Create(
    const v1::HypergradientDescent& spec, const std::string& path) {
  auto policy = std::unique_ptr<HypergradientDescentPolicy>(new HypergradientDescentPolicy());
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".hyper_rate"), spec.hyper_rate()));
  policy->hyper_rate_ = spec.hyper_rate();
  if (spec.has_min_lr()) {
    RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".min_lr"), spec.min_lr()));
    policy->min_lr_ = spec.min_lr();
  }
  RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".max_lr"), spec.max_lr()));
  if (spec.max_lr() < policy->min_lr_) {
    return absl::InvalidArgumentError(absl::StrCat(path, ".max_lr must be at least min_lr ",
                                                   policy->min_lr_, ", got ", spec.max_lr()));
  }
  policy->max_lr_ = spec.max_lr();
  return policy;
}

std::optional<v1::Decision> HypergradientDescentPolicy::Step(
    const BoundaryObservation& observation, v1::PolicyState& /*state*/) const {
  const double dot = *observation.monitored;
  const double old_rate = observation.learning_rate;
  const double new_rate = std::clamp(old_rate + hyper_rate_ * dot, min_lr_, max_lr_);
  if (new_rate == old_rate) return std::nullopt;

  v1::Decision decision;
  decision.set_set(new_rate);
  decision.set_reason(absl::StrCat("gradient dot product ", dot, " at boundary ",
                                   observation.boundary, "; rate ", old_rate, " -> ", new_rate));
  return decision;
}

}  // namespace lrsched
