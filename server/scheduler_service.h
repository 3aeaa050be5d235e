// The LrScheduler gRPC service on the callback API.
//
// Reads (GetLearningRate, GetRun, ListRuns, PreviewSchedule) are answered from the in-memory
// registry on the calling thread. Writes go through the StoreWriter; ReportMetrics and
// DeleteRun reply from the writer's commit callback, so no reactor waits for the disk.
#ifndef LRSCHED_SERVER_SCHEDULER_SERVICE_H_
#define LRSCHED_SERVER_SCHEDULER_SERVICE_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "lrsched/v1/service.grpc.pb.h"
#include "server/policy_metrics.h"
#include "server/run_controller.h"
#include "server/run_registry.h"
#include "server/server_metrics.h"
#include "server/state_store.h"
#include "server/store_writer.h"

namespace lrsched {

class SchedulerService final : public v1::LrScheduler::CallbackService {
 public:
  friend class MetricsStreamReactor;

  // `registry`, `writer`, `metrics` and `controller` must outlive the service.
  SchedulerService(RunRegistry* registry, StoreWriter* writer, ServerMetrics* metrics,
                   PolicyMetrics* policy_metrics, RunController* controller)
      : registry_(registry),
        writer_(writer),
        metrics_(metrics),
        policy_metrics_(policy_metrics),
        controller_(controller) {}

  // Puts runs loaded from the state file into the registry, with their series.
  absl::Status Restore(std::vector<StoredRun> runs);

  grpc::ServerUnaryReactor* CreateRun(grpc::CallbackServerContext* context,
                                      const v1::CreateRunRequest* request,
                                      v1::Run* response) override;
  grpc::ServerUnaryReactor* GetRun(grpc::CallbackServerContext* context,
                                   const v1::GetRunRequest* request,
                                   v1::Run* response) override;
  grpc::ServerUnaryReactor* ListRuns(grpc::CallbackServerContext* context,
                                     const v1::ListRunsRequest* request,
                                     v1::ListRunsResponse* response) override;
  grpc::ServerUnaryReactor* DeleteRun(grpc::CallbackServerContext* context,
                                      const v1::DeleteRunRequest* request,
                                      v1::DeleteRunResponse* response) override;
  grpc::ServerUnaryReactor* GetLearningRate(grpc::CallbackServerContext* context,
                                            const v1::GetLearningRateRequest* request,
                                            v1::GetLearningRateResponse* response) override;
  grpc::ServerUnaryReactor* ReportMetrics(grpc::CallbackServerContext* context,
                                          const v1::ReportMetricsRequest* request,
                                          v1::ReportMetricsResponse* response) override;
  grpc::ServerReadReactor<v1::ReportMetricsRequest>* StreamMetrics(
      grpc::CallbackServerContext* context, v1::StreamMetricsResponse* response) override;
  grpc::ServerUnaryReactor* PreviewSchedule(grpc::CallbackServerContext* context,
                                            const v1::PreviewScheduleRequest* request,
                                            v1::PreviewScheduleResponse* response) override;
  grpc::ServerUnaryReactor* UpdateSchedule(grpc::CallbackServerContext* context,
                                           const v1::UpdateScheduleRequest* request,
                                           v1::Decision* response) override;
  grpc::ServerUnaryReactor* ListDecisions(grpc::CallbackServerContext* context,
                                          const v1::ListDecisionsRequest* request,
                                          v1::ListDecisionsResponse* response) override;
  grpc::ServerUnaryReactor* LeaseSchedule(grpc::CallbackServerContext* context,
                                          const v1::LeaseScheduleRequest* request,
                                          v1::ScheduleLease* response) override;

 private:
  absl::Status DoCreateRun(v1::CreateRunRequest request, v1::Run* response);
  absl::Status DoGetRun(const v1::GetRunRequest& request, v1::Run* response);
  absl::Status DoListRuns(const v1::ListRunsRequest& request, v1::ListRunsResponse* response);
  absl::Status DoListDecisions(const v1::ListDecisionsRequest& request,
                               v1::ListDecisionsResponse* response);
  absl::Status DoPreviewSchedule(const v1::PreviewScheduleRequest& request,
                                 v1::PreviewScheduleResponse* response);

  // Records the RPC's metrics and finishes the reactor with `status`.
  void Finish(grpc::ServerUnaryReactor* reactor, RpcMethod method, absl::Time start,
              const absl::Status& status);

  using ReportDone = std::function<void(absl::StatusOr<v1::ReportMetricsResponse>)>;

  // Validates and stores one report; `done` runs once the state file has it (or with the
  // error). Shared by ReportMetrics and StreamMetrics.
  void SubmitReport(const v1::ReportMetricsRequest& request, ReportDone done);

  // Records the metrics of an RPC that does not finish through Finish.
  void RecordRpc(RpcMethod method, absl::Time start, const grpc::Status& status);

  // Builds a run's entry, with its timeline and series, from its stored parts.
  absl::StatusOr<std::shared_ptr<RunEntry>> MakeEntry(StoredRun stored);

  // Applies a committed report to the run's progress and series. Returns the report count.
  int64_t ApplyReport(RunEntry& run, const MetricReport& report);

  RunRegistry* registry_;
  StoreWriter* writer_;
  ServerMetrics* metrics_;
  PolicyMetrics* policy_metrics_;
  RunController* controller_;

  // Serializes CreateRun so the existence check and the insert act as one step.
  absl::Mutex create_mu_;
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_SCHEDULER_SERVICE_H_
