// Tests of the `lrsched` argument parsing: splitting, flag checks, strict numbers and the
// per-command Parse functions.
#include "client/cli/args.h"

#include <string>
#include <vector>

#include "client/cli/commands.h"
#include "gtest/gtest.h"

namespace lrsched::cli {
namespace {

ParsedArgs MustParse(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : ParsedArgs{};
}

// Expects `status` to be INVALID_ARGUMENT with `fragment` in its message.
void ExpectInvalid(const absl::Status& status, const std::string& fragment) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find(fragment), absl::string_view::npos)
      << "message: " << status.message() << "\nexpected to contain: " << fragment;
}

// Expects `status` to be INVALID_ARGUMENT with exactly `message`.
void ExpectInvalidMessage(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

TEST(ParseArgs, SplitsPositionalsAndFlags) {
  const ParsedArgs parsed =
      MustParse({"report", "r1", "--step", "5", "--metric=loss=0.3", "--metric", "acc=0.9"});
  EXPECT_EQ(parsed.positionals, (std::vector<std::string>{"report", "r1"}));
  EXPECT_EQ(parsed.Value("step"), "5");
  EXPECT_EQ(parsed.Values("metric"), (std::vector<std::string>{"loss=0.3", "acc=0.9"}));
}

TEST(ParseArgs, ValueMayStartWithDash) {
  const ParsedArgs parsed = MustParse({"lr", "r1", "--step", "-1", "--spec", "-"});
  EXPECT_EQ(parsed.Value("step"), "-1");
  EXPECT_EQ(parsed.Value("spec"), "-");
}

TEST(ParseArgs, DoubleDashEndsFlags) {
  const ParsedArgs parsed = MustParse({"runs", "get", "--", "-odd-id", "--json"});
  EXPECT_EQ(parsed.positionals, (std::vector<std::string>{"runs", "get", "-odd-id", "--json"}));
  EXPECT_FALSE(parsed.Has("json"));
}

TEST(ParseArgs, ShortHelpAndBooleanFlags) {
  const ParsedArgs parsed = MustParse({"lr", "-h", "--json"});
  EXPECT_TRUE(parsed.Has("help"));
  EXPECT_TRUE(parsed.Has("json"));
}

TEST(ParseArgs, Errors) {
  const struct {
    std::vector<std::string> args;
    std::string fragment;
  } cases[] = {
      {{"lr", "--bogus", "1"}, "unknown flag \"--bogus\""},
      {{"lr", "-x"}, "unknown flag \"-x\""},
      {{"lr", "r1", "--step"}, "--step requires a value"},
      {{"lr", "r1", "--step", "--epoch", "1"}, "--step requires a value"},
      {{"lr", "--json=yes"}, "--json takes no value"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.fragment);
    ExpectInvalid(ParseArgs(test_case.args).status(), test_case.fragment);
  }
}

TEST(CheckFlags, RejectsFlagOfAnotherCommand) {
  ExpectInvalid(CheckFlags(MustParse({"lr", "--metric", "a=1"}), "lr", {"step"}),
                "--metric is not a flag of 'lrsched lr'");
}

TEST(CheckFlags, AcceptsGlobalFlags) {
  EXPECT_TRUE(CheckFlags(MustParse({"lr", "--server", "h:1", "--timeout", "2"}), "lr", {}).ok());
}

TEST(CheckFlags, RejectsRepeatedSingleFlag) {
  ExpectInvalid(CheckFlags(MustParse({"lr", "--step", "1", "--step", "2"}), "lr", {"step"}),
                "--step is given 2 times");
}

TEST(CheckPositionals, MissingAndExtra) {
  ExpectInvalid(CheckPositionals(MustParse({"runs", "get"}), 2, {"RUN_ID"}),
                "missing RUN_ID argument");
  ExpectInvalid(CheckPositionals(MustParse({"runs", "get", "a", "b"}), 2, {"RUN_ID"}),
                "unexpected argument \"b\"");
  ExpectInvalid(CheckPositionals(MustParse({"health", "now"}), 1, {}),
                "takes no positional arguments");
}

TEST(ParseInt64, AcceptsWholeIntegers) {
  EXPECT_EQ(ParseInt64("--step", "0").value_or(-1), 0);
  EXPECT_EQ(ParseInt64("--step", "-7").value_or(0), -7);
  EXPECT_EQ(ParseInt64("--step", "9223372036854775807").value_or(0), INT64_MAX);
}

TEST(ParseInt64, RejectsAnythingElse) {
  const struct {
    std::string text;
    std::string fragment;
  } cases[] = {
      {"", "--step must be an integer, got \"\""},
      {"abc", "--step must be an integer, got \"abc\""},
      {"5x", "--step must be an integer, got \"5x\""},
      {" 5", "--step must be an integer, got \" 5\""},
      {"5 ", "--step must be an integer, got \"5 \""},
      {"+5", "--step must be an integer, got \"+5\""},
      {"1.5", "--step must be an integer, got \"1.5\""},
      {"1e3", "--step must be an integer, got \"1e3\""},
      {"0x10", "--step must be an integer, got \"0x10\""},
      {"9223372036854775808", "--step is out of the range of a 64-bit integer"},
      {std::string(100000, '9'), "--step is out of the range of a 64-bit integer"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.text.substr(0, 40));
    ExpectInvalid(ParseInt64("--step", test_case.text).status(), test_case.fragment);
  }
}

TEST(ParseInt64InRange, NamesFlagValueAndRange) {
  ExpectInvalid(ParseInt64InRange("--step", "-1", 0, INT64_MAX).status(),
                "--step must be at least 0, got -1");
  ExpectInvalid(ParseInt64InRange("--workers", "0", 1, 100).status(),
                "--workers must be in [1, 100], got 0");
  EXPECT_EQ(ParseInt64InRange("--workers", "100", 1, 100).value_or(0), 100);
}

TEST(ParseFiniteDouble, AcceptsDecimalAndExponent) {
  EXPECT_EQ(ParseFiniteDouble("--metric loss", "0.31").value_or(0), 0.31);
  EXPECT_EQ(ParseFiniteDouble("--metric loss", "-2").value_or(0), -2);
  EXPECT_EQ(ParseFiniteDouble("--metric loss", "1e-3").value_or(0), 1e-3);
}

TEST(ParseFiniteDouble, RejectsNonFiniteAndGarbage) {
  const struct {
    std::string text;
    std::string fragment;
  } cases[] = {
      {"nan", "--metric loss must be a finite number, got \"nan\""},
      {"NaN", "--metric loss must be a finite number, got \"NaN\""},
      {"inf", "--metric loss must be a finite number, got \"inf\""},
      {"-infinity", "--metric loss must be a finite number, got \"-infinity\""},
      {"1e400", "--metric loss is out of the range of a double, got \"1e400\""},
      {"", "--metric loss must be a number, got \"\""},
      {"0.3x", "--metric loss must be a number, got \"0.3x\""},
      {"+0.3", "--metric loss must be a number, got \"+0.3\""},
      {"0,3", "--metric loss must be a number, got \"0,3\""},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.text);
    ExpectInvalid(ParseFiniteDouble("--metric loss", test_case.text).status(), test_case.fragment);
  }
}

