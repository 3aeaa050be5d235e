#include "server/state_store.h"

#include <sqlite3.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace lrsched {
namespace {

// Metrics of a report are stored as one JSON object, so that SQLite's json_each can query
// them, and the last value of each metric also goes to run_metrics for a fast restart.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  create_request BLOB NOT NULL,
  create_time_us INTEGER NOT NULL,
  policy_state BLOB
);
CREATE TABLE IF NOT EXISTS metric_reports (
  report_id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  worker TEXT NOT NULL,
  step INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  metrics TEXT NOT NULL,
  report_time_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_reports_by_run ON metric_reports (run_id, report_id);
CREATE UNIQUE INDEX IF NOT EXISTS metric_reports_once
  ON metric_reports (run_id, worker, step, epoch);
CREATE TABLE IF NOT EXISTS decisions (
  run_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  decision BLOB NOT NULL,
  PRIMARY KEY (run_id, sequence)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_metrics (
  run_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
)sql";

// Formats `metrics` as a JSON object. Names are restricted to [A-Za-z0-9_./:-] by the request
// checks, so they need no escaping; values are finite and printed to round-trip exactly.
std::string MetricsToJson(const std::map<std::string, double>& metrics) {
  std::string json = "{";
  for (const auto& [name, value] : metrics) {
    if (json.size() > 1) json += ',';
    char number[32];
    std::snprintf(number, sizeof(number), "%.17g", value);
    absl::StrAppend(&json, "\"", name, "\":", number);
  }
  json += '}';
  return json;
}

class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  ~Statement() { sqlite3_finalize(statement_); }
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open state file ", path, ": ", message));
  }

  std::unique_ptr<StateStore> store(new StateStore(path, db));
  sqlite3_busy_timeout(db, 5000);
  RETURN_IF_ERROR(store->Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  RETURN_IF_ERROR(store->Execute(kSchema));

  ASSIGN_OR_RETURN(store->insert_report_,
                   store->Prepare("INSERT OR IGNORE INTO metric_reports (run_id, worker, step, "
                                  "epoch, metrics, report_time_us) VALUES (?, ?, ?, ?, ?, ?)"));
  ASSIGN_OR_RETURN(store->upsert_latest_metric_,
                   store->Prepare("INSERT INTO run_metrics (run_id, name, value) "
                                  "VALUES (?, ?, ?) ON CONFLICT (run_id, name) "
                                  "DO UPDATE SET value = excluded.value"));
  return store;
}

StateStore::~StateStore() {
  sqlite3_finalize(insert_report_);
  sqlite3_finalize(upsert_latest_metric_);
  sqlite3_close(db_);
}

absl::Status StateStore::Error(const char* action) const {
  return absl::InternalError(
      absl::StrCat("state file ", path_, ": ", action, " failed: ", sqlite3_errmsg(db_)));
}

absl::Status StateStore::Execute(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return absl::OkStatus();

  const std::string text = message ? message : sqlite3_errmsg(db_);
  sqlite3_free(message);
  return absl::InternalError(absl::StrCat("state file ", path_, ": ", text));
}

absl::StatusOr<sqlite3_stmt*> StateStore::Prepare(const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
    return Error("preparing a statement");
  }
  return statement;
}

absl::Status StateStore::Begin() { return Execute("BEGIN IMMEDIATE"); }

absl::Status StateStore::Commit() { return Execute("COMMIT"); }

void StateStore::Rollback() { (void)Execute("ROLLBACK"); }

