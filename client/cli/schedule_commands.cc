// The commands that do not touch a run: `lrsched preview` evaluates a spec on the server and
// `lrsched health` checks that the server serves.
#include <limits>
#include <ostream>
#include <vector>

#include "client/cli/command_support.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "core/status_macros.h"

namespace lrsched::cli {

absl::StatusOr<PreviewArgs> ParsePreviewArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "preview", {"spec", "steps"}));
  RETURN_IF_ERROR(CheckPositionals(args, 1, {}));

  PreviewArgs result;
  ASSIGN_OR_RETURN(result.spec_path, RequiredValue(args, "spec"));
  if (result.spec_path.empty()) {
    return absl::InvalidArgumentError(
        "--spec must not be empty: give a file path, or - for standard input");
  }
  ASSIGN_OR_RETURN(const std::string steps, RequiredValue(args, "steps"));
  ASSIGN_OR_RETURN(result.steps,
                   ParseInt64InRange("--steps", steps, 1, std::numeric_limits<int64_t>::max()));
  return result;
}

int RunPreview(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::StatusOr<PreviewArgs> parsed = ParsePreviewArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "preview");

  absl::StatusOr<v1::ScheduleSpec> spec = ReadSpec(parsed->spec_path, io.in);
  if (!spec.ok()) return ReportInputError(io, spec.status());

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  absl::StatusOr<v1::PreviewScheduleResponse> response =
      (*client)->PreviewSchedule(*spec, parsed->steps);
  if (!response.ok()) return ReportServerError(io, response.status(), global.server);

  const std::vector<double> rates(response->learning_rates().begin(),
                                  response->learning_rates().end());
  io.out << PreviewToCsv(spec->unit(), rates);
  return kExitSuccess;
}

int RunHealth(const ParsedArgs& args, const GlobalOptions& global, Io& io) {
  absl::Status status = CheckFlags(args, "health", {});
  if (status.ok()) status = CheckPositionals(args, 1, {});
  if (!status.ok()) return ReportUsageError(io, status, "health");

  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToServer(global);
  if (!client.ok()) return ReportServerError(io, client.status(), global.server);
  status = (*client)->CheckHealth();
  if (!status.ok()) return ReportServerError(io, status, global.server);

  io.out << "SERVING\n";
  return kExitSuccess;
}

}  // namespace lrsched::cli
