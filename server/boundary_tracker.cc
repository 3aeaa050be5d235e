#include "server/boundary_tracker.h"

#include <algorithm>

namespace lrsched {

bool BoundaryTracker::Add(int64_t boundary, const std::string& worker, int64_t step,
                          const std::map<std::string, double>& metrics, absl::Time now) {
  Open(boundary, now);
  OpenBoundary& open = boundaries_[boundary];
  const bool added = open.reports.emplace(worker, metrics).second;
  if (added) open.max_step = std::max(open.max_step, step);
  return added;
}

void BoundaryTracker::Open(int64_t boundary, absl::Time now) {
  boundaries_.try_emplace(boundary, OpenBoundary{now, {}, 0});
}

const OpenBoundary* BoundaryTracker::Find(int64_t boundary) const {
  const auto it = boundaries_.find(boundary);
  return it == boundaries_.end() ? nullptr : &it->second;
}

bool BoundaryTracker::LaterComplete(int64_t boundary, int workers) const {
  for (auto it = boundaries_.upper_bound(boundary); it != boundaries_.end(); ++it) {
    if (static_cast<int>(it->second.reports.size()) >= workers) return true;
  }
  return false;
}

void BoundaryTracker::EraseThrough(int64_t boundary) {
  boundaries_.erase(boundaries_.begin(), boundaries_.upper_bound(boundary));
}

std::optional<double> CombineMetric(const OpenBoundary& boundary, const std::string& metric,
                                    v1::PolicySpec::Aggregation aggregation) {
  double sum = 0;
  double low = 0;
  double high = 0;
  int count = 0;
  for (const auto& [worker, metrics] : boundary.reports) {
    const auto it = metrics.find(metric);
    if (it == metrics.end()) continue;
    const double value = it->second;
    low = count == 0 ? value : std::min(low, value);
    high = count == 0 ? value : std::max(high, value);
    sum += value;
    ++count;
  }
  if (count == 0) return std::nullopt;

  switch (aggregation) {
    case v1::PolicySpec::MIN:
      return low;
    case v1::PolicySpec::MAX:
      return high;
    default:
      return sum / count;
  }
}

}  // namespace lrsched
