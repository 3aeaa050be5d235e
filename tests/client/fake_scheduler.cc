// The in-process fake of the lrsched server used by the client and CLI tests.
#include "tests/client/fake_scheduler.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace lrsched::testing {

bool FakeSchedulerService::TakeOne(std::atomic<int>& counter) {
  int left = counter.load();
  while (left > 0) {
    if (counter.compare_exchange_weak(left, left - 1)) return true;
  }
  return false;
}

grpc::Status FakeSchedulerService::CountCall() {
  ++calls_;
  if (TakeOne(failures_left_)) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake outage");
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::CreateRun(grpc::ServerContext*,
                                             const v1::CreateRunRequest* request,
                                             v1::Run* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;
  if (!request->has_spec()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "spec is missing");
  }

  absl::MutexLock lock(&mutex_);
  if (runs_.count(request->run_id()) > 0) {
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                        absl::StrCat("run \"", request->run_id(), "\" already exists"));
  }
  v1::Run& run = runs_[request->run_id()];
  run.set_run_id(request->run_id());
  *run.mutable_spec() = request->spec();
  run.set_num_workers(request->num_workers() == 0 ? 1 : request->num_workers());
  *run.mutable_labels() = request->labels();
  if (request->has_policy()) *run.mutable_policy() = request->policy();
  run.set_decided_through(-1);
  run.set_state(v1::Run::ACTIVE);
  run.set_schedule_version(1);
  *response = run;
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::GetRun(grpc::ServerContext*, const v1::GetRunRequest* request,
                                          v1::Run* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;

  absl::MutexLock lock(&mutex_);
  const auto it = runs_.find(request->run_id());
  if (it == runs_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  *response = it->second;
  return grpc::Status::OK;
}

// Pages by id: the token is the last id of the previous page.
grpc::Status FakeSchedulerService::ListRuns(grpc::ServerContext*,
                                            const v1::ListRunsRequest* request,
                                            v1::ListRunsResponse* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;
  const int page_size = request->page_size() == 0 ? 100 : request->page_size();

  absl::MutexLock lock(&mutex_);
  auto it =
      request->page_token().empty() ? runs_.begin() : runs_.upper_bound(request->page_token());
  for (; it != runs_.end() && response->runs_size() < page_size; ++it) {
    *response->add_runs() = it->second;
  }
  if (it != runs_.end()) response->set_next_page_token(response->runs().rbegin()->run_id());
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::DeleteRun(grpc::ServerContext*,
                                             const v1::DeleteRunRequest* request,
                                             v1::DeleteRunResponse*) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;

  absl::MutexLock lock(&mutex_);
  decisions_.erase(request->run_id());
  for (auto it = reports_.begin(); it != reports_.end();) {
    it = std::get<0>(*it) == request->run_id() ? reports_.erase(it) : std::next(it);
  }
  if (runs_.erase(request->run_id()) == 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::GetLearningRate(grpc::ServerContext*,
                                                   const v1::GetLearningRateRequest* request,
                                                   v1::GetLearningRateResponse* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;

  absl::MutexLock lock(&mutex_);
  if (runs_.count(request->run_id()) == 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  response->set_learning_rate(kFakeLearningRate);
  response->set_schedule_version(1);
  response->set_unit(v1::ScheduleSpec::STEP);
  response->set_position(request->step());
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::ReportMetrics(grpc::ServerContext*,
                                                 const v1::ReportMetricsRequest* request,
                                                 v1::ReportMetricsResponse* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;

  absl::MutexLock lock(&mutex_);
  const auto it = runs_.find(request->run_id());
  if (it == runs_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  const bool inserted =
      reports_.emplace(request->run_id(), request->worker(), request->step(), request->epoch())
          .second;
  v1::Run& run = it->second;
  if (!inserted) {
    response->set_report_count(run.report_count());
    response->set_duplicate(true);
    return grpc::Status::OK;
  }
  run.set_report_count(run.report_count() + 1);
  run.set_last_step(std::max(run.last_step(), request->step()));
  for (const auto& [name, value] : request->metrics()) (*run.mutable_last_metrics())[name] = value;
  response->set_report_count(run.report_count());
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::PreviewSchedule(grpc::ServerContext*,
                                                   const v1::PreviewScheduleRequest* request,
                                                   v1::PreviewScheduleResponse* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;
  for (int64_t i = 0; i < request->positions(); ++i) {
    response->add_learning_rates(kFakePreviewBase / static_cast<double>(i + 1));
  }
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::UpdateSchedule(grpc::ServerContext*,
                                                  const v1::UpdateScheduleRequest* request,
                                                  v1::Decision* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;
  if (TakeOne(failed_updates_left_)) {
    return grpc::Status(update_failure_code_.load(), "fake update failure");
  }
  if (request->reason().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "reason is missing: say why the schedule changes");
  }

  absl::MutexLock lock(&mutex_);
  const auto it = runs_.find(request->run_id());
  if (it == runs_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  if (request->effective_position() <= it->second.last_step()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        absl::StrCat("effective_position ", request->effective_position(),
                                     " is in the past"));
  }

  std::vector<v1::Decision>& decisions = decisions_[request->run_id()];
  v1::Decision decision;
  decision.set_sequence(static_cast<int64_t>(decisions.size()) + 1);
  decision.set_effective_position(request->effective_position());
  double rate = kFakeLearningRate;
  switch (request->action_case()) {
    case v1::UpdateScheduleRequest::kScale:
      decision.set_scale(request->scale());
      rate *= request->scale();
      break;
    case v1::UpdateScheduleRequest::kSet:
      decision.set_set(request->set());
      rate = request->set();
      break;
    case v1::UpdateScheduleRequest::kSwitchSchedule:
      *decision.mutable_switch_schedule() = request->switch_schedule();
      rate = request->switch_schedule().base_lr();
      break;
    case v1::UpdateScheduleRequest::kFinish:
      decision.set_finish(request->finish());
      rate = 0;
      break;
    case v1::UpdateScheduleRequest::ACTION_NOT_SET:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request names no action");
  }
  decision.set_reason(request->reason());
  decision.set_actor(
      absl::StrCat("operator:", request->operator_().empty() ? "operator" : request->operator_()));
  decision.mutable_time()->set_seconds(kFakeDecisionSeconds);
  decision.set_boundary(-1);
  decision.set_learning_rate(rate);
  decisions.push_back(decision);
  it->second.set_decision_count(static_cast<int64_t>(decisions.size()));

  if (TakeOne(lost_update_replies_)) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake lost reply");
  }
  *response = decision;
  return grpc::Status::OK;
}

grpc::Status FakeSchedulerService::ListDecisions(grpc::ServerContext*,
                                                 const v1::ListDecisionsRequest* request,
                                                 v1::ListDecisionsResponse* response) {
  if (grpc::Status status = CountCall(); !status.ok()) return status;

  absl::MutexLock lock(&mutex_);
  if (runs_.count(request->run_id()) == 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("run \"", request->run_id(), "\" not found"));
  }
  for (const v1::Decision& decision : decisions_[request->run_id()]) {
    *response->add_decisions() = decision;
  }
  return grpc::Status::OK;
}

std::unique_ptr<FakeSchedulerServer> FakeSchedulerServer::Start() {
  std::unique_ptr<FakeSchedulerServer> fake(new FakeSchedulerServer());
  grpc::EnableDefaultHealthCheckService(true);

  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&fake->service_);
  fake->server_ = builder.BuildAndStart();
  if (fake->server_ == nullptr || port == 0) {
    ADD_FAILURE() << "cannot start the fake lrsched server on 127.0.0.1";
    return nullptr;
  }
  fake->address_ = absl::StrCat("127.0.0.1:", port);
  return fake;
}

FakeSchedulerServer::~FakeSchedulerServer() {
  if (server_ != nullptr) server_->Shutdown();
}

void FakeSchedulerServer::SetServing(bool serving) {
  server_->GetHealthCheckService()->SetServingStatus(serving);
}

std::string UnusedLoopbackAddress() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool bound = socket_fd >= 0 &&
                     bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                     getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (socket_fd >= 0) close(socket_fd);
  if (!bound) ADD_FAILURE() << "cannot bind a socket on 127.0.0.1";

  // NOTE: another process may bind the port between close() and the test's connect, and the
  // test would then reach that process instead of a closed port.
  return absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
}

}  // namespace lrsched::testing
