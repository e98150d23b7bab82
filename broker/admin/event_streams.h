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
//                   An EXPRESS execution (no history: broker/states/executions) gets one
//                   `event: ended`, data = its DescribeExecution JSON, when it ends (at once if it
//                   already has and the runner still keeps it).
//   ?queues         `event: queues`, data = {"queues":[{"name","visible","inFlight","delayed"}]}
//                   at once, then again each second in which a count changed.
//   ?pipes          `event: pipes`, data = {"pipes":[{"name","currentState","desiredState",
//                   "messagesConsumed",...}]} (PipeStats since the process started), at once,
//                   then again each second in which something changed.
//
// Every stream gets a comment line (": ping") every 15 s, which also finds readers that left.
// Nothing here runs while nobody is subscribed: the tick is scheduled only while streams are open.
// Thread: the reactor thread.
#pragma once

#include <cstdint>
#include <memory>
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
  // What a stream follows besides its execution: the frames sent each second when they change.
  enum class Counts : uint8_t { kNone, kQueues, kPipes };
  struct Stream {
    http::StreamWriter out;
    uint64_t feed_id = 0;  // the ExecutionFeed subscription, if any
    Counts counts = Counts::kNone;
    std::string last_counts;  // the last counts frame this stream was sent
  };

  uint64_t add(http::Responder responder, Counts counts);
  Result<bool, AdminError> open_express(const std::string& arn, http::Responder& responder);
  std::string express_ended_frame(const std::string& arn);
  std::string counts_frame(Counts counts);
  std::string pipes_frame();
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
  // Held by the runner's watchers of Express executions, which may outlive this.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace sluice::admin
