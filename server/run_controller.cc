#include "server/run_controller.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "glog/logging.h"
#include "google/protobuf/util/time_util.h"

namespace lrsched {
namespace {

constexpr absl::Duration kTimerPeriod = absl::Milliseconds(100);

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now()));
}

std::string DescribeAction(const v1::Decision& decision) {
  switch (decision.action_case()) {
    case v1::Decision::kScale: return absl::StrCat("scale by ", decision.scale());
    case v1::Decision::kSet: return absl::StrCat("set to ", decision.set());
    case v1::Decision::kSwitchSchedule: return "switch schedule";
    case v1::Decision::kFinish: return "finish";
    case v1::Decision::ACTION_NOT_SET: break;
  }
  return "none";
}

}  // namespace

absl::Duration StragglerTimeout(const v1::PolicySpec& spec) {
  const double seconds = spec.straggler_timeout_seconds() > 0 ? spec.straggler_timeout_seconds()
                                                              : kDefaultStragglerTimeoutSeconds;
  return absl::Seconds(seconds);
}

RunController::RunController(RunRegistry* registry, StoreWriter* writer, PolicyMetrics* metrics)
    : registry_(registry), writer_(writer), metrics_(metrics), timer_([this] { TimerLoop(); }) {}

RunController::~RunController() { Shutdown(); }

