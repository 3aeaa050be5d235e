#include "core/policy/policy.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/policy/hypergradient_descent.h"
#include "core/policy/lr_range_test.h"
#include "core/policy/population_based_training.h"
#include "core/policy/reduce_lr_on_plateau.h"
#include "core/request_checks.h"
#include "core/status_macros.h"

namespace lrsched {
namespace {

absl::Status ValidateBoundary(const v1::PolicySpec& spec) {
  if (spec.boundary() == v1::PolicySpec::EVERY_N_STEPS) {
    return CheckPositive("policy.every_n_steps", spec.every_n_steps());
  }
  if (spec.every_n_steps() != 0) {
    return absl::InvalidArgumentError(
        "policy.every_n_steps is set but policy.boundary is not EVERY_N_STEPS");
  }
  return absl::OkStatus();
}

absl::Status ValidateStragglerTimeout(double seconds) {
  constexpr double kMaxSeconds = 86400;
  RETURN_IF_ERROR(CheckNonNegative("policy.straggler_timeout_seconds", seconds));
  if (seconds > kMaxSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "policy.straggler_timeout_seconds must be at most ", kMaxSeconds, ", got ", seconds));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Policy>> BuildPolicy(const v1::PolicySpec& spec,
                                                    v1::ScheduleSpec::Unit unit) {
  RETURN_IF_ERROR(CheckMetricName("policy.monitor", spec.monitor()));
  RETURN_IF_ERROR(ValidateBoundary(spec));
  RETURN_IF_ERROR(ValidateStragglerTimeout(spec.straggler_timeout_seconds()));

  switch (spec.policy_case()) {
    case v1::PolicySpec::kReduceLrOnPlateau:
      return TorchReduceLROnPlateau::Create(spec.reduce_lr_on_plateau(),
                                            "policy.reduce_lr_on_plateau");
    case v1::PolicySpec::kKerasReduceLrOnPlateau:
      return KerasReduceLROnPlateau::Create(spec.keras_reduce_lr_on_plateau(), spec.monitor(),
                                            "policy.keras_reduce_lr_on_plateau");
    case v1::PolicySpec::kLrRangeTest:
      return LrRangeTestPolicy::Create(spec.lr_range_test(), unit, "policy.lr_range_test");
    case v1::PolicySpec::kHypergradientDescent:
      return HypergradientDescentPolicy::Create(spec.hypergradient_descent(),
                                                "policy.hypergradient_descent");
    case v1::PolicySpec::kPopulationBasedTraining:
      return PopulationBasedTrainingPolicy::Create(spec.population_based_training(),
                                                   "policy.population_based_training");
    case v1::PolicySpec::POLICY_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "policy names no policy: set reduce_lr_on_plateau, keras_reduce_lr_on_plateau, "
      "lr_range_test, hypergradient_descent or population_based_training");
}

v1::PolicyState InitialPolicyState() {
  v1::PolicyState state;
  state.set_decided_through(-1);
  state.set_monitor_missing_at(-1);
  return state;
}

}  // namespace lrsched
