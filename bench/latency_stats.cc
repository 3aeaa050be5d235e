#include "bench/latency_stats.h"

#include <algorithm>
#include <cassert>

namespace lrsched::bench {

int64_t NearestRankPercentile(const std::vector<int64_t>& sorted, int basis_points) {
  assert(!sorted.empty());
  assert(basis_points > 0 && basis_points <= 10000);

  // The rank is ceil(basis_points * n / 10000), computed in integers so that 99.9 % of 1000
  // samples is rank 999 exactly; int64 holds it for any n below 9e14.
  const int64_t n = static_cast<int64_t>(sorted.size());
  const int64_t rank = (static_cast<int64_t>(basis_points) * n + 9999) / 10000;
  return sorted[static_cast<size_t>(rank - 1)];
}

LatencySummary Summarize(std::vector<int64_t> samples) {
  LatencySummary summary;
  if (samples.empty()) return summary;

  std::sort(samples.begin(), samples.end());
  summary.count = static_cast<int64_t>(samples.size());
  summary.p50_ns = NearestRankPercentile(samples, kP50);
  summary.p90_ns = NearestRankPercentile(samples, kP90);
  summary.p99_ns = NearestRankPercentile(samples, kP99);
  summary.p999_ns = NearestRankPercentile(samples, kP999);
  summary.max_ns = samples.back();

  double total = 0;
  for (const int64_t sample : samples) total += static_cast<double>(sample);
  summary.mean_ns = total / static_cast<double>(samples.size());
  return summary;
}

}  // namespace lrsched::bench
