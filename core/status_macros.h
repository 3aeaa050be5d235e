// Early-return helpers for absl::Status, which Debian 12's Abseil (20220623) does not ship.
#ifndef LRSCHED_CORE_STATUS_MACROS_H_
#define LRSCHED_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define LRSCHED_CONCAT_INNER(a, b) a##b
#define LRSCHED_CONCAT(a, b) LRSCHED_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` yields a non-OK absl::Status.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    const ::absl::Status lrsched_status_ = (expr);     \
    if (!lrsched_status_.ok()) return lrsched_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>), returns its status when it is an error, and
// otherwise moves its value into `lhs`, which may be a declaration.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL(LRSCHED_CONCAT(lrsched_statusor_, __LINE__), lhs, rexpr)

#define ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                          \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // LRSCHED_CORE_STATUS_MACROS_H_
