#include "core/request_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/escaping.h"

namespace lrsched {
namespace {

// Quotes `value` for a message, cut to a readable length and with control bytes escaped.
std::string Quote(absl::string_view value) {
  constexpr size_t kShown = 40;
  std::string shown(value.substr(0, kShown));
  if (value.size() > kShown) absl::StrAppend(&shown, "...");
  return absl::StrCat("\"", absl::CHexEscape(shown), "\"");
}

absl::Status CheckName(absl::string_view field, absl::string_view value, size_t min_length,
                       size_t max_length, absl::string_view extra_characters) {
  if (value.size() < min_length) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must not be empty"));
  }
  if (value.size() > max_length) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is ", value.size(),
                                                   " characters long, at most ", max_length,
                                                   " allowed: ", Quote(value)));
  }
  for (const char c : value) {
    if (absl::ascii_isalnum(c) || extra_characters.find(c) != absl::string_view::npos) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        field, " ", Quote(value), " contains ", Quote(absl::string_view(&c, 1)),
        "; allowed are letters, digits and ", Quote(extra_characters)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRunId(absl::string_view field, absl::string_view run_id) {
  return CheckName(field, run_id, 1, kMaxRunIdLength, "._:-");
}

absl::Status CheckWorkerName(absl::string_view field, absl::string_view worker) {
  return CheckName(field, worker, 0, kMaxWorkerNameLength, "._:-");
}

absl::Status CheckMetricName(absl::string_view field, absl::string_view name) {
  return CheckName(field, name, 1, kMaxMetricNameLength, "_./:-");
}

absl::Status CheckPosition(absl::string_view field, int64_t position) {
  if (position >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, " must be zero or positive, got ", position));
}

}  // namespace lrsched
