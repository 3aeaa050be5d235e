// Formatting of `lrsched` results for standard output and of errors for standard error.
#include "client/cli/output.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
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

// Returns the JSON objects as one JSON array, "[]" when empty. Each object's JSON ends with a
// newline. Inside the array its lines are indented by one more space, the indentation step of
// protobuf's JSON printer.
std::string JsonArray(std::vector<std::string> objects) {
  if (objects.empty()) return "[]\n";

  std::string json = "[\n";
  for (size_t i = 0; i < objects.size(); ++i) {
    std::string& object = objects[i];
    if (!object.empty() && object.back() == '\n') object.pop_back();
    absl::StrAppend(&json, " ", absl::StrReplaceAll(object, {{"\n", "\n "}}),
                    i + 1 < objects.size() ? ",\n" : "\n");
  }
  absl::StrAppend(&json, "]\n");
  return json;
}

// Returns `text` with control characters escaped (\n, \t, \x1b, ...) and every other byte,
// UTF-8 included, unchanged.
std::string EscapeControlCharacters(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (absl::ascii_iscntrl(c)) {
      absl::StrAppend(&escaped, absl::CHexEscape(absl::string_view(&c, 1)));
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

// Formats a timestamp in UTC to the second, as "2026-12-04T21:01:21Z".
std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

// Returns the rows as lines of left-aligned columns separated by two spaces. The last column
// is not padded, so that no line ends in spaces.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }

  std::string table;
  for (const auto& row : rows) {
    for (size_t column = 0; column < row.size(); ++column) {
      absl::StrAppend(&table, row[column]);
      if (column + 1 < row.size()) {
        table.append(widths[column] - row[column].size() + 2, ' ');
      }
    }
    table.push_back('\n');
  }
  return table;
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
  std::vector<std::string> objects;
  for (const v1::Run& run : runs) objects.push_back(RunToJson(run));
  return JsonArray(std::move(objects));
}

std::string DecisionToJson(const v1::Decision& decision) { return MessageToJson(decision); }

std::string DecisionsToJson(const std::vector<v1::Decision>& decisions) {
  std::vector<std::string> objects;
  for (const v1::Decision& decision : decisions) objects.push_back(DecisionToJson(decision));
  return JsonArray(std::move(objects));
}

std::string DescribeAction(const v1::Decision& decision) {
  switch (decision.action_case()) {
    case v1::Decision::kScale:
      return absl::StrCat("scale ", FormatDouble(decision.scale()));
    case v1::Decision::kSet:
      return absl::StrCat("set ", FormatDouble(decision.set()));
    case v1::Decision::kSwitchSchedule:
      return absl::StrCat("switch to ", ScheduleFamilyName(decision.switch_schedule()));
    case v1::Decision::kFinish:
      return "finish";
    case v1::Decision::ACTION_NOT_SET:
      break;
  }
  return "none";
}

std::string DecisionsToTable(const std::vector<v1::Decision>& decisions) {
  if (decisions.empty()) return "no decisions\n";

  std::vector<std::vector<std::string>> rows = {
      {"SEQ", "FROM", "ACTION", "RATE", "ACTOR", "TIME", "REASON"}};
  for (const v1::Decision& decision : decisions) {
    // The server stores 0 as the rate of a finish, but a finished run has no rate at all.
    const std::string rate = decision.action_case() == v1::Decision::kFinish
                                 ? "-"
                                 : FormatDouble(decision.learning_rate());
    rows.push_back({absl::StrCat(decision.sequence()),
                    absl::StrCat(decision.effective_position()), DescribeAction(decision), rate,
                    EscapeControlCharacters(decision.actor()), FormatTimestamp(decision.time()),
                    EscapeControlCharacters(decision.reason())});
  }
  return FormatTable(rows);
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

std::string PreviewToJson(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates) {
  std::string json = absl::StrCat("{\"unit\": \"", v1::ScheduleSpec::Unit_Name(unit),
                                  "\", \"learning_rates\": [");
  for (size_t i = 0; i < rates.size(); ++i) {
    absl::StrAppend(&json, i > 0 ? ", " : "", FormatDouble(rates[i]));
  }
  absl::StrAppend(&json, "]}\n");
  return json;
}

std::string PreviewToTable(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates) {
  std::vector<std::vector<std::string>> rows = {
      {unit == v1::ScheduleSpec::EPOCH ? "EPOCH" : "STEP", "LR"}};
  for (size_t i = 0; i < rates.size(); ++i) {
    rows.push_back({absl::StrCat(i), FormatDouble(rates[i])});
  }
  return FormatTable(rows);
}

std::string ScheduleFamilyName(const v1::ScheduleSpec& spec) {
  const v1::Schedule& schedule = spec.schedule();
  const google::protobuf::OneofDescriptor* family =
      schedule.GetDescriptor()->FindOneofByName("family");
  if (family == nullptr) return "none";

  const google::protobuf::FieldDescriptor* field =
      schedule.GetReflection()->GetOneofFieldDescriptor(schedule, family);
  return field == nullptr ? "none" : field->name();
}

std::string FormatServerError(const absl::Status& status) {
  return absl::StrCat("error: ", absl::StatusCodeToString(status.code()), ": ", status.message());
}

}  // namespace lrsched::cli
