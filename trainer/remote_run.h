// The trainer's side of an lrsched run: creating or joining it, asking for learning rates and
// reporting metrics, all through lrsched::Client.
#ifndef LRSCHED_TRAINER_REMOTE_RUN_H_
#define LRSCHED_TRAINER_REMOTE_RUN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/client.h"
#include "client/local_schedule.h"

namespace lrsched::trainer {

class RemoteRun {
 public:
  // The JSON files that a new run is created from: its spec and, optionally, its policy.
  struct RunFiles {
    std::string spec_path;
    std::string policy_path;  // Empty for a run without a policy.
    int num_workers = 1;
  };

  // Creates the run `run_id`, or joins it when it already exists with the same spec, policy
  // and worker count. Errors name the file or the server address.
  static absl::StatusOr<RemoteRun> Create(std::shared_ptr<Client> client,
                                          const std::string& run_id, const RunFiles& files,
                                          const std::string& worker);

  // Joins an existing run. NOT_FOUND when the server has no such run.
  static absl::StatusOr<RemoteRun> Join(std::shared_ptr<Client> client, const std::string& run_id,
                                        const std::string& worker);

  const std::string& run_id() const { return run_.run_id(); }
  const v1::Run& run() const { return run_; }

  // Asks the server for the rate at (step, epoch).
  absl::StatusOr<double> LearningRate(int64_t step, int64_t epoch);

  // Asks the server for the rate at (step, epoch), with the whole reply (which names a
  // checkpoint to load when population-based training decided so).
  absl::StatusOr<v1::GetLearningRateResponse> RateReply(int64_t step, int64_t epoch);

  // Returns the same rate as LearningRate, computed locally from a leased schedule, so most
  // steps need no call to the server.
  absl::StatusOr<double> LocalLearningRate(int64_t step, int64_t epoch);

  // Reports metrics measured at (step, epoch); the server has stored them when this returns.
  absl::Status Report(int64_t step, int64_t epoch, const std::map<std::string, double>& metrics);

 private:
  RemoteRun(std::shared_ptr<Client> client, v1::Run run, std::string worker)
      : client_(std::move(client)),
        run_(std::move(run)),
        worker_(std::move(worker)),
        local_(std::make_unique<LocalSchedule>(client_.get(), run_.run_id(), worker_)) {}

  std::shared_ptr<Client> client_;
  v1::Run run_;
  std::string worker_;
  std::unique_ptr<LocalSchedule> local_;
};

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_REMOTE_RUN_H_
