// Tests of the whole `lrsched` command through RunCli: help, usage errors with their exit
// status, spec input, and each command against the in-process fake server.
#include "client/cli/cli.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/client/fake_scheduler.h"
#include "tests/client/svg_parsing.h"

namespace lrsched::cli {
namespace {

using ::lrsched::testing::CountOccurrences;
using ::lrsched::testing::ElementsWithClass;
using ::lrsched::testing::FakeSchedulerServer;
using ::lrsched::testing::PolylinePoints;
using ::lrsched::testing::UnusedLoopbackAddress;

constexpr char kStepSpec[] =
    R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"step_lr": {"step_size": 2}}})";

// The outcome of one RunCli call.
struct CliResult {
  int exit_status;
  std::string out;
  std::string err;
};

CliResult RunLrsched(const std::vector<std::string>& args, const std::string& stdin_text = "",
                     const std::optional<std::string>& server_from_env = std::nullopt) {
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  Io io{in, out, err};
  const int exit_status = RunCli(args, server_from_env, io);
  return {exit_status, out.str(), err.str()};
}

bool Contains(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

std::string WriteTempFile(const std::string& name, const std::string& contents) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << contents;
  return path;
}

TEST(CliHelp, ListsEveryCommand) {
  for (const auto& args : {std::vector<std::string>{"help"}, std::vector<std::string>{"--help"},
                           std::vector<std::string>{"-h"}}) {
    const CliResult result = RunLrsched(args);
    EXPECT_EQ(result.exit_status, kExitSuccess);
    EXPECT_EQ(result.err, "");
    for (const char* command :
         {"runs create", "runs get", "runs list", "runs delete", "runs update", "runs history",
          "lr", "report", "preview", "health", "--policy", "--server", "--timeout"}) {
      EXPECT_TRUE(Contains(result.out, command)) << command;
    }
  }
}

TEST(CliHelp, OneCommand) {
  for (const auto& args :
       {std::vector<std::string>{"help", "report"}, std::vector<std::string>{"report", "--help"}}) {
    const CliResult result = RunLrsched(args);
    EXPECT_EQ(result.exit_status, kExitSuccess);
    EXPECT_TRUE(Contains(result.out, "usage: lrsched report RUN_ID --step STEP")) << result.out;
    EXPECT_FALSE(Contains(result.out, "runs create")) << result.out;
  }
}

TEST(CliHelp, UpdateAndHistory) {
  const CliResult update = RunLrsched({"help", "runs", "update"});
  EXPECT_EQ(update.exit_status, kExitSuccess);
  EXPECT_EQ(update.out.substr(0, update.out.find('\n')),
            "usage: lrsched runs update RUN_ID --from POSITION (--scale F | --set RATE | "
            "--spec FILE|- | --finish) --reason TEXT [--operator NAME]");

  const CliResult history = RunLrsched({"runs", "history", "--help"});
  EXPECT_EQ(history.exit_status, kExitSuccess);
  EXPECT_EQ(history.out.substr(0, history.out.find('\n')),
            "usage: lrsched runs history RUN_ID [--json]");
}

