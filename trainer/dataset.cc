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

}  // namespace lrsched::trainer
