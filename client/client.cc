// lrsched::Client: one gRPC channel per client, a deadline on every attempt, and retries of
// UNAVAILABLE with exponential backoff within a time budget.
//
// Why the retries are written here rather than left to gRPC's service-config `retryPolicy`:
// gRPC 1.51 caps `maxAttempts` at 5, so with the default backoff the policy gives up within
// about 2 s, far short of a 30 s budget. It also has no per-attempt deadline outside its
// experimental hedging support, so one ClientContext deadline would cover every attempt. The
// loop below retries until the budget is spent and gives each attempt its own deadline. No
// retryPolicy is configured, so each attempt is exactly one RPC on the wire, and the logs
// count the attempts correctly. gRPC still reconnects the channel on its own. Its reconnect
// backoff is set to the same bounds as the loop's backoff, so that a retry does not fail only
// because the channel is still waiting to reconnect.
#include "client/client.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "glog/logging.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace lrsched {
namespace {

// A preview of 500,000 positions is about 4 MB of doubles, at gRPC's default receive limit of
// 4 MiB. The larger limit leaves room for bigger previews and ListRuns pages.
constexpr int kMaxReceiveMessageBytes = 64 << 20;

absl::Status CheckOptions(const std::string& address, const ClientOptions& options) {
  if (address.empty()) return absl::InvalidArgumentError("server address must not be empty");
  if (options.call_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("call_timeout must be positive, got ",
                                                   absl::FormatDuration(options.call_timeout)));
  }
  if (options.retry_budget < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("retry_budget must not be negative, got ",
                                                   absl::FormatDuration(options.retry_budget)));
  }
  if (options.initial_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.initial_backoff) {
    return absl::InvalidArgumentError(absl::StrCat(
        "backoff must satisfy 0 < initial_backoff <= max_backoff, got initial_backoff ",
        absl::FormatDuration(options.initial_backoff), " and max_backoff ",
        absl::FormatDuration(options.max_backoff)));
  }
  return absl::OkStatus();
}

int ClampedMilliseconds(absl::Duration duration) {
  const int64_t milliseconds = absl::ToInt64Milliseconds(duration);
  return static_cast<int>(std::clamp<int64_t>(milliseconds, 1, 1 << 30));
}

grpc::ChannelArguments MakeChannelArguments(const ClientOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);

  // Keep gRPC's reconnect backoff (by default 1 s growing to 120 s) in step with the retry
  // loop, so that a restarted server is reached on the next retry.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
                   ClampedMilliseconds(options.initial_backoff));
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, ClampedMilliseconds(options.max_backoff));
  return arguments;
}

// Returns `backoff` scaled by a random factor in [0.8, 1.2], so that many clients that lost
// the same server do not retry in lockstep.
absl::Duration Jitter(absl::Duration backoff) {
  absl::BitGen random;
  return backoff * absl::Uniform(random, 0.8, 1.2);
}

// Runs `attempt` with a fresh ClientContext until it returns something other than
// UNAVAILABLE or `options.retry_budget` is spent, and returns the last status. An UNAVAILABLE
// that exhausts the budget gets a message naming the address and the number of attempts.
// `attempt` has the signature grpc::Status(grpc::ClientContext&).
template <typename Attempt>
grpc::Status CallWithRetry(absl::string_view method, const std::string& address,
                           const ClientOptions& options, Attempt&& attempt) {
  const absl::Time start = absl::Now();
  const absl::Time budget_end = start + options.retry_budget;
  absl::Duration backoff = options.initial_backoff;

  for (int attempt_number = 1;; ++attempt_number) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options.call_timeout));
    const grpc::Status status = attempt(context);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return status;

    // The last attempt is made when the budget ends, so the caller waits about as long as
    // the budget sets and not a backoff less.
    const absl::Time now = absl::Now();
    if (now >= budget_end) {
      const absl::Duration elapsed = absl::Trunc(now - start, absl::Milliseconds(10));
      return grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          absl::StrCat("server ", address, " is unavailable after ", attempt_number,
                       attempt_number == 1 ? " attempt" : " attempts", " in ",
                       absl::FormatDuration(elapsed), ": ", status.error_message()));
    }
    const absl::Duration wait = std::min({Jitter(backoff), options.max_backoff, budget_end - now});
    LOG(WARNING) << method << " on " << address << " failed with UNAVAILABLE (attempt "
                 << attempt_number << "): " << status.error_message() << "; retrying in "
                 << absl::Trunc(wait, absl::Milliseconds(1));
    absl::SleepFor(wait);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
}

// Makes one unary call of `method` on `stub` through CallWithRetry and converts the result.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> UnaryCall(Stub& stub,
                                   grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                const Request&, Response*),
                                   absl::string_view method_name, const std::string& address,
                                   const ClientOptions& options, const Request& request) {
  Response response;
  const grpc::Status status =
      CallWithRetry(method_name, address, options, [&](grpc::ClientContext& context) {
        response.Clear();
        return (stub.*method)(&context, request, &response);
      });
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const std::string& address,
                                                        const ClientOptions& options) {
  if (absl::Status status = CheckOptions(address, options); !status.ok()) return status;

  // NOTE: the channel is plaintext. Put lrsched behind TLS or on a trusted network.
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), MakeChannelArguments(options));
  if (channel == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot create a channel to ", address));
  }
  return std::unique_ptr<Client>(new Client(address, options, std::move(channel)));
}

