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
    {"runs create",
     "--id RUN_ID --spec FILE|- [--workers N] [--label KEY=VALUE]... [--policy FILE|-]",
     "  Creates a run and prints it as JSON. Repeating the same command prints the\n"
     "  existing run; a different spec or setting under the same id fails.\n"
     "    --id RUN_ID        1 to 128 characters from [A-Za-z0-9._:-]\n"
     "    --spec FILE|-      schedule spec as JSON, from a file or from standard input (-)\n"
     "    --workers N        number of worker processes that train the run (default 1)\n"
     "    --label KEY=VALUE  a label to store with the run; may be repeated\n"
     "    --policy FILE|-    adaptive policy as JSON (lrsched.v1.PolicySpec), such as\n"
     "                       ReduceLROnPlateau; only one of --spec and --policy may be -\n"},
    {"runs get", "RUN_ID", "  Prints a run as JSON.\n"},
    {"runs list", "[--page_size N]",
     "  Prints all runs as a JSON array ordered by id, fetching every page.\n"
     "    --page_size N      runs per request, 1 to 1000 (default: the server's, 100)\n"},
    {"runs delete", "RUN_ID", "  Deletes a run with its stored reports.\n"},
    {"runs update",
     "RUN_ID --from POSITION (--scale F | --set RATE | --spec FILE|- | --finish) --reason TEXT "
     "[--operator NAME]",
     "  Records an operator's decision on the run's rate and prints it as JSON. Give\n"
     "  exactly one action. POSITION must be later than every position for which a worker\n"
     "  has already received a rate or reported metrics.\n"
     "    --from POSITION    first step or epoch (in the spec's unit) the decision applies to\n"
     "    --scale F          multiply the rate by F (greater than 0) from POSITION on\n"
     "    --set RATE         hold the rate at RATE (greater than 0) from POSITION on\n"
     "    --spec FILE|-      switch to this schedule spec, counting positions from POSITION;\n"
     "                       its unit must be the run's\n"
     "    --finish           end the run: positions from POSITION on have no rate\n"
     "    --reason TEXT      why the schedule changes, kept in the run's history; required,\n"
     "                       at most 1000 characters\n"
     "    --operator NAME    who makes the change, up to 128 characters from [A-Za-z0-9._:-]\n"
     "                       (default: operator)\n"},
    {"runs history", "RUN_ID [--json]",
     "  Prints every decision on the run's rate, oldest first, as a table: sequence,\n"
     "  first position, action, resulting rate, actor, time (UTC) and reason.\n"
     "    --json             print the decisions as a JSON array instead\n"},
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
    {"preview", "--spec FILE|- --steps N [--format csv|json|table] [--plot FILE.svg]",
     "  Evaluates a spec without creating a run and prints the rate at each position,\n"
     "  in the shortest form that reads back as the same double. CSV has a header line:\n"
     "  the position (named step or epoch after the spec's unit) and lr.\n"
     "    --spec FILE|-      schedule spec as JSON, from a file or from standard input (-)\n"
     "    --steps N          number of positions to evaluate, 0 to N-1; 1 to 500000\n"
     "    --format FORMAT    csv (default), json (an object with unit and learning_rates)\n"
     "                       or table (aligned columns)\n"
     "    --plot FILE.svg    also write the curve as an SVG line chart to FILE.svg\n"},
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
    "2 for an invalid command line or a spec or policy that cannot be read or parsed.\n";

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
