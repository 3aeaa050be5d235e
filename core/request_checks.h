// Checks of the identifiers and values that arrive in requests: run ids, worker names, metric
// names and values, positions. Each returns INVALID_ARGUMENT naming the field and the value.
#ifndef LRSCHED_CORE_REQUEST_CHECKS_H_
#define LRSCHED_CORE_REQUEST_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace lrsched {

inline constexpr size_t kMaxRunIdLength = 128;
inline constexpr size_t kMaxWorkerNameLength = 128;
inline constexpr size_t kMaxMetricNameLength = 128;
inline constexpr int kMaxMetricsPerReport = 256;
inline constexpr int kMaxWorkers = 100000;

// A run id has 1 to kMaxRunIdLength characters from [A-Za-z0-9._:-].
absl::Status CheckRunId(absl::string_view field, absl::string_view run_id);

// A worker name is empty or has up to kMaxWorkerNameLength characters from [A-Za-z0-9._:-].
absl::Status CheckWorkerName(absl::string_view field, absl::string_view worker);

// A metric name has 1 to kMaxMetricNameLength characters from [A-Za-z0-9_./:-].
absl::Status CheckMetricName(absl::string_view field, absl::string_view name);

// A step or epoch is zero or positive.
absl::Status CheckPosition(absl::string_view field, int64_t position);

}  // namespace lrsched

#endif  // LRSCHED_CORE_REQUEST_CHECKS_H_
