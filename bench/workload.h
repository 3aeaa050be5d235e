// Requests and checks shared by the benchmark programs: the run they create, the reports they
// send, and the check that keeps them on the loopback interface.
#ifndef LRSCHED_BENCH_WORKLOAD_H_
#define LRSCHED_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "lrsched/v1/service.pb.h"

namespace lrsched::bench {

// Steps of the benchmark run's cosine schedule. Requests use steps below it.
inline constexpr int64_t kScheduleSteps = 100000;

// Metrics in each benchmark report.
inline constexpr int kMetricsPerReport = 4;

// A run without a policy, so the server replies to every GetLearningRate at once. Its schedule
// is a cosine from 0.1 to 0 over kScheduleSteps steps, for one worker.
lrsched::v1::CreateRunRequest BenchRunRequest(const std::string& run_id);

// Fills `request` with kMetricsPerReport metrics of a training step (loss, accuracy, gradient
// norm, examples per second), and the given run, worker and position.
void FillReport(const std::string& run_id, const std::string& worker, int64_t step,
                int64_t epoch, lrsched::v1::ReportMetricsRequest& request);

// Returns OK when `address` (host:port) names the loopback interface: 127.0.0.1, localhost or
// [::1]. The benchmarks send load only there. INVALID_ARGUMENT otherwise.
absl::Status CheckLoopbackAddress(const std::string& address);

}  // namespace lrsched::bench

#endif  // LRSCHED_BENCH_WORKLOAD_H_
