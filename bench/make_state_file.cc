// make_state_file: writes an lrsched state file with many runs and metric reports through the
// server's own StateStore. bench/run_all.sh uses it to time a restart and to measure memory per
// run, because creating 100,000 runs over the API costs one fsync each.
//
// Runs are named <run_prefix>-0000000, <run_prefix>-0000001, ... and use the load generator's
// run request (bench/workload.h). Reports go round-robin over the runs, from one worker, at
// steps 0, 1, 2, ... of each run, with 4 metrics each. Prints the time taken and the rate.
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/workload.h"
#include "core/status_macros.h"
#include "server/state_store.h"

ABSL_FLAG(std::string, state, "", "state file to create; must not exist");
ABSL_FLAG(int64_t, runs, 100000, "runs to store; 1 to 10000000");
ABSL_FLAG(int64_t, reports, 1000000, "metric reports to store, spread over the runs; 0 to 1e8");
ABSL_FLAG(std::string, run_prefix, "stored", "prefix of the run ids");
ABSL_FLAG(int64_t, rows_per_transaction, 10000,
          "runs or reports written per transaction (one fsync each); 1 to 1000000");

namespace lrsched::bench {
namespace {

// Writes `count` items, `per_transaction` to a transaction, with `write(index)` for each one.
template <typename WriteOne>
absl::Status WriteInTransactions(StateStore& store, int64_t count, int64_t per_transaction,
                                 WriteOne write) {
  for (int64_t first = 0; first < count; first += per_transaction) {
    RETURN_IF_ERROR(store.Begin());
    const int64_t end = std::min(count, first + per_transaction);
    for (int64_t index = first; index < end; ++index) {
      if (absl::Status status = write(index); !status.ok()) {
        store.Rollback();
        return status;
      }
    }
    RETURN_IF_ERROR(store.Commit());
  }
  return absl::OkStatus();
}

absl::Status MakeStateFile() {
  const std::string path = absl::GetFlag(FLAGS_state);
  const int64_t runs = absl::GetFlag(FLAGS_runs);
  const int64_t reports = absl::GetFlag(FLAGS_reports);
  const int64_t per_transaction = absl::GetFlag(FLAGS_rows_per_transaction);
  const std::string prefix = absl::GetFlag(FLAGS_run_prefix);
  if (path.empty()) return absl::InvalidArgumentError("--state is missing");
  if (std::filesystem::exists(path)) {
    return absl::AlreadyExistsError(
        absl::StrCat("--state ", path, " already exists: remove it or choose another path"));
  }
  if (runs < 1 || runs > 10000000) {
    return absl::InvalidArgumentError(absl::StrCat("--runs must be 1 to 10000000, got ", runs));
  }
  if (reports < 0 || reports > 100000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--reports must be 0 to 100000000, got ", reports));
  }
  if (per_transaction < 1 || per_transaction > 1000000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--rows_per_transaction must be 1 to 1000000, got ", per_transaction));
  }

  ASSIGN_OR_RETURN(std::unique_ptr<StateStore> store, StateStore::Open(path));
  const auto run_id = [&](int64_t index) { return absl::StrFormat("%s-%07d", prefix, index); };

  const absl::Time runs_start = absl::Now();
  const absl::Time create_time = absl::Now();
  RETURN_IF_ERROR(WriteInTransactions(*store, runs, per_transaction, [&](int64_t index) {
    return store->InsertRun(BenchRunRequest(run_id(index)), create_time);
  }));
  const double run_seconds = absl::ToDoubleSeconds(absl::Now() - runs_start);

  const absl::Time reports_start = absl::Now();
  lrsched::v1::ReportMetricsRequest request;
  MetricReport report;
  RETURN_IF_ERROR(WriteInTransactions(*store, reports, per_transaction, [&](int64_t index) {
    const int64_t step = index / runs;
    request.Clear();
    FillReport(run_id(index % runs), "worker-0", step, step / 1000, request);
    report.run_id = request.run_id();
    report.worker = request.worker();
    report.step = request.step();
    report.epoch = request.epoch();
    report.metrics = {request.metrics().begin(), request.metrics().end()};
    report.report_time = absl::Now();
    return store->InsertReport(report).status();
  }));
  const double report_seconds = absl::ToDoubleSeconds(absl::Now() - reports_start);

  absl::PrintF(
      "result scenario=make_state_file runs=%d run_seconds=%.2f reports=%d report_seconds=%.2f "
      "reports_per_second=%.0f rows_per_transaction=%d\n",
      runs, run_seconds, reports, report_seconds,
      report_seconds > 0 ? static_cast<double>(reports) / report_seconds : 0, per_transaction);
  return absl::OkStatus();
}

}  // namespace
}  // namespace lrsched::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes an lrsched state file with many runs and reports.\nUsage: make_state_file "
      "--state FILE [--runs N] [--reports N]");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status status = lrsched::bench::MakeStateFile(); !status.ok()) {
    std::cerr << "make_state_file: " << status << "\n";
    return 1;
  }
  return 0;
}
