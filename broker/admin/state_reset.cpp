// The reset-everything sequence: each step issues its deletes, waits for every answer, then
// waits until the resources are gone before the next step starts.
#include "broker/admin/state_reset.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/pipes/pipe_catalog.h"
#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "broker/states/states_endpoint.h"
#include "engine/executor/clock.h"
#include "engine/json/json_value.h"
#include "storage/queue/queue_store.h"

namespace sluice::admin {

namespace {
// How long a reset waits for deletes that finish after their answer (pipes with batches in
// flight, state machines whose executions are being stopped).
constexpr int64_t kSettleTimeoutMs = 30'000;
constexpr int64_t kPollIntervalMs = 10;

AdminError reset_failed(std::string message) {
  return AdminError{500, "ResetFailed", std::move(message)};
}

class ResetRun : public std::enable_shared_from_this<ResetRun> {
 public:
  ResetRun(const AdminServices& s, std::function<void(Result<ResetCounts, AdminError>)> done)
      : s_(s), done_(std::move(done)) {}

  void start() { delete_pipes(); }

 private:
  using Step = void (ResetRun::*)();

  // Pipes: a pipe refuses DeletePipe while it is creating, starting or stopping, so every poll
  // asks again for each pipe not yet deleting, until none is left.
  void delete_pipes() {
    deadline_ms_ = s_.clock->now_ms() + kSettleTimeoutMs;
    poll_pipes();
  }

  void poll_pipes() {
    std::vector<std::string> to_delete;
    size_t left = 0;
    s_.pipes->for_each([&](const pipes::PipeCatalog::PipeFacts& p) {
      ++left;
      if (p.status.current_state != pipes::CurrentState::kDeleting &&
          !asked_pipes_.count(p.status.name)) {
        to_delete.push_back(p.status.name);
      }
    });
    if (left == 0) return delete_state_machines();
    if (s_.clock->now_ms() > deadline_ms_) {
      return finish(reset_failed(std::to_string(left) + " pipes were still being deleted after " +
                                 std::to_string(kSettleTimeoutMs / 1000) + " seconds."));
    }
    for (const std::string& name : to_delete) {
      asked_pipes_.insert(name);
      s_.pipes->remove(name, [self = shared_from_this(), name](auto result) {
        if (result) ++self->counts_.pipes;
        self->asked_pipes_.erase(name);  // refused (a transition in progress): asked again
      });
    }
    later(&ResetRun::poll_pipes);
  }

  void delete_state_machines() {
    std::vector<std::string> arns;
    for (const auto& [name, m] : s_.catalog->machines()) {
      if (!m.deleting) arns.push_back(s_.catalog->arn_of(m));
    }
    counts_.state_machines = arns.size();
    invoke_all("DeleteStateMachine", "stateMachineArn", std::move(arns),
               &ResetRun::await_state_machines);
  }

  // A machine with running executions is DELETING until the runner recorded them ABORTED.
  void await_state_machines() {
    deadline_ms_ = s_.clock->now_ms() + kSettleTimeoutMs;
    poll_state_machines();
  }

  void poll_state_machines() {
    if (failure_) return finish(std::move(*failure_));
    if (s_.catalog->machines().empty()) return delete_executions();
    if (s_.clock->now_ms() > deadline_ms_) {
      return finish(reset_failed(std::to_string(s_.catalog->machines().size()) +
                                 " state machines were still stopping their executions."));
    }
    later(&ResetRun::poll_state_machines);
  }

  void delete_executions() {
    delete_executions_of(
        s_, [](const states::ExecutionSummary&) { return true; },
        [self = shared_from_this()](Result<size_t, AdminError> r) {
          if (!r) return self->finish(std::move(r).error());
          self->counts_.executions = *r;
          self->delete_activities();
        });
  }

  void delete_activities() {
    std::vector<std::string> arns;
    for (const auto& [name, a] : s_.catalog->activities()) arns.push_back(s_.catalog->arn_of(a));
    counts_.activities = arns.size();
    invoke_all("DeleteActivity", "activityArn", std::move(arns), &ResetRun::delete_queues);
  }

  void delete_queues() {
    if (failure_) return finish(std::move(*failure_));
    std::vector<std::string> names = s_.queues->list_queues("");
    counts_.queues = names.size();
    pending_ = names.size() + 1;
    for (const std::string& name : names) {
      s_.queues->delete_queue(name, [self = shared_from_this(), name](Status st) {
        if (!st && !self->failure_) {
          self->failure_ = reset_failed("deleting queue " + name + ": " + st.error().message);
        }
        self->answered(&ResetRun::queues_deleted);
      });
    }
    answered(&ResetRun::queues_deleted);
  }

