// MetricsEndpoint: what GET /metrics shows, in Prometheus text format: SQS, Step Functions and
// Pipes requests by action and status, Step Functions executions by type and outcome, messages
// sent/received/deleted/expired, queue depths, each pipe's counters (pipe_metrics.cpp), commit
// batch sizes and commit latency, and the HTTP server's own counters. Request counts are fed on the
// loop thread; commit observations arrive on the committer thread (the registry's atomics).
// render(): loop thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "broker/http/server.h"
#include "broker/metrics/registry.h"
#include "broker/pipes/api/pipes_request.h"
#include "broker/pipes/pipe_catalog.h"
#include "broker/sqs/api/action.h"
#include "broker/states/executions/execution_stats.h"
#include "storage/group_committer.h"
#include "storage/queue/queue_store.h"

namespace sluice::server {

class MetricsEndpoint {
 public:
  MetricsEndpoint(storage::QueueStore& store, storage::GroupCommitter& committer);
  void attach_http(const http::Server& server);
  void count_request(std::optional<sqs::Action> action, int status);
  // A Step Functions request (StatesRequestObserver); action "" when the action is unknown.
  void count_states_request(std::string_view action, int status);
  // Step Functions executions by type: started and ended (counters), running (gauge).
  void attach_states(std::function<states::ExecutionStats()> stats);
  // A Pipes request (PipesRequestObserver); action "unknown" when it did not decode.
  void count_pipes_request(std::optional<pipes::PipesAction> action, int status);
  // Each pipe: messages consumed / filtered out / failed, batches, executions started,
  // invocations, batches in flight, the age of the oldest message waiting in its source queue,
  // and whether it runs (pipe_metrics.cpp).
  void attach_pipes(const pipes::PipeCatalog& catalog, storage::QueueStore& store);
  std::string render() const { return registry_.render(); }

 private:
  metrics::Registry registry_;
  metrics::CounterFamily& requests_;
  std::unordered_map<uint32_t, metrics::Counter*> request_counters_;  // (action, status) -> child
  metrics::CounterFamily& states_requests_;
  std::unordered_map<std::string, metrics::Counter*> states_counters_;  // "action status" -> child
  metrics::CounterFamily& pipes_requests_;
  std::unordered_map<uint32_t, metrics::Counter*> pipes_counters_;  // (action, status) -> child
};

}  // namespace sluice::server
