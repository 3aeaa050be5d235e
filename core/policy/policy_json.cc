#include "core/policy/policy_json.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace lrsched {

absl::StatusOr<v1::PolicySpec> ParsePolicyJson(absl::string_view json) {
  v1::PolicySpec policy;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &policy);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid policy JSON: ", status.message().as_string()));
  }
  return policy;
}

}  // namespace lrsched
