// The `lrsched runs` commands: create, get, list, delete, and update and history for the
// decisions on a run's rate.
#include <algorithm>
#include <limits>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
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

// Reads the spec and, when --policy is given, the policy, and builds the request.
absl::StatusOr<v1::CreateRunRequest> MakeCreateRunRequest(CreateRunArgs args,
                                                          std::istream& stdin) {
  v1::CreateRunRequest request;
  ASSIGN_OR_RETURN(*request.mutable_spec(), ReadSpec(args.spec_path, stdin));
  if (!args.policy_path.empty()) {
    ASSIGN_OR_RETURN(*request.mutable_policy(), ReadPolicy(args.policy_path, stdin));
  }
  request.set_run_id(std::move(args.run_id));
  request.set_num_workers(args.num_workers);
  request.mutable_labels()->insert(args.labels.begin(), args.labels.end());
  return request;
}

}  // namespace

absl::StatusOr<CreateRunArgs> ParseCreateRunArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "runs create", {"id", "spec", "workers", "label", "policy"}));
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

  if (std::optional<std::string> policy = args.Value("policy"); policy.has_value()) {
    if (policy->empty()) {
      return absl::InvalidArgumentError(
          "--policy must not be empty: give a file path, or - for standard input");
    }
    if (*policy == "-" && result.spec_path == "-") {
      return absl::InvalidArgumentError(
          "--spec and --policy cannot both read standard input (-): give one of them as a "
          "file path");
    }
    result.policy_path = *std::move(policy);
  }
  return result;
}

int RunCreateRun(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<CreateRunArgs> parsed = ParseCreateRunArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "runs create");

  absl::StatusOr<v1::CreateRunRequest> request = MakeCreateRunRequest(*std::move(parsed), io.in);
  if (!request.ok()) return ReportInputError(io, request.status());

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::Run> run = (*client)->CreateRun(*request);
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

namespace {

// Backoff between the attempts of `runs update`, as the client library's defaults.
constexpr absl::Duration kUpdateInitialBackoff = absl::Milliseconds(100);
constexpr absl::Duration kUpdateMaxBackoff = absl::Seconds(5);

// The flags of `runs update` that name its action. Exactly one must be given.
constexpr absl::string_view kUpdateActionFlags[] = {"scale", "set", "spec", "finish"};

constexpr absl::string_view kOneActionHint =
    "give exactly one of --scale, --set, --spec or --finish";

absl::Status CheckOneAction(const ParsedArgs& args) {
  std::vector<std::string> given;
  for (const absl::string_view flag : kUpdateActionFlags) {
    if (args.Has(flag)) given.push_back(absl::StrCat("--", flag));
  }
  if (given.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("missing action: ", kOneActionHint));
  }
  if (given.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(given[0], " and ", given[1],
                                                   " cannot be combined: ", kOneActionHint));
  }
  return absl::OkStatus();
}

// Parses the value of --scale or --set: a finite number greater than 0, as the server requires.
absl::StatusOr<double> ParsePositive(absl::string_view flag, absl::string_view text) {
  ASSIGN_OR_RETURN(const double value, ParseFiniteDouble(flag, text));
  if (value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be greater than 0, got ", FormatDouble(value)));
  }
  return value;
}

// Sets the action of `result` from the one action flag that CheckOneAction found.
absl::Status ParseAction(const ParsedArgs& args, UpdateScheduleArgs& result) {
  v1::UpdateScheduleRequest& request = result.request;
  if (args.Has("scale")) {
    ASSIGN_OR_RETURN(const double scale, ParsePositive("--scale", *args.Value("scale")));
    request.set_scale(scale);
  } else if (args.Has("set")) {
    ASSIGN_OR_RETURN(const double rate, ParsePositive("--set", *args.Value("set")));
    request.set_set(rate);
  } else if (args.Has("spec")) {
    result.spec_path = *args.Value("spec");
    if (result.spec_path.empty()) {
      return absl::InvalidArgumentError(
          "--spec must not be empty: give a file path, or - for standard input");
    }
  } else {
    request.set_finish(true);
  }
  return absl::OkStatus();
}