TEST(CliUsageErrors, ExitTwoWithMessageAndUsage) {
  const struct {
    std::vector<std::string> args;
    std::string message;
    std::string usage;
  } cases[] = {
      {{}, "error: missing command", "usage: lrsched [--server"},
      {{"bogus"}, "error: unknown command \"bogus\"", "usage: lrsched [--server"},
      {{"runs"}, "error: missing runs subcommand", "usage: lrsched [--server"},
      {{"runs", "rename"}, "error: unknown runs subcommand \"rename\"", "usage: lrsched [--"},
      {{"help", "bogus"}, "error: unknown command \"bogus\"", "usage: lrsched [--server"},
      {{"runs", "create", "--spec", "s.json"},
       "error: missing required flag --id",
       "usage: lrsched runs create --id RUN_ID"},
      {{"lr", "r1", "--step", "-1"},
       "error: --step must be at least 0, got -1",
       "usage: lrsched lr RUN_ID"},
      {{"report", "r1", "--step", "1", "--metric", "loss"},
       "error: --metric must have the form NAME=VALUE, got \"loss\"",
       "usage: lrsched report RUN_ID"},
      {{"report", "r1", "--step", "1", "--metric", "loss=nan"},
       "error: --metric loss must be a finite number, got \"nan\"",
       "usage: lrsched report RUN_ID"},
      {{"preview", "--spec", "s", "--steps", "ten"},
       "error: --steps must be an integer",
       "usage: lrsched preview --spec"},
      {{"preview", "--spec", "s", "--steps", "500001"},
       "error: --steps must be in [1, 500000], got 500001",
       "usage: lrsched preview --spec"},
      {{"preview", "--spec", "s", "--steps", "3", "--format", "xml"},
       "error: --format must be csv, json or table, got \"xml\"",
       "usage: lrsched preview --spec"},
      {{"preview", "--spec", "s", "--steps", "3", "--plot", ""},
       "error: --plot must not be empty",
       "usage: lrsched preview --spec"},
      {{"health", "--timeout", "soon"},
       "error: --timeout must be a number, got \"soon\"",
       "usage: lrsched health"},
      {{"health", "--frobnicate"},
       "error: unknown flag \"--frobnicate\"",
       "usage: lrsched [--server"},
      {{"runs", "create", "--id", "r1", "--spec", "-", "--policy", "-"},
       "error: --spec and --policy cannot both read standard input (-)",
       "usage: lrsched runs create --id RUN_ID"},
      {{"runs", "update", "r1", "--from", "3", "--scale", "0.5"},
       "error: missing required flag --reason",
       "usage: lrsched runs update RUN_ID --from POSITION"},
      {{"runs", "update", "r1", "--from", "3", "--scale", "0.5", "--set", "0.1", "--reason", "x"},
       "error: --scale and --set cannot be combined",
       "usage: lrsched runs update RUN_ID"},
      {{"runs", "update", "r1", "--from", "3", "--scale", "NaN", "--reason", "x"},
       "error: --scale must be a finite number, got \"NaN\"",
       "usage: lrsched runs update RUN_ID"},
      {{"runs", "update", "r1", "--from", "-3", "--finish", "--reason", "x"},
       "error: --from must be at least 0, got -3",
       "usage: lrsched runs update RUN_ID"},
      {{"runs", "history"}, "error: missing RUN_ID argument", "usage: lrsched runs history"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.message);
    const CliResult result = RunLrsched(test_case.args);
    EXPECT_EQ(result.exit_status, kExitUsageError);
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(Contains(result.err, test_case.message)) << result.err;
    EXPECT_TRUE(Contains(result.err, test_case.usage)) << result.err;
  }
}

TEST(CliSpecInput, MissingFileNamesPath) {
  const CliResult result =
      RunLrsched({"preview", "--spec", "/nonexistent/spec.json", "--steps", "3"});
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_EQ(result.err,
            "error: cannot open spec file \"/nonexistent/spec.json\": No such file or "
            "directory\n");
}

TEST(CliSpecInput, DirectoryIsRejected) {
  const CliResult result = RunLrsched({"preview", "--spec", "/", "--steps", "3"});
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(result.err, "spec file \"/\"")) << result.err;
}

TEST(CliSpecInput, MalformedJsonNamesSource) {
  const std::string path = WriteTempFile("malformed_spec.json", "{\"base_lr\": ");
  const CliResult from_file = RunLrsched({"preview", "--spec", path, "--steps", "3"});
  EXPECT_EQ(from_file.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(from_file.err, "error: spec file \"" + path +
                                          "\": invalid schedule "
                                          "spec JSON"))
      << from_file.err;

  const CliResult from_stdin = RunLrsched({"preview", "--spec", "-", "--steps", "3"}, "");
  EXPECT_EQ(from_stdin.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(from_stdin.err, "error: spec from standard input: invalid schedule"))
      << from_stdin.err;
}

TEST(CliSpecInput, UnknownFieldIsNamed) {
  const CliResult result =
      RunLrsched({"preview", "--spec", "-", "--steps", "3"}, R"({"base_lr": 0.1, "bogus": 1})");
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(result.err, "bogus")) << result.err;
}

