// AdminEndpoint: the local admin API for tests, under /_sluice/ on the API port (off every AWS
// namespace: no AWS API has a path there). Inspect a queue's messages without receiving them, and
// reset everything, one queue or one state machine; and the console's live event streams. JSON in
// and out; errors are
// {"error": CODE, "message": TEXT} with a 4xx (or 500) status. See broker/admin/README.md.
// Thread: the reactor thread.
#pragma once

#include "broker/admin/admin_route.h"
#include "broker/admin/admin_services.h"
#include "broker/admin/event_streams.h"
#include "broker/http/request.h"
#include "broker/http/responder.h"

namespace sluice::admin {

class AdminEndpoint {
 public:
  explicit AdminEndpoint(AdminServices services) : services_(services), streams_(services) {}

  static bool accepts(const http::Request& request) {
    return request.path().substr(0, kAdminPrefix.size()) == kAdminPrefix;
  }
  void handle(http::Request&& request, http::Responder responder);

 private:
  void list_messages(const AdminRoute& route, std::string_view query, http::Responder responder);
  std::string express_list() const;
  void reset_queue(const AdminRoute& route, http::Responder responder);
  void reset_state_machine(const AdminRoute& route, http::Responder responder);
  void reset_all(http::Responder responder);

  AdminServices services_;
  EventStreams streams_;  // GET /_sluice/events
};

}  // namespace sluice::admin
