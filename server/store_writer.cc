#include "server/store_writer.h"

#include <vector>

#include "absl/synchronization/notification.h"
#include "glog/logging.h"

namespace lrsched {

StoreWriter::StoreWriter(StateStore* store) : store_(store), thread_([this] { Run(); }) {}

StoreWriter::~StoreWriter() { Stop(); }

void StoreWriter::Submit(Mutation mutation, Completion done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back({std::move(mutation), std::move(done)});
      return;
    }
  }
  done(absl::UnavailableError("the server is shutting down; retry on another replica or later"));
}

absl::Status StoreWriter::SubmitAndWait(Mutation mutation) {
  absl::Notification committed;
  absl::Status result;
  Submit(std::move(mutation), [&](absl::Status status) {
    result = std::move(status);
    committed.Notify();
  });
  committed.WaitForNotification();
  return result;
}

void StoreWriter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  thread_.join();
}

void StoreWriter::Run() {
  while (true) {
    std::deque<Pending> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](StoreWriter* writer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer->mu_) {
            return writer->stopping_ || !writer->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // Stopping, and everything queued is written.

      const size_t count = std::min(queue_.size(), kMaxBatch);
      for (size_t i = 0; i < count; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ApplyBatch(batch);
  }
}

void StoreWriter::ApplyBatch(std::deque<Pending>& batch) {
  // The common case: every mutation succeeds and the batch costs one commit.
  absl::Status status = store_->Begin();
  for (size_t i = 0; status.ok() && i < batch.size(); ++i) {
    status = batch[i].mutation(*store_);
  }
  if (status.ok()) status = store_->Commit();
  if (status.ok()) {
    for (auto& pending : batch) pending.done(absl::OkStatus());
    return;
  }

  // A failed mutation must not take the others down with it: undo the batch and give each
  // mutation a transaction of its own, so only the failing ones report an error.
  store_->Rollback();
  LOG(WARNING) << "group commit of " << batch.size()
               << " writes failed, retrying them one by one: " << status;
  for (auto& pending : batch) pending.done(ApplyOne(pending));
}

absl::Status StoreWriter::ApplyOne(Pending& pending) {
  absl::Status status = store_->Begin();
  if (status.ok()) status = pending.mutation(*store_);
  if (status.ok()) status = store_->Commit();
  if (!status.ok()) store_->Rollback();
  return status;
}

}  // namespace lrsched
