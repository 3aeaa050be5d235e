// Saving and loading an Mlp's parameters, so that a population-based training run can take the
// weights of the run whose learning rate it copies.
//
// The file contains the magic "LRSCHEDCKPT1", the layer count, then for each layer the weight
// matrix's rows and columns (int64), its floats in column-major order, the bias length (int64)
// and the bias floats, all in the machine's byte order. The optimizer's momentum is not saved.
#ifndef LRSCHED_TRAINER_CHECKPOINT_H_
#define LRSCHED_TRAINER_CHECKPOINT_H_

#include <string>

#include "absl/status/status.h"
#include "trainer/mlp.h"

namespace lrsched::trainer {

// Writes the parameters to `path` through a temporary file that replaces it, so a reader never
// sees half a checkpoint. Errors name the path.
absl::Status SaveCheckpoint(const Mlp& model, const std::string& path);

// Replaces the model's parameters with those in `path`. Returns NOT_FOUND when the file is
// missing, and DATA_LOSS when it is not a checkpoint or its layer shapes differ from the
// model's. On error the model is unchanged.
absl::Status LoadCheckpoint(const std::string& path, Mlp& model);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_CHECKPOINT_H_