absl::Status StateStore::InsertRun(const v1::CreateRunRequest& request,
                                   absl::Time create_time) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                   Prepare("INSERT INTO runs (run_id, create_request, create_time_us) "
                           "VALUES (?, ?, ?)"));
  Statement statement(raw);

  const std::string bytes = request.SerializeAsString();
  sqlite3_bind_text(raw, 1, request.run_id().data(), static_cast<int>(request.run_id().size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_blob(raw, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(raw, 3, absl::ToUnixMicros(create_time));
  if (sqlite3_step(raw) != SQLITE_DONE) return Error("inserting a run");
  return absl::OkStatus();
}

absl::Status StateStore::DeleteRun(const std::string& run_id) {
  for (const char* sql : {"DELETE FROM runs WHERE run_id = ?",
                          "DELETE FROM metric_reports WHERE run_id = ?",
                          "DELETE FROM run_metrics WHERE run_id = ?",
                          "DELETE FROM decisions WHERE run_id = ?"}) {
    ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql));
    Statement statement(raw);
    sqlite3_bind_text(raw, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(raw) != SQLITE_DONE) return Error("deleting a run");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> StateStore::InsertReport(const MetricReport& report) {
  const std::string metrics_json = MetricsToJson(report.metrics);
  sqlite3_stmt* insert = insert_report_;
  sqlite3_reset(insert);
  sqlite3_bind_text(insert, 1, report.run_id.data(), static_cast<int>(report.run_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(insert, 2, report.worker.data(), static_cast<int>(report.worker.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(insert, 3, report.step);
  sqlite3_bind_int64(insert, 4, report.epoch);
  sqlite3_bind_text(insert, 5, metrics_json.data(), static_cast<int>(metrics_json.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int64(insert, 6, absl::ToUnixMicros(report.report_time));
  if (sqlite3_step(insert) != SQLITE_DONE) return Error("inserting a metric report");
  if (sqlite3_changes(db_) == 0) return false;  // The worker already reported this position.

  sqlite3_stmt* upsert = upsert_latest_metric_;
  for (const auto& [name, value] : report.metrics) {
    sqlite3_reset(upsert);
    sqlite3_bind_text(upsert, 1, report.run_id.data(), static_cast<int>(report.run_id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(upsert, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    sqlite3_bind_double(upsert, 3, value);
    if (sqlite3_step(upsert) != SQLITE_DONE) return Error("updating a run's last metrics");
  }
  return true;
}

absl::Status StateStore::InsertDecision(const std::string& run_id, const v1::Decision& decision) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                   Prepare("INSERT INTO decisions (run_id, sequence, decision) VALUES (?, ?, ?)"));
  Statement statement(raw);
  const std::string bytes = decision.SerializeAsString();
  sqlite3_bind_text(raw, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(raw, 2, decision.sequence());
  sqlite3_bind_blob(raw, 3, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(raw) != SQLITE_DONE) return Error("inserting a decision");
  return absl::OkStatus();
}

absl::Status StateStore::SavePolicyState(const std::string& run_id,
                                         const v1::PolicyState& state) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                   Prepare("UPDATE runs SET policy_state = ? WHERE run_id = ?"));
  Statement statement(raw);
  const std::string bytes = state.SerializeAsString();
  sqlite3_bind_blob(raw, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(raw, 2, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(raw) != SQLITE_DONE) return Error("saving a policy state");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredRun>> StateStore::LoadRuns() {
  std::map<std::string, StoredRun> runs;

  ASSIGN_OR_RETURN(sqlite3_stmt * raw_runs,
                   Prepare("SELECT run_id, create_request, create_time_us, policy_state "
                           "FROM runs"));
  Statement run_rows(raw_runs);
  int result;
  while ((result = sqlite3_step(raw_runs)) == SQLITE_ROW) {
    const std::string run_id(reinterpret_cast<const char*>(sqlite3_column_text(raw_runs, 0)));
    StoredRun& run = runs[run_id];
    if (!run.request.ParseFromArray(sqlite3_column_blob(raw_runs, 1),
                                    sqlite3_column_bytes(raw_runs, 1))) {
      return absl::DataLossError(
          absl::StrCat("state file ", path_, ": run ", run_id, " has an unreadable request"));
    }
    run.create_time = absl::FromUnixMicros(sqlite3_column_int64(raw_runs, 2));
    if (sqlite3_column_type(raw_runs, 3) != SQLITE_NULL) {
      run.policy_state.emplace();
      if (!run.policy_state->ParseFromArray(sqlite3_column_blob(raw_runs, 3),
                                            sqlite3_column_bytes(raw_runs, 3))) {
        return absl::DataLossError(absl::StrCat("state file ", path_, ": run ", run_id,
                                                " has an unreadable policy state"));
      }
    }
  }
  if (result != SQLITE_DONE) return Error("reading runs");

  RETURN_IF_ERROR(LoadTotals(runs));
  RETURN_IF_ERROR(LoadLastMetrics(runs));
  RETURN_IF_ERROR(LoadDecisions(runs));
  for (auto& [run_id, run] : runs) {
    if (run.request.has_policy()) RETURN_IF_ERROR(LoadUndecidedReports(run));
  }

  std::vector<StoredRun> loaded;
  loaded.reserve(runs.size());
  for (auto& [run_id, run] : runs) loaded.push_back(std::move(run));
  return loaded;
}

absl::Status StateStore::LoadTotals(std::map<std::string, StoredRun>& runs) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                   Prepare("SELECT run_id, MAX(step), MAX(epoch), COUNT(*) "
                           "FROM metric_reports GROUP BY run_id"));
  Statement rows(raw);
  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
    const auto it = runs.find(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
    if (it == runs.end()) continue;
    it->second.last_step = sqlite3_column_int64(raw, 1);
    it->second.last_epoch = sqlite3_column_int64(raw, 2);
    it->second.report_count = sqlite3_column_int64(raw, 3);
  }
  if (result != SQLITE_DONE) return Error("reading report totals");
  return absl::OkStatus();
}

absl::Status StateStore::LoadLastMetrics(std::map<std::string, StoredRun>& runs) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("SELECT run_id, name, value FROM run_metrics"));
  Statement rows(raw);
  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
    const auto it = runs.find(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
    if (it == runs.end()) continue;
    const std::string name(reinterpret_cast<const char*>(sqlite3_column_text(raw, 1)));
    it->second.last_metrics[name] = sqlite3_column_double(raw, 2);
  }
  if (result != SQLITE_DONE) return Error("reading last metrics");
  return absl::OkStatus();
}

absl::Status StateStore::LoadDecisions(std::map<std::string, StoredRun>& runs) {
  ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                   Prepare("SELECT run_id, decision FROM decisions ORDER BY run_id, sequence"));
  Statement rows(raw);
  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
    const std::string run_id(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
    const auto it = runs.find(run_id);
    if (it == runs.end()) continue;
    v1::Decision& decision = it->second.decisions.emplace_back();
    if (!decision.ParseFromArray(sqlite3_column_blob(raw, 1), sqlite3_column_bytes(raw, 1))) {
      return absl::DataLossError(
          absl::StrCat("state file ", path_, ": run ", run_id, " has an unreadable decision"));
    }
  }
  if (result != SQLITE_DONE) return Error("reading decisions");
  return absl::OkStatus();
}

absl::Status StateStore::LoadUndecidedReports(StoredRun& run) {
  // Which reports belong to an undecided boundary depends on the boundary kind, so the
  // caller filters; this reads every report after the decided boundary's epoch or step.
  const v1::PolicySpec& policy = run.request.policy();
  const int64_t decided_through = run.policy_state ? run.policy_state->decided_through() : -1;
  const bool by_steps = policy.boundary() == v1::PolicySpec::EVERY_N_STEPS;
  const int64_t first = by_steps ? (decided_through + 1) * policy.every_n_steps()
                                 : decided_through + 1;

  ASSIGN_OR_RETURN(
      sqlite3_stmt * raw,
      Prepare(by_steps ? "SELECT r.worker, r.step, r.epoch, j.key, j.value "
                         "FROM metric_reports r, json_each(r.metrics) j "
                         "WHERE r.run_id = ? AND r.step >= ? ORDER BY r.report_id"
                       : "SELECT r.worker, r.step, r.epoch, j.key, j.value "
                         "FROM metric_reports r, json_each(r.metrics) j "
                         "WHERE r.run_id = ? AND r.epoch >= ? ORDER BY r.report_id"));
  Statement rows(raw);
  const std::string& run_id = run.request.run_id();
  sqlite3_bind_text(raw, 1, run_id.data(), static_cast<int>(run_id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(raw, 2, first);

  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
    const std::string worker(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
    const int64_t step = sqlite3_column_int64(raw, 1);
    const int64_t epoch = sqlite3_column_int64(raw, 2);
    std::vector<MetricReport>& reports = run.undecided_reports;
    if (reports.empty() || reports.back().worker != worker || reports.back().step != step ||
        reports.back().epoch != epoch) {
      reports.push_back(MetricReport{run_id, worker, step, epoch, {}, absl::Now()});
    }
    const std::string name(reinterpret_cast<const char*>(sqlite3_column_text(raw, 3)));
    reports.back().metrics[name] = sqlite3_column_double(raw, 4);
  }
  if (result != SQLITE_DONE) return Error("reading undecided reports");
  return absl::OkStatus();
}

}  // namespace lrsched
