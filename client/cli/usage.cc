// The help text of every `lrsched` command, kept in one table so that `lrsched help`, each
// command's --help and each usage error print the same words.
#include "client/cli/usage.h"

#include "absl/strings/str_cat.h"

namespace lrsched::cli {
namespace {

struct CommandText {
  absl::string_view name;
  absl::string_view arguments;
  absl::string_view description;
};

constexpr CommandText kCommands[] = {
    {"runs create", "--id RUN_ID --spec FILE|- [--workers N] [--label KEY=VALUE]...",
     "  Creates a run and prints it as JSON. Repeating the same command prints the\n"
     "  existing run; a different spec or setting under the same id fails.\n"
     "    --id RUN_ID        1 to 128 characters from [A-Za-z0-9._:-]\n"
     "    --spec FILE|-      schedule spec as JSON, from a file or from standard input (-)\n"
     "    --workers N        number of worker processes that train the run (default 1)\n"
     "    --label KEY=VALUE  a label to store with the run; may be repeated\n"},
    {"runs get", "RUN_ID", "  Prints a run as JSON.\n"},
    {"runs list", "[--page_size N]",
     "  Prints all runs as a JSON array ordered by id, fetching every page.\n"
     "    --page_size N      runs per request, 1 to 1000 (default: the server's, 100)\n"},
    {"runs delete", "RUN_ID", "  Deletes a run with its stored reports.\n"},
    {"lr", "RUN_ID --step STEP [--epoch EPOCH] [--worker NAME] [--json]",
     "  Prints the run's learning rate at a step and epoch.\n"
     "    --step STEP        training step, 0 or more\n"
     "    --epoch EPOCH      training epoch, 0 or more (default 0)\n"
     "    --worker NAME      name of the asking worker, for the server's logs (default empty)\n"
     "    --json             print the whole reply (rate, schedule version, unit, position)\n"},
    {"report", "RUN_ID --step STEP [--epoch EPOCH] [--worker NAME] --metric NAME=VALUE...",
     "  Stores one report of metrics for a run and prints the run's report count.\n"
     "    --step STEP        training step, 0 or more\n"
     "    --epoch EPOCH      training epoch, 0 or more (default 0)\n"
     "    --worker NAME      name of the reporting worker (default empty)\n"
     "    --metric NAME=VALUE  a finite metric value, such as loss=0.31; at least one,\n"
     "                       may be repeated with different names\n"},
    {"preview", "--spec FILE|- --steps N",
     "  Evaluates a spec without creating a run and prints CSV with a header line:\n"
     "  the position (named step or epoch after the spec's unit) and lr, the rate at\n"
     "  that position, in the shortest form that reads back as the same double.\n"
     "    --spec FILE|-      schedule spec as JSON, from a file or from standard input (-)\n"
     "    --steps N          number of positions to evaluate, 0 to N-1; at least 1\n"},
    {"health", "",
     "  Checks the server's gRPC health service and prints SERVING when it serves.\n"},
    {"help", "[COMMAND]", "  Prints help for all commands, or for one command.\n"},
};

constexpr absl::string_view kGlobalFlagsHelp =
    "Flags for every command:\n"
    "  --server HOST:PORT   server address (default: $LRSCHED_SERVER, else 127.0.0.1:50051)\n"
    "  --timeout SECONDS    how long to retry while the server is unavailable (default 30);\n"
    "                       each attempt also has a deadline of 10 seconds\n"
    "  --help, -h           print help for the command\n"
    "\n"
    "Exit status: 0 on success, 1 when the server returns an error or cannot be reached,\n"
    "2 for an invalid command line or a spec that cannot be read or parsed.\n";

const CommandText* FindCommand(absl::string_view command) {
  for (const CommandText& text : kCommands) {
    if (text.name == command) return &text;
  }
  return nullptr;
}

std::string UsageLine(const CommandText& text) {
  if (text.arguments.empty()) return absl::StrCat("usage: lrsched ", text.name);
  return absl::StrCat("usage: lrsched ", text.name, " ", text.arguments);
}

}  // namespace

std::string CommandUsage(absl::string_view command) {
  const CommandText* text = FindCommand(command);
  if (text == nullptr) return "usage: lrsched [--server HOST:PORT] [--timeout SECONDS] COMMAND ...";
  return UsageLine(*text);
}

std::string CommandHelp(absl::string_view command) {
  const CommandText* text = FindCommand(command);
  if (text == nullptr) return FullHelp();
  return absl::StrCat(UsageLine(*text), "\n", text->description, "\n", kGlobalFlagsHelp);
}

std::string FullHelp() {
  std::string help =
      "lrsched: create and inspect learning-rate schedules on an lrsched server.\n\n"
      "usage: lrsched [--server HOST:PORT] [--timeout SECONDS] COMMAND ...\n\n"
      "Commands:\n";
  for (const CommandText& text : kCommands) {
    absl::StrAppend(&help, "  lrsched ", text.name, text.arguments.empty() ? "" : " ",
                    text.arguments, "\n", text.description, "\n");
  }
  absl::StrAppend(&help, kGlobalFlagsHelp);
  return help;
}

bool IsKnownCommand(absl::string_view command) { return FindCommand(command) != nullptr; }

}  // namespace lrsched::cli
