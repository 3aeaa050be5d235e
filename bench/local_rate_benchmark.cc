// Google Benchmark of one locally computed learning rate (LocalSchedule::LearningRate within a
// lease, and RateTimeline::LearningRate beneath it), against a real in-process server that
// hands out the lease. compare_local_rate_with_pytorch.sh prints PyTorch's scheduler.step()
// beside these figures.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "client/local_schedule.h"
#include "core/rate_timeline.h"
#include "core/spec_json.h"
#include "server/server.h"

namespace lrsched {
namespace {

// Specs of the families the benchmark covers, with a decision-free run of each.
struct Family {
  const char* name;
  const char* spec_json;
};
constexpr Family kFamilies[] = {
    {"step_lr", R"({"base_lr":0.1,"unit":"STEP","schedule":{"step_lr":{"step_size":30}}})"},
    {"cosine_annealing_lr",
     R"({"base_lr":0.1,"unit":"STEP","schedule":{"cosine_annealing_lr":{"T_max":1000}}})"},
    {"warmup_cosine",
     R"({"base_lr":0.1,"unit":"STEP","schedule":{"linear_warmup":{"warmup_steps":100,
         "schedule":{"cosine_annealing_lr":{"T_max":1000}}}}})"},
};

class BenchServer {
 public:
  BenchServer() {
    state_dir_ = std::filesystem::temp_directory_path() /
                 ("lrsched-local-rate-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(state_dir_);
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.metrics_address = "127.0.0.1:0";
    options.state_path = (state_dir_ / "state.db").string();
    server_ = *Server::Start(options);
    client_ = *Client::Connect("127.0.0.1:" + std::to_string(server_->grpc_port()), {});
    for (const Family& family : kFamilies) {
      v1::CreateRunRequest request;
      request.set_run_id(family.name);
      *request.mutable_spec() = *ParseSpecJson(family.spec_json);
      if (!client_->CreateRun(request).ok()) std::abort();
    }
  }

  ~BenchServer() {
    client_.reset();
    server_->Shutdown(absl::Seconds(1));
    std::filesystem::remove_all(state_dir_);
  }

  Client* client() { return client_.get(); }

 private:
  std::filesystem::path state_dir_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

BenchServer& SharedServer() {
  static auto* server = new BenchServer();
  return *server;
}

// One rate from LocalSchedule, positions cycling inside a lease of 1,000,000 positions.
void BM_LocalScheduleLearningRate(benchmark::State& state) {
  const Family& family = kFamilies[state.range(0)];
  LocalSchedule local(SharedServer().client(), family.name, "bench", 1000000);
  if (!local.LearningRate(0, 0).ok()) std::abort();

  int64_t step = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(local.LearningRate(step, 0));
    step = (step + 1) % 100000;
  }
  state.SetLabel(family.name);
}
BENCHMARK(BM_LocalScheduleLearningRate)->DenseRange(0, 2);

// The same rate from the timeline alone, without LocalSchedule's lock and lease check.
void BM_RateTimelineLearningRate(benchmark::State& state) {
  const Family& family = kFamilies[state.range(0)];
  const auto timeline = *RateTimeline::Build(*ParseSpecJson(family.spec_json), {});
  int64_t step = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(timeline->LearningRate(step));
    step = (step + 1) % 100000;
  }
  state.SetLabel(family.name);
}
BENCHMARK(BM_RateTimelineLearningRate)->DenseRange(0, 2);

// The round trip that LocalSchedule saves: one GetLearningRate call on loopback.
void BM_GetLearningRateRoundTrip(benchmark::State& state) {
  Client* client = SharedServer().client();
  int64_t step = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(client->GetLearningRate("step_lr", step, 0, "bench"));
    ++step;
  }
}
BENCHMARK(BM_GetLearningRateRoundTrip);

// Durable metric reports of 4 metrics: one unary ReportMetrics call at a time, against
// batches of 1,000 on one StreamMetrics stream. Items per second are reports stored.
v1::ReportMetricsRequest Report(int64_t step) {
  v1::ReportMetricsRequest report;
  report.set_run_id("step_lr");
  report.set_worker("bench");
  report.set_step(step);
  for (const char* name : {"loss", "accuracy", "grad_norm", "tokens"}) {
    (*report.mutable_metrics())[name] = 1.0 / static_cast<double>(step + 1);
  }
  return report;
}

int64_t next_report_step = 0;

void BM_ReportMetricsUnary(benchmark::State& state) {
  Client* client = SharedServer().client();
  for (auto _ : state) {
    const auto report = Report(next_report_step++);
    benchmark::DoNotOptimize(client->ReportMetrics(report.run_id(), report.worker(),
                                                   report.step(), 0, {report.metrics().begin(),
                                                                      report.metrics().end()}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReportMetricsUnary)->UseRealTime();

void BM_StreamMetrics(benchmark::State& state) {
  Client* client = SharedServer().client();
  constexpr int kReportsPerStream = 1000;
  for (auto _ : state) {
    std::vector<v1::ReportMetricsRequest> reports;
    for (int i = 0; i < kReportsPerStream; ++i) reports.push_back(Report(next_report_step++));
    const auto stored = client->StreamMetrics(reports);
    if (!stored.ok() || stored->stored() != kReportsPerStream) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * kReportsPerStream);
}
BENCHMARK(BM_StreamMetrics)->UseRealTime();

}  // namespace
}  // namespace lrsched

BENCHMARK_MAIN();
