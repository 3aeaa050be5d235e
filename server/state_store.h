// The SQLite state file: runs and metric reports, kept for durability and restart.
//
// The file is opened in WAL mode with synchronous=FULL, so a committed transaction survives a
// crash of the server process and of the machine. A StateStore is not thread-safe: the server
// uses it from its single writer thread, and from the loading code before that thread starts.
#ifndef LRSCHED_SERVER_STATE_STORE_H_
#define LRSCHED_SERVER_STATE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lrsched/v1/policy.pb.h"
#include "lrsched/v1/service.pb.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lrsched {

struct MetricReport {
  std::string run_id;
  std::string worker;
  int64_t step = 0;
  int64_t epoch = 0;
  std::map<std::string, double> metrics;
  absl::Time report_time;
};

// A run as stored, with what its reports add up to.
struct StoredRun {
  v1::CreateRunRequest request;
  absl::Time create_time;
  int64_t last_step = 0;
  int64_t last_epoch = 0;
  int64_t report_count = 0;
  std::map<std::string, double> last_metrics;

  // Decisions in the order they were made, and the policy's state after its last boundary
  // (unset for a run without a policy or before its first boundary).
  std::vector<v1::Decision> decisions;
  std::optional<v1::PolicyState> policy_state;
  // Reports of the boundaries the policy has not stepped through yet.
  std::vector<MetricReport> undecided_reports;
};

class StateStore {
 public:
  // Opens or creates the file at `path` and its tables. Errors name the path.
  static absl::StatusOr<std::unique_ptr<StateStore>> Open(const std::string& path);

  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::string& path() const { return path_; }

  // Reads every run with its report totals and the last value of each metric.
  absl::StatusOr<std::vector<StoredRun>> LoadRuns();

  // Transactions group many writes into one commit (one fsync).
  absl::Status Begin();
  absl::Status Commit();
  void Rollback();

  absl::Status InsertRun(const v1::CreateRunRequest& request, absl::Time create_time);
  // Deletes the run and all its reports.
  absl::Status DeleteRun(const std::string& run_id);
  // Stores the report unless the same worker already reported the same step and epoch for the
  // run. Returns whether it was stored.
  absl::StatusOr<bool> InsertReport(const MetricReport& report);

  absl::Status InsertDecision(const std::string& run_id, const v1::Decision& decision);
  absl::Status SavePolicyState(const std::string& run_id, const v1::PolicyState& state);

 private:
  StateStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  absl::Status Execute(const char* sql);
  absl::StatusOr<sqlite3_stmt*> Prepare(const char* sql);
  absl::Status Error(const char* action) const;
  absl::Status LoadTotals(std::map<std::string, StoredRun>& runs);
  absl::Status LoadLastMetrics(std::map<std::string, StoredRun>& runs);
  absl::Status LoadDecisions(std::map<std::string, StoredRun>& runs);
  absl::Status LoadUndecidedReports(StoredRun& run);

  std::string path_;
  sqlite3* db_;
  sqlite3_stmt* insert_report_ = nullptr;
  sqlite3_stmt* upsert_latest_metric_ = nullptr;
};

}  // namespace lrsched

#endif  // LRSCHED_SERVER_STATE_STORE_H_