TEST(ParseKeyValue, SplitsAtFirstEquals) {
  auto pair = ParseKeyValue("--label", "team=a=b");
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->first, "team");
  EXPECT_EQ(pair->second, "a=b");
  EXPECT_EQ(ParseKeyValue("--label", "team=").value_or(std::make_pair("", "x")).second, "");
}

TEST(ParseKeyValue, RejectsMissingKeyOrEquals) {
  ExpectInvalid(ParseKeyValue("--metric", "loss").status(),
                "--metric must have the form NAME=VALUE, got \"loss\"");
  ExpectInvalid(ParseKeyValue("--metric", "=0.3").status(),
                "--metric must have the form NAME=VALUE, got \"=0.3\"");
}

TEST(QuoteForMessage, ShortensHugeValues) {
  const std::string quoted = QuoteForMessage(std::string(1 << 20, 'a'));
  EXPECT_EQ(quoted, "\"" + std::string(40, 'a') + "...\"");
  EXPECT_EQ(QuoteForMessage("a\nb"), "\"a\\nb\"");
}

TEST(ParseGlobalOptions, DefaultsEnvironmentAndFlag) {
  auto defaults = ParseGlobalOptions(MustParse({"health"}), std::nullopt);
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->server, "127.0.0.1:50051");
  EXPECT_EQ(defaults->timeout, absl::Seconds(30));

  EXPECT_EQ(ParseGlobalOptions(MustParse({"health"}), "[::1]:7").value().server, "[::1]:7");
  EXPECT_EQ(ParseGlobalOptions(MustParse({"health"}), "").value().server, "127.0.0.1:50051");
  EXPECT_EQ(ParseGlobalOptions(MustParse({"health", "--server", "127.0.0.1:9"}), "[::1]:7")
                .value()
                .server,
            "127.0.0.1:9");
  EXPECT_EQ(
      ParseGlobalOptions(MustParse({"health", "--timeout", "0.5"}), std::nullopt).value().timeout,
      absl::Milliseconds(500));
}

