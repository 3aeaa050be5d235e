// The reports of the boundaries a run's policy has not stepped through yet, by worker.
//
// Not thread-safe: a RunEntry owns one and guards it with its mutex.
#ifndef LRSCHED_SERVER_BOUNDARY_TRACKER_H_
#define LRSCHED_SERVER_BOUNDARY_TRACKER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "lrsched/v1/policy.pb.h"

namespace lrsched {

struct OpenBoundary {
  // When the first report or waiting request reached the boundary; the straggler timeout
  // counts from here.
  absl::Time opened;
  // Metrics by worker; the first report of a worker counts.
  std::map<std::string, std::map<std::string, double>> reports;
  // Highest step any report of the boundary carries.
  int64_t max_step = 0;
};

class BoundaryTracker {
 public:
  // Adds a worker's report to `boundary`, opening it at `now` if needed. Returns false when
  // the worker already reported for this boundary (the report is ignored).
  bool Add(int64_t boundary, const std::string& worker, int64_t step,
           const std::map<std::string, double>& metrics, absl::Time now);

  // Opens `boundary` at `now` unless it is open already.
  void Open(int64_t boundary, absl::Time now);

  const OpenBoundary* Find(int64_t boundary) const;

  // Whether any boundary after `boundary` has reports from `workers` workers or more.
  bool LaterComplete(int64_t boundary, int workers) const;

  // Forgets every boundary up to and including `boundary`.
  void EraseThrough(int64_t boundary);

  bool empty() const { return boundaries_.empty(); }

 private:
  std::map<int64_t, OpenBoundary> boundaries_;
};

// Combines the value of `metric` over the workers that reported it. Returns nothing when none
// did.
std::optional<double> CombineMetric(const OpenBoundary& boundary, const std::string& metric,
                                    v1::PolicySpec::Aggregation aggregation);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_BOUNDARY_TRACKER_H_
