#include "trainer/remote_run.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/policy/policy_json.h"
#include "core/spec_json.h"
#include "core/status_macros.h"

namespace lrsched::trainer {
namespace {

// Reads the file that `flag` names, for example "--spec".
absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream stream(path);
  if (!stream) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the ", flag, " file ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

// Prefixes errors from the client with the server address.
absl::Status AtServer(const absl::Status& status, const Client& client) {
  return absl::Status(status.code(),
                      absl::StrCat("lrsched server at ", client.address(), ": ", status.message()));
}

}  // namespace

absl::StatusOr<RemoteRun> RemoteRun::Create(std::shared_ptr<Client> client,
                                            const std::string& run_id, const RunFiles& files,
                                            const std::string& worker) {
  ASSIGN_OR_RETURN(const std::string spec_json, ReadFile("--spec", files.spec_path));
  auto spec = ParseSpecJson(spec_json);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(files.spec_path, ": ", spec.status().message()));
  }

  v1::CreateRunRequest request;
  request.set_run_id(run_id);
  request.set_num_workers(files.num_workers);
  *request.mutable_spec() = *std::move(spec);
  if (!files.policy_path.empty()) {
    ASSIGN_OR_RETURN(const std::string policy_json, ReadFile("--policy", files.policy_path));
    auto policy = ParsePolicyJson(policy_json);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(files.policy_path, ": ", policy.status().message()));
    }
    *request.mutable_policy() = *std::move(policy);
  }
  auto run = client->CreateRun(request);
  if (!run.ok()) return AtServer(run.status(), *client);
  return RemoteRun(std::move(client), *std::move(run), worker);
}

absl::StatusOr<RemoteRun> RemoteRun::Join(std::shared_ptr<Client> client,
                                          const std::string& run_id, const std::string& worker) {
  auto run = client->GetRun(run_id);
  if (run.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("lrsched server at ", client->address(), ": run \"",
                                            run_id, "\" not found; add --spec FILE to create it"));
  }
  if (!run.ok()) return AtServer(run.status(), *client);
  return RemoteRun(std::move(client), *std::move(run), worker);
}

absl::StatusOr<double> RemoteRun::LearningRate(int64_t step, int64_t epoch) {
  ASSIGN_OR_RETURN(const auto reply, RateReply(step, epoch));
  return reply.learning_rate();
}

absl::StatusOr<v1::GetLearningRateResponse> RemoteRun::RateReply(int64_t step, int64_t epoch) {
  auto reply = client_->GetLearningRate(run_id(), step, epoch, worker_);
  if (!reply.ok()) return AtServer(reply.status(), *client_);
  return reply;
}

absl::StatusOr<double> RemoteRun::LocalLearningRate(int64_t step, int64_t epoch) {
  auto rate = local_->LearningRate(step, epoch);
  if (!rate.ok()) return AtServer(rate.status(), *client_);
  return rate;
}

absl::Status RemoteRun::Report(int64_t step, int64_t epoch,
                               const std::map<std::string, double>& metrics) {
  auto stored = client_->ReportMetrics(run_id(), worker_, step, epoch, metrics);
  if (!stored.ok()) return AtServer(stored.status(), *client_);
  return absl::OkStatus();
}

}  // namespace lrsched::trainer
