#include "core/parameter_checks.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace lrsched {

absl::Status CheckFinite(absl::string_view path, double value) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(path, " must be finite, got ", value));
}

absl::Status CheckPositive(absl::string_view path, double value) {
  if (std::isfinite(value) && value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be positive and finite, got ", value));
}

absl::Status CheckPositive(absl::string_view path, int64_t value) {
  if (value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(path, " must be positive, got ", value));
}

absl::Status CheckNonNegative(absl::string_view path, double value) {
  if (std::isfinite(value) && value >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be zero or positive and finite, got ", value));
}

absl::Status CheckNonNegative(absl::string_view path, int64_t value) {
  if (value >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be zero or positive, got ", value));
}

absl::Status CheckInClosedRange(absl::string_view path, double value, double low, double high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be in [", low, ", ", high, "], got ", value));
}

}  // namespace lrsched