TEST(ParseGlobalOptions, RejectsBadValues) {
  ExpectInvalid(ParseGlobalOptions(MustParse({"health", "--server="}), std::nullopt).status(),
                "--server must not be empty");
  const struct {
    std::string address;
    std::string fragment;
  } bad_addresses[] = {
      {"not a host", "--server must not contain spaces or control characters, got \"not a"},
      {"localhost", "--server must be HOST:PORT with a port from 1 to 65535"},
      {"localhost:", "--server must be HOST:PORT"},
      {":50051", "--server must be HOST:PORT"},
      {"127.0.0.1:0", "--server must be HOST:PORT"},
      {"127.0.0.1:65536", "--server must be HOST:PORT"},
      {"127.0.0.1:5x", "--server must be HOST:PORT"},
      {"127.0.0.1: 5", "--server must not contain spaces"},
  };
  for (const auto& test_case : bad_addresses) {
    SCOPED_TRACE(test_case.address);
    ExpectInvalid(
        ParseGlobalOptions(MustParse({"health", "--server", test_case.address}), std::nullopt)
            .status(),
        test_case.fragment);
  }
  ExpectInvalid(ParseGlobalOptions(MustParse({"health"}), "nohost").status(),
                "LRSCHED_SERVER must be HOST:PORT");
  for (const std::string address :
       {"[::1]:50051", "localhost:1", "unix:/tmp/lrsched.sock", "dns:///localhost:50051"}) {
    EXPECT_TRUE(ParseGlobalOptions(MustParse({"health", "--server", address}), std::nullopt).ok())
        << address;
  }

  ExpectInvalid(ParseGlobalOptions(MustParse({"health", "--timeout", "-1"}), std::nullopt).status(),
                "--timeout must be zero or more seconds, got -1");
  ExpectInvalid(
      ParseGlobalOptions(MustParse({"health", "--timeout", "nan"}), std::nullopt).status(),
      "--timeout must be a finite number");
}

