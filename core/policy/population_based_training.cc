#include "core/policy/population_based_training.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "core/parameter_checks.h"
#include "core/request_checks.h"
#include "core/status_macros.h"

namespace lrsched {

absl::StatusOr<std::unique_ptr<Policy>> PopulationBasedTrainingPolicy::Create(
    const v1::PopulationBasedTraining& spec, const std::string& path) {
  auto policy =
      std::unique_ptr<PopulationBasedTrainingPolicy>(new PopulationBasedTrainingPolicy());
  RETURN_IF_ERROR(CheckRunId(absl::StrCat(path, ".population"), spec.population()));
  policy->population_ = spec.population();

  if (spec.interval() != 0) {
    RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".interval"), spec.interval()));
    policy->interval_ = spec.interval();
  }
  if (spec.has_quantile()) {
    if (!(spec.quantile() > 0 && spec.quantile() <= 0.5)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".quantile must be in (0, 0.5], got ", spec.quantile()));
    }
    policy->quantile_ = spec.quantile();
  }
  if (spec.perturb_factors_size() > 0) {
    policy->perturb_factors_.clear();
    for (int i = 0; i < spec.perturb_factors_size(); ++i) {
      RETURN_IF_ERROR(CheckPositive(absl::StrCat(path, ".perturb_factors[", i, "]"),
                                    spec.perturb_factors(i)));
      policy->perturb_factors_.push_back(spec.perturb_factors(i));
    }
  }
  if (spec.mode() == "max") {
    policy->maximize_ = true;
  } else if (!spec.mode().empty() && spec.mode() != "min") {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".mode must be \"min\" or \"max\", got \"", spec.mode(), "\""));
  }
  policy->seed_ = spec.seed();
  return policy;
}

std::optional<v1::Decision> PopulationBasedTrainingPolicy::Step(
    const BoundaryObservation& observation, v1::PolicyState& state) const {
  state.set_has_last_value(true);
  state.set_last_value(*observation.monitored);
  state.set_last_rate(observation.learning_rate);
  if ((observation.boundary + 1) % interval_ != 0) return std::nullopt;

  // Best first; ties go by run id, so every server orders the population the same way.
  std::vector<PeerResult> ranking = observation.peers;
  ranking.push_back({observation.run_id, *observation.monitored, observation.learning_rate});
  std::sort(ranking.begin(), ranking.end(), [this](const PeerResult& a, const PeerResult& b) {
    if (a.value != b.value) return maximize_ ? a.value > b.value : a.value < b.value;
    return a.run_id < b.run_id;
  });

  const auto count = static_cast<int64_t>(std::floor(ranking.size() * quantile_));
  if (count < 1) return std::nullopt;
  const auto self = std::find_if(ranking.begin(), ranking.end(), [&](const PeerResult& peer) {
    return peer.run_id == observation.run_id;
  });
  if (self - ranking.begin() < static_cast<int64_t>(ranking.size()) - count) return std::nullopt;

  std::seed_seq seeds{seed_, absl::Hash<std::string>()(observation.run_id),
                      static_cast<uint64_t>(observation.boundary)};
  std::mt19937_64 generator(seeds);
  const PeerResult& source = ranking[std::uniform_int_distribution<int64_t>(0, count - 1)(generator)];
  const double factor = perturb_factors_[std::uniform_int_distribution<size_t>(
      0, perturb_factors_.size() - 1)(generator)];

  v1::Decision decision;
  decision.set_set(source.learning_rate * factor);
  decision.set_source_run_id(source.run_id);
  decision.set_reason(absl::StrCat("value ", *observation.monitored, " is among the worst ",
                                   count, " of ", ranking.size(), " runs of population ",
                                   population_, "; took the rate ", source.learning_rate,
                                   " of run ", source.run_id, " (value ", source.value,
                                   ") times ", factor));
  return decision;
}

}  // namespace lrsched
