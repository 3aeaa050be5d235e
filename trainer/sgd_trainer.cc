// Training and evaluation loops of SgdTrainer.

#include "trainer/sgd_trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <utility>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "trainer/dataset.h"
#include "trainer/mlp.h"
#include "trainer/seeded_random.h"
#include "trainer/sgd_momentum.h"
#include "trainer/softmax_cross_entropy.h"

namespace lrsched::trainer {
namespace {

absl::Status ValidateOptions(const TrainerOptions& options) {
  if (options.batch_size < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "batch_size must be at least 1, got ", options.batch_size));
  }
  if (options.num_threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_threads must be at least 1, got ", options.num_threads));
  }
  if (options.evaluation_batch_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("evaluation_batch_size must be at least 1, got ",
                     options.evaluation_batch_size));
  }
  return absl::OkStatus();
}

absl::Status ValidateDatasetForModel(const Dataset& dataset, const Mlp& model) {
  return ValidateDataset(dataset, model.input_size(), model.num_classes());
}

// Returns `status` with the failing step's index in front of its message.
absl::Status AddStepContext(const absl::Status& status, int64_t global_step) {
  return absl::Status(status.code(),
                      absl::StrCat("learning rate for global step ",
                                   global_step, ": ", status.message()));
}

}  // namespace

absl::StatusOr<SgdTrainer> SgdTrainer::Create(const TrainerOptions& options) {
  const absl::Status status = ValidateOptions(options);
  if (!status.ok()) return status;

  absl::StatusOr<Mlp> model =
      Mlp::Create(options.layer_sizes, options.initialization_seed);
  if (!model.ok()) return model.status();

  absl::StatusOr<SgdMomentum> optimizer = SgdMomentum::Create(options.momentum);
  if (!optimizer.ok()) return optimizer.status();

  return SgdTrainer(options, *std::move(model), *std::move(optimizer));
}

absl::StatusOr<EpochResult> SgdTrainer::TrainEpoch(const Dataset& train_set,
                                                   double learning_rate) {
  const absl::Status status = ValidateLearningRate(learning_rate);
  if (!status.ok()) return status;

  return TrainEpoch(train_set, [learning_rate](int64_t) {
    return absl::StatusOr<double>(learning_rate);
  });
}

absl::StatusOr<EpochResult> SgdTrainer::TrainEpoch(
    const Dataset& train_set,
    const LearningRateFunction& learning_rate_for_step) {
  if (!learning_rate_for_step) {
    return absl::InvalidArgumentError("learning_rate_for_step is empty");
  }
  const absl::Status status = ValidateDatasetForModel(train_set, model_);
  if (!status.ok()) return status;

  const auto start_time = std::chrono::steady_clock::now();
  Eigen::setNbThreads(options_.num_threads);

  // A fresh permutation of 0..N-1 each epoch, as torch.randperm gives.
  order_.resize(train_set.size());
  std::iota(order_.begin(), order_.end(), int64_t{0});
  Shuffle(absl::MakeSpan(order_), shuffle_rng_);

  EpochResult result;
  double loss_sum = 0.0;
  for (int64_t start = 0; start < train_set.size();
       start += options_.batch_size) {
    const int64_t count =
        std::min<int64_t>(options_.batch_size, train_set.size() - start);
    GatherBatch(train_set, start, count);

    const absl::StatusOr<double> batch_loss = RunStep(learning_rate_for_step);
    if (!batch_loss.ok()) return batch_loss.status();
    loss_sum += *batch_loss * static_cast<double>(count);
    ++result.steps;
  }

  ++epochs_completed_;
  result.mean_loss = loss_sum / static_cast<double>(train_set.size());
  if (gradient_dot_count_ > 0) {
    result.mean_gradient_dot =
        gradient_dot_sum_ / static_cast<double>(gradient_dot_count_);
  }
  gradient_dot_sum_ = 0.0;
  gradient_dot_count_ = 0;
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start_time)
                       .count();
  return result;
}

void SgdTrainer::GatherBatch(const Dataset& train_set, int64_t start,
                             int64_t count) {
  batch_inputs_.resize(train_set.inputs.rows(), count);
  batch_labels_.resize(count);
  for (int64_t j = 0; j < count; ++j) {
    const int64_t example = order_[start + j];
    batch_inputs_.col(j) = train_set.inputs.col(example);
    batch_labels_[j] = train_set.labels[example];
  }
}

absl::StatusOr<double> SgdTrainer::RunStep(
    const LearningRateFunction& learning_rate_for_step) {
  const absl::StatusOr<double> learning_rate =
      learning_rate_for_step(global_step_);
  if (!learning_rate.ok()) {
    return AddStepContext(learning_rate.status(), global_step_);
  }
  absl::Status status = ValidateLearningRate(*learning_rate);
  if (!status.ok()) return AddStepContext(status, global_step_);

  const absl::StatusOr<double> loss = model_.ComputeLossAndGradients(
      batch_inputs_, batch_labels_, workspace_, gradients_);
  if (!loss.ok()) return loss.status();

  if (options_.track_gradient_dot) TrackGradientDot();

  status =
      optimizer_.Step(*learning_rate, gradients_, model_.mutable_parameters());
  if (!status.ok()) return status;

  ++global_step_;
  return *loss;
}

void SgdTrainer::TrackGradientDot() {
  if (!previous_gradients_.empty()) {
    double dot = 0.0;
    for (size_t layer = 0; layer < gradients_.size(); ++layer) {
      dot += gradients_[layer].weights.cwiseProduct(previous_gradients_[layer].weights).sum();
      dot += gradients_[layer].biases.dot(previous_gradients_[layer].biases);
    }
    gradient_dot_sum_ += dot;
    ++gradient_dot_count_;
  }
  previous_gradients_ = gradients_;
}

absl::StatusOr<EvaluationResult> SgdTrainer::Evaluate(
    const Dataset& dataset) const {
  const absl::Status status = ValidateDatasetForModel(dataset, model_);
  if (!status.ok()) return status;

  Eigen::setNbThreads(options_.num_threads);
  MlpWorkspace workspace;
  double loss_sum = 0.0;
  int64_t correct = 0;
  for (int64_t start = 0; start < dataset.size();
       start += options_.evaluation_batch_size) {
    const int64_t count = std::min<int64_t>(options_.evaluation_batch_size,
                                            dataset.size() - start);
    const auto labels = absl::MakeConstSpan(dataset.labels).subspan(start, count);

    const absl::Status forward_status =
        model_.Forward(dataset.inputs.middleCols(start, count), workspace);
    if (!forward_status.ok()) return forward_status;
    const absl::StatusOr<double> batch_loss =
        ComputeSoftmaxCrossEntropy(workspace.logits(), labels, nullptr);
    if (!batch_loss.ok()) return batch_loss.status();
    const absl::StatusOr<int64_t> batch_correct =
        CountCorrectPredictions(workspace.logits(), labels);
    if (!batch_correct.ok()) return batch_correct.status();

    loss_sum += *batch_loss * static_cast<double>(count);
    correct += *batch_correct;
  }

  EvaluationResult result;
  result.examples = dataset.size();
  result.mean_loss = loss_sum / static_cast<double>(dataset.size());
  result.accuracy =
      static_cast<double>(correct) / static_cast<double>(dataset.size());
  return result;
}

}  // namespace lrsched::trainer
