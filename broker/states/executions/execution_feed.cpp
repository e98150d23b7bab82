// See execution_feed.h.
#include "broker/states/executions/execution_feed.h"

#include <algorithm>

namespace sluice::states {

uint64_t ExecutionFeed::subscribe(std::string arn, Listener fn) {
  const uint64_t id = next_id_++;
  listeners_.push_back({id, std::move(arn), std::move(fn)});
  return id;
}

void ExecutionFeed::unsubscribe(uint64_t id) {
  std::erase_if(listeners_, [id](const Entry& e) { return e.id == id; });
}

void ExecutionFeed::deliver(std::string_view arn, const engine::executor::HistoryEvent& event) {
  // Copies of the matching listeners: a callback may change listeners_.
  std::vector<Listener> matching;
  for (const Entry& e : listeners_) {
    if (e.arn == arn) matching.push_back(e.fn);
  }
  for (const Listener& fn : matching) fn(event);
}

}  // namespace sluice::states
