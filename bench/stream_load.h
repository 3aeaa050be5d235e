// Drives client streams of metric reports (LrScheduler.StreamMetrics) with the gRPC callback
// API: `in_flight` streams at once, each writing one report at a time.
#ifndef LRSCHED_BENCH_STREAM_LOAD_H_
#define LRSCHED_BENCH_STREAM_LOAD_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "bench/load_recorder.h"
#include "grpcpp/channel.h"

namespace lrsched::bench {

struct StreamLoadOptions {
  std::string run_id;
  // A stream is closed and a new one opened after this many reports.
  int64_t reports_per_stream = 1000;
};

// Runs the load and returns its figures, counting each report as one call. A report's latency
// is the time from StartWrite to OnWriteDone: until gRPC has passed it to the transport, not
// until the server has read it. Every stream's reply must count all the reports written to it
// as stored, and a stream whose reply does not counts as a failure.
LoadResult RunStreamLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                         const LoadSettings& settings, const StreamLoadOptions& options,
                         absl::Duration grace);

}  // namespace lrsched::bench

#endif  // LRSCHED_BENCH_STREAM_LOAD_H_
