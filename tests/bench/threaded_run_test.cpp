// run_threaded end to end against FakeSqsServer: two worker threads share the work and the totals
// of the merged report are exact.
#include "bench/load/threaded_run.h"

#include <gtest/gtest.h>

#include <csignal>

#include "bench/load/setup_workload.h"
#include "bench/load/uv_loop.h"
#include "bench/load/workload_registry.h"
#include "tests/bench/fake_sqs_server.h"

namespace sluice::bench {
namespace {

using testing::FakeSqsServer;

class ThreadedHarness {
 public:
  ThreadedHarness(const FakeSqsServer& server, BenchOptions options)
      : endpoint_(parse_endpoint(server.endpoint()).value()) {
    std::signal(SIGPIPE, SIG_IGN);
    options.endpoint = server.endpoint();
    options.progress = false;
    options_ = resolve_options(std::move(options)).value();
    ledger_.run_id = 77;
    for (uint32_t i = 0; i < options_.queues; ++i) queues_.names.push_back(queue_name(options_, i));
    config_.address = resolve_endpoint(endpoint_).value();
    config_.timeout_s = 5;
  }

  bool setup() {
    UvLoop loop;
    SqsRequestBuilder builder(options_.protocol, endpoint_, options_.credentials, true);
    SqsResponseParser parser(options_.protocol);
    SetupWorkload setup(WorkloadContext{&builder, &parser, &queues_, &ledger_}, true, false);
    RunConfig c = config_;
    c.fail_fast = true;
    const RunResult r = LoadRunner(loop.get(), c).run(setup);
    return !setup.failed() && r.reason == StopReason::kDone;
  }

  RunResult run() {
    RunConfig c = config_;
    c.pipeline = options_.pipeline;
    c.duration_s = options_.duration_s;
    c.progress = true;  // exercises the board; the workers publish, this thread prints
    c.label = options_.workload;
    return run_threaded(options_, endpoint_, c, queues_, ledger_);
  }

  MessageLedger& ledger() { return ledger_; }

 private:
  Endpoint endpoint_;
  BenchOptions options_;
  RunConfig config_;
  QueueSet queues_;
  MessageLedger ledger_;
};

TEST(ThreadedRun, TwoThreadsSendExactlyTheMessageBudget) {
  FakeSqsServer server;
  BenchOptions o;
  o.threads = 2;
  o.connections = 5;
  o.pipeline = 4;
  o.messages = 2001;  // odd: one thread sends one more
  o.queues = 2;
  ThreadedHarness h(server, o);
  ASSERT_TRUE(h.setup());
  const RunResult r = h.run();
  EXPECT_EQ(r.reason, StopReason::kDone);
  EXPECT_EQ(r.stats->total_errors(), 0u);
  EXPECT_EQ(r.stats->messages().sent, 2001u);
  EXPECT_EQ(r.stats->action(ApiAction::kSendMessage).responses, 2001u);
  EXPECT_EQ(r.stats->all_latency().count(), 2001u);
  EXPECT_EQ(server.stored_messages(), 2001u);
  EXPECT_EQ(server.connections_accepted(), 1u + 5u) << "setup + 5 connections over 2 threads";
  EXPECT_GT(r.elapsed_s, 0);
}

TEST(ThreadedRun, TwoThreadCycleReceivesEverySentMessageOnce) {
  FakeSqsServer server;
  BenchOptions o;
  o.workload = "cycle";
  o.threads = 2;
  o.connections = 6;
  o.messages = 1500;
  o.batch_size = 5;
  o.body_size = 200;
  ThreadedHarness h(server, o);
  ASSERT_TRUE(h.setup());
  const RunResult r = h.run();
  ASSERT_EQ(r.reason, StopReason::kDone);
  const MessageCounters& m = r.stats->messages();
  EXPECT_EQ(m.sent, 1500u);
  EXPECT_EQ(m.received, 1500u);
  EXPECT_EQ(m.deleted, 1500u);
  EXPECT_EQ(m.redelivered, 0u);
  EXPECT_EQ(m.other_run, 0u);
  EXPECT_EQ(r.stats->total_errors(), 0u) << r.stats->errors().begin()->first;
  EXPECT_EQ(r.stats->end_to_end().count(), 1500u);
  EXPECT_EQ(h.ledger().seqs.missing(), 0u);
  EXPECT_EQ(server.stored_messages(), 1500u) << "stored once each: no thread sent twice";
}

TEST(ThreadedRun, TwoThreadsForADurationBothCount) {
  FakeSqsServer server;
  BenchOptions o;
  o.threads = 2;
  o.connections = 2;
  o.duration_s = 0.5;
  ThreadedHarness h(server, o);
  ASSERT_TRUE(h.setup());
  const RunResult r = h.run();
  EXPECT_EQ(r.reason, StopReason::kDuration);
  EXPECT_EQ(r.stats->total_errors(), 0u);
  EXPECT_GT(r.stats->messages().sent, 0u);
  EXPECT_EQ(r.stats->messages().sent, server.stored_messages());
  EXPECT_EQ(r.stats->messages().sent, r.stats->action(ApiAction::kSendMessage).responses);
}

}  // namespace
}  // namespace sluice::bench
