// The Prometheus series of policies and decisions, registered in the server's registry.
//
//   lrsched_run_decisions_total{run_id,policy,kind}   counter  decisions made; policy is the
//                                                               policy's name or "operator"
//   lrsched_run_monitored_value{run_id}               gauge    combined monitored metric at the
//                                                               last boundary
//   lrsched_run_plateau_bad_boundaries{run_id}        gauge    ReduceLROnPlateau's counter of
//                                                               boundaries without improvement
//   lrsched_run_plateau_cooldown{run_id}              gauge    boundaries of cooldown left
//   lrsched_run_straggler_timeouts_total{run_id}      counter  boundaries closed by the timeout
//                                                               before every worker reported
#ifndef LRSCHED_SERVER_POLICY_METRICS_H_
#define LRSCHED_SERVER_POLICY_METRICS_H_

#include <optional>
#include <string>

#include "lrsched/v1/policy.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace lrsched {

class PolicyMetrics {
 public:
  explicit PolicyMetrics(prometheus::Registry& registry);

  void CountDecision(const std::string& run_id, const v1::Decision& decision);
  void SetBoundaryOutcome(const std::string& run_id, const v1::PolicyState& state,
                          const std::optional<double>& monitored);
  void CountStragglerTimeout(const std::string& run_id);

  // Removes every series of the run.
  void RemoveRun(const std::string& run_id);

 private:
  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Family<prometheus::Gauge>& monitored_;
  prometheus::Family<prometheus::Gauge>& bad_boundaries_;
  prometheus::Family<prometheus::Gauge>& cooldown_;
  prometheus::Family<prometheus::Counter>& straggler_timeouts_;
};

// The decision's kind as a label value: scale, set, switch_schedule or finish.
const char* DecisionKind(const v1::Decision& decision);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_POLICY_METRICS_H_