TEST(ParseCreateRunArgs, FullCommand) {
  auto parsed =
      ParseCreateRunArgs(MustParse({"runs", "create", "--id", "r1", "--spec", "-", "--workers", "4",
                                    "--label", "team=vision", "--label", "owner=ana"}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->run_id, "r1");
  EXPECT_EQ(parsed->spec_path, "-");
  EXPECT_EQ(parsed->num_workers, 4);
  EXPECT_EQ(parsed->labels.at("team"), "vision");
  EXPECT_EQ(parsed->labels.at("owner"), "ana");
}

TEST(ParseCreateRunArgs, Errors) {
  const struct {
    std::vector<std::string> args;
    std::string fragment;
  } cases[] = {
      {{"runs", "create", "--spec", "s.json"}, "missing required flag --id"},
      {{"runs", "create", "--id", "r1"}, "missing required flag --spec"},
      {{"runs", "create", "--id", "", "--spec", "s"}, "--id must not be empty"},
      {{"runs", "create", "--id", "a b", "--spec", "s"}, "--id \"a b\" contains \" \""},
      {{"runs", "create", "--id", std::string(129, 'a'), "--spec", "s"},
       "--id is 129 characters long, at most 128 allowed"},
      {{"runs", "create", "--id", "r1", "--spec", ""}, "--spec must not be empty"},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--workers", "0"},
       "--workers must be in [1, 100000], got 0"},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--workers", "two"},
       "--workers must be an integer, got \"two\""},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--label", "team"},
       "--label must have the form NAME=VALUE, got \"team\""},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--label", "a=1", "--label", "a=2"},
       "--label \"a\" is given twice"},
      {{"runs", "create", "--id", "r1", "--spec", "s", "extra"}, "unexpected argument \"extra\""},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--step", "1"},
       "--step is not a flag of 'lrsched runs create'"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.fragment);
    ExpectInvalid(ParseCreateRunArgs(MustParse(test_case.args)).status(), test_case.fragment);
  }
}

TEST(ParseCreateRunArgs, PolicyPath) {
  auto without = ParseCreateRunArgs(MustParse({"runs", "create", "--id", "r1", "--spec", "s"}));
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->policy_path, "");

  auto from_file = ParseCreateRunArgs(
      MustParse({"runs", "create", "--id", "r1", "--spec", "-", "--policy", "p.json"}));
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->spec_path, "-");
  EXPECT_EQ(from_file->policy_path, "p.json");

  auto from_stdin = ParseCreateRunArgs(
      MustParse({"runs", "create", "--id", "r1", "--spec", "s.json", "--policy", "-"}));
  ASSERT_TRUE(from_stdin.ok()) << from_stdin.status();
  EXPECT_EQ(from_stdin->policy_path, "-");
}

TEST(ParseCreateRunArgs, PolicyErrors) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"runs", "create", "--id", "r1", "--spec", "-", "--policy", "-"},
       "--spec and --policy cannot both read standard input (-): give one of them as a file "
       "path"},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--policy", ""},
       "--policy must not be empty: give a file path, or - for standard input"},
      {{"runs", "create", "--id", "r1", "--spec", "s", "--policy", "a", "--policy", "b"},
       "--policy is given 2 times, but may be given only once"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.message);
    ExpectInvalidMessage(ParseCreateRunArgs(MustParse(test_case.args)).status(),
                         test_case.message);
  }
}

TEST(ParseRunIdArgs, ChecksTheId) {
  EXPECT_EQ(ParseRunIdArgs(MustParse({"runs", "get", "r-1.a:b_c"}), "runs get").value_or(""),
            "r-1.a:b_c");
  ExpectInvalid(ParseRunIdArgs(MustParse({"runs", "get"}), "runs get").status(),
                "missing RUN_ID argument");
  ExpectInvalid(ParseRunIdArgs(MustParse({"runs", "delete", "r/1"}), "runs delete").status(),
                "RUN_ID \"r/1\" contains \"/\"");
}

TEST(ParseListRunsArgs, PageSize) {
  EXPECT_EQ(ParseListRunsArgs(MustParse({"runs", "list"})).value_or(-1), 0);
  EXPECT_EQ(ParseListRunsArgs(MustParse({"runs", "list", "--page_size", "7"})).value_or(-1), 7);
  ExpectInvalid(ParseListRunsArgs(MustParse({"runs", "list", "--page_size", "0"})).status(),
                "--page_size must be in [1, 2147483647], got 0");
}