TEST(CliSpecInput, HugeInputIsRejected) {
  const std::string huge(5 << 20, ' ');
  const CliResult result = RunLrsched({"preview", "--spec", "-", "--steps", "3"}, huge);
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(result.err, "larger than the limit of 4194304 bytes")) << result.err;
}

TEST(CliPolicyInput, MissingFileNamesPath) {
  const CliResult result = RunLrsched({"runs", "create", "--id", "r1", "--spec", "-", "--policy",
                                       "/nonexistent/policy.json"},
                                      kStepSpec);
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "error: cannot open policy file \"/nonexistent/policy.json\": No such file or "
            "directory\n");
}

TEST(CliPolicyInput, UnknownFieldNamesSourceAndField) {
  const std::string spec_path = WriteTempFile("policy_test_spec.json", kStepSpec);
  const CliResult result =
      RunLrsched({"runs", "create", "--id", "r1", "--spec", spec_path, "--policy", "-"},
                 R"({"monitor": "loss", "reduce_lr_on_plateau": {"factr": 0.5}})");
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_TRUE(Contains(result.err, "error: policy from standard input: invalid policy JSON: "))
      << result.err;
  EXPECT_TRUE(Contains(result.err, "factr")) << result.err;
}

TEST(CliPolicyInput, HugeInputIsRejected) {
  const std::string spec_path = WriteTempFile("policy_test_spec.json", kStepSpec);
  const CliResult result =
      RunLrsched({"runs", "create", "--id", "r1", "--spec", spec_path, "--policy", "-"},
                 std::string(5 << 20, ' '));
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_EQ(result.err,
            "error: policy from standard input is larger than the limit of 4194304 bytes\n");
}

TEST(CliUpdateInput, MissingSpecFileNamesPath) {
  const CliResult result = RunLrsched({"runs", "update", "r1", "--from", "3", "--spec",
                                       "/nonexistent/cosine.json", "--reason", "switch"});
  EXPECT_EQ(result.exit_status, kExitUsageError);
  EXPECT_EQ(result.err,
            "error: cannot open spec file \"/nonexistent/cosine.json\": No such file or "
            "directory\n");
}

TEST(CliNoServer, FailsAfterTimeoutNamingAddress) {
  const std::string address = UnusedLoopbackAddress();
  const CliResult result = RunLrsched({"health", "--server", address, "--timeout", "0.3"});
  EXPECT_EQ(result.exit_status, kExitServerError);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(Contains(result.err, "error: UNAVAILABLE: server " + address)) << result.err;
  EXPECT_TRUE(Contains(result.err, "hint: check that lrsched-server is running at " + address))
      << result.err;
}

TEST(CliNoServer, EnvironmentChoosesServer) {
  const std::string address = UnusedLoopbackAddress();
  const CliResult result = RunLrsched({"health", "--timeout", "0"}, "", address);
  EXPECT_EQ(result.exit_status, kExitServerError);
  EXPECT_TRUE(Contains(result.err, "server " + address)) << result.err;
}

class CliWithServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = FakeSchedulerServer::Start();
    ASSERT_NE(server_, nullptr);
  }

  // Runs lrsched with --server pointing at the fake and a short retry budget.
  CliResult Run(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.end(), {"--server", server_->address(), "--timeout", "2"});
    return RunLrsched(args, stdin_text);
  }

  std::unique_ptr<FakeSchedulerServer> server_;
};

TEST_F(CliWithServerTest, CreateGetListDelete) {
  const CliResult created = Run(
      {"runs", "create", "--id", "r1", "--spec", "-", "--workers", "2", "--label", "team=vision"},
      kStepSpec);
  ASSERT_EQ(created.exit_status, kExitSuccess) << created.err;
  EXPECT_TRUE(Contains(created.out, "\"run_id\": \"r1\"")) << created.out;
  EXPECT_TRUE(Contains(created.out, "\"num_workers\": 2")) << created.out;
  EXPECT_TRUE(Contains(created.out, "\"team\": \"vision\"")) << created.out;

  const CliResult fetched = Run({"runs", "get", "r1"});
  ASSERT_EQ(fetched.exit_status, kExitSuccess) << fetched.err;
  EXPECT_EQ(fetched.out, created.out);

  const CliResult deleted = Run({"runs", "delete", "r1"});
  ASSERT_EQ(deleted.exit_status, kExitSuccess) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted run r1\n");

  const CliResult missing = Run({"runs", "get", "r1"});
  EXPECT_EQ(missing.exit_status, kExitServerError);
  EXPECT_EQ(missing.err, "error: NOT_FOUND: run \"r1\" not found\n");
}