Client::Client(std::string address, ClientOptions options, std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)),
      options_(options),
      channel_(std::move(channel)),
      stub_(v1::LrScheduler::NewStub(channel_)) {}

// CreateRun is safe to retry: the server returns the existing run for a repeated request.
absl::StatusOr<v1::Run> Client::CreateRun(const v1::CreateRunRequest& request) {
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::CreateRun, "CreateRun", address_, options_,
                   request);
}

absl::StatusOr<v1::Run> Client::GetRun(const std::string& run_id) {
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::GetRun, "GetRun", address_, options_, request);
}

absl::StatusOr<v1::ListRunsResponse> Client::ListRuns(int32_t page_size,
                                                      const std::string& page_token) {
  v1::ListRunsRequest request;
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::ListRuns, "ListRuns", address_, options_,
                   request);
}

// NOTE: when a reply is lost after the server deleted the run, the retry returns NOT_FOUND.
absl::Status Client::DeleteRun(const std::string& run_id) {
  v1::DeleteRunRequest request;
  request.set_run_id(run_id);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::DeleteRun, "DeleteRun", address_, options_,
                   request)
      .status();
}

absl::StatusOr<v1::GetLearningRateResponse> Client::GetLearningRate(const std::string& run_id,
                                                                    int64_t step, int64_t epoch,
                                                                    const std::string& worker) {
  v1::GetLearningRateRequest request;
  request.set_run_id(run_id);
  request.set_step(step);
  request.set_epoch(epoch);
  request.set_worker(worker);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::GetLearningRate, "GetLearningRate", address_,
                   options_, request);
}

// Retrying is safe: the server stores one report per worker, step and epoch, and answers a
// repeated one with `duplicate` set instead of storing it again.
absl::StatusOr<v1::ReportMetricsResponse> Client::ReportMetrics(
    const std::string& run_id, const std::string& worker, int64_t step, int64_t epoch,
    const std::map<std::string, double>& metrics) {
  v1::ReportMetricsRequest request;
  request.set_run_id(run_id);
  request.set_worker(worker);
  request.set_step(step);
  request.set_epoch(epoch);
  request.mutable_metrics()->insert(metrics.begin(), metrics.end());

  return UnaryCall(*stub_, &v1::LrScheduler::Stub::ReportMetrics, "ReportMetrics", address_,
                   options_, request);
}

absl::StatusOr<v1::StreamMetricsResponse> Client::StreamMetrics(
    const std::vector<v1::ReportMetricsRequest>& reports) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
  v1::StreamMetricsResponse response;
  const auto writer = stub_->StreamMetrics(&context, &response);
  for (const auto& report : reports) {
    // A failed write means the server ended the stream; Finish returns its status.
    if (!writer->Write(report)) break;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::PreviewScheduleResponse> Client::PreviewSchedule(const v1::ScheduleSpec& spec,
                                                                    int64_t positions) {
  v1::PreviewScheduleRequest request;
  *request.mutable_spec() = spec;
  request.set_positions(positions);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::PreviewSchedule, "PreviewSchedule", address_,
                   options_, request);
}

absl::StatusOr<v1::Decision> Client::UpdateSchedule(const v1::UpdateScheduleRequest& request) {
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::UpdateSchedule, "UpdateSchedule", address_,
                   options_, request);
}

absl::StatusOr<v1::ListDecisionsResponse> Client::ListDecisions(const std::string& run_id) {
  v1::ListDecisionsRequest request;
  request.set_run_id(run_id);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::ListDecisions, "ListDecisions", address_,
                   options_, request);
}

absl::StatusOr<v1::ScheduleLease> Client::LeaseSchedule(const std::string& run_id, int64_t step,
                                                        int64_t epoch, const std::string& worker,
                                                        int64_t positions) {
  v1::LeaseScheduleRequest request;
  request.set_run_id(run_id);
  request.set_step(step);
  request.set_epoch(epoch);
  request.set_worker(worker);
  request.set_positions(positions);
  return UnaryCall(*stub_, &v1::LrScheduler::Stub::LeaseSchedule, "LeaseSchedule", address_,
                   options_, request);
}

absl::Status Client::CheckHealth() {
  // The empty service name requests the status of the server as a whole.
  const auto health_stub = grpc::health::v1::Health::NewStub(channel_);
  const grpc::health::v1::HealthCheckRequest request;
  auto response = UnaryCall(*health_stub, &grpc::health::v1::Health::Stub::Check, "Health.Check",
                            address_, options_, request);
  if (!response.ok()) return response.status();

  if (response->status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(absl::StrCat(
        "server ", address_, " reports health status ",
        grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response->status())));
  }
  return absl::OkStatus();
}

absl::Status ToAbslStatus(const grpc::Status& status) {
  // grpc::StatusCode and absl::StatusCode share their numbering, 0 (OK) to 16
  // (UNAUTHENTICATED). A code outside that range can only come from a broken peer.
  const int code = static_cast<int>(status.error_code());
  if (code < 0 || code > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::UnknownError(
        absl::StrCat("unknown gRPC status code ", code, ": ", status.error_message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(code), status.error_message());
}

}  // namespace lrsched
