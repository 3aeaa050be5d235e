// Tests of lrsched::Client against the in-process fake server and against a closed port.
#include "client/client.h"

#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/client/fake_scheduler.h"

namespace lrsched {
namespace {

using ::lrsched::testing::FakeSchedulerServer;
using ::lrsched::testing::kFakeLearningRate;
using ::lrsched::testing::UnusedLoopbackAddress;

// Options that keep failing tests short.
ClientOptions FastOptions() {
  ClientOptions options;
  options.call_timeout = absl::Seconds(5);
  options.retry_budget = absl::Seconds(2);
  options.initial_backoff = absl::Milliseconds(20);
  options.max_backoff = absl::Milliseconds(200);
  return options;
}

v1::CreateRunRequest StepRunRequest(const std::string& run_id) {
  v1::CreateRunRequest request;
  request.set_run_id(run_id);
  request.mutable_spec()->set_base_lr(0.1);
  request.mutable_spec()->set_unit(v1::ScheduleSpec::STEP);
  request.mutable_spec()->mutable_schedule()->mutable_constant();
  return request;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = FakeSchedulerServer::Start();
    ASSERT_NE(server_, nullptr);
    auto client = Client::Connect(server_->address(), FastOptions());
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  std::unique_ptr<FakeSchedulerServer> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientTest, CreateAndGetRun) {
  auto created = client_->CreateRun(StepRunRequest("run-1"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->run_id(), "run-1");

  auto fetched = client_->GetRun("run-1");
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->spec().base_lr(), 0.1);
  EXPECT_EQ(fetched->num_workers(), 1);
}

TEST_F(ClientTest, ServerErrorKeepsCodeAndMessage) {
  auto run = client_->GetRun("missing");
  EXPECT_EQ(run.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(run.status().message(), "run \"missing\" not found");
}

TEST_F(ClientTest, NotFoundIsNotRetried) {
  EXPECT_FALSE(client_->GetRun("missing").ok());
  EXPECT_EQ(server_->service().calls(), 1);
}

TEST_F(ClientTest, RetriesUnavailableUntilSuccess) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  server_->service().FailNextCalls(3);

  auto rate = client_->GetLearningRate("run-1", 7, 0, "w0");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(rate->learning_rate(), kFakeLearningRate);
  EXPECT_EQ(rate->position(), 7);
  EXPECT_EQ(server_->service().calls(), 1 + 4);
}

TEST_F(ClientTest, UnavailableBeyondBudgetNamesAddress) {
  server_->service().FailNextCalls(1000000);
  auto run = client_->GetRun("run-1");
  EXPECT_EQ(run.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(run.status().message().find(server_->address()), absl::string_view::npos)
      << run.status();
  EXPECT_NE(run.status().message().find("fake outage"), absl::string_view::npos) << run.status();
  EXPECT_GT(server_->service().calls(), 2);
}

TEST_F(ClientTest, ListRunsPages) {
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(client_->CreateRun(StepRunRequest(id)).ok());

  auto first = client_->ListRuns(2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->runs_size(), 2);
  EXPECT_EQ(first->next_page_token(), "b");

  auto second = client_->ListRuns(2, first->next_page_token());
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->runs_size(), 1);
  EXPECT_EQ(second->runs(0).run_id(), "c");
  EXPECT_EQ(second->next_page_token(), "");
}

TEST_F(ClientTest, DeleteRunThenNotFound) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  EXPECT_TRUE(client_->DeleteRun("run-1").ok());
  EXPECT_EQ(client_->DeleteRun("run-1").code(), absl::StatusCode::kNotFound);
}

TEST_F(ClientTest, ReportMetricsReturnsCount) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  auto first = client_->ReportMetrics("run-1", "w0", 1, 0, {{"loss", 0.5}});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->report_count(), 1);
  EXPECT_FALSE(first->duplicate());

  auto second = client_->ReportMetrics("run-1", "w0", 2, 0, {{"loss", 0.4}});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->report_count(), 2);
  EXPECT_FALSE(second->duplicate());
}

TEST_F(ClientTest, ReportMetricsRepeatIsDuplicate) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  ASSERT_TRUE(client_->ReportMetrics("run-1", "w0", 1, 0, {{"loss", 0.5}}).ok());
  auto repeated = client_->ReportMetrics("run-1", "w0", 1, 0, {{"loss", 0.5}});
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(repeated->report_count(), 1);
  EXPECT_TRUE(repeated->duplicate());
}

TEST_F(ClientTest, UpdateScheduleReturnsStoredDecision) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  v1::UpdateScheduleRequest request;
  request.set_run_id("run-1");
  request.set_effective_position(10);
  request.set_scale(0.5);
  request.set_reason("loss plateau");
  request.set_operator_("ana");

  auto decision = client_->UpdateSchedule(request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->sequence(), 1);
  EXPECT_EQ(decision->effective_position(), 10);
  EXPECT_EQ(decision->scale(), 0.5);
  EXPECT_EQ(decision->actor(), "operator:ana");
  EXPECT_EQ(decision->reason(), "loss plateau");
}

