// Splitting of the `lrsched` arguments and strict parsing of flag values.
#include "client/cli/args.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"

namespace lrsched::cli {
namespace {

struct FlagInfo {
  absl::string_view name;
  bool takes_value;
  bool repeatable;
};

// Every flag of every command. A flag takes a value in all commands or in none, which lets
// the arguments be split before the command is known.
constexpr FlagInfo kFlags[] = {
    {"server", true, false},  {"timeout", true, false},   {"help", false, true},
    {"id", true, false},      {"spec", true, false},      {"workers", true, false},
    {"label", true, true},    {"page_size", true, false}, {"step", true, false},
    {"epoch", true, false},   {"worker", true, false},    {"metric", true, true},
    {"steps", true, false},   {"json", false, false},     {"policy", true, false},
    {"from", true, false},    {"scale", true, false},     {"set", true, false},
    {"finish", false, false}, {"reason", true, false},    {"operator", true, false},
    {"format", true, false},  {"plot", true, false},
};

constexpr absl::string_view kGlobalFlags[] = {"server", "timeout", "help"};

const FlagInfo* FindFlag(absl::string_view name) {
  for (const FlagInfo& flag : kFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool LooksLikeFlag(absl::string_view arg) { return arg.size() > 2 && arg.substr(0, 2) == "--"; }

// Parses the flag at args[*index], advancing *index past a separate value.
absl::Status ParseFlag(const std::vector<std::string>& args, size_t* index, ParsedArgs* parsed) {
  const absl::string_view arg = args[*index];
  const size_t equals = arg.find('=');
  const absl::string_view name =
      arg.substr(2, equals == absl::string_view::npos ? absl::string_view::npos : equals - 2);
  const FlagInfo* flag = FindFlag(name);
  if (flag == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag ", QuoteForMessage(absl::StrCat("--", name))));
  }

  if (!flag->takes_value) {
    if (equals != absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
    }
    parsed->flags[std::string(name)].push_back("");
    return absl::OkStatus();
  }

  if (equals != absl::string_view::npos) {
    parsed->flags[std::string(name)].push_back(std::string(arg.substr(equals + 1)));
    return absl::OkStatus();
  }
  if (*index + 1 >= args.size() || LooksLikeFlag(args[*index + 1])) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, " requires a value"));
  }
  ++*index;
  parsed->flags[std::string(name)].push_back(args[*index]);
  return absl::OkStatus();
}

std::string RangeText(int64_t min, int64_t max) {
  if (max == std::numeric_limits<int64_t>::max()) return absl::StrCat("at least ", min);
  return absl::StrCat("in [", min, ", ", max, "]");
}

// Checks that `address` is HOST:PORT with a port in [1, 65535], or a gRPC target with a
// scheme such as "unix:/run/lrsched.sock" or "dns:///host:port", which gRPC checks itself.
// `source` names where the address came from, for the message.
absl::Status CheckServerAddress(absl::string_view source, absl::string_view address) {
  for (const char c : address) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " must not contain spaces or control characters, got ",
                       QuoteForMessage(address)));
    }
  }
  if (absl::StrContains(address, "://") || absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:") || absl::StartsWith(address, "ipv4:") ||
      absl::StartsWith(address, "ipv6:")) {
    return absl::OkStatus();
  }

  const size_t colon = address.rfind(':');
  int port = 0;
  const bool has_port = colon != absl::string_view::npos && colon > 0 &&
                        absl::SimpleAtoi(address.substr(colon + 1), &port) &&
                        absl::ascii_isdigit(address.back()) && port >= 1 && port <= 65535;
  if (!has_port) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " must be HOST:PORT with a port from 1 to 65535, such as ",
                     kDefaultServer, " or [::1]:50051, got ", QuoteForMessage(address)));
  }
  return absl::OkStatus();
}

}  // namespace

bool ParsedArgs::Has(absl::string_view name) const {
  return flags.find(std::string(name)) != flags.end();
}

std::optional<std::string> ParsedArgs::Value(absl::string_view name) const {
  const auto it = flags.find(std::string(name));
  if (it == flags.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::Values(absl::string_view name) const {
  const auto it = flags.find(std::string(name));
  if (it == flags.end()) return {};
  return it->second;
}

std::string QuoteForMessage(absl::string_view value) {
  constexpr size_t kShownCharacters = 40;
  std::string escaped_prefix = absl::CHexEscape(value.substr(0, kShownCharacters));
  if (value.size() > kShownCharacters) absl::StrAppend(&escaped_prefix, "...");
  return absl::StrCat("\"", escaped_prefix, "\"");
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positionals) {
      parsed.positionals.push_back(arg);
    } else if (arg == "--") {
      only_positionals = true;
    } else if (arg == "-h") {
      parsed.flags["help"].push_back("");
    } else if (LooksLikeFlag(arg)) {
      if (absl::Status status = ParseFlag(args, &i, &parsed); !status.ok()) return status;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", QuoteForMessage(arg),
                       "; flags start with \"--\", and \"--\" before an argument that "
                       "starts with '-' makes it positional"));
    } else {
      parsed.positionals.push_back(arg);
    }
  }
  return parsed;
}

