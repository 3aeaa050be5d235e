// Builds a schedule from a spec written as JSON, as users write it, for the core tests.
#ifndef LRSCHED_TESTS_CORE_BUILD_FROM_JSON_H_
#define LRSCHED_TESTS_CORE_BUILD_FROM_JSON_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "core/schedule.h"
#include "core/schedule_builder.h"
#include "core/spec_json.h"

namespace lrsched::testing {

// Parses `json` and builds it: the parser's or the builder's error, or the schedule.
inline absl::StatusOr<std::unique_ptr<Schedule>> BuildFromJson(const std::string& json) {
  const auto spec = ParseSpecJson(json);
  if (!spec.ok()) return spec.status();
  return BuildSchedule(*spec);
}

// Builds `schedule_json` (one Schedule message) under a spec with `base_lr` and unit STEP.
inline absl::StatusOr<std::unique_ptr<Schedule>> BuildScheduleJson(const std::string& schedule_json,
                                                                   double base_lr = 1.0) {
  return BuildFromJson(R"({"base_lr":)" + nlohmann::json(base_lr).dump() +
                       R"(,"unit":"STEP","schedule":)" + schedule_json + "}");
}

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_CORE_BUILD_FROM_JSON_H_
