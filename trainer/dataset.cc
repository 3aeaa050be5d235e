// Validation of Dataset shapes and labels.

#include "trainer/dataset.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lrsched::trainer {

absl::Status ValidateDataset(const Dataset& dataset, int64_t input_size,
                             int num_classes) {
  if (dataset.size() == 0) {
    return absl::InvalidArgumentError("dataset has no examples");
  }
  if (dataset.inputs.rows() != input_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset inputs have ", dataset.inputs.rows(),
                     " rows, but the model expects input_size ", input_size));
  }
  if (dataset.inputs.cols() != dataset.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset has ", dataset.inputs.cols(), " input columns but ",
                     dataset.size(), " labels"));
  }

  for (int64_t i = 0; i < dataset.size(); ++i) {
    const int32_t label = dataset.labels[i];
    if (label < 0 || label >= num_classes) {
      return absl::InvalidArgumentError(
          absl::StrCat("dataset label ", i, " is ", label,
                       ", outside the valid range [0, ", num_classes, ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> ShardDataset(const Dataset& dataset, int shard_index,
                                     int shard_count) {
  if (shard_count < 1 || shard_index < 0 || shard_index >= shard_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shard index must be in [0, ", shard_count, "), got ", shard_index));
  }
  const int64_t size =
      (dataset.size() - shard_index + shard_count - 1) / shard_count;
  if (size < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shard ", shard_index, " of ", shard_count, " of ", dataset.size(),
        " examples is empty"));
  }

  Dataset shard;
  shard.inputs.resize(dataset.inputs.rows(), size);
  shard.labels.reserve(size);
  for (int64_t i = 0; i < size; ++i) {
    const int64_t source = shard_index + i * shard_count;
    shard.inputs.col(i) = dataset.inputs.col(source);
    shard.labels.push_back(dataset.labels[source]);
  }
  return shard;
}

}  // namespace lrsched::trainer
