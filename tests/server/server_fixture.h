// A test fixture that runs a real server on ephemeral loopback ports, with its state in a
// SQLite file of a fresh temporary folder, and a real client connected to it.
#ifndef LRSCHED_TESTS_SERVER_SERVER_FIXTURE_H_
#define LRSCHED_TESTS_SERVER_SERVER_FIXTURE_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "client/client.h"
#include "gtest/gtest.h"
#include "server/server.h"

namespace lrsched::testing {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->test_suite_name()) + "-" + test->name();
    for (char& c : name) {
      if (c == '/') c = '-';
    }
    state_dir_ = std::filesystem::temp_directory_path() /
                 ("lrsched-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(state_dir_);
    std::filesystem::create_directories(state_dir_);
    StartServer();
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Shutdown(absl::Seconds(1));
    std::filesystem::remove_all(state_dir_);
  }

  void StartServer() {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.metrics_address = "127.0.0.1:0";
    options.state_path = (state_dir_ / "state.db").string();
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = Connect();
  }

  // A further client of the same server, e.g. for a second worker.
  std::unique_ptr<Client> Connect() {
    ClientOptions client_options;
    client_options.retry_budget = absl::Seconds(2);
    auto client =
        Client::Connect("127.0.0.1:" + std::to_string(server_->grpc_port()), client_options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  void RestartServer() {
    client_.reset();
    server_->Shutdown(absl::Seconds(1));
    server_.reset();
    StartServer();
  }

  std::filesystem::path state_dir_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_SERVER_SERVER_FIXTURE_H_
