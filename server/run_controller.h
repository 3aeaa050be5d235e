// Decides each run's learning rate over time: answers rate requests (or holds them while a
// boundary or a decision is undecided), feeds stored reports to the run's policy, and writes
// every decision to the state file before any worker hears of it.
//
// When a request waits: a run with a policy answers a request at (step, epoch) only after the
// policy has stepped through every boundary before the request's own (for an EPOCH boundary,
// every epoch before `epoch`). A boundary is stepped through once all `num_workers` workers
// reported for it, or when a later boundary is complete, or `straggler_timeout_seconds` after
// its first report or first waiting request. Any run also holds requests at or after the
// position of a decision that is being written. So a waiting request is answered within the
// straggler timeout, with the same rate every worker gets for that position.
//
// Thread-safe. Locks a run's `mu` for each step; never locks the registry while holding it.
#ifndef LRSCHED_SERVER_RUN_CONTROLLER_H_
#define LRSCHED_SERVER_RUN_CONTROLLER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/policy_metrics.h"
#include "server/run_registry.h"
#include "server/store_writer.h"

namespace lrsched {

class RunController {
 public:
  using RateDone = std::function<void(absl::StatusOr<v1::GetLearningRateResponse>)>;
  using DecisionDone = std::function<void(absl::StatusOr<v1::Decision>)>;

  // Starts the straggler timer thread. The pointers must outlive this object.
  RunController(RunRegistry* registry, StoreWriter* writer, PolicyMetrics* metrics);
  ~RunController();

  // Answers the request through `done`, at once or once the run may answer it.
  void GetLearningRate(const std::shared_ptr<RunEntry>& run,
                       const v1::GetLearningRateRequest& request, RateDone done);

  using LeaseDone = std::function<void(absl::StatusOr<v1::ScheduleLease>)>;

  // Hands out a lease through `done` once the run may answer the request's first position
  // (as GetLearningRate waits), and records its last position as answered.
  void LeaseSchedule(const std::shared_ptr<RunEntry>& run,
                     const v1::LeaseScheduleRequest& request, LeaseDone done);

  // Passes a report that is already in the state file to the run's policy.
  void OnReportStored(const std::shared_ptr<RunEntry>& run, const MetricReport& report);

  // Validates and writes an operator's decision, then applies it. FAILED_PRECONDITION when
  // its position is not after every position already answered or reported.
  void UpdateSchedule(const std::shared_ptr<RunEntry>& run,
                      const v1::UpdateScheduleRequest& request, DecisionDone done);

  // Publishes the run's latest policy result to its population, if its policy has one. Called
  // for restored runs; boundaries publish their own results.
  void PublishPopulationResult(const RunEntry& run) ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu);

  // Removes the run from its population (for a deleted run).
  void ForgetPopulationResult(const RunEntry& run);

  // Answers every waiting request of the run with `status` (for a deleted run).
  void FailWaiters(RunEntry& run, const absl::Status& status);

  // Stops the timer and answers every waiting request with UNAVAILABLE.
  void Shutdown();

 private:
  // Steps the run's policy through every boundary that is ready, one write at a time.
  void Advance(const std::shared_ptr<RunEntry>& run, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run->mu);
  void CloseBoundary(const std::shared_ptr<RunEntry>& run, int64_t boundary)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run->mu);

  // Writes `decision` and the policy's next state; on commit applies both and answers waiters.
  void CommitDecision(const std::shared_ptr<RunEntry>& run, std::optional<v1::Decision> decision,
                      std::optional<v1::PolicyState> next_state, DecisionDone done)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run->mu);

  bool ReadyToAnswer(const RunEntry& run, const v1::GetLearningRateRequest& request) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu);
  absl::StatusOr<v1::GetLearningRateResponse> Answer(RunEntry& run,
                                                     const v1::GetLearningRateRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu);

  absl::StatusOr<v1::ScheduleLease> MakeLease(RunEntry& run,
                                              const v1::LeaseScheduleRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu);

  // Removes the waiters that can be answered now and returns their replies, to be called
  // without the run's lock.
  std::vector<std::function<void()>> TakeReady(RunEntry& run)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(run.mu);

  void Watch(const std::string& run_id);
  void TimerLoop();

  RunRegistry* registry_;
  StoreWriter* writer_;
  PolicyMetrics* metrics_;

  // The latest result of every run of each population, by population then run id. A leaf lock:
  // taken while holding a run's `mu`, never the other way round.
  absl::Mutex population_mu_;
  std::map<std::string, std::map<std::string, PeerResult>> populations_
      ABSL_GUARDED_BY(population_mu_);

  absl::Mutex timer_mu_;
  absl::flat_hash_set<std::string> watched_ ABSL_GUARDED_BY(timer_mu_);
  bool stopping_ ABSL_GUARDED_BY(timer_mu_) = false;
  std::thread timer_;
};

// The straggler timeout of a policy spec, with the default applied.
absl::Duration StragglerTimeout(const v1::PolicySpec& spec);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_RUN_CONTROLLER_H_
