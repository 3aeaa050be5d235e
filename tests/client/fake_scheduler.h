// An in-process LrScheduler server for client tests: keeps runs and decisions in memory,
// computes no real schedule, and can fail a number of calls with UNAVAILABLE to exercise the
// client's retries.
#ifndef LRSCHED_TESTS_CLIENT_FAKE_SCHEDULER_H_
#define LRSCHED_TESTS_CLIENT_FAKE_SCHEDULER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/server.h"
#include "lrsched/v1/service.grpc.pb.h"

namespace lrsched::testing {

// The fake's replies, fixed so that tests can compare them.
inline constexpr double kFakeLearningRate = 0.05;

// PreviewSchedule returns kFakePreviewBase / (i + 1) at position i.
inline constexpr double kFakePreviewBase = 0.1;

// Every decision's time, in seconds since the Unix epoch: 2026-01-02T03:04:05Z.
inline constexpr int64_t kFakeDecisionSeconds = 1767323045;

class FakeSchedulerService final : public v1::LrScheduler::Service {
 public:
  // Makes the next `count` calls of any method fail with UNAVAILABLE.
  void FailNextCalls(int count) { failures_left_ = count; }

  // Makes the next `count` UpdateSchedule calls fail with `code` without storing anything.
  void FailNextUpdates(int count, grpc::StatusCode code) {
    update_failure_code_ = code;
    failed_updates_left_ = count;
  }

  // Makes the next `count` UpdateSchedule calls store their decision and then fail with
  // UNAVAILABLE, as when the server's reply is lost.
  void LoseNextUpdateReplies(int count) { lost_update_replies_ = count; }

  // Number of calls received, failed ones included.
  int calls() const { return calls_; }

  grpc::Status CreateRun(grpc::ServerContext* context, const v1::CreateRunRequest* request,
                         v1::Run* response) override;
  grpc::Status GetRun(grpc::ServerContext* context, const v1::GetRunRequest* request,
                      v1::Run* response) override;
  grpc::Status ListRuns(grpc::ServerContext* context, const v1::ListRunsRequest* request,
                        v1::ListRunsResponse* response) override;
  grpc::Status DeleteRun(grpc::ServerContext* context, const v1::DeleteRunRequest* request,
                         v1::DeleteRunResponse* response) override;
  grpc::Status GetLearningRate(grpc::ServerContext* context,
                               const v1::GetLearningRateRequest* request,
                               v1::GetLearningRateResponse* response) override;
  grpc::Status ReportMetrics(grpc::ServerContext* context, const v1::ReportMetricsRequest* request,
                             v1::ReportMetricsResponse* response) override;
  grpc::Status PreviewSchedule(grpc::ServerContext* context,
                               const v1::PreviewScheduleRequest* request,
                               v1::PreviewScheduleResponse* response) override;

  // Stores the decision with the next sequence number, the actor "operator:NAME", the time
  // kFakeDecisionSeconds and a rate of kFakeLearningRate after the action. Fails with
  // FAILED_PRECONDITION when effective_position is not after the highest reported step.
  grpc::Status UpdateSchedule(grpc::ServerContext* context,
                              const v1::UpdateScheduleRequest* request,
                              v1::Decision* response) override;
  grpc::Status ListDecisions(grpc::ServerContext* context, const v1::ListDecisionsRequest* request,
                             v1::ListDecisionsResponse* response) override;

 private:
  // Counts the call and returns UNAVAILABLE while planned failures are left.
  grpc::Status CountCall();

  // Returns true while `*counter` is positive, and decrements it.
  static bool TakeOne(std::atomic<int>& counter);

  std::atomic<int> failures_left_{0};
  std::atomic<int> failed_updates_left_{0};
  std::atomic<grpc::StatusCode> update_failure_code_{grpc::StatusCode::UNAVAILABLE};
  std::atomic<int> lost_update_replies_{0};
  std::atomic<int> calls_{0};

  absl::Mutex mutex_;
  std::map<std::string, v1::Run> runs_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, std::vector<v1::Decision>> decisions_ ABSL_GUARDED_BY(mutex_);
  // The (run id, worker, step, epoch) of every stored report, so that a repeat is reported as
  // a duplicate.
  std::set<std::tuple<std::string, std::string, int64_t, int64_t>> reports_
      ABSL_GUARDED_BY(mutex_);
};

// A started gRPC server on 127.0.0.1 with the fake service and the standard health service.
class FakeSchedulerServer {
 public:
  // Starts on a free port. Fails the test (and returns nullptr) when the server cannot start.
  static std::unique_ptr<FakeSchedulerServer> Start();

  ~FakeSchedulerServer();

  std::string address() const { return address_; }
  FakeSchedulerService& service() { return service_; }

  // Sets the status that the health service reports for the whole server.
  void SetServing(bool serving);

 private:
  FakeSchedulerServer() = default;

  FakeSchedulerService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

// Returns a loopback address on which nothing listens: a port that the kernel just handed out
// and that was closed again.
std::string UnusedLoopbackAddress();

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_CLIENT_FAKE_SCHEDULER_H_
