// The commands a training script uses: `lrsched lr` requests a learning rate and
// `lrsched report` stores metrics.
#include <limits>
#include <ostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/cli/command_support.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "core/request_checks.h"
#include "core/status_macros.h"

namespace lrsched::cli {
namespace {

constexpr int64_t kMaxPosition = std::numeric_limits<int64_t>::max();

// The position and worker flags that `lr` and `report` share.
struct PositionArgs {
  int64_t step = 0;
  int64_t epoch = 0;
  std::string worker;
};

absl::StatusOr<PositionArgs> ParsePositionArgs(const ParsedArgs& args) {
  PositionArgs result;
  ASSIGN_OR_RETURN(const std::string step, RequiredValue(args, "step"));
  ASSIGN_OR_RETURN(result.step, ParseInt64InRange("--step", step, 0, kMaxPosition));

  if (std::optional<std::string> epoch = args.Value("epoch"); epoch.has_value()) {
    ASSIGN_OR_RETURN(result.epoch, ParseInt64InRange("--epoch", *epoch, 0, kMaxPosition));
  }
  result.worker = args.Value("worker").value_or("");
  RETURN_IF_ERROR(CheckWorkerName("--worker", result.worker));
  return result;
}

absl::StatusOr<std::map<std::string, double>> ParseMetrics(const ParsedArgs& args) {
  const std::vector<std::string> texts = args.Values("metric");
  if (texts.empty()) {
    return absl::InvalidArgumentError(
        "missing required flag --metric: give at least one, such as --metric loss=0.31");
  }

  std::map<std::string, double> metrics;
  for (const std::string& text : texts) {
    ASSIGN_OR_RETURN(const auto name_and_value, ParseKeyValue("--metric", text));
    const std::string& name = name_and_value.first;
    RETURN_IF_ERROR(CheckMetricName("--metric name", name));
    if (metrics.count(name) > 0) {
      return absl::InvalidArgumentError(absl::StrCat("--metric ", name, " is given twice"));
    }
    ASSIGN_OR_RETURN(const double value,
                     ParseFiniteDouble(absl::StrCat("--metric ", name), name_and_value.second));
    metrics[name] = value;
  }
  return metrics;
}

// Returns the run id that follows the command word, checked.
absl::StatusOr<std::string> ParseRunId(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckPositionals(args, 1, {"RUN_ID"}));
  const std::string& run_id = args.positionals[1];
  RETURN_IF_ERROR(CheckRunId("RUN_ID", run_id));
  return run_id;
}

}  // namespace

absl::StatusOr<LearningRateArgs> ParseLearningRateArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "lr", {"step", "epoch", "worker", "json"}));

  LearningRateArgs result;
  ASSIGN_OR_RETURN(result.run_id, ParseRunId(args));
  ASSIGN_OR_RETURN(PositionArgs position, ParsePositionArgs(args));
  result.step = position.step;
  result.epoch = position.epoch;
  result.worker = std::move(position.worker);
  result.json = args.Has("json");
  return result;
}

int RunLearningRate(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<LearningRateArgs> parsed = ParseLearningRateArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "lr");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::GetLearningRateResponse> response =
      (*client)->GetLearningRate(parsed->run_id, parsed->step, parsed->epoch, parsed->worker);
  if (!response.ok()) return ReportServerError(io, response.status(), global.server);

  if (parsed->json) {
    io.out << LearningRateToJson(*response);
  } else {
    io.out << FormatDouble(response->learning_rate()) << "\n";
  }
  return kExitSuccess;
}

absl::StatusOr<ReportArgs> ParseReportArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "report", {"step", "epoch", "worker", "metric"}));

  ReportArgs result;
  ASSIGN_OR_RETURN(result.run_id, ParseRunId(args));
  ASSIGN_OR_RETURN(PositionArgs position, ParsePositionArgs(args));
  result.step = position.step;
  result.epoch = position.epoch;
  result.worker = std::move(position.worker);
  ASSIGN_OR_RETURN(result.metrics, ParseMetrics(args));
  return result;
}

int RunReport(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<ReportArgs> parsed = ParseReportArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "report");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  const auto reply = (*client)->ReportMetrics(parsed->run_id, parsed->worker, parsed->step,
                                              parsed->epoch, parsed->metrics);
  if (!reply.ok()) return ReportServerError(io, reply.status(), global.server);

  const int64_t count = reply->report_count();
  io.out << (reply->duplicate() ? "report already stored" : "report stored") << ", run "
         << parsed->run_id << " has " << count << (count == 1 ? " report\n" : " reports\n");
  return kExitSuccess;
}

}  // namespace lrsched::cli
