// The `lrsched runs` commands: create, get, list and delete.
#include <limits>
#include <ostream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/command_support.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "core/request_checks.h"
#include "core/status_macros.h"

namespace lrsched::cli {
namespace {

absl::StatusOr<std::map<std::string, std::string>> ParseLabels(const ParsedArgs& args) {
  std::map<std::string, std::string> labels;
  for (const std::string& text : args.Values("label")) {
    ASSIGN_OR_RETURN(auto label, ParseKeyValue("--label", text));
    if (labels.count(label.first) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--label ", QuoteForMessage(label.first), " is given twice"));
    }
    labels.insert(std::move(label));
  }
  return labels;
}

v1::CreateRunRequest MakeCreateRunRequest(CreateRunArgs args, v1::ScheduleSpec spec) {
  v1::CreateRunRequest request;
  request.set_run_id(std::move(args.run_id));
  *request.mutable_spec() = std::move(spec);
  request.set_num_workers(args.num_workers);
  request.mutable_labels()->insert(args.labels.begin(), args.labels.end());
  return request;
}

}  // namespace

absl::StatusOr<CreateRunArgs> ParseCreateRunArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "runs create", {"id", "spec", "workers", "label"}));
  RETURN_IF_ERROR(CheckPositionals(args, 2, {}));

  CreateRunArgs result;
  ASSIGN_OR_RETURN(result.run_id, RequiredValue(args, "id"));
  RETURN_IF_ERROR(CheckRunId("--id", result.run_id));

  ASSIGN_OR_RETURN(result.spec_path, RequiredValue(args, "spec"));
  if (result.spec_path.empty()) {
    return absl::InvalidArgumentError(
        "--spec must not be empty: give a file path, or - for standard input");
  }

  if (std::optional<std::string> text = args.Value("workers"); text.has_value()) {
    ASSIGN_OR_RETURN(const int64_t workers, ParseInt64InRange("--workers", *text, 1, kMaxWorkers));
    result.num_workers = static_cast<int32_t>(workers);
  }
  ASSIGN_OR_RETURN(result.labels, ParseLabels(args));
  return result;
}

int RunCreateRun(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<CreateRunArgs> parsed = ParseCreateRunArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "runs create");

  absl::StatusOr<v1::ScheduleSpec> spec = ReadSpec(parsed->spec_path, io.in);
  if (!spec.ok()) return ReportInputError(io, spec.status());

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::Run> run =
      (*client)->CreateRun(MakeCreateRunRequest(*std::move(parsed), *std::move(spec)));
  if (!run.ok()) return ReportServerError(io, run.status(), global.server);

  io.out << RunToJson(*run);
  return kExitSuccess;
}

absl::StatusOr<std::string> ParseRunIdArgs(const ParsedArgs& args, absl::string_view command) {
  RETURN_IF_ERROR(CheckFlags(args, command, {}));
  RETURN_IF_ERROR(CheckPositionals(args, 2, {"RUN_ID"}));

  const std::string& run_id = args.positionals[2];
  RETURN_IF_ERROR(CheckRunId("RUN_ID", run_id));
  return run_id;
}

int RunGetRun(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<std::string> run_id = ParseRunIdArgs(args, "runs get");
  if (!run_id.ok()) return ReportUsageError(io, run_id.status(), "runs get");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::Run> run = (*client)->GetRun(*run_id);
  if (!run.ok()) return ReportServerError(io, run.status(), global.server);

  io.out << RunToJson(*run);
  return kExitSuccess;
}

int RunDeleteRun(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<std::string> run_id = ParseRunIdArgs(args, "runs delete");
  if (!run_id.ok()) return ReportUsageError(io, run_id.status(), "runs delete");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  const absl::Status status = (*client)->DeleteRun(*run_id);
  if (!status.ok()) return ReportServerError(io, status, global.server);

  io.out << "deleted run " << *run_id << "\n";
  return kExitSuccess;
}

absl::StatusOr<int32_t> ParseListRunsArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "runs list", {"page_size"}));
  RETURN_IF_ERROR(CheckPositionals(args, 2, {}));

  std::optional<std::string> text = args.Value("page_size");
  if (!text.has_value()) return 0;
  ASSIGN_OR_RETURN(const int64_t page_size,
                   ParseInt64InRange("--page_size", *text, 1, std::numeric_limits<int32_t>::max()));
  return static_cast<int32_t>(page_size);
}

// Fetches every page of ListRuns, failing if the server repeats a page token, which would
// otherwise loop forever.
absl::StatusOr<std::vector<v1::Run>> ListAllRuns(Client& client, int32_t page_size) {
  std::vector<v1::Run> runs;
  std::string page_token;
  do {
    ASSIGN_OR_RETURN(v1::ListRunsResponse page, client.ListRuns(page_size, page_token));
    for (v1::Run& run : *page.mutable_runs()) runs.push_back(std::move(run));

    if (!page.next_page_token().empty() && page.next_page_token() == page_token) {
      return absl::InternalError(
          absl::StrCat("server returned page token ", QuoteForMessage(page_token), " twice"));
    }
    page_token = page.next_page_token();
  } while (!page_token.empty());
  return runs;
}

int RunListRuns(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<int32_t> page_size = ParseListRunsArgs(args);
  if (!page_size.ok()) return ReportUsageError(io, page_size.status(), "runs list");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<std::vector<v1::Run>> runs = ListAllRuns(**client, *page_size);
  if (!runs.ok()) return ReportServerError(io, runs.status(), global.server);

  io.out << RunsToJson(*runs);
  return kExitSuccess;
}

}  // namespace lrsched::cli
