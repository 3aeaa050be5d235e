// Every golden case of every schedule file, evaluated through the spec parser and builder and
// compared with the rates PyTorch, transformers' formulas and Keras produced. The
// ReduceLROnPlateau files are left out: plateau is an adaptive policy, not a schedule.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "core/schedule_builder.h"
#include "core/spec_json.h"
#include "gtest/gtest.h"
#include "tests/core/golden_cases.h"

namespace lrsched {
namespace {

using testing::GoldenCase;
using testing::GoldenPoint;

const std::vector<std::string>& ScheduleFiles() {
  static const auto* files = new std::vector<std::string>{
      "torch/chained_scheduler.json",
      "torch/constant_lr.json",
      "torch/cosine_annealing_lr.json",
      "torch/cosine_annealing_warm_restarts.json",
      "torch/cyclic_lr.json",
      "torch/exponential_lr.json",
      "torch/hf_schedules.json",
      "torch/hf_tests.json",
      "torch/linear_lr.json",
      "torch/multiplicative_lr.json",
      "torch/multistep_lr.json",
      "torch/one_cycle_lr.json",
      "torch/polynomial_lr.json",
      "torch/sequential_lr.json",
      "torch/step_lr.json",
      "keras/cosine_decay.json",
      "keras/cosine_decay_restarts.json",
      "keras/exponential_decay.json",
      "keras/inverse_time_decay.json",
      "keras/keras_tests_schedules.json",
      "keras/piecewise_constant_decay.json",
      "keras/polynomial_decay.json",
  };
  return *files;
}

// Files that golden_errors_test.cc runs, and the plateau files, which hold an adaptive policy.
const std::set<std::string>& FilesRunElsewhere() {
  static const auto* files = new std::set<std::string>{
      "torch/errors.json",
      "keras/errors.json",
      "torch/reduce_lr_on_plateau.json",
      "keras/reduce_lr_on_plateau.json",
      "keras/keras_tests_reduce_lr_on_plateau.json",
  };
  return *files;
}

// Positions where lrsched gives a documented rate other than the framework's recording.
struct KnownDeviation {
  std::string id;
  double first_position;
  double last_position;
  std::function<double(double)> lrsched_rate;
};

double ChainedCosineTimesExponential(double t) {
  return 0.1 * (1 + std::cos(std::numbers::pi * t / 10)) / 2 * std::pow(0.95, t);
}

const std::vector<KnownDeviation>& KnownDeviations() {
  static const auto* deviations = new std::vector<KnownDeviation>{
      // PyTorch's step(epoch) finds the period with math.log(243, 3) = 4.999999999999999 and
      // misses the restart at 121; lrsched's integer arithmetic restarts there at base_lr,
      // as PyTorch's step() without an epoch does (cawr_06).
      {"cawr_07", 121, 121, [](double) { return 1.0; }},
      // The same with math.log(1000, 10) = 2.9999999999999996 at epoch 111.
      {"cawr_11", 111, 111, [](double) { return 1.0; }},
      // Inside ChainedScheduler, PyTorch's CosineAnnealingLR adds to the rate at T_max + 1 = 11
      // instead of multiplying, so from there PyTorch gives the cosine times 0.95^(t - 10).
      // lrsched's product keeps multiplying the two closed forms.
      {"chained_03", 11, 24, ChainedCosineTimesExponential},
  };
  return *deviations;
}

const KnownDeviation* DeviationAt(const std::string& id, double position) {
  for (const KnownDeviation& deviation : KnownDeviations()) {
    if (deviation.id == id && position >= deviation.first_position &&
        position <= deviation.last_position) {
      return &deviation;
    }
  }
  return nullptr;
}

double Evaluate(const Schedule& schedule, const GoldenPoint& point) {
  if (point.fractional) return schedule.LearningRateAtFractionalPosition(point.position);
  return schedule.LearningRate(static_cast<int64_t>(point.position));
}

// Checks one recorded rate and returns |actual - expected| / |expected| where that is
// meaningful (a nonzero rate the framework computed in double precision), else 0.
double ExpectPointMatches(const GoldenCase& golden, const Schedule& schedule,
                          const GoldenPoint& point) {
  SCOPED_TRACE("position " + std::to_string(point.position));

  // Positions count from 0, so lrsched rejects the step -999 at which a Keras test evaluates
  // PiecewiseConstantDecay.
  if (point.position < 0) {
    EXPECT_EQ(schedule.CheckPosition(static_cast<int64_t>(point.position)).code(),
              absl::StatusCode::kInvalidArgument);
    return 0;
  }

  const double actual = Evaluate(schedule, point);

  if (const KnownDeviation* deviation = DeviationAt(golden.id, point.position)) {
    const double documented = deviation->lrsched_rate(point.position);
    EXPECT_NEAR(actual, documented, 1e-12 * std::fabs(documented) + 1e-15);
    EXPECT_FALSE(testing::WithinTolerance(golden, point.rate, actual))
        << "the framework's " << point.rate << " now matches: remove the known deviation";
    return 0;
  }

  EXPECT_TRUE(testing::WithinTolerance(golden, point.rate, actual))
      << "expected " << point.rate << ", got " << actual;
  if (!point.fractional) {
    EXPECT_TRUE(schedule.CheckPosition(static_cast<int64_t>(point.position)).ok());
    EXPECT_EQ(schedule.LearningRateAtFractionalPosition(point.position), actual)
        << "the fractional form differs at a whole position";
  }

  const bool double_precision = golden.reference != "keras-test" && golden.reference != "hf-test";
  if (!double_precision || point.rate == 0) return 0;
  return std::fabs(actual - point.rate) / std::fabs(point.rate);
}

// Checks every recorded rate of the case and returns the largest relative gap.
double ExpectMatchesGolden(const GoldenCase& golden, const std::string& spec_json) {
  SCOPED_TRACE(golden.id + " " + spec_json);
  const auto spec = ParseSpecJson(spec_json);
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (!spec.ok()) return 0;
  const auto schedule = BuildSchedule(*spec);
  EXPECT_TRUE(schedule.ok()) << schedule.status();
  if (!schedule.ok()) return 0;

  double largest_gap = 0;
  for (const GoldenPoint& point : golden.points) {
    largest_gap = std::max(largest_gap, ExpectPointMatches(golden, **schedule, point));
  }
  return largest_gap;
}

class GoldenScheduleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenScheduleTest, MatchesFrameworkRates) {
  int checked = 0;
  double largest_gap = 0;
  std::vector<std::string> unsupported;
  for (const GoldenCase& golden : testing::LoadGoldenCases(GetParam())) {
    const auto spec_json = testing::SpecJsonFor(golden);
    if (!spec_json) {
      unsupported.push_back(golden.id);
      continue;
    }
    largest_gap = std::max(largest_gap, ExpectMatchesGolden(golden, *spec_json));
    ++checked;
  }

  std::string skipped;
  for (const auto& id : unsupported) skipped += " " + id;
  std::cout << GetParam() << ": " << checked << " cases checked, largest relative gap in double "
            << largest_gap << "; not supported yet:" << (skipped.empty() ? " none" : skipped)
            << "\n";
  EXPECT_TRUE(unsupported.empty()) << "cases without a spec:" << skipped;
  EXPECT_GT(checked, 0) << "no case of " << GetParam() << " ran";
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenScheduleTest, ::testing::ValuesIn(ScheduleFiles()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(GoldenFiles, EveryFileRuns) {
  const std::set<std::string> listed(ScheduleFiles().begin(), ScheduleFiles().end());
  for (const char* folder : {"torch", "keras"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(testing::GoldenDir() + "/" + folder)) {
      if (entry.path().extension() != ".json") continue;
      const std::string file = std::string(folder) + "/" + entry.path().filename().string();
      EXPECT_TRUE(listed.count(file) > 0 || FilesRunElsewhere().count(file) > 0)
          << file << " is in no test's list of golden files";
    }
  }
}

}  // namespace
}  // namespace lrsched
