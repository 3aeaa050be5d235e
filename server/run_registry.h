// The runs the server holds in memory. Every learning-rate request is answered from here; the
// state file only backs it up.
#ifndef LRSCHED_SERVER_RUN_REGISTRY_H_
#define LRSCHED_SERVER_RUN_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/container/btree_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/policy/policy.h"
#include "core/rate_timeline.h"
#include "lrsched/v1/service.pb.h"
#include "server/boundary_tracker.h"
#include "server/server_metrics.h"

namespace lrsched {

// A GetLearningRate or LeaseSchedule request that waits for a boundary or a decision to be
// decided. `request` holds the position either one needs first.
struct PendingRate {
  v1::GetLearningRateRequest request;
  std::function<void(absl::StatusOr<v1::GetLearningRateResponse>)> done;
  // Set for a LeaseSchedule request, which is answered with a lease through `lease_done`.
  std::optional<v1::LeaseScheduleRequest> lease_request;
  std::function<void(absl::StatusOr<v1::ScheduleLease>)> lease_done;
};

// One run. The request and policy never change after construction, so readers need no lock
// for them; everything else is guarded by `mu`.
struct RunEntry {
  RunEntry(v1::CreateRunRequest request_in, std::unique_ptr<Policy> policy_in,
           absl::Time create_time_in)
      : request(std::move(request_in)),
        policy(std::move(policy_in)),
        create_time(create_time_in),
        in_population(policy != nullptr && !policy->population().empty()) {}

  // The position the schedule is evaluated at: the step or the epoch, as the spec's unit says.
  int64_t PositionOf(int64_t step, int64_t epoch) const;

  // The policy boundary that a report at (step, epoch) belongs to. REQUIRES: a policy.
  int64_t BoundaryOf(int64_t step, int64_t epoch) const;

  // Copies the run and its progress into a Run message.
  v1::Run ToProto() const ABSL_LOCKS_EXCLUDED(mu);

  const v1::CreateRunRequest request;
  // Null for a run without a policy.
  const std::unique_ptr<Policy> policy;
  const absl::Time create_time;
  // Whether the policy compares runs, so that rate replies may name a checkpoint to load.
  const bool in_population;

  mutable absl::Mutex mu;

  // The schedule with every committed decision applied, and those decisions in order.
  std::shared_ptr<const RateTimeline> timeline ABSL_GUARDED_BY(mu);
  std::vector<v1::Decision> decisions ABSL_GUARDED_BY(mu);
  // True while a decision is being written; requests at or after its position wait.
  bool decision_in_flight ABSL_GUARDED_BY(mu) = false;
  int64_t in_flight_position ABSL_GUARDED_BY(mu) = 0;

  v1::PolicyState policy_state ABSL_GUARDED_BY(mu);
  BoundaryTracker boundaries ABSL_GUARDED_BY(mu);
  std::vector<PendingRate> waiters ABSL_GUARDED_BY(mu);
  std::string warning ABSL_GUARDED_BY(mu);

  // Highest position any worker received a rate for; decisions must come after it.
  int64_t highest_position_answered ABSL_GUARDED_BY(mu) = -1;

  int64_t last_step ABSL_GUARDED_BY(mu) = 0;
  int64_t last_epoch ABSL_GUARDED_BY(mu) = 0;
  int64_t report_count ABSL_GUARDED_BY(mu) = 0;
  std::map<std::string, double> last_metrics ABSL_GUARDED_BY(mu);
  RunSeries series ABSL_GUARDED_BY(mu);
};

class RunRegistry {
 public:
  // Returns the run, or null when there is none with that id.
  std::shared_ptr<RunEntry> Find(const std::string& run_id) const;

  // Runs `action` on the run while no run can be removed, so that writes it queues are
  // ordered before any deletion of the run. Returns false when the run does not exist.
  bool WithRun(const std::string& run_id,
               const std::function<void(const std::shared_ptr<RunEntry>&)>& action) const;

  // Adds a run. REQUIRES: no run with the same id exists.
  void Insert(std::shared_ptr<RunEntry> entry);

  // Removes the run and runs `action` on it before any other thread can see the removal.
  // Returns null when the run does not exist.
  std::shared_ptr<RunEntry> Remove(const std::string& run_id,
                                   const std::function<void(RunEntry&)>& action);

  // Returns up to `limit` runs with ids greater than `after`, in id order, and sets `*more`
  // when further runs follow.
  std::vector<std::shared_ptr<RunEntry>> Page(const std::string& after, size_t limit,
                                              bool* more) const;

  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::btree_map<std::string, std::shared_ptr<RunEntry>> runs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_RUN_REGISTRY_H_
