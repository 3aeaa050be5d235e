// Stochastic gradient descent with momentum for MlpParameters.

#ifndef LRSCHED_TRAINER_SGD_MOMENTUM_H_
#define LRSCHED_TRAINER_SGD_MOMENTUM_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/mlp.h"

namespace lrsched::trainer {

// SGD with momentum as torch.optim.SGD computes it in PyTorch 1.13 with
// dampening 0, no weight decay and nesterov=False. For each parameter w with
// gradient g and velocity v:
//   v = momentum * v + g
//   w = w - learning_rate * v
// The velocity starts at zero, so the first step sets v = g, as PyTorch does.
class SgdMomentum {
 public:
  // Errors: InvalidArgument unless `momentum` is finite and in [0, 1).
  static absl::StatusOr<SgdMomentum> Create(double momentum);

  // Applies one update to `parameters`. The first call creates zero velocity
  // buffers with the shapes of `parameters`.
  //
  // Errors: InvalidArgument, with nothing changed, if `learning_rate` is not
  // finite or is negative, or if `gradients` or `parameters` have other
  // shapes than the velocity.
  absl::Status Step(double learning_rate, const MlpParameters& gradients,
                    MlpParameters& parameters);

  double momentum() const { return momentum_; }
  const MlpParameters& velocity() const { return velocity_; }

 private:
  explicit SgdMomentum(double momentum) : momentum_(momentum) {}

  double momentum_;
  MlpParameters velocity_;
};

// Returns OK if `learning_rate` is finite and >= 0, and InvalidArgument
// otherwise.
absl::Status ValidateLearningRate(double learning_rate);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_SGD_MOMENTUM_H_
