// TaskFixture: a TaskRouter on a real libuv loop (run on the test thread), a real QueueStore (and
// the MessageService the server sends through) on a temporary LMDB, and engine Executions driven
// by that router on a manual clock (so task timeouts and heartbeats fire when a test advances
// time). Also a local HTTP server on the same loop (the broker's own http::Server) for the HTTP
// Task and Lambda endpoints.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/http/server.h"
#include "broker/sqs/message_service.h"
#include "broker/states/tasks/task_router.h"
#include "engine/asl/definition.h"
#include "engine/executor/execution.h"
#include "engine/executor/manual_time.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/queue_store.h"

namespace sluice::states::tasks::testing {

namespace executor = engine::executor;

class TaskFixture : public ::testing::Test {
 protected:
  static constexpr int64_t kStart = 1700000000000;

  void SetUp() override {
    uv_loop_init(&loop_);
    char tmpl[] = "/tmp/sluice-tasks-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    storage::EnvironmentOptions o;
    o.data_dir = dir_;
    o.map_size_bytes = 64ull << 20;
    env_ = std::move(*storage::Environment::open(o));
    wake_.data = this;
    uv_async_init(&loop_, &wake_, [](uv_async_t* a) {
      static_cast<TaskFixture*>(a->data)->committer_->run_completions();
    });
    uv_timer_init(&loop_, &tick_);
    committer_ =
        std::make_unique<storage::GroupCommitter>(*env_, [this] { uv_async_send(&wake_); });
    committer_->start();
    store_ = std::make_unique<storage::QueueStore>(*env_, *committer_);
    ASSERT_TRUE(store_->recover().ok());
    services_.loop = &loop_;
    services_.env = env_.get();
    services_.committer = committer_.get();
    messages_ = std::make_unique<sqs::MessageService>(*store_, identity_.account_id);
    services_.queues = store_.get();
    services_.messages = messages_.get();
    configure(services_, options_);
    router_ = std::make_unique<TaskRouter>(services_, identity_, options_);
    services_.tasks = router_.get();
  }

  // Hook for fixtures that set lambda endpoints, a starter or options before the router exists.
  virtual void configure(StatesServices&, TaskRouterOptions&) {}

  void TearDown() override {
    executions_.clear();
    router_->shutdown();
    for (auto& s : servers_) {
      bool drained = false;
      s->shutdown([&drained] { drained = true; });
      run_until([&] { return drained; });
    }
    servers_.clear();
    router_.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&wake_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&tick_), nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    committer_->stop();
    committer_->run_completions();
    messages_.reset();
    store_.reset();
    committer_.reset();
    env_.reset();
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    std::filesystem::remove_all(dir_);
  }

