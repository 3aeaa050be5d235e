#include "tests/core/golden_cases.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "gtest/gtest.h"

namespace lrsched::testing {
namespace {

// The schedule field of each framework class or function lrsched supports. The parameters
// pass through unchanged: the fields have the frameworks' names.
const std::map<std::string, std::string>& FamilyFields() {
  static const auto* fields = new std::map<std::string, std::string>{
      {"StepLR", "step_lr"},
      {"MultiStepLR", "multi_step_lr"},
      {"ConstantLR", "constant_lr"},
      {"LinearLR", "linear_lr"},
      {"ExponentialLR", "exponential_lr"},
      {"PolynomialLR", "polynomial_lr"},
      {"CosineAnnealingLR", "cosine_annealing_lr"},
      {"CosineAnnealingWarmRestarts", "cosine_annealing_warm_restarts"},
      {"CyclicLR", "cyclic_lr"},
      {"OneCycleLR", "one_cycle_lr"},
      {"ExponentialDecay", "exponential_decay"},
      {"CosineDecay", "cosine_decay"},
      {"PiecewiseConstantDecay", "piecewise_constant_decay"},
      {"PolynomialDecay", "polynomial_decay"},
      {"InverseTimeDecay", "inverse_time_decay"},
      {"CosineDecayRestarts", "cosine_decay_restarts"},
      {"get_constant_schedule", "constant"},
      {"get_constant_schedule_with_warmup", "constant_schedule_with_warmup"},
      {"get_linear_schedule_with_warmup", "linear_schedule_with_warmup"},
      {"get_cosine_schedule_with_warmup", "cosine_schedule_with_warmup"},
      {"get_cosine_with_hard_restarts_schedule_with_warmup",
       "cosine_with_hard_restarts_schedule_with_warmup"},
      {"get_polynomial_decay_schedule_with_warmup", "polynomial_decay_schedule_with_warmup"},
      {"get_inverse_sqrt_schedule", "inverse_sqrt_schedule"},
      {"get_wsd_schedule", "wsd_schedule"},
      {"get_cosine_with_min_lr_schedule_with_warmup", "cosine_with_min_lr_schedule_with_warmup"},
      {"get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
       "cosine_with_min_lr_schedule_with_warmup_lr_rate"},
  };
  return *fields;
}

// Families whose lrsched default fixes a fault of their framework: ConstantLR and LinearLR
// with total_iters 0, OneCycleLR's extrapolated rate at total_steps, transformers' cosines
// rising again past num_training_steps.
bool DefaultFixesFault(const std::string& scheduler) {
  static const auto* names = new std::set<std::string>{
      "ConstantLR", "LinearLR", "OneCycleLR", "get_cosine_schedule_with_warmup",
      "get_cosine_with_min_lr_schedule_with_warmup",
      "get_cosine_with_min_lr_schedule_with_warmup_lr_rate"};
  return names->count(scheduler) > 0;
}

bool IsKeras(const GoldenCase& golden) { return golden.file.rfind("keras/", 0) == 0; }

std::optional<nlohmann::json> ScheduleFor(const std::string& scheduler,
                                          const nlohmann::json& params,
                                          const SpecOptions& options);

// SequentialLR and ChainedScheduler: params.schedulers is a list of {scheduler, params}.
std::optional<nlohmann::json> PartsFor(const nlohmann::json& params, const SpecOptions& options) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& part : params.at("schedulers")) {
    auto schedule = ScheduleFor(part.at("scheduler"), part.at("params"), options);
    if (!schedule) return std::nullopt;
    parts.push_back(*schedule);
  }
  return parts;
}

// MultiplicativeLR's lr_lambda is Python source, and only a constant multiplier has a spec.
std::optional<nlohmann::json> MultiplicativeFor(const nlohmann::json& params) {
  static const std::regex kConstantLambda(R"(^\s*lambda\s+\w+\s*:\s*([-+0-9.eE]+)\s*$)");
  std::smatch match;
  const std::string source = params.at("lr_lambda");
  if (!std::regex_match(source, match, kConstantLambda)) return std::nullopt;
  return nlohmann::json{{"multiplicative_lr", {{"factor", std::stod(match[1].str())}}}};
}

