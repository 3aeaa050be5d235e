// Finds the command named by the first positional words and runs it, or prints help.
#include "client/cli/cli.h"

#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/args.h"
#include "client/cli/command_support.h"
#include "client/cli/usage.h"

namespace lrsched::cli {
namespace {

struct CommandEntry {
  absl::string_view name;
  CommandFunction run;
};

constexpr CommandEntry kCommandTable[] = {
    {"runs create", RunCreateRun},      {"runs get", RunGetRun},
    {"runs list", RunListRuns},         {"runs delete", RunDeleteRun},
    {"runs update", RunUpdateSchedule}, {"runs history", RunHistory},
    {"lr", RunLearningRate},            {"report", RunReport},
    {"preview", RunPreview},            {"health", RunHealth},
};

constexpr absl::string_view kRunsSubcommands = "create, get, list, delete, update or history";

// Returns the command that `positionals` name: one word, or two for the `runs` group.
absl::StatusOr<std::string> FindCommandName(const std::vector<std::string>& positionals) {
  if (positionals.empty()) {
    return absl::InvalidArgumentError("missing command");
  }
  const std::string& first = positionals[0];
  if (first == "runs") {
    if (positionals.size() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing runs subcommand: ", kRunsSubcommands));
    }
    const std::string name = absl::StrCat("runs ", positionals[1]);
    if (!IsKnownCommand(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown runs subcommand ", QuoteForMessage(positionals[1]), ": use ", kRunsSubcommands));
    }
    return name;
  }
  if (!IsKnownCommand(first)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command ", QuoteForMessage(first)));
  }
  return first;
}

// Prints help for `lrsched help [COMMAND...]`: all commands, or the one named.
int RunHelpCommand(const std::vector<std::string>& positionals, Io& io) {
  if (positionals.size() <= 1) {
    io.out << FullHelp();
    return kExitSuccess;
  }
  const std::vector<std::string> topic(positionals.begin() + 1, positionals.end());
  if (topic.size() == 1 && topic[0] == "runs") {
    io.out << FullHelp();
    return kExitSuccess;
  }
  absl::StatusOr<std::string> name = FindCommandName(topic);
  if (!name.ok()) return ReportUsageError(io, name.status(), "");
  io.out << CommandHelp(*name);
  return kExitSuccess;
}

CommandFunction FindCommandFunction(absl::string_view name) {
  for (const CommandEntry& entry : kCommandTable) {
    if (entry.name == name) return entry.run;
  }
  return nullptr;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, const std::optional<std::string>& server_from_env,
           Io& io) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) return ReportUsageError(io, parsed.status(), "");

  const std::vector<std::string>& positionals = parsed->positionals;
  if (!positionals.empty() && positionals[0] == "help") {
    return RunHelpCommand(positionals, io);
  }
  absl::StatusOr<std::string> name = FindCommandName(positionals);
  if (parsed->Has("help")) {
    // --help prints help even when the command words are incomplete or unknown.
    io.out << (name.ok() ? CommandHelp(*name) : FullHelp());
    return kExitSuccess;
  }
  if (!name.ok()) return ReportUsageError(io, name.status(), "");

  absl::StatusOr<GlobalOptions> global = ParseGlobalOptions(*parsed, server_from_env);
  if (!global.ok()) return ReportUsageError(io, global.status(), *name);
  return FindCommandFunction(*name)(*parsed, *global, io);
}

}  // namespace lrsched::cli
