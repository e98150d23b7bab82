// EventStreams: GET /_sluice/events, the console's live updates as Server-Sent Events
// (text/event-stream), pushed by the server over the HTTP connection that asked for them.
//
//   ?execution=ARN  `event: history`, data = one GetExecutionHistory event (its JSON), for each
//                   event the execution appends from the moment the stream opened (published by
//                   ExecutionFeed) -- handed to the journal, so possibly milliseconds before
//                   GetExecutionHistory (which reads what committed) shows them. A client opens
//                   the stream first, then reads GetExecutionHistory, merges by event id, and
//                   reads the history again while the ids have a hole (an event appended just
//                   before the stream opened and committed just after the read).
//   ?queues         `event: queues`, data = {"queues":[{"name","visible","inFlight","delayed"}]}
//                   at once, then again each second in which a count changed.
//
// Every stream gets a comment line (": ping") every 15 s, which also finds readers that left.
// Nothing here runs while nobody is subscribed: the tick is scheduled only while streams are open.
// Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "broker/admin/admin_route.h"
#include "broker/admin/admin_services.h"
#include "broker/http/responder.h"
#include "broker/http/stream_writer.h"

namespace sluice::admin {

class EventStreams {
 public:
  explicit EventStreams(AdminServices services) : services_(services) {}
  ~EventStreams();
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;

  // Opens the stream on `responder` (taking it), or returns why not (404 ExecutionDoesNotExist
  // for an execution the server does not know), leaving `responder` to answer the error.
  Result<bool, AdminError> open(const EventQuery& query, http::Responder& responder);
  size_t open_streams() const { return streams_.size(); }

 private:
  struct Stream {
    http::StreamWriter out;
    uint64_t feed_id = 0;  // the ExecutionFeed subscription, if any
    bool queues = false;
    std::string last_counts;  // the last queue-counts frame this stream was sent
  };

  uint64_t add(http::Responder responder, bool queues);
  void drop(uint64_t id);
  void send_to(uint64_t id, std::string frame);
  void tick();
  void arm();
  std::string queue_counts_frame();

  AdminServices services_;
  std::unordered_map<uint64_t, Stream> streams_;
  uint64_t next_id_ = 1;
  uint64_t timer_ = 0;  // the scheduled tick, 0 when none
  int64_t last_ping_ms_ = 0;
};

}  // namespace sluice::admin
