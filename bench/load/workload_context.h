// WorkloadContext: what every workload of one bench process shares: the queues it set up, the
// request builder and response parser of the loop thread, and the message bookkeeping that spans
// phases (a prefill's messages are consumed by the measured phase). Loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/load/seq_tracker.h"
#include "bench/load/sqs_request_builder.h"
#include "bench/load/sqs_response_parser.h"

namespace sluice::bench {

struct QueueSet {
  std::vector<std::string> names;
  std::vector<std::string> urls;  // filled by the setup phase
  bool fifo = false;
};

struct MessageLedger {
  uint32_t run_id = 0;    // random per process: tells this run's messages from leftovers
  uint64_t next_seq = 0;  // sequence numbers are unique across phases
  SeqTracker seqs;
};

struct WorkloadContext {
  SqsRequestBuilder* builder = nullptr;
  SqsResponseParser* parser = nullptr;
  QueueSet* queues = nullptr;
  MessageLedger* ledger = nullptr;
};

}  // namespace sluice::bench
