// The commands that do not touch a run: `lrsched preview` evaluates a spec on the server and
// prints or plots the rates, and `lrsched health` checks that the server serves.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/cli/command_support.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "client/cli/svg_plot.h"
#include "core/status_macros.h"

namespace lrsched::cli {
namespace {

absl::StatusOr<PreviewFormat> ParsePreviewFormat(const std::string& text) {
  if (text == "csv") return PreviewFormat::kCsv;
  if (text == "json") return PreviewFormat::kJson;
  if (text == "table") return PreviewFormat::kTable;
  return absl::InvalidArgumentError(
      absl::StrCat("--format must be csv, json or table, got ", QuoteForMessage(text)));
}

std::string FormatPreview(PreviewFormat format, v1::ScheduleSpec::Unit unit,
                          const std::vector<double>& rates) {
  switch (format) {
    case PreviewFormat::kJson:
      return PreviewToJson(unit, rates);
    case PreviewFormat::kTable:
      return PreviewToTable(unit, rates);
    case PreviewFormat::kCsv:
      break;
  }
  return PreviewToCsv(unit, rates);
}

// Writes `contents` to the file at `path`, replacing it. Returns INVALID_ARGUMENT naming the
// path and the system's reason when the file cannot be opened or written.
absl::Status WriteFile(const std::string& path, const std::string& contents) {
  // The whole path, escaped but not shortened, so that the user sees which file failed.
  const std::string quoted_path = absl::StrCat("\"", absl::CHexEscape(path), "\"");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write the plot to ", quoted_path, ": ", std::strerror(errno)));
  }

  const size_t written = std::fwrite(contents.data(), 1, contents.size(), file);
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (written != contents.size() || !closed) {
    const int error = written != contents.size() ? write_errno : errno;
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write the plot to ", quoted_path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// Draws the rates as an SVG chart titled with the family and base rate, and writes it to
// `path`.
absl::Status WritePlot(const std::string& path, const v1::ScheduleSpec& spec,
                       const std::vector<double>& rates) {
  const std::string title =
      absl::StrCat(ScheduleFamilyName(spec), ", base_lr ", FormatDouble(spec.base_lr()));
  const char* unit_name = spec.unit() == v1::ScheduleSpec::EPOCH ? "epoch" : "step";
  ASSIGN_OR_RETURN(const std::string svg, PlotRatesAsSvg(title, unit_name, rates));
  return WriteFile(path, svg);
}

}  // namespace

absl::StatusOr<PreviewArgs> ParsePreviewArgs(const ParsedArgs& args) {
  RETURN_IF_ERROR(CheckFlags(args, "preview", {"spec", "steps", "format", "plot"}));
  RETURN_IF_ERROR(CheckPositionals(args, 1, {}));

  PreviewArgs result;
  ASSIGN_OR_RETURN(result.spec_path, RequiredValue(args, "spec"));
  if (result.spec_path.empty()) {
    return absl::InvalidArgumentError(
        "--spec must not be empty: give a file path, or - for standard input");
  }
  ASSIGN_OR_RETURN(const std::string steps, RequiredValue(args, "steps"));
  ASSIGN_OR_RETURN(result.steps, ParseInt64InRange("--steps", steps, 1, kMaxPreviewSteps));

  if (const std::optional<std::string> format = args.Value("format"); format.has_value()) {
    ASSIGN_OR_RETURN(result.format, ParsePreviewFormat(*format));
  }
  if (const std::optional<std::string> plot = args.Value("plot"); plot.has_value()) {
    if (plot->empty()) {
      return absl::InvalidArgumentError("--plot must not be empty: give the path of an SVG file");
    }
    result.plot_path = *plot;
  }
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
  // The plot is written first, so that a failure to write it prints no rates.
  if (!parsed->plot_path.empty()) {
    const absl::Status written = WritePlot(parsed->plot_path, *spec, rates);
    if (!written.ok()) return ReportInputError(io, written);
  }
  io.out << FormatPreview(parsed->format, spec->unit(), rates);
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
