// lrsched-trainer: trains an MLP on Fashion-MNIST with the learning rate an lrsched server hands
// out each epoch (or each step with --per_step), and reports its metrics to the same server.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "core/status_macros.h"
#include "trainer/checkpoint.h"
#include "trainer/fashion_mnist.h"
#include "trainer/remote_run.h"
#include "trainer/sgd_trainer.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of the lrsched server");
ABSL_FLAG(std::string, spec, "", "JSON schedule spec: create the run from it (or join it when "
                                 "it exists with the same spec)");
ABSL_FLAG(std::string, run, "", "run id; with --spec the default is fashion-mnist-<time>, "
                                "without --spec it names an existing run to join");
ABSL_FLAG(std::string, policy, "", "JSON policy spec of the run created from --spec (optional)");
ABSL_FLAG(int, workers, 1, "number of worker processes of the run; each trains one shard");
ABSL_FLAG(int, worker_index, 0, "this worker's shard, in [0, --workers)");
ABSL_FLAG(std::string, worker, "", "this worker's name, sent with every request; "
                                   "worker-<worker_index> when empty");
ABSL_FLAG(int, epochs, 10, "number of epochs to train");
ABSL_FLAG(bool, per_step, false,
          "change the rate before every step, not every epoch; the rate is computed locally "
          "from a schedule leased from the server, which renews the lease when needed");
ABSL_FLAG(std::string, data_dir, lrsched::trainer::kFashionMnistDirectory,
          "folder of the Fashion-MNIST gzip IDX files (Debian package dataset-fashion-mnist)");
ABSL_FLAG(int64_t, train_limit, 0, "train on the first N training images only; 0 for all 60,000");
ABSL_FLAG(int, batch_size, 64, "examples per SGD step");
ABSL_FLAG(double, momentum, 0.9, "SGD momentum, in [0, 1)");
ABSL_FLAG(std::string, hidden, "256,128", "comma-separated hidden layer sizes");
ABSL_FLAG(int, threads, 2, "threads for the matrix products");
ABSL_FLAG(uint64_t, seed, 1, "seed of the weight initialization; shuffling uses seed + 1");
ABSL_FLAG(bool, report_gradient_dot, false,
          "also report grad_dot, the mean dot product of consecutive steps' gradients, for a "
          "hypergradient_descent policy");
ABSL_FLAG(std::string, checkpoint_dir, "",
          "folder for checkpoints: the model is saved there as <run>.ckpt after each epoch, and "
          "loaded from <other run>.ckpt when population-based training says so");
ABSL_FLAG(double, timeout, 30, "seconds to keep retrying a server that does not answer");
ABSL_FLAG(double, wait, 300, "seconds one rate request may wait while other workers finish "
                             "their epoch and the run's policy decides");

namespace lrsched::trainer {
namespace {

struct Data {
  Dataset train;
  Dataset test;
};

absl::StatusOr<std::vector<int>> LayerSizes(const std::string& hidden) {
  std::vector<int> sizes = {kFashionMnistInputSize};
  for (const absl::string_view part : absl::StrSplit(hidden, ',', absl::SkipEmpty())) {
    int size = 0;
    if (!absl::SimpleAtoi(part, &size) || size < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--hidden must list positive layer sizes, got \"", hidden, "\""));
    }
    sizes.push_back(size);
  }
  sizes.push_back(kFashionMnistClasses);
  return sizes;
}

absl::StatusOr<TrainerOptions> TrainerOptionsFromFlags() {
  TrainerOptions options;
  ASSIGN_OR_RETURN(options.layer_sizes, LayerSizes(absl::GetFlag(FLAGS_hidden)));
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.momentum = absl::GetFlag(FLAGS_momentum);
  options.num_threads = absl::GetFlag(FLAGS_threads);
  options.initialization_seed = absl::GetFlag(FLAGS_seed);
  options.shuffle_seed = absl::GetFlag(FLAGS_seed) + 1;
  options.track_gradient_dot = absl::GetFlag(FLAGS_report_gradient_dot);
  return options;
}

