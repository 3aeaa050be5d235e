#include "bench/load_recorder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lrsched::bench {

LoadRecorder::LoadRecorder(const LoadSettings& settings, int slots)
    : measure_start_(Clock::now() + absl::ToChronoNanoseconds(settings.warmup)),
      end_(measure_start_ + absl::ToChronoNanoseconds(settings.duration)),
      max_calls_(settings.max_calls),
      slots_(static_cast<size_t>(slots)),
      active_slots_(slots) {}

std::optional<int64_t> LoadRecorder::StartCall() {
  if (Clock::now() >= end_) return std::nullopt;
  const int64_t index = next_call_.fetch_add(1, std::memory_order_relaxed);
  if (index >= max_calls_) return std::nullopt;
  return index;
}

void LoadRecorder::FinishCall(int slot, Clock::time_point start) {
  if (start < measure_start_) return;
  const Clock::time_point now = Clock::now();
  SlotData& data = slots_[static_cast<size_t>(slot)];
  data.latencies_ns.push_back(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - start).count());
  data.last_finish = now;
}

void LoadRecorder::RecordError(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  ++failed_calls_;
  if (first_error_.empty()) {
    first_error_ = absl::StrCat("code ", static_cast<int>(status.error_code()), ": ",
                                status.error_message());
  }
}

void LoadRecorder::StopSlot() {
  absl::MutexLock lock(&mu_);
  --active_slots_;
}

bool LoadRecorder::WaitForSlots(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const auto all_stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return active_slots_ == 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&all_stopped), timeout);
}

LoadResult LoadRecorder::TakeResult() {
  LoadResult result;
  result.started_calls = std::min(next_call_.load(), max_calls_);
  {
    absl::MutexLock lock(&mu_);
    result.failed_calls = failed_calls_;
    result.first_error = first_error_;
  }

  Clock::time_point last_finish = measure_start_;
  for (SlotData& slot : slots_) {
    if (slot.latencies_ns.empty()) continue;
    last_finish = std::max(last_finish, slot.last_finish);
    result.latencies_ns.insert(result.latencies_ns.end(), slot.latencies_ns.begin(),
                               slot.latencies_ns.end());
  }
  result.measured_calls = static_cast<int64_t>(result.latencies_ns.size());
  result.measured_seconds = std::chrono::duration<double>(last_finish - measure_start_).count();
  return result;
}

}  // namespace lrsched::bench
