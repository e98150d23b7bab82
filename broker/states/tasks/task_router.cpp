// See task_router.h.
#include "broker/states/tasks/task_router.h"

#include <openssl/rand.h>

#include "broker/states/tasks/http_invoke_task.h"
#include "broker/states/tasks/resource_check.h"
#include "broker/states/tasks/sdk_sfn_task.h"
#include "broker/states/tasks/sdk_sqs_task.h"
#include "broker/states/tasks/sqs_send_message.h"
#include "engine/json/json_serialize.h"
#include "storage/random_id.h"

namespace sluice::states::tasks {

namespace {

using engine::executor::TaskFamily;

SfnError invalid_token() {
  return sfn_error("InvalidToken", "Invalid Token: 'Invalid token'");
}

SfnError task_gone() {
  return sfn_error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

}  // namespace

TaskRouter::TaskRouter(StatesServices& services, StatesIdentity identity, TaskRouterOptions options)
    : services_(services),
      identity_(std::move(identity)),
      options_(options),
      http_(services.loop),
      activities_(services.loop, options.activity_poll_ms),
      nested_([&services] { return services.starter; }),
      lambda_(http_, services.lambda_endpoints, identity_.region, identity_.account_id,
              options.lambda_timeout_ms) {}

TaskRouter::~TaskRouter() {
  shutdown();
}

std::string TaskRouter::make_task_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    for (std::size_t i = 0; i < sizeof bytes; i += 4) {
      uint32_t r = storage::random_u32();
      for (std::size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(r >> (8 * j));
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(64);
  for (unsigned char b : bytes) {
    token.push_back(kHex[b >> 4]);
    token.push_back(kHex[b & 15]);
  }
  return token;
}

bool TaskRouter::well_formed_token(std::string_view token) {
  // Tokens are opaque to callers, but anything this short or with these characters was never
  // issued by a Step Functions implementation: InvalidToken rather than TaskTimedOut.
  if (token.size() < 16 || token.size() > 2048) return false;
  for (char c : token) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Attach and send.

std::shared_ptr<TaskCall> TaskRouter::attach(const TaskRequest& request,
                                             std::shared_ptr<TaskHandle> handle,
                                             bool queue_activity) {
  std::string token = request.task_token;
  if (token.empty() && request.parsed.family == TaskFamily::kActivity) token = make_task_token();
  const TaskHandle* key = handle.get();
  auto call = std::make_shared<TaskCall>(*this, std::weak_ptr<void>(alive_), request,
                                         std::move(handle), token);
  calls_[key] = call;
  if (!token.empty()) by_token_[token] = call;
  if (request.parsed.family == TaskFamily::kActivity && queue_activity) queue_activity_task(call);
  return call;
}

void TaskRouter::start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) {
  auto call = attach(request, std::move(handle));
  if (call->active()) send(call);
}

void TaskRouter::resume(const TaskRequest& request, const engine::executor::TaskProgress& progress,
                        std::shared_ptr<TaskHandle> handle) {
  resume_attempt(request, std::move(handle), progress.submitted ? &*progress.submitted : nullptr,
                 progress.started);
}

void TaskRouter::resume_attempt(const TaskRequest& request, std::shared_ptr<TaskHandle> handle,
                                const json::Value* submitted, bool started) {
  const auto& parsed = request.parsed;
  bool activity = parsed.family == TaskFamily::kActivity;
  auto call = attach(request, std::move(handle), /*queue_activity=*/activity && !started);
  if (!call->active()) return;
  if (activity) return;  // queued again by attach, or still with the worker that took it
  if (parsed.family == TaskFamily::kService && parsed.resource_type == "states") {
    return nested_.resume(call, submitted);
  }
  if (parsed.wait_for_task_token) return;  // the request went out; the token is registered again
  send(call);
}

std::function<void(TaskResult)> TaskRouter::answer_for(const std::shared_ptr<TaskCall>& call) {
  return [call](TaskResult r) {
    if (!call->active()) return;
    if (!r.exchange.is_null()) call->inspected(std::move(r.exchange));
    if (!r.ok) return call->fail(std::move(r.error), std::move(r.cause));
    if (call->request().parsed.wait_for_task_token) return call->submitted(std::move(r.output));
    call->succeed(std::move(r.output));
  };
}

void TaskRouter::cancel_http_on_cancel(const std::shared_ptr<TaskCall>& call, uint64_t id) {
  if (id == 0 || !call->active()) return;
  HttpClient* client = &http_;
  std::weak_ptr<void> alive = alive_;
  call->on_cancel([client, alive, id] {
    if (!alive.expired()) client->cancel(id);
  });
}

void TaskRouter::send(const std::shared_ptr<TaskCall>& call) {
  const TaskRequest& req = call->request();
  const auto& parsed = req.parsed;
  if (shut_down_) return;  // left unanswered: the execution resumes it after the restart
  switch (parsed.family) {
    case TaskFamily::kActivity:
      return;  // queued by attach; a worker takes it
    case TaskFamily::kLambdaFunction: {
      uint64_t id = lambda_.invoke_function(req.resource, req.input, answer_for(call));
      return cancel_http_on_cancel(call, id);
    }
    case TaskFamily::kService:
      break;
  }
  const std::string& type = parsed.resource_type;
  const std::string& action = parsed.resource;
  if (type == "sqs" && (action == "sendMessage" || action == "sendMessage.waitForTaskToken")) {
    if (!services_.messages) return call->fail("States.Runtime", "Amazon SQS is not available");
    return sqs_send_message(*services_.messages, identity_.account_id, req.input, answer_for(call));
  }
  if (type == "states") return nested_.start(call);
  if (type == "aws-sdk:sqs" && services_.messages && sdk_sqs_serves(action)) {
    std::weak_ptr<TaskCall> weak = call;
    auto still_wanted = [weak] {
      auto c = weak.lock();
      return c && c->active();
    };
    return sdk_sqs_call(*services_.messages, services_.sqs_identity, services_.sqs_host, action,
                        req.input, std::move(still_wanted), answer_for(call));
  }
  if (type == "aws-sdk:sfn" && services_.endpoint && sdk_sfn_serves(*services_.endpoint, action)) {
    return sdk_sfn_call(*services_.endpoint, action, req.input, answer_for(call));
  }
  if (type == "http" && action == "invoke") {
    uint64_t id = http_invoke(http_, identity_.region, req.input, options_.http_timeout_ms,
                              req.inspect_exchange, answer_for(call));
    return cancel_http_on_cancel(call, id);
  }
  if (type == "lambda" && (action == "invoke" || action == "invoke.waitForTaskToken")) {
    uint64_t id = lambda_.invoke(req.input, answer_for(call));
    return cancel_http_on_cancel(call, id);
  }
  // Accepted at creation so that a test case can mock it (resource_check.h), but not mocked in
  // this execution: a runtime failure no Retry or Catch hides, saying how to mock it.
  call->fail("States.Runtime",
             unserved_integration_cause(req.resource, req.execution_arn, req.state_name));
}

void TaskRouter::queue_activity_task(const std::shared_ptr<TaskCall>& call) {
  const std::string& arn = call->request().resource;
  if (!activity_exists(arn)) {
    return call->fail("States.Runtime", "Activity Does Not Exist: '" + arn + "'");
  }
  std::weak_ptr<TaskCall> weak = call;
  ActivityTaskOffer offer;
  offer.task_token = call->token();
  offer.input = json::serialize(call->parameters());
  offer.alive = [weak] {
    auto c = weak.lock();
    return c && c->active();
  };
  offer.taken = [weak](const std::string& worker) {
    if (auto c = weak.lock()) c->started(worker);
  };
  uint64_t id = activities_.offer(arn, std::move(offer));
  ActivityDispatcher* dispatcher = &activities_;
  std::weak_ptr<void> alive = alive_;
  call->on_cancel([dispatcher, alive, arn, id] {
    if (!alive.expired()) dispatcher->withdraw(arn, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Cancel and forget.

void TaskRouter::cancel(const TaskHandle& handle) {
  auto it = calls_.find(&handle);
  if (it == calls_.end()) return;
  std::shared_ptr<TaskCall> call = it->second;
  call->cancelled();
}

void TaskRouter::forget(TaskCall& call) {
  auto it = calls_.find(&call.handle());
  if (it != calls_.end() && it->second.get() == &call) calls_.erase(it);
  if (!call.token().empty()) {
    auto t = by_token_.find(call.token());
    if (t != by_token_.end() && t->second.get() == &call) by_token_.erase(t);
  }
}

// ---------------------------------------------------------------------------------------------
// Task tokens and activity workers.

std::optional<SfnError> TaskRouter::with_token(const std::string& token,
                                               const std::function<void(TaskCall&)>& fn) {
  if (!well_formed_token(token)) return invalid_token();
  auto it = by_token_.find(token);
  if (it == by_token_.end() || !it->second->active()) return task_gone();
  std::shared_ptr<TaskCall> call = it->second;
  fn(*call);
  return std::nullopt;
}

std::optional<std::string> TaskRouter::execution_of(const std::string& token) const {
  auto it = by_token_.find(token);
  if (it == by_token_.end() || !it->second->active()) return std::nullopt;
  return it->second->request().execution_arn;
}

std::optional<SfnError> TaskRouter::send_task_success(const std::string& token,
                                                      json::Value output) {
  return with_token(token, [&](TaskCall& c) { c.succeed(std::move(output)); });
}

std::optional<SfnError> TaskRouter::send_task_failure(const std::string& token, std::string error,
                                                      std::string cause) {
  return with_token(token, [&](TaskCall& c) { c.fail(std::move(error), std::move(cause)); });
}

std::optional<SfnError> TaskRouter::send_task_heartbeat(const std::string& token) {
  return with_token(token, [](TaskCall& c) { c.heartbeat(); });
}

void TaskRouter::get_activity_task(const std::string& activity_arn, std::string worker_name,
                                   std::function<bool()> still_wanted, SfnReply reply) {
  auto answer = [reply](std::string token, std::string input) {
    json::Object out;
    if (!token.empty()) {
      out.set("taskToken", json::Value(std::move(token)));
      out.set("input", json::Value(std::move(input)));
    }
    reply(json::Value(std::move(out)));
  };
  if (shut_down_) return answer({}, {});
  auto result = activities_.poll(activity_arn, std::move(worker_name), std::move(still_wanted),
                                 std::move(answer));
  if (result == ActivityDispatcher::PollResult::kTooManyWorkers) {
    reply(sfn_error("ActivityWorkerLimitExceeded",
                    "The maximum number of workers concurrently polling for activity tasks has "
                    "been reached."));
  }
}

void TaskRouter::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  activities_.shutdown();
  http_.shutdown();
}

}  // namespace sluice::states::tasks
