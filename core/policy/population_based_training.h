// Population-based training of the learning rate; see PopulationBasedTraining in policy.proto.
#ifndef LRSCHED_CORE_POLICY_POPULATION_BASED_TRAINING_H_
#define LRSCHED_CORE_POLICY_POPULATION_BASED_TRAINING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/policy/policy.h"

namespace lrsched {

class PopulationBasedTrainingPolicy final : public Policy {
 public:
  // Validates the parameters, naming fields under `path`.
  static absl::StatusOr<std::unique_ptr<Policy>> Create(const v1::PopulationBasedTraining& spec,
                                                        const std::string& path);

  std::string name() const override { return "population_based_training"; }
  std::string population() const override { return population_; }
  std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                   v1::PolicyState& state) const override;

 private:
  std::string population_;
  int64_t interval_ = 1;
  double quantile_ = 0.25;
  std::vector<double> perturb_factors_ = {0.8, 1.25};
  bool maximize_ = false;
  uint64_t seed_ = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_POPULATION_BASED_TRAINING_H_
