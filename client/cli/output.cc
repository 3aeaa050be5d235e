// Formatting of `lrsched` results for standard output and of errors for standard error.
#include "client/cli/output.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"

namespace lrsched::cli {
namespace {

std::string MessageToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;

  std::string json;
  // Printing can fail on invalid UTF-8 in a string field. Protobuf's parser already rejects
  // such a reply, so this branch is not expected to run.
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::StrCat("{\"error\": \"cannot print as JSON\"}\n");
  return json;
}

}  // namespace

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";

  // std::to_chars without a precision writes the shortest round-trip form; 32 characters
  // hold the longest such form of a double ("-2.2250738585072014e-308" has 24).
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string RunToJson(const v1::Run& run) { return MessageToJson(run); }

std::string RunsToJson(const std::vector<v1::Run>& runs) {
  if (runs.empty()) return "[]\n";

  // Each run's JSON ends with a newline. Inside the array its lines are indented by one more
  // space, the indentation step of protobuf's JSON printer.
  std::string json = "[\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    std::string run_json = RunToJson(runs[i]);
    if (!run_json.empty() && run_json.back() == '\n') run_json.pop_back();
    absl::StrAppend(&json, " ", absl::StrReplaceAll(run_json, {{"\n", "\n "}}),
                    i + 1 < runs.size() ? ",\n" : "\n");
  }
  absl::StrAppend(&json, "]\n");
  return json;
}

std::string LearningRateToJson(const v1::GetLearningRateResponse& response) {
  return MessageToJson(response);
}

std::string PreviewToCsv(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates) {
  std::string csv = unit == v1::ScheduleSpec::EPOCH ? "epoch,lr\n" : "step,lr\n";
  for (size_t i = 0; i < rates.size(); ++i) {
    absl::StrAppend(&csv, i, ",", FormatDouble(rates[i]), "\n");
  }
  return csv;
}

std::string FormatServerError(const absl::Status& status) {
  return absl::StrCat("error: ", absl::StatusCodeToString(status.code()), ": ", status.message());
}

}  // namespace lrsched::cli
