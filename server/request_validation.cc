#include "server/request_validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/request_checks.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"

namespace lrsched {
namespace {

// Builds the spec's schedule, naming fields from the request's root ("spec.schedule...").
absl::StatusOr<std::unique_ptr<Schedule>> BuildRequestSchedule(const v1::ScheduleSpec& spec) {
  auto schedule = BuildSchedule(spec);
  if (schedule.ok()) return schedule;
  return absl::Status(schedule.status().code(),
                      absl::StrCat("spec.", schedule.status().message()));
}

absl::Status ValidateLabels(const v1::CreateRunRequest& request) {
  if (request.labels_size() > kMaxLabels) {
    return absl::InvalidArgumentError(absl::StrCat("labels has ", request.labels_size(),
                                                   " entries, at most ", kMaxLabels));
  }
  for (const auto& [key, value] : request.labels()) {
    RETURN_IF_ERROR(CheckMetricName("labels key", key));
    if (value.size() > kMaxLabelValueLength) {
      return absl::InvalidArgumentError(absl::StrCat("labels[", key, "] is ", value.size(),
                                                     " characters long, at most ",
                                                     kMaxLabelValueLength));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Policy>> ValidateCreateRun(v1::CreateRunRequest& request) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  if (!request.has_spec()) return absl::InvalidArgumentError("spec is missing");
  RETURN_IF_ERROR(BuildRequestSchedule(request.spec()).status());

  if (request.num_workers() == 0) request.set_num_workers(1);
  if (request.num_workers() < 0 || request.num_workers() > kMaxWorkers) {
    return absl::InvalidArgumentError(absl::StrCat("num_workers must be in [1, ", kMaxWorkers,
                                                   "], got ", request.num_workers()));
  }
  RETURN_IF_ERROR(ValidateLabels(request));
  if (!request.has_policy()) return nullptr;

  if (request.policy().boundary() == v1::PolicySpec::EVERY_N_STEPS &&
      request.spec().unit() != v1::ScheduleSpec::STEP) {
    return absl::InvalidArgumentError(
        "policy.boundary EVERY_N_STEPS needs a spec whose unit is STEP");
  }
  return BuildPolicy(request.policy(), request.spec().unit());
}

absl::Status ValidateUpdateSchedule(const v1::UpdateScheduleRequest& request) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  RETURN_IF_ERROR(CheckPosition("effective_position", request.effective_position()));
  if (request.reason().empty()) {
    return absl::InvalidArgumentError("reason is missing: say why the schedule changes");
  }
  if (request.reason().size() > kMaxReasonLength) {
    return absl::InvalidArgumentError(absl::StrCat("reason is ", request.reason().size(),
                                                   " characters long, at most ",
                                                   kMaxReasonLength));
  }
  return CheckWorkerName("operator", request.operator_());
}

absl::Status ValidateGetLearningRate(const v1::GetLearningRateRequest& request) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  RETURN_IF_ERROR(CheckPosition("step", request.step()));
  RETURN_IF_ERROR(CheckPosition("epoch", request.epoch()));
  return CheckWorkerName("worker", request.worker());
}

absl::Status ValidateReportMetrics(const v1::ReportMetricsRequest& request) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  RETURN_IF_ERROR(CheckWorkerName("worker", request.worker()));
  RETURN_IF_ERROR(CheckPosition("step", request.step()));
  RETURN_IF_ERROR(CheckPosition("epoch", request.epoch()));

  if (request.metrics().empty()) {
    return absl::InvalidArgumentError("metrics is empty: report at least one metric");
  }
  if (request.metrics_size() > kMaxMetricsPerReport) {
    return absl::InvalidArgumentError(absl::StrCat("metrics has ", request.metrics_size(),
                                                   " entries, at most ",
                                                   kMaxMetricsPerReport));
  }
  for (const auto& [name, value] : request.metrics()) {
    RETURN_IF_ERROR(CheckMetricName("metrics key", name));
    if (!std::isfinite(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("metrics[", name, "] must be finite, got ", value));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateLeaseSchedule(const v1::LeaseScheduleRequest& request) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  RETURN_IF_ERROR(CheckPosition("step", request.step()));
  RETURN_IF_ERROR(CheckPosition("epoch", request.epoch()));
  RETURN_IF_ERROR(CheckWorkerName("worker", request.worker()));
  if (request.positions() < 0 || request.positions() > kMaxLeasePositions) {
    return absl::InvalidArgumentError(absl::StrCat("positions must be in [1, ",
                                                   kMaxLeasePositions, "] or 0 for 10000, got ",
                                                   request.positions()));
  }
  return absl::OkStatus();
}

absl::StatusOr<int32_t> ValidateListRuns(const v1::ListRunsRequest& request) {
  if (!request.page_token().empty() && !CheckRunId("page_token", request.page_token()).ok()) {
    return absl::InvalidArgumentError(
        "page_token is not a next_page_token from a previous ListRuns reply");
  }
  if (request.page_size() == 0) return kDefaultPageSize;
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size must be in [1, ", kMaxPageSize,
                                                   "], got ", request.page_size()));
  }
  return request.page_size();
}

absl::StatusOr<std::unique_ptr<Schedule>> ValidatePreview(
    const v1::PreviewScheduleRequest& request) {
  if (!request.has_spec()) return absl::InvalidArgumentError("spec is missing");
  ASSIGN_OR_RETURN(auto schedule, BuildRequestSchedule(request.spec()));
  if (request.positions() < 1 || request.positions() > kMaxPreviewPositions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "positions must be in [1, ", kMaxPreviewPositions, "], got ", request.positions()));
  }
  RETURN_IF_ERROR(schedule->CheckPosition(request.positions() - 1));
  return schedule;
}

}  // namespace lrsched
