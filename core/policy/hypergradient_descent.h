// Hypergradient descent as a policy; see HypergradientDescent in policy.proto for the rule.
#ifndef LRSCHED_CORE_POLICY_HYPERGRADIENT_DESCENT_H_
#define LRSCHED_CORE_POLICY_HYPERGRADIENT_DESCENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/policy/policy.h"

namespace lrsched {

class HypergradientDescentPolicy final : public Policy {
 public:
  // Validates the parameters, naming fields under `path`.
  static absl::StatusOr<std::unique_ptr<Policy>> Create(const v1::HypergradientDescent& spec,
                                                        const std::string& path);

  std::string name() const override { return "hypergradient_descent"; }
  std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                   v1::PolicyState& state) const override;

 private:
  double hyper_rate_ = 0;
  double min_lr_ = 1e-8;
  double max_lr_ = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_HYPERGRADIENT_DESCENT_H_