TEST(ParseLearningRateArgs, FullCommand) {
  auto parsed = ParseLearningRateArgs(
      MustParse({"lr", "r1", "--step", "10", "--epoch", "2", "--worker", "w0", "--json"}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->run_id, "r1");
  EXPECT_EQ(parsed->step, 10);
  EXPECT_EQ(parsed->epoch, 2);
  EXPECT_EQ(parsed->worker, "w0");
  EXPECT_TRUE(parsed->json);
}

TEST(ParseLearningRateArgs, Errors) {
  const struct {
    std::vector<std::string> args;
    std::string fragment;
  } cases[] = {
      {{"lr", "--step", "1"}, "missing RUN_ID argument"},
      {{"lr", "r1"}, "missing required flag --step"},
      {{"lr", "r1", "--step", "-1"}, "--step must be at least 0, got -1"},
      {{"lr", "r1", "--step", "nan"}, "--step must be an integer, got \"nan\""},
      {{"lr", "r1", "--step", "1", "--epoch", "-3"}, "--epoch must be at least 0, got -3"},
      {{"lr", "r1", "--step", "1", "--worker", "w 0"}, "--worker \"w 0\" contains \" \""},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.fragment);
    ExpectInvalid(ParseLearningRateArgs(MustParse(test_case.args)).status(), test_case.fragment);
  }
}

TEST(ParseReportArgs, FullCommand) {
  auto parsed = ParseReportArgs(
      MustParse({"report", "r1", "--step", "3", "--metric", "loss=0.31", "--metric", "acc=0.9"}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->step, 3);
  EXPECT_EQ(parsed->epoch, 0);
  EXPECT_EQ(parsed->metrics.at("loss"), 0.31);
  EXPECT_EQ(parsed->metrics.at("acc"), 0.9);
}

TEST(ParseReportArgs, Errors) {
  const struct {
    std::vector<std::string> args;
    std::string fragment;
  } cases[] = {
      {{"report", "r1", "--step", "1"}, "missing required flag --metric"},
      {{"report", "r1", "--step", "1", "--metric", "loss"},
       "--metric must have the form NAME=VALUE, got \"loss\""},
      {{"report", "r1", "--step", "1", "--metric", "loss=abc"},
       "--metric loss must be a number, got \"abc\""},
      {{"report", "r1", "--step", "1", "--metric", "loss=nan"},
       "--metric loss must be a finite number, got \"nan\""},
      {{"report", "r1", "--step", "1", "--metric", "loss="},
       "--metric loss must be a number, got \"\""},
      {{"report", "r1", "--step", "1", "--metric", "lo ss=1"},
       "--metric name \"lo ss\" contains \" \""},
      {{"report", "r1", "--step", "1", "--metric", "loss=1", "--metric", "loss=2"},
       "--metric loss is given twice"},
      {{"report", "r1", "--metric", "loss=1"}, "missing required flag --step"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.fragment);
    ExpectInvalid(ParseReportArgs(MustParse(test_case.args)).status(), test_case.fragment);
  }
}

TEST(ParsePreviewArgs, FullCommandAndErrors) {
  auto parsed = ParsePreviewArgs(MustParse({"preview", "--spec", "s.json", "--steps", "5"}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->spec_path, "s.json");
  EXPECT_EQ(parsed->steps, 5);

  ExpectInvalid(ParsePreviewArgs(MustParse({"preview", "--spec", "s"})).status(),
                "missing required flag --steps");
  ExpectInvalid(ParsePreviewArgs(MustParse({"preview", "--spec", "s", "--steps", "0"})).status(),
                "--steps must be in [1, 500000], got 0");

  auto formatted = ParsePreviewArgs(MustParse(
      {"preview", "--spec", "-", "--steps", "5", "--format", "table", "--plot", "out.svg"}));
  ASSERT_TRUE(formatted.ok()) << formatted.status();
  EXPECT_EQ(formatted->format, PreviewFormat::kTable);
  EXPECT_EQ(formatted->plot_path, "out.svg");
  EXPECT_EQ(parsed->format, PreviewFormat::kCsv);
  EXPECT_EQ(parsed->plot_path, "");
}

// Returns the arguments of `lrsched runs update r1 --from 5 ... --reason plateau` with
// `action` in place of the dots.
std::vector<std::string> UpdateArgs(const std::vector<std::string>& action) {
  std::vector<std::string> args = {"runs", "update", "r1", "--from", "5"};
  args.insert(args.end(), action.begin(), action.end());
  args.insert(args.end(), {"--reason", "plateau"});
  return args;
}

TEST(ParseUpdateScheduleArgs, ScaleWithOperator) {
  std::vector<std::string> args = UpdateArgs({"--scale", "0.5"});
  args.insert(args.end(), {"--operator", "ana"});
  auto parsed = ParseUpdateScheduleArgs(MustParse(args));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::UpdateScheduleRequest& request = parsed->request;
  EXPECT_EQ(request.run_id(), "r1");
  EXPECT_EQ(request.effective_position(), 5);
  EXPECT_EQ(request.action_case(), v1::UpdateScheduleRequest::kScale);
  EXPECT_EQ(request.scale(), 0.5);
  EXPECT_EQ(request.reason(), "plateau");
  EXPECT_EQ(request.operator_(), "ana");
  EXPECT_EQ(parsed->spec_path, "");
}

TEST(ParseUpdateScheduleArgs, EachAction) {
  auto set = ParseUpdateScheduleArgs(MustParse(UpdateArgs({"--set", "1e-3"})));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->request.action_case(), v1::UpdateScheduleRequest::kSet);
  EXPECT_EQ(set->request.set(), 1e-3);
  EXPECT_EQ(set->request.operator_(), "");

  auto spec = ParseUpdateScheduleArgs(MustParse(UpdateArgs({"--spec", "cosine.json"})));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->spec_path, "cosine.json");
  // The spec is read after parsing, so the request has no action yet.
  EXPECT_EQ(spec->request.action_case(), v1::UpdateScheduleRequest::ACTION_NOT_SET);

  auto finish = ParseUpdateScheduleArgs(MustParse(UpdateArgs({"--finish"})));
  ASSERT_TRUE(finish.ok()) << finish.status();
  EXPECT_EQ(finish->request.action_case(), v1::UpdateScheduleRequest::kFinish);
  EXPECT_TRUE(finish->request.finish());
}

