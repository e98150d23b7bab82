// The metrics of the serving process, registered once at start.
#include "broker/server/metrics_endpoint.h"

#include "broker/metrics/http_server_collector.h"

namespace sluice::server {

namespace {
std::vector<double> batch_size_buckets() {
  std::vector<double> b;
  for (double v = 1; v <= 8192; v *= 2) b.push_back(v);
  return b;
}

void append_counter(std::string& out, const char* name, const char* help, uint64_t value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " counter\n";
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

void append_label_value(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}
}  // namespace

MetricsEndpoint::MetricsEndpoint(storage::QueueStore& store, storage::GroupCommitter& committer)
    : requests_(registry_.counter("sluice_requests_total", "API requests by action and status",
                                  {"action", "status"})),
      states_requests_(registry_.counter("sluice_states_requests_total",
                                         "Step Functions API requests by action and status",
                                         {"action", "status"})),
      pipes_requests_(registry_.counter("sluice_pipes_requests_total",
                                        "EventBridge Pipes API requests by action and status",
                                        {"action", "status"})) {
  auto& batch =
      registry_
          .histogram("sluice_commit_batch_size", "Mutations applied per LMDB write transaction", {},
                     batch_size_buckets())
          .get();
  auto& latency =
      registry_
          .histogram("sluice_commit_seconds", "Time to apply, commit and sync one group commit")
          .get();
  committer.set_observer([&batch, &latency](const storage::CommitObservation& o) {
    batch.observe(static_cast<double>(o.batch_size));
    latency.observe(o.seconds);
  });
  registry_.add_collector([&store](std::string& out) {
    const auto& s = store.stats();
    append_counter(out, "sluice_messages_sent_total", "Messages durably sent", s.sent);
    append_counter(out, "sluice_messages_received_total", "Messages handed out by receives",
                   s.received);
    append_counter(out, "sluice_messages_deleted_total", "Messages deleted by clients", s.deleted);
    append_counter(out, "sluice_messages_expired_total",
                   "Messages removed by MessageRetentionPeriod", s.expired);
    append_counter(out, "sluice_messages_dead_lettered_total",
                   "Messages a receive moved to their queue's dead-letter queue", s.dead_lettered);
    append_counter(out, "sluice_messages_redriven_total", "Messages moved by message move tasks",
                   s.redriven);
    out += "# HELP sluice_queue_messages Messages in a queue by state\n";
    out += "# TYPE sluice_queue_messages gauge\n";
    store.for_each_queue([&](const std::string& name, const storage::QueueCounts& c) {
      for (auto [state, n] : {std::pair{"visible", c.visible}, std::pair{"in_flight", c.in_flight},
                              std::pair{"delayed", c.delayed}}) {
        out += "sluice_queue_messages{queue=\"";
        append_label_value(out, name);
        out += "\",state=\"";
        out += state;
        out += "\"} ";
        out += std::to_string(n);
        out += '\n';
      }
    });
  });
}

void MetricsEndpoint::attach_http(const http::Server& server) {
  metrics::export_http_server(registry_, server);
}

void MetricsEndpoint::count_request(std::optional<sqs::Action> action, int status) {
  const uint32_t a = action ? static_cast<uint32_t>(*action) : 0xffff;
  const uint32_t key = (a << 16) | static_cast<uint32_t>(status);
  auto it = request_counters_.find(key);
  if (it == request_counters_.end()) {
    std::string name = action ? std::string(sqs::action_name(*action)) : "unknown";
    metrics::Counter& c = requests_.with({name, std::to_string(status)});
    it = request_counters_.emplace(key, &c).first;
  }
  it->second->inc();
}

}  // namespace sluice::server

namespace sluice::server {

void MetricsEndpoint::count_states_request(std::string_view action, int status) {
  std::string key(action);
  key += ' ';
  key += std::to_string(status);
  auto it = states_counters_.find(key);
  if (it == states_counters_.end()) {
    std::string name = action.empty() ? "unknown" : std::string(action);
    metrics::Counter& c = states_requests_.with({name, std::to_string(status)});
    it = states_counters_.emplace(std::move(key), &c).first;
  }
  it->second->inc();
}

void MetricsEndpoint::attach_states(std::function<states::ExecutionStats()> stats) {
  registry_.add_collector([stats = std::move(stats)](std::string& out) {
    const states::ExecutionStats s = stats();
    const std::pair<const char*, const states::ExecutionCounts*> types[] = {
        {"STANDARD", &s.standard}, {"EXPRESS", &s.express}};
    out += "# HELP sluice_states_executions_started_total Step Functions executions started\n";
    out += "# TYPE sluice_states_executions_started_total counter\n";
    for (const auto& [type, c] : types) {
      out += "sluice_states_executions_started_total{type=\"";
      out += type;
      out += "\"} " + std::to_string(c->started) + "\n";
    }
    out +=
        "# HELP sluice_states_executions_ended_total Step Functions executions ended, by "
        "status\n";
    out += "# TYPE sluice_states_executions_ended_total counter\n";
    for (const auto& [type, c] : types) {
      for (auto [status, n] :
           {std::pair{"SUCCEEDED", c->succeeded}, std::pair{"FAILED", c->failed},
            std::pair{"TIMED_OUT", c->timed_out}, std::pair{"ABORTED", c->aborted}}) {
        out += "sluice_states_executions_ended_total{type=\"";
        out += type;
        out += "\",status=\"";
        out += status;
        out += "\"} " + std::to_string(n) + "\n";
      }
    }
    out += "# HELP sluice_states_executions_running Step Functions executions running now\n";
    out += "# TYPE sluice_states_executions_running gauge\n";
    for (const auto& [type, c] : types) {
      out += "sluice_states_executions_running{type=\"";
      out += type;
      out += "\"} " + std::to_string(c->running) + "\n";
    }
  });
}

}  // namespace sluice::server
