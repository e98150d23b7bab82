// MetricsEndpoint, the Pipes part: API requests, and each pipe's counters and gauges.
#include <cstdio>

#include "broker/metrics/text_format.h"
#include "broker/server/metrics_endpoint.h"

namespace sluice::server {

namespace {

struct PipeSeries {
  const char* name;
  const char* help;
  const char* type;
};

void append_sample(std::string& out, const char* name, const std::string& pipe, double value) {
  out += name;
  out += "{pipe=\"";
  metrics::append_label_value(out, pipe);
  out += "\"} ";
  metrics::append_value(out, value);
  out += '\n';
}

}  // namespace

void MetricsEndpoint::count_pipes_request(std::optional<pipes::PipesAction> action, int status) {
  const uint32_t a = action ? static_cast<uint32_t>(*action) : 0xffff;
  const uint32_t key = (a << 16) | static_cast<uint32_t>(status);
  auto it = pipes_counters_.find(key);
  if (it == pipes_counters_.end()) {
    std::string name = action ? std::string(pipes::action_name(*action)) : "unknown";
    metrics::Counter& c = pipes_requests_.with({name, std::to_string(status)});
    it = pipes_counters_.emplace(key, &c).first;
  }
  it->second->inc();
}

void MetricsEndpoint::attach_pipes(const pipes::PipeCatalog& catalog, storage::QueueStore& store) {
  registry_.add_collector([&catalog, &store](std::string& out) {
    static const PipeSeries kSeries[] = {
        {"sluice_pipe_messages_consumed_total",
         "Messages a pipe took from its source and removed (delivered or filtered out)", "counter"},
        {"sluice_pipe_messages_filtered_total", "Messages that matched none of a pipe's filters",
         "counter"},
        {"sluice_pipe_messages_failed_total",
         "Messages a pipe gave back after a failed delivery (their receive counted)", "counter"},
        {"sluice_pipe_batches_total", "Batches a pipe handed to its enrichment or target",
         "counter"},
        {"sluice_pipe_batches_failed_total", "Batches that failed, wholly or in part", "counter"},
        {"sluice_pipe_executions_started_total", "Executions a pipe's state machine target started",
         "counter"},
        {"sluice_pipe_invocations_total", "Calls a pipe made to its Lambda or SQS target",
         "counter"},
        {"sluice_pipe_batches_in_flight", "Batches handed off and not yet settled", "gauge"},
        {"sluice_pipe_oldest_message_age_seconds",
         "Age of the oldest message waiting in the pipe's source queue", "gauge"},
        {"sluice_pipe_running", "1 while the pipe consumes its source", "gauge"},
    };
    std::vector<std::string> bodies(std::size(kSeries));
    const int64_t now_ms = storage::QueueStore::system_now_ms();
    catalog.for_each([&](const pipes::PipeCatalog::PipeFacts& p) {
      const auto& s = p.stats;
      const std::string& name = p.status.name;
      const double values[] = {
          static_cast<double>(s.messages_consumed),
          static_cast<double>(s.messages_filtered),
          static_cast<double>(s.messages_failed),
          static_cast<double>(s.batches),
          static_cast<double>(s.batches_failed),
          static_cast<double>(s.executions_started),
          static_cast<double>(s.invocations),
          static_cast<double>(s.batches_in_flight),
          0.0,
          p.status.current_state == pipes::CurrentState::kRunning ? 1.0 : 0.0,
      };
      for (std::size_t i = 0; i < std::size(kSeries); ++i) {
        double v = values[i];
        if (i == 8) {
          auto sent = store.oldest_sent_ms(p.source_queue);
          v = sent && *sent < now_ms ? static_cast<double>(now_ms - *sent) / 1000.0 : 0.0;
        }
        append_sample(bodies[i], kSeries[i].name, name, v);
      }
    });
    for (std::size_t i = 0; i < std::size(kSeries); ++i) {
      out += "# HELP ";
      out += kSeries[i].name;
      out += ' ';
      out += kSeries[i].help;
      out += "\n# TYPE ";
      out += kSeries[i].name;
      out += ' ';
      out += kSeries[i].type;
      out += '\n';
      out += bodies[i];
    }
  });
}

}  // namespace sluice::server
