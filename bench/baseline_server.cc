// baseline_server: the LrScheduler service with lrsched's message shapes and no logic, so that
// bench/run_all.sh can put every lrsched figure beside the floor that gRPC sets on the same
// machine in the same run.
//
// CreateRun echoes the run, GetLearningRate returns a fixed rate at the requested step,
// ReportMetrics acknowledges at once without storing anything, and StreamMetrics counts the
// reports it reads as stored. Every other method returns UNIMPLEMENTED. The server stops on
// SIGTERM or SIGINT, or after --max_seconds.
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "bench/workload.h"
#include "glog/logging.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "lrsched/v1/service.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to serve on, on the loopback interface only; port 0 picks a free port");
ABSL_FLAG(int64_t, max_seconds, 3600,
          "seconds after which the server stops by itself if no signal stopped it; 1 to 86400");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "keep absl::Mutex deadlock detection on, as Debian 12's Abseil has it by default; "
          "false measures what turning it off saves, gRPC's mutexes included");

namespace lrsched::bench {
namespace {

class FixedReplyService final : public lrsched::v1::LrScheduler::CallbackService {
 public:
  grpc::ServerUnaryReactor* CreateRun(grpc::CallbackServerContext* context,
                                      const lrsched::v1::CreateRunRequest* request,
                                      lrsched::v1::Run* response) override {
    response->set_run_id(request->run_id());
    *response->mutable_spec() = request->spec();
    response->set_num_workers(request->num_workers());
    response->set_state(lrsched::v1::Run::ACTIVE);
    response->set_schedule_version(1);
    return FinishOk(context);
  }

  grpc::ServerUnaryReactor* GetLearningRate(
      grpc::CallbackServerContext* context, const lrsched::v1::GetLearningRateRequest* request,
      lrsched::v1::GetLearningRateResponse* response) override {
    // The same fields as lrsched's reply, so that both send messages of the same size.
    response->set_learning_rate(0.1);
    response->set_schedule_version(1);
    response->set_unit(lrsched::v1::ScheduleSpec::STEP);
    response->set_position(request->step());
    return FinishOk(context);
  }

  grpc::ServerUnaryReactor* ReportMetrics(grpc::CallbackServerContext* context,
                                          const lrsched::v1::ReportMetricsRequest* /*request*/,
                                          lrsched::v1::ReportMetricsResponse* response) override {
    response->set_report_count(1);
    return FinishOk(context);
  }

  grpc::ServerReadReactor<lrsched::v1::ReportMetricsRequest>* StreamMetrics(
      grpc::CallbackServerContext* /*context*/,
      lrsched::v1::StreamMetricsResponse* response) override;

 private:
  static grpc::ServerUnaryReactor* FinishOk(grpc::CallbackServerContext* context) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// Reads reports until the client half-closes, then replies with their number as stored.
class CountingReader final : public grpc::ServerReadReactor<lrsched::v1::ReportMetricsRequest> {
 public:
  explicit CountingReader(lrsched::v1::StreamMetricsResponse* response) : response_(response) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      response_->set_stored(count_);
      Finish(grpc::Status::OK);
      return;
    }
    ++count_;
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  lrsched::v1::StreamMetricsResponse* response_;
  lrsched::v1::ReportMetricsRequest request_;
  int64_t count_ = 0;
};

grpc::ServerReadReactor<lrsched::v1::ReportMetricsRequest>* FixedReplyService::StreamMetrics(
    grpc::CallbackServerContext* /*context*/, lrsched::v1::StreamMetricsResponse* response) {
  return new CountingReader(response);
}

// Waits for SIGTERM or SIGINT, at most `max_seconds`. REQUIRES: both signals are blocked.
void WaitForStopSignal(const sigset_t& stop_signals, int64_t max_seconds) {
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(max_seconds);
  while (true) {
    const int signal_number = sigtimedwait(&stop_signals, nullptr, &timeout);
    if (signal_number > 0) {
      LOG(INFO) << "baseline_server received " << strsignal(signal_number) << ", stopping";
      return;
    }
    if (errno == EAGAIN) {
      LOG(INFO) << "baseline_server ran for --max_seconds " << max_seconds << ", stopping";
      return;
    }
    // EINTR: another signal interrupted the wait. The timeout restarts, so a stream of
    // unrelated signals can extend the run, but each one is logged.
    LOG(WARNING) << "baseline_server's wait for a stop signal was interrupted; waiting again";
  }
}

int Serve() {
  const std::string address = absl::GetFlag(FLAGS_listen);
  if (absl::Status loopback = CheckLoopbackAddress(address); !loopback.ok()) {
    std::cerr << "invalid --listen: " << loopback.message() << "\n";
    return 2;
  }
  const int64_t max_seconds = absl::GetFlag(FLAGS_max_seconds);
  if (max_seconds < 1 || max_seconds > 86400) {
    std::cerr << "invalid --max_seconds " << max_seconds << ": use 1 to 86400\n";
    return 2;
  }

  // Abseil 20220623 as Debian 12 ships it checks the lock order of every absl::Mutex for
  // deadlocks, gRPC 1.51's mutexes included (callgrind shows GraphCycles under each Lock).
  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }

  // Blocked before gRPC starts its threads, so only WaitForStopSignal receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // lrsched-server also serves the standard health service, and so does the baseline.
  grpc::EnableDefaultHealthCheckService(true);
  FixedReplyService fixed_replies;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&fixed_replies);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    LOG(ERROR) << "baseline_server cannot listen on " << address
               << ": the address is invalid or in use";
    return 1;
  }
  const std::string host = address.substr(0, address.rfind(':'));
  LOG(INFO) << "baseline_server listening on " << host << ":" << port;

  WaitForStopSignal(stop_signals, max_seconds);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  LOG(INFO) << "baseline_server stopped";
  return 0;
}

}  // namespace
}  // namespace lrsched::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves LrScheduler with fixed replies and no logic, for comparison with "
      "lrsched-server.\nUsage: baseline_server [--listen 127.0.0.1:PORT] [--max_seconds N]");
  absl::ParseCommandLine(argc, argv);
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  return lrsched::bench::Serve();
}
