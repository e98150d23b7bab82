// libFuzzer target: the Step Functions API's actions, each with its request decoding (the members
// read with the model's types and constraints in broker/states/request_fields, the ARNs, names,
// tags, definitions, inputs, mock test cases) and what it does with a request that passes. The
// first line is the action (X-Amz-Target's suffix), the rest the JSON body, parsed as the endpoint
// parses it. The actions run against the server's own components on a temporary LMDB environment
// that lives as long as the fuzzer, so a run also creates machines, versions, aliases, activities
// and executions that later inputs find (executions' Wait states never fire, and Task states fail
// as unserved: nothing leaves the process).
// Every request gets exactly one answer, within a bounded number of loop turns and commits; an
// error names its shape and has an HTTP status of 400 or 500. A crash, a sanitizer report, a leak
// or a hang is a finding.
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "broker/states/action_table.h"
#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/handlers.h"
#include "broker/states/map_runs/map_run_registry.h"
#include "broker/states/tasks/resource_check.h"
#include "broker/states/tasks/task_router.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"

namespace states = sluice::states;
namespace storage = sluice::storage;
namespace executor = sluice::engine::executor;

namespace {

// The Step Functions components as StatesService wires them, on a manual clock whose timers never
// fire (a fuzz input must not wait).
class StatesRig {
 public:
  StatesRig() {
    char tmpl[] = "/tmp/sluice-sfn-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl)) std::abort();
    dir_ = tmpl;
    storage::EnvironmentOptions o;
    o.data_dir = dir_;
    o.map_size_bytes = 1ull << 30;
    o.durability = storage::Durability::kRelaxed;
    auto env = storage::Environment::open(o);
    if (!env) std::abort();
    env_ = std::move(*env);
    committer_ = std::make_unique<storage::GroupCommitter>(*env_, nullptr);
    committer_->start();
    uv_loop_init(&loop_);
    parts_.loop = &loop_;
    parts_.env = env_.get();
    parts_.committer = committer_.get();
    parts_.check_resource = [](std::string_view resource) {
      return states::tasks::check_task_resource(resource);
    };
    catalog_ = std::make_unique<states::Catalog>(parts_, identity_, clock_);
    runner_ = std::make_unique<states::ExecutionRunner>(parts_, *catalog_, clock_, timers_);
    parts_.catalog = catalog_.get();
    parts_.runner = runner_.get();
    parts_.starter = runner_.get();
    map_runs_ = std::make_unique<states::MapRunRegistry>(*runner_, clock_, runner_.get());
    runner_->set_map_runs(map_runs_.get());
    parts_.map_runs = map_runs_.get();
    router_ = std::make_unique<states::tasks::TaskRouter>(parts_, identity_);
    states::ExecutionRunner* runner = runner_.get();
    catalog_->set_hooks(
        states::Catalog::Hooks{[runner](const std::string& m) { return runner->running_of(m); },
                               [runner](const std::string& m) { runner->doom(m); }});
    if (!catalog_->recover().ok() || !runner_->recover().ok()) std::abort();
    catalog_->after_recovery(runner_->revisions_in_use());
    states::register_state_machine_actions(actions_);
    states::register_version_alias_actions(actions_);
    states::register_activity_actions(actions_);
    states::register_tag_actions(actions_);
    states::register_execution_actions(actions_);
    states::register_map_run_actions(actions_);
    states::register_task_actions(actions_, *router_);
    states::register_test_state_action(actions_, clock_, timers_);
  }
  // Stopped as the server stops (libFuzzer exits without destructors when it finds something; at
  // a normal end this also removes the environment's files).
  ~StatesRig() {
    runner_->shutdown();
    uv_run(&loop_, UV_RUN_NOWAIT);
    router_.reset();
    map_runs_->close();
    runner_.reset();
    map_runs_.reset();
    catalog_.reset();
    committer_->stop();
    committer_->run_completions();
    committer_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_loop_close(&loop_);
    env_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs one action to its answer. Two actions may answer only later: GetActivityTask, a long poll
  // that answers when a task comes or its 60 s pass, and StartSyncExecution, which answers when the
  // execution ends (here, one in a Wait state never does). For them no answer within the turns is
  // fine; a late answer lands in the shared reply.
  void call(const std::string& action, sluice::engine::json::Value body) {
    const states::SfnHandler* handler = actions_.find(action);
    if (!handler) return;  // the endpoint answers UnknownOperationException
    struct Reply {
      std::optional<states::SfnOutcome> outcome;
      int answers = 0;
    };
    auto reply = std::make_shared<Reply>();
    states::SfnContext ctx{parts_, identity_, [] { return true; }};
    (*handler)(ctx, std::move(body), [reply](states::SfnOutcome o) {
      if (++reply->answers > 1) __builtin_trap();  // two answers to one request
      reply->outcome = std::move(o);
    });
    for (int i = 0; i < 2000 && !reply->outcome; ++i) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      if (!reply->outcome) committer_->wait_and_run_completions(std::chrono::milliseconds(1));
      if (may_wait(action) && i >= 20) break;
    }
    if (!reply->outcome) {
      if (!may_wait(action)) __builtin_trap();  // never answered
    } else if (!reply->outcome->ok()) {
      const states::SfnError& e = reply->outcome->error();
      if (e.type.empty() || (e.http_status != 400 && e.http_status != 500)) __builtin_trap();
    }
    // What the answer set off (executions' first steps, their commits) runs before the next input.
    for (int i = 0; i < 4; ++i) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      committer_->run_completions();
    }
  }

 private:
  static bool may_wait(const std::string& action) {
    return action == "GetActivityTask" || action == "StartSyncExecution";
  }

  std::string dir_;
  states::StatesIdentity identity_;
  executor::ManualClock clock_{1'700'000'000'000};
  executor::ManualTimerService timers_{clock_};
  std::unique_ptr<storage::Environment> env_;
  std::unique_ptr<storage::GroupCommitter> committer_;
  uv_loop_t loop_{};
  states::StatesServices parts_;
  std::unique_ptr<states::Catalog> catalog_;
  std::unique_ptr<states::ExecutionRunner> runner_;
  std::unique_ptr<states::MapRunRegistry> map_runs_;
  std::unique_ptr<states::tasks::TaskRouter> router_;
  states::ActionTable actions_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static StatesRig rig;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return 0;
  auto body = sluice::engine::json::parse(text.substr(nl + 1));
  if (!body || !body->is_object()) return 0;  // SerializationException at the endpoint
  rig.call(std::string(text.substr(0, nl)), std::move(*body));
  return 0;
}
