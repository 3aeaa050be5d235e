// A C++ client for the lrsched gRPC API.
//
// Every call has a deadline, and calls that fail with UNAVAILABLE (server down, restarting or
// unreachable) are retried with exponential backoff until `ClientOptions::retry_budget` runs
// out. The client is thread-safe: one instance may serve many threads.
//
//   ASSIGN_OR_RETURN(auto client, lrsched::Client::Connect("127.0.0.1:50051", {}));
//   ASSIGN_OR_RETURN(auto rate, client->GetLearningRate("run-1", /*step=*/0, /*epoch=*/0, "w0"));
#ifndef LRSCHED_CLIENT_CLIENT_H_
#define LRSCHED_CLIENT_CLIENT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lrsched/v1/service.grpc.pb.h"

namespace lrsched {

struct ClientOptions {
  // Deadline of one attempt of one call.
  absl::Duration call_timeout = absl::Seconds(10);
  // Total time spent retrying a call that keeps failing with UNAVAILABLE.
  absl::Duration retry_budget = absl::Seconds(30);
  // First wait between attempts; doubled after each attempt up to max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
};

class Client {
 public:
  // Creates a client for the server at `address` (host:port). Does not wait for the server:
  // the first call does, within its retry budget.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const std::string& address,
                                                         const ClientOptions& options);

  const std::string& address() const { return address_; }

  absl::StatusOr<v1::Run> CreateRun(const v1::CreateRunRequest& request);
  absl::StatusOr<v1::Run> GetRun(const std::string& run_id);
  absl::StatusOr<v1::ListRunsResponse> ListRuns(int32_t page_size,
                                                const std::string& page_token);
  absl::Status DeleteRun(const std::string& run_id);

  absl::StatusOr<v1::GetLearningRateResponse> GetLearningRate(const std::string& run_id,
                                                              int64_t step, int64_t epoch,
                                                              const std::string& worker);

  // Stores a report. The reply holds the run's report count and whether the server already had
  // this worker's report for the step and epoch (a retry), which it then does not count again.
  absl::StatusOr<v1::ReportMetricsResponse> ReportMetrics(
      const std::string& run_id, const std::string& worker, int64_t step, int64_t epoch,
      const std::map<std::string, double>& metrics);

  // Sends the reports on one StreamMetrics stream and returns the server's counts once all are
  // stored. A bad report ends the stream with its error; the reports before it stay stored.
  // Not retried: send the stream again, since repeated reports count once.
  absl::StatusOr<v1::StreamMetricsResponse> StreamMetrics(
      const std::vector<v1::ReportMetricsRequest>& reports);

  absl::StatusOr<v1::PreviewScheduleResponse> PreviewSchedule(const v1::ScheduleSpec& spec,
                                                              int64_t positions);

  // Records an operator's decision on a run's rate and returns it as stored.
  absl::StatusOr<v1::Decision> UpdateSchedule(const v1::UpdateScheduleRequest& request);

  // Returns every decision of the run, oldest first.
  absl::StatusOr<v1::ListDecisionsResponse> ListDecisions(const std::string& run_id);

  // Leases the run's schedule for up to `positions` positions from (step, epoch); see
  // LocalSchedule, which uses it.
  absl::StatusOr<v1::ScheduleLease> LeaseSchedule(const std::string& run_id, int64_t step,
                                                  int64_t epoch, const std::string& worker,
                                                  int64_t positions);

  // Checks the server's standard gRPC health service; OK when it reports SERVING.
  absl::Status CheckHealth();

 private:
  Client(std::string address, ClientOptions options, std::shared_ptr<grpc::Channel> channel);

  std::string address_;
  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::LrScheduler::Stub> stub_;
};

// Converts a gRPC status to the absl::Status with the same code and message.
absl::Status ToAbslStatus(const grpc::Status& status);

}  // namespace lrsched

#endif  // LRSCHED_CLIENT_CLIENT_H_
