// The server side of StreamMetrics: reads reports one after another, hands each to the store
// writer as it arrives (so a stream fills group commits), and replies once every report it
// read is committed.
#ifndef LRSCHED_SERVER_METRICS_STREAM_REACTOR_H_
#define LRSCHED_SERVER_METRICS_STREAM_REACTOR_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "lrsched/v1/service.grpc.pb.h"

namespace lrsched {

class SchedulerService;

class MetricsStreamReactor final : public grpc::ServerReadReactor<v1::ReportMetricsRequest> {
 public:
  // `service` must outlive the reactor; `response` is gRPC's reply message.
  MetricsStreamReactor(SchedulerService* service, v1::StreamMetricsResponse* response);

  void OnReadDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  // Counts a committed report, or records the first error.
  void OnStored(int64_t index, const absl::Status& status, bool duplicate);
  // Returns whether the stream should reply now: reading has ended (or a report failed) and no
  // report is pending. Marks it finished, so only one caller replies.
  bool TakeFinish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Records the RPC and replies. Called without mu_, because OnDone may delete the reactor as
  // soon as Finish is called.
  void Reply(const absl::Status& status);

  SchedulerService* service_;
  v1::StreamMetricsResponse* response_;
  const absl::Time start_;
  v1::ReportMetricsRequest request_;

  absl::Mutex mu_;
  int64_t read_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t pending_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_METRICS_STREAM_REACTOR_H_