TEST_F(CliWithServerTest, ListFollowsEveryPage) {
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    ASSERT_EQ(Run({"runs", "create", "--id", id, "--spec", "-"}, kStepSpec).exit_status,
              kExitSuccess);
  }
  const CliResult listed = Run({"runs", "list", "--page_size", "2"});
  ASSERT_EQ(listed.exit_status, kExitSuccess) << listed.err;
  size_t position = 0;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    position = listed.out.find(std::string("\"run_id\": \"") + id + "\"", position);
    EXPECT_NE(position, std::string::npos) << id << " missing or out of order:\n" << listed.out;
  }
  EXPECT_GE(server_->service().calls(), 5 + 3);
}

TEST_F(CliWithServerTest, ListEmpty) {
  const CliResult listed = Run({"runs", "list"});
  ASSERT_EQ(listed.exit_status, kExitSuccess) << listed.err;
  EXPECT_EQ(listed.out, "[]\n");
}

TEST_F(CliWithServerTest, LearningRatePlainAndJson) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  const CliResult plain = Run({"lr", "r1", "--step", "4", "--worker", "w0"});
  ASSERT_EQ(plain.exit_status, kExitSuccess) << plain.err;
  EXPECT_EQ(plain.out, "0.05\n");

  const CliResult json = Run({"lr", "r1", "--step", "4", "--json"});
  ASSERT_EQ(json.exit_status, kExitSuccess) << json.err;
  EXPECT_TRUE(Contains(json.out, "\"position\": \"4\"")) << json.out;
}

TEST_F(CliWithServerTest, ReportPrintsCount) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  const CliResult first = Run({"report", "r1", "--step", "1", "--metric", "loss=0.31"});
  ASSERT_EQ(first.exit_status, kExitSuccess) << first.err;
  EXPECT_EQ(first.out, "report stored, run r1 has 1 report\n");

  const CliResult unknown = Run({"report", "nope", "--step", "1", "--metric", "loss=1"});
  EXPECT_EQ(unknown.exit_status, kExitServerError);
  EXPECT_EQ(unknown.err, "error: NOT_FOUND: run \"nope\" not found\n");
}

TEST_F(CliWithServerTest, PreviewPrintsCsvFromFile) {
  const std::string path = WriteTempFile("step_spec.json", kStepSpec);
  const CliResult preview = Run({"preview", "--spec", path, "--steps", "3"});
  ASSERT_EQ(preview.exit_status, kExitSuccess) << preview.err;
  // The fake returns 0.1 / (i + 1).
  EXPECT_EQ(preview.out, "step,lr\n0,0.1\n1,0.05\n2,0.03333333333333333\n");
}

TEST_F(CliWithServerTest, PreviewJsonAndTable) {
  const CliResult json = Run({"preview", "--spec", "-", "--steps", "2", "--format", "json"},
                             kStepSpec);
  ASSERT_EQ(json.exit_status, kExitSuccess) << json.err;
  EXPECT_EQ(json.out, "{\"unit\": \"STEP\", \"learning_rates\": [0.1, 0.05]}\n");

  const CliResult table = Run({"preview", "--spec", "-", "--steps", "2", "--format=table"},
                              kStepSpec);
  ASSERT_EQ(table.exit_status, kExitSuccess) << table.err;
  EXPECT_EQ(table.out, "STEP  LR\n0     0.1\n1     0.05\n");
}

