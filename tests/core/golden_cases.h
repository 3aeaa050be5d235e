// Loading of the reference learning-rate sequences recorded from PyTorch, transformers' formulas
// and Keras, and their translation into lrsched schedule specs with the frameworks' own
// parameter names.
#ifndef LRSCHED_TESTS_CORE_GOLDEN_CASES_H_
#define LRSCHED_TESTS_CORE_GOLDEN_CASES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lrsched::testing {

// One recorded rate: the position it was recorded at (fractional for PyTorch's
// `step(epoch)` with a fractional epoch) and the rate the framework gave.
struct GoldenPoint {
  double position = 0;
  bool fractional = false;
  double rate = 0;
};

struct GoldenCase {
  std::string id;
  std::string file;
  std::string reference;  // torch-run, keras-port, keras-test, hf-test, ...
  std::string scheduler;  // The framework's class or function name, e.g. StepLR.
  nlohmann::json params;
  double base_lr = 0;
  std::vector<GoldenPoint> points;
  // For cases of the errors files: what the framework raised and where, e.g.
  // "constructor" or "step() call #21 (1-based, after construction)".
  std::string error_type;
  std::string error_raised_by;
};

// The golden folder: $LRSCHED_GOLDEN_DIR, else the shared/golden folder beside the checkout.
std::string GoldenDir();

// Reads every case of one file, e.g. "torch/step_lr.json". Fails the calling test when the
// file is missing or malformed, and returns no cases then.
std::vector<GoldenCase> LoadGoldenCases(const std::string& file);

// Options of the translation into a spec.
struct SpecOptions {
  // Ask for FRAMEWORK_FAULT_REPRODUCE in every family whose lrsched default fixes a framework
  // fault, so that the spec gives exactly the framework's numbers.
  bool reproduce_framework_faults = true;
};

// Returns the case as a ScheduleSpec JSON document, with the framework's parameter names
// passed through unchanged, or nullopt when the case uses a family lrsched does not support.
std::optional<std::string> SpecJsonFor(const GoldenCase& golden, const SpecOptions& options = {});

// Whether `actual` matches the recorded `expected` within the case's tolerance: relative 1e-9
// for values PyTorch, transformers' formulas or the Keras port computed in double precision
// (absolute 1e-14 times the case's largest rate near zero, above the 8.4e-15 gap the golden
// notes measure between PyTorch's recursive and closed forms), Keras' own atol = rtol = 1e-6
// for values from Keras' float32 tests, and absolute 0.01 for transformers' 2-decimal tests.
bool WithinTolerance(const GoldenCase& golden, double expected, double actual);

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_CORE_GOLDEN_CASES_H_
