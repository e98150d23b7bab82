// A Step Functions test rig: a temporary LMDB environment with a running GroupCommitter, a libuv
// loop, a manual clock and timers, the Catalog and ExecutionRunner wired as StatesService wires
// them, and every action group registered. call() runs one action to its answer the way the
// server would (handler, commits, loop turns); reopen() simulates a restart on the same data.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <uv.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "broker/states/catalog/catalog.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/handlers.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"

namespace sluice::states::testing {

class StatesFixture : public ::testing::Test {
 protected:
  static constexpr const char* kRole = "arn:aws:iam::123456789012:role/test";
  static constexpr const char* kPrefix = "arn:aws:states:us-east-1:000000000000:";

  void SetUp() override {
    char tmpl[] = "/tmp/sluice-states-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    timers_ = std::make_unique<engine::executor::ManualTimerService>(clock_);
    open();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir_);
  }

  void open() {
    storage::EnvironmentOptions o;
    o.data_dir = dir_;
    o.map_size_bytes = 256ull << 20;
    env_ = std::move(*storage::Environment::open(o));
    committer_ = std::make_unique<storage::GroupCommitter>(*env_, nullptr);
    committer_->start();
    loop_ = std::make_unique<uv_loop_t>();
    uv_loop_init(loop_.get());
    parts_ = StatesServices{};
    parts_.loop = loop_.get();
    parts_.env = env_.get();
    parts_.committer = committer_.get();
    parts_.tasks = tasks_;  // null: the runner's own (every task fails as unserved)
    catalog_ = std::make_unique<Catalog>(parts_, identity_, clock_);
    runner_ = std::make_unique<ExecutionRunner>(parts_, *catalog_, clock_, *timers_);
    parts_.catalog = catalog_.get();
    parts_.runner = runner_.get();
    parts_.starter = runner_.get();
    ExecutionRunner* runner = runner_.get();
    catalog_->set_hooks(
        Catalog::Hooks{[runner](const std::string& m) { return runner->running_of(m); },
                       [runner](const std::string& m) { runner->doom(m); }});
    ASSERT_TRUE(catalog_->recover().ok());
    ASSERT_TRUE(runner_->recover().ok());
    catalog_->after_recovery(runner_->revisions_in_use());
    actions_ = ActionTable{};
    register_state_machine_actions(actions_);
    register_version_alias_actions(actions_);
    register_activity_actions(actions_);
    register_tag_actions(actions_);
    register_execution_actions(actions_);
    register_map_run_actions(actions_);
    settle();
  }

  void close() {
    if (!runner_) return;
    settle();
    runner_->shutdown();
    uv_run(loop_.get(), UV_RUN_NOWAIT);
    runner_.reset();
    catalog_.reset();
    committer_->stop();
    committer_->run_completions();
    committer_.reset();
    uv_run(loop_.get(), UV_RUN_NOWAIT);
    uv_loop_close(loop_.get());
    loop_.reset();
    env_.reset();
  }

  // A restart: everything in memory is dropped; LMDB stays. Timers pending in the manual timer
  // service belong to the dropped executions and are discarded too.
  void reopen() {
    close();
    timers_ = std::make_unique<engine::executor::ManualTimerService>(clock_);
    open();
  }

  // Runs loop turns and commits until nothing is pending: at least 20 turns, then on while a
  // commit is still outstanding (a loaded machine can take longer than 20 turns to sync), up to
  // 10 s.
  void settle() {
    for (int i = 0; i < 20 || (committer_->outstanding() > 0 && i < 5000); ++i) {
      uv_run(loop_.get(), UV_RUN_NOWAIT);
      committer_->wait_and_run_completions(std::chrono::milliseconds(2));
    }
  }