absl::Status CheckFlags(const ParsedArgs& args, absl::string_view command,
                        const std::vector<absl::string_view>& allowed) {
  for (const auto& [name, values] : args.flags) {
    const bool is_global =
        std::find(std::begin(kGlobalFlags), std::end(kGlobalFlags), name) != std::end(kGlobalFlags);
    const bool is_allowed = std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    if (!is_global && !is_allowed) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " is not a flag of 'lrsched ", command, "'"));
    }
    if (values.size() > 1 && !FindFlag(name)->repeatable) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " is given ", values.size(),
                                                     " times, but may be given only once"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPositionals(const ParsedArgs& args, size_t command_words,
                              const std::vector<absl::string_view>& names) {
  const size_t positional_count =
      args.positionals.size() - std::min(command_words, args.positionals.size());
  if (positional_count < names.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing ", names[positional_count], " argument"));
  }
  if (positional_count > names.size()) {
    const std::string& extra = args.positionals[command_words + names.size()];
    return absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument ", QuoteForMessage(extra),
        names.empty() ? ": this command takes no positional arguments"
                      : absl::StrCat(": this command takes only ", absl::StrJoin(names, " "))));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequiredValue(const ParsedArgs& args, absl::string_view name) {
  std::optional<std::string> value = args.Value(name);
  if (!value.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("missing required flag --", name));
  }
  return *std::move(value);
}

absl::StatusOr<int64_t> ParseInt64(absl::string_view flag, absl::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, " is out of the range of a 64-bit integer, got ", QuoteForMessage(text)));
  }
  if (text.empty() || error != std::errc() || stop != end) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be an integer, got ", QuoteForMessage(text)));
  }
  return value;
}

absl::StatusOr<int64_t> ParseInt64InRange(absl::string_view flag, absl::string_view text,
                                          int64_t min, int64_t max) {
  absl::StatusOr<int64_t> value = ParseInt64(flag, text);
  if (!value.ok()) return value.status();
  if (*value < min || *value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be ", RangeText(min, max), ", got ", *value));
  }
  return value;
}

absl::StatusOr<double> ParseFiniteDouble(absl::string_view flag, absl::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " is out of the range of a double, got ", QuoteForMessage(text)));
  }
  if (text.empty() || error != std::errc() || stop != end) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be a number, got ", QuoteForMessage(text)));
  }
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be a finite number, got ", QuoteForMessage(text)));
  }
  return value;
}

absl::StatusOr<std::pair<std::string, std::string>> ParseKeyValue(absl::string_view flag,
                                                                  absl::string_view text) {
  const size_t equals = text.find('=');
  if (equals == absl::string_view::npos || equals == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must have the form NAME=VALUE, got ", QuoteForMessage(text)));
  }
  return std::make_pair(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
}

absl::StatusOr<GlobalOptions> ParseGlobalOptions(
    const ParsedArgs& args, const std::optional<std::string>& server_from_env) {
  GlobalOptions options;
  options.server = std::string(kDefaultServer);
  if (server_from_env.has_value() && !server_from_env->empty()) {
    RETURN_IF_ERROR(CheckServerAddress("LRSCHED_SERVER", *server_from_env));
    options.server = *server_from_env;
  }
  if (std::optional<std::string> server = args.Value("server"); server.has_value()) {
    if (server->empty()) return absl::InvalidArgumentError("--server must not be empty");
    RETURN_IF_ERROR(CheckServerAddress("--server", *server));
    options.server = *server;
  }

  double timeout_seconds = kDefaultTimeoutSeconds;
  if (std::optional<std::string> text = args.Value("timeout"); text.has_value()) {
    absl::StatusOr<double> seconds = ParseFiniteDouble("--timeout", *text);
    if (!seconds.ok()) return seconds.status();
    if (*seconds < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout must be zero or more seconds, got ", *text));
    }
    timeout_seconds = *seconds;
  }
  options.timeout = absl::Seconds(timeout_seconds);
  return options;
}

}  // namespace lrsched::cli
