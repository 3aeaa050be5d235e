// The `lrsched` commands. Each command has a Parse function, which turns the parsed command
// line into typed, checked arguments without touching the network, and a Run function, which
// parses, calls the server, prints the result and returns the process exit status.
#ifndef LRSCHED_CLIENT_CLI_COMMANDS_H_
#define LRSCHED_CLIENT_CLI_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "client/cli/args.h"
#include "lrsched/v1/service.pb.h"

namespace lrsched::cli {

// Process exit statuses of `lrsched`.
inline constexpr int kExitSuccess = 0;
// The server returned an error, or could not be reached within the retry budget.
inline constexpr int kExitServerError = 1;
// The command line is invalid, or a spec or policy file cannot be read or parsed.
inline constexpr int kExitUsageError = 2;

// The streams of one invocation, replaced by string streams in tests.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// The signature shared by every Run function below.
using CommandFunction = int (*)(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched runs create --id RUN_ID --spec FILE|- [--workers N] [--label KEY=VALUE]...
//     [--policy FILE|-]
struct CreateRunArgs {
  std::string run_id;
  std::string spec_path;
  // 0 leaves the choice to the server, which uses 1.
  int32_t num_workers = 0;
  std::map<std::string, std::string> labels;
  // Path of the PolicySpec JSON, "-" for standard input, or empty for a run without a policy.
  std::string policy_path;
};
absl::StatusOr<CreateRunArgs> ParseCreateRunArgs(const ParsedArgs& args);
int RunCreateRun(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched runs get RUN_ID and lrsched runs delete RUN_ID: `command` is "runs get" or
// "runs delete", for messages.
absl::StatusOr<std::string> ParseRunIdArgs(const ParsedArgs& args, absl::string_view command);
int RunGetRun(const ParsedArgs& args, const GlobalOptions& global, Io& io);
int RunDeleteRun(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched runs update RUN_ID --from POSITION (--scale F | --set RATE | --spec FILE|- | --finish)
//     --reason TEXT [--operator NAME]
struct UpdateScheduleArgs {
  // The request to send, complete except for the switch_schedule action of --spec, which
  // RunUpdateSchedule reads from spec_path after parsing.
  v1::UpdateScheduleRequest request;
  // The --spec path; empty for the other actions.
  std::string spec_path;
};
absl::StatusOr<UpdateScheduleArgs> ParseUpdateScheduleArgs(const ParsedArgs& args);
int RunUpdateSchedule(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched runs history RUN_ID [--json]
struct HistoryArgs {
  std::string run_id;
  bool json = false;
};
absl::StatusOr<HistoryArgs> ParseHistoryArgs(const ParsedArgs& args);
int RunHistory(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched runs list [--page_size N]; a page size of 0 leaves it to the server.
absl::StatusOr<int32_t> ParseListRunsArgs(const ParsedArgs& args);
int RunListRuns(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched lr RUN_ID --step STEP [--epoch EPOCH] [--worker NAME] [--json]
struct LearningRateArgs {
  std::string run_id;
  int64_t step = 0;
  int64_t epoch = 0;
  std::string worker;
  bool json = false;
};
absl::StatusOr<LearningRateArgs> ParseLearningRateArgs(const ParsedArgs& args);
int RunLearningRate(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched report RUN_ID --step STEP [--epoch EPOCH] [--worker NAME] --metric NAME=VALUE...
struct ReportArgs {
  std::string run_id;
  int64_t step = 0;
  int64_t epoch = 0;
  std::string worker;
  std::map<std::string, double> metrics;
};
absl::StatusOr<ReportArgs> ParseReportArgs(const ParsedArgs& args);
int RunReport(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched preview --spec FILE|- --steps N [--format csv|json|table] [--plot FILE.svg]
enum class PreviewFormat { kCsv, kJson, kTable };
// Largest --steps. The server accepts at most this many positions in one PreviewSchedule call
// (kMaxPreviewPositions in server/request_validation.h), and the CLI checks it before calling.
inline constexpr int64_t kMaxPreviewSteps = 500000;
struct PreviewArgs {
  std::string spec_path;
  int64_t steps = 0;
  PreviewFormat format = PreviewFormat::kCsv;
  // Path of the SVG chart to write; empty when --plot is absent.
  std::string plot_path;
};
absl::StatusOr<PreviewArgs> ParsePreviewArgs(const ParsedArgs& args);
int RunPreview(const ParsedArgs& args, const GlobalOptions& global, Io& io);

// lrsched health
int RunHealth(const ParsedArgs& args, const GlobalOptions& global, Io& io);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_COMMANDS_H_
