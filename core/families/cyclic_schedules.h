// PyTorch's cyclic schedules, CyclicLR and OneCycleLR, in closed form: PyTorch keeps them as
// scheduler state, but the rate at a position depends only on that position.
#ifndef LRSCHED_CORE_FAMILIES_CYCLIC_SCHEDULES_H_
#define LRSCHED_CORE_FAMILIES_CYCLIC_SCHEDULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/families/continuous_schedule.h"
#include "core/schedule.h"

namespace lrsched {

// CyclicLR: triangles from `low` to `high` and back, step_size_up positions up and
// step_size_down down, their height scaled per `Mode`.
class CyclicSchedule final : public Schedule {
 public:
  enum class Mode {
    kTriangular,   // Height scaled by 1.
    kTriangular2,  // By 1 / 2^(cycle - 1), cycle counted from 1.
    kExpRange,     // By gamma^t.
  };

  // REQUIRES: step_size_up > 0, step_size_down >= 0, and their sum fits in int64.
  CyclicSchedule(double low, double high, int64_t step_size_up, int64_t step_size_down, Mode mode,
                 double gamma)
      : low_(low),
        high_(high),
        step_size_up_(step_size_up),
        cycle_length_(step_size_up + step_size_down),
        mode_(mode),
        gamma_(gamma) {}

  double LearningRate(int64_t position) const override;
  double LearningRateAtFractionalPosition(double position) const override;

 private:
  // The rate at `offset` positions into cycle `cycle` (counted from 1), at `position`.
  double RateInCycle(int64_t cycle, double offset, double position) const;

  double low_;
  double high_;
  int64_t step_size_up_;
  int64_t cycle_length_;
  Mode mode_;
  double gamma_;
};

// OneCycleLR: two or three phases, each annealing from one rate to the next along a cosine or
// a line, with PyTorch's phase boundaries. Positions past the end get the rate of the last
// position.
class OneCycleSchedule final : public ContinuousSchedule {
 public:
  enum class Anneal { kCosine, kLinear };

  struct Options {
    double max_lr = 0;
    int64_t total_steps = 0;
    double pct_start = 0;
    Anneal anneal = Anneal::kCosine;
    double div_factor = 0;
    double final_div_factor = 0;
    bool three_phase = false;
    // Whether position total_steps has PyTorch's extrapolated rate and ends the schedule,
    // instead of total_steps - 1.
    bool extrapolate_at_total_steps = false;
    // The field that sets the end, for CheckPosition's message.
    std::string end_cause;
  };

  // REQUIRES: pct_start * total_steps != 1, which makes PyTorch divide by zero.
  explicit OneCycleSchedule(const Options& options);

 protected:
  double RateAt(double position) const override;

 private:
  struct Phase {
    double end_step;
    double start_lr;
    double end_lr;
  };

  // The rate `fraction` of the way from `start` to `end`, as PyTorch's _annealing_cos or
  // _annealing_linear computes it.
  double AnnealRate(double start, double end, double fraction) const;

  std::vector<Phase> phases_;
  Anneal anneal_;
  double last_position_;
};

}  // namespace lrsched

#endif  // LRSCHED_CORE_FAMILIES_CYCLIC_SCHEDULES_H_
