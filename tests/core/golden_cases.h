// Loading of the reference learning-rate sequences recorded from PyTorch and Keras, and their
// translation into lrsched schedule specs with the frameworks' own parameter names.
#ifndef LRSCHED_TESTS_CORE_GOLDEN_CASES_H_
#define LRSCHED_TESTS_CORE_GOLDEN_CASES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lrsched::testing {

struct GoldenCase {
  std::string id;
  std::string file;
  std::string reference;  // torch-run, keras-port, keras-test, ...
  std::string scheduler;  // The framework's class name, e.g. StepLR.
  nlohmann::json params;
  double base_lr = 0;
  std::vector<int64_t> positions;  // positions[i] is where lr[i] was recorded.
  std::vector<double> lr;
};

// The golden folder: $LRSCHED_GOLDEN_DIR, else the shared/golden folder beside the checkout.
std::string GoldenDir();

// Reads every case of one file, e.g. "torch/step_lr.json". Fails the calling test when the
// file is missing or malformed, and returns no cases then.
std::vector<GoldenCase> LoadGoldenCases(const std::string& file);

// Returns the case as a ScheduleSpec JSON document, with the framework's parameter names
// passed through unchanged, or nullopt when the case uses a family or parameter lrsched does
// not support yet.
std::optional<std::string> SpecJsonFor(const GoldenCase& golden);

// Whether `actual` matches the recorded `expected` within the case's tolerance: relative 1e-9
// for values PyTorch or the Keras port computed in double precision (absolute 1e-14 * base_lr
// near zero, above the 8.4e-15 gap the golden notes measure between PyTorch's recursive and
// closed forms), and Keras' own atol = rtol = 1e-6 for values from Keras' float32 tests.
bool WithinTolerance(const GoldenCase& golden, double expected, double actual);

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_CORE_GOLDEN_CASES_H_
