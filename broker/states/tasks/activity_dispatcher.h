// ActivityDispatcher: the activity tasks waiting for workers and the workers waiting for tasks
// (GetActivityTask long polls), per activity ARN. A task offered while a worker is parked goes to
// that worker at once; a poll that finds a task queued takes it at once; otherwise the poll parks
// until a task is offered or its poll time (60 s, as AWS) ends, when it is answered with no task.
// Nothing polls: one libuv timer, armed at the earliest parked deadline.
//
// Tasks go to workers in the order they were offered; parked workers are served in the order they
// came. A worker whose client connection is gone (still_wanted() false) is skipped and dropped, so
// the task stays for the next worker; a task whose attempt is over (alive() false) is dropped.
//
// Thread: the reactor thread only. shutdown() answers every parked poll with no task and closes
// the timer (the loop must run afterwards for libuv to release it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include <uv.h>

namespace sluice::states::tasks {

struct ActivityTaskOffer {
  std::string task_token;
  std::string input;            // the effective input, as JSON text
  std::function<bool()> alive;  // false once the attempt is over (timed out, cancelled)
  // A worker took it (ActivityStarted); runs before the worker's poll is answered.
  std::function<void(const std::string& worker_name)> taken;
};

// Called once per poll: an empty token means no task.
using ActivityPollAnswer = std::function<void(std::string task_token, std::string input)>;

class ActivityDispatcher {
 public:
  explicit ActivityDispatcher(uv_loop_t* loop, uint64_t poll_ms = 60000,
                              std::size_t max_workers_per_activity = 1000);
  ~ActivityDispatcher();
  ActivityDispatcher(const ActivityDispatcher&) = delete;
  ActivityDispatcher& operator=(const ActivityDispatcher&) = delete;

  // Queues a task (or hands it to a parked worker). Returns an id for withdraw().
  uint64_t offer(const std::string& activity_arn, ActivityTaskOffer task);
  // Takes a queued task back (its attempt was cancelled). Unknown ids are ignored.
  void withdraw(const std::string& activity_arn, uint64_t id);

  enum class PollResult { kAnswered, kParked, kTooManyWorkers };
  // A worker asks for a task. kTooManyWorkers: refused, `answer` not called.
  PollResult poll(const std::string& activity_arn, std::string worker_name,
                  std::function<bool()> still_wanted, ActivityPollAnswer answer);

  void shutdown();

  std::size_t queued(const std::string& activity_arn) const;
  std::size_t parked(const std::string& activity_arn) const;

 private:
  struct Task {
    uint64_t id;
    ActivityTaskOffer offer;
  };
  struct Worker {
    uint64_t id;
    std::string name;
    std::function<bool()> still_wanted;
    ActivityPollAnswer answer;
    uint64_t deadline;
    bool done = false;
  };
  struct Activity {
    std::deque<Task> tasks;
    std::deque<std::shared_ptr<Worker>> workers;
  };

  // Hands `task` to the first parked worker still wanting one; false when none does.
  bool give_to_worker(Activity& a, Task& task);
  static void deliver(Worker& w, Task& task);
  void prune(Activity& a);
  void forget_if_idle(const std::string& arn);
  void arm();
  static void on_timer(uv_timer_t* t);
  void expire();

  uv_loop_t* loop_;
  uint64_t poll_ms_;
  std::size_t max_workers_;
  uv_timer_t* timer_ = nullptr;  // heap: freed in its close callback
  bool shut_down_ = false;
  uint64_t next_id_ = 1;
  std::unordered_map<std::string, Activity> activities_;
  std::multimap<uint64_t, std::pair<std::string, std::weak_ptr<Worker>>> deadlines_;
};

}  // namespace sluice::states::tasks