TEST_F(ClientTest, ListDecisionsOldestFirst) {
  ASSERT_TRUE(client_->CreateRun(StepRunRequest("run-1")).ok());
  auto empty = client_->ListDecisions("run-1");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->decisions_size(), 0);

  v1::UpdateScheduleRequest request;
  request.set_run_id("run-1");
  request.set_reason("test");
  request.set_effective_position(5);
  request.set_set(0.01);
  ASSERT_TRUE(client_->UpdateSchedule(request).ok());
  request.set_effective_position(8);
  request.set_finish(true);
  ASSERT_TRUE(client_->UpdateSchedule(request).ok());

  auto listed = client_->ListDecisions("run-1");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->decisions_size(), 2);
  EXPECT_EQ(listed->decisions(0).sequence(), 1);
  EXPECT_EQ(listed->decisions(0).set(), 0.01);
  EXPECT_EQ(listed->decisions(1).sequence(), 2);
  EXPECT_TRUE(listed->decisions(1).finish());

  EXPECT_EQ(client_->ListDecisions("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ClientTest, PreviewReturnsAllPositions) {
  auto preview = client_->PreviewSchedule(StepRunRequest("x").spec(), 5);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(preview->learning_rates_size(), 5);
}

// 600,000 doubles are 4.8 MB, more than gRPC's default receive limit of 4 MiB.
TEST_F(ClientTest, PreviewLargerThanDefaultMessageLimit) {
  auto preview = client_->PreviewSchedule(StepRunRequest("x").spec(), 600000);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(preview->learning_rates_size(), 600000);
}

TEST_F(ClientTest, HealthServing) { EXPECT_TRUE(client_->CheckHealth().ok()); }

TEST_F(ClientTest, HealthNotServing) {
  server_->SetServing(false);
  const absl::Status status = client_->CheckHealth();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("NOT_SERVING"), absl::string_view::npos) << status;
}

TEST(ClientNoServer, RetriesForBudgetThenFails) {
  const std::string address = UnusedLoopbackAddress();
  ClientOptions options = FastOptions();
  options.retry_budget = absl::Milliseconds(800);
  auto client = Client::Connect(address, options);
  ASSERT_TRUE(client.ok()) << client.status();

  const absl::Time start = absl::Now();
  const absl::Status status = (*client)->CheckHealth();
  const absl::Duration elapsed = absl::Now() - start;

  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find(address), absl::string_view::npos) << status;
  EXPECT_NE(status.message().find("attempts"), absl::string_view::npos) << status;
  EXPECT_GE(elapsed, absl::Milliseconds(800));
  EXPECT_LT(elapsed, absl::Milliseconds(800) + options.call_timeout);
}

TEST(ClientNoServer, ZeroBudgetMakesOneAttempt) {
  ClientOptions options = FastOptions();
  options.retry_budget = absl::ZeroDuration();
  auto client = Client::Connect(UnusedLoopbackAddress(), options);
  ASSERT_TRUE(client.ok()) << client.status();

  const absl::Status status = (*client)->GetRun("run-1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("after 1 attempt "), absl::string_view::npos) << status;
}

TEST(ClientConnect, RejectsInvalidOptions) {
  ClientOptions no_timeout;
  no_timeout.call_timeout = absl::ZeroDuration();
  ClientOptions negative_budget;
  negative_budget.retry_budget = absl::Seconds(-1);
  ClientOptions inverted_backoff;
  inverted_backoff.initial_backoff = absl::Seconds(2);
  inverted_backoff.max_backoff = absl::Seconds(1);

  EXPECT_EQ(Client::Connect("", {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Client::Connect("127.0.0.1:1", no_timeout).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Client::Connect("127.0.0.1:1", negative_budget).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Client::Connect("127.0.0.1:1", inverted_backoff).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ToAbslStatus, MapsEveryCodeAndKeepsMessage) {
  for (int code = 0; code <= 16; ++code) {
    SCOPED_TRACE(code);
    const absl::Status status =
        ToAbslStatus(grpc::Status(static_cast<grpc::StatusCode>(code), "the message"));
    EXPECT_EQ(static_cast<int>(status.code()), code);
    if (code != 0) {
      EXPECT_EQ(status.message(), "the message");
    }
  }
}

TEST(ToAbslStatus, NamesMatchForSampleCodes) {
  EXPECT_EQ(ToAbslStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ToAbslStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ToAbslStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "")).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(ToAbslStatus, OutOfRangeCodeIsUnknown) {
  const absl::Status status = ToAbslStatus(grpc::Status(static_cast<grpc::StatusCode>(99), "x"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown);
  EXPECT_NE(status.message().find("99"), absl::string_view::npos) << status;
}

}  // namespace
}  // namespace lrsched
