// Bookkeeping shared by the load generator's call loops: when calls may start, which finished
// calls are measured, their latencies, and the errors.
//
// Each slot is a chain of calls (or streamed messages), one in flight at a time, so the number
// of slots is the number of calls in flight. A slot's data is written only by its own chain;
// StopSlot and WaitForSlots order those writes before TakeResult reads them.
#ifndef LRSCHED_BENCH_LOAD_RECORDER_H_
#define LRSCHED_BENCH_LOAD_RECORDER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace lrsched::bench {

using Clock = std::chrono::steady_clock;

struct LoadSettings {
  // Calls (or streams) in flight at once.
  int in_flight = 1;
  // Calls started during the warmup run normally but are not measured.
  absl::Duration warmup = absl::Seconds(1);
  // Calls start until warmup + duration has passed...
  absl::Duration duration = absl::Seconds(5);
  // ...or until this many have started, warmup included.
  int64_t max_calls = 10'000'000;
};

struct LoadResult {
  // Calls that started after the warmup and succeeded.
  int64_t measured_calls = 0;
  // From the end of the warmup to the last measured call's completion.
  double measured_seconds = 0;
  // Calls started, warmup included.
  int64_t started_calls = 0;
  int64_t failed_calls = 0;
  // The first failure's code and message; empty without failures.
  std::string first_error;
  // One latency in nanoseconds per measured call.
  std::vector<int64_t> latencies_ns;
};

class LoadRecorder {
 public:
  // Starts the clock: the warmup begins now.
  LoadRecorder(const LoadSettings& settings, int slots);

  // Reserves the next call and returns its index (0, 1, 2, ... across all slots), or nullopt
  // once the duration is over or max_calls calls have started.
  std::optional<int64_t> StartCall();

  // Records a successful call of `slot` that started at `start`.
  void FinishCall(int slot, Clock::time_point start);

  // Counts a failed call (or a failed write of a stream) and keeps the first error.
  void RecordError(const grpc::Status& status);

  // Marks `slot` as finished: it starts no more calls.
  void StopSlot();

  // Waits until every slot has stopped, at most `timeout`. Returns false on timeout.
  bool WaitForSlots(absl::Duration timeout);

  // Returns the figures. REQUIRES: WaitForSlots returned true.
  LoadResult TakeResult();

 private:
  struct SlotData {
    std::vector<int64_t> latencies_ns;
    Clock::time_point last_finish;
  };

  const Clock::time_point measure_start_;
  const Clock::time_point end_;
  const int64_t max_calls_;
  std::atomic<int64_t> next_call_{0};
  std::vector<SlotData> slots_;

  absl::Mutex mu_;
  int active_slots_ ABSL_GUARDED_BY(mu_);
  int64_t failed_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lrsched::bench

#endif  // LRSCHED_BENCH_LOAD_RECORDER_H_
