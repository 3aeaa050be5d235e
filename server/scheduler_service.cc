#include "server/scheduler_service.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/request_checks.h"
#include "core/rate_timeline.h"
#include "core/schedule_builder.h"
#include "core/status_macros.h"
#include "glog/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/grpc_status.h"
#include "server/metrics_stream_reactor.h"
#include "server/request_validation.h"

namespace lrsched {
namespace {

absl::Status RunNotFound(const std::string& run_id) {
  return absl::NotFoundError(absl::StrCat("run \"", run_id, "\" not found"));
}

absl::Status CheckNotFinished(const RunEntry& run) {
  absl::MutexLock lock(&run.mu);
  if (!run.timeline->finished_at()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("run \"", run.request.run_id(),
                                                    "\" finished at position ",
                                                    *run.timeline->finished_at(),
                                                    " and takes no more reports"));
}

MetricReport ToMetricReport(const v1::ReportMetricsRequest& request) {
  MetricReport report;
  report.run_id = request.run_id();
  report.worker = request.worker();
  report.step = request.step();
  report.epoch = request.epoch();
  report.metrics.insert(request.metrics().begin(), request.metrics().end());
  report.report_time = absl::Now();
  return report;
}

}  // namespace

void SchedulerService::RecordRpc(RpcMethod method, absl::Time start,
                                 const grpc::Status& status) {
  metrics_->RecordRpc(method, status.error_code(), absl::Now() - start);
}

void SchedulerService::Finish(grpc::ServerUnaryReactor* reactor, RpcMethod method,
                              absl::Time start, const absl::Status& status) {
  const grpc::Status reply = ToGrpcStatus(status);
  metrics_->RecordRpc(method, reply.error_code(), absl::Now() - start);
  reactor->Finish(reply);
}

absl::StatusOr<std::shared_ptr<RunEntry>> SchedulerService::MakeEntry(StoredRun stored) {
  const std::string run_id = stored.request.run_id();
  std::unique_ptr<Policy> policy;
  if (stored.request.has_policy()) {
    ASSIGN_OR_RETURN(policy,
                     BuildPolicy(stored.request.policy(), stored.request.spec().unit()));
  }
  ASSIGN_OR_RETURN(auto timeline, RateTimeline::Build(stored.request.spec(), stored.decisions));

  auto entry = std::make_shared<RunEntry>(std::move(stored.request), std::move(policy),
                                          stored.create_time);
  absl::MutexLock lock(&entry->mu);
  entry->timeline = std::move(timeline);
  entry->decisions = std::move(stored.decisions);
  entry->policy_state = stored.policy_state.value_or(InitialPolicyState());
  entry->last_step = stored.last_step;
  entry->last_epoch = stored.last_epoch;
  entry->report_count = stored.report_count;
  entry->last_metrics = std::move(stored.last_metrics);

  entry->series = metrics_->AddRun(run_id);
  entry->series.finished->Set(entry->timeline->finished_at() ? 1 : 0);
  entry->series.step->Set(static_cast<double>(entry->last_step));
  entry->series.epoch->Set(static_cast<double>(entry->last_epoch));
  entry->series.reports->Increment(static_cast<double>(entry->report_count));
  for (const auto& [name, value] : entry->last_metrics) {
    prometheus::Gauge* gauge = metrics_->AddRunMetric(run_id, name);
    gauge->Set(value);
    entry->series.metrics[name] = gauge;
  }
  controller_->PublishPopulationResult(*entry);
  for (const MetricReport& report : stored.undecided_reports) {
    const int64_t boundary = entry->BoundaryOf(report.step, report.epoch);
    if (boundary > entry->policy_state.decided_through()) {
      entry->boundaries.Add(boundary, report.worker, report.step, report.metrics, absl::Now());
    }
  }
  return entry;
}

absl::Status SchedulerService::Restore(std::vector<StoredRun> runs) {
  for (StoredRun& stored : runs) {
    const std::string run_id = stored.request.run_id();
    auto entry = MakeEntry(std::move(stored));
    if (!entry.ok()) {
      return absl::DataLossError(absl::StrCat("stored run ", run_id,
                                              " cannot be restored: ", entry.status().message()));
    }
    registry_->Insert(*std::move(entry));
  }
  metrics_->SetRunCount(registry_->size());
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::CreateRun(grpc::CallbackServerContext* context,
                                                      const v1::CreateRunRequest* request,
                                                      v1::Run* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  Finish(reactor, RpcMethod::kCreateRun, start, DoCreateRun(*request, response));
  return reactor;
}

absl::Status SchedulerService::DoCreateRun(v1::CreateRunRequest request, v1::Run* response) {
  RETURN_IF_ERROR(ValidateCreateRun(request).status());

  // NOTE: CreateRun waits for its commit on the calling gRPC thread while holding create_mu_.
  // Runs are created rarely, so this costs one fsync per creation and keeps the check for an
  // existing run and the insert atomic.
  absl::MutexLock lock(&create_mu_);
  if (auto existing = registry_->Find(request.run_id())) {
    if (!google::protobuf::util::MessageDifferencer::Equals(existing->request, request)) {
      return absl::AlreadyExistsError(
          absl::StrCat("run \"", request.run_id(),
                       "\" already exists with a different spec, workers or labels; delete it "
                       "first or choose another run_id"));
    }
    *response = existing->ToProto();
    return absl::OkStatus();
  }

  const absl::Time create_time = absl::Now();
  RETURN_IF_ERROR(writer_->SubmitAndWait(
      [&](StateStore& store) { return store.InsertRun(request, create_time); }));

  StoredRun stored;
  stored.request = request;
  stored.create_time = create_time;
  ASSIGN_OR_RETURN(std::shared_ptr<RunEntry> entry, MakeEntry(std::move(stored)));
  *response = entry->ToProto();
  registry_->Insert(std::move(entry));
  metrics_->SetRunCount(registry_->size());
  LOG(INFO) << "created run " << request.run_id() << " with " << request.num_workers()
            << " worker(s)";
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::GetRun(grpc::CallbackServerContext* context,
                                                   const v1::GetRunRequest* request,
                                                   v1::Run* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  Finish(reactor, RpcMethod::kGetRun, start, DoGetRun(*request, response));
  return reactor;
}

absl::Status SchedulerService::DoGetRun(const v1::GetRunRequest& request, v1::Run* response) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  const auto run = registry_->Find(request.run_id());
  if (!run) return RunNotFound(request.run_id());
  *response = run->ToProto();
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::ListRuns(grpc::CallbackServerContext* context,
                                                     const v1::ListRunsRequest* request,
                                                     v1::ListRunsResponse* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  Finish(reactor, RpcMethod::kListRuns, start, DoListRuns(*request, response));
  return reactor;
}

absl::Status SchedulerService::DoListRuns(const v1::ListRunsRequest& request,
                                          v1::ListRunsResponse* response) {
  ASSIGN_OR_RETURN(const int32_t page_size, ValidateListRuns(request));
  bool more = false;
  const auto page = registry_->Page(request.page_token(), page_size, &more);
  for (const auto& run : page) *response->add_runs() = run->ToProto();

  // The token is the last id of this page; clients treat it as opaque.
  if (more && !page.empty()) response->set_next_page_token(page.back()->request.run_id());
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::DeleteRun(grpc::CallbackServerContext* context,
                                                      const v1::DeleteRunRequest* request,
                                                      v1::DeleteRunResponse* /*response*/) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  const std::string run_id = request->run_id();

  if (absl::Status valid = CheckRunId("run_id", run_id); !valid.ok()) {
    Finish(reactor, RpcMethod::kDeleteRun, start, valid);
    return reactor;
  }

  // Queued under the registry's lock, after every report already queued for the run.
  // NOTE: the run leaves memory before its deletion is committed. If that commit fails, the
  // caller gets the error, and the run comes back on the next restart.
  const auto removed = registry_->Remove(run_id, [&](RunEntry& run) {
    writer_->Submit([run_id](StateStore& store) { return store.DeleteRun(run_id); },
                    [this, reactor, start](absl::Status status) {
                      Finish(reactor, RpcMethod::kDeleteRun, start, status);
                    });
    absl::MutexLock lock(&run.mu);
    metrics_->RemoveRun(run.series);
    run.series = RunSeries();
  });
  if (!removed) {
    Finish(reactor, RpcMethod::kDeleteRun, start, RunNotFound(run_id));
    return reactor;
  }
  controller_->FailWaiters(*removed, RunNotFound(run_id));
  controller_->ForgetPopulationResult(*removed);
  policy_metrics_->RemoveRun(run_id);
  metrics_->SetRunCount(registry_->size());
  LOG(INFO) << "deleted run " << run_id;
  return reactor;
}

grpc::ServerUnaryReactor* SchedulerService::GetLearningRate(
    grpc::CallbackServerContext* context, const v1::GetLearningRateRequest* request,
    v1::GetLearningRateResponse* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  if (absl::Status valid = ValidateGetLearningRate(*request); !valid.ok()) {
    Finish(reactor, RpcMethod::kGetLearningRate, start, valid);
    return reactor;
  }
  const auto run = registry_->Find(request->run_id());
  if (!run) {
    Finish(reactor, RpcMethod::kGetLearningRate, start, RunNotFound(request->run_id()));
    return reactor;
  }

  controller_->GetLearningRate(
      run, *request,
      [this, reactor, response, start](absl::StatusOr<v1::GetLearningRateResponse> answer) {
        if (answer.ok()) *response = *std::move(answer);
        Finish(reactor, RpcMethod::kGetLearningRate, start, answer.status());
      });
  return reactor;
}

void SchedulerService::SubmitReport(const v1::ReportMetricsRequest& request, ReportDone done) {
  if (absl::Status valid = ValidateReportMetrics(request); !valid.ok()) {
    metrics_->RecordRejectedReport(request);
    done(valid);
    return;
  }

  // Queued while the run cannot be deleted, so the deletion's commit comes after this one.
  auto report = std::make_shared<MetricReport>(ToMetricReport(request));
  auto stored = std::make_shared<bool>(false);
  absl::Status finished;
  const bool found = registry_->WithRun(request.run_id(), [&](const auto& run) {
    finished = CheckNotFinished(*run);
    if (!finished.ok()) return;
    writer_->Submit(
        [report, stored](StateStore& store) -> absl::Status {
          auto inserted = store.InsertReport(*report);
          if (!inserted.ok()) return inserted.status();
          *stored = *inserted;
          return absl::OkStatus();
        },
        [this, run, report, stored, done](absl::Status status) {
          if (!status.ok()) {
            done(status);
            return;
          }
          v1::ReportMetricsResponse response;
          if (*stored) {
            response.set_report_count(ApplyReport(*run, *report));
            controller_->OnReportStored(run, *report);
          } else {
            absl::MutexLock lock(&run->mu);
            response.set_report_count(run->report_count);
            response.set_duplicate(true);
          }
          done(response);
        });
  });
  if (!found) {
    done(RunNotFound(request.run_id()));
  } else if (!finished.ok()) {
    done(finished);
  }
}

grpc::ServerUnaryReactor* SchedulerService::ReportMetrics(
    grpc::CallbackServerContext* context, const v1::ReportMetricsRequest* request,
    v1::ReportMetricsResponse* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  SubmitReport(*request, [this, reactor, response,
                          start](absl::StatusOr<v1::ReportMetricsResponse> reply) {
    if (reply.ok()) *response = *std::move(reply);
    Finish(reactor, RpcMethod::kReportMetrics, start, reply.status());
  });
  return reactor;
}

grpc::ServerReadReactor<v1::ReportMetricsRequest>* SchedulerService::StreamMetrics(
    grpc::CallbackServerContext* /*context*/, v1::StreamMetricsResponse* response) {
  return new MetricsStreamReactor(this, response);
}

int64_t SchedulerService::ApplyReport(RunEntry& run, const MetricReport& report) {
  absl::MutexLock lock(&run.mu);
  run.last_step = std::max(run.last_step, report.step);
  run.last_epoch = std::max(run.last_epoch, report.epoch);
  run.report_count += 1;
  for (const auto& [name, value] : report.metrics) run.last_metrics[name] = value;

  // A run deleted while its report was being written has no series left to update.
  if (run.series.step == nullptr) return run.report_count;
  run.series.step->Set(static_cast<double>(run.last_step));
  run.series.epoch->Set(static_cast<double>(run.last_epoch));
  run.series.reports->Increment();
  for (const auto& [name, value] : report.metrics) {
    prometheus::Gauge*& gauge = run.series.metrics[name];
    if (gauge == nullptr) gauge = metrics_->AddRunMetric(report.run_id, name);
    gauge->Set(value);
  }
  return run.report_count;
}

grpc::ServerUnaryReactor* SchedulerService::PreviewSchedule(
    grpc::CallbackServerContext* context, const v1::PreviewScheduleRequest* request,
    v1::PreviewScheduleResponse* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  Finish(reactor, RpcMethod::kPreviewSchedule, start, DoPreviewSchedule(*request, response));
  return reactor;
}

absl::Status SchedulerService::DoPreviewSchedule(const v1::PreviewScheduleRequest& request,
                                                 v1::PreviewScheduleResponse* response) {
  ASSIGN_OR_RETURN(auto schedule, ValidatePreview(request));
  response->mutable_learning_rates()->Reserve(static_cast<int>(request.positions()));
  for (int64_t position = 0; position < request.positions(); ++position) {
    response->add_learning_rates(schedule->LearningRate(position));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::UpdateSchedule(
    grpc::CallbackServerContext* context, const v1::UpdateScheduleRequest* request,
    v1::Decision* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  if (absl::Status valid = ValidateUpdateSchedule(*request); !valid.ok()) {
    Finish(reactor, RpcMethod::kUpdateSchedule, start, valid);
    return reactor;
  }
  const auto run = registry_->Find(request->run_id());
  if (!run) {
    Finish(reactor, RpcMethod::kUpdateSchedule, start, RunNotFound(request->run_id()));
    return reactor;
  }

  controller_->UpdateSchedule(
      run, *request, [this, reactor, response, start](absl::StatusOr<v1::Decision> decision) {
        if (decision.ok()) *response = *std::move(decision);
        Finish(reactor, RpcMethod::kUpdateSchedule, start, decision.status());
      });
  return reactor;
}

grpc::ServerUnaryReactor* SchedulerService::ListDecisions(grpc::CallbackServerContext* context,
                                                          const v1::ListDecisionsRequest* request,
                                                          v1::ListDecisionsResponse* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  Finish(reactor, RpcMethod::kListDecisions, start, DoListDecisions(*request, response));
  return reactor;
}

absl::Status SchedulerService::DoListDecisions(const v1::ListDecisionsRequest& request,
                                               v1::ListDecisionsResponse* response) {
  RETURN_IF_ERROR(CheckRunId("run_id", request.run_id()));
  const auto run = registry_->Find(request.run_id());
  if (!run) return RunNotFound(request.run_id());
  absl::MutexLock lock(&run->mu);
  for (const auto& decision : run->decisions) *response->add_decisions() = decision;
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* SchedulerService::LeaseSchedule(grpc::CallbackServerContext* context,
                                                          const v1::LeaseScheduleRequest* request,
                                                          v1::ScheduleLease* response) {
  const absl::Time start = absl::Now();
  auto* reactor = context->DefaultReactor();
  if (absl::Status valid = ValidateLeaseSchedule(*request); !valid.ok()) {
    Finish(reactor, RpcMethod::kLeaseSchedule, start, valid);
    return reactor;
  }
  const auto run = registry_->Find(request->run_id());
  if (!run) {
    Finish(reactor, RpcMethod::kLeaseSchedule, start, RunNotFound(request->run_id()));
    return reactor;
  }

  controller_->LeaseSchedule(
      run, *request, [this, reactor, response, start](absl::StatusOr<v1::ScheduleLease> lease) {
        if (lease.ok()) *response = *std::move(lease);
        Finish(reactor, RpcMethod::kLeaseSchedule, start, lease.status());
      });
  return reactor;
}

}  // namespace lrsched
