// Tests of SgdTrainer on small synthetic data sets: the loss falls, the
// learning rate callback runs before every step and can stop training, inputs
// are validated, and seeded runs reproduce.

#include "trainer/sgd_trainer.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <Eigen/Core>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/dataset.h"

namespace lrsched::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kInputSize = 8;
constexpr int kClasses = 3;

// Returns `count` examples from three Gaussian blobs with standard deviation
// 0.7 around the centers 2 * e0, 2 * e1 and 2 * e2.
Dataset MakeBlobs(int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.7f);
  Dataset dataset;
  dataset.inputs.resize(kInputSize, count);
  dataset.labels.resize(count);
  for (int i = 0; i < count; ++i) {
    const int label = i % kClasses;
    for (int row = 0; row < kInputSize; ++row) {
      dataset.inputs(row, i) = noise(rng) + (row == label ? 2.0f : 0.0f);
    }
    dataset.labels[i] = label;
  }
  return dataset;
}

TrainerOptions SmallOptions() {
  TrainerOptions options;
  options.layer_sizes = {kInputSize, 16, kClasses};
  options.batch_size = 16;
  options.num_threads = 1;
  options.evaluation_batch_size = 50;
  return options;
}

TEST(SgdTrainer, DefaultOptionsMatchFashionMnistModel) {
  const TrainerOptions options;

  EXPECT_THAT(options.layer_sizes, ElementsAre(784, 256, 128, 10));
  EXPECT_EQ(options.batch_size, 64);
  EXPECT_EQ(options.momentum, 0.9);
  EXPECT_TRUE(SgdTrainer::Create(options).ok());
}

TEST(SgdTrainer, LossDecreasesOnBlobs) {
  const Dataset train_set = MakeBlobs(600, 1);
  const Dataset test_set = MakeBlobs(300, 2);
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  const absl::StatusOr<EvaluationResult> before = trainer->Evaluate(test_set);
  ASSERT_TRUE(before.ok()) << before.status();

  std::vector<double> epoch_losses;
  for (int epoch = 0; epoch < 5; ++epoch) {
    const absl::StatusOr<EpochResult> result =
        trainer->TrainEpoch(train_set, 0.05);
    ASSERT_TRUE(result.ok()) << result.status();
    epoch_losses.push_back(result->mean_loss);
  }
  const absl::StatusOr<EvaluationResult> after = trainer->Evaluate(test_set);
  ASSERT_TRUE(after.ok()) << after.status();

  EXPECT_LT(epoch_losses.back(), 0.5 * epoch_losses.front());
  EXPECT_LT(after->mean_loss, 0.5 * before->mean_loss);
  EXPECT_GT(after->accuracy, 0.9);
  EXPECT_EQ(after->examples, 300);
  EXPECT_EQ(trainer->epochs_completed(), 5);
}

TEST(SgdTrainer, LastBatchContainsRemainder) {
  const Dataset train_set = MakeBlobs(40, 1);
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();

  const absl::StatusOr<EpochResult> result =
      trainer->TrainEpoch(train_set, 0.05);

  ASSERT_TRUE(result.ok()) << result.status();
  // 40 examples in batches of 16: 16, 16 and 8.
  EXPECT_EQ(result->steps, 3);
  EXPECT_EQ(trainer->global_step(), 3);
  EXPECT_GE(result->seconds, 0.0);
}

