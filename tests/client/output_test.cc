// Tests of the `lrsched` output formats: shortest round-trip doubles, CSV, JSON and errors.
#include "client/cli/output.h"

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

TEST(FormatServerError, CodeNameAndMessage) {
  EXPECT_EQ(FormatServerError(absl::NotFoundError("run \"x\" not found")),
            "error: NOT_FOUND: run \"x\" not found");
  EXPECT_EQ(FormatServerError(absl::InvalidArgumentError("spec.base_lr must be positive")),
            "error: INVALID_ARGUMENT: spec.base_lr must be positive");
}

}  // namespace
}  // namespace lrsched::cli
