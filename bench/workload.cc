#include "bench/workload.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lrsched::bench {

lrsched::v1::CreateRunRequest BenchRunRequest(const std::string& run_id) {
  lrsched::v1::CreateRunRequest request;
  request.set_run_id(run_id);
  request.set_num_workers(1);
  lrsched::v1::ScheduleSpec& spec = *request.mutable_spec();
  spec.set_base_lr(0.1);
  spec.set_unit(lrsched::v1::ScheduleSpec::STEP);
  spec.mutable_schedule()->mutable_cosine_annealing_lr()->set_t_max(kScheduleSteps);
  return request;
}

void FillReport(const std::string& run_id, const std::string& worker, int64_t step,
                int64_t epoch, lrsched::v1::ReportMetricsRequest& request) {
  request.set_run_id(run_id);
  request.set_worker(worker);
  request.set_step(step);
  request.set_epoch(epoch);

  // Plausible values that change with the step, so that no layer can cache them.
  auto& metrics = *request.mutable_metrics();
  const double progress = static_cast<double>(step % kScheduleSteps) / kScheduleSteps;
  metrics["loss"] = 2.3 * (1.0 - progress) + 0.1;
  metrics["accuracy"] = 0.1 + 0.8 * progress;
  metrics["grad_norm"] = 1.0 + 0.5 * (1.0 - progress);
  metrics["examples_per_second"] = 5000.0 + static_cast<double>(step % 97);
}

absl::Status CheckLoopbackAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\" has no port: use host:port"));
  }
  const std::string host = address.substr(0, colon);
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\" has an invalid port: use 0 to 65535"));
  }
  if (host != "127.0.0.1" && host != "localhost" && host != "[::1]") {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address,
                     "\" is not on the loopback interface: the benchmarks use only "
                     "127.0.0.1, localhost or [::1]"));
  }
  return absl::OkStatus();
}

}  // namespace lrsched::bench
