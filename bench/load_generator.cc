// load_generator: sends a bounded load of lrsched RPCs to a server on the loopback interface
// and prints one line of results: calls per second and p50, p90, p99 and p99.9 latency.
//
// Scenarios:
//   get_rate       GetLearningRate of one run, at increasing steps.
//   report         ReportMetrics of one run, 4 metrics each, one worker name per slot.
//   stream_report  the same reports on client streams of StreamMetrics.
//   create_runs    CreateRun of --runs runs named <run_id>-0000000, <run_id>-0000001, ...
//   wait_serving   repeats GetLearningRate of --run_id until it succeeds, and prints the time
//                  since --since_unix_nanos: the time a server took from start to serving.
// get_rate, report and stream_report first create --run_id (CreateRun returns an existing equal
// run as is).
//
// The result line has the form
//   result label=lrsched scenario=get_rate channels=1 in_flight=16 calls=... seconds=...
//   calls_per_second=... p50_us=... p90_us=... p99_us=... p999_us=... max_us=... errors=0
// and bench/run_all.sh reads it. The exit status is 1 when any call failed.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/latency_stats.h"
#include "bench/load_recorder.h"
#include "bench/stream_load.h"
#include "bench/unary_load.h"
#include "bench/workload.h"
#include "grpcpp/grpcpp.h"
#include "lrsched/v1/service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "host:port of the server; only 127.0.0.1, localhost or [::1] are accepted");
ABSL_FLAG(std::string, scenario, "get_rate",
          "get_rate, report, stream_report, create_runs or wait_serving");
ABSL_FLAG(int, channels, 1, "gRPC channels, each with its own TCP connection; 1 to 64");
ABSL_FLAG(int, in_flight, 1,
          "calls (streams for stream_report) in flight at once, spread round-robin over the "
          "channels; 1 to 1024");
ABSL_FLAG(double, warmup_seconds, 1, "seconds of calls that are made but not measured; 0 to 60");
ABSL_FLAG(double, duration_seconds, 5,
          "seconds of measured calls after the warmup; also the time limit of create_runs and "
          "wait_serving; 0.1 to 600");
ABSL_FLAG(int64_t, max_calls, 10000000,
          "most calls (streamed reports for stream_report) started, warmup included; the run "
          "ends at this count or at the end of the duration, whichever comes first");
ABSL_FLAG(std::string, run_id, "bench-run",
          "run that get_rate, report and wait_serving use; prefix of create_runs' run ids");
ABSL_FLAG(int64_t, runs, 10000, "create_runs: runs to create; 1 to 10000000");
ABSL_FLAG(int64_t, reports_per_stream, 1000,
          "stream_report: reports written to a stream before it is closed and another opened");
ABSL_FLAG(int64_t, since_unix_nanos, 0,
          "wait_serving: Unix time in nanoseconds at which the server was started");
ABSL_FLAG(std::string, label, "", "name copied into the result line, e.g. the server's");

namespace lrsched::bench {
namespace {

constexpr auto kCallTimeout = std::chrono::seconds(10);
// Time the calls of a run get to finish after its duration.
constexpr absl::Duration kGrace = absl::Seconds(15);

std::chrono::system_clock::time_point CallDeadline() {
  return std::chrono::system_clock::now() + kCallTimeout;
}

class GetRateRpc final : public UnaryRpc {
 public:
  GetRateRpc(const std::shared_ptr<grpc::Channel>& channel, const std::string& run_id,
             std::string worker)
      : stub_(lrsched::v1::LrScheduler::NewStub(channel)) {
    request_.set_run_id(run_id);
    request_.set_worker(std::move(worker));
  }

  void Start(int64_t call_index, Done done) override {
    // The previous call has finished, so its context may go.
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(CallDeadline());
    const int64_t step = call_index % kScheduleSteps;
    request_.set_step(step);
    request_.set_epoch(step / 1000);
    stub_->async()->GetLearningRate(context_.get(), &request_, &response_, std::move(done));
  }

