// Reactor wiring: loop, storage, committer, store, HTTP server, timers, signals, drain.
#include "broker/server/reactor.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "broker/admin/admin_endpoint.h"
#include "broker/auth/verifier.h"
#include "broker/console/console_endpoint.h"
#include "broker/http/server.h"
#include "broker/metrics/text_format.h"
#include "broker/pipes/pipe_catalog.h"
#include "broker/pipes/pipes_endpoint.h"
#include "broker/server/metrics_endpoint.h"
#include "broker/server/open_files.h"
#include "broker/server/signals.h"
#include "broker/sqs/message_service.h"
#include "broker/sqs/sqs_endpoint.h"
#include "broker/states/executions/execution_runner.h"
#include "broker/states/states_service.h"
#include "broker/states/tasks/task_router.h"
#include "broker/templates/template_loader.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/queue_store.h"

namespace sluice::server {

namespace {
LogLevel g_log_level = LogLevel::kInfo;

// stderr logging at a level; the process has few lines to say, so no logging library.
template <class... Args>
void log(LogLevel level, const char* format, Args... args) {
  if (static_cast<int>(level) > static_cast<int>(g_log_level)) return;
  std::fprintf(stderr, "sluice: ");
  std::fprintf(stderr, format, args...);
  std::fputc('\n', stderr);
}
}  // namespace

struct Reactor::Parts {
  uv_loop_t loop{};
  std::unique_ptr<storage::Environment> env;
  uv_async_t* wake = nullptr;   // heap: freed in its close callback
  uv_timer_t* timer = nullptr;  // heap: freed in its close callback
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<storage::QueueStore> store;
  std::unique_ptr<sqs::MessageService> messages;  // every send into `store` (SQS, tasks, pipes)
  std::unique_ptr<MetricsEndpoint> metrics;
  std::unique_ptr<sqs::SqsEndpoint> sqs;
  std::unique_ptr<states::StatesService> states;
  pipes::PipeServices pipe_parts;
  std::unique_ptr<pipes::PipeCatalog> pipes;
  std::unique_ptr<pipes::PipesEndpoint> pipes_endpoint;
  std::unique_ptr<admin::AdminEndpoint> admin;  // /_sluice/: inspection and resets for tests
  std::unique_ptr<auth::Verifier> verifier;     // --auth sigv4; null when auth is off
  std::unique_ptr<http::Server> http;
  std::unique_ptr<ShutdownSignals> signals;
  std::optional<int64_t> armed_deadline;
  bool draining = false;
  bool index_snapshot = true;  // --index-snapshot

  void rearm() {
    auto next = store->next_deadline_ms();
    if (next == armed_deadline) return;
    armed_deadline = next;
    if (!next) {
      uv_timer_stop(timer);
      return;
    }
    int64_t delay = *next - storage::QueueStore::system_now_ms();
    uv_timer_start(timer, &Parts::on_timer, delay > 0 ? static_cast<uint64_t>(delay) : 0, 0);
  }

  static void on_timer(uv_timer_t* t) {
    auto* self = static_cast<Parts*>(t->data);
    self->armed_deadline.reset();
    self->store->advance();
    self->rearm();
  }

  static void on_wake(uv_async_t* a) {
    auto* self = static_cast<Parts*>(a->data);
    self->committer->run_completions();
    self->rearm();
  }

  void handle(http::Request&& req, http::Responder res) {
    std::string_view path = req.path();
    if (g_log_level == LogLevel::kDebug) {
      const std::string* target = req.header("x-amz-target");
      log(LogLevel::kDebug, "%s %s %s (%zu bytes)", req.method.c_str(), req.target.c_str(),
          target ? target->c_str() : "", req.body.size());
    }
    if (req.method == "GET" && path == "/health") {
      http::Response r;
      r.status = draining ? 503 : 200;
      r.content_type = "text/plain";
      r.body = draining ? "draining\n" : "ok\n";
      return res.send(std::move(r));
    }
    if (req.method == "GET" && path == "/metrics") {
      http::Response r;
      r.content_type = std::string(metrics::kTextContentType);
      r.body = metrics->render();
      return res.send(std::move(r));
    }
    if (admin::AdminEndpoint::accepts(req)) {
      // The admin API is for tests and is never authenticated (README: Authentication).
      admin->handle(std::move(req), std::move(res));
    } else if (console::ConsoleEndpoint::accepts(req)) {
      console::ConsoleEndpoint::handle(req, std::move(res));
    } else if (pipes::PipesEndpoint::accepts(req)) {
      auto caller = authenticate(req, "pipes");
      if (!caller) return pipes_endpoint->reject(caller.error(), std::move(res));
      pipes_endpoint->handle(std::move(req), std::move(res));
    } else if (states::StatesEndpoint::accepts(req)) {
      auto caller = authenticate(req, "states");
      if (!caller) return states->endpoint().reject(caller.error(), std::move(res));
      states->endpoint().handle(std::move(req), std::move(res));
    } else if (sqs::SqsEndpoint::accepts(req)) {
      auto caller = authenticate(req, "sqs");
      if (!caller) return sqs->reject(req, caller.error(), std::move(res));
      sqs->handle(std::move(req), std::move(res), caller->account_id);
    } else {
      const std::string* target = req.header("x-amz-target");
      http::Response r;
      r.status = 400;
      r.content_type = "application/x-amz-json-1.0";
      r.body = "{\"__type\":\"UnknownOperationException\",\"message\":\"Unknown operation " +
               (target ? *target : std::string()) + "\"}";
      res.send(std::move(r));
    }
    rearm();
  }