TEST_F(CliWithServerTest, PreviewPlotWritesSvg) {
  const std::string plot_path = ::testing::TempDir() + "preview_plot_test.svg";
  std::remove(plot_path.c_str());
  const CliResult preview =
      Run({"preview", "--spec", "-", "--steps", "7", "--plot", plot_path}, kStepSpec);
  ASSERT_EQ(preview.exit_status, kExitSuccess) << preview.err;
  EXPECT_TRUE(Contains(preview.out, "step,lr\n0,0.1\n")) << preview.out;

  std::ifstream file(plot_path);
  ASSERT_TRUE(file.good()) << plot_path;
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string svg = contents.str();
  EXPECT_EQ(CountOccurrences(svg, "<svg "), 1);
  EXPECT_EQ(CountOccurrences(svg, "</svg>"), 1);
  EXPECT_EQ(CountOccurrences(svg, "<polyline"), 1);
  EXPECT_EQ(PolylinePoints(svg).size(), 7u);
  EXPECT_EQ(ElementsWithClass(svg, "x-tick"),
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(ElementsWithClass(svg, "y-tick").back(), "0.1");
  EXPECT_EQ(ElementsWithClass(svg, "title"), (std::vector<std::string>{"step_lr, base_lr 0.1"}));
  EXPECT_EQ(ElementsWithClass(svg, "axis-title"),
            (std::vector<std::string>{"learning rate", "step"}));
}

TEST_F(CliWithServerTest, PreviewPlotUnwritablePathNamed) {
  const CliResult preview = Run(
      {"preview", "--spec", "-", "--steps", "3", "--plot", "/nonexistent/plot.svg"}, kStepSpec);
  EXPECT_EQ(preview.exit_status, kExitUsageError);
  EXPECT_EQ(preview.out, "");
  EXPECT_EQ(preview.err,
            "error: cannot write the plot to \"/nonexistent/plot.svg\": No such file or "
            "directory\n");
}

TEST_F(CliWithServerTest, HealthServingAndNot) {
  const CliResult serving = Run({"health"});
  EXPECT_EQ(serving.exit_status, kExitSuccess) << serving.err;
  EXPECT_EQ(serving.out, "SERVING\n");

  server_->SetServing(false);
  const CliResult not_serving = Run({"health"});
  EXPECT_EQ(not_serving.exit_status, kExitServerError);
  EXPECT_TRUE(Contains(not_serving.err, "error: UNAVAILABLE: server " + server_->address() +
                                            " reports health status NOT_SERVING"))
      << not_serving.err;
}

TEST_F(CliWithServerTest, ReportRepeatedIsAlreadyStored) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  ASSERT_EQ(Run({"report", "r1", "--step", "1", "--metric", "loss=0.31"}).exit_status,
            kExitSuccess);
  const CliResult repeated = Run({"report", "r1", "--step", "1", "--metric", "loss=0.31"});
  ASSERT_EQ(repeated.exit_status, kExitSuccess) << repeated.err;
  EXPECT_EQ(repeated.out, "report already stored, run r1 has 1 report\n");
}

constexpr char kPlateauPolicy[] =
    R"({"monitor": "test_loss", "reduce_lr_on_plateau": {"factor": 0.5, "patience": 1}})";

TEST_F(CliWithServerTest, CreateWithPolicyFromFileAndStdin) {
  const std::string policy_path = WriteTempFile("plateau_policy.json", kPlateauPolicy);
  const CliResult from_file =
      Run({"runs", "create", "--id", "r1", "--spec", "-", "--policy", policy_path}, kStepSpec);
  ASSERT_EQ(from_file.exit_status, kExitSuccess) << from_file.err;
  EXPECT_TRUE(Contains(from_file.out, "\"monitor\": \"test_loss\"")) << from_file.out;
  EXPECT_TRUE(Contains(from_file.out, "\"factor\": 0.5")) << from_file.out;
  EXPECT_TRUE(Contains(from_file.out, "\"patience\": 1")) << from_file.out;

  const std::string spec_path = WriteTempFile("plateau_spec.json", kStepSpec);
  const CliResult from_stdin =
      Run({"runs", "create", "--id", "r2", "--spec", spec_path, "--policy", "-"}, kPlateauPolicy);
  ASSERT_EQ(from_stdin.exit_status, kExitSuccess) << from_stdin.err;
  EXPECT_TRUE(Contains(from_stdin.out, "\"monitor\": \"test_loss\"")) << from_stdin.out;

  const CliResult without = Run({"runs", "create", "--id", "r3", "--spec", "-"}, kStepSpec);
  ASSERT_EQ(without.exit_status, kExitSuccess) << without.err;
  EXPECT_FALSE(Contains(without.out, "\"monitor\"")) << without.out;
}