std::optional<nlohmann::json> ScheduleFor(const std::string& scheduler,
                                          const nlohmann::json& params,
                                          const SpecOptions& options) {
  if (scheduler == "SequentialLR") {
    auto parts = PartsFor(params, options);
    if (!parts) return std::nullopt;
    return nlohmann::json{
        {"sequence", {{"schedules", *parts}, {"milestones", params.at("milestones")}}}};
  }
  if (scheduler == "ChainedScheduler") {
    auto parts = PartsFor(params, options);
    if (!parts) return std::nullopt;
    return nlohmann::json{{"product", {{"schedules", *parts}}}};
  }
  if (scheduler == "MultiplicativeLR") return MultiplicativeFor(params);

  const auto field = FamilyFields().find(scheduler);
  if (field == FamilyFields().end()) return std::nullopt;
  nlohmann::json fields = params;
  if (options.reproduce_framework_faults && DefaultFixesFault(scheduler)) {
    fields["framework_fault"] = "FRAMEWORK_FAULT_REPRODUCE";
  }
  return nlohmann::json{{field->second, fields}};
}

std::vector<GoldenPoint> PointsOf(const nlohmann::json& entry) {
  const auto lr = entry.at("lr").get<std::vector<double>>();
  std::vector<GoldenPoint> points;

  // With explicit step(epoch) calls, lr[0] is the constructor's rate at 0 and
  // lr_after_step[i] the rate at step_args[i].
  if (entry.contains("step_args")) {
    if (!lr.empty()) points.push_back({0.0, false, lr[0]});
    const auto args = entry.at("step_args").get<std::vector<double>>();
    const auto after = entry.at("lr_after_step").get<std::vector<double>>();
    for (size_t i = 0; i < args.size() && i < after.size(); ++i) {
      points.push_back({args[i], args[i] != std::floor(args[i]), after[i]});
    }
    return points;
  }

  std::vector<double> positions;
  if (entry.contains("steps")) {
    positions = entry.at("steps").get<std::vector<double>>();
  } else {
    for (size_t i = 0; i < lr.size(); ++i) positions.push_back(static_cast<double>(i));
  }
  for (size_t i = 0; i < lr.size(); ++i) points.push_back({positions[i], false, lr[i]});
  return points;
}

}  // namespace

std::string GoldenDir() {
  if (const char* dir = std::getenv("LRSCHED_GOLDEN_DIR")) return dir;
  return LRSCHED_DEFAULT_GOLDEN_DIR;
}

std::vector<GoldenCase> LoadGoldenCases(const std::string& file) {
  const std::string path = GoldenDir() + "/" + file;
  std::ifstream stream(path);
  if (!stream) {
    ADD_FAILURE() << "cannot read golden file " << path
                  << "; set LRSCHED_GOLDEN_DIR to the folder of the reference sequences";
    return {};
  }

  std::vector<GoldenCase> cases;
  for (const auto& entry : nlohmann::json::parse(stream)) {
    GoldenCase golden;
    golden.id = entry.at("id");
    golden.file = file;
    golden.reference = entry.at("reference");
    golden.scheduler = entry.at("scheduler");
    golden.params = entry.at("params");
    golden.base_lr = entry.at("base_lr");
    golden.points = PointsOf(entry);
    if (entry.contains("error")) {
      golden.error_type = entry.at("error").at("type");
      golden.error_raised_by = entry.at("error").at("raised_by");
    }
    cases.push_back(std::move(golden));
  }
  return cases;
}

std::optional<std::string> SpecJsonFor(const GoldenCase& golden, const SpecOptions& options) {
  const auto schedule = ScheduleFor(golden.scheduler, golden.params, options);
  if (!schedule) return std::nullopt;

  // Keras' warmups may start from initial_learning_rate 0, which the case records as its
  // base_lr. The spec's base_lr must be positive, and a Keras family with its own
  // initial_learning_rate does not use it, so 1 is used.
  const double base_lr = golden.base_lr > 0 ? golden.base_lr : 1.0;
  const bool counts_steps = IsKeras(golden) || golden.scheduler.rfind("get_", 0) == 0;
  const nlohmann::json spec = {{"base_lr", base_lr},
                               {"unit", counts_steps ? "STEP" : "EPOCH"},
                               {"schedule", *schedule}};
  return spec.dump();
}

bool WithinTolerance(const GoldenCase& golden, double expected, double actual) {
  const double difference = std::fabs(actual - expected);
  if (golden.reference == "keras-test") return difference <= 1e-6 + 1e-6 * std::fabs(expected);
  if (golden.reference == "hf-test") return difference <= 0.01;

  double largest_rate = golden.base_lr;
  for (const GoldenPoint& point : golden.points) {
    largest_rate = std::max(largest_rate, std::fabs(point.rate));
  }
  return difference <= 1e-9 * std::fabs(expected) || difference <= 1e-14 * largest_rate;
}

}  // namespace lrsched::testing
