// The measured phase with --threads N: N worker threads, each with its own libuv loop, request
// builder, response parser and LoadRunner, run their own instance of the workload on an even
// share of the connections, producers, consumers, --rate and --messages. The queues and the
// message ledger are shared (a message may be received by another thread than its sender). The
// main thread prints the summed progress line once a second and, after joining the workers,
// merges their results into one. With N = 1 the workload runs on the calling thread, as before.
#pragma once

#include <cstdint>
#include <vector>

#include "bench/load/bench_options.h"
#include "bench/load/endpoint.h"
#include "bench/load/load_runner.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

// Share `index` of `total` split into `parts` (the first total % parts shares get one more).
uint64_t even_share(uint64_t total, uint32_t parts, uint32_t index);

// The options worker `index` of options.threads runs with: its share of --connections,
// --producers, --consumers, --messages and --rate.
BenchOptions worker_options(const BenchOptions& options, uint32_t index);

// One result from the workers': stats summed, the longest measured time, the most serious stop
// reason (interrupted > failed > stalled > duration > done), cancelled long polls summed.
RunResult merge_results(std::vector<RunResult> results);

// Runs options.workload on options.threads threads. `config` carries the address, timeouts,
// pipeline, duration, warm-up, progress and label; its rate is the total and gets split.
// `trigger` is the trigger workload's shared ledger (null for the others).
RunResult run_threaded(const BenchOptions& options, const Endpoint& endpoint,
                       const RunConfig& config, QueueSet& queues, MessageLedger& ledger,
                       TriggerLedger* trigger = nullptr);

}  // namespace sluice::bench
