// See activity_dispatcher.h.
#include "broker/states/tasks/activity_dispatcher.h"

#include <algorithm>

namespace sluice::states::tasks {

ActivityDispatcher::ActivityDispatcher(uv_loop_t* loop, uint64_t poll_ms,
                                       std::size_t max_workers_per_activity)
    : loop_(loop), poll_ms_(poll_ms), max_workers_(max_workers_per_activity) {
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
}

ActivityDispatcher::~ActivityDispatcher() {
  shutdown();
}

uint64_t ActivityDispatcher::offer(const std::string& activity_arn, ActivityTaskOffer offer) {
  Task task{next_id_++, std::move(offer)};
  uint64_t id = task.id;
  Activity& a = activities_[activity_arn];
  if (!give_to_worker(a, task)) a.tasks.push_back(std::move(task));
  forget_if_idle(activity_arn);
  return id;
}

void ActivityDispatcher::withdraw(const std::string& activity_arn, uint64_t id) {
  auto it = activities_.find(activity_arn);
  if (it == activities_.end()) return;
  auto& tasks = it->second.tasks;
  tasks.erase(
      std::remove_if(tasks.begin(), tasks.end(), [id](const Task& t) { return t.id == id; }),
      tasks.end());
  forget_if_idle(activity_arn);
}

ActivityDispatcher::PollResult ActivityDispatcher::poll(const std::string& activity_arn,
                                                        std::string worker_name,
                                                        std::function<bool()> still_wanted,
                                                        ActivityPollAnswer answer) {
  Activity& a = activities_[activity_arn];
  while (!a.tasks.empty()) {
    Task task = std::move(a.tasks.front());
    a.tasks.pop_front();
    if (task.offer.alive && !task.offer.alive()) continue;
    Worker w{0, std::move(worker_name), nullptr, std::move(answer), 0};
    forget_if_idle(activity_arn);
    deliver(w, task);
    return PollResult::kAnswered;
  }
  if (shut_down_) {
    forget_if_idle(activity_arn);
    answer(std::string(), std::string());
    return PollResult::kAnswered;
  }
  prune(a);
  if (a.workers.size() >= max_workers_) {
    forget_if_idle(activity_arn);
    return PollResult::kTooManyWorkers;
  }
  auto w = std::make_shared<Worker>();
  w->id = next_id_++;
  w->name = std::move(worker_name);
  w->still_wanted = std::move(still_wanted);
  w->answer = std::move(answer);
  w->deadline = uv_now(loop_) + poll_ms_;
  a.workers.push_back(w);
  deadlines_.emplace(w->deadline, std::make_pair(activity_arn, std::weak_ptr<Worker>(w)));
  arm();
  return PollResult::kParked;
}

bool ActivityDispatcher::give_to_worker(Activity& a, Task& task) {
  if (task.offer.alive && !task.offer.alive()) return true;  // over already: nobody gets it
  while (!a.workers.empty()) {
    std::shared_ptr<Worker> w = a.workers.front();
    a.workers.pop_front();
    if (w->done) continue;
    w->done = true;
    if (w->still_wanted && !w->still_wanted()) continue;  // the client went away
    deliver(*w, task);
    return true;
  }
  return false;
}

void ActivityDispatcher::deliver(Worker& w, Task& task) {
  w.done = true;
  if (task.offer.taken) task.offer.taken(w.name);
  ActivityPollAnswer answer = std::move(w.answer);
  answer(std::move(task.offer.task_token), std::move(task.offer.input));
}

void ActivityDispatcher::prune(Activity& a) {
  auto& ws = a.workers;
  ws.erase(std::remove_if(ws.begin(), ws.end(),
                          [](const std::shared_ptr<Worker>& w) {
                            return w->done || (w->still_wanted && !w->still_wanted());
                          }),
           ws.end());
}

void ActivityDispatcher::forget_if_idle(const std::string& arn) {
  auto it = activities_.find(arn);
  if (it != activities_.end() && it->second.tasks.empty() && it->second.workers.empty()) {
    activities_.erase(it);
  }
}

void ActivityDispatcher::arm() {
  if (!timer_ || deadlines_.empty()) return;
  uint64_t now = uv_now(loop_);
  uint64_t first = deadlines_.begin()->first;
  uv_timer_start(timer_, &ActivityDispatcher::on_timer, first > now ? first - now : 0, 0);
}

void ActivityDispatcher::on_timer(uv_timer_t* t) {
  static_cast<ActivityDispatcher*>(t->data)->expire();
}

void ActivityDispatcher::expire() {
  uint64_t now = uv_now(loop_);
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    auto [arn, weak] = std::move(deadlines_.begin()->second);
    deadlines_.erase(deadlines_.begin());
    std::shared_ptr<Worker> w = weak.lock();
    if (!w || w->done) continue;
    w->done = true;
    auto it = activities_.find(arn);
    if (it != activities_.end()) {
      prune(it->second);
      forget_if_idle(arn);
    }
    ActivityPollAnswer answer = std::move(w->answer);
    answer(std::string(), std::string());
  }
  arm();
}

void ActivityDispatcher::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  std::vector<std::shared_ptr<Worker>> parked;
  for (auto& [arn, a] : activities_) {
    for (auto& w : a.workers) {
      if (!w->done) parked.push_back(w);
    }
    a.workers.clear();
  }
  deadlines_.clear();
  for (auto it = activities_.begin(); it != activities_.end();) {
    it = it->second.tasks.empty() ? activities_.erase(it) : std::next(it);
  }
  for (auto& w : parked) {
    w->done = true;
    ActivityPollAnswer answer = std::move(w->answer);
    answer(std::string(), std::string());
  }
  if (timer_) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
}

std::size_t ActivityDispatcher::queued(const std::string& activity_arn) const {
  auto it = activities_.find(activity_arn);
  return it == activities_.end() ? 0 : it->second.tasks.size();
}

std::size_t ActivityDispatcher::parked(const std::string& activity_arn) const {
  auto it = activities_.find(activity_arn);
  if (it == activities_.end()) return 0;
  std::size_t n = 0;
  for (const auto& w : it->second.workers) n += w->done ? 0 : 1;
  return n;
}

}  // namespace sluice::states::tasks
