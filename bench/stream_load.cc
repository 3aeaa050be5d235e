#include "bench/stream_load.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "bench/workload.h"
#include "lrsched/v1/service.grpc.pb.h"

namespace lrsched::bench {
namespace {

// One slot's streams, one after the other. Each StreamWriter is one stream, and it deletes
// itself in OnDone after opening the slot's next stream.
struct StreamSlot {
  LoadRecorder* recorder;
  int slot;
  std::unique_ptr<lrsched::v1::LrScheduler::Stub> stub;
  const StreamLoadOptions* options;
  absl::Duration stream_timeout;
  std::string worker;
};

class StreamWriter final : public grpc::ClientWriteReactor<lrsched::v1::ReportMetricsRequest> {
 public:
  explicit StreamWriter(StreamSlot* slot) : slot_(slot) {}

  // Opens the stream and writes its first report.
  void Begin() {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + slot_->stream_timeout));
    slot_->stub->async()->StreamMetrics(&context_, &response_, this);
    if (!WriteNext()) StartWritesDone();
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    // A failed write ends the stream, and OnDone reports its status.
    if (!ok) return;
    ++written_;
    slot_->recorder->FinishCall(slot_->slot, write_start_);
    if (written_ >= slot_->options->reports_per_stream || !WriteNext()) StartWritesDone();
  }

  void OnDone(const grpc::Status& status) override {
    bool more = status.ok();
    if (!status.ok()) {
      slot_->recorder->RecordError(status);
    } else if (response_.stored() != written_) {
      more = false;
      slot_->recorder->RecordError(grpc::Status(
          grpc::StatusCode::DATA_LOSS,
          absl::StrCat("the server stored ", response_.stored(), " reports (and found ",
                       response_.duplicates(), " duplicates) of ", written_,
                       " written to the stream")));
    }

    // Opens the slot's next stream only while calls may still start, so the chain ends.
    if (more && !exhausted_) {
      (new StreamWriter(slot_))->Begin();
    } else {
      slot_->recorder->StopSlot();
    }
    delete this;
  }

 private:
  // Writes the next report if another call may start. Returns false otherwise.
  bool WriteNext() {
    const std::optional<int64_t> call_index = slot_->recorder->StartCall();
    if (!call_index) {
      exhausted_ = true;
      return false;
    }
    request_.Clear();
    FillReport(slot_->options->run_id, slot_->worker, *call_index, *call_index / 1000, request_);
    write_start_ = Clock::now();
    StartWrite(&request_);
    return true;
  }

  StreamSlot* slot_;
  grpc::ClientContext context_;
  lrsched::v1::ReportMetricsRequest request_;
  lrsched::v1::StreamMetricsResponse response_;
  Clock::time_point write_start_;
  int64_t written_ = 0;
  // True once the recorder refused a further call: the run is over for this slot.
  bool exhausted_ = false;
};

}  // namespace

LoadResult RunStreamLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                         const LoadSettings& settings, const StreamLoadOptions& options,
                         absl::Duration grace) {
  auto recorder = std::make_unique<LoadRecorder>(settings, settings.in_flight);
  std::vector<std::unique_ptr<StreamSlot>> slots;
  for (int slot = 0; slot < settings.in_flight; ++slot) {
    const auto& channel = channels[static_cast<size_t>(slot) % channels.size()];
    slots.push_back(std::make_unique<StreamSlot>(
        StreamSlot{recorder.get(), slot, lrsched::v1::LrScheduler::NewStub(channel), &options,
                   settings.warmup + settings.duration + grace,
                   absl::StrCat("stream-", ::getpid(), "-", slot)}));
  }
  for (auto& slot : slots) (new StreamWriter(slot.get()))->Begin();

  if (!recorder->WaitForSlots(settings.warmup + settings.duration + grace)) {
    // NOTE: the recorder and the slots are leaked, because streams still open point into
    // them; the caller is expected to exit with the error.
    (void)recorder.release();
    for (auto& slot : slots) (void)slot.release();
    LoadResult result;
    result.failed_calls = 1;
    result.first_error = absl::StrCat("streams still open ", absl::FormatDuration(grace),
                                      " after the end of the run");
    return result;
  }
  return recorder->TakeResult();
}

}  // namespace lrsched::bench
