// WorkloadContext: what every workload of one bench process shares: the queues it set up, the
// request builder and response parser of the loop thread, and the message bookkeeping that spans
// phases (a prefill's messages are consumed by the measured phase). With --threads the queues and
// the ledger are shared by every worker (the queues are read-only once set up; the ledger is
// thread-safe); builder and parser belong to one loop thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/load/pipes_request_builder.h"
#include "bench/load/seq_tracker.h"
#include "bench/load/sfn_request_builder.h"
#include "bench/load/sqs_request_builder.h"
#include "bench/load/sqs_response_parser.h"

namespace sluice::bench {

// The resources a run set up: SQS queues (name -> QueueUrl) or, for the sfn-* workloads, the
// state machine it created (name -> state machine ARN).
struct QueueSet {
  std::vector<std::string> names;
  std::vector<std::string> urls;  // filled by the setup phase
  bool fifo = false;
};

struct MessageLedger {
  uint32_t run_id = 0;  // random per process: tells this run's messages from leftovers
  std::atomic<uint64_t> next_seq{0};  // sequence numbers are unique across phases and threads
  SeqTracker seqs;
  // Workload instances of the running phase that have not finished yet. Losses can only be judged
  // by the last one to finish: before that, another thread may still receive the messages.
  std::atomic<uint32_t> unfinished{0};
  // Producers of the running phase whose budget is not yet settled. A consumer may judge "every
  // acknowledged message came back" only once this is 0: while another thread's sends are still
  // unanswered, a message can be received before its acknowledgement is counted.
  std::atomic<uint32_t> producing{0};

  // True for the caller that finishes last (and for a lone workload, where unfinished is 0).
  bool finish_one() { return count_down(unfinished) <= 1; }
  // One producer has settled (a lone workload's count is 0 and stays there).
  void settle_one() { count_down(producing); }

 private:
  // Decrements a count that may already be 0; returns the value before.
  static uint32_t count_down(std::atomic<uint32_t>& count) {
    uint32_t n = count.load();
    while (n > 0 && !count.compare_exchange_weak(n, n - 1)) {
    }
    return n;
  }
};

// The trigger workload's shared facts: what setup created, and when each message this run sent was
// acknowledged (wall clock, to compare with the ExecutionStarted time the server reports).
struct TriggerLedger {
  std::string queue_arn;
  std::string machine_arn;
  std::string pipe_name;
  uint32_t pipe_batch_size = 1;
  std::mutex mu;
  std::unordered_map<std::string, int64_t> acked_us;  // message id -> acknowledged at (epoch us)
  int64_t measure_start_us = 0;                       // first worker to start measuring
  int64_t measure_end_us = 0;                         // last worker to finish

  void acknowledged(std::string_view message_id, int64_t at_us) {
    std::lock_guard<std::mutex> lock(mu);
    acked_us.emplace(std::string(message_id), at_us);
  }
  void measuring(int64_t at_us) {
    std::lock_guard<std::mutex> lock(mu);
    if (measure_start_us == 0 || at_us < measure_start_us) measure_start_us = at_us;
  }
  void finished(int64_t at_us) {
    std::lock_guard<std::mutex> lock(mu);
    if (at_us > measure_end_us) measure_end_us = at_us;
  }
};

struct WorkloadContext {
  SqsRequestBuilder* builder = nullptr;
  SqsResponseParser* parser = nullptr;
  QueueSet* queues = nullptr;
  MessageLedger* ledger = nullptr;
  SfnRequestBuilder* sfn = nullptr;      // the sfn-* workloads' requests
  PipesRequestBuilder* pipes = nullptr;  // the trigger workload's pipe
  TriggerLedger* trigger = nullptr;
};

}  // namespace sluice::bench