  void queues_deleted() {
    if (failure_) return finish(std::move(*failure_));
    finish(counts_);
  }

  // Runs a Step Functions action for each ARN; `next` once all answered.
  void invoke_all(const char* action, const char* member, std::vector<std::string> arns,
                  Step next) {
    pending_ = arns.size() + 1;
    for (const std::string& arn : arns) {
      s_.states->invoke(action, engine::json::Object{{member, arn}},
                        [self = shared_from_this(), action = std::string(action), arn,
                         next](states::SfnOutcome out) {
                          if (!out.ok() && !self->failure_) {
                            self->failure_ =
                                reset_failed(action + " " + arn + ": " + out.error().type + ": " +
                                             out.error().message);
                          }
                          self->answered(next);
                        });
    }
    answered(next);
  }

  void answered(Step next) {
    if (--pending_ == 0) (this->*next)();
  }

  void later(Step step) {
    s_.timers->schedule(s_.clock->now_ms() + kPollIntervalMs,
                        [self = shared_from_this(), step] { ((*self).*step)(); });
  }

  void finish(Result<ResetCounts, AdminError> result) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

  AdminServices s_;
  std::function<void(Result<ResetCounts, AdminError>)> done_;
  ResetCounts counts_;
  std::optional<AdminError> failure_;
  std::set<std::string> asked_pipes_;
  size_t pending_ = 0;
  int64_t deadline_ms_ = 0;
};
// Polls until none of the selected executions runs, then deletes them. One still running (a map
// run's child whose parent's stop has not reached it yet, one recovered but not resumed) is asked
// to stop once, as StopExecution would.
class ExecutionDeletion : public std::enable_shared_from_this<ExecutionDeletion> {
 public:
  ExecutionDeletion(const AdminServices& s,
                    std::function<bool(const states::ExecutionSummary&)> which,
                    std::function<void(Result<size_t, AdminError>)> done)
      : s_(s), which_(std::move(which)), done_(std::move(done)) {}

  void start() {
    deadline_ms_ = s_.clock->now_ms() + kSettleTimeoutMs;
    poll();
  }

 private:
  void poll() {
    size_t running = 0;
    std::vector<std::string> to_stop;
    s_.runner->index().for_each([&](states::ExecutionSummary& e) {
      if (e.status != engine::executor::ExecutionStatus::kRunning || !which_(e)) return;
      ++running;
      if (e.committed && asked_.insert(e.arn).second) to_stop.push_back(e.arn);
    });
    if (running == 0) return remove();
    for (const std::string& arn : to_stop) {
      // Its answer does not matter: the poll sees whether it stopped (one that ended meanwhile
      // answers ExecutionDoesNotExist or is no longer RUNNING).
      s_.runner->stop(arn, std::string("Sluice.Reset"), std::string("Stopped by a reset"),
                      [](states::SfnResult<int64_t>) {});
    }
    if (s_.clock->now_ms() > deadline_ms_) {
      return done_(reset_failed(std::to_string(running) + " executions were still running after " +
                                std::to_string(kSettleTimeoutMs / 1000) + " seconds."));
    }
    s_.timers->schedule(s_.clock->now_ms() + kPollIntervalMs,
                        [self = shared_from_this()] { self->poll(); });
  }

  void remove() {
    s_.runner->delete_executions(
        which_, [self = shared_from_this()](states::SfnResult<std::vector<std::string>> r) {
          if (!r) return self->done_(reset_failed("deleting executions: " + r.error().message));
          for (const std::string& arn : *r) {
            if (self->s_.map_runs) self->s_.map_runs->forget_execution(arn);
          }
          self->done_(r->size());
        });
  }

  AdminServices s_;
  std::function<bool(const states::ExecutionSummary&)> which_;
  std::function<void(Result<size_t, AdminError>)> done_;
  std::set<std::string> asked_;  // asked to stop
  int64_t deadline_ms_ = 0;
};

}  // namespace

void delete_executions_of(const AdminServices& services,
                          std::function<bool(const states::ExecutionSummary&)> which,
                          std::function<void(Result<size_t, AdminError>)> done) {
  std::make_shared<ExecutionDeletion>(services, std::move(which), std::move(done))->start();
}

void reset_everything(const AdminServices& services,
                      std::function<void(Result<ResetCounts, AdminError>)> done) {
  std::make_shared<ResetRun>(services, std::move(done))->start();
}

}  // namespace sluice::admin
