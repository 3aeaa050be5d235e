// Epoch loop of the bundled trainer: shuffles the training set, runs
// mini-batch SGD with momentum on an Mlp, and evaluates loss and accuracy.
// The learning rate is either constant for an epoch or returned by a callback
// before every step, so a caller can request it from a scheduling service.
//
// Typical use:
//   absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(TrainerOptions());
//   absl::StatusOr<EpochResult> epoch = trainer->TrainEpoch(train_set, 0.05);
//   absl::StatusOr<EvaluationResult> test = trainer->Evaluate(test_set);
//
// An SgdTrainer is not thread-safe. Its methods set Eigen's process-wide
// thread count (see TrainerOptions::num_threads).

#ifndef LRSCHED_TRAINER_SGD_TRAINER_H_
#define LRSCHED_TRAINER_SGD_TRAINER_H_

#include <cstdint>
#include <functional>
#include <random>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "absl/status/statusor.h"
#include "trainer/dataset.h"
#include "trainer/mlp.h"
#include "trainer/sgd_momentum.h"

namespace lrsched::trainer {

struct TrainerOptions {
  // Input size, hidden layer sizes and class count, as for Mlp::Create.
  std::vector<int> layer_sizes{kDefaultLayerSizes.begin(),
                               kDefaultLayerSizes.end()};

  // Examples per step. The last batch of an epoch contains the remainder and
  // may be smaller, as with torch.utils.data.DataLoader's drop_last=False.
  int batch_size = 64;

  // Momentum coefficient of SgdMomentum. With 0.9, learning rate 0.05 and
  // batch size 64, both this trainer and PyTorch reach about 0.865
  // Fashion-MNIST test accuracy after 5 epochs (docs/trainer.md).
  double momentum = 0.9;

  // OpenMP threads for Eigen's matrix products. TrainEpoch and Evaluate pass
  // it to Eigen::setNbThreads, which applies to the whole process.
  int num_threads = 2;

  // Seed of the weight initialization (Mlp::Create).
  uint64_t initialization_seed = 1;

  // Seed of the std::mt19937_64 that shuffles the training set each epoch.
  uint64_t shuffle_seed = 2;

  // Examples per forward pass in Evaluate, which bounds its memory.
  int evaluation_batch_size = 1000;

  // Whether TrainEpoch measures the dot product of each step's gradient with
  // the previous step's (EpochResult::mean_gradient_dot), the quantity that
  // hypergradient descent adapts the learning rate with. It costs one copy of
  // the gradients per step.
  bool track_gradient_dot = false;
};

// Returns the learning rate for the step with the given index. The index
// counts steps from 0 across all epochs of one SgdTrainer. An error status
// stops training and TrainEpoch returns it.
using LearningRateFunction =
    std::function<absl::StatusOr<double>(int64_t global_step)>;

struct EpochResult {
  // Mean training loss per example. Each batch contributes its loss before
  // that step's update, weighted by its size. NaN or infinity if training
  // diverged, because steps continue as in PyTorch.
  double mean_loss = 0.0;

  // Wall time of the epoch, including the learning rate callbacks.
  double seconds = 0.0;

  int64_t steps = 0;

  // Mean over the epoch's steps of dot(gradient of step t, gradient of step
  // t - 1), the previous step possibly in the epoch before. 0 unless
  // TrainerOptions::track_gradient_dot is set or before two steps ran.
  double mean_gradient_dot = 0.0;
};

struct EvaluationResult {
  // Mean softmax cross-entropy per example.
  double mean_loss = 0.0;

  // Fraction of examples whose largest logit is their label's.
  double accuracy = 0.0;

  int64_t examples = 0;
};

class SgdTrainer {
 public:
  // Creates a trainer with a freshly initialized model.
  //
  // Errors: InvalidArgument naming the option if batch_size, num_threads or
  // evaluation_batch_size is < 1, if momentum is outside [0, 1), or if
  // layer_sizes is invalid for Mlp::Create.
  static absl::StatusOr<SgdTrainer> Create(const TrainerOptions& options);

  // Trains one epoch over a fresh shuffle of `train_set` at a constant
  // learning rate.
  //
  // Errors: InvalidArgument, before any step, if `learning_rate` is not
  // finite or is negative, or if `train_set` does not fit the model (see
  // ValidateDataset).
  absl::StatusOr<EpochResult> TrainEpoch(const Dataset& train_set,
                                         double learning_rate);

  // Trains one epoch over a fresh shuffle of `train_set`, calling
  // `learning_rate_for_step` with global_step() before each step.
  //
  // If the callback returns an error, or a learning rate that is not finite
  // or is negative, training stops and the error is returned with the step
  // index added. The steps before it have updated the model and
  // global_step(), and epochs_completed() is unchanged.
  // Errors: InvalidArgument if the callback is empty or `train_set` does not
  // fit the model, the callback's own error, or InvalidArgument for a bad
  // learning rate.
  absl::StatusOr<EpochResult> TrainEpoch(
      const Dataset& train_set,
      const LearningRateFunction& learning_rate_for_step);

  // Computes the mean loss and the accuracy of the model on `dataset`.
  //
  // Errors: InvalidArgument if `dataset` does not fit the model.
  absl::StatusOr<EvaluationResult> Evaluate(const Dataset& dataset) const;

  // Steps completed since Create, across all epochs.
  int64_t global_step() const { return global_step_; }
  int64_t epochs_completed() const { return epochs_completed_; }

  const Mlp& model() const { return model_; }
  // For loading a checkpoint into the model between epochs.
  Mlp& mutable_model() { return model_; }
  const SgdMomentum& optimizer() const { return optimizer_; }
  const TrainerOptions& options() const { return options_; }

 private:
  SgdTrainer(const TrainerOptions& options, Mlp model, SgdMomentum optimizer)
      : options_(options),
        model_(std::move(model)),
        optimizer_(std::move(optimizer)),
        shuffle_rng_(options.shuffle_seed) {}

  // Copies the examples order_[start, start + count) into the batch buffers.
  void GatherBatch(const Dataset& train_set, int64_t start, int64_t count);

  // Adds dot(gradients_, previous_gradients_) to the epoch's sums and keeps
  // a copy of gradients_ for the next step.
  void TrackGradientDot();

  // Requests the learning rate for the next step and runs that step. Returns
  // the batch's mean loss.
  absl::StatusOr<double> RunStep(
      const LearningRateFunction& learning_rate_for_step);

  TrainerOptions options_;
  Mlp model_;
  SgdMomentum optimizer_;
  std::mt19937_64 shuffle_rng_;
  int64_t global_step_ = 0;
  int64_t epochs_completed_ = 0;

  // Buffers reused across steps.
  std::vector<int64_t> order_;
  Eigen::MatrixXf batch_inputs_;
  std::vector<int32_t> batch_labels_;
  MlpWorkspace workspace_;
  MlpParameters gradients_;

  // The previous step's gradients and the running sums for mean_gradient_dot.
  MlpParameters previous_gradients_;
  double gradient_dot_sum_ = 0.0;
  int64_t gradient_dot_count_ = 0;
};

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_SGD_TRAINER_H_
