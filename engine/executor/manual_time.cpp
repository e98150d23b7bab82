// See manual_time.h.
#include "engine/executor/manual_time.h"

namespace sluice::engine::executor {

TimerId ManualTimerService::schedule(int64_t at_ms, std::function<void()> callback) {
  TimerId id = next_id_++;
  timers_.emplace(std::make_pair(at_ms, id), std::move(callback));
  due_by_id_.emplace(id, at_ms);
  return id;
}

void ManualTimerService::cancel(TimerId id) {
  auto it = due_by_id_.find(id);
  if (it == due_by_id_.end()) return;
  timers_.erase(std::make_pair(it->second, id));
  due_by_id_.erase(it);
}

std::size_t ManualTimerService::advance_to(int64_t ms) {
  std::size_t fired = 0;
  if (ms < clock_.now_ms()) ms = clock_.now_ms();
  while (!timers_.empty() && timers_.begin()->first.first <= ms) {
    auto node = timers_.extract(timers_.begin());
    due_by_id_.erase(node.key().second);
    if (node.key().first > clock_.now_ms()) clock_.set(node.key().first);
    node.mapped()();
    ++fired;
  }
  clock_.set(ms);
  return fired;
}

}  // namespace sluice::engine::executor
