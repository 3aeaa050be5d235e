// Command-line parsing for the `lrsched` command: splits the arguments into positional words
// and flags, and converts flag values into checked numbers and key=value pairs.
//
// The parser is written by hand because absl flags does not fit a command with subcommands.
// It keeps only the last value of a flag given twice, so it cannot collect repeated
// `--metric` and `--label` flags. Its flags are also global to the program, and it exits with
// status 1 on an unknown flag, while `lrsched` reports usage errors with status 2 and the
// usage of the command at hand.
#ifndef LRSCHED_CLIENT_CLI_ARGS_H_
#define LRSCHED_CLIENT_CLI_ARGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lrsched::cli {

// The server address used when neither --server nor LRSCHED_SERVER is given.
inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";

// The retry budget used when --timeout is not given, in seconds.
inline constexpr double kDefaultTimeoutSeconds = 30;

// The arguments of one invocation, split by kind. Flags are stored by name without the
// leading "--", with their values in the order given. A flag that takes no value (--help,
// --json, --finish) has one empty value per occurrence.
struct ParsedArgs {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> flags;

  bool Has(absl::string_view name) const;

  // Returns the last value of the flag, or nullopt when the flag is absent. CheckFlags
  // rejects a second value of a flag that is not repeatable.
  std::optional<std::string> Value(absl::string_view name) const;

  // Returns every value of a repeated flag, empty when the flag is absent.
  std::vector<std::string> Values(absl::string_view name) const;
};

// Splits `args` (without the program name) into positionals and flags. Accepts `--name value`,
// `--name=value` and `-h` for --help; everything after a bare `--` is positional. Returns
// INVALID_ARGUMENT for an unknown flag, a flag missing its value, and a value given to
// --help, --json or --finish.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args);

// Checks that every flag in `args` is one of the global flags or `allowed`, and that flags
// other than --label, --metric and --help occur at most once. `command` names the command in the
// message, for example "runs create".
absl::Status CheckFlags(const ParsedArgs& args, absl::string_view command,
                        const std::vector<absl::string_view>& allowed);

// Checks that exactly `names.size()` positional arguments follow the `command_words` words
// that name the command; `names` are their names for the message, such as "RUN_ID".
absl::Status CheckPositionals(const ParsedArgs& args, size_t command_words,
                              const std::vector<absl::string_view>& names);

// Returns the value of a flag that must be present, or INVALID_ARGUMENT naming it.
absl::StatusOr<std::string> RequiredValue(const ParsedArgs& args, absl::string_view name);

// Returns `value` in double quotes for a message, with control bytes escaped and anything past
// 40 characters replaced by "...", so that a huge argument cannot flood the terminal.
std::string QuoteForMessage(absl::string_view value);

// Parses a whole decimal integer: no sign other than a leading '-', no spaces, no suffix.
// `flag` names the flag in messages, as in "--step".
absl::StatusOr<int64_t> ParseInt64(absl::string_view flag, absl::string_view text);

// Parses an integer in [min, max].
absl::StatusOr<int64_t> ParseInt64InRange(absl::string_view flag, absl::string_view text,
                                          int64_t min, int64_t max);

// Parses a finite decimal number; rejects nan, inf and values out of the double range.
absl::StatusOr<double> ParseFiniteDouble(absl::string_view flag, absl::string_view text);

// Splits "KEY=VALUE" at the first '='. The key must not be empty; the value may be.
absl::StatusOr<std::pair<std::string, std::string>> ParseKeyValue(absl::string_view flag,
                                                                  absl::string_view text);

// The flags that every command accepts.
struct GlobalOptions {
  std::string server;
  absl::Duration timeout;
};

// Reads --server (else `server_from_env` when set and not empty, else kDefaultServer) and
// --timeout in seconds (zero or more; kDefaultTimeoutSeconds when absent). An address without
// a gRPC scheme ("unix:", "dns:///", ...) must be HOST:PORT; the check catches a missing port
// or a stray space before any name lookup.
absl::StatusOr<GlobalOptions> ParseGlobalOptions(const ParsedArgs& args,
                                                 const std::optional<std::string>& server_from_env);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_ARGS_H_
