// Tests of the `lrsched` output formats: shortest round-trip doubles, CSV, JSON and errors.
#include "client/cli/output.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace lrsched::cli {
namespace {

TEST(FormatDouble, ShortestForm) {
  const struct {
    double value;
    std::string expected;
  } cases[] = {
      {0.1, "0.1"},
      {0.05, "0.05"},
      {0.025, "0.025"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.0, "1"},
      {0.0, "0"},
      {-0.0, "-0"},
      {1e-300, "1e-300"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::denorm_min(), "5e-324"},
      {std::numeric_limits<double>::quiet_NaN(), "nan"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.expected);
    EXPECT_EQ(FormatDouble(test_case.value), test_case.expected);
  }
}

TEST(FormatDouble, ReadsBackExactly) {
  for (const double value : {0.1 / 3, 2.0 / 3, 1e-7 / 7, 123456.789e10, 0.0995}) {
    const std::string text = FormatDouble(value);
    double parsed = 0;
    std::from_chars(text.data(), text.data() + text.size(), parsed);
    EXPECT_EQ(parsed, value) << text;
  }
}

TEST(PreviewToCsv, HeaderNamesTheUnit) {
  EXPECT_EQ(PreviewToCsv(v1::ScheduleSpec::STEP, {0.1, 0.1, 0.05}),
            "step,lr\n0,0.1\n1,0.1\n2,0.05\n");
  EXPECT_EQ(PreviewToCsv(v1::ScheduleSpec::EPOCH, {0.2}), "epoch,lr\n0,0.2\n");
  EXPECT_EQ(PreviewToCsv(v1::ScheduleSpec::STEP, {}), "step,lr\n");
}

TEST(PreviewToJson, UnitAndRates) {
  EXPECT_EQ(PreviewToJson(v1::ScheduleSpec::EPOCH, {0.1, 0.05}),
            "{\"unit\": \"EPOCH\", \"learning_rates\": [0.1, 0.05]}\n");
  EXPECT_EQ(PreviewToJson(v1::ScheduleSpec::STEP, {1e-07}),
            "{\"unit\": \"STEP\", \"learning_rates\": [1e-07]}\n");
}

TEST(PreviewToTable, AlignedColumns) {
  std::vector<double> rates(11, 0.5);
  rates[10] = 0.25;
  const std::string table = PreviewToTable(v1::ScheduleSpec::STEP, rates);
  EXPECT_EQ(table.substr(0, table.find('\n')), "STEP  LR");
  EXPECT_NE(table.find("\n0     0.5\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\n10    0.25\n"), std::string::npos) << table;
  EXPECT_EQ(PreviewToTable(v1::ScheduleSpec::EPOCH, {0.2}), "EPOCH  LR\n0      0.2\n");
}

v1::Run SampleRun(const std::string& run_id) {
  v1::Run run;
  run.set_run_id(run_id);
  run.mutable_spec()->set_base_lr(0.1);
  run.mutable_spec()->set_unit(v1::ScheduleSpec::STEP);
  run.mutable_spec()->mutable_schedule()->mutable_step_lr()->set_step_size(2);
  run.set_num_workers(1);
  run.set_state(v1::Run::ACTIVE);
  (*run.mutable_labels())["team"] = "line1\nline2";
  return run;
}

TEST(RunToJson, ProtoFieldNamesAndDefaults) {
  const std::string json = RunToJson(SampleRun("r1"));
  EXPECT_NE(json.find("\"run_id\": \"r1\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"num_workers\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"step_size\": \"2\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"state\": \"ACTIVE\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"report_count\": \"0\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"line1\\nline2\""), std::string::npos) << json;
  EXPECT_EQ(json.find("numWorkers"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

TEST(RunsToJson, EmptyList) { EXPECT_EQ(RunsToJson({}), "[]\n"); }

TEST(RunsToJson, IndentsRunsInsideArray) {
  const std::string json = RunsToJson({SampleRun("a"), SampleRun("b")});
  EXPECT_EQ(json.substr(0, 5), "[\n {\n") << json;
  EXPECT_NE(json.find("\n  \"run_id\": \"a\",\n"), std::string::npos) << json;
  EXPECT_NE(json.find("\n },\n {\n"), std::string::npos) << json;
  EXPECT_EQ(json.substr(json.size() - 6), "\n }\n]\n") << json;
  // The label's escaped newline stays inside its JSON string.
  EXPECT_NE(json.find("\"line1\\nline2\""), std::string::npos) << json;
}

TEST(LearningRateToJson, IncludesEveryField) {
  v1::GetLearningRateResponse response;
  response.set_learning_rate(0.05);
  response.set_schedule_version(1);
  response.set_unit(v1::ScheduleSpec::STEP);
  response.set_position(3);
  const std::string json = LearningRateToJson(response);
  EXPECT_NE(json.find("\"learning_rate\": 0.05"), std::string::npos) << json;
  EXPECT_NE(json.find("\"unit\": \"STEP\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"position\": \"3\""), std::string::npos) << json;
}

v1::Decision SampleDecision() {
  v1::Decision decision;
  decision.set_sequence(1);
  decision.set_effective_position(3);
  decision.set_scale(0.5);
  decision.set_reason("no improvement");
  decision.set_actor("policy:reduce_lr_on_plateau");
  decision.mutable_time()->set_seconds(1767323045);  // 2026-01-02T03:04:05Z
  decision.mutable_time()->set_nanos(830947000);
  decision.set_boundary(2);
  decision.set_learning_rate(0.05);
  return decision;
}

TEST(DecisionToJson, ProtoFieldNamesAndOnlyTheSetAction) {
  const std::string json = DecisionToJson(SampleDecision());
  EXPECT_NE(json.find("\"sequence\": \"1\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"effective_position\": \"3\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"scale\": 0.5"), std::string::npos) << json;
  EXPECT_NE(json.find("\"learning_rate\": 0.05"), std::string::npos) << json;
  EXPECT_NE(json.find("\"actor\": \"policy:reduce_lr_on_plateau\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"time\": \"2026-01-02T03:04:05.830947Z\""), std::string::npos) << json;
  EXPECT_EQ(json.find("effectivePosition"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"set\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"finish\""), std::string::npos) << json;
  EXPECT_EQ(json.find("switch_schedule"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

TEST(DecisionsToJson, EmptyAndTwo) {
  EXPECT_EQ(DecisionsToJson({}), "[]\n");

  v1::Decision second = SampleDecision();
  second.set_sequence(2);
  const std::string json = DecisionsToJson({SampleDecision(), second});
  EXPECT_EQ(json.substr(0, 5), "[\n {\n") << json;
  EXPECT_NE(json.find("\n  \"sequence\": \"1\",\n"), std::string::npos) << json;
  EXPECT_NE(json.find("\n },\n {\n  \"sequence\": \"2\",\n"), std::string::npos) << json;
  EXPECT_EQ(json.substr(json.size() - 6), "\n }\n]\n") << json;
}

TEST(DescribeAction, EachAction) {
  v1::Decision decision;
  EXPECT_EQ(DescribeAction(decision), "none");
  decision.set_scale(0.1);
  EXPECT_EQ(DescribeAction(decision), "scale 0.1");
  decision.set_set(0.001);
  EXPECT_EQ(DescribeAction(decision), "set 0.001");
  decision.mutable_switch_schedule()->mutable_schedule()->mutable_cosine_annealing_lr();
  EXPECT_EQ(DescribeAction(decision), "switch to cosine_annealing_lr");
  decision.mutable_switch_schedule()->clear_schedule();
  EXPECT_EQ(DescribeAction(decision), "switch to none");
  decision.set_finish(true);
  EXPECT_EQ(DescribeAction(decision), "finish");
}

TEST(DecisionsToTable, Empty) { EXPECT_EQ(DecisionsToTable({}), "no decisions\n"); }

TEST(DecisionsToTable, AlignsColumns) {
  v1::Decision by_operator;
  by_operator.set_sequence(2);
  by_operator.set_effective_position(12);
  by_operator.set_set(0.001);
  by_operator.set_reason("hold while the data loader is fixed");
  by_operator.set_actor("operator:ana");
  by_operator.mutable_time()->set_seconds(1767326645);  // 2026-01-02T04:04:05Z
  by_operator.set_boundary(-1);
  by_operator.set_learning_rate(0.001);

  v1::Decision finish;
  finish.set_sequence(3);
  finish.set_effective_position(100);
  finish.set_finish(true);
  finish.set_reason("done");
  finish.set_actor("operator:operator");
  finish.mutable_time()->set_seconds(1767330245);  // 2026-01-02T05:04:05Z
  finish.set_boundary(-1);

  EXPECT_EQ(DecisionsToTable({SampleDecision(), by_operator, finish}),
            "SEQ  FROM  ACTION     RATE   ACTOR                        TIME                  "
            "REASON\n"
            "1    3     scale 0.5  0.05   policy:reduce_lr_on_plateau  2026-01-02T03:04:05Z  "
            "no improvement\n"
            "2    12    set 0.001  0.001  operator:ana                 2026-01-02T04:04:05Z  "
            "hold while the data loader is fixed\n"
            "3    100   finish     -      operator:operator            2026-01-02T05:04:05Z  "
            "done\n");
}

TEST(DecisionsToTable, EscapesControlCharactersInReason) {
  v1::Decision decision = SampleDecision();
  decision.set_reason("line one\nline two\t\x1b[31mred\x1b[0m, caf\xc3\xa9");
  const std::string table = DecisionsToTable({decision});
  EXPECT_NE(table.find("  line one\\nline two\\t\\x1b[31mred\\x1b[0m, caf\xc3\xa9\n"),
            std::string::npos)
      << table;
  // One header line and one line for the decision.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2) << table;
}

TEST(FormatServerError, CodeNameAndMessage) {
  EXPECT_EQ(FormatServerError(absl::NotFoundError("run \"x\" not found")),
            "error: NOT_FOUND: run \"x\" not found");
  EXPECT_EQ(FormatServerError(absl::InvalidArgumentError("spec.base_lr must be positive")),
            "error: INVALID_ARGUMENT: spec.base_lr must be positive");
}

}  // namespace
}  // namespace lrsched::cli
