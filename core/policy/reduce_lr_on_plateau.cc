#include "core/policy/reduce_lr_on_plateau.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/status_macros.h"

namespace lrsched {
namespace {

absl::StatusOr<bool> ParseMinMaxMode(const std::string& mode, const std::string& path) {
  if (mode.empty() || mode == "min") return false;
  if (mode == "max") return true;
  return absl::InvalidArgumentError(
      absl::StrCat(path, ".mode must be \"min\" or \"max\", got \"", mode, "\""));
}

absl::StatusOr<double> Factor(bool has_factor, double factor, const std::string& path) {
  if (!has_factor) return 0.1;
  if (std::isfinite(factor) && factor > 0 && factor < 1) return factor;
  return absl::InvalidArgumentError(
      absl::StrCat(path, ".factor must be in (0, 1), got ", factor));
}

absl::StatusOr<int> Patience(bool has_patience, int patience, const std::string& path) {
  if (!has_patience) return 10;
  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".patience"), int64_t{patience}));
  return patience;
}

// The decision that moves the rate from `old_rate` to `new_rate`. A rate clamped at min_lr is
// set exactly, so later comparisons with min_lr see min_lr itself.
v1::Decision Reduction(double old_rate, double new_rate, double min_lr,
                       const BoundaryObservation& observation, const std::string& monitor_note) {
  v1::Decision decision;
  if (new_rate == min_lr) {
    decision.set_set(new_rate);
  } else {
    decision.set_scale(new_rate / old_rate);
  }
  decision.set_reason(absl::StrCat("no improvement of the monitored metric (", monitor_note,
                                   " at boundary ", observation.boundary, "); rate ", old_rate,
                                   " -> ", new_rate));
  return decision;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Policy>> TorchReduceLROnPlateau::Create(
    const v1::TorchReduceLROnPlateau& spec, const std::string& path) {
  auto policy = std::unique_ptr<TorchReduceLROnPlateau>(new TorchReduceLROnPlateau());
  ASSIGN_OR_RETURN(policy->maximize_, ParseMinMaxMode(spec.mode(), path));
  ASSIGN_OR_RETURN(policy->factor_, Factor(spec.has_factor(), spec.factor(), path));
  ASSIGN_OR_RETURN(policy->patience_, Patience(spec.has_patience(), spec.patience(), path));

  if (spec.has_threshold()) {
    RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".threshold"), spec.threshold()));
    policy->threshold_ = spec.threshold();
  }
  if (spec.threshold_mode() == "abs") {
    policy->relative_threshold_ = false;
  } else if (!spec.threshold_mode().empty() && spec.threshold_mode() != "rel") {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ".threshold_mode must be \"rel\" or \"abs\", got \"", spec.threshold_mode(), "\""));
  }

  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".cooldown"), int64_t{spec.cooldown()}));
  policy->cooldown_ = spec.cooldown();
  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".min_lr"), spec.min_lr()));
  policy->min_lr_ = spec.min_lr();
  if (spec.has_eps()) {
    RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".eps"), spec.eps()));
    policy->eps_ = spec.eps();
  }
  return policy;
}

bool TorchReduceLROnPlateau::IsBetter(double current, double best) const {
  // PyTorch's comparisons, kept as written: with threshold_mode "rel" a negative metric in
  // "min" mode compares against best * (1 - threshold), which lies above best.
  if (!maximize_ && relative_threshold_) return current < best * (1.0 - threshold_);
  if (!maximize_) return current < best - threshold_;
  if (relative_threshold_) return current > best * (threshold_ + 1.0);
  return current > best + threshold_;
}

