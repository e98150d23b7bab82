// ExecutionFeed: in-process publish/subscribe of the history events of Standard executions, as
// the executions append them (LiveExecution::on_event, the moment the journal is handed them, so
// before they are durable). The console's event stream (broker/admin/event_streams.h) listens
// to one execution at a time.
//
// Nobody listening costs one empty() check per event. Listeners may subscribe or unsubscribe
// from inside a callback (a listener whose stream has closed drops itself).
//
// Thread: the reactor thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/executor/history_event.h"

namespace sluice::states {

class ExecutionFeed {
 public:
  using Listener = std::function<void(const engine::executor::HistoryEvent&)>;

  // `fn` is called with each event of execution `arn` appended from now on.
  uint64_t subscribe(std::string arn, Listener fn);
  void unsubscribe(uint64_t id);
  size_t listeners() const { return listeners_.size(); }

  void publish(std::string_view arn, const engine::executor::HistoryEvent& event) {
    if (listeners_.empty()) return;
    deliver(arn, event);
  }

 private:
  struct Entry {
    uint64_t id = 0;
    std::string arn;
    Listener fn;
  };
  void deliver(std::string_view arn, const engine::executor::HistoryEvent& event);

  std::vector<Entry> listeners_;
  uint64_t next_id_ = 1;
};

}  // namespace sluice::states
