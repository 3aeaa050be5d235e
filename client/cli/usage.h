// Usage and help text of the `lrsched` command, one entry per command.
#ifndef LRSCHED_CLIENT_CLI_USAGE_H_
#define LRSCHED_CLIENT_CLI_USAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lrsched::cli {

// Returns the one-line usage of `command` ("runs create", "lr", ...), starting with
// "usage: lrsched". Returns the usage line of the whole program for an unknown command.
std::string CommandUsage(absl::string_view command);

// Returns the usage line of `command` followed by what it does and what each flag sets.
std::string CommandHelp(absl::string_view command);

// Returns the help for every command and the global flags, as `lrsched help` prints it.
std::string FullHelp();

// Returns whether `command` names a command that has help text.
bool IsKnownCommand(absl::string_view command);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_USAGE_H_
