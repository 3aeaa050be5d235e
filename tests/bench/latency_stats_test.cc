#include "bench/latency_stats.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace lrsched::bench {
namespace {

// 1, 2, ..., n: the nearest-rank p-th percentile of these is ceil(p * n).
std::vector<int64_t> OneTo(int64_t n) {
  std::vector<int64_t> samples;
  for (int64_t i = 1; i <= n; ++i) samples.push_back(i);
  return samples;
}

TEST(NearestRankPercentile, ThousandSamples) {
  const std::vector<int64_t> samples = OneTo(1000);
  EXPECT_EQ(NearestRankPercentile(samples, kP50), 500);
  EXPECT_EQ(NearestRankPercentile(samples, kP90), 900);
  EXPECT_EQ(NearestRankPercentile(samples, kP99), 990);
  EXPECT_EQ(NearestRankPercentile(samples, kP999), 999);
  EXPECT_EQ(NearestRankPercentile(samples, 10000), 1000);
  EXPECT_EQ(NearestRankPercentile(samples, 1), 1);
}

TEST(NearestRankPercentile, RoundsRankUp) {
  // 50 % of 3 samples is rank ceil(1.5) = 2. 99.9 % of 10 samples is rank ceil(9.99) = 10.
  EXPECT_EQ(NearestRankPercentile({10, 20, 30}, kP50), 20);
  EXPECT_EQ(NearestRankPercentile(OneTo(10), kP999), 10);
  EXPECT_EQ(NearestRankPercentile(OneTo(10), kP90), 9);
  EXPECT_EQ(NearestRankPercentile(OneTo(10), kP99), 10);
}

TEST(NearestRankPercentile, SingleSample) {
  for (const int basis_points : {1, kP50, kP90, kP99, kP999, 10000}) {
    SCOPED_TRACE(basis_points);
    EXPECT_EQ(NearestRankPercentile({42}, basis_points), 42);
  }
}

TEST(NearestRankPercentile, ExactAtLargeCounts) {
  // 99.9 % of 10^6 samples is rank 999,000 exactly, with no floating-point rounding.
  const std::vector<int64_t> samples = OneTo(1000000);
  EXPECT_EQ(NearestRankPercentile(samples, kP999), 999000);
  EXPECT_EQ(NearestRankPercentile(samples, kP99), 990000);
}

TEST(Summarize, EmptyIsZero) {
  const LatencySummary summary = Summarize({});
  EXPECT_EQ(summary.count, 0);
  EXPECT_EQ(summary.p50_ns, 0);
  EXPECT_EQ(summary.p999_ns, 0);
  EXPECT_EQ(summary.max_ns, 0);
  EXPECT_EQ(summary.mean_ns, 0);
}

TEST(Summarize, UnsortedInput) {
  std::vector<int64_t> samples = OneTo(1000);
  std::mt19937 generator(7);
  std::shuffle(samples.begin(), samples.end(), generator);

  const LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.count, 1000);
  EXPECT_EQ(summary.p50_ns, 500);
  EXPECT_EQ(summary.p90_ns, 900);
  EXPECT_EQ(summary.p99_ns, 990);
  EXPECT_EQ(summary.p999_ns, 999);
  EXPECT_EQ(summary.max_ns, 1000);
  EXPECT_DOUBLE_EQ(summary.mean_ns, 500.5);
}

TEST(Summarize, OutlierReachesOnlyTopPercentiles) {
  // 999 fast calls and one slow one. p99.9 of 1000 samples is rank 999, a fast call, so only
  // the maximum shows the outlier.
  std::vector<int64_t> samples(999, 100);
  samples.push_back(1000000);

  const LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.p99_ns, 100);
  EXPECT_EQ(summary.p999_ns, 100);
  EXPECT_EQ(summary.max_ns, 1000000);
}

TEST(Summarize, TiesKeepTheirValue) {
  const LatencySummary summary = Summarize({5, 5, 5, 5, 9});
  EXPECT_EQ(summary.p50_ns, 5);
  EXPECT_EQ(summary.p90_ns, 9);
  EXPECT_EQ(summary.count, 5);
}

}  // namespace
}  // namespace lrsched::bench