  // Runs the loop until `done` (true) or a few seconds pass (false).
  template <class Pred>
  bool run_until(Pred done, int timeout_ms = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    uv_timer_start(
        &tick_, [](uv_timer_t*) {}, 2, 2);  // UV_RUN_ONCE never sleeps for long
    bool ok = true;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ok = false;
        break;
      }
      uv_run(&loop_, UV_RUN_ONCE);
    }
    uv_timer_stop(&tick_);
    return ok;
  }
  // Runs the loop for about `ms` milliseconds.
  void run_for(int ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    run_until([&] { return std::chrono::steady_clock::now() >= until; }, ms + 1000);
  }

  // ---- executions ----

  std::shared_ptr<executor::Execution> start(std::string_view definition,
                                             std::string_view input = "{}",
                                             std::string name = "exec-1") {
    auto machine = engine::asl::compile_definition(definition);
    EXPECT_TRUE(machine.ok()) << (machine.ok() ? "" : machine.error().message);
    if (!machine.ok()) return nullptr;
    executor::ExecutionInfo info;
    info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:" + name;
    info.name = name;
    info.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
    info.state_machine_name = "sm";
    executor::ExecutionServices services;
    services.clock = &clock_;
    services.timers = &timers_;
    services.tasks = router_.get();
    services.make_task_token = [] { return TaskRouter::make_task_token(); };
    auto in = engine::json::parse(input);
    EXPECT_TRUE(in.ok());
    auto ex = executor::Execution::create(std::move(machine).value(), info, std::move(in).value(),
                                          services);
    executions_.push_back(ex);
    ex->start();
    return ex;
  }

  // A Task attempt held back instead of sent: the test hands it to the router itself, as a
  // restart would (TaskRouter::start or resume_attempt).
  struct HeldTask : executor::TaskHandler {
    executor::TaskRequest request;
    std::shared_ptr<executor::TaskHandle> handle;
    void start(const executor::TaskRequest& r, std::shared_ptr<executor::TaskHandle> h) override {
      request = r;
      handle = std::move(h);
    }
  };
  // An execution of `definition` whose Task attempts go to `held`.
  std::shared_ptr<executor::Execution> start_held(std::string_view definition, HeldTask& held,
                                                  std::string_view input = "{}") {
    executor::ExecutionServices services;
    services.clock = &clock_;
    services.timers = &timers_;
    services.tasks = &held;
    services.make_task_token = [] { return TaskRouter::make_task_token(); };
    auto ex = executor::Execution::create(engine::asl::compile_definition(definition).value(), {},
                                          parse(input), services);
    ex->start();
    return ex;
  }

  bool finished(const executor::Execution& ex) {
    return ex.status() != executor::ExecutionStatus::kRunning;
  }
  bool wait_finished(const std::shared_ptr<executor::Execution>& ex, int timeout_ms = 5000) {
    return run_until([&] { return finished(*ex); }, timeout_ms);
  }

  static std::string output(const executor::Execution& ex) {
    const auto& o = ex.outcome().output;
    return o ? engine::json::serialize(*o) : "<none>";
  }
  static json::Value output_value(const executor::Execution& ex) {
    const auto& o = ex.outcome().output;
    return o ? *o : json::Value();
  }
  static std::vector<std::string> types(const executor::Execution& ex) {
    std::vector<std::string> out;
    for (const auto& e : ex.history()) {
      out.emplace_back(executor::history_event_type_name(e.type));
    }
    return out;
  }
  static const executor::HistoryEvent* event(const executor::Execution& ex, std::string_view type,
                                             int nth = 0) {
    for (const auto& e : ex.history()) {
      if (executor::history_event_type_name(e.type) == type && nth-- == 0) return &e;
    }
    return nullptr;
  }
  static bool has_event(const executor::Execution& ex, std::string_view type) {
    return event(ex, type) != nullptr;
  }
  // A string member of an event's details ("" when absent).
  static std::string detail(const executor::HistoryEvent* e, std::string_view key) {
    if (!e || !e->details.is_object()) return {};
    const json::Value* v = e->details.as_object().find(key);
    return v && v->is_string() ? v->as_string() : std::string();
  }
  // The token of the task waiting in the current state ("" when none).
  static std::string token_in(const json::Value& v, std::string_view key = "TaskToken") {
    const json::Value* t = v.is_object() ? v.as_object().find(key) : nullptr;
    return t && t->is_string() ? t->as_string() : std::string();
  }
  static json::Value parse(std::string_view text) {
    auto v = engine::json::parse(text);
    EXPECT_TRUE(v.ok()) << text;
    return v.ok() ? std::move(v).value() : json::Value();
  }
  static const json::Value* member(const json::Value& v, std::string_view key) {
    return v.is_object() ? v.as_object().find(key) : nullptr;
  }
  static std::string str(const json::Value& v, std::string_view key) {
    const json::Value* m = member(v, key);
    return m && m->is_string() ? m->as_string() : std::string();
  }

  // ---- queues ----

  std::string create_queue(const std::string& name,
                           const storage::AttributePairs& attributes = {}) {
    std::optional<Result<storage::QueueView>> out;
    store_->create_queue(name, attributes, {},
                         [&](Result<storage::QueueView> r) { out = std::move(r); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    EXPECT_TRUE(out && out->ok());
    return "http://localhost:9324/000000000000/" + name;
  }
  std::vector<storage::ReceivedMessage> receive(const std::string& name, uint32_t max = 10) {
    storage::ReceiveOptions o;
    o.max_messages = max;
    o.wait_seconds = 0;
    std::optional<Result<std::vector<storage::ReceivedMessage>>> out;
    store_->receive(name, o, [&](auto r) { out = std::move(r); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); }));
    return out && out->ok() ? std::move(*out).value() : std::vector<storage::ReceivedMessage>{};
  }

  // ---- a local HTTP server on the loop ----

  uint16_t serve(http::Handler handler) {
    auto s = std::make_unique<http::Server>(&loop_, http::ServerOptions{}, std::move(handler));
    EXPECT_TRUE(s->listen("127.0.0.1", 0).ok());
    uint16_t port = s->port();
    servers_.push_back(std::move(s));
    return port;
  }
  // A port with nothing listening on it.
  static uint16_t closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }

  uv_loop_t loop_{};
  uv_async_t wake_{};
  uv_timer_t tick_{};
  std::string dir_;
  std::unique_ptr<storage::Environment> env_;
  std::unique_ptr<storage::GroupCommitter> committer_;
  std::unique_ptr<storage::QueueStore> store_;
  std::unique_ptr<sqs::MessageService> messages_;  // what the server sends through
  StatesServices services_;
  StatesIdentity identity_;
  TaskRouterOptions options_;
  std::unique_ptr<TaskRouter> router_;
  std::vector<std::unique_ptr<http::Server>> servers_;
  executor::ManualClock clock_{kStart};
  executor::ManualTimerService timers_{clock_};
  std::vector<std::shared_ptr<executor::Execution>> executions_;
};

}  // namespace sluice::states::tasks::testing
