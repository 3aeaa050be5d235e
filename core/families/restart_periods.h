// Finds which period of a restarting schedule a position falls in, when the periods are
// first_length, first_length * multiplier, first_length * multiplier^2, ... long. Used by
// PyTorch's CosineAnnealingWarmRestarts and Keras' CosineDecayRestarts.
//
// PyTorch (`step(epoch)`) and Keras find the period as floor(log(...) / log(multiplier)), and
// the rounding of that log can move a restart position into the period before: PyTorch's
// step(121) with T_0 = 1, T_mult = 3 computes math.log(243, 3) = 4.999999999999999. Here an
// integral multiplier uses integer arithmetic only, so every restart lands exactly where the
// sum of the period lengths puts it.
#ifndef LRSCHED_CORE_FAMILIES_RESTART_PERIODS_H_
#define LRSCHED_CORE_FAMILIES_RESTART_PERIODS_H_

#include <cstdint>

namespace lrsched {

struct RestartPeriod {
  // 0 for the first period.
  int64_t index = 0;
  // Where the period starts, and its length. For an integral multiplier both are integers,
  // exact while below 2^53.
  double start = 0;
  double length = 0;
};

// Returns the period that contains `position`. REQUIRES: position finite and >= 0,
// first_length > 0, multiplier >= 1 and finite.
//
// For an integral multiplier the restart positions are integers, found from floor(position)
// with integer arithmetic. NOTE: for other multipliers they are computed in long double. That
// is exact while multiplier^index fits in 64 mantissa bits (1.5^index up to index 40). Beyond
// that, a position within a few long double rounding errors (an estimated 1e-17 relative) of a
// restart position could land in the neighbouring period.
RestartPeriod FindRestartPeriod(double position, int64_t first_length, double multiplier);

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_RESTART_PERIODS_H_
