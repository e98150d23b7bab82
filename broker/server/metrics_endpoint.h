// MetricsEndpoint: what GET /metrics shows, in Prometheus text format: requests by action and
// status, messages sent/received/deleted/expired, queue depths, commit batch sizes and commit
// latency, and the HTTP server's own counters. Request counts are fed on the loop thread; commit
// observations arrive on the committer thread (the registry's atomics). render(): loop thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "broker/http/server.h"
#include "broker/metrics/registry.h"
#include "broker/sqs/api/action.h"
#include "storage/group_committer.h"
#include "storage/queue/queue_store.h"

namespace sluice::server {

class MetricsEndpoint {
 public:
  MetricsEndpoint(storage::QueueStore& store, storage::GroupCommitter& committer);
  void attach_http(const http::Server& server);
  void count_request(std::optional<sqs::Action> action, int status);
  std::string render() const { return registry_.render(); }

 private:
  metrics::Registry registry_;
  metrics::CounterFamily& requests_;
  std::unordered_map<uint32_t, metrics::Counter*> request_counters_;  // (action, status) -> child
};

}  // namespace sluice::server
