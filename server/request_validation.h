// Validation of whole requests, field by field, before the service acts on them. Every error is
// INVALID_ARGUMENT and names the field path within the request.
#ifndef LRSCHED_SERVER_REQUEST_VALIDATION_H_
#define LRSCHED_SERVER_REQUEST_VALIDATION_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/policy/policy.h"
#include "core/schedule.h"
#include "lrsched/v1/service.pb.h"

namespace lrsched {

inline constexpr int32_t kDefaultPageSize = 100;
inline constexpr int32_t kMaxPageSize = 1000;
inline constexpr int64_t kMaxPreviewPositions = 500000;
inline constexpr int kMaxLabels = 64;
inline constexpr size_t kMaxLabelValueLength = 256;
inline constexpr size_t kMaxReasonLength = 1000;

// Validates the request, spec and policy included, and returns its policy (null without one).
// `request` is normalized in place: an unset num_workers becomes 1, so equal requests compare
// equal.
absl::StatusOr<std::unique_ptr<Policy>> ValidateCreateRun(v1::CreateRunRequest& request);

absl::Status ValidateUpdateSchedule(const v1::UpdateScheduleRequest& request);

inline constexpr int64_t kMaxLeasePositions = 1000000;
absl::Status ValidateLeaseSchedule(const v1::LeaseScheduleRequest& request);

absl::Status ValidateGetLearningRate(const v1::GetLearningRateRequest& request);
absl::Status ValidateReportMetrics(const v1::ReportMetricsRequest& request);

// Returns the page size to use.
absl::StatusOr<int32_t> ValidateListRuns(const v1::ListRunsRequest& request);

absl::StatusOr<std::unique_ptr<Schedule>> ValidatePreview(
    const v1::PreviewScheduleRequest& request);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_REQUEST_VALIDATION_H_