absl::Status CheckFlags() {
  if (absl::GetFlag(FLAGS_epochs) < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--epochs must be at least 1, got ", absl::GetFlag(FLAGS_epochs)));
  }
  if (absl::GetFlag(FLAGS_train_limit) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--train_limit must be 0 (all) or positive, got ", absl::GetFlag(FLAGS_train_limit)));
  }
  for (const auto& [name, seconds] : {std::pair<const char*, double>{"--timeout",
                                                                      absl::GetFlag(FLAGS_timeout)},
                                      {"--wait", absl::GetFlag(FLAGS_wait)}}) {
    if (!(seconds > 0 && seconds <= 3600)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be in (0, 3600] seconds, got ", seconds));
    }
  }
  const int workers = absl::GetFlag(FLAGS_workers);
  const int worker_index = absl::GetFlag(FLAGS_worker_index);
  if (workers < 1 || worker_index < 0 || worker_index >= workers) {
    return absl::InvalidArgumentError(absl::StrCat("--worker_index must be in [0, --workers = ",
                                                   workers, "), got ", worker_index));
  }
  if (absl::GetFlag(FLAGS_spec).empty() && absl::GetFlag(FLAGS_run).empty()) {
    return absl::InvalidArgumentError(
        "name a schedule with --spec FILE, or an existing run to join with --run ID");
  }
  return absl::OkStatus();
}

absl::StatusOr<Data> LoadData() {
  const std::string dir = absl::GetFlag(FLAGS_data_dir);
  const int64_t limit = absl::GetFlag(FLAGS_train_limit);
  Data data;
  ASSIGN_OR_RETURN(const Dataset train,
                   LoadFashionMnist(dir, FashionMnistSplit::kTrain,
                                    limit > 0 ? std::optional<int64_t>(limit) : std::nullopt));
  ASSIGN_OR_RETURN(data.train, ShardDataset(train, absl::GetFlag(FLAGS_worker_index),
                                            absl::GetFlag(FLAGS_workers)));
  ASSIGN_OR_RETURN(data.test, LoadFashionMnist(dir, FashionMnistSplit::kTest));
  return data;
}

absl::StatusOr<RemoteRun> OpenRun() {
  ClientOptions options;
  options.retry_budget = absl::Seconds(absl::GetFlag(FLAGS_timeout));
  options.call_timeout = absl::Seconds(absl::GetFlag(FLAGS_wait));
  ASSIGN_OR_RETURN(std::shared_ptr<Client> client,
                   Client::Connect(absl::GetFlag(FLAGS_server), options));

  std::string worker = absl::GetFlag(FLAGS_worker);
  if (worker.empty()) worker = absl::StrCat("worker-", absl::GetFlag(FLAGS_worker_index));
  std::string run_id = absl::GetFlag(FLAGS_run);
  if (absl::GetFlag(FLAGS_spec).empty()) return RemoteRun::Join(client, run_id, worker);

  if (run_id.empty()) {
    run_id = absl::StrCat("fashion-mnist-", absl::FormatTime("%Y%m%d-%H%M%S", absl::Now(),
                                                             absl::UTCTimeZone()));
  }
  const RemoteRun::RunFiles files{absl::GetFlag(FLAGS_spec), absl::GetFlag(FLAGS_policy),
                                  absl::GetFlag(FLAGS_workers)};
  return RemoteRun::Create(client, run_id, files, worker);
}

// Loads the checkpoint that a population-based training decision names, if any.
absl::Status LoadNamedCheckpoint(SgdTrainer& trainer, const v1::GetLearningRateResponse& reply) {
  if (reply.load_checkpoint_from().empty()) return absl::OkStatus();
  const std::string dir = absl::GetFlag(FLAGS_checkpoint_dir);
  if (dir.empty()) {
    std::printf("note: the server asks to load run %s's checkpoint; set --checkpoint_dir to "
                "take part in population-based training\n",
                reply.load_checkpoint_from().c_str());
    return absl::OkStatus();
  }
  const std::string path = absl::StrCat(dir, "/", reply.load_checkpoint_from(), ".ckpt");
  RETURN_IF_ERROR(LoadCheckpoint(path, trainer.mutable_model()));
  std::printf("loaded checkpoint %s\n", path.c_str());
  return absl::OkStatus();
}

