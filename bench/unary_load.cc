#include "bench/unary_load.h"

#include "absl/strings/str_cat.h"

namespace lrsched::bench {
namespace {

// Starts the next call of a slot from the completion of its previous one.
class UnaryChain {
 public:
  UnaryChain(LoadRecorder* recorder, int slot, std::unique_ptr<UnaryRpc> rpc)
      : recorder_(recorder), slot_(slot), rpc_(std::move(rpc)) {}

  void StartNext() {
    const std::optional<int64_t> call_index = recorder_->StartCall();
    if (!call_index) {
      recorder_->StopSlot();
      return;
    }
    const Clock::time_point start = Clock::now();
    rpc_->Start(*call_index, [this, start](grpc::Status status) {
      if (!status.ok()) {
        recorder_->RecordError(status);
        recorder_->StopSlot();
        return;
      }
      recorder_->FinishCall(slot_, start);
      StartNext();
    });
  }

 private:
  LoadRecorder* recorder_;
  const int slot_;
  std::unique_ptr<UnaryRpc> rpc_;
};

}  // namespace

LoadResult RunUnaryLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                        const LoadSettings& settings, const UnaryRpcFactory& make_rpc,
                        absl::Duration grace) {
  auto recorder = std::make_unique<LoadRecorder>(settings, settings.in_flight);
  std::vector<std::unique_ptr<UnaryChain>> chains;
  for (int slot = 0; slot < settings.in_flight; ++slot) {
    const auto& channel = channels[static_cast<size_t>(slot) % channels.size()];
    chains.push_back(
        std::make_unique<UnaryChain>(recorder.get(), slot, make_rpc(slot, channel)));
  }
  for (auto& chain : chains) chain->StartNext();

  if (!recorder->WaitForSlots(settings.warmup + settings.duration + grace)) {
    // NOTE: the recorder and the chains are leaked, because calls still in flight point into
    // them; the caller is expected to exit with the error.
    (void)recorder.release();
    for (auto& chain : chains) (void)chain.release();
    LoadResult result;
    result.failed_calls = 1;
    result.first_error = absl::StrCat("calls still in flight ", absl::FormatDuration(grace),
                                      " after the end of the run");
    return result;
  }
  return recorder->TakeResult();
}

}  // namespace lrsched::bench
