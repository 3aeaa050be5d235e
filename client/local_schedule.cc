#include "client/local_schedule.h"

#include <vector>

namespace lrsched {

LocalSchedule::LocalSchedule(Client* client, std::string run_id, std::string worker,
                             int64_t lease_positions)
    : client_(client),
      run_id_(std::move(run_id)),
      worker_(std::move(worker)),
      lease_positions_(lease_positions) {}

bool LocalSchedule::Covers(int64_t step, int64_t epoch) const {
  if (timeline_ == nullptr) return false;
  const bool by_step = lease_.spec().unit() == v1::ScheduleSpec::STEP;
  const int64_t position = by_step ? step : epoch;
  return position >= lease_.first_position() && step <= lease_.max_step() &&
         epoch <= lease_.max_epoch();
}

absl::Status LocalSchedule::Renew(int64_t step, int64_t epoch) {
  auto lease = client_->LeaseSchedule(run_id_, step, epoch, worker_, lease_positions_);
  if (!lease.ok()) return lease.status();

  const std::vector<v1::Decision> decisions(lease->decisions().begin(),
                                            lease->decisions().end());
  auto timeline = RateTimeline::Build(lease->spec(), decisions);
  if (!timeline.ok()) return timeline.status();
  lease_ = *std::move(lease);
  timeline_ = *std::move(timeline);
  ++lease_count_;
  return absl::OkStatus();
}

absl::StatusOr<double> LocalSchedule::LearningRate(int64_t step, int64_t epoch) {
  absl::MutexLock lock(&mu_);
  if (!Covers(step, epoch)) {
    const absl::Status renewed = Renew(step, epoch);
    if (!renewed.ok()) return renewed;
  }
  const bool by_step = lease_.spec().unit() == v1::ScheduleSpec::STEP;
  return timeline_->LearningRate(by_step ? step : epoch);
}

int64_t LocalSchedule::schedule_version() const {
  absl::MutexLock lock(&mu_);
  return lease_.schedule_version();
}

int64_t LocalSchedule::lease_count() const {
  absl::MutexLock lock(&mu_);
  return lease_count_;
}

}  // namespace lrsched
