// The single thread that writes to the state file, with group commit.
//
// Callers submit mutations from any thread. The writer takes everything queued, applies it in
// one transaction, commits once, and only then runs each mutation's completion callback, so a
// caller that acknowledges from its callback acknowledges only what the file already holds.
// Mutations are applied in submission order.
#ifndef LRSCHED_SERVER_STORE_WRITER_H_
#define LRSCHED_SERVER_STORE_WRITER_H_

#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/state_store.h"

namespace lrsched {

class StoreWriter {
 public:
  using Mutation = std::function<absl::Status(StateStore&)>;
  using Completion = std::function<void(absl::Status)>;

  // Most mutations committed together; bounds the latency of the first in a batch.
  static constexpr size_t kMaxBatch = 4096;

  // Starts the writer thread on `store`, which must outlive this object.
  explicit StoreWriter(StateStore* store);

  // Applies the queued mutations, then stops the thread.
  ~StoreWriter();

  // Queues `mutation`; `done` runs on the writer thread after the commit, with the mutation's
  // status, or the commit's error. After Stop, `done` runs at once with UNAVAILABLE.
  void Submit(Mutation mutation, Completion done);

  // Applies `mutation` and waits for its commit.
  absl::Status SubmitAndWait(Mutation mutation);

  // Applies what is queued and stops the thread. Safe to call more than once.
  void Stop();

 private:
  struct Pending {
    Mutation mutation;
    Completion done;
  };

  void Run();
  void ApplyBatch(std::deque<Pending>& batch);
  absl::Status ApplyOne(Pending& pending);

  StateStore* store_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_STORE_WRITER_H_