  // Who signed `req` for the API whose signing name is `service`; an empty principal when auth
  // is off (one branch), so a request then goes on as before.
  Result<auth::Principal, auth::AuthError> authenticate(const http::Request& req,
                                                        std::string_view service) {
    if (!verifier) return auth::Principal{};
    auto who = verifier->verify(req, service, static_cast<int64_t>(std::time(nullptr)));
    if (!who) {
      log(LogLevel::kDebug, "%s %s: %s\n%s", req.method.c_str(), req.target.c_str(),
          who.error().message.c_str(), who.error().detail.c_str());
    }
    return who;
  }

  // The committer has stopped: this is the last commit (storage/queue/index_snapshot.h).
  void save_index_snapshot() {
    const auto t0 = std::chrono::steady_clock::now();
    auto saved = store->write_index_snapshot();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (saved) {
      log(LogLevel::kInfo, "index snapshot: %llu messages saved in %.0f ms",
          static_cast<unsigned long long>(*saved), ms);
    } else {
      log(LogLevel::kWarn, "index snapshot not saved (the next start scans): %s",
          saved.error().message.c_str());
    }
  }

  void drain() {
    if (draining) return;
    draining = true;
    log(LogLevel::kInfo, "draining");
    store->release_waiters();
    pipes->shutdown();
    states->shutdown();
    http->shutdown([this] {
      committer->stop();
      committer->run_completions();
      if (index_snapshot) save_index_snapshot();
      uv_timer_stop(timer);
      uv_close(reinterpret_cast<uv_handle_t*>(timer),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
      uv_close(reinterpret_cast<uv_handle_t*>(wake),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
      signals.reset();
    });
  }
};

// 127.0.0.0/8, ::1 and localhost: only this machine can connect.
static bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string Reactor::listen_authority() const {
  std::string host = config_.listen_host;
  if (host == "0.0.0.0" || host == "::") host = "localhost";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(config_.listen_port);
}

Status Reactor::load_templates(Parts& p, const sqs::ServiceIdentity& identity) {
  templates::TemplateServices ts;
  ts.queues = p.store.get();
  ts.messages = p.messages.get();
  ts.sqs_identity = identity;
  // Queue URLs (what Ref gives a queue) name the address the server listens on.
  ts.host = listen_authority();
  ts.states = &p.states->endpoint();
  ts.catalog = p.states->parts().catalog;
  ts.pipes = p.pipes.get();
  ts.pipes_identity = p.pipe_parts.identity;
  ts.identity.region = config_.region;
  ts.identity.account_id = config_.account_id;
  ts.lambda_endpoints = &config_.lambda_endpoints;
  ts.warn = [](const std::string& line) { log(LogLevel::kWarn, "%s", line.c_str()); };
  ts.info = [](const std::string& line) { log(LogLevel::kInfo, "%s", line.c_str()); };
  templates::TemplateLoader loader(std::move(ts));
  if (auto st = loader.prepare(config_.templates, config_.template_parameters); !st) return st;
  // Creating commits through the committer, whose completions come back through the loop: run
  // it until the last resource is made, before the server listens.
  std::optional<Status> result;
  loader.run([&result](Status st) { result = std::move(st); });
  while (!result) uv_run(&p.loop, UV_RUN_ONCE);
  return std::move(*result);
}

Reactor::Reactor(Config config) : config_(std::move(config)), parts_(std::make_unique<Parts>()) {}

Reactor::~Reactor() = default;

int Reactor::run() {
  Parts& p = *parts_;
  g_log_level = config_.log_level;
  if (uv_loop_init(&p.loop) != 0) return 1;

  storage::EnvironmentOptions env_options;
  env_options.data_dir = config_.data_dir;
  env_options.map_size_bytes = config_.map_size_bytes();
  env_options.durability = config_.durability;
  auto env = storage::Environment::open(env_options);
  if (!env) {
    log(LogLevel::kError, "cannot open storage: %s", env.error().message.c_str());
    return 1;
  }
  p.env = std::move(*env);

  p.wake = new uv_async_t;
  uv_async_init(&p.loop, p.wake, &Parts::on_wake);
  p.wake->data = &p;
  p.timer = new uv_timer_t;
  uv_timer_init(&p.loop, p.timer);
  p.timer->data = &p;

  uv_async_t* wake = p.wake;
  p.committer = std::make_unique<storage::GroupCommitter>(
      *p.env, [wake] { uv_async_send(wake); }, std::chrono::milliseconds(config_.sync_interval_ms));
  p.store = std::make_unique<storage::QueueStore>(*p.env, *p.committer);
  p.store->set_arn_prefix("arn:aws:sqs:" + config_.region + ":" + config_.account_id + ":");
  p.store->set_enforce_recreate_wait(config_.queue_deleted_recently);
  p.messages = std::make_unique<sqs::MessageService>(*p.store, config_.account_id);
  p.messages->set_uncommitted_limit(static_cast<size_t>(config_.max_uncommitted_mib << 20));
  p.metrics = std::make_unique<MetricsEndpoint>(*p.store, *p.committer);
  p.committer->start();
  const auto recover_start = std::chrono::steady_clock::now();
  if (auto st = p.store->recover(); !st) {
    log(LogLevel::kError, "recovery failed: %s", st.error().message.c_str());
    p.committer->stop();
    return 1;
  }
  p.index_snapshot = config_.index_snapshot;
  log(LogLevel::kInfo, "queues recovered in %.0f ms (index snapshot %s%s)",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - recover_start)
          .count(),
      std::string(storage::snapshot_use_name(p.store->recovered_from())).c_str(),
      p.store->recovered_from() == storage::SnapshotUse::kUsed ? "" : ": scanned every message");

  sqs::ServiceIdentity identity;
  identity.region = config_.region;
  identity.account_id = config_.account_id;
  identity.public_url = config_.public_url;
  MetricsEndpoint* metrics = p.metrics.get();
  p.sqs = std::make_unique<sqs::SqsEndpoint>(
      *p.messages, identity, [metrics](std::optional<sqs::Action> action, int status) {
        metrics->count_request(action, status);
      });

  states::StatesServices states_parts;
  states_parts.loop = &p.loop;
  states_parts.env = p.env.get();
  states_parts.committer = p.committer.get();
  states_parts.queues = p.store.get();
  states_parts.messages = p.messages.get();
  states_parts.sqs_identity = identity;
  states_parts.sqs_host = listen_authority();
  states_parts.lambda_endpoints = config_.lambda_endpoints;
  states_parts.mock_config = config_.mock_config;
  states_parts.wait_time_scale = config_.wait_time_scale;
  states_parts.max_uncommitted_start_bytes = static_cast<size_t>(config_.max_uncommitted_mib << 20);
  states::StatesIdentity states_identity;
  states_identity.region = config_.region;
  states_identity.account_id = config_.account_id;
  p.states = std::make_unique<states::StatesService>(
      states_parts, states_identity, [metrics](std::string_view action, int status) {
        metrics->count_states_request(action, status);
      });
  states::ExecutionRunner* runner = p.states->parts().runner;
  p.metrics->attach_states([runner] { return runner->stats(); });
  if (auto st = p.states->recover(); !st) {
    log(LogLevel::kError, "Step Functions recovery failed: %s", st.error().message.c_str());
    p.committer->stop();
    return 1;
  }

  pipes::PipeServices& pp = p.pipe_parts;
  pp.loop = &p.loop;
  pp.env = p.env.get();
  pp.committer = p.committer.get();
  pp.queues = p.store.get();
  pp.messages = p.messages.get();
  pp.machines = p.states->parts().catalog;
  pp.executions = runner;
  pp.lambdas = &p.states->task_router().lambda_functions();
  pp.clock = &p.states->clock();
  pp.timers = &p.states->timers();
  pp.identity.region = config_.region;
  pp.identity.account_id = config_.account_id;
  pp.max_batches_in_flight = config_.pipe_max_batches;
  pp.log = [](pipes::PipeLogLevel level, const std::string& text) {
    const LogLevel l = level == pipes::PipeLogLevel::kError  ? LogLevel::kError
                       : level == pipes::PipeLogLevel::kWarn ? LogLevel::kWarn
                       : level == pipes::PipeLogLevel::kInfo ? LogLevel::kInfo
                                                             : LogLevel::kDebug;
    log(l, "%s", text.c_str());
  };
  p.pipes = std::make_unique<pipes::PipeCatalog>(pp);
  p.pipes_endpoint = std::make_unique<pipes::PipesEndpoint>(
      *p.pipes, pp.identity, [metrics](std::optional<pipes::PipesAction> action, int status) {
        metrics->count_pipes_request(action, status);
      });
  p.metrics->attach_pipes(*p.pipes, *p.store);
  if (auto st = p.pipes->recover(); !st) {
    log(LogLevel::kError, "Pipes recovery failed: %s", st.error().message.c_str());
    p.committer->stop();
    return 1;
  }

  admin::AdminServices admin_parts;
  admin_parts.queues = p.store.get();
  admin_parts.states = &p.states->endpoint();
  admin_parts.catalog = p.states->parts().catalog;
  admin_parts.runner = runner;
  admin_parts.map_runs = p.states->parts().map_runs;
  admin_parts.pipes = p.pipes.get();
  admin_parts.clock = &p.states->clock();
  admin_parts.timers = &p.states->timers();
  p.admin = std::make_unique<admin::AdminEndpoint>(admin_parts);

  if (!config_.templates.empty()) {
    if (auto st = load_templates(p, identity); !st) {
      log(LogLevel::kError, "%s", st.error().message.c_str());
      p.committer->stop();
      return 1;
    }
  }

  if (config_.credentials) {
    p.verifier = std::make_unique<auth::Verifier>(*config_.credentials, config_.region);
    log(LogLevel::kInfo, "auth: sigv4, %zu access keys from %s", config_.credentials->size(),
        config_.credentials_path.c_str());
  } else if (!is_loopback(config_.listen_host)) {
    log(LogLevel::kWarn,
        "serving on %s with --auth off: anyone who can reach this address can use every API "
        "(use --auth sigv4 --credentials FILE)",
        config_.listen_host.c_str());
  }

  http::ServerOptions http_options;
  http_options.max_body_bytes = config_.max_body_bytes;
  http_options.idle_timeout_seconds = config_.idle_timeout_seconds;
  http_options.request_read_timeout_seconds = config_.request_timeout_seconds;
  http_options.max_connections = connections_within_open_files(config_.max_connections);
  http_options.io_threads = config_.io_threads;
  if (http_options.max_connections < config_.max_connections) {
    log(LogLevel::kWarn, "serving at most %zu connections (the open-files limit), not %zu",
        http_options.max_connections, config_.max_connections);
  }
  p.http = std::make_unique<http::Server>(
      &p.loop, http_options,
      [&p](http::Request&& req, http::Responder res) { p.handle(std::move(req), std::move(res)); });
  if (auto st = p.http->listen(config_.listen_host, config_.listen_port); !st) {
    log(LogLevel::kError, "%s", st.error().message.c_str());
    p.committer->stop();
    return 1;
  }
  p.metrics->attach_http(*p.http);
  auto signals = ShutdownSignals::install(
      &p.loop, [&p](int) { p.drain(); },
      [](int) {
        log(LogLevel::kWarn, "second signal, exiting without draining");
        std::_Exit(1);
      });
  if (!signals) {
    log(LogLevel::kError, "%s", signals.error().message.c_str());
    return 1;
  }
  p.signals = std::move(*signals);
  log(LogLevel::kInfo, "listening on %s:%u, data in %s (%s)", config_.listen_host.c_str(),
      p.http->port(), config_.data_dir.c_str(),
      std::string(durability_name(config_.durability)).c_str());
  p.rearm();
  uv_run(&p.loop, UV_RUN_DEFAULT);

  p.http.reset();
  uv_run(&p.loop, UV_RUN_DEFAULT);  // let closing handles finish
  p.admin.reset();
  p.pipes_endpoint.reset();
  p.pipes.reset();
  p.states.reset();
  p.sqs.reset();
  p.messages.reset();
  p.store.reset();
  p.committer.reset();
  p.env.reset();
  // The destructors above close their handles (pipe runners' idles, timers); one more turn runs
  // the close callbacks that free them. NOWAIT: a handle some part left active must not hang exit.
  uv_run(&p.loop, UV_RUN_NOWAIT);
  uv_loop_close(&p.loop);
  log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace sluice::server
