// ExecutionRunner, deleting stored executions (the admin API's resets; no AWS action deletes
// one). Everything of the chosen executions goes in one commit (storage::ExecutionWrites::
// delete_execution): after a kill -9 either all of them are still there, stopped, or none is, so
// a restart never resumes a half-deleted execution. The index forgets them once the commit is
// durable; until then Describe and List show them as they were.
#include "broker/states/executions/execution_runner.h"

namespace sluice::states {

void ExecutionRunner::delete_executions(
    const std::function<bool(const ExecutionSummary&)>& which,
    std::function<void(SfnResult<std::vector<std::string>>)> done) {
  auto writes = std::make_shared<storage::ExecutionWrites>();
  std::vector<std::string> arns;
  index_.for_each([&](ExecutionSummary& s) {
    // A running one (or one whose start or redrive is not yet durable) has a runner that still
    // writes: it is stopped first (StopExecution, DeleteStateMachine), then deleted.
    if (!s.committed || s.status == engine::executor::ExecutionStatus::kRunning ||
        live_.count(s.arn) || redriving_.count(s.arn) || !which(s)) {
      return;
    }
    writes->delete_execution(key_of(s));
    arns.push_back(s.arn);
  });
  if (arns.empty()) return done(std::move(arns));
  storage::Mutation m;
  m.apply = [writes](storage::WriteTxn& txn) { return writes->apply(txn); };
  m.done = [this, arns = std::move(arns), done = std::move(done)](Status st) mutable {
    if (!st) return done(internal_failure(st.error().message));
    for (const std::string& arn : arns) {
      index_.remove(arn);
      watchers_.erase(arn);
    }
    done(std::move(arns));
  };
  services_.committer->submit(std::move(m));
}

}  // namespace sluice::states
