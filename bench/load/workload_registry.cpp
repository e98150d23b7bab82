#include "bench/load/workload_registry.h"

#include <algorithm>
#include <array>

#include "bench/load/cycle_workload.h"
#include "bench/load/receive_delete_workload.h"
#include "bench/load/send_workload.h"
#include "bench/load/sfn_workloads.h"
#include "bench/load/trigger_workloads.h"

namespace sluice::bench {
namespace {

// Bodies below this size carry no header (message_body.h): the cycle cannot account for them.
constexpr uint32_t kMinTrackedBody = 64;

ProducerSettings producer_settings(const BenchOptions& o, uint64_t budget) {
  return ProducerSettings{*o.batch_size, o.body_size, o.fifo, o.groups, budget};
}

ConsumerSettings consumer_settings(const BenchOptions& o, bool end_to_end) {
  return ConsumerSettings{*o.batch_size, *o.wait_seconds, o.visibility_timeout, end_to_end};
}

std::string resolve_send(BenchOptions&) {
  return {};
}

std::string resolve_send_batch(BenchOptions& o) {
  if (!o.batch_size) o.batch_size = 10;
  return {};
}

std::string resolve_fifo(BenchOptions& o) {
  o.fifo = true;
  return {};
}

std::string resolve_receive_delete(BenchOptions& o) {
  if (!o.prefill) o.prefill = o.messages;
  return {};
}

std::string resolve_cycle(BenchOptions& o) {
  const uint32_t half = std::max<uint32_t>(o.connections / 2, 1);
  if (!o.producers) o.producers = half;
  if (!o.consumers) o.consumers = half;
  if (*o.producers == 0 || *o.consumers == 0) return "needs at least one producer and one consumer";
  if (o.messages != 0 && o.body_size < kMinTrackedBody) {
    return "--messages needs --body-size >= " + std::to_string(kMinTrackedBody) +
           " (bodies carry the sequence number the cycle accounts by)";
  }
  return {};
}

std::string resolve_long_poll(BenchOptions& o) {
  if (!o.wait_seconds) o.wait_seconds = 20;
  return resolve_cycle(o);
}

std::unique_ptr<Workload> make_send(const BenchOptions& o, const WorkloadContext& c) {
  return std::make_unique<SendWorkload>(c, producer_settings(o, o.messages), o.connections);
}

std::unique_ptr<Workload> make_receive_delete(const BenchOptions& o, const WorkloadContext& c) {
  return std::make_unique<ReceiveDeleteWorkload>(c, consumer_settings(o, false), o.connections,
                                                 o.messages);
}

std::unique_ptr<Workload> make_cycle(const BenchOptions& o, const WorkloadContext& c) {
  return std::make_unique<CycleWorkload>(c, producer_settings(o, o.messages),
                                         consumer_settings(o, true), *o.producers, *o.consumers);
}

std::string resolve_sfn(BenchOptions& o) {
  if (o.fifo || o.queues != 1) return "takes neither --fifo nor --queues";
  return {};
}

std::unique_ptr<Workload> make_sfn_sync(const BenchOptions& o, const WorkloadContext& c) {
  return std::make_unique<SfnSyncWorkload>(c, o.connections, o.messages);
}

std::string resolve_trigger(BenchOptions& o) {
  if (o.fifo || o.queues != 1) return "takes neither --fifo nor --queues";
  return {};
}

std::unique_ptr<Workload> make_trigger(const BenchOptions& o, const WorkloadContext& c) {
  return std::make_unique<TriggerWorkload>(c, producer_settings(o, o.messages), o.connections);
}

constexpr std::array kWorkloads = {
    WorkloadInfo{"send", "SendMessage (SendMessageBatch with --batch-size > 1)", &resolve_send,
                 &make_send},
    WorkloadInfo{"send-batch", "SendMessageBatch, 10 entries unless --batch-size says otherwise",
                 &resolve_send_batch, &make_send},
    WorkloadInfo{"receive-delete",
                 "ReceiveMessage + DeleteMessage (DeleteMessageBatch with --batch-size > 1) of "
                 "prefilled messages",
                 &resolve_receive_delete, &make_receive_delete},
    WorkloadInfo{"cycle", "producers send, consumers receive+delete; reports send->receive latency",
                 &resolve_cycle, &make_cycle},
    WorkloadInfo{"fifo", "send to NAME.fifo queues with --groups message groups (= send --fifo)",
                 &resolve_fifo, &make_send},
    WorkloadInfo{"long-poll", "cycle whose consumers long-poll (--wait-seconds, default 20)",
                 &resolve_long_poll, &make_cycle},
    WorkloadInfo{"sfn-sync",
                 "Step Functions: StartSyncExecution of an EXPRESS Pass -> Choice -> Map(3 x "
                 "Pass) -> Succeed machine; --messages = executions",
                 &resolve_sfn, &make_sfn_sync},
    WorkloadInfo{"sfn-sync-jsonata",
                 "sfn-sync with the same machine written in JSONata (Output, Condition, Items "
                 "expressions)",
                 &resolve_sfn, &make_sfn_sync},
    WorkloadInfo{"trigger",
                 "send to a queue piped (EventBridge Pipes) to a STANDARD Pass state machine; "
                 "reports executions started/s and send-ack -> ExecutionStarted latency",
                 &resolve_trigger, &make_trigger},
};

}  // namespace

std::span<const WorkloadInfo> workload_registry() {
  return kWorkloads;
}

const WorkloadInfo* find_workload(std::string_view name) {
  for (const WorkloadInfo& w : kWorkloads) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

Outcome<BenchOptions> resolve_options(BenchOptions o) {
  const WorkloadInfo* workload = find_workload(o.workload);
  if (!workload) return make_failure("usage", "unknown workload " + o.workload);
  if (const std::string err = workload->resolve(o); !err.empty()) {
    return make_failure("usage", "--workload " + o.workload + ": " + err);
  }
  if (!o.batch_size) o.batch_size = 1;
  if (!o.wait_seconds) o.wait_seconds = 0;
  if (!o.producers) o.producers = 0;
  if (!o.consumers) o.consumers = 0;
  if (!o.prefill) o.prefill = 0;
  if (o.duration_s == 0 && o.messages == 0) o.duration_s = 10;
  // Every worker needs a connection of each kind, and a budget of its own (0 would mean none).
  if (o.threads > o.connections) return make_failure("usage", "--threads exceeds --connections");
  if (*o.producers > 0 && (o.threads > *o.producers || o.threads > *o.consumers)) {
    return make_failure("usage", "--threads exceeds --producers or --consumers");
  }
  if (o.messages != 0 && o.messages < o.threads) {
    return make_failure("usage", "--messages must be at least --threads");
  }
  return o;
}

}  // namespace sluice::bench
