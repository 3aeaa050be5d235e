// Uniform floats, bounded integers and shuffles built on std::mt19937_64.

#include "trainer/seeded_random.h"

#include <cstdint>
#include <random>
#include <utility>

#include "absl/types/span.h"

namespace lrsched::trainer {

float UniformFloat(std::mt19937_64& rng, float low, float high) {
  constexpr float kTwoToMinus24 = 1.0f / 16777216.0f;
  const float unit = static_cast<float>(rng() >> 40) * kTwoToMinus24;
  return low + (high - low) * unit;
}

uint64_t UniformIndex(std::mt19937_64& rng, uint64_t bound) {
  if (bound == 0) return 0;

  // Values below 2^64 mod bound would make the low residues more likely, so
  // they are drawn again. Unsigned negation computes 2^64 - bound.
  const uint64_t rejection_threshold = (0 - bound) % bound;
  uint64_t value = rng();
  while (value < rejection_threshold) value = rng();
  return value % bound;
}

void Shuffle(absl::Span<int64_t> values, std::mt19937_64& rng) {
  for (size_t i = values.size(); i > 1; --i) {
    const uint64_t j = UniformIndex(rng, i);
    std::swap(values[i - 1], values[j]);
  }
}

}  // namespace lrsched::trainer
