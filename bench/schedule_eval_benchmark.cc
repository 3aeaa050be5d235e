// Google Benchmark of one Schedule::LearningRate call for every schedule family, each built from
// the JSON example of its section in docs/schedules.md (the two warmups without an example use
// the linear_warmup example's parameters). Positions advance by one per call, as in training,
// and wrap at the end of the range that the example's chart shows.
//
// Usage: build/bench/schedule_eval_benchmark [--benchmark_min_time=0.2]
// compare_schedule_eval_with_pytorch.sh prints PyTorch's scheduler.step() beside the figures.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "benchmark/benchmark.h"
#include "core/schedule.h"
#include "core/schedule_builder.h"
#include "core/spec_json.h"

namespace lrsched {
namespace {

struct FamilyExample {
  const char* name;
  // Positions cycle through [0, position_count): the range that docs/plots/make_plots.sh
  // plots, which covers the example's warmups, decays and restarts, and ends before the end
  // of a schedule that ends.
  int64_t position_count;
  const char* spec_json;
};

constexpr FamilyExample kExamples[] = {
    {"constant", 10, R"({"base_lr": 0.01, "unit": "EPOCH", "schedule": {"constant": {}}})"},
    {"step_lr", 100, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"step_lr": {"step_size": 30, "gamma": 0.1}}})"},
    {"multi_step_lr", 100, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"multi_step_lr": {"milestones": [30, 80]}}})"},
    {"constant_lr", 10, R"({"base_lr": 0.05, "unit": "EPOCH", "schedule": {"constant_lr": {"factor": 0.5, "total_iters": 4}}})"},
    {"linear_lr", 10, R"({"base_lr": 0.05, "unit": "EPOCH", "schedule": {"linear_lr": {"start_factor": 0.5, "total_iters": 4}}})"},
    {"exponential_lr", 60, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"exponential_lr": {"gamma": 0.95}}})"},
    {"multiplicative_lr", 60, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"multiplicative_lr": {"factor": 0.95}}})"},
    {"polynomial_lr", 15, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"polynomial_lr": {"total_iters": 10, "power": 2.0}}})"},
    {"cosine_annealing_lr", 120, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"cosine_annealing_lr": {"T_max": 100, "eta_min": 0.001}}})"},
    {"cosine_annealing_warm_restarts", 70, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"cosine_annealing_warm_restarts": {"T_0": 10, "T_mult": 2, "eta_min": 0.001}}})"},
    {"cyclic_lr", 40, R"({"base_lr": 0.001, "unit": "STEP", "schedule": {"cyclic_lr": {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4, "mode": "triangular2", "cycle_momentum": false}}})"},
    {"one_cycle_lr", 40, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"one_cycle_lr": {"max_lr": 0.1, "epochs": 5, "steps_per_epoch": 8}}})"},
    {"exponential_decay", 10000, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"exponential_decay": {"decay_steps": 1000, "decay_rate": 0.96, "staircase": true}}})"},
    {"cosine_decay", 1200, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"cosine_decay": {"initial_learning_rate": 0.0, "decay_steps": 1000, "warmup_target": 0.1, "warmup_steps": 100}}})"},
    {"piecewise_constant_decay", 120000, R"({"base_lr": 1.0, "unit": "STEP", "schedule": {"piecewise_constant_decay": {"boundaries": [100000, 110000], "values": [1.0, 0.5, 0.1]}}})"},
    {"polynomial_decay", 40, R"({"base_lr": 0.05, "unit": "STEP", "schedule": {"polynomial_decay": {"decay_steps": 10, "end_learning_rate": 0.001, "power": 0.5, "cycle": true}}})"},
    {"inverse_time_decay", 100, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"inverse_time_decay": {"decay_steps": 10, "decay_rate": 0.5}}})"},
    {"cosine_decay_restarts", 7000, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"cosine_decay_restarts": {"first_decay_steps": 1000, "t_mul": 2.0, "m_mul": 0.9, "alpha": 0.01}}})"},
    {"constant_schedule_with_warmup", 1000, R"({"base_lr": 0.0003, "unit": "STEP", "schedule": {"constant_schedule_with_warmup": {"num_warmup_steps": 500}}})"},
    {"linear_schedule_with_warmup", 1100, R"({"base_lr": 5e-05, "unit": "STEP", "schedule": {"linear_schedule_with_warmup": {"num_warmup_steps": 100, "num_training_steps": 1000}}})"},
    {"cosine_schedule_with_warmup", 110, R"({"base_lr": 0.001, "unit": "STEP", "schedule": {"cosine_schedule_with_warmup": {"num_warmup_steps": 10, "num_training_steps": 100}}})"},
    {"cosine_with_hard_restarts_schedule_with_warmup", 70, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"cosine_with_hard_restarts_schedule_with_warmup": {"num_warmup_steps": 5, "num_training_steps": 65, "num_cycles": 3}}})"},
    {"polynomial_decay_schedule_with_warmup", 110, R"({"base_lr": 0.01, "unit": "STEP", "schedule": {"polynomial_decay_schedule_with_warmup": {"num_warmup_steps": 10, "num_training_steps": 100, "lr_end": 0.0001, "power": 2.0}}})"},
    {"inverse_sqrt_schedule", 200, R"({"base_lr": 0.01, "unit": "STEP", "schedule": {"inverse_sqrt_schedule": {"num_warmup_steps": 10, "timescale": 50}}})"},
    {"wsd_schedule", 45, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"wsd_schedule": {"num_warmup_steps": 4, "num_decay_steps": 16, "num_training_steps": 40, "decay_type": "1-sqrt", "min_lr_ratio": 0.05}}})"},
    {"cosine_with_min_lr_schedule_with_warmup", 45, R"({"base_lr": 0.01, "unit": "STEP", "schedule": {"cosine_with_min_lr_schedule_with_warmup": {"num_warmup_steps": 0, "num_training_steps": 40, "min_lr": 0.001}}})"},
    {"cosine_with_min_lr_schedule_with_warmup_lr_rate", 55, R"({"base_lr": 0.1, "unit": "STEP", "schedule": {"cosine_with_min_lr_schedule_with_warmup_lr_rate": {"num_warmup_steps": 5, "num_training_steps": 50, "min_lr_rate": 0.05, "warmup_lr_rate": 0.1}}})"},
    {"lr_range_test_ramp", 100, R"({"base_lr": 1e-07, "unit": "STEP", "schedule": {"lr_range_test_ramp": {"min_lr": 1e-07, "max_lr": 10, "num_steps": 100}}})"},
    {"linear_warmup", 12, R"({"base_lr": 0.05, "unit": "EPOCH", "schedule": {"linear_warmup": {"warmup_steps": 1, "start_factor": 0.2, "schedule": {"cosine_annealing_lr": {"T_max": 9, "eta_min": 0.001}}}}})"},
    {"exponential_warmup", 12, R"({"base_lr": 0.05, "unit": "EPOCH", "schedule": {"exponential_warmup": {"warmup_steps": 1, "start_factor": 0.2, "schedule": {"cosine_annealing_lr": {"T_max": 9, "eta_min": 0.001}}}}})"},
    {"constant_warmup", 12, R"({"base_lr": 0.05, "unit": "EPOCH", "schedule": {"constant_warmup": {"warmup_steps": 1, "factor": 0.2, "schedule": {"cosine_annealing_lr": {"T_max": 9, "eta_min": 0.001}}}}})"},
    {"sequence", 20, R"({"base_lr": 1.0, "unit": "EPOCH", "schedule": {"sequence": {"schedules": [{"constant_lr": {"factor": 0.1, "total_iters": 2}}, {"exponential_lr": {"gamma": 0.9}}], "milestones": [2]}}})"},
    {"product", 12, R"({"base_lr": 0.1, "unit": "EPOCH", "schedule": {"product": {"schedules": [{"linear_lr": {"start_factor": 0.5, "total_iters": 4}}, {"step_lr": {"step_size": 3, "gamma": 0.5}}]}}})"},
};
constexpr int kExampleCount = sizeof(kExamples) / sizeof(kExamples[0]);

std::unique_ptr<Schedule> BuildExample(const FamilyExample& example) {
  auto spec = ParseSpecJson(example.spec_json);
  if (!spec.ok()) {
    std::fprintf(stderr, "invalid JSON in the %s example: %s\n", example.name,
                 spec.status().ToString().c_str());
    std::abort();
  }
  auto schedule = BuildSchedule(*spec);
  if (!schedule.ok()) {
    std::fprintf(stderr, "invalid %s example: %s\n", example.name,
                 schedule.status().ToString().c_str());
    std::abort();
  }
  return *std::move(schedule);
}

void BM_LearningRate(benchmark::State& state) {
  const FamilyExample& example = kExamples[state.range(0)];
  const std::unique_ptr<Schedule> schedule = BuildExample(example);
  int64_t position = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(schedule->LearningRate(position));
    if (++position == example.position_count) position = 0;
  }
  state.SetLabel(example.name);
}
BENCHMARK(BM_LearningRate)->DenseRange(0, kExampleCount - 1);

}  // namespace
}  // namespace lrsched

BENCHMARK_MAIN();
