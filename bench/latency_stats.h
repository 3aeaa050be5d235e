// Latency percentiles of a benchmark's calls, computed from every sample.
#ifndef LRSCHED_BENCH_LATENCY_STATS_H_
#define LRSCHED_BENCH_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace lrsched::bench {

// Percentiles in basis points (1/100 of a percent), so that 99.9 % is the exact integer 9990.
inline constexpr int kP50 = 5000;
inline constexpr int kP90 = 9000;
inline constexpr int kP99 = 9900;
inline constexpr int kP999 = 9990;

struct LatencySummary {
  int64_t count = 0;
  // Zero when count is zero.
  int64_t p50_ns = 0;
  int64_t p90_ns = 0;
  int64_t p99_ns = 0;
  int64_t p999_ns = 0;
  int64_t max_ns = 0;
  double mean_ns = 0;
};

// Returns the nearest-rank percentile of `sorted`: the smallest sample that at least
// `basis_points` / 10000 of the samples are less than or equal to.
// REQUIRES: `sorted` is sorted ascending and not empty; 0 < basis_points <= 10000.
int64_t NearestRankPercentile(const std::vector<int64_t>& sorted, int basis_points);

// Sorts `samples` (latencies in nanoseconds) and returns their percentiles, maximum and mean.
LatencySummary Summarize(std::vector<int64_t> samples);

}  // namespace lrsched::bench

#endif  // LRSCHED_BENCH_LATENCY_STATS_H_