// Returns the run id that follows the two command words, checked.
absl::StatusOr<std::string> ParseRunIdPositional(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckPositionals(args, 2, {"RUN_ID"}));
  const std::string& run_id = args.positionals[2];
  RETURN_IF_ERROR(CheckRunId("RUN_ID", run_id));
  return run_id;
}

// Returns whether `decision` is the one that `request` records: same position, action,
// reason and actor. The actor follows the server's rule, "operator:" and the operator name,
// or "operator:operator" when the request names none.
bool RecordsRequest(const v1::Decision& decision, const v1::UpdateScheduleRequest& request) {
  const std::string actor =
      absl::StrCat("operator:", request.operator_().empty() ? "operator" : request.operator_());
  if (decision.effective_position() != request.effective_position() ||
      decision.reason() != request.reason() || decision.actor() != actor) {
    return false;
  }
  switch (request.action_case()) {
    case v1::UpdateScheduleRequest::kScale:
      return decision.has_scale() && decision.scale() == request.scale();
    case v1::UpdateScheduleRequest::kSet:
      return decision.has_set() && decision.set() == request.set();
    case v1::UpdateScheduleRequest::kSwitchSchedule:
      return decision.has_switch_schedule() &&
             google::protobuf::util::MessageDifferencer::Equals(decision.switch_schedule(),
                                                                request.switch_schedule());
    case v1::UpdateScheduleRequest::kFinish:
      return decision.has_finish() && decision.finish() == request.finish();
    case v1::UpdateScheduleRequest::ACTION_NOT_SET:
      break;
  }
  return false;
}

// Returns the decision of `request` when the run has stored it after decision `after`
// (a sequence number), or nullopt when it has not. `budget` bounds the retries of the check.
absl::StatusOr<std::optional<v1::Decision>> FindStoredDecision(
    const GlobalOptions& global, absl::Duration budget, const v1::UpdateScheduleRequest& request,
    int64_t after) {
  ASSIGN_OR_RETURN(std::unique_ptr<Client> client,
                   ConnectToServer(GlobalOptions{global.server, budget}));
  ASSIGN_OR_RETURN(v1::ListDecisionsResponse listed, client->ListDecisions(request.run_id()));
  for (const v1::Decision& decision : listed.decisions()) {
    if (decision.sequence() > after && RecordsRequest(decision, request)) return decision;
  }
  return std::nullopt;
}

// Returns the status of the last UpdateSchedule attempt. When there was more than one attempt,
// its message starts with their number and the time since `start`.
absl::Status WithAttemptCount(const absl::Status& status, int attempts, absl::Time start) {
  if (attempts == 1) return status;
  const absl::Duration elapsed = absl::Trunc(absl::Now() - start, absl::Milliseconds(10));
  return absl::Status(status.code(),
                      absl::StrCat("UpdateSchedule failed ", attempts, " times in ",
                                   absl::FormatDuration(elapsed), "; last error: ",
                                   status.message()));
}

// Sends an UpdateSchedule request and retries it within `global.timeout`, without recording
// the decision a second time when a reply was lost.
//
// The client library retries every UNAVAILABLE, but UNAVAILABLE can also mean that the server
// stored the decision and its reply was lost. A blind retry would then record it again, and a
// second --scale 0.5 would quarter the rate. So each attempt is a single call, and after an
// UNAVAILABLE the run's decisions are listed: when one newer than those listed before the
// first attempt records this request, it is the result. ABORTED (another decision of the run
// is being written) means nothing was stored and is retried as it is.
//
// NOTE: an identical decision (same position, action, reason and operator) that another
// process records while this command retries is taken for this command's own.
absl::StatusOr<v1::Decision> SendUpdateWithoutDuplicates(const GlobalOptions& global,
                                                         const v1::UpdateScheduleRequest& request,
                                                         Io& io) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + global.timeout;
  ASSIGN_OR_RETURN(std::unique_ptr<Client> client, ConnectToServer(global));
  ASSIGN_OR_RETURN(const v1::ListDecisionsResponse before,
                   client->ListDecisions(request.run_id()));
  const int64_t last_sequence =
      before.decisions().empty() ? 0 : before.decisions().rbegin()->sequence();

  ASSIGN_OR_RETURN(std::unique_ptr<Client> single_attempt_client,
                   ConnectToServer(GlobalOptions{global.server, absl::ZeroDuration()}));
  absl::Duration backoff = kUpdateInitialBackoff;
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<v1::Decision> decision = single_attempt_client->UpdateSchedule(request);
    const absl::StatusCode code = decision.status().code();
    if (code != absl::StatusCode::kUnavailable && code != absl::StatusCode::kAborted) {
      return decision;
    }
    if (absl::Now() >= deadline) return WithAttemptCount(decision.status(), attempt, start);

    io.err << "UpdateSchedule on " << global.server << " failed with "
           << absl::StatusCodeToString(code) << " (attempt " << attempt
           << "): " << decision.status().message() << "\n";
    if (code == absl::StatusCode::kUnavailable) {
      const absl::Duration budget = std::max(deadline - absl::Now(), absl::ZeroDuration());
      ASSIGN_OR_RETURN(std::optional<v1::Decision> stored,
                       FindStoredDecision(global, budget, request, last_sequence));
      if (stored.has_value()) {
        io.err << "the server stored the decision before its reply was lost\n";
        return *std::move(stored);
      }
    }
    absl::SleepFor(std::min(backoff, std::max(deadline - absl::Now(), absl::ZeroDuration())));
    backoff = std::min(backoff * 2, kUpdateMaxBackoff);
  }
}

}  // namespace