// Trains one epoch with the rate of its first step, or with a rate per step.
absl::StatusOr<EpochResult> TrainOneEpoch(SgdTrainer& trainer, RemoteRun& run,
                                          const Dataset& train, int64_t epoch,
                                          double* first_rate) {
  if (!absl::GetFlag(FLAGS_per_step)) {
    ASSIGN_OR_RETURN(const auto reply, run.RateReply(trainer.global_step(), epoch));
    RETURN_IF_ERROR(LoadNamedCheckpoint(trainer, reply));
    *first_rate = reply.learning_rate();
    return trainer.TrainEpoch(train, *first_rate);
  }

  const int64_t first_step = trainer.global_step();
  return trainer.TrainEpoch(train, [&](int64_t step) -> absl::StatusOr<double> {
    ASSIGN_OR_RETURN(const double rate, run.LocalLearningRate(step, epoch));
    if (step == first_step) *first_rate = rate;
    return rate;
  });
}

// Reports the finite metrics; a diverged loss is left out, since the server rejects NaN.
absl::Status ReportEpoch(RemoteRun& run, int64_t step, int64_t epoch,
                         const std::map<std::string, double>& metrics) {
  std::map<std::string, double> finite;
  for (const auto& [name, value] : metrics) {
    if (std::isfinite(value)) finite[name] = value;
  }
  return run.Report(step, epoch, finite);
}

absl::Status Train() {
  RETURN_IF_ERROR(CheckFlags());
  ASSIGN_OR_RETURN(const TrainerOptions options, TrainerOptionsFromFlags());
  ASSIGN_OR_RETURN(SgdTrainer trainer, SgdTrainer::Create(options));
  ASSIGN_OR_RETURN(const Data data, LoadData());
  ASSIGN_OR_RETURN(RemoteRun run, OpenRun());

  const int epochs = absl::GetFlag(FLAGS_epochs);
  std::printf("lrsched-trainer: run %s on %s, worker %d of %d, %lld training and %lld test "
              "images, %d epochs, rate asked every %s\n",
              run.run_id().c_str(), absl::GetFlag(FLAGS_server).c_str(),
              absl::GetFlag(FLAGS_worker_index) + 1, absl::GetFlag(FLAGS_workers),
              static_cast<long long>(data.train.size()), static_cast<long long>(data.test.size()),
              epochs, absl::GetFlag(FLAGS_per_step) ? "step" : "epoch");

  EvaluationResult test;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double rate = 0;
    ASSIGN_OR_RETURN(const EpochResult result,
                     TrainOneEpoch(trainer, run, data.train, epoch, &rate));
    ASSIGN_OR_RETURN(test, trainer.Evaluate(data.test));

    std::printf("epoch %d/%d  lr %.6g  train_loss %.4f  test_loss %.4f  test_accuracy %.4f  "
                "%.2f s\n",
                epoch + 1, epochs, rate, result.mean_loss, test.mean_loss, test.accuracy,
                result.seconds);
    std::fflush(stdout);
    std::map<std::string, double> metrics = {{"train_loss", result.mean_loss},
                                             {"test_loss", test.mean_loss},
                                             {"test_accuracy", test.accuracy},
                                             {"epoch_seconds", result.seconds}};
    if (absl::GetFlag(FLAGS_report_gradient_dot)) metrics["grad_dot"] = result.mean_gradient_dot;
    if (!absl::GetFlag(FLAGS_checkpoint_dir).empty()) {
      RETURN_IF_ERROR(SaveCheckpoint(
          trainer.model(),
          absl::StrCat(absl::GetFlag(FLAGS_checkpoint_dir), "/", run.run_id(), ".ckpt")));
    }
    RETURN_IF_ERROR(ReportEpoch(run, trainer.global_step(), epoch, metrics));
    if (!std::isfinite(result.mean_loss)) {
      return absl::AbortedError(absl::StrCat("training diverged in epoch ", epoch + 1,
                                             " (train_loss ", result.mean_loss,
                                             "); lower the learning rate"));
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("done: run %s, %d epochs in %.1f s, final test_accuracy %.4f, test_loss %.4f\n",
              run.run_id().c_str(), epochs, seconds, test.accuracy, test.mean_loss);
  return absl::OkStatus();
}

}  // namespace
}  // namespace lrsched::trainer

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Trains an MLP on Fashion-MNIST with learning rates from an lrsched server.\n"
      "Usage: lrsched-trainer --spec FILE [--run ID] [--server HOST:PORT] [--epochs N]\n"
      "       lrsched-trainer --run ID [--server HOST:PORT]   (join an existing run)");
  absl::ParseCommandLine(argc, argv);

  const absl::Status status = lrsched::trainer::Train();
  if (!status.ok()) {
    std::cerr << "lrsched-trainer: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
