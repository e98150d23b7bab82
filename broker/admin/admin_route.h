// AdminRoute: which admin action a request under /_sluice/ names, and the paging of a message
// listing. Pure functions of the request line, so they are unit-tested without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/result.h"

namespace sluice::admin {

inline constexpr std::string_view kAdminPrefix = "/_sluice/";

// An admin answer that is not a success: the HTTP status and {"error": ..., "message": ...}.
struct AdminError {
  int status = 400;
  std::string error;  // a short code, e.g. "QueueDoesNotExist"
  std::string message;
};

enum class AdminAction {
  kEvents,             // GET  /_sluice/events?execution=ARN | ?queues | ?pipes (Server-Sent Events)
  kListExpress,        // GET  /_sluice/express-executions
  kDescribeExpress,    // GET  /_sluice/express-executions/{arn}
  kListMessages,       // GET  /_sluice/queues/{name}/messages
  kResetAll,           // POST /_sluice/reset
  kResetQueue,         // POST /_sluice/queues/{name}/reset
  kResetStateMachine,  // POST /_sluice/state-machines/{name}/reset
};

struct AdminRoute {
  AdminAction action = AdminAction::kResetAll;
  std::string name;  // the queue, state machine or express execution ARN, percent-decoded
};

// `path` is the request path (no query). 404 NotFound for a path that names no action, 405
// MethodNotAllowed for a known path with the wrong method, 400 InvalidName for a bad escape.
Result<AdminRoute, AdminError> route_admin(std::string_view method, std::string_view path);

inline constexpr size_t kDefaultPageLimit = 100;
inline constexpr size_t kMaxPageLimit = 1000;

struct MessagePaging {
  size_t limit = kDefaultPageLimit;
  uint64_t after = 0;  // the token: list messages after this sequence number
};

// ?limit=N (1..1000, default 100) and ?after=TOKEN (a token from the previous page's nextToken).
// Unknown parameters are ignored; a malformed one is 400 InvalidParameter.
Result<MessagePaging, AdminError> parse_paging(std::string_view query);

// Which stream GET /_sluice/events opens: ?execution=ARN (percent-encoded), ?queues or ?pipes;
// exactly one of them, else 400 InvalidParameter.
struct EventQuery {
  std::string execution;
  bool queues = false;
  bool pipes = false;
};
Result<EventQuery, AdminError> parse_event_query(std::string_view query);

}  // namespace sluice::admin