TEST_F(CliWithServerTest, UpdatePrintsStoredDecision) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  const CliResult updated = Run({"runs", "update", "r1", "--from", "10", "--scale", "0.5",
                                 "--reason", "loss plateau", "--operator", "ana"});
  ASSERT_EQ(updated.exit_status, kExitSuccess) << updated.err;
  EXPECT_EQ(updated.err, "");
  EXPECT_EQ(updated.out,
            "{\n"
            " \"sequence\": \"1\",\n"
            " \"effective_position\": \"10\",\n"
            " \"reason\": \"loss plateau\",\n"
            " \"actor\": \"operator:ana\",\n"
            " \"boundary\": \"-1\",\n"
            " \"learning_rate\": 0.025,\n"
            " \"source_run_id\": \"\",\n"
            " \"scale\": 0.5,\n"
            " \"time\": \"2026-01-02T03:04:05Z\"\n"
            "}\n");
}

TEST_F(CliWithServerTest, UpdateSwitchReadsSpecFromStdin) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  const std::string cosine_spec =
      R"({"base_lr": 0.02, "unit": "STEP", "schedule": {"cosine_annealing_lr": {"T_max": 8}}})";
  const CliResult updated = Run(
      {"runs", "update", "r1", "--from", "4", "--spec", "-", "--reason", "switch"}, cosine_spec);
  ASSERT_EQ(updated.exit_status, kExitSuccess) << updated.err;
  EXPECT_TRUE(Contains(updated.out, "\"switch_schedule\": {")) << updated.out;
  EXPECT_TRUE(Contains(updated.out, "\"t_max\": \"8\"")) << updated.out;

  const CliResult history = Run({"runs", "history", "r1"});
  ASSERT_EQ(history.exit_status, kExitSuccess) << history.err;
  EXPECT_TRUE(Contains(history.out, "  switch to cosine_annealing_lr  0.02  ")) << history.out;
}

TEST_F(CliWithServerTest, UpdateErrorsFromServer) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  ASSERT_EQ(Run({"report", "r1", "--step", "5", "--metric", "loss=1"}).exit_status, kExitSuccess);

  const CliResult past =
      Run({"runs", "update", "r1", "--from", "5", "--scale", "0.5", "--reason", "late"});
  EXPECT_EQ(past.exit_status, kExitServerError);
  EXPECT_EQ(past.out, "");
  EXPECT_EQ(past.err, "error: FAILED_PRECONDITION: effective_position 5 is in the past\n");

  const CliResult unknown =
      Run({"runs", "update", "nope", "--from", "5", "--scale", "0.5", "--reason", "x"});
  EXPECT_EQ(unknown.exit_status, kExitServerError);
  EXPECT_EQ(unknown.err, "error: NOT_FOUND: run \"nope\" not found\n");
}

TEST_F(CliWithServerTest, HistoryTableJsonAndEmpty) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  const CliResult empty = Run({"runs", "history", "r1"});
  ASSERT_EQ(empty.exit_status, kExitSuccess) << empty.err;
  EXPECT_EQ(empty.out, "no decisions\n");
  const CliResult empty_json = Run({"runs", "history", "r1", "--json"});
  ASSERT_EQ(empty_json.exit_status, kExitSuccess) << empty_json.err;
  EXPECT_EQ(empty_json.out, "[]\n");

  ASSERT_EQ(Run({"runs", "update", "r1", "--from", "10", "--scale", "0.5", "--reason",
                 "loss plateau", "--operator", "ana"})
                .exit_status,
            kExitSuccess);
  ASSERT_EQ(
      Run({"runs", "update", "r1", "--from", "200", "--finish", "--reason", "budget spent"})
          .exit_status,
      kExitSuccess);

  const CliResult table = Run({"runs", "history", "r1"});
  ASSERT_EQ(table.exit_status, kExitSuccess) << table.err;
  EXPECT_EQ(table.out,
            "SEQ  FROM  ACTION     RATE   ACTOR              TIME                  REASON\n"
            "1    10    scale 0.5  0.025  operator:ana       2026-01-02T03:04:05Z  loss plateau\n"
            "2    200   finish     -      operator:operator  2026-01-02T03:04:05Z  budget spent\n");

  const CliResult json = Run({"runs", "history", "r1", "--json"});
  ASSERT_EQ(json.exit_status, kExitSuccess) << json.err;
  EXPECT_EQ(json.out.substr(0, 5), "[\n {\n") << json.out;
  EXPECT_TRUE(Contains(json.out, "  \"scale\": 0.5,\n")) << json.out;
  EXPECT_TRUE(Contains(json.out, "  \"finish\": true,\n")) << json.out;

  const CliResult unknown = Run({"runs", "history", "nope"});
  EXPECT_EQ(unknown.exit_status, kExitServerError);
  EXPECT_EQ(unknown.err, "error: NOT_FOUND: run \"nope\" not found\n");
}

