// Softmax cross-entropy loss and accuracy for a batch of logits, the loss that
// torch.nn.CrossEntropyLoss computes with its default mean reduction.

#ifndef LRSCHED_TRAINER_SOFTMAX_CROSS_ENTROPY_H_
#define LRSCHED_TRAINER_SOFTMAX_CROSS_ENTROPY_H_

#include <cstdint>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace lrsched::trainer {

// Returns OK if `labels` has `batch_size` entries, at least one, each in
// [0, num_classes). Otherwise returns InvalidArgument naming the problem.
absl::Status ValidateLabels(absl::Span<const int32_t> labels,
                            int64_t batch_size, int64_t num_classes);

// Computes the mean over the batch of -log(softmax(logits)[label]), where
// `logits` is num_classes x batch. If `logit_gradients` is not null, it is
// resized and receives the gradient of that mean with respect to the logits:
// (softmax(logits) - one_hot(label)) / batch, column by column.
//
// Errors: InvalidArgument from ValidateLabels.
absl::StatusOr<double> ComputeSoftmaxCrossEntropy(
    const Eigen::Ref<const Eigen::MatrixXf>& logits,
    absl::Span<const int32_t> labels, Eigen::MatrixXf* logit_gradients);

// Returns the number of columns of `logits` whose largest entry is in the
// label's row.
//
// Errors: InvalidArgument from ValidateLabels.
absl::StatusOr<int64_t> CountCorrectPredictions(
    const Eigen::Ref<const Eigen::MatrixXf>& logits,
    absl::Span<const int32_t> labels);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_SOFTMAX_CROSS_ENTROPY_H_