TEST(ParseUpdateScheduleArgs, PositionZeroAndLargest) {
  for (const std::string position : {"0", "9223372036854775807"}) {
    SCOPED_TRACE(position);
    auto parsed = ParseUpdateScheduleArgs(MustParse(
        {"runs", "update", "r1", "--from", position, "--finish", "--reason", "done"}));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(std::to_string(parsed->request.effective_position()), position);
  }
}

TEST(ParseUpdateScheduleArgs, Errors) {
  const std::string huge(100000, 'a');
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"runs", "update", "--from", "5", "--finish", "--reason", "x"}, "missing RUN_ID argument"},
      {{"runs", "update", "r/1", "--from", "5", "--finish", "--reason", "x"},
       "RUN_ID \"r/1\" contains \"/\"; allowed are letters, digits and \"._:-\""},
      {{"runs", "update", huge, "--from", "5", "--finish", "--reason", "x"},
       "RUN_ID is 100000 characters long, at most 128 allowed: \"" + std::string(40, 'a') +
           "...\""},
      {{"runs", "update", "r1", "--finish", "--reason", "x"}, "missing required flag --from"},
      {{"runs", "update", "r1", "--from", "-1", "--finish", "--reason", "x"},
       "--from must be at least 0, got -1"},
      {{"runs", "update", "r1", "--from", "1.5", "--finish", "--reason", "x"},
       "--from must be an integer, got \"1.5\""},
      {{"runs", "update", "r1", "--from", "5", "--reason", "x"},
       "missing action: give exactly one of --scale, --set, --spec or --finish"},
      {UpdateArgs({"--scale", "0.5", "--finish"}),
       "--scale and --finish cannot be combined: give exactly one of --scale, --set, --spec or "
       "--finish"},
      {UpdateArgs({"--set", "0.1", "--spec", "s.json"}),
       "--set and --spec cannot be combined: give exactly one of --scale, --set, --spec or "
       "--finish"},
      {UpdateArgs({"--scale", "0.5", "--set", "0.1", "--finish"}),
       "--scale and --set cannot be combined: give exactly one of --scale, --set, --spec or "
       "--finish"},
      {UpdateArgs({"--scale", "nan"}), "--scale must be a finite number, got \"nan\""},
      {UpdateArgs({"--scale", "inf"}), "--scale must be a finite number, got \"inf\""},
      {UpdateArgs({"--scale", "half"}), "--scale must be a number, got \"half\""},
      {UpdateArgs({"--scale", "0"}), "--scale must be greater than 0, got 0"},
      {UpdateArgs({"--scale", "-0.5"}), "--scale must be greater than 0, got -0.5"},
      {UpdateArgs({"--scale", "1e400"}), "--scale is out of the range of a double, got \"1e400\""},
      {UpdateArgs({"--set", "-1"}), "--set must be greater than 0, got -1"},
      {UpdateArgs({"--set", "NaN"}), "--set must be a finite number, got \"NaN\""},
      {UpdateArgs({"--spec", ""}),
       "--spec must not be empty: give a file path, or - for standard input"},
      {UpdateArgs({"--scale", "0.5", "--scale", "0.4"}),
       "--scale is given 2 times, but may be given only once"},
      {{"runs", "update", "r1", "--from", "5", "--finish"},
       "missing required flag --reason: say why the schedule changes, such as --reason \"loss "
       "plateau\""},
      {{"runs", "update", "r1", "--from", "5", "--finish", "--reason", ""},
       "--reason must not be empty: say why the schedule changes"},
      {{"runs", "update", "r1", "--from", "5", "--finish", "--reason", "x", "--operator", "a b"},
       "--operator \"a b\" contains \" \"; allowed are letters, digits and \"._:-\""},
      {{"runs", "update", "r1", "--from", "5", "--finish", "--reason", "x", "--operator", huge},
       "--operator is 100000 characters long, at most 128 allowed: \"" + std::string(40, 'a') +
           "...\""},
      {{"runs", "update", "r1", "--from", "5", "--finish", "--reason", "x", "--json"},
       "--json is not a flag of 'lrsched runs update'"},
      {{"runs", "update", "r1", "r2", "--from", "5", "--finish", "--reason", "x"},
       "unexpected argument \"r2\": this command takes only RUN_ID"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.message.substr(0, 80));
    ExpectInvalidMessage(ParseUpdateScheduleArgs(MustParse(test_case.args)).status(),
                         test_case.message);
  }
}

TEST(ParseHistoryArgs, TableAndJson) {
  auto table = ParseHistoryArgs(MustParse({"runs", "history", "r1"}));
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->run_id, "r1");
  EXPECT_FALSE(table->json);

  auto json = ParseHistoryArgs(MustParse({"runs", "history", "r1", "--json"}));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_TRUE(json->json);
}

TEST(ParseHistoryArgs, Errors) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"runs", "history"}, "missing RUN_ID argument"},
      {{"runs", "history", "r 1"},
       "RUN_ID \"r 1\" contains \" \"; allowed are letters, digits and \"._:-\""},
      {{"runs", "history", "r1", "--from", "3"}, "--from is not a flag of 'lrsched runs history'"},
      {{"runs", "history", "r1", "r2"},
       "unexpected argument \"r2\": this command takes only RUN_ID"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.message);
    ExpectInvalidMessage(ParseHistoryArgs(MustParse(test_case.args)).status(), test_case.message);
  }
}

TEST(ParseArgs, FinishTakesNoValue) {
  ExpectInvalidMessage(ParseArgs({"runs", "update", "r1", "--finish=yes"}).status(),
                       "--finish takes no value");
}

}  // namespace
}  // namespace lrsched::cli
