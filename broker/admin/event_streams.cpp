// See event_streams.h.
#include "broker/admin/event_streams.h"

#include <vector>

#include "broker/pipes/pipe_catalog.h"
#include "broker/protocol/json_writer.h"
#include "broker/states/executions/execution_runner.h"
#include "engine/executor/clock.h"
#include "engine/executor/history_event.h"
#include "storage/queue/queue_store.h"

namespace sluice::admin {

namespace {
constexpr int64_t kTickMs = 1000;
constexpr int64_t kPingMs = 15000;

std::string sse_frame(std::string_view event, std::string_view data) {
  std::string f;
  f.reserve(event.size() + data.size() + 16);
  f.append("event: ").append(event).append("\ndata: ").append(data).append("\n\n");
  return f;
}
// `event: NAME` with {"NAME": [...]}, the array's elements written by `elements`.
template <class Elements>
std::string list_frame(std::string_view name, Elements elements) {
  std::string data;
  protocol::JsonWriter w(data);
  w.begin_object();
  w.key(name);
  w.begin_array();
  elements(w);
  w.end_array();
  w.end_object();
  return sse_frame(name, data);
}
}  // namespace

EventStreams::~EventStreams() {
  if (timer_ != 0) services_.timers->cancel(timer_);
  for (auto& [id, s] : streams_) {
    if (s.feed_id != 0) services_.runner->feed().unsubscribe(s.feed_id);
  }
}

Result<bool, AdminError> EventStreams::open(const EventQuery& query, http::Responder& responder) {
  if (query.queues || query.pipes) {
    const Counts counts = query.queues ? Counts::kQueues : Counts::kPipes;
    const uint64_t id = add(std::move(responder), counts);
    if (id == 0) return true;
    std::string frame = counts_frame(counts);
    streams_[id].last_counts = frame;
    send_to(id, std::move(frame));
    return true;
  }
  if (services_.runner->index().find(query.execution) == nullptr) {
    return open_express(query.execution, responder);
  }
  const uint64_t id = add(std::move(responder), Counts::kNone);
  if (id == 0) return true;
  streams_[id].feed_id = services_.runner->feed().subscribe(
      query.execution, [this, id](const engine::executor::HistoryEvent& e) {
        send_to(id, sse_frame("history", engine::executor::history_event_json(e)));
      });
  return true;
}

Result<bool, AdminError> EventStreams::open_express(const std::string& arn,
                                                    http::Responder& responder) {
  auto view = services_.runner->express_view(arn);
  if (!view) {
    return AdminError{404, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"};
  }
  const uint64_t id = add(std::move(responder), Counts::kNone);
  if (id == 0) return true;
  if (view->status != engine::executor::ExecutionStatus::kRunning) {
    send_to(id, express_ended_frame(arn));
    return true;
  }
  services_.runner->watch(
      arn, [this, id, arn, alive = std::weak_ptr<char>(alive_)](const engine::json::Value&) {
        if (alive.expired()) return;
        send_to(id, express_ended_frame(arn));
      });
  return true;
}

std::string EventStreams::express_ended_frame(const std::string& arn) {
  std::string data;
  if (auto view = services_.runner->express_view(arn)) {
    protocol::JsonWriter w(data);
    w.begin_object();
    states::write_describe_execution(w, *view, true);
    w.end_object();
  }
  return sse_frame("ended", data);
}

uint64_t EventStreams::add(http::Responder responder, Counts counts) {
  http::Response head;
  head.content_type = "text/event-stream";
  head.headers.push_back({"cache-control", "no-store"});
  head.body = "retry: 1000\n: open\n\n";  // EventSource reconnects after 1 s if we go away
  http::StreamWriter out = responder.stream(std::move(head));
  if (!out.alive()) return 0;
  const uint64_t id = next_id_++;
  streams_[id] = Stream{std::move(out), 0, counts, {}};
  arm();
  return id;
}

void EventStreams::drop(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (it->second.feed_id != 0) services_.runner->feed().unsubscribe(it->second.feed_id);
  streams_.erase(it);  // the writer ends the stream
}

void EventStreams::send_to(uint64_t id, std::string frame) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (!it->second.out.send(std::move(frame))) drop(id);
}

void EventStreams::arm() {
  if (timer_ != 0 || streams_.empty()) return;
  timer_ = services_.timers->schedule(services_.clock->now_ms() + kTickMs, [this] {
    timer_ = 0;
    tick();
  });
}

void EventStreams::tick() {
  const int64_t now = services_.clock->now_ms();
  const bool ping = now - last_ping_ms_ >= kPingMs;
  if (ping) last_ping_ms_ = now;
  std::vector<uint64_t> ids;
  ids.reserve(streams_.size());
  std::string frames[3];  // by Counts, made at most once a tick
  for (auto& [id, s] : streams_) {
    ids.push_back(id);
    auto& frame = frames[static_cast<size_t>(s.counts)];
    if (s.counts != Counts::kNone && frame.empty()) frame = counts_frame(s.counts);
  }
  for (uint64_t id : ids) {
    auto it = streams_.find(id);
    if (it == streams_.end()) continue;
    Stream& s = it->second;
    if (!s.out.alive()) {
      drop(id);
      continue;
    }
    const std::string& counts = frames[static_cast<size_t>(s.counts)];
    if (s.counts != Counts::kNone && s.last_counts != counts) {
      s.last_counts = counts;
      send_to(id, counts);  // may drop the stream
    }
    if (ping) send_to(id, ": ping\n\n");
  }
  arm();
}

std::string EventStreams::counts_frame(Counts counts) {
  return counts == Counts::kQueues ? queue_counts_frame() : pipes_frame();
}

std::string EventStreams::pipes_frame() {
  return list_frame("pipes", [&](protocol::JsonWriter& w) {
    services_.pipes->for_each([&](const pipes::PipeCatalog::PipeFacts& p) {
      const pipes::PipeStats& st = p.stats;
      w.begin_object();
      w.string_member("name", p.status.name);
      w.string_member("currentState", pipes::to_string(p.status.current_state));
      w.string_member("desiredState", pipes::to_string(p.status.desired_state));
      w.integer_member("messagesConsumed", static_cast<int64_t>(st.messages_consumed));
      w.integer_member("messagesFiltered", static_cast<int64_t>(st.messages_filtered));
      w.integer_member("messagesFailed", static_cast<int64_t>(st.messages_failed));
      w.integer_member("batches", static_cast<int64_t>(st.batches));
      w.integer_member("batchesFailed", static_cast<int64_t>(st.batches_failed));
      w.integer_member("executionsStarted", static_cast<int64_t>(st.executions_started));
      w.integer_member("invocations", static_cast<int64_t>(st.invocations));
      w.integer_member("batchesInFlight", static_cast<int64_t>(st.batches_in_flight));
      w.end_object();
    });
  });
}

std::string EventStreams::queue_counts_frame() {
  return list_frame("queues", [&](protocol::JsonWriter& w) {
    services_.queues->for_each_queue([&](const std::string& name, const storage::QueueCounts& c) {
      w.begin_object();
      w.string_member("name", name);
      w.integer_member("visible", static_cast<int64_t>(c.visible));
      w.integer_member("inFlight", static_cast<int64_t>(c.in_flight));
      w.integer_member("delayed", static_cast<int64_t>(c.delayed));
      w.end_object();
    });
  });
}

}  // namespace sluice::admin
