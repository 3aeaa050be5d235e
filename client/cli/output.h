// Output formats of the `lrsched` command: runs as proto3 JSON, rates as the shortest decimal
// that reads back as the same double, previews as CSV, and errors as "error: CODE: message".
#ifndef LRSCHED_CLIENT_CLI_OUTPUT_H_
#define LRSCHED_CLIENT_CLI_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lrsched/v1/service.pb.h"

namespace lrsched::cli {

// Returns the shortest decimal form of `value` that parses back to the same double, such as
// "0.05" where printf's %.17g prints "0.050000000000000003". NaN prints as "nan", infinities
// as "inf" and "-inf".
std::string FormatDouble(double value);

// Returns `run` as indented proto3 JSON with the proto field names (`num_workers`), fields
// at their default value included. int64 fields are JSON strings, as proto3 JSON requires.
std::string RunToJson(const v1::Run& run);

// Returns a JSON array of the runs, each formatted as RunToJson does; "[]" when empty.
std::string RunsToJson(const std::vector<v1::Run>& runs);

// Returns the reply of GetLearningRate as indented proto3 JSON, defaults included.
std::string LearningRateToJson(const v1::GetLearningRateResponse& response);

// Returns CSV with a header "step,lr" (or "epoch,lr" when `unit` is EPOCH) and one line
// per rate: the position, then the rate as FormatDouble prints it.
std::string PreviewToCsv(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates);

// Returns "error: CODE: message" for an error from the server or the client library, as in
// "error: NOT_FOUND: run \"x\" not found".
std::string FormatServerError(const absl::Status& status);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_OUTPUT_H_