 private:
  std::unique_ptr<lrsched::v1::LrScheduler::Stub> stub_;
  std::unique_ptr<grpc::ClientContext> context_;
  lrsched::v1::GetLearningRateRequest request_;
  lrsched::v1::GetLearningRateResponse response_;
};

class ReportRpc final : public UnaryRpc {
 public:
  ReportRpc(const std::shared_ptr<grpc::Channel>& channel, std::string run_id, std::string worker)
      : stub_(lrsched::v1::LrScheduler::NewStub(channel)),
        run_id_(std::move(run_id)),
        worker_(std::move(worker)) {}

  void Start(int64_t call_index, Done done) override {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(CallDeadline());
    // Call indexes are unique, so no report is a duplicate of an earlier one.
    request_.Clear();
    FillReport(run_id_, worker_, call_index, call_index / 1000, request_);
    stub_->async()->ReportMetrics(context_.get(), &request_, &response_, std::move(done));
  }

 private:
  std::unique_ptr<lrsched::v1::LrScheduler::Stub> stub_;
  const std::string run_id_;
  const std::string worker_;
  std::unique_ptr<grpc::ClientContext> context_;
  lrsched::v1::ReportMetricsRequest request_;
  lrsched::v1::ReportMetricsResponse response_;
};

class CreateRunRpc final : public UnaryRpc {
 public:
  CreateRunRpc(const std::shared_ptr<grpc::Channel>& channel, std::string run_id_prefix)
      : stub_(lrsched::v1::LrScheduler::NewStub(channel)),
        run_id_prefix_(std::move(run_id_prefix)) {}

  void Start(int64_t call_index, Done done) override {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(CallDeadline());
    request_ = BenchRunRequest(absl::StrFormat("%s-%07d", run_id_prefix_, call_index));
    stub_->async()->CreateRun(context_.get(), &request_, &response_, std::move(done));
  }

 private:
  std::unique_ptr<lrsched::v1::LrScheduler::Stub> stub_;
  const std::string run_id_prefix_;
  std::unique_ptr<grpc::ClientContext> context_;
  lrsched::v1::CreateRunRequest request_;
  lrsched::v1::Run response_;
};

// Channel arguments that give each channel its own subchannel, and so its own TCP connection.
grpc::ChannelArguments SeparateConnectionArguments() {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return arguments;
}

absl::StatusOr<std::vector<std::shared_ptr<grpc::Channel>>> ConnectChannels(
    const std::string& target, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                             SeparateConnectionArguments());
    if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", target, " within 5 s: is the server running?"));
    }
    channels.push_back(std::move(channel));
  }
  return channels;
}

// Creates the run that get_rate, report and stream_report use, unless it exists with the same
// request.
absl::Status CreateBenchRun(const std::shared_ptr<grpc::Channel>& channel,
                            const std::string& run_id) {
  auto stub = lrsched::v1::LrScheduler::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(CallDeadline());
  lrsched::v1::Run run;
  const grpc::Status status = stub->CreateRun(&context, BenchRunRequest(run_id), &run);
  if (status.ok()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "CreateRun of the benchmark run \"", run_id, "\" failed with code ",
      static_cast<int>(status.error_code()), ": ", status.error_message()));
}

void PrintResult(const LoadResult& result) {
  const LatencySummary latency = Summarize(result.latencies_ns);
  const double calls_per_second =
      result.measured_seconds > 0 ? static_cast<double>(result.measured_calls) /
                                        result.measured_seconds
                                  : 0;
  const auto micros = [](int64_t nanos) { return static_cast<double>(nanos) / 1000.0; };
  absl::PrintF(
      "result label=%s scenario=%s channels=%d in_flight=%d calls=%d seconds=%.3f "
      "calls_per_second=%.0f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
      "errors=%d\n",
      absl::GetFlag(FLAGS_label), absl::GetFlag(FLAGS_scenario), absl::GetFlag(FLAGS_channels),
      absl::GetFlag(FLAGS_in_flight), result.measured_calls, result.measured_seconds,
      calls_per_second, micros(latency.p50_ns), micros(latency.p90_ns), micros(latency.p99_ns),
      micros(latency.p999_ns), micros(latency.max_ns), result.failed_calls);
  if (result.failed_calls > 0) {
    std::cerr << "load_generator: " << result.failed_calls
              << " call(s) failed; first error: " << result.first_error << "\n";
  }
}

