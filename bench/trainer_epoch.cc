// Trains the bundled trainer's MLP on Fashion-MNIST at a constant learning
// rate, with no server, and prints seconds per epoch and test accuracy.
// bench/pytorch_epoch.py trains the same model in PyTorch and prints lines of
// the same format, which bench/compare_trainer_with_pytorch.sh compares:
//   epoch 1 seconds 0.712 train_loss 0.5321 test_loss 0.4412 test_accuracy 0.8412
// The seconds cover the training steps only, not the evaluation.

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <Eigen/Core>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "trainer/dataset.h"
#include "trainer/fashion_mnist.h"
#include "trainer/sgd_trainer.h"

ABSL_FLAG(std::string, data_dir, lrsched::trainer::kFashionMnistDirectory,
          "Directory of the Fashion-MNIST gzip IDX files.");
ABSL_FLAG(int, epochs, 5, "Number of epochs to train.");
ABSL_FLAG(int, batch_size, 64, "Examples per SGD step.");
ABSL_FLAG(int, threads, 2, "OpenMP threads for Eigen's matrix products.");
ABSL_FLAG(double, learning_rate, 0.05, "Constant SGD learning rate.");
ABSL_FLAG(double, momentum, 0.9, "SGD momentum coefficient, in [0, 1).");
ABSL_FLAG(uint64_t, seed, 1,
          "Seed of the weight initialization; the shuffle uses seed + 1.");
ABSL_FLAG(int64_t, train_limit, 0,
          "Use only the first N training images (0 uses all 60,000).");

namespace lrsched::trainer {
namespace {

absl::StatusOr<TrainerOptions> OptionsFromFlags() {
  TrainerOptions options;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.num_threads = absl::GetFlag(FLAGS_threads);
  options.momentum = absl::GetFlag(FLAGS_momentum);
  options.initialization_seed = absl::GetFlag(FLAGS_seed);
  options.shuffle_seed = absl::GetFlag(FLAGS_seed) + 1;
  if (absl::GetFlag(FLAGS_epochs) < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--epochs must be at least 1, got %d", absl::GetFlag(FLAGS_epochs)));
  }
  return options;
}

void PrintConfiguration(const TrainerOptions& options,
                        const Dataset& train_set) {
  absl::PrintF(
      "lrsched_trainer eigen %d.%d.%d threads %d batch_size %d "
      "learning_rate %g momentum %g train_images %d\n",
      EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION,
      options.num_threads, options.batch_size,
      absl::GetFlag(FLAGS_learning_rate), options.momentum, train_set.size());
}

absl::Status Run() {
  const absl::StatusOr<TrainerOptions> options = OptionsFromFlags();
  if (!options.ok()) return options.status();

  const int64_t train_limit = absl::GetFlag(FLAGS_train_limit);
  const absl::StatusOr<Dataset> train_set = LoadFashionMnist(
      absl::GetFlag(FLAGS_data_dir), FashionMnistSplit::kTrain,
      train_limit > 0 ? std::optional<int64_t>(train_limit) : std::nullopt);
  if (!train_set.ok()) return train_set.status();
  const absl::StatusOr<Dataset> test_set = LoadFashionMnist(
      absl::GetFlag(FLAGS_data_dir), FashionMnistSplit::kTest);
  if (!test_set.ok()) return test_set.status();

  absl::StatusOr<SgdTrainer> trainer = SgdTrainer::Create(*options);
  if (!trainer.ok()) return trainer.status();
  PrintConfiguration(*options, *train_set);

  for (int epoch = 1; epoch <= absl::GetFlag(FLAGS_epochs); ++epoch) {
    const absl::StatusOr<EpochResult> result =
        trainer->TrainEpoch(*train_set, absl::GetFlag(FLAGS_learning_rate));
    if (!result.ok()) return result.status();
    const absl::StatusOr<EvaluationResult> test = trainer->Evaluate(*test_set);
    if (!test.ok()) return test.status();

    absl::PrintF(
        "epoch %d seconds %.3f train_loss %.4f test_loss %.4f "
        "test_accuracy %.4f\n",
        epoch, result->seconds, result->mean_loss, test->mean_loss,
        test->accuracy);
    std::cout.flush();
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace lrsched::trainer

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = lrsched::trainer::Run();
  if (!status.ok()) {
    std::cerr << "trainer_epoch: " << status << "\n";
    return 1;
  }
  return 0;
}
