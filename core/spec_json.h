// Conversion between ScheduleSpec and its proto3 JSON form, as the CLI and the server accept it.
#ifndef LRSCHED_CORE_SPEC_JSON_H_
#define LRSCHED_CORE_SPEC_JSON_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched {

// Parses a spec from JSON. Unknown fields and wrong types are INVALID_ARGUMENT with the
// parser's message, which names the field. Does not validate the values: use BuildSchedule.
absl::StatusOr<v1::ScheduleSpec> ParseSpecJson(absl::string_view json);

// Prints a spec as indented JSON with the proto field names (`decay_steps`, not `decaySteps`).
std::string SpecToJson(const v1::ScheduleSpec& spec);

}  // namespace lrsched

#endif  // LRSCHED_CORE_SPEC_JSON_H_