  // Calls an action with a JSON request body; returns its outcome.
  SfnOutcome call(const std::string& action, const std::string& body) {
    const SfnHandler* h = actions_.find(action);
    EXPECT_NE(h, nullptr) << action;
    if (!h) return SfnOutcome(sfn_error("UnknownOperationException", action));
    auto parsed = engine::json::parse(body);
    EXPECT_TRUE(parsed.ok()) << body;
    std::optional<SfnOutcome> out;
    SfnContext ctx{parts_, identity_, [] { return true; }};
    (*h)(ctx, std::move(*parsed), [&](SfnOutcome o) { out = std::move(o); });
    for (int i = 0; i < 1000 && !out; ++i) {
      uv_run(loop_.get(), UV_RUN_NOWAIT);
      if (!out) committer_->wait_and_run_completions(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(out.has_value()) << action << " never answered";
    if (!out) return SfnOutcome(sfn_error("Timeout", action));
    return std::move(*out);
  }
  // The output of an action that must succeed, as a JSON object.
  json::Value ok(const std::string& action, const std::string& body) {
    SfnOutcome o = call(action, body);
    EXPECT_TRUE(o.ok()) << action << ": "
                        << (o.ok() ? "" : o.error().type + " " + o.error().message);
    if (!o.ok()) return json::Value(json::Object{});
    if (o.text()) return *engine::json::parse(*o.text());
    return o.output();
  }
  // The error of an action that must fail.
  SfnError err(const std::string& action, const std::string& body) {
    SfnOutcome o = call(action, body);
    EXPECT_FALSE(o.ok()) << action << " succeeded: " << (o.text() ? *o.text() : "");
    if (o.ok()) return sfn_error("none", "");
    return o.error();
  }

  // Moves the manual clock and fires what came due, then lets the results commit.
  void advance(int64_t ms) {
    timers_->advance_by(ms);
    settle();
  }

  static std::string str(const json::Value& v, const char* key) {
    const json::Value* m = v.is_object() ? v.as_object().find(key) : nullptr;
    return (m && m->is_string()) ? m->as_string() : std::string();
  }
  static const json::Array& arr(const json::Value& v, const char* key) {
    static const json::Array empty;
    const json::Value* m = v.is_object() ? v.as_object().find(key) : nullptr;
    return (m && m->is_array()) ? m->as_array() : empty;
  }
  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    return out + "\"";
  }

  // A tags member value with n tags k0..k(n-1).
  static std::string tag_list(int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) {
      if (i) out += ",";
      out += "{\"key\":\"k";
      out += std::to_string(i);
      out += "\",\"value\":\"v\"}";
    }
    out += "]";
    return out;
  }

  // CreateStateMachine with a definition (JSON text); returns the machine ARN.
  std::string create_machine(const std::string& name, const std::string& definition,
                             const std::string& extra = "") {
    auto out = ok("CreateStateMachine", "{\"name\":" + quote(name) +
                                            ",\"definition\":" + quote(definition) +
                                            ",\"roleArn\":\"" + kRole + "\"" + extra + "}");
    return str(out, "stateMachineArn");
  }
  std::string start(const std::string& machine_arn, const std::string& name,
                    const std::string& input = "{}") {
    auto out = ok("StartExecution", "{\"stateMachineArn\":" + quote(machine_arn) + ",\"name\":" +
                                        quote(name) + ",\"input\":" + quote(input) + "}");
    return str(out, "executionArn");
  }
  std::string status(const std::string& execution_arn) {
    return str(ok("DescribeExecution", "{\"executionArn\":" + quote(execution_arn) + "}"),
               "status");
  }

  std::string dir_;
  StatesIdentity identity_;
  engine::executor::ManualClock clock_{1'700'000'000'000};
  std::unique_ptr<engine::executor::ManualTimerService> timers_;
  std::unique_ptr<storage::Environment> env_;
  std::unique_ptr<storage::GroupCommitter> committer_;
  std::unique_ptr<uv_loop_t> loop_;
  StatesServices parts_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<ExecutionRunner> runner_;
  engine::executor::TaskHandler* tasks_ = nullptr;  // set before open()/reopen() to serve tasks
  ActionTable actions_;
};

// Definitions used across tests.
inline const std::string kPassDefinition =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}})";
inline const std::string kWaitDefinition =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"P"},"P":{"Type":"Pass","End":true}}})";

}  // namespace sluice::states::testing
