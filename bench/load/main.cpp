// sluice-bench: the load generator. Parses the command line, then runs three phases: setup
// (CreateQueue/GetQueueUrl, optional PurgeQueue; for the sfn-* workloads CreateStateMachine) and
// an optional unmeasured prefill once, on one libuv loop; then the measured workload on --threads
// worker loops (threaded_run.h); prints the report. Works against any SQS (or Step Functions)
// endpoint: nothing here knows about the Sluice server.
#include <csignal>
#include <cstdio>
#include <random>

#include "bench/load/bench_options.h"
#include "bench/load/load_runner.h"
#include "bench/load/report.h"
#include "bench/load/send_workload.h"
#include "bench/load/setup_workload.h"
#include "bench/load/sfn_workloads.h"
#include "bench/load/threaded_run.h"
#include "bench/load/trigger_workloads.h"
#include "bench/load/uv_loop.h"
#include "bench/load/workload_registry.h"

namespace sluice::bench {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSetup = 3;
constexpr int kExitInterrupted = 130;

void print_errors(const RunStats& stats) {
  for (const auto& [label, e] : stats.errors()) {
    std::fprintf(stderr, "  %s x%llu: %s\n", label.c_str(),
                 static_cast<unsigned long long>(e.count), e.first_detail.c_str());
  }
}

int run(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "sluice-bench: %s\n", parsed.failure().detail.c_str());
    return kExitUsage;
  }
  if (parsed->help) {
    std::fputs(help_text().c_str(), stdout);
    return kExitOk;
  }
  auto resolved = resolve_options(std::move(parsed).value());
  if (!resolved) {
    std::fprintf(stderr, "sluice-bench: %s\n", resolved.failure().detail.c_str());
    return kExitUsage;
  }
  const BenchOptions& o = *resolved;
  auto endpoint = parse_endpoint(o.endpoint);
  if (!endpoint) {
    std::fprintf(stderr, "sluice-bench: %s\n", endpoint.failure().detail.c_str());
    return kExitUsage;
  }
  auto address = resolve_endpoint(*endpoint);
  if (!address) {
    std::fprintf(stderr, "sluice-bench: %s\n", address.failure().detail.c_str());
    return kExitUsage;
  }

  std::signal(SIGPIPE, SIG_IGN);  // a server closing on us is an error to count, not to die of
  UvLoop loop;
  MessageLedger ledger;
  ledger.run_id = std::random_device{}();
  const bool sfn_workload = o.workload.rfind("sfn-", 0) == 0;
  const bool trigger_workload = o.workload == "trigger";
  QueueSet queues;
  queues.fifo = o.fifo;
  if (sfn_workload) {
    queues.names.push_back(o.queue_prefix + (o.workload == "sfn-sync-jsonata"
                                                 ? kSfnJsonataMachineSuffix
                                                 : kSfnMachineSuffix));
  } else if (trigger_workload) {
    queues.names.push_back(o.queue_prefix + kTriggerPipeSuffix);
  } else {
    for (uint32_t i = 0; i < o.queues; ++i) queues.names.push_back(queue_name(o, i));
  }
  SqsRequestBuilder builder(o.protocol, *endpoint, o.credentials, o.sign);
  SqsResponseParser parser(o.protocol);
  SfnRequestBuilder sfn(*endpoint, o.credentials, o.sign);
  PipesRequestBuilder pipes(*endpoint, o.credentials, o.sign);
  TriggerLedger trigger;
  trigger.pipe_batch_size = o.pipe_batch_size;
  const WorkloadContext context{&builder, &parser, &queues, &ledger, &sfn, &pipes, &trigger};

  RunConfig base;
  base.address = *address;
  base.timeout_s = o.timeout_s;

  // A setup phase (unmeasured, fail-fast): 0 when it succeeded, else the exit code.
  auto run_setup = [&](auto& setup) {
    RunConfig config = base;
    config.fail_fast = true;
    config.label = "setup";
    const RunResult r = LoadRunner(loop.get(), config).run(setup);
    if (r.reason == StopReason::kInterrupted) return kExitInterrupted;
    if (setup.failed() || r.reason != StopReason::kDone) {
      std::fprintf(stderr, "sluice-bench: setup failed against %s: %s\n", o.endpoint.c_str(),
                   setup.failed() ? setup.failure().c_str() : "no answer");
      print_errors(*r.stats);
      return kExitSetup;
    }
    return 0;
  };
  if (sfn_workload) {
    SfnSetupWorkload setup(context, o.workload == "sfn-sync-jsonata");
    if (int rc = run_setup(setup)) return rc;
  } else {
    SetupWorkload setup(context, o.create_queues, o.purge);
    if (int rc = run_setup(setup)) return rc;
    for (const std::string& w : setup.warnings())
      std::fprintf(stderr, "sluice-bench: %s\n", w.c_str());
  }
  if (trigger_workload) {
    TriggerSetupWorkload setup(context, o.credentials.region, ledger.run_id);
    if (int rc = run_setup(setup)) return rc;
  }

  if (*o.prefill > 0) {
    const ProducerSettings settings{10, o.body_size, o.fifo, o.groups, *o.prefill};
    SendWorkload prefill(context, settings, o.connections);
    RunConfig config = base;
    config.pipeline = o.pipeline;
    config.progress = o.progress;
    config.label = "prefill";
    const RunResult r = LoadRunner(loop.get(), config).run(prefill);
    if (r.reason == StopReason::kInterrupted) return kExitInterrupted;
    std::fprintf(stderr, "sluice-bench: prefilled %llu messages in %.2f s\n",
                 static_cast<unsigned long long>(r.stats->messages().sent), r.elapsed_s);
    if (r.stats->total_errors() > 0) {
      std::fprintf(stderr, "sluice-bench: prefill errors:\n");
      print_errors(*r.stats);
    }
  }

  RunConfig config = base;
  config.pipeline = o.pipeline;
  config.rate = o.rate;
  config.duration_s = o.duration_s;
  config.warmup_s = o.warmup_s;
  config.progress = o.progress;
  config.label = o.workload;
  const RunResult result =
      run_threaded(o, *endpoint, config, queues, ledger, trigger_workload ? &trigger : nullptr);
  if (trigger_workload) {
    // The executions the messages started, read back once the run is over (unmeasured).
    TriggerCollectWorkload collect(context, *result.stats, o.timeout_s);
    RunConfig c = base;
    c.label = "collect";
    const RunResult r = LoadRunner(loop.get(), c).run(collect);
    if (r.reason == StopReason::kInterrupted) return kExitInterrupted;
    if (r.stats->total_errors() > 0) {
      std::fprintf(stderr, "sluice-bench: collecting the executions:\n");
      print_errors(*r.stats);
    }
  }
  if (o.json_output) {
    std::printf("%s\n", report_json(o, result).c_str());
  } else {
    print_report_table(stdout, o, result);
  }
  return result.stats->total_errors() > 0 ? kExitErrors : kExitOk;
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  return sluice::bench::run(argc, argv);
}