// Repeats GetLearningRate on fresh connections until one succeeds. Each attempt opens a new
// channel, so gRPC's reconnect backoff (1 s at first) cannot delay the first success. Attempts
// are 5 ms apart, which bounds the error of the measured time.
int WaitUntilServing(const std::string& target, absl::Duration timeout) {
  const int64_t since_unix_nanos = absl::GetFlag(FLAGS_since_unix_nanos);
  if (since_unix_nanos <= 0) {
    std::cerr << "wait_serving needs --since_unix_nanos, the server's start time\n";
    return 2;
  }
  lrsched::v1::GetLearningRateRequest request;
  request.set_run_id(absl::GetFlag(FLAGS_run_id));

  const absl::Time deadline = absl::Now() + timeout;
  grpc::Status status;
  int attempts = 0;
  while (absl::Now() < deadline) {
    ++attempts;
    auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                             SeparateConnectionArguments());
    auto stub = lrsched::v1::LrScheduler::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    lrsched::v1::GetLearningRateResponse response;
    status = stub->GetLearningRate(&context, request, &response);
    if (status.ok()) {
      const double seconds =
          static_cast<double>(absl::GetCurrentTimeNanos() - since_unix_nanos) / 1e9;
      absl::PrintF("result label=%s scenario=wait_serving seconds_to_serving=%.3f attempts=%d "
                   "errors=0\n",
                   absl::GetFlag(FLAGS_label), seconds, attempts);
      return 0;
    }
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
        status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      break;  // The server replied with an error that waiting does not fix.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::cerr << "load_generator: " << target << " was not serving run \""
            << absl::GetFlag(FLAGS_run_id) << "\" after " << attempts
            << " attempt(s); last error code " << static_cast<int>(status.error_code()) << ": "
            << status.error_message() << "\n";
  return 1;
}

absl::Status CheckFlags() {
  if (absl::GetFlag(FLAGS_channels) < 1 || absl::GetFlag(FLAGS_channels) > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("--channels must be 1 to 64, got ", absl::GetFlag(FLAGS_channels)));
  }
  if (absl::GetFlag(FLAGS_in_flight) < 1 || absl::GetFlag(FLAGS_in_flight) > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("--in_flight must be 1 to 1024, got ", absl::GetFlag(FLAGS_in_flight)));
  }
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  if (!(warmup >= 0 && warmup <= 60)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--warmup_seconds must be 0 to 60, got ", warmup));
  }
  const double duration = absl::GetFlag(FLAGS_duration_seconds);
  if (!(duration >= 0.1 && duration <= 600)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--duration_seconds must be 0.1 to 600, got ", duration));
  }
  if (absl::GetFlag(FLAGS_max_calls) < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_calls must be positive, got ", absl::GetFlag(FLAGS_max_calls)));
  }
  if (absl::GetFlag(FLAGS_runs) < 1 || absl::GetFlag(FLAGS_runs) > 10000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--runs must be 1 to 10000000, got ", absl::GetFlag(FLAGS_runs)));
  }
  if (absl::GetFlag(FLAGS_reports_per_stream) < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--reports_per_stream must be positive, got ",
                                                   absl::GetFlag(FLAGS_reports_per_stream)));
  }
  return CheckLoopbackAddress(absl::GetFlag(FLAGS_target));
}