// Returns the number of lines of `text` after the header line of the history table.
int CountHistoryRows(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;
}

TEST_F(CliWithServerTest, UpdateWithLostReplyIsRecordedOnce) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  server_->service().LoseNextUpdateReplies(1);
  const CliResult updated =
      Run({"runs", "update", "r1", "--from", "10", "--scale", "0.5", "--reason", "plateau"});
  ASSERT_EQ(updated.exit_status, kExitSuccess) << updated.err;
  EXPECT_TRUE(Contains(updated.out, "\"sequence\": \"1\"")) << updated.out;
  EXPECT_TRUE(Contains(updated.err, "UpdateSchedule on " + server_->address() +
                                        " failed with UNAVAILABLE (attempt 1)"))
      << updated.err;
  EXPECT_TRUE(Contains(updated.err, "the server stored the decision before its reply was lost"))
      << updated.err;

  const CliResult history = Run({"runs", "history", "r1"});
  ASSERT_EQ(history.exit_status, kExitSuccess) << history.err;
  EXPECT_EQ(CountHistoryRows(history.out), 1) << history.out;
}

TEST_F(CliWithServerTest, UpdateRetriesWhenNothingWasStored) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  for (const grpc::StatusCode code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::ABORTED}) {
    SCOPED_TRACE(code);
    server_->service().FailNextUpdates(2, code);
    const CliResult updated =
        Run({"runs", "update", "r1", "--from", "10", "--set", "0.01", "--reason", "hold"});
    ASSERT_EQ(updated.exit_status, kExitSuccess) << updated.err;
    EXPECT_TRUE(Contains(updated.err, "(attempt 2)")) << updated.err;
    EXPECT_FALSE(Contains(updated.err, "(attempt 3)")) << updated.err;
  }

  // One decision per command, each recorded once.
  const CliResult history = Run({"runs", "history", "r1"});
  ASSERT_EQ(history.exit_status, kExitSuccess) << history.err;
  EXPECT_EQ(CountHistoryRows(history.out), 2) << history.out;
}

TEST_F(CliWithServerTest, UpdateGivesUpAfterTimeout) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  server_->service().FailNextUpdates(1000, grpc::StatusCode::ABORTED);
  const CliResult updated =
      RunLrsched({"runs", "update", "r1", "--from", "10", "--finish", "--reason", "stop",
                  "--server", server_->address(), "--timeout", "0.5"});
  EXPECT_EQ(updated.exit_status, kExitServerError);
  EXPECT_TRUE(Contains(updated.err, "error: ABORTED: UpdateSchedule failed ")) << updated.err;
  EXPECT_TRUE(Contains(updated.err, "; last error: fake update failure\n")) << updated.err;
}

TEST_F(CliWithServerTest, UpdateNotRetriedOnOtherErrors) {
  ASSERT_EQ(Run({"runs", "create", "--id", "r1", "--spec", "-"}, kStepSpec).exit_status,
            kExitSuccess);
  server_->service().FailNextUpdates(1, grpc::StatusCode::INVALID_ARGUMENT);
  const CliResult updated =
      Run({"runs", "update", "r1", "--from", "10", "--scale", "2", "--reason", "warm"});
  EXPECT_EQ(updated.exit_status, kExitServerError);
  EXPECT_EQ(updated.err, "error: INVALID_ARGUMENT: fake update failure\n");
}

}  // namespace
}  // namespace lrsched::cli
