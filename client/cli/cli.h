// Entry point of the `lrsched` command, separate from main() so that tests can run it with
// string streams.
#ifndef LRSCHED_CLIENT_CLI_CLI_H_
#define LRSCHED_CLIENT_CLI_CLI_H_

#include <optional>
#include <string>
#include <vector>

#include "client/cli/commands.h"

namespace lrsched::cli {

// Runs `lrsched` with `args` (without the program name) and returns its exit status:
// kExitSuccess, kExitServerError or kExitUsageError. `server_from_env` is the value of
// LRSCHED_SERVER, or nullopt when it is not set.
int RunCli(const std::vector<std::string>& args, const std::optional<std::string>& server_from_env,
           Io& io);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_CLI_H_
