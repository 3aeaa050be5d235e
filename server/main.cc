// lrsched-server: serves learning-rate schedules over gRPC until SIGTERM or SIGINT.
#include <signal.h>

#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "glog/logging.h"
#include "server/server.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:50051", "host:port for the gRPC API; port 0 picks one");
ABSL_FLAG(std::string, metrics_listen, "0.0.0.0:9464",
          "host:port for the Prometheus /metrics endpoint; port 0 picks one");
ABSL_FLAG(std::string, state, "lrsched-state.db",
          "SQLite state file holding runs and metric reports; created when missing");
ABSL_FLAG(std::string, log_level, "info", "lowest severity logged: debug, info, warning, error");
ABSL_FLAG(double, shutdown_grace_seconds, 10,
          "seconds that calls in flight get to finish after SIGTERM or SIGINT");
ABSL_FLAG(double, metrics_run_idle_seconds, 6 * 3600,
          "seconds without a change to a run (a report, a rate at a new position, a rejected "
          "report) after which its series leave /metrics; 1 to 2592000 (30 days)");
ABSL_FLAG(int64_t, metrics_max_runs, 1000,
          "maximum number of runs whose series are on /metrics at once; further active runs "
          "are counted in lrsched_run_series_dropped_total{reason=\"run_limit\"}; "
          "0 to 1000000");

namespace {

// Applies --log_level to glog. Returns false for an unknown level.
bool ConfigureLogging(const std::string& level) {
  FLAGS_logtostderr = true;
  if (level == "debug") {
    FLAGS_v = 1;
    FLAGS_minloglevel = google::GLOG_INFO;
  } else if (level == "info") {
    FLAGS_minloglevel = google::GLOG_INFO;
  } else if (level == "warning") {
    FLAGS_minloglevel = google::GLOG_WARNING;
  } else if (level == "error") {
    FLAGS_minloglevel = google::GLOG_ERROR;
  } else {
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Serves learning-rate schedules over gRPC.\nUsage: lrsched-server "
                               "[--listen ADDR] [--metrics_listen ADDR] [--state FILE]");
  absl::ParseCommandLine(argc, argv);
  google::InitGoogleLogging(argv[0]);
  if (!ConfigureLogging(absl::GetFlag(FLAGS_log_level))) {
    std::cerr << "invalid --log_level \"" << absl::GetFlag(FLAGS_log_level)
              << "\": use debug, info, warning or error\n";
    return 2;
  }
  const double grace_seconds = absl::GetFlag(FLAGS_shutdown_grace_seconds);
  if (!(grace_seconds >= 0 && grace_seconds <= 3600)) {
    std::cerr << "invalid --shutdown_grace_seconds " << grace_seconds << ": use 0 to 3600\n";
    return 2;
  }
  const double idle_seconds = absl::GetFlag(FLAGS_metrics_run_idle_seconds);
  if (!(idle_seconds >= 1 && idle_seconds <= 2592000)) {
    std::cerr << "invalid --metrics_run_idle_seconds " << std::setprecision(15) << idle_seconds
              << ": use 1 to 2592000 (30 days)\n";
    return 2;
  }
  const int64_t max_runs = absl::GetFlag(FLAGS_metrics_max_runs);
  if (max_runs < 0 || max_runs > 1000000) {
    std::cerr << "invalid --metrics_max_runs " << max_runs << ": use 0 to 1000000\n";
    return 2;
  }

  // Abseil's deadlock detection checks the lock order of every absl::Mutex lock, gRPC's
  // included, under one global lock. It cost 14 % of the instructions of a bare gRPC call
  // (callgrind, docs/performance.md), so the server turns it off. The tests keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only the sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  lrsched::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.metrics_address = absl::GetFlag(FLAGS_metrics_listen);
  options.state_path = absl::GetFlag(FLAGS_state);
  options.metrics_run_idle_timeout = absl::Seconds(idle_seconds);
  options.metrics_max_runs = static_cast<size_t>(max_runs);
  auto server = lrsched::Server::Start(options);
  if (!server.ok()) {
    LOG(ERROR) << "lrsched-server failed to start: " << server.status();
    return 1;
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LOG(INFO) << "received " << strsignal(signal_number) << ", stopping";
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  return 0;
}
