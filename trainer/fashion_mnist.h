// Loader for Fashion-MNIST as Debian's package dataset-fashion-mnist installs
// it: four gzip IDX files of 28x28 grayscale images and their labels (10
// classes), 60,000 for training and 10,000 for testing.

#ifndef LRSCHED_TRAINER_FASHION_MNIST_H_
#define LRSCHED_TRAINER_FASHION_MNIST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "trainer/dataset.h"

namespace lrsched::trainer {

// Directory where dataset-fashion-mnist installs the files.
inline constexpr char kFashionMnistDirectory[] =
    "/usr/share/datasets/fashion-mnist";

inline constexpr int kFashionMnistImageSide = 28;
inline constexpr int kFashionMnistInputSize =
    kFashionMnistImageSide * kFashionMnistImageSide;
inline constexpr int kFashionMnistClasses = 10;

enum class FashionMnistSplit {
  kTrain,  // train-{images-idx3,labels-idx1}-ubyte.gz
  kTest,   // t10k-{images-idx3,labels-idx1}-ubyte.gz
};

// Loads one split from `directory` into a Dataset of 784 x N inputs, with
// pixels scaled from 0..255 to [0, 1] and labels in [0, 10).
//
// If `max_images` is set, loads only the first min(*max_images, N) images and
// labels, and the rest of both files is not read or checked.
//
// Errors: NotFound naming the full path and the Debian package if a file is
// missing. DataLoss naming the path for a corrupt or truncated file, images
// that are not 28x28, label and image counts that differ, or a label >= 10.
// InvalidArgument for a negative `max_images`.
absl::StatusOr<Dataset> LoadFashionMnist(
    const std::string& directory, FashionMnistSplit split,
    std::optional<int64_t> max_images = std::nullopt);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_FASHION_MNIST_H_
