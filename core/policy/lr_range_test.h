// The learning-rate range test as a policy; see LrRangeTest in policy.proto for the rule.
#ifndef LRSCHED_CORE_POLICY_LR_RANGE_TEST_H_
#define LRSCHED_CORE_POLICY_LR_RANGE_TEST_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/policy/policy.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched {

class LrRangeTestPolicy final : public Policy {
 public:
  // Validates the parameters, naming fields under `path`. `unit` is the run's.
  static absl::StatusOr<std::unique_ptr<Policy>> Create(const v1::LrRangeTest& spec,
                                                        v1::ScheduleSpec::Unit unit,
                                                        const std::string& path);

  std::string name() const override { return "lr_range_test"; }
  std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                   v1::PolicyState& state) const override;
  bool Finished(const v1::PolicyState& state) const override { return state.range_finished(); }

 private:
  // Ends the test: records the suggestion and returns the decision that follows it.
  v1::Decision Conclude(v1::PolicyState& state, const std::string& why) const;

  double divergence_factor_ = 4;
  double smoothing_ = 0.98;
  double suggestion_divisor_ = 10;
  int64_t max_boundaries_ = 0;
  std::optional<v1::ScheduleSpec> follow_up_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_LR_RANGE_TEST_H_
