// Steps that the `lrsched` commands share: reading a spec or a policy, connecting, and
// reporting each kind of error with its exit status.
#ifndef LRSCHED_CLIENT_CLI_COMMAND_SUPPORT_H_
#define LRSCHED_CLIENT_CLI_COMMAND_SUPPORT_H_

#include <cstddef>
#include <istream>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/cli/args.h"
#include "client/cli/commands.h"
#include "client/client.h"
#include "lrsched/v1/policy.pb.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched::cli {

// Largest spec or policy file read, in bytes. A server with gRPC's default receive limit
// (4 MiB) would reject a larger request anyway.
inline constexpr size_t kMaxSpecBytes = 4 << 20;

// Reads and parses a JSON spec from the file at `path`, or from `stdin` when `path` is "-".
// Returns INVALID_ARGUMENT naming the file (or standard input) when it cannot be read, is
// larger than kMaxSpecBytes, or is not a valid spec in the proto3 JSON mapping. Does not
// check the spec's values: the server does.
absl::StatusOr<v1::ScheduleSpec> ReadSpec(absl::string_view path, std::istream& stdin);

// Reads and parses a JSON policy (lrsched.v1.PolicySpec) as ReadSpec reads a spec, with the
// same errors. Does not check the policy's values: the server does.
absl::StatusOr<v1::PolicySpec> ReadPolicy(absl::string_view path, std::istream& stdin);

// Deadline of one attempt of one call, as `lrsched help` states it.
inline constexpr absl::Duration kCallTimeout = absl::Seconds(10);

// Creates a client for `global.server` whose retry budget is `global.timeout`.
absl::StatusOr<std::unique_ptr<Client>> ConnectToServer(const GlobalOptions& global);

// Prints "error: MESSAGE", the usage line of `command` and a pointer to its help to io.err.
// Returns kExitUsageError.
int ReportUsageError(Io& io, const absl::Status& status, absl::string_view command);

// Prints "error: MESSAGE" to io.err for a spec or policy that cannot be read or parsed.
// Returns kExitUsageError.
int ReportInputError(Io& io, const absl::Status& status);

// Prints "error: CODE: MESSAGE" to io.err, with a hint about the address and --timeout when
// the server was unavailable. Returns kExitServerError.
int ReportServerError(Io& io, const absl::Status& status, absl::string_view server);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_COMMAND_SUPPORT_H_
