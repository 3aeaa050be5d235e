#include "server/policy_metrics.h"

#include "absl/strings/match.h"

namespace lrsched {
const char* DecisionKind(const v1::Decision& decision) {
  switch (decision.action_case()) {
    case v1::Decision::kScale: return "scale";
    case v1::Decision::kSet: return "set";
    case v1::Decision::kSwitchSchedule: return "switch_schedule";
    case v1::Decision::kFinish: return "finish";
    case v1::Decision::ACTION_NOT_SET: break;
  }
  return "none";
}

PolicyMetrics::PolicyMetrics(prometheus::Registry& registry)
    : decisions_(prometheus::BuildCounter()
                     .Name("lrsched_run_decisions_total")
                     .Help("Decisions on a run's learning rate, by who made them and their kind.")
                     .Register(registry)),
      monitored_(prometheus::BuildGauge()
                     .Name("lrsched_run_monitored_value")
                     .Help("The policy's monitored metric, combined over workers, at the last "
                           "boundary.")
                     .Register(registry)),
      bad_boundaries_(prometheus::BuildGauge()
                          .Name("lrsched_run_plateau_bad_boundaries")
                          .Help("ReduceLROnPlateau's count of boundaries without improvement.")
                          .Register(registry)),
      cooldown_(prometheus::BuildGauge()
                    .Name("lrsched_run_plateau_cooldown")
                    .Help("ReduceLROnPlateau's boundaries of cooldown left.")
                    .Register(registry)),
      straggler_timeouts_(prometheus::BuildCounter()
                              .Name("lrsched_run_straggler_timeouts_total")
                              .Help("Boundaries closed by the straggler timeout before every "
                                    "worker reported.")
                              .Register(registry)) {}

void PolicyMetrics::CountDecision(const std::string& run_id, const v1::Decision& decision) {
  const std::string& actor = decision.actor();
  const std::string policy =
      absl::StartsWith(actor, "policy:") ? actor.substr(7) : std::string("operator");
  decisions_.Add({{"run_id", run_id}, {"policy", policy}, {"kind", DecisionKind(decision)}})
      .Increment();
}

void PolicyMetrics::SetBoundaryOutcome(const std::string& run_id, const v1::PolicyState& state,
                                       const std::optional<double>& monitored) {
  if (monitored) monitored_.Add({{"run_id", run_id}}).Set(*monitored);
  bad_boundaries_.Add({{"run_id", run_id}}).Set(state.bad_boundaries());
  cooldown_.Add({{"run_id", run_id}}).Set(state.cooldown_counter());
}

void PolicyMetrics::CountStragglerTimeout(const std::string& run_id) {
  straggler_timeouts_.Add({{"run_id", run_id}}).Increment();
}

void PolicyMetrics::RemoveRun(const std::string& run_id) {
  for (const char* policy : {"operator", "reduce_lr_on_plateau", "keras_reduce_lr_on_plateau"}) {
    for (const char* kind : {"scale", "set", "switch_schedule", "finish"}) {
      const std::map<std::string, std::string> labels = {
          {"run_id", run_id}, {"policy", policy}, {"kind", kind}};
      if (decisions_.Has(labels)) decisions_.Remove(&decisions_.Add(labels));
    }
  }
  const std::map<std::string, std::string> labels = {{"run_id", run_id}};
  if (monitored_.Has(labels)) monitored_.Remove(&monitored_.Add(labels));
  if (bad_boundaries_.Has(labels)) bad_boundaries_.Remove(&bad_boundaries_.Add(labels));
  if (cooldown_.Has(labels)) cooldown_.Remove(&cooldown_.Add(labels));
  if (straggler_timeouts_.Has(labels)) straggler_timeouts_.Remove(&straggler_timeouts_.Add(labels));
}

}  // namespace lrsched
