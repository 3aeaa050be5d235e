// Tests of LoadFashionMnist on tiny files in the Fashion-MNIST layout, and
// on the first images of the real files when dataset-fashion-mnist is
// installed.

#include "trainer/fashion_mnist.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/trainer/idx_test_files.h"
#include "trainer/dataset.h"

namespace lrsched::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IdxFileBytes;
using testing::MakeTestDirectory;
using testing::WriteGzipFile;

constexpr int kPixels = kFashionMnistInputSize;

// Writes `count` 28x28 training images, image i filled with pixel value
// 50 * i except its first pixel, which is 255, and the given labels.
void WriteTrainFiles(const std::string& directory, uint32_t count,
                     const std::vector<uint8_t>& labels,
                     uint32_t image_side = kFashionMnistImageSide) {
  const uint32_t pixels = image_side * image_side;
  std::vector<uint8_t> images(count * pixels);
  for (uint32_t i = 0; i < count; ++i) {
    for (uint32_t p = 0; p < pixels; ++p) {
      images[i * pixels + p] = static_cast<uint8_t>(p == 0 ? 255 : 50 * i);
    }
  }
  WriteGzipFile(directory + "/train-images-idx3-ubyte.gz",
                IdxFileBytes({count, image_side, image_side}, images));
  WriteGzipFile(directory + "/train-labels-idx1-ubyte.gz",
                IdxFileBytes({static_cast<uint32_t>(labels.size())}, labels));
}

TEST(FashionMnist, LoadsScaledPixelsAndLabels) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 0, 4});

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain);

  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->size(), 3);
  EXPECT_EQ(dataset->inputs.rows(), kPixels);
  EXPECT_EQ(dataset->inputs.cols(), 3);
  EXPECT_THAT(dataset->labels, ElementsAre(9, 0, 4));
  EXPECT_FLOAT_EQ(dataset->inputs(0, 2), 1.0f);
  EXPECT_FLOAT_EQ(dataset->inputs(1, 0), 0.0f);
  EXPECT_FLOAT_EQ(dataset->inputs(kPixels - 1, 1), 50.0f / 255.0f);
  EXPECT_FLOAT_EQ(dataset->inputs(kPixels - 1, 2), 100.0f / 255.0f);
}

TEST(FashionMnist, MaxImagesLoadsPrefix) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 0, 4});

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain, 2);

  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->inputs.cols(), 2);
  EXPECT_THAT(dataset->labels, ElementsAre(9, 0));
}

TEST(FashionMnist, MissingFileNamesPathAndPackage) {
  const std::string directory = MakeTestDirectory();

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTest);

  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(dataset.status().message(),
              HasSubstr(directory + "/t10k-images-idx3-ubyte.gz"));
  EXPECT_THAT(dataset.status().message(),
              HasSubstr("apt-get install dataset-fashion-mnist"));
}

TEST(FashionMnist, MissingLabelsFileIsNotFound) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 0, 4});
  std::filesystem::remove(directory + "/train-labels-idx1-ubyte.gz");

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain);

  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(dataset.status().message(),
              HasSubstr(directory + "/train-labels-idx1-ubyte.gz"));
}

TEST(FashionMnist, LabelCountMismatchIsDataLoss) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 0});

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain);

  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(dataset.status().message(),
              HasSubstr("contains 2 labels but"));
}

TEST(FashionMnist, LabelOutOfRangeIsDataLoss) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 10, 4});

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain);

  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(dataset.status().message(), HasSubstr("label 1 is 10"));
}

TEST(FashionMnist, WrongImageSizeIsDataLoss) {
  const std::string directory = MakeTestDirectory();
  WriteTrainFiles(directory, 3, {9, 0, 4}, 27);

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(directory, FashionMnistSplit::kTrain);

  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(dataset.status().message(),
              HasSubstr("contains 27x27 images, expected 28x28"));
}

TEST(FashionMnist, LoadsInstalledFilesPrefix) {
  const std::string images_path =
      std::string(kFashionMnistDirectory) + "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(images_path)) {
    GTEST_SKIP() << images_path << " is missing; install the Debian package "
                 << "dataset-fashion-mnist to run this test";
  }

  const absl::StatusOr<Dataset> dataset =
      LoadFashionMnist(kFashionMnistDirectory, FashionMnistSplit::kTrain, 100);

  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->size(), 100);
  EXPECT_EQ(dataset->inputs.rows(), kPixels);
  EXPECT_GE(dataset->inputs.minCoeff(), 0.0f);
  EXPECT_LE(dataset->inputs.maxCoeff(), 1.0f);
  EXPECT_GT(dataset->inputs.maxCoeff(), 0.5f);
}

}  // namespace
}  // namespace lrsched::trainer
