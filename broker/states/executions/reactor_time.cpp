// See reactor_time.h.
#include "broker/states/executions/reactor_time.h"

#include <chrono>

namespace sluice::states {

int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

ReactorTimers::ReactorTimers(uv_loop_t* loop, const engine::executor::Clock& clock)
    : loop_(loop), clock_(clock) {
  if (loop_ == nullptr) {
    closed_ = true;
    return;
  }
  handle_ = new uv_timer_t;
  uv_timer_init(loop_, handle_);
  handle_->data = this;
  immediate_ = new uv_idle_t;
  uv_idle_init(loop_, immediate_);
  immediate_->data = this;
}

ReactorTimers::~ReactorTimers() {
  shutdown();
}

void ReactorTimers::shutdown() {
  if (closed_) return;
  closed_ = true;
  uv_timer_stop(handle_);
  handle_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(handle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  handle_ = nullptr;
  uv_idle_stop(immediate_);
  immediate_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(immediate_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  immediate_ = nullptr;
}

engine::executor::TimerId ReactorTimers::schedule(int64_t at_ms, std::function<void()> callback) {
  engine::executor::TimerId id = next_id_++;
  live_.emplace(id, Live{at_ms, std::move(callback)});
  heap_.push(Entry{at_ms, id});
  if (at_ms < armed_for_) rearm();
  return id;
}

void ReactorTimers::cancel(engine::executor::TimerId id) {
  if (live_.erase(id) == 0) return;
  // Dead entries wait in the heap; drop them in bulk once they dominate it.
  if (heap_.size() > 1024 && heap_.size() > 4 * live_.size()) compact();
}

void ReactorTimers::compact() {
  std::vector<Entry> keep;
  keep.reserve(live_.size());
  for (const auto& [id, l] : live_) keep.push_back(Entry{l.due, id});
  heap_ = decltype(heap_)(std::greater<Entry>(), std::move(keep));
}

void ReactorTimers::rearm() {
  if (closed_) return;
  while (!heap_.empty() && !live_.count(heap_.top().id)) heap_.pop();
  if (heap_.empty()) {
    uv_timer_stop(handle_);
    uv_idle_stop(immediate_);
    armed_for_ = INT64_MAX;
    return;
  }
  int64_t due = heap_.top().due;
  int64_t delay = due - clock_.now_ms();
  armed_for_ = due;
  if (delay <= 0) {
    uv_timer_stop(handle_);
    uv_idle_start(immediate_, [](uv_idle_t* h) {
      uv_idle_stop(h);
      if (auto* self = static_cast<ReactorTimers*>(h->data)) {
        self->armed_for_ = INT64_MAX;
        self->fire_due();
      }
    });
    return;
  }
  uv_idle_stop(immediate_);
  uv_timer_start(
      handle_,
      [](uv_timer_t* t) {
        if (auto* self = static_cast<ReactorTimers*>(t->data)) {
          self->armed_for_ = INT64_MAX;
          self->fire_due();
        }
      },
      static_cast<uint64_t>(delay), 0);
}

void ReactorTimers::fire_due() {
  int64_t now = clock_.now_ms();
  // Timers scheduled by the callbacks below wait for the next turn of the loop, even when already
  // due, so a callback that keeps rescheduling cannot starve I/O.
  engine::executor::TimerId first_new = next_id_;
  std::vector<Entry> later;
  while (!heap_.empty() && heap_.top().due <= now) {
    Entry e = heap_.top();
    heap_.pop();
    if (e.id >= first_new) {
      later.push_back(e);
      continue;
    }
    auto it = live_.find(e.id);
    if (it == live_.end()) continue;
    std::function<void()> cb = std::move(it->second.callback);
    live_.erase(it);
    cb();
  }
  for (const Entry& e : later) heap_.push(e);
  armed_for_ = INT64_MAX;
  rearm();
}

}  // namespace sluice::states
