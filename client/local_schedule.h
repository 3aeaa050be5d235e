// A run's learning rate computed in the caller's process, with no call per step.
//
// LocalSchedule leases the run's schedule and decisions from the server for a range of
// positions (LeaseSchedule) and evaluates them locally, with the same code the server uses, so
// its rates equal the server's. The server treats the leased positions as answered, so no
// decision can change them; past the lease, or when the run's policy has an undecided
// boundary ahead, the next call renews the lease and may wait as GetLearningRate does.
// Thread-safe.
//
//   LocalSchedule schedule(client, "run-1", "worker-0");
//   ASSIGN_OR_RETURN(double rate, schedule.LearningRate(step, epoch));
#ifndef LRSCHED_CLIENT_LOCAL_SCHEDULE_H_
#define LRSCHED_CLIENT_LOCAL_SCHEDULE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "client/client.h"
#include "core/rate_timeline.h"

namespace lrsched {

class LocalSchedule {
 public:
  // `client` must outlive this object. `lease_positions` is how many positions each lease
  // asks for.
  LocalSchedule(Client* client, std::string run_id, std::string worker,
                int64_t lease_positions = 10000);

  // Returns the rate at (step, epoch): from the current lease when it covers the position,
  // else after renewing it. Errors are the server's (NOT_FOUND, FAILED_PRECONDITION for a
  // finished run, UNAVAILABLE).
  absl::StatusOr<double> LearningRate(int64_t step, int64_t epoch);

  // The schedule version of the current lease; 0 before the first.
  int64_t schedule_version() const;

  // How many leases were taken, for tests and statistics.
  int64_t lease_count() const;

 private:
  bool Covers(int64_t step, int64_t epoch) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Renew(int64_t step, int64_t epoch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Client* client_;
  const std::string run_id_;
  const std::string worker_;
  const int64_t lease_positions_;

  mutable absl::Mutex mu_;
  v1::ScheduleLease lease_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const RateTimeline> timeline_ ABSL_GUARDED_BY(mu_);
  int64_t lease_count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lrsched

#endif  // LRSCHED_CLIENT_LOCAL_SCHEDULE_H_
