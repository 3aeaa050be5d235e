// Loads Fashion-MNIST IDX files into a Dataset and checks that images and
// labels agree.

#include "trainer/fashion_mnist.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "trainer/dataset.h"
#include "trainer/idx_reader.h"

namespace lrsched::trainer {
namespace {

constexpr int kImagesRank = 3;
constexpr int kLabelsRank = 1;

std::string SplitFilePrefix(FashionMnistSplit split) {
  return split == FashionMnistSplit::kTrain ? "train" : "t10k";
}

// Reads one IDX file and adds an install hint to NotFound errors.
absl::StatusOr<IdxArray> ReadDatasetFile(const std::string& path, int rank,
                                         std::optional<int64_t> max_items) {
  absl::StatusOr<IdxArray> array = ReadIdxFile(path, rank, max_items);
  if (absl::IsNotFound(array.status())) {
    return absl::NotFoundError(absl::StrCat(
        array.status().message(),
        ". The Fashion-MNIST files come from the Debian package "
        "dataset-fashion-mnist: run `apt-get install dataset-fashion-mnist`, "
        "or pass the directory that contains them."));
  }
  return array;
}

absl::Status CheckImageShape(const IdxArray& images, const std::string& path) {
  if (images.dimensions[1] != kFashionMnistImageSide ||
      images.dimensions[2] != kFashionMnistImageSide) {
    return absl::DataLossError(absl::StrFormat(
        "%s contains %dx%d images, expected %dx%d", path,
        images.dimensions[1], images.dimensions[2], kFashionMnistImageSide,
        kFashionMnistImageSide));
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> BuildDataset(const IdxArray& images,
                                     const IdxArray& labels,
                                     const std::string& labels_path) {
  const int64_t count = images.dimensions[0];
  Dataset dataset;
  dataset.inputs.resize(kFashionMnistInputSize, count);
  const uint8_t* pixels = images.data.data();
  for (int64_t i = 0; i < count * kFashionMnistInputSize; ++i) {
    dataset.inputs.data()[i] = static_cast<float>(pixels[i]) / 255.0f;
  }

  dataset.labels.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    if (labels.data[i] >= kFashionMnistClasses) {
      return absl::DataLossError(absl::StrFormat(
          "%s: label %d is %d, expected a class index below %d", labels_path,
          i, labels.data[i], kFashionMnistClasses));
    }
    dataset.labels[i] = labels.data[i];
  }
  return dataset;
}

}  // namespace

absl::StatusOr<Dataset> LoadFashionMnist(const std::string& directory,
                                         FashionMnistSplit split,
                                         std::optional<int64_t> max_images) {
  const std::string prefix =
      absl::StrCat(directory, "/", SplitFilePrefix(split));
  const std::string images_path = prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = prefix + "-labels-idx1-ubyte.gz";

  absl::StatusOr<IdxArray> images =
      ReadDatasetFile(images_path, kImagesRank, max_images);
  if (!images.ok()) return images.status();
  absl::Status status = CheckImageShape(*images, images_path);
  if (!status.ok()) return status;

  absl::StatusOr<IdxArray> labels =
      ReadDatasetFile(labels_path, kLabelsRank, max_images);
  if (!labels.ok()) return labels.status();
  if (labels->dimensions[0] != images->dimensions[0]) {
    return absl::DataLossError(absl::StrFormat(
        "%s contains %d labels but %s contains %d images", labels_path,
        labels->dimensions[0], images_path, images->dimensions[0]));
  }

  return BuildDataset(*images, *labels, labels_path);
}

}  // namespace lrsched::trainer
