// Seeded random numbers whose values this file defines, not the standard
// library, so a seed gives the same initialization and shuffle with any
// compiler. The C++ standard fixes the output of std::mt19937_64 but leaves
// std::uniform_*_distribution and std::shuffle to each implementation.

#ifndef LRSCHED_TRAINER_SEEDED_RANDOM_H_
#define LRSCHED_TRAINER_SEEDED_RANDOM_H_

#include <cstdint>
#include <random>

#include "absl/types/span.h"

namespace lrsched::trainer {

// Returns low + (high - low) * u, where u is uniform in [0, 1) with 24 random
// bits, the precision of a float mantissa. Rounding can make it equal `high`.
float UniformFloat(std::mt19937_64& rng, float low, float high);

// Returns an integer uniformly distributed in [0, bound), or 0 if bound is 0.
// Rejection sampling removes the bias of a plain modulo.
uint64_t UniformIndex(std::mt19937_64& rng, uint64_t bound);

// Shuffles `values` in place with the Fisher-Yates algorithm.
void Shuffle(absl::Span<int64_t> values, std::mt19937_64& rng);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_SEEDED_RANDOM_H_