absl::StatusOr<UpdateScheduleArgs> ParseUpdateScheduleArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "runs update",
                             {"from", "scale", "set", "spec", "finish", "reason", "operator"}));

  UpdateScheduleArgs result;
  v1::UpdateScheduleRequest& request = result.request;
  ASSIGN_OR_RETURN(*request.mutable_run_id(), ParseRunIdPositional(args));

  ASSIGN_OR_RETURN(const std::string from, RequiredValue(args, "from"));
  ASSIGN_OR_RETURN(const int64_t position,
                   ParseInt64InRange("--from", from, 0, std::numeric_limits<int64_t>::max()));
  request.set_effective_position(position);

  RETURN_IF_ERROR(CheckOneAction(args));
  RETURN_IF_ERROR(ParseAction(args, result));

  std::optional<std::string> reason = args.Value("reason");
  if (!reason.has_value()) {
    return absl::InvalidArgumentError(
        "missing required flag --reason: say why the schedule changes, such as "
        "--reason \"loss plateau\"");
  }
  if (reason->empty()) {
    return absl::InvalidArgumentError("--reason must not be empty: say why the schedule changes");
  }
  request.set_reason(*std::move(reason));
  request.set_operator_(args.Value("operator").value_or(""));
  RETURN_IF_ERROR(CheckWorkerName("--operator", request.operator_()));
  return result;
}

int RunUpdateSchedule(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<UpdateScheduleArgs> parsed = ParseUpdateScheduleArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "runs update");

  if (!parsed->spec_path.empty()) {
    absl::StatusOr<v1::ScheduleSpec> spec = ReadSpec(parsed->spec_path, io.in);
    if (!spec.ok()) return ReportInputError(io, spec.status());
    *parsed->request.mutable_switch_schedule() = *std::move(spec);
  }

  absl::StatusOr<v1::Decision> decision =
      SendUpdateWithoutDuplicates(global, parsed->request, io);
  if (!decision.ok()) return ReportServerError(io, decision.status(), global.server);

  io.out << DecisionToJson(*decision);
  return kExitSuccess;
}

absl::StatusOr<HistoryArgs> ParseHistoryArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "runs history", {"json"}));

  HistoryArgs result;
  ASSIGN_OR_RETURN(result.run_id, ParseRunIdPositional(args));
  result.json = args.Has("json");
  return result;
}

int RunHistory(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<HistoryArgs> parsed = ParseHistoryArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "runs history");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::ListDecisionsResponse> listed = (*client)->ListDecisions(parsed->run_id);
  if (!listed.ok()) return ReportServerError(io, listed.status(), global.server);

  const std::vector<v1::Decision> decisions(listed->decisions().begin(),
                                            listed->decisions().end());
  io.out << (parsed->json ? DecisionsToJson(decisions) : DecisionsToTable(decisions));
  return kExitSuccess;
}

}  // namespace lrsched::cli
