// The one place where the server turns absl::Status into grpc::Status.
#ifndef LRSCHED_SERVER_GRPC_STATUS_H_
#define LRSCHED_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace lrsched {

// Keeps the code (the two enums share their numbering) and the message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace lrsched

#endif  // LRSCHED_SERVER_GRPC_STATUS_H_
