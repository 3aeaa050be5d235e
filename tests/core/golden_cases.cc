#include "tests/core/golden_cases.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "gtest/gtest.h"

namespace lrsched::testing {
namespace {

// The schedule field of each supported framework class, and the parameters it takes, named
// as in the framework.
struct Family {
  std::string field;
  std::set<std::string> parameters;
};

const std::map<std::string, Family>& SupportedFamilies() {
  static const auto* families = new std::map<std::string, Family>{
      {"StepLR", {"step_lr", {"step_size", "gamma"}}},
      {"MultiStepLR", {"multi_step_lr", {"milestones", "gamma"}}},
      {"ExponentialDecay",
       {"exponential_decay", {"initial_learning_rate", "decay_steps", "decay_rate", "staircase"}}},
      {"CosineDecay", {"cosine_decay", {"initial_learning_rate", "decay_steps", "alpha"}}},
      {"CosineAnnealingLR", {"cosine_annealing_lr", {"T_max", "eta_min"}}},
  };
  return *families;
}

bool IsKeras(const GoldenCase& golden) { return golden.file.rfind("keras/", 0) == 0; }

std::optional<nlohmann::json> ScheduleFor(const std::string& scheduler,
                                          const nlohmann::json& params) {
  const auto family = SupportedFamilies().find(scheduler);
  if (family == SupportedFamilies().end()) return std::nullopt;
  for (const auto& [name, value] : params.items()) {
    if (family->second.parameters.count(name) == 0) return std::nullopt;
  }
  return nlohmann::json{{family->second.field, params}};
}

// PyTorch's SequentialLR of a LinearLR and one more scheduler, switching when the LinearLR
// ends, is what lrsched's linear_warmup computes.
std::optional<nlohmann::json> WarmupScheduleFor(const nlohmann::json& params) {
  const auto& schedulers = params.at("schedulers");
  const auto& milestones = params.at("milestones");
  if (schedulers.size() != 2 || milestones.size() != 1) return std::nullopt;
  const auto& ramp = schedulers[0];
  if (ramp.at("scheduler") != "LinearLR") return std::nullopt;

  const auto& ramp_params = ramp.at("params");
  const int64_t total_iters = ramp_params.value("total_iters", 5);
  const double start_factor = ramp_params.value("start_factor", 1.0 / 3.0);
  if (ramp_params.value("end_factor", 1.0) != 1.0 || milestones[0] != total_iters) {
    return std::nullopt;
  }

  const auto after =
      ScheduleFor(schedulers[1].at("scheduler"), schedulers[1].at("params"));
  if (!after) return std::nullopt;
  return nlohmann::json{{"linear_warmup",
                         {{"warmup_steps", total_iters},
                          {"start_factor", start_factor},
                          {"schedule", *after}}}};
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
    golden.lr = entry.at("lr").get<std::vector<double>>();
    if (entry.contains("steps")) {
      golden.positions = entry.at("steps").get<std::vector<int64_t>>();
    } else {
      for (size_t i = 0; i < golden.lr.size(); ++i) golden.positions.push_back(i);
    }
    cases.push_back(std::move(golden));
  }
  return cases;
}

std::optional<std::string> SpecJsonFor(const GoldenCase& golden) {
  const auto schedule = golden.scheduler == "SequentialLR"
                            ? WarmupScheduleFor(golden.params)
                            : ScheduleFor(golden.scheduler, golden.params);
  if (!schedule) return std::nullopt;

  const nlohmann::json spec = {{"base_lr", golden.base_lr},
                               {"unit", IsKeras(golden) ? "STEP" : "EPOCH"},
                               {"schedule", *schedule}};
  return spec.dump();
}

bool WithinTolerance(const GoldenCase& golden, double expected, double actual) {
  const double difference = std::fabs(actual - expected);
  if (golden.reference == "keras-test") return difference <= 1e-6 + 1e-6 * std::fabs(expected);
  return difference <= 1e-9 * std::fabs(expected) || difference <= 1e-14 * golden.base_lr;
}

}  // namespace lrsched::testing
