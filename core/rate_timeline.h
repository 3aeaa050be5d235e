// A run's learning rate over positions: its schedule with every decision applied.
//
// Decisions apply in order of effective position, and in the order they were made at equal
// positions. Each acts on the rate as it stood just before it:
//   scale            rate(p) = factor * previous rate(p)          for p >= position
//   set              rate(p) = value                               for p >= position
//   switch_schedule  rate(p) = new schedule at (p - position)      for p >= position
//   finish           no rate                                       for p >= position
// A timeline is immutable, so readers share it without locks; a new decision builds a new one.
#ifndef LRSCHED_CORE_RATE_TIMELINE_H_
#define LRSCHED_CORE_RATE_TIMELINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "core/schedule.h"
#include "lrsched/v1/policy.pb.h"
#include "lrsched/v1/schedule.pb.h"

namespace lrsched {

class RateTimeline {
 public:
  // Builds the timeline of `spec` with `decisions`. INVALID_ARGUMENT names the decision when
  // one is malformed (a non-positive or non-finite factor or value, a switch to a spec of
  // another unit or an invalid spec).
  static absl::StatusOr<std::shared_ptr<const RateTimeline>> Build(
      const v1::ScheduleSpec& spec, const std::vector<v1::Decision>& decisions);

  // Returns the rate at `position`. FAILED_PRECONDITION when the run finished before it,
  // INVALID_ARGUMENT when it lies past the end of a schedule that ends.
  absl::StatusOr<double> LearningRate(int64_t position) const;

  // The position from which the run has no rate, if a finish decision exists.
  std::optional<int64_t> finished_at() const { return finished_at_; }

  // Returns the largest p in [from, to] such that every position in [from, p] has a rate, or
  // from - 1 when `from` has none. Positions lose their rate after a finish decision or past
  // the end of a schedule that ends (OneCycleLR, the range test ramp).
  int64_t LastPositionWithRate(int64_t from, int64_t to) const;

 private:
  // The rate from `start` until the next segment: multiplier * schedule(position - origin),
  // or `constant` when set.
  struct Segment {
    int64_t start = 0;
    std::shared_ptr<const Schedule> schedule;
    int64_t origin = 0;
    double multiplier = 1.0;
    std::optional<double> constant;
  };

  absl::Status Apply(const v1::Decision& decision, v1::ScheduleSpec::Unit unit);
  const Segment& SegmentAt(int64_t position) const;

  std::vector<Segment> segments_;
  std::optional<int64_t> finished_at_;
};

// Validates a decision's action, naming fields from `path` (e.g. "decision").
absl::Status ValidateDecisionAction(const v1::Decision& decision, v1::ScheduleSpec::Unit unit,
                                    const std::string& path);

}  // namespace lrsched

#endif  // LRSCHED_CORE_RATE_TIMELINE_H_
