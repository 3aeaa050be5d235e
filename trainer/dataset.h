// In-memory classification data set shared by the data loaders, the model and
// the trainer.

#ifndef LRSCHED_TRAINER_DATASET_H_
#define LRSCHED_TRAINER_DATASET_H_

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lrsched::trainer {

// Labeled examples stored one per column.
struct Dataset {
  // input_size x example count. Eigen's default column-major layout keeps
  // each example contiguous, so a range of examples is a cheap column block.
  Eigen::MatrixXf inputs;

  // Class index of each column of `inputs`.
  std::vector<int32_t> labels;

  int64_t size() const { return static_cast<int64_t>(labels.size()); }
};

// Returns OK if `dataset` has at least one example, `input_size` rows, one
// column per label and every label in [0, num_classes). Otherwise returns
// InvalidArgument naming the first mismatch.
absl::Status ValidateDataset(const Dataset& dataset, int64_t input_size,
                             int num_classes);

// Returns the examples whose index i satisfies i % shard_count == shard_index,
// in their order: the part of the training set one of `shard_count` workers
// trains on. InvalidArgument unless 0 <= shard_index < shard_count and the
// shard has at least one example.
absl::StatusOr<Dataset> ShardDataset(const Dataset& dataset, int shard_index,
                                     int shard_count);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_DATASET_H_
