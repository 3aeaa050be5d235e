// Adaptive policies: functions from a boundary's combined metrics to decisions on the rate.
//
// A policy object holds only its validated parameters. Everything that changes from boundary
// to boundary lives in a v1::PolicyState that the caller stores and passes back, so a server
// that restarts from its stored state continues exactly where it stopped.
#ifndef LRSCHED_CORE_POLICY_POLICY_H_
#define LRSCHED_CORE_POLICY_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lrsched/v1/policy.pb.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched {

// Another run's latest result, for policies that compare runs.
struct PeerResult {
  std::string run_id;
  double value = 0;
  double learning_rate = 0;
};

// The input of a policy at the end of one boundary.
struct BoundaryObservation {
  std::string run_id;
  int64_t boundary = 0;
  // The monitored metric combined over the workers that reported it; empty when none did.
  std::optional<double> monitored;
  // The rate in effect during the boundary.
  double learning_rate = 0;
  // For population-based training: the latest result of every other run of the population.
  std::vector<PeerResult> peers;
};

class Policy {
 public:
  virtual ~Policy() = default;

  // Short name used in decisions' actor ("policy:<name>") and in metrics labels.
  virtual std::string name() const = 0;

  // Steps through one boundary and updates `state`. Returns the decision to make, with its
  // action and reason set, or nothing. Called only when `observation.monitored` is set.
  virtual std::optional<v1::Decision> Step(const BoundaryObservation& observation,
                                           v1::PolicyState& state) const = 0;

  // Whether the policy has nothing more to decide, so boundaries need no longer be waited for.
  virtual bool Finished(const v1::PolicyState& /*state*/) const { return false; }

  // The population whose runs the policy compares, or empty for a policy of one run.
  virtual std::string population() const { return ""; }
};

// Validates `spec` (INVALID_ARGUMENT naming the field under "policy.") and builds its policy
// for a run whose schedule counts `unit`.
absl::StatusOr<std::unique_ptr<Policy>> BuildPolicy(const v1::PolicySpec& spec,
                                                    v1::ScheduleSpec::Unit unit);

// The state of a policy before its first boundary.
v1::PolicyState InitialPolicyState();

// Seconds a boundary waits for its last worker when the spec leaves it unset.
inline constexpr double kDefaultStragglerTimeoutSeconds = 60;

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_POLICY_H_
