#include "core/families/restart_periods.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace lrsched {
namespace {

constexpr int64_t kMaxInt64 = std::numeric_limits<int64_t>::max();
constexpr double kTwoTo63 = 9223372036854775808.0;

// The whole position at or below `position`, saturated at the int64 maximum.
int64_t WholePosition(double position) {
  if (position >= kTwoTo63) return kMaxInt64;
  return static_cast<int64_t>(std::floor(position));
}

RestartPeriod FindEqualPeriod(int64_t whole, int64_t length) {
  RestartPeriod period;
  period.index = whole / length;
  period.start = static_cast<double>(period.index * length);
  period.length = static_cast<double>(length);
  return period;
}

// With a multiplier of at least 2 each period is at least twice as long as the one before, so
// at most 63 of them fit below the int64 maximum: the loop walks periods, never positions.
// `multiplier` is the exact value, `saturated_multiplier` the same capped at the int64 maximum.
RestartPeriod FindGrowingPeriod(int64_t whole, int64_t first_length, double multiplier,
                                int64_t saturated_multiplier) {
  RestartPeriod period;
  int64_t start = 0;
  int64_t length = first_length;
  double length_as_double = static_cast<double>(first_length);
  bool length_beyond_int64 = false;

  // start + length <= whole inside the loop, so start never overflows.
  while (!length_beyond_int64 && whole - start >= length) {
    start += length;
    ++period.index;
    length_beyond_int64 = __builtin_mul_overflow(length, saturated_multiplier, &length);
    length_as_double *= multiplier;
  }

  period.start = static_cast<double>(start);
  period.length = length_as_double;
  return period;
}

// Indices up to which ratio^index is computed by repeated squaring. Each squaring can double
// the relative rounding error, so beyond 6 squarings exp(index * log(ratio)) is more precise.
constexpr int64_t kMaxSquaringIndex = 64;

// Returns ratio^index. Up to kMaxSquaringIndex it multiplies, and every product is exact while
// it fits in the 64-bit mantissa of a long double (1.5^index up to index 40), independently of
// the libm, so a restart at an integer position such as 10 = 4 * (1 + 1.5) stays exact.
long double Power(long double ratio, int64_t index) {
  if (index > kMaxSquaringIndex) {
    return std::exp(static_cast<long double>(index) * std::log1p(ratio - 1.0L));
  }

  long double result = 1.0L;
  long double square = ratio;
  while (index > 0) {
    if (index & 1) result *= square;
    square *= square;
    index >>= 1;
  }
  return result;
}

// A non-integral multiplier: estimate the index from the closed form of the sum of lengths,
// then search around the estimate for the index with start(index) <= position <
// start(index + 1) in long double. The search gallops and then bisects, so a poor estimate
// costs O(log) evaluations, never a walk over indices.
RestartPeriod FindFractionalPeriod(double position, int64_t first_length, double multiplier) {
  const long double first = static_cast<long double>(first_length);
  const long double ratio = multiplier;
  const long double x = position;
  const auto start_of = [&](int64_t index) {
    return first * (Power(ratio, index) - 1.0L) / (ratio - 1.0L);
  };

  // Past this index every start is beyond the largest double, so the search stays below it.
  constexpr int64_t kMaxIndex = int64_t{1} << 62;
  const long double estimate =
      std::floor(std::log1p(x * (ratio - 1.0L) / first) / std::log1p(ratio - 1.0L));
  int64_t low = static_cast<int64_t>(std::clamp<long double>(estimate, 0, kMaxIndex));

  // Gallop down to an index that starts at or before x, and up to one that starts after it.
  for (int64_t step = 1; low > 0 && start_of(low) > x; step *= 2) {
    low = std::max<int64_t>(0, low - step);
  }
  int64_t high = low + 1;
  for (int64_t step = 1; high < kMaxIndex && start_of(high) <= x; step *= 2) {
    low = high;
    high = std::min(kMaxIndex, high + step);
  }
  while (high - low > 1) {
    const int64_t middle = low + (high - low) / 2;
    if (start_of(middle) <= x) {
      low = middle;
    } else {
      high = middle;
    }
  }

  RestartPeriod period;
  period.index = low;
  period.start = static_cast<double>(start_of(low));
  period.length = static_cast<double>(first * Power(ratio, low));
  return period;
}

}  // namespace

RestartPeriod FindRestartPeriod(double position, int64_t first_length, double multiplier) {
  if (multiplier == 1.0) return FindEqualPeriod(WholePosition(position), first_length);
  if (multiplier != std::floor(multiplier)) {
    return FindFractionalPeriod(position, first_length, multiplier);
  }

  // Integral doubles below 2^63 convert exactly. A multiplier of 2^63 or more makes the second
  // period longer than every int64 position.
  const int64_t saturated = multiplier >= kTwoTo63 ? kMaxInt64 : static_cast<int64_t>(multiplier);
  return FindGrowingPeriod(WholePosition(position), first_length, multiplier, saturated);
}

}  // namespace lrsched
