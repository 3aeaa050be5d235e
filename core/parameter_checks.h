// Checks of single numeric parameters. Each returns INVALID_ARGUMENT naming `path` and the
// offending value, so callers can pass the full field path of a nested spec.
#ifndef LRSCHED_CORE_PARAMETER_CHECKS_H_
#define LRSCHED_CORE_PARAMETER_CHECKS_H_

#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace lrsched {

// Rejects NaN and infinities.
absl::Status CheckFinite(absl::string_view path, double value);

// Rejects values that are not finite or not greater than zero.
absl::Status CheckPositive(absl::string_view path, double value);
absl::Status CheckPositive(absl::string_view path, int64_t value);

// Rejects values that are not finite or below zero.
absl::Status CheckNonNegative(absl::string_view path, double value);
absl::Status CheckNonNegative(absl::string_view path, int64_t value);

// Rejects values outside the closed interval [low, high], and NaN.
absl::Status CheckInClosedRange(absl::string_view path, double value, double low, double high);

}  // namespace lrsched

#endif  // LRSCHED_CORE_PARAMETER_CHECKS_H_
