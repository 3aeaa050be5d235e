// Every golden case of a supported family, evaluated through the spec parser and builder and
// compared with the rates PyTorch and Keras produced.
#include <string>
#include <vector>

#include "core/schedule_builder.h"
#include "core/spec_json.h"
#include "gtest/gtest.h"
#include "tests/core/golden_cases.h"

namespace lrsched {
namespace {

using testing::GoldenCase;

class GoldenScheduleTest : public ::testing::TestWithParam<std::string> {};

void ExpectMatchesGolden(const GoldenCase& golden, const std::string& spec_json) {
  SCOPED_TRACE(golden.id + " " + spec_json);
  const auto spec = ParseSpecJson(spec_json);
  ASSERT_TRUE(spec.ok()) << spec.status();
  const auto schedule = BuildSchedule(*spec);
  ASSERT_TRUE(schedule.ok()) << schedule.status();

  for (size_t i = 0; i < golden.lr.size(); ++i) {
    const double actual = (*schedule)->LearningRate(golden.positions[i]);
    EXPECT_TRUE(testing::WithinTolerance(golden, golden.lr[i], actual))
        << "position " << golden.positions[i] << ": expected " << golden.lr[i] << ", got "
        << actual;
  }
}

TEST_P(GoldenScheduleTest, MatchesFrameworkRates) {
  int checked = 0;
  std::vector<std::string> unsupported;
  for (const GoldenCase& golden : testing::LoadGoldenCases(GetParam())) {
    const auto spec_json = testing::SpecJsonFor(golden);
    if (!spec_json) {
      unsupported.push_back(golden.id);
      continue;
    }
    ExpectMatchesGolden(golden, *spec_json);
    ++checked;
  }

  std::string skipped;
  for (const auto& id : unsupported) skipped += " " + id;
  std::cout << GetParam() << ": " << checked << " cases checked; not supported yet:"
            << (skipped.empty() ? " none" : skipped) << "\n";
  EXPECT_GT(checked, 0) << "no case of " << GetParam() << " ran";
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenScheduleTest,
                         ::testing::Values("torch/step_lr.json", "torch/multistep_lr.json",
                                           "torch/cosine_annealing_lr.json",
                                           "torch/sequential_lr.json",
                                           "keras/exponential_decay.json",
                                           "keras/cosine_decay.json",
                                           "keras/keras_tests_schedules.json"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace lrsched