LoadSettings SettingsFromFlags() {
  LoadSettings settings;
  settings.in_flight = absl::GetFlag(FLAGS_in_flight);
  settings.warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  settings.duration = absl::Seconds(absl::GetFlag(FLAGS_duration_seconds));
  settings.max_calls = absl::GetFlag(FLAGS_max_calls);
  return settings;
}

// Runs one of the load scenarios and returns the process exit status.
int RunLoad(const std::string& scenario) {
  const std::string target = absl::GetFlag(FLAGS_target);
  const std::string run_id = absl::GetFlag(FLAGS_run_id);
  auto channels = ConnectChannels(target, absl::GetFlag(FLAGS_channels));
  if (!channels.ok()) {
    std::cerr << "load_generator: " << channels.status().message() << "\n";
    return 1;
  }

  LoadSettings settings = SettingsFromFlags();
  if (scenario == "get_rate" || scenario == "report" || scenario == "stream_report") {
    if (absl::Status created = CreateBenchRun(channels->front(), run_id); !created.ok()) {
      std::cerr << "load_generator: " << created.message() << "\n";
      return 1;
    }
  }

  // Worker names differ between processes, so a second run against the same server sends no
  // duplicate reports.
  const std::string worker_prefix = absl::StrCat("bench-", ::getpid(), "-");
  LoadResult result;
  if (scenario == "get_rate") {
    result = RunUnaryLoad(
        *channels, settings,
        [&](int slot, const std::shared_ptr<grpc::Channel>& channel) {
          return std::make_unique<GetRateRpc>(channel, run_id, absl::StrCat(worker_prefix, slot));
        },
        kGrace);
  } else if (scenario == "report") {
    result = RunUnaryLoad(
        *channels, settings,
        [&](int slot, const std::shared_ptr<grpc::Channel>& channel) {
          return std::make_unique<ReportRpc>(channel, run_id, absl::StrCat(worker_prefix, slot));
        },
        kGrace);
  } else if (scenario == "stream_report") {
    StreamLoadOptions options;
    options.run_id = run_id;
    options.reports_per_stream = absl::GetFlag(FLAGS_reports_per_stream);
    result = RunStreamLoad(*channels, settings, options, kGrace);
  } else {
    // create_runs: every run is measured, and the duration is only a time limit.
    settings.warmup = absl::ZeroDuration();
    settings.max_calls = absl::GetFlag(FLAGS_runs);
    result = RunUnaryLoad(
        *channels, settings,
        [&](int /*slot*/, const std::shared_ptr<grpc::Channel>& channel) {
          return std::make_unique<CreateRunRpc>(channel, run_id);
        },
        kGrace);
    if (result.failed_calls == 0 && result.measured_calls < settings.max_calls) {
      result.failed_calls = 1;
      result.first_error = absl::StrCat("created ", result.measured_calls, " of ",
                                        settings.max_calls, " runs within --duration_seconds");
    }
  }
  PrintResult(result);
  return result.failed_calls == 0 ? 0 : 1;
}

}  // namespace
}  // namespace lrsched::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Sends a bounded load of lrsched RPCs to a loopback server and prints calls per second "
      "and latency percentiles.\nUsage: load_generator --target 127.0.0.1:PORT "
      "--scenario get_rate|report|stream_report|create_runs|wait_serving [options]");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status valid = lrsched::bench::CheckFlags(); !valid.ok()) {
    std::cerr << "load_generator: " << valid.message() << "\n";
    return 2;
  }

  const std::string scenario = absl::GetFlag(FLAGS_scenario);
  if (scenario == "wait_serving") {
    return lrsched::bench::WaitUntilServing(
        absl::GetFlag(FLAGS_target), absl::Seconds(absl::GetFlag(FLAGS_duration_seconds)));
  }
  if (scenario != "get_rate" && scenario != "report" && scenario != "stream_report" &&
      scenario != "create_runs") {
    std::cerr << "load_generator: invalid --scenario \"" << scenario
              << "\": use get_rate, report, stream_report, create_runs or wait_serving\n";
    return 2;
  }
  return lrsched::bench::RunLoad(scenario);
}
