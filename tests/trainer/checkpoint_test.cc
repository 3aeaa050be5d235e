// Checkpoints: a saved model loads back exactly, and bad files leave the model unchanged.
#include "trainer/checkpoint.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace lrsched::trainer {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".ckpt"))
      .string();
}

TEST(Checkpoint, SavedModelLoadsBackExactly) {
  const auto saved = Mlp::Create({4, 3, 2}, /*seed=*/1);
  auto loaded = Mlp::Create({4, 3, 2}, /*seed=*/2);
  ASSERT_TRUE(saved.ok()) << saved.status();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_NE(saved->parameters()[0].weights, loaded->parameters()[0].weights);

  const std::string path = TempPath("checkpoint-roundtrip");
  ASSERT_TRUE(SaveCheckpoint(*saved, path).ok());
  ASSERT_TRUE(LoadCheckpoint(path, *loaded).ok());
  for (size_t layer = 0; layer < saved->parameters().size(); ++layer) {
    EXPECT_EQ(loaded->parameters()[layer].weights, saved->parameters()[layer].weights);
    EXPECT_EQ(loaded->parameters()[layer].biases, saved->parameters()[layer].biases);
  }
  std::filesystem::remove(path);
}

TEST(Checkpoint, MissingFileIsNotFound) {
  auto model = Mlp::Create({4, 3, 2}, 1);
  ASSERT_TRUE(model.ok());
  const absl::Status status = LoadCheckpoint("/nonexistent/run.ckpt", *model);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(status.message().find("/nonexistent/run.ckpt"), std::string::npos);
}

TEST(Checkpoint, OtherShapeOrTruncatedFileIsDataLoss) {
  const auto small = Mlp::Create({4, 3, 2}, 1);
  auto other = Mlp::Create({4, 5, 2}, 1);
  ASSERT_TRUE(small.ok()) << small.status();
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string path = TempPath("checkpoint-shape");
  ASSERT_TRUE(SaveCheckpoint(*small, path).ok());
  const auto before = other->parameters()[0].weights;
  EXPECT_EQ(LoadCheckpoint(path, *other).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(other->parameters()[0].weights, before) << "a failed load must not change the model";

  std::filesystem::resize_file(path, 40);
  auto same_shape = Mlp::Create({4, 3, 2}, 2);
  ASSERT_TRUE(same_shape.ok());
  EXPECT_EQ(LoadCheckpoint(path, *same_shape).code(), absl::StatusCode::kDataLoss);

  std::ofstream(path, std::ios::trunc) << "not a checkpoint";
  EXPECT_EQ(LoadCheckpoint(path, *same_shape).code(), absl::StatusCode::kDataLoss);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace lrsched::trainer