std::optional<v1::Decision> TorchReduceLROnPlateau::Step(const BoundaryObservation& observation,
                                                         v1::PolicyState& state) const {
  const double current = *observation.monitored;
  if (!state.has_best() || IsBetter(current, state.best())) {
    state.set_best(current);
    state.set_has_best(true);
    state.set_bad_boundaries(0);
  } else {
    state.set_bad_boundaries(state.bad_boundaries() + 1);
  }

  if (state.cooldown_counter() > 0) {
    state.set_cooldown_counter(state.cooldown_counter() - 1);
    state.set_bad_boundaries(0);
  }
  if (state.bad_boundaries() <= patience_) return std::nullopt;

  state.set_cooldown_counter(cooldown_);
  state.set_bad_boundaries(0);
  const double old_rate = observation.learning_rate;
  const double new_rate = std::max(old_rate * factor_, min_lr_);
  if (!(old_rate - new_rate > eps_)) return std::nullopt;
  return Reduction(old_rate, new_rate, min_lr_, observation,
                   absl::StrCat("best ", state.best(), ", latest ", current));
}

absl::StatusOr<std::unique_ptr<Policy>> KerasReduceLROnPlateau::Create(
    const v1::KerasReduceLROnPlateau& spec, const std::string& monitor,
    const std::string& path) {
  auto policy = std::unique_ptr<KerasReduceLROnPlateau>(new KerasReduceLROnPlateau());
  if (spec.mode().empty() || spec.mode() == "auto") {
    // Keras 2 chose max when the name contains "acc"; Keras 3 chooses min for (val_)loss and
    // otherwise asks the compiled metric, which a server cannot see.
    const bool is_loss = monitor == "loss" || monitor == "val_loss";
    if (!is_loss && !absl::StrContains(monitor, "acc")) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".mode \"auto\" cannot tell whether \"", monitor,
          "\" should fall or rise; set mode to \"min\" or \"max\""));
    }
    policy->maximize_ = !is_loss;
  } else {
    ASSIGN_OR_RETURN(policy->maximize_, ParseMinMaxMode(spec.mode(), path));
  }

  ASSIGN_OR_RETURN(policy->factor_, Factor(spec.has_factor(), spec.factor(), path));
  ASSIGN_OR_RETURN(policy->patience_, Patience(spec.has_patience(), spec.patience(), path));
  if (spec.has_min_delta()) {
    RETURN_IF_ERROR(CheckFinite(absl::StrCat(path, ".min_delta"), spec.min_delta()));
    policy->min_delta_ = std::fabs(spec.min_delta());
  }
  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".cooldown"), int64_t{spec.cooldown()}));
  policy->cooldown_ = spec.cooldown();
  RETURN_IF_ERROR(CheckNonNegative(absl::StrCat(path, ".min_lr"), spec.min_lr()));
  policy->min_lr_ = spec.min_lr();
  return policy;
}

std::optional<v1::Decision> KerasReduceLROnPlateau::Step(const BoundaryObservation& observation,
                                                         v1::PolicyState& state) const {
  const double current = *observation.monitored;
  if (state.cooldown_counter() > 0) {
    state.set_cooldown_counter(state.cooldown_counter() - 1);
    state.set_bad_boundaries(0);
  }

  // Keras 3 measures improvement as current + |min_delta| < best (min) or
  // current - |min_delta| > best (max); the first value always improves.
  const bool improved = !state.has_best() || (maximize_ ? current - min_delta_ > state.best()
                                                        : current + min_delta_ < state.best());
  if (improved) {
    state.set_best(current);
    state.set_has_best(true);
    state.set_bad_boundaries(0);
    return std::nullopt;
  }
  if (state.cooldown_counter() > 0) return std::nullopt;

  state.set_bad_boundaries(state.bad_boundaries() + 1);
  if (state.bad_boundaries() < patience_) return std::nullopt;

  // Keras keeps the rate in a float32 variable and compares it with min_lr in float32.
  const double old_rate = observation.learning_rate;
  if (!(old_rate > static_cast<double>(static_cast<float>(min_lr_)))) return std::nullopt;
  const double new_rate = std::max(old_rate * factor_, min_lr_);
  state.set_cooldown_counter(cooldown_);
  state.set_bad_boundaries(0);
  if (new_rate == old_rate) return std::nullopt;
  return Reduction(old_rate, new_rate, min_lr_, observation,
                   absl::StrCat("best ", state.best(), ", latest ", current));
}

}  // namespace lrsched
