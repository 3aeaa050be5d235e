// Drives unary calls with the gRPC callback API: `in_flight` chains of calls, each starting its
// next call from the completion of the previous one, spread round-robin over the channels.
#ifndef LRSCHED_BENCH_UNARY_LOAD_H_
#define LRSCHED_BENCH_UNARY_LOAD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "bench/load_recorder.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace lrsched::bench {

// One slot's calls of one RPC, owned by the slot. The request and response are reused, and
// each call's context lives here until the next Start.
class UnaryRpc {
 public:
  using Done = std::function<void(grpc::Status)>;

  virtual ~UnaryRpc() = default;

  // Starts the call with index `call_index`; `done` runs once, on a gRPC thread, with its
  // status. REQUIRES: the previous call of this object has finished.
  virtual void Start(int64_t call_index, Done done) = 0;
};

// Makes the UnaryRpc of `slot`, sending on `channel`.
using UnaryRpcFactory =
    std::function<std::unique_ptr<UnaryRpc>(int slot, const std::shared_ptr<grpc::Channel>&)>;

// Runs the load and returns its figures. A slot stops at its first failed call, so a server
// that rejects every call ends the run early with the error. When calls are still in flight
// `grace` after the duration, returns a result with one failure that names the timeout, and the
// caller must exit without waiting for them.
LoadResult RunUnaryLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                        const LoadSettings& settings, const UnaryRpcFactory& make_rpc,
                        absl::Duration grace);

}  // namespace lrsched::bench

#endif  // LRSCHED_BENCH_UNARY_LOAD_H_