TEST(SgdTrainer, CallbackSeesConsecutiveGlobalSteps) {
  const Dataset train_set = MakeBlobs(40, 1);
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  std::vector<int64_t> steps_seen;
  const LearningRateFunction record_step =
      [&steps_seen](int64_t global_step) -> absl::StatusOr<double> {
    steps_seen.push_back(global_step);
    return 0.01;
  };

  ASSERT_TRUE(trainer->TrainEpoch(train_set, record_step).ok());
  ASSERT_TRUE(trainer->TrainEpoch(train_set, record_step).ok());

  EXPECT_THAT(steps_seen, ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST(SgdTrainer, CallbackErrorStopsTraining) {
  const Dataset train_set = MakeBlobs(40, 1);
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  int calls = 0;
  const LearningRateFunction fail_at_step_two =
      [&calls](int64_t global_step) -> absl::StatusOr<double> {
    ++calls;
    if (global_step == 2) return absl::UnavailableError("server is down");
    return 0.01;
  };

  const absl::StatusOr<EpochResult> result =
      trainer->TrainEpoch(train_set, fail_at_step_two);

  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(result.status().message(), HasSubstr("global step 2"));
  EXPECT_THAT(result.status().message(), HasSubstr("server is down"));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(trainer->global_step(), 2);
  EXPECT_EQ(trainer->epochs_completed(), 0);
}

TEST(SgdTrainer, InvalidCallbackRateStopsTraining) {
  const Dataset train_set = MakeBlobs(40, 1);
  for (const double bad_rate : {-0.5, std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(bad_rate);
    absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
    ASSERT_TRUE(trainer.ok()) << trainer.status();
    const absl::StatusOr<EpochResult> result = trainer->TrainEpoch(
        train_set,
        [bad_rate](int64_t) { return absl::StatusOr<double>(bad_rate); });

    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(),
                HasSubstr("global step 0: learning rate must be finite"));
    EXPECT_EQ(trainer->global_step(), 0);
  }
}

TEST(SgdTrainer, InvalidConstantRateIsRejected) {
  const Dataset train_set = MakeBlobs(40, 1);
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();

  const absl::StatusOr<EpochResult> result =
      trainer->TrainEpoch(train_set, -1.0);

  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("got -1"));
  EXPECT_EQ(trainer->global_step(), 0);
}

TEST(SgdTrainer, EmptyCallbackIsRejected) {
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();

  const absl::StatusOr<EpochResult> result =
      trainer->TrainEpoch(MakeBlobs(40, 1), LearningRateFunction());

  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SgdTrainer, MismatchedDatasetIsRejected) {
  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(SmallOptions());
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  Dataset wrong_width = MakeBlobs(40, 1);
  wrong_width.inputs.conservativeResize(kInputSize - 1, Eigen::NoChange);
  Dataset bad_label = MakeBlobs(40, 1);
  bad_label.labels[7] = kClasses;

  const absl::Status width_status =
      trainer->TrainEpoch(wrong_width, 0.05).status();
  const absl::Status label_status = trainer->Evaluate(bad_label).status();
  const absl::Status empty_status = trainer->Evaluate(Dataset()).status();

  EXPECT_EQ(width_status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(width_status.message(), HasSubstr("input_size 8"));
  EXPECT_EQ(label_status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(label_status.message(), HasSubstr("label 7 is 3"));
  EXPECT_EQ(empty_status.code(), absl::StatusCode::kInvalidArgument);
}

TEST(SgdTrainer, InvalidOptionsAreRejected) {
  TrainerOptions zero_batch = SmallOptions();
  zero_batch.batch_size = 0;
  TrainerOptions zero_threads = SmallOptions();
  zero_threads.num_threads = 0;
  TrainerOptions zero_evaluation_batch = SmallOptions();
  zero_evaluation_batch.evaluation_batch_size = 0;
  TrainerOptions big_momentum = SmallOptions();
  big_momentum.momentum = 1.5;
  TrainerOptions one_layer_size = SmallOptions();
  one_layer_size.layer_sizes = {kInputSize};

  const absl::Status batch_status = SgdTrainer::Create(zero_batch).status();
  EXPECT_EQ(batch_status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(batch_status.message(), HasSubstr("batch_size"));
  EXPECT_EQ(SgdTrainer::Create(zero_threads).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SgdTrainer::Create(zero_evaluation_batch).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SgdTrainer::Create(big_momentum).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SgdTrainer::Create(one_layer_size).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SgdTrainer, SameSeedsReproduceTraining) {
  const Dataset train_set = MakeBlobs(200, 1);
  TrainerOptions options = SmallOptions();
  options.num_threads = 2;
  absl::StatusOr<SgdTrainer> first = SgdTrainer::Create(options);
  absl::StatusOr<SgdTrainer> second = SgdTrainer::Create(options);
  options.shuffle_seed += 1;
  absl::StatusOr<SgdTrainer> other_shuffle = SgdTrainer::Create(options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(other_shuffle.ok()) << other_shuffle.status();

  for (int epoch = 0; epoch < 2; ++epoch) {
    ASSERT_TRUE(first->TrainEpoch(train_set, 0.05).ok());
    ASSERT_TRUE(second->TrainEpoch(train_set, 0.05).ok());
    ASSERT_TRUE(other_shuffle->TrainEpoch(train_set, 0.05).ok());
  }

  const Eigen::MatrixXf& weights = first->model().parameters()[0].weights;
  EXPECT_EQ(weights, second->model().parameters()[0].weights);
  EXPECT_NE(weights, other_shuffle->model().parameters()[0].weights);
}

}  // namespace
}  // namespace lrsched::trainer
