// Numerically stable softmax cross-entropy: each column is shifted by its
// maximum before exp, so no exp overflows.

#include "trainer/softmax_cross_entropy.h"

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

namespace lrsched::trainer {

absl::Status ValidateLabels(absl::Span<const int32_t> labels,
                            int64_t batch_size, int64_t num_classes) {
  if (batch_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch must have at least one column, got ", batch_size));
  }
  if (static_cast<int64_t>(labels.size()) != batch_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", labels.size(), " labels for a batch of ",
                     batch_size, " columns"));
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= num_classes) {
      return absl::InvalidArgumentError(
          absl::StrCat("label ", i, " is ", labels[i],
                       ", outside the valid range [0, ", num_classes, ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<double> ComputeSoftmaxCrossEntropy(
    const Eigen::Ref<const Eigen::MatrixXf>& logits,
    absl::Span<const int32_t> labels, Eigen::MatrixXf* logit_gradients) {
  const absl::Status status =
      ValidateLabels(labels, logits.cols(), logits.rows());
  if (!status.ok()) return status;

  const int64_t batch_size = logits.cols();
  const float inverse_batch_size = 1.0f / static_cast<float>(batch_size);
  Eigen::VectorXf shifted_exp(logits.rows());
  if (logit_gradients != nullptr) {
    logit_gradients->resize(logits.rows(), batch_size);
  }

  double loss_sum = 0.0;
  for (int64_t j = 0; j < batch_size; ++j) {
    const float max_logit = logits.col(j).maxCoeff();
    shifted_exp = (logits.col(j).array() - max_logit).exp();
    const float exp_sum = shifted_exp.sum();
    // -log softmax[label] = log(sum of exp(z - max)) - (z[label] - max).
    loss_sum += std::log(static_cast<double>(exp_sum)) -
                (logits(labels[j], j) - max_logit);

    if (logit_gradients != nullptr) {
      auto gradient = logit_gradients->col(j);
      gradient = shifted_exp * (inverse_batch_size / exp_sum);
      gradient(labels[j]) -= inverse_batch_size;
    }
  }
  return loss_sum / static_cast<double>(batch_size);
}

absl::StatusOr<int64_t> CountCorrectPredictions(
    const Eigen::Ref<const Eigen::MatrixXf>& logits,
    absl::Span<const int32_t> labels) {
  const absl::Status status =
      ValidateLabels(labels, logits.cols(), logits.rows());
  if (!status.ok()) return status;

  int64_t correct = 0;
  for (int64_t j = 0; j < logits.cols(); ++j) {
    Eigen::Index predicted = 0;
    logits.col(j).maxCoeff(&predicted);
    if (predicted == labels[j]) ++correct;
  }
  return correct;
}

}  // namespace lrsched::trainer
