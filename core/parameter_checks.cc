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

absl::Status CheckAtLeast(absl::string_view path, int64_t value, int64_t minimum) {
  if (value >= minimum) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be at least ", minimum, ", got ", value));
}

absl::Status CheckAtLeast(absl::string_view path, double value, double minimum) {
  if (std::isfinite(value) && value >= minimum) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be at least ", minimum, " and finite, got ", value));
}

absl::Status CheckInClosedRange(absl::string_view path, double value, double low, double high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be in [", low, ", ", high, "], got ", value));
}

absl::Status CheckInLeftOpenRange(absl::string_view path, double value, double low,
                                  double high) {
  if (value > low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be in (", low, ", ", high, "], got ", value));
}

absl::Status CheckPresent(absl::string_view path, bool present, absl::string_view what_to_set) {
  if (present) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(path, " is missing: ", what_to_set));
}

absl::Status CheckNonDecreasing(absl::string_view path,
                                const google::protobuf::RepeatedField<int64_t>& values) {
  for (int i = 1; i < values.size(); ++i) {
    if (values[i] >= values[i - 1]) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        path, " must be in non-decreasing order, but ", path, "[", i, "] = ", values[i],
        " follows ", path, "[", i - 1, "] = ", values[i - 1]));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CheckedAdd(absl::string_view expression, int64_t a, int64_t b) {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return absl::InvalidArgumentError(
      absl::StrCat(expression, " is ", a, " + ", b, ", beyond the largest position (2^63 - 1)"));
}

absl::StatusOr<int64_t> CheckedMultiply(absl::string_view expression, int64_t a, int64_t b) {
  int64_t product = 0;
  if (!__builtin_mul_overflow(a, b, &product)) return product;
  return absl::InvalidArgumentError(
      absl::StrCat(expression, " is ", a, " * ", b, ", beyond the largest position (2^63 - 1)"));
}

}  // namespace lrsched