void RunController::Shutdown() {
  {
    absl::MutexLock lock(&timer_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  timer_.join();

  bool more = true;
  std::string after;
  while (more) {
    for (const auto& run : registry_->Page(after, 1000, &more)) {
      FailWaiters(*run, absl::UnavailableError("the server is shutting down; retry later"));
      after = run->request.run_id();
    }
  }
}

bool RunController::ReadyToAnswer(const RunEntry& run,
                                  const v1::GetLearningRateRequest& request) const {
  const int64_t position = run.PositionOf(request.step(), request.epoch());
  if (run.decision_in_flight && position >= run.in_flight_position) return false;
  if (!run.policy || run.policy->Finished(run.policy_state)) return true;
  return run.policy_state.decided_through() >= run.BoundaryOf(request.step(), request.epoch()) - 1;
}

absl::StatusOr<v1::GetLearningRateResponse> RunController::Answer(
    RunEntry& run, const v1::GetLearningRateRequest& request) {
  const int64_t position = run.PositionOf(request.step(), request.epoch());
  auto rate = run.timeline->LearningRate(position);
  if (!rate.ok()) return rate.status();
  if (!std::isfinite(*rate)) {
    return absl::OutOfRangeError(absl::StrCat("the schedule of run \"", request.run_id(),
                                              "\" gives a non-finite learning rate at position ",
                                              position));
  }

  if (position >= run.highest_position_answered) {
    run.highest_position_answered = position;
    if (run.series.learning_rate != nullptr) run.series.learning_rate->Set(*rate);
  }
  v1::GetLearningRateResponse response;
  response.set_learning_rate(*rate);
  // Only population-based training names checkpoints, so other runs skip the scan.
  if (run.in_population) {
    for (const auto& decision : run.decisions) {
      if (decision.effective_position() == position && !decision.source_run_id().empty()) {
        response.set_load_checkpoint_from(decision.source_run_id());
      }
    }
  }
  response.set_schedule_version(static_cast<int64_t>(run.decisions.size()) + 1);
  response.set_unit(run.request.spec().unit());
  response.set_position(position);
  return response;
}

void RunController::GetLearningRate(const std::shared_ptr<RunEntry>& run,
                                    const v1::GetLearningRateRequest& request, RateDone done) {
  absl::StatusOr<v1::GetLearningRateResponse> answer;
  {
    absl::MutexLock lock(&run->mu);
    if (!ReadyToAnswer(*run, request)) {
      run->waiters.push_back(PendingRate{request, std::move(done), std::nullopt, nullptr});
      if (run->policy) {
        // The straggler clock of the next boundary starts with the first request that waits.
        run->boundaries.Open(run->policy_state.decided_through() + 1, absl::Now());
      }
      Watch(run->request.run_id());
      return;
    }
    answer = Answer(*run, request);
  }
  done(std::move(answer));
}

void RunController::OnReportStored(const std::shared_ptr<RunEntry>& run,
                                   const MetricReport& report) {
  if (!run->policy) return;
  absl::MutexLock lock(&run->mu);
  if (run->policy->Finished(run->policy_state)) return;
  const int64_t boundary = run->BoundaryOf(report.step, report.epoch);
  if (boundary <= run->policy_state.decided_through()) {
    LOG(WARNING) << "run " << report.run_id << ": report of worker \"" << report.worker
                 << "\" for boundary " << boundary
                 << " arrived after the policy stepped through it; it is stored but not used";
    return;
  }
  run->boundaries.Add(boundary, report.worker, report.step, report.metrics, absl::Now());
  Watch(run->request.run_id());
  Advance(run, absl::Now());
}

void RunController::Advance(const std::shared_ptr<RunEntry>& run, absl::Time now) {
  if (run->decision_in_flight || !run->policy) return;
  const int64_t next = run->policy_state.decided_through() + 1;
  const OpenBoundary* open = run->boundaries.Find(next);
  const int workers = run->request.num_workers();

  const bool complete = open && static_cast<int>(open->reports.size()) >= workers;
  const bool skipped = run->boundaries.LaterComplete(next, workers);
  const bool timed_out = open && now - open->opened >= StragglerTimeout(run->request.policy());
  if (!complete && !skipped && !timed_out) return;

  if (!complete && timed_out) {
    LOG(WARNING) << "run " << run->request.run_id() << ": boundary " << next << " closed after "
                 << StragglerTimeout(run->request.policy()) << " with "
                 << (open ? open->reports.size() : 0) << " of " << workers
                 << " worker reports (straggler timeout)";
    metrics_->CountStragglerTimeout(run->request.run_id());
  }
  CloseBoundary(run, next);
}

void RunController::CloseBoundary(const std::shared_ptr<RunEntry>& run, int64_t boundary) {
  const v1::PolicySpec& spec = run->request.policy();
  const OpenBoundary* open = run->boundaries.Find(boundary);
  const std::optional<double> monitored =
      open ? CombineMetric(*open, spec.monitor(), spec.aggregation()) : std::nullopt;

  // A decision takes effect where the next boundary starts.
  int64_t effective = boundary + 1;
  if (spec.boundary() == v1::PolicySpec::EVERY_N_STEPS) {
    effective = (boundary + 1) * spec.every_n_steps();
  } else if (run->request.spec().unit() == v1::ScheduleSpec::STEP) {
    // Workers report an epoch with the step at which the next epoch starts.
    effective = open ? open->max_step : 0;
  }

  v1::PolicyState next_state = run->policy_state;
  next_state.set_decided_through(boundary);
  std::optional<v1::Decision> decision;
  if (!monitored) {
    next_state.set_monitor_missing_at(boundary);
    run->warning = absl::StrCat("no worker reported the monitored metric \"", spec.monitor(),
                                "\" for boundary ", boundary);
    LOG(WARNING) << "run " << run->request.run_id() << ": " << run->warning
                 << "; the policy skipped it";
  } else {
    BoundaryObservation observation;
    observation.run_id = run->request.run_id();
    observation.boundary = boundary;
    const std::string population = run->policy->population();
    if (!population.empty()) {
      absl::MutexLock population_lock(&population_mu_);
      for (const auto& [peer_id, peer] : populations_[population]) {
        if (peer_id != observation.run_id) observation.peers.push_back(peer);
      }
    }
    observation.monitored = monitored;
    observation.learning_rate =
        run->timeline->LearningRate(std::max<int64_t>(effective - 1, 0)).value_or(0);
    decision = run->policy->Step(observation, next_state);
  }
  metrics_->SetBoundaryOutcome(run->request.run_id(), next_state, monitored);

  if (decision) {
    decision->set_effective_position(effective);
    decision->set_actor(absl::StrCat("policy:", run->policy->name()));
    decision->set_boundary(boundary);
  }
  CommitDecision(run, std::move(decision), std::move(next_state),
                 [](absl::StatusOr<v1::Decision>) {});
}

void RunController::CommitDecision(const std::shared_ptr<RunEntry>& run,
                                   std::optional<v1::Decision> decision,
                                   std::optional<v1::PolicyState> next_state, DecisionDone done) {
  const std::string run_id = run->request.run_id();
  if (decision) {
    decision->set_sequence(static_cast<int64_t>(run->decisions.size()) + 1);
    *decision->mutable_time() = Now();

    // Builds the timeline once to validate the decision and to record the rate it leads to.
    std::vector<v1::Decision> with_decision = run->decisions;
    with_decision.push_back(*decision);
    auto timeline = RateTimeline::Build(run->request.spec(), with_decision);
    if (!timeline.ok()) {
      done(timeline.status());
      return;
    }
    decision->set_learning_rate(
        (*timeline)->LearningRate(decision->effective_position()).value_or(0));
    run->decision_in_flight = true;
    run->in_flight_position = decision->effective_position();
  } else {
    run->decision_in_flight = true;
    run->in_flight_position = std::numeric_limits<int64_t>::max();
  }

  writer_->Submit(
      [run_id, decision, next_state](StateStore& store) -> absl::Status {
        if (decision) {
          const absl::Status inserted = store.InsertDecision(run_id, *decision);
          if (!inserted.ok()) return inserted;
        }
        if (next_state) return store.SavePolicyState(run_id, *next_state);
        return absl::OkStatus();
      },
      [this, run, decision, next_state, done](absl::Status status) {
        std::vector<std::function<void()>> ready;
        {
          absl::MutexLock lock(&run->mu);
          run->decision_in_flight = false;
          if (!status.ok()) {
            LOG(ERROR) << "run " << run->request.run_id()
                       << ": writing a decision failed, it will be retried: " << status;
          } else {
            if (decision) {
              run->decisions.push_back(*decision);
              run->timeline = *RateTimeline::Build(run->request.spec(), run->decisions);
              if (run->series.finished != nullptr) {
                run->series.finished->Set(run->timeline->finished_at() ? 1 : 0);
              }
              metrics_->CountDecision(run->request.run_id(), *decision);
              LOG(INFO) << "run " << run->request.run_id() << ": decision " << decision->sequence()
                        << " by " << decision->actor() << " from position "
                        << decision->effective_position() << ": " << DescribeAction(*decision)
                        << " (rate " << decision->learning_rate() << "): " << decision->reason();
            }
            if (next_state) {
              run->policy_state = *next_state;
              run->boundaries.EraseThrough(next_state->decided_through());
              PublishPopulationResult(*run);
            }
          }
          ready = TakeReady(*run);
          // NOTE: after a failed write the timer retries every 100 ms, logging each failure,
          // until the state file accepts writes again.
          if (status.ok()) Advance(run, absl::Now());
        }
        for (auto& reply : ready) reply();
        if (!status.ok()) {
          done(status);
        } else if (decision) {
          done(*decision);
        } else {
          done(v1::Decision());
        }
      });
}

std::vector<std::function<void()>> RunController::TakeReady(RunEntry& run) {
  std::vector<std::function<void()>> replies;
  auto still_waiting = run.waiters.begin();
  for (auto& waiter : run.waiters) {
    if (!ReadyToAnswer(run, waiter.request)) {
      *still_waiting++ = std::move(waiter);
    } else if (waiter.lease_request) {
      replies.push_back([done = std::move(waiter.lease_done),
                         lease = MakeLease(run, *waiter.lease_request)]() mutable {
        done(std::move(lease));
      });
    } else {
      replies.push_back([done = std::move(waiter.done),
                         answer = Answer(run, waiter.request)]() mutable {
        done(std::move(answer));
      });
    }
  }
  run.waiters.erase(still_waiting, run.waiters.end());
  return replies;
}

void RunController::LeaseSchedule(const std::shared_ptr<RunEntry>& run,
                                  const v1::LeaseScheduleRequest& request, LeaseDone done) {
  v1::GetLearningRateRequest first;
  first.set_run_id(request.run_id());
  first.set_step(request.step());
  first.set_epoch(request.epoch());
  first.set_worker(request.worker());

  absl::StatusOr<v1::ScheduleLease> lease;
  {
    absl::MutexLock lock(&run->mu);
    if (!ReadyToAnswer(*run, first)) {
      run->waiters.push_back(PendingRate{first, nullptr, request, std::move(done)});
      if (run->policy) run->boundaries.Open(run->policy_state.decided_through() + 1, absl::Now());
      Watch(run->request.run_id());
      return;
    }
    lease = MakeLease(*run, request);
  }
  done(std::move(lease));
}

absl::StatusOr<v1::ScheduleLease> RunController::MakeLease(RunEntry& run,
                                                           const v1::LeaseScheduleRequest& request) {
  constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();
  const bool by_step = run.request.spec().unit() == v1::ScheduleSpec::STEP;
  const int64_t first = run.PositionOf(request.step(), request.epoch());
  const auto finished_at = run.timeline->finished_at();
  if (finished_at && first >= *finished_at) return run.timeline->LearningRate(first).status();

  // The last position covered, then the limits that policies and pending decisions set.
  const int64_t positions = request.positions() > 0 ? request.positions() : 10000;
  int64_t last = first > kUnbounded - positions ? kUnbounded : first + positions - 1;
  if (finished_at) last = std::min(last, *finished_at - 1);
  last = run.timeline->LastPositionWithRate(first, last);
  if (last < first) return run.timeline->LearningRate(first).status();
  if (run.decision_in_flight) last = std::min(last, run.in_flight_position - 1);
  int64_t max_step = by_step ? last : kUnbounded;
  int64_t max_epoch = by_step ? kUnbounded : last;
  if (run.policy && !run.policy->Finished(run.policy_state)) {
    const v1::PolicySpec& spec = run.request.policy();
    const int64_t decided = run.policy_state.decided_through();
    if (spec.boundary() == v1::PolicySpec::EVERY_N_STEPS) {
      max_step = std::min(max_step, (decided + 2) * spec.every_n_steps() - 1);
    } else {
      max_epoch = std::min(max_epoch, decided + 1);
    }
  }

  run.highest_position_answered =
      std::max(run.highest_position_answered, by_step ? max_step : max_epoch);
  v1::ScheduleLease lease;
  *lease.mutable_spec() = run.request.spec();
  for (const auto& decision : run.decisions) *lease.add_decisions() = decision;
  lease.set_schedule_version(static_cast<int64_t>(run.decisions.size()) + 1);
  lease.set_first_position(first);
  lease.set_max_step(max_step);
  lease.set_max_epoch(max_epoch);
  return lease;
}

void RunController::UpdateSchedule(const std::shared_ptr<RunEntry>& run,
                                   const v1::UpdateScheduleRequest& request, DecisionDone done) {
  absl::MutexLock lock(&run->mu);
  if (run->timeline->finished_at()) {
    done(absl::FailedPreconditionError(absl::StrCat("run \"", request.run_id(),
                                                    "\" finished at position ",
                                                    *run->timeline->finished_at())));
    return;
  }
  if (run->decision_in_flight) {
    done(absl::AbortedError(absl::StrCat("another decision on run \"", request.run_id(),
                                         "\" is being written; retry")));
    return;
  }

  // After a restart the answered positions are unknown, but every reported position had been
  // answered, so reports give a lower bound.
  int64_t past = run->highest_position_answered;
  if (run->report_count > 0) past = std::max(past, run->PositionOf(run->last_step, run->last_epoch));
  if (request.effective_position() <= past) {
    done(absl::FailedPreconditionError(absl::StrCat(
        "effective_position ", request.effective_position(), " is in the past: workers already "
        "received rates up to position ", past, "; choose ", past + 1, " or later")));
    return;
  }

  v1::Decision decision;
  decision.set_effective_position(request.effective_position());
  switch (request.action_case()) {
    case v1::UpdateScheduleRequest::kScale: decision.set_scale(request.scale()); break;
    case v1::UpdateScheduleRequest::kSet: decision.set_set(request.set()); break;
    case v1::UpdateScheduleRequest::kSwitchSchedule:
      *decision.mutable_switch_schedule() = request.switch_schedule();
      break;
    case v1::UpdateScheduleRequest::kFinish: decision.set_finish(request.finish()); break;
    case v1::UpdateScheduleRequest::ACTION_NOT_SET: break;
  }
  const absl::Status valid =
      ValidateDecisionAction(decision, run->request.spec().unit(), "request");
  if (!valid.ok()) {
    done(valid);
    return;
  }
  decision.set_reason(request.reason());
  decision.set_actor(absl::StrCat("operator:", request.operator_().empty() ? "operator"
                                                                           : request.operator_()));
  decision.set_boundary(-1);
  CommitDecision(run, std::move(decision), std::nullopt, std::move(done));
}

void RunController::PublishPopulationResult(const RunEntry& run) {
  if (!run.policy || run.policy->population().empty() || !run.policy_state.has_last_value()) {
    return;
  }
  absl::MutexLock lock(&population_mu_);
  populations_[run.policy->population()][run.request.run_id()] =
      PeerResult{run.request.run_id(), run.policy_state.last_value(),
                 run.policy_state.last_rate()};
}

void RunController::ForgetPopulationResult(const RunEntry& run) {
  if (!run.policy || run.policy->population().empty()) return;
  absl::MutexLock lock(&population_mu_);
  populations_[run.policy->population()].erase(run.request.run_id());
}

void RunController::FailWaiters(RunEntry& run, const absl::Status& status) {
  std::vector<PendingRate> waiters;
  {
    absl::MutexLock lock(&run.mu);
    waiters.swap(run.waiters);
  }
  for (auto& waiter : waiters) {
    if (waiter.lease_request) {
      waiter.lease_done(status);
    } else {
      waiter.done(status);
    }
  }
}

void RunController::Watch(const std::string& run_id) {
  absl::MutexLock lock(&timer_mu_);
  watched_.insert(run_id);
}

void RunController::TimerLoop() {
  while (true) {
    std::vector<std::string> run_ids;
    {
      absl::MutexLock lock(&timer_mu_);
      timer_mu_.AwaitWithTimeout(absl::Condition(&stopping_), kTimerPeriod);
      if (stopping_) return;
      run_ids.assign(watched_.begin(), watched_.end());
    }

    for (const std::string& run_id : run_ids) {
      const auto run = registry_->Find(run_id);
      if (!run) {
        absl::MutexLock lock(&timer_mu_);
        watched_.erase(run_id);
        continue;
      }

      // Unwatched under the run's lock, so a waiter added meanwhile watches the run again.
      absl::MutexLock lock(&run->mu);
      Advance(run, absl::Now());
      if (run->waiters.empty() && run->boundaries.empty() && !run->decision_in_flight) {
        absl::MutexLock timer_lock(&timer_mu_);
        watched_.erase(run_id);
      }
    }
  }
}

}  // namespace lrsched
