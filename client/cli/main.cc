// The `lrsched` command: a command-line client for the lrsched server. See docs/cli.md.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/cli.h"
#include "glog/logging.h"

int main(int argc, char** argv) {
  // The client library logs its retries with glog. Send them to standard error without the
  // log files and the timestamp prefix, and drop INFO lines, which a command-line user does
  // not need.
  FLAGS_logtostderr = true;
  FLAGS_log_prefix = false;
  FLAGS_minloglevel = google::GLOG_WARNING;
  google::InitGoogleLogging(argv[0]);

  const std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> server_from_env;
  if (const char* server = std::getenv("LRSCHED_SERVER"); server != nullptr) {
    server_from_env = server;
  }

  lrsched::cli::Io io{std::cin, std::cout, std::cerr};
  return lrsched::cli::RunCli(args, server_from_env, io);
}
