// Checks of single numeric parameters. Each returns INVALID_ARGUMENT naming `path` and the
// offending value, so callers can pass the full field path of a nested spec.
#ifndef LRSCHED_CORE_PARAMETER_CHECKS_H_
#define LRSCHED_CORE_PARAMETER_CHECKS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"

namespace lrsched {

// Rejects NaN and infinities.
absl::Status CheckFinite(absl::string_view path, double value);

// Rejects values that are not finite or not greater than zero.
absl::Status CheckPositive(absl::string_view path, double value);
absl::Status CheckPositive(absl::string_view path, int64_t value);

// Rejects values that are not finite or below zero.
absl::Status CheckNonNegative(absl::string_view path, double value);
absl::Status CheckNonNegative(absl::string_view path, int64_t value);

// Rejects values below `minimum`, and for doubles NaN and infinities.
absl::Status CheckAtLeast(absl::string_view path, int64_t value, int64_t minimum);
absl::Status CheckAtLeast(absl::string_view path, double value, double minimum);

// Rejects values outside the closed interval [low, high], and NaN.
absl::Status CheckInClosedRange(absl::string_view path, double value, double low, double high);

// Rejects values outside the interval (low, high], and NaN.
absl::Status CheckInLeftOpenRange(absl::string_view path, double value, double low, double high);

// Rejects an optional field that is not set. The message adds `what_to_set`, e.g. "set the
// decay factor per position".
absl::Status CheckPresent(absl::string_view path, bool present, absl::string_view what_to_set);

// Rejects a list in which an element is smaller than the one before it.
absl::Status CheckNonDecreasing(absl::string_view path,
                                const google::protobuf::RepeatedField<int64_t>& values);

// Returns `a + b`, or INVALID_ARGUMENT naming `expression` when the sum overflows int64. The
// expression is a path, e.g. "schedule.cyclic_lr.step_size_up + step_size_down".
absl::StatusOr<int64_t> CheckedAdd(absl::string_view expression, int64_t a, int64_t b);

// Returns `a * b`, or INVALID_ARGUMENT naming `expression` when the product overflows int64.
absl::StatusOr<int64_t> CheckedMultiply(absl::string_view expression, int64_t a, int64_t b);

// Returns the choice named `value`, or `default_choice` when `value` is empty. Other values are
// INVALID_ARGUMENT listing the valid names, e.g.
// `schedule.cyclic_lr.mode must be one of "triangular", "triangular2", "exp_range", got "sine"`.
template <typename Choice>
absl::StatusOr<Choice> ParseChoice(
    absl::string_view path, absl::string_view value, Choice default_choice,
    std::initializer_list<std::pair<absl::string_view, Choice>> choices) {
  if (value.empty()) return default_choice;

  std::string names;
  for (const auto& [name, choice] : choices) {
    if (name == value) return choice;
    absl::StrAppend(&names, names.empty() ? "" : ", ", "\"", name, "\"");
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, " must be one of ", names, ", got \"", value, "\""));
}

}  // namespace lrsched

#endif  // LRSCHED_CORE_PARAMETER_CHECKS_H_
