// Shared steps of the `lrsched` commands: spec and policy input, connection and error reports.
#include "client/cli/command_support.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/cli/output.h"
#include "client/cli/usage.h"
#include "core/policy/policy_json.h"
#include "core/spec_json.h"

namespace lrsched::cli {
namespace {

// Returns the name of an input for messages, such as "spec file \"s.json\"" or "policy from
// standard input". `kind` is "spec" or "policy".
std::string DescribeSource(absl::string_view kind, absl::string_view path) {
  if (path == "-") return absl::StrCat(kind, " from standard input");
  return absl::StrCat(kind, " file \"", absl::CHexEscape(path), "\"");
}

// Reads all of `stream`, failing once the text read exceeds kMaxSpecBytes.
absl::StatusOr<std::string> ReadAtMostMaxSpecBytes(std::istream& stream, absl::string_view source) {
  std::string contents;
  char buffer[64 * 1024];
  while (stream.read(buffer, sizeof(buffer)) || stream.gcount() > 0) {
    contents.append(buffer, static_cast<size_t>(stream.gcount()));
    if (contents.size() > kMaxSpecBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " is larger than the limit of ", kMaxSpecBytes, " bytes"));
    }
  }
  if (stream.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", source, ": ", std::strerror(errno)));
  }
  return contents;
}

// Reads the whole file at `path`, or `stdin` when `path` is "-". `source` names the input in
// messages.
absl::StatusOr<std::string> ReadInput(absl::string_view path, absl::string_view source,
                                      std::istream& stdin) {
  if (path == "-") return ReadAtMostMaxSpecBytes(stdin, source);

  std::ifstream file{std::string(path), std::ios::binary};
  if (!file.is_open()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open ", source, ": ", std::strerror(errno)));
  }
  return ReadAtMostMaxSpecBytes(file, source);
}

}  // namespace

absl::StatusOr<v1::ScheduleSpec> ReadSpec(absl::string_view path, std::istream& stdin) {
  const std::string source = DescribeSource("spec", path);
  absl::StatusOr<std::string> json = ReadInput(path, source, stdin);
  if (!json.ok()) return json.status();

  absl::StatusOr<v1::ScheduleSpec> spec = ParseSpecJson(*json);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", spec.status().message()));
  }
  return spec;
}

absl::StatusOr<v1::PolicySpec> ReadPolicy(absl::string_view path, std::istream& stdin) {
  const std::string source = DescribeSource("policy", path);
  absl::StatusOr<std::string> json = ReadInput(path, source, stdin);
  if (!json.ok()) return json.status();

  absl::StatusOr<v1::PolicySpec> policy = ParsePolicyJson(*json);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", policy.status().message()));
  }
  return policy;
}

absl::StatusOr<std::unique_ptr<Client>> ConnectToServer(const GlobalOptions& global) {
  ClientOptions options;
  options.call_timeout = kCallTimeout;
  options.retry_budget = global.timeout;
  return Client::Connect(global.server, options);
}

int ReportUsageError(Io& io, const absl::Status& status, absl::string_view command) {
  io.err << "error: " << status.message() << "\n" << CommandUsage(command) << "\n";
  if (command.empty()) {
    io.err << "Run 'lrsched help' for all commands.\n";
  } else {
    io.err << "Run 'lrsched help " << command << "' for details.\n";
  }
  return kExitUsageError;
}

int ReportInputError(Io& io, const absl::Status& status) {
  io.err << "error: " << status.message() << "\n";
  return kExitUsageError;
}

int ReportServerError(Io& io, const absl::Status& status, absl::string_view server) {
  io.err << FormatServerError(status) << "\n";
  if (status.code() == absl::StatusCode::kUnavailable) {
    io.err << "hint: check that lrsched-server is running at " << server
           << "; --timeout SECONDS sets how long lrsched retries\n";
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    io.err << "hint: for a run with a policy, the server answers a position only once the "
              "policy has decided every earlier boundary (every worker reported it, or its "
              "straggler timeout passed); report the earlier epochs first\n";
  }
  return kExitServerError;
}

}  // namespace lrsched::cli
