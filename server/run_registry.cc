#include "server/run_registry.h"

#include "google/protobuf/util/time_util.h"

namespace lrsched {

int64_t RunEntry::PositionOf(int64_t step, int64_t epoch) const {
  return request.spec().unit() == v1::ScheduleSpec::STEP ? step : epoch;
}

int64_t RunEntry::BoundaryOf(int64_t step, int64_t epoch) const {
  const v1::PolicySpec& spec = request.policy();
  if (spec.boundary() == v1::PolicySpec::EVERY_N_STEPS) return step / spec.every_n_steps();
  return epoch;
}

v1::Run RunEntry::ToProto() const {
  v1::Run run;
  run.set_run_id(request.run_id());
  *run.mutable_spec() = request.spec();
  run.set_num_workers(request.num_workers());
  *run.mutable_labels() = request.labels();
  *run.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(create_time));
  if (request.has_policy()) *run.mutable_policy() = request.policy();

  absl::MutexLock lock(&mu);
  run.set_state(timeline->finished_at() ? v1::Run::FINISHED : v1::Run::ACTIVE);
  run.set_schedule_version(static_cast<int64_t>(decisions.size()) + 1);
  run.set_decision_count(static_cast<int64_t>(decisions.size()));
  run.set_decided_through(policy ? policy_state.decided_through() : -1);
  run.set_warning(warning);
  if (policy) *run.mutable_policy_state() = policy_state;
  run.set_last_step(last_step);
  run.set_last_epoch(last_epoch);
  run.set_report_count(report_count);
  for (const auto& [name, value] : last_metrics) (*run.mutable_last_metrics())[name] = value;
  return run;
}

std::shared_ptr<RunEntry> RunRegistry::Find(const std::string& run_id) const {
  absl::ReaderMutexLock lock(&mu_);
  const auto it = runs_.find(run_id);
  return it == runs_.end() ? nullptr : it->second;
}

bool RunRegistry::WithRun(
    const std::string& run_id,
    const std::function<void(const std::shared_ptr<RunEntry>&)>& action) const {
  absl::ReaderMutexLock lock(&mu_);
  const auto it = runs_.find(run_id);
  if (it == runs_.end()) return false;
  action(it->second);
  return true;
}

void RunRegistry::Insert(std::shared_ptr<RunEntry> entry) {
  absl::MutexLock lock(&mu_);
  const std::string run_id = entry->request.run_id();
  runs_.emplace(run_id, std::move(entry));
}

std::shared_ptr<RunEntry> RunRegistry::Remove(
    const std::string& run_id, const std::function<void(RunEntry&)>& action) {
  absl::MutexLock lock(&mu_);
  const auto it = runs_.find(run_id);
  if (it == runs_.end()) return nullptr;

  std::shared_ptr<RunEntry> entry = std::move(it->second);
  runs_.erase(it);
  action(*entry);
  return entry;
}

std::vector<std::shared_ptr<RunEntry>> RunRegistry::Page(const std::string& after, size_t limit,
                                                         bool* more) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::shared_ptr<RunEntry>> page;
  auto it = runs_.upper_bound(after);
  for (; it != runs_.end() && page.size() < limit; ++it) page.push_back(it->second);
  *more = it != runs_.end();
  return page;
}

size_t RunRegistry::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return runs_.size();
}

}  // namespace lrsched
