// The inputs that PyTorch and Keras reject (the golden errors files): lrsched rejects those the
// frameworks' constructors reject, with INVALID_ARGUMENT, and handles the two that fail later,
// at a step() call, as documented.
#include <set>
#include <string>

#include "core/schedule_builder.h"
#include "core/spec_json.h"
#include "gtest/gtest.h"
#include "tests/core/build_from_json.h"
#include "tests/core/golden_cases.h"

namespace lrsched {
namespace {

using testing::GoldenCase;

// Cases that are not constructor errors, each checked by its own test below, and the plateau
// case, which belongs to the adaptive policy.
const std::set<std::string>& CasesCheckedElsewhere() {
  static const auto* ids = new std::set<std::string>{"err_linearlr_start0", "err_onecycle_overrun",
                                                     "kerr_plateau_factor"};
  return *ids;
}

std::vector<GoldenCase> AllErrorCases() {
  std::vector<GoldenCase> cases = testing::LoadGoldenCases("torch/errors.json");
  for (GoldenCase& golden : testing::LoadGoldenCases("keras/errors.json")) {
    cases.push_back(std::move(golden));
  }
  return cases;
}

const GoldenCase* FindCase(const std::vector<GoldenCase>& cases, const std::string& id) {
  for (const GoldenCase& golden : cases) {
    if (golden.id == id) return &golden;
  }
  return nullptr;
}

TEST(GoldenErrors, ConstructorErrorsAreInvalidArgument) {
  int checked = 0;
  for (const GoldenCase& golden : AllErrorCases()) {
    if (CasesCheckedElsewhere().count(golden.id) > 0) continue;
    SCOPED_TRACE(golden.id);
    EXPECT_EQ(golden.error_raised_by, "constructor");

    const auto spec_json = testing::SpecJsonFor(golden);
    ASSERT_TRUE(spec_json.has_value()) << golden.scheduler << " has no spec";
    const auto schedule = testing::BuildFromJson(*spec_json);
    EXPECT_EQ(schedule.status().code(), absl::StatusCode::kInvalidArgument)
        << *spec_json << ": " << schedule.status();
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

// PyTorch 1.13.1 accepts start_factor 0 and divides by zero at the first step(); lrsched
// computes the closed form, a ramp from 0.
TEST(GoldenErrors, LinearLrWithZeroStartFactorRamps) {
  const auto cases = AllErrorCases();
  const GoldenCase* golden = FindCase(cases, "err_linearlr_start0");
  ASSERT_NE(golden, nullptr);

  const auto schedule = testing::BuildFromJson(*testing::SpecJsonFor(*golden));
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(golden->points.size(), 1u);
  EXPECT_EQ((*schedule)->LearningRate(0), golden->points[0].rate);
  EXPECT_DOUBLE_EQ((*schedule)->LearningRate(1), 0.25);
}

// PyTorch sets an extrapolated rate at step total_steps and raises at the step after it.
TEST(GoldenErrors, OneCycleLrPastTotalStepsIsRejected) {
  const auto cases = AllErrorCases();
  const GoldenCase* golden = FindCase(cases, "err_onecycle_overrun");
  ASSERT_NE(golden, nullptr);
  ASSERT_EQ(golden->points.size(), 21u);

  testing::SpecOptions fixed;
  fixed.reproduce_framework_faults = false;
  const auto schedule = testing::BuildFromJson(*testing::SpecJsonFor(*golden, fixed));
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  for (int t = 0; t < 20; ++t) {
    EXPECT_TRUE(
        testing::WithinTolerance(*golden, golden->points[t].rate, (*schedule)->LearningRate(t)))
        << "position " << t;
  }
  EXPECT_EQ((*schedule)->CheckPosition(20).code(), absl::StatusCode::kInvalidArgument);

  const auto reproduced = testing::BuildFromJson(*testing::SpecJsonFor(*golden));
  ASSERT_TRUE(reproduced.ok()) << reproduced.status();
  EXPECT_TRUE(
      testing::WithinTolerance(*golden, golden->points[20].rate, (*reproduced)->LearningRate(20)));
  EXPECT_TRUE((*reproduced)->CheckPosition(20).ok());
  EXPECT_EQ((*reproduced)->CheckPosition(21).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lrsched
