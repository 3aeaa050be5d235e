// Parsing of a PolicySpec from its proto3 JSON form, as the CLI and the trainer read it.
#ifndef LRSCHED_CORE_POLICY_POLICY_JSON_H_
#define LRSCHED_CORE_POLICY_POLICY_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lrsched/v1/policy.pb.h"

namespace lrsched {

// Parses a policy from JSON. Unknown fields and wrong types are INVALID_ARGUMENT naming the
// field. Does not validate the values: BuildPolicy does.
absl::StatusOr<v1::PolicySpec> ParsePolicyJson(absl::string_view json);

}  // namespace lrsched

#endif  // LRSCHED_CORE_POLICY_POLICY_JSON_H_
