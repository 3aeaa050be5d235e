// A minimal HTTP/1.0 GET over a loopback TCP socket, enough to read /metrics in tests.
#ifndef LRSCHED_TESTS_SERVER_HTTP_GET_H_
#define LRSCHED_TESTS_SERVER_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace lrsched::testing {

// Returns the body of http://127.0.0.1:<port><path>, or an error when the request fails or the
// status is not 200.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

// Returns the value of the sample whose name and labels are exactly `series` (for example
// `lrsched_run_step{run_id="r1"}`) in a Prometheus text exposition, or NOT_FOUND.
absl::StatusOr<double> FindSample(const std::string& exposition, const std::string& series);

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_SERVER_HTTP_GET_H_
