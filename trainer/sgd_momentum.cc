// Momentum SGD update over every weight and bias array of an MLP.

#include "trainer/sgd_momentum.h"

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "trainer/mlp.h"

namespace lrsched::trainer {
namespace {

bool SameShapes(const MlpParameters& a, const MlpParameters& b) {
  if (a.size() != b.size()) return false;
  for (size_t l = 0; l < a.size(); ++l) {
    if (a[l].weights.rows() != b[l].weights.rows() ||
        a[l].weights.cols() != b[l].weights.cols() ||
        a[l].biases.size() != b[l].biases.size()) {
      return false;
    }
  }
  return true;
}

MlpParameters ZerosLike(const MlpParameters& parameters) {
  MlpParameters zeros(parameters.size());
  for (size_t l = 0; l < parameters.size(); ++l) {
    zeros[l].weights.setZero(parameters[l].weights.rows(),
                             parameters[l].weights.cols());
    zeros[l].biases.setZero(parameters[l].biases.size());
  }
  return zeros;
}

// One loop for both formulas reads each velocity element once.
void UpdateArray(float learning_rate, float momentum, const float* gradient,
                 float* velocity, float* parameter, int64_t size) {
  for (int64_t i = 0; i < size; ++i) {
    velocity[i] = momentum * velocity[i] + gradient[i];
    parameter[i] -= learning_rate * velocity[i];
  }
}

}  // namespace

absl::Status ValidateLearningRate(double learning_rate) {
  if (!std::isfinite(learning_rate) || learning_rate < 0.0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "learning rate must be finite and >= 0, got ", learning_rate));
  }
  return absl::OkStatus();
}

absl::StatusOr<SgdMomentum> SgdMomentum::Create(double momentum) {
  if (!std::isfinite(momentum) || momentum < 0.0 || momentum >= 1.0) {
    return absl::InvalidArgumentError(
        absl::StrCat("momentum must be in [0, 1), got ", momentum));
  }
  return SgdMomentum(momentum);
}

absl::Status SgdMomentum::Step(double learning_rate,
                               const MlpParameters& gradients,
                               MlpParameters& parameters) {
  const absl::Status status = ValidateLearningRate(learning_rate);
  if (!status.ok()) return status;

  // Before the first step, the parameters define the expected shapes.
  const MlpParameters& expected = velocity_.empty() ? parameters : velocity_;
  if (!SameShapes(expected, parameters) || !SameShapes(expected, gradients)) {
    return absl::InvalidArgumentError(
        "gradients and parameters must have the same shapes, and the shapes "
        "of the parameters that the first Step call received");
  }
  if (velocity_.empty()) velocity_ = ZerosLike(parameters);

  const float rate = static_cast<float>(learning_rate);
  const float momentum = static_cast<float>(momentum_);
  for (size_t l = 0; l < parameters.size(); ++l) {
    UpdateArray(rate, momentum, gradients[l].weights.data(),
                velocity_[l].weights.data(), parameters[l].weights.data(),
                parameters[l].weights.size());
    UpdateArray(rate, momentum, gradients[l].biases.data(),
                velocity_[l].biases.data(), parameters[l].biases.data(),
                parameters[l].biases.size());
  }
  return absl::OkStatus();
}

}  // namespace lrsched::trainer
