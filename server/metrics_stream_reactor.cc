#include "server/metrics_stream_reactor.h"

#include "absl/strings/str_cat.h"
#include "server/grpc_status.h"
#include "server/scheduler_service.h"

namespace lrsched {

MetricsStreamReactor::MetricsStreamReactor(SchedulerService* service,
                                           v1::StreamMetricsResponse* response)
    : service_(service), response_(response), start_(absl::Now()) {
  StartRead(&request_);
}

void MetricsStreamReactor::OnReadDone(bool ok) {
  int64_t index = 0;
  bool reply = false;
  absl::Status final_status;
  {
    absl::MutexLock lock(&mu_);
    if (!ok || !error_.ok()) {
      // The client closed its side, or a report failed: read no further.
      reading_done_ = true;
      reply = TakeFinish();
      final_status = error_;
    } else {
      index = read_++;
      ++pending_;
    }
  }
  if (!ok || !final_status.ok() || reply) {
    if (reply) Reply(final_status);
    return;
  }

  // Submitting before the next read keeps the reports in the order the client sent them.
  service_->SubmitReport(request_, [this, index](absl::StatusOr<v1::ReportMetricsResponse> stored) {
    OnStored(index, stored.status(), stored.ok() && stored->duplicate());
  });

  // A report rejected at once (invalid, unknown run) has set error_ by now: stop reading.
  {
    absl::MutexLock lock(&mu_);
    if (!error_.ok()) {
      reading_done_ = true;
      reply = TakeFinish();
      final_status = error_;
    }
  }
  // NOTE: the next read starts without waiting for commits, so a client that sends faster
  // than the state file commits grows the writer's queue without bound.
  if (final_status.ok()) {
    StartRead(&request_);
  } else if (reply) {
    Reply(final_status);
  }
}

void MetricsStreamReactor::OnStored(int64_t index, const absl::Status& status, bool duplicate) {
  absl::Status final_status;
  {
    absl::MutexLock lock(&mu_);
    --pending_;
    if (!status.ok()) {
      if (error_.ok()) {
        error_ = absl::Status(status.code(), absl::StrCat("report ", index, " of the stream: ",
                                                          status.message()));
      }
    } else if (duplicate) {
      response_->set_duplicates(response_->duplicates() + 1);
    } else {
      response_->set_stored(response_->stored() + 1);
    }
    if (!TakeFinish()) return;
    final_status = error_;
  }
  Reply(final_status);
}

bool MetricsStreamReactor::TakeFinish() {
  // After an error the stream replies once the reports already submitted are committed, even
  // if the client is still sending: those reports stay stored, the rest are not read.
  if (finished_ || pending_ > 0 || (!reading_done_ && error_.ok())) return false;
  finished_ = true;
  return true;
}

void MetricsStreamReactor::Reply(const absl::Status& status) {
  const grpc::Status reply = ToGrpcStatus(status);
  service_->RecordRpc(RpcMethod::kStreamMetrics, start_, reply);
  Finish(reply);
}

}  // namespace lrsched
