// Output formats of the `lrsched` command: runs and decisions as proto3 JSON, decisions also as
// a table, rates as the shortest decimal that reads back as the same double, previews as CSV,
// JSON or a table, and errors as "error: CODE: message".
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

// Returns a decision as indented proto3 JSON with the proto field names, defaults included.
// Only the action that is set appears (`scale`, `set`, `switch_schedule` or `finish`).
std::string DecisionToJson(const v1::Decision& decision);

// Returns a JSON array of the decisions, each formatted as DecisionToJson does; "[]" when
// empty.
std::string DecisionsToJson(const std::vector<v1::Decision>& decisions);

// Returns the action of a decision with its value, as the history table shows it:
// "scale 0.5", "set 0.01", "switch to step_lr", "finish", or "none" when no action is set.
std::string DescribeAction(const v1::Decision& decision);

// Returns the decisions as a table with a header line and one line per decision: sequence,
// first position, action with its value, rate at that position ("-" for finish), actor,
// time in UTC to the second, and reason. Columns are left-aligned and separated by two
// spaces. Control characters in the reason are escaped so that each decision stays on one
// line. Returns "no decisions\n" when `decisions` is empty.
std::string DecisionsToTable(const std::vector<v1::Decision>& decisions);

// Returns CSV with a header "step,lr" (or "epoch,lr" when `unit` is EPOCH) and one line
// per rate: the position, then the rate as FormatDouble prints it.
std::string PreviewToCsv(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates);

// Returns the previewed rates as one JSON object, such as
// {"unit": "STEP", "learning_rates": [0.1, 0.05]}, with the unit's proto enum name and each rate
// as FormatDouble prints it. NOTE: a NaN or infinite rate would print as nan or inf, which is
// not valid JSON; the server's schedules return finite rates.
std::string PreviewToJson(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates);

// Returns the previewed rates as a table with the header "STEP  LR" (or "EPOCH  LR") and one
// line per position, in columns aligned as DecisionsToTable aligns them.
std::string PreviewToTable(v1::ScheduleSpec::Unit unit, const std::vector<double>& rates);

// Returns the name of the schedule family that `spec` sets, such as "step_lr" or
// "linear_warmup" for a composition, or "none" when no family is set.
std::string ScheduleFamilyName(const v1::ScheduleSpec& spec);

// Returns "error: CODE: message" for an error from the server or the client library, as in
// "error: NOT_FOUND: run \"x\" not found".
std::string FormatServerError(const absl::Status& status);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_OUTPUT_H_
