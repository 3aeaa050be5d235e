#include "core/spec_json.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace lrsched {

absl::StatusOr<v1::ScheduleSpec> ParseSpecJson(absl::string_view json) {
  v1::ScheduleSpec spec;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;

  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &spec, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid schedule spec JSON: ", status.message().as_string()));
  }
  return spec;
}

std::string SpecToJson(const v1::ScheduleSpec& spec) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;

  std::string json;
  // Printing a valid message cannot fail; an empty string would show if it ever did.
  (void)google::protobuf::util::MessageToJsonString(spec, &json, options);
  return json;
}

}  // namespace lrsched
