// LoadRunner end to end against FakeSqsServer on loopback: closed and open loop, pipelining, both
// protocols, the cycle, and failures (wrong MD5s, dropped connections, refused connections,
// silence).
#include "bench/load/load_runner.h"

#include <gtest/gtest.h>

#include <csignal>

#include "bench/load/cycle_workload.h"
#include "bench/load/receive_delete_workload.h"
#include "bench/load/send_workload.h"
#include "bench/load/setup_workload.h"
#include "bench/load/uv_loop.h"
#include "tests/bench/fake_sqs_server.h"

namespace sluice::bench {
namespace {

using testing::FakeBehaviour;
using testing::FakeSqsServer;

class Harness {
 public:
  Harness(const std::string& endpoint, Protocol protocol, uint32_t queue_count = 1,
          bool sign = true)
      : builder_(protocol, parse_endpoint(endpoint).value(), Credentials{}, sign),
        parser_(protocol) {
    std::signal(SIGPIPE, SIG_IGN);
    address_ = resolve_endpoint(parse_endpoint(endpoint).value()).value();
    for (uint32_t i = 0; i < queue_count; ++i)
      queues_.names.push_back("bench-" + std::to_string(i));
    ledger_.run_id = 4242;
    context_ = WorkloadContext{&builder_, &parser_, &queues_, &ledger_};
  }

  RunConfig config() const {
    RunConfig c;
    c.address = address_;
    c.timeout_s = 5;
    return c;
  }

  RunResult run(Workload& workload, RunConfig c) {
    return LoadRunner(loop_.get(), c).run(workload);
  }

  bool setup(std::string* failure = nullptr) {
    SetupWorkload setup(context_, true, false);
    RunConfig c = config();
    c.fail_fast = true;
    const RunResult r = run(setup, c);
    if (failure) *failure = setup.failure();
    return !setup.failed() && r.reason == StopReason::kDone;
  }

  const WorkloadContext& context() const { return context_; }
  MessageLedger& ledger() { return ledger_; }
  QueueSet& queues() { return queues_; }

 private:
  UvLoop loop_;
  SqsRequestBuilder builder_;
  SqsResponseParser parser_;
  sockaddr_storage address_{};
  QueueSet queues_;
  MessageLedger ledger_;
  WorkloadContext context_;
};

uint64_t errors(const RunStats& s, std::string_view label) {
  auto it = s.errors().find(label);
  return it == s.errors().end() ? 0 : it->second.count;
}

TEST(LoadRunner, SetupCreatesQueuesAndRecordsUrls) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kJson, 3);
  ASSERT_TRUE(h.setup());
  ASSERT_EQ(h.queues().urls.size(), 3u);
  EXPECT_EQ(h.queues().urls[2], server.endpoint() + "/000000000000/bench-2");
}

TEST(LoadRunner, ClosedLoopSendWithPipeliningDeliversTheBudget) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kJson, 2);
  ASSERT_TRUE(h.setup());
  SendWorkload workload(h.context(), ProducerSettings{1, 200, false, 1, 2000}, 4);
  RunConfig c = h.config();
  c.pipeline = 8;
  const RunResult r = h.run(workload, c);
  EXPECT_EQ(r.reason, StopReason::kDone);
  EXPECT_EQ(r.stats->messages().sent, 2000u);
  EXPECT_EQ(r.stats->total_errors(), 0u);
  EXPECT_EQ(r.stats->action(ApiAction::kSendMessage).responses, 2000u);
  EXPECT_EQ(r.stats->action(ApiAction::kSendMessage).latency.count(), 2000u);
  EXPECT_GT(r.elapsed_s, 0);
  EXPECT_EQ(server.stored_messages(), 2000u);
  EXPECT_GT(server.max_requests_per_read(), 1u) << "requests were pipelined";
  EXPECT_EQ(server.connections_accepted(), 1u + 4u) << "setup + 4 keep-alive connections";
}

TEST(LoadRunner, QueryProtocolCycleReceivesEverythingOnce) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kQuery, 2);
  ASSERT_TRUE(h.setup());
  CycleWorkload workload(h.context(), ProducerSettings{5, 300, false, 1, 1000},
                         ConsumerSettings{5, 0, -1, true}, 2, 3);
  RunConfig c = h.config();
  c.pipeline = 2;
  const RunResult r = h.run(workload, c);
  ASSERT_EQ(r.reason, StopReason::kDone);
  const MessageCounters& m = r.stats->messages();
  EXPECT_EQ(m.sent, 1000u);
  EXPECT_EQ(m.received, 1000u);
  EXPECT_EQ(m.deleted, 1000u);
  EXPECT_EQ(m.redelivered, 0u);
  EXPECT_EQ(r.stats->total_errors(), 0u) << r.stats->errors().begin()->first;
  EXPECT_EQ(r.stats->end_to_end().count(), 1000u);
  EXPECT_GT(r.stats->action(ApiAction::kSendMessageBatch).responses, 0u);
  EXPECT_GT(r.stats->action(ApiAction::kDeleteMessageBatch).responses, 0u);
  EXPECT_EQ(h.ledger().seqs.missing(), 0u);
}

TEST(LoadRunner, ReceiveDeleteDrainsAPrefilledQueue) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kJson);
  ASSERT_TRUE(h.setup());
  SendWorkload prefill(h.context(), ProducerSettings{10, 100, false, 1, 500}, 2);
  ASSERT_EQ(h.run(prefill, h.config()).stats->messages().sent, 500u);
  ReceiveDeleteWorkload workload(h.context(), ConsumerSettings{1, 0, -1, false}, 3, 500);
  const RunResult r = h.run(workload, h.config());
  EXPECT_EQ(r.reason, StopReason::kDone);
  EXPECT_EQ(r.stats->messages().received, 500u);
  EXPECT_EQ(r.stats->messages().deleted, 500u);
  EXPECT_EQ(r.stats->action(ApiAction::kDeleteMessage).responses, 500u);
  EXPECT_EQ(r.stats->total_errors(), 0u);
}

TEST(LoadRunner, WrongMd5sAreCountedNotHidden) {
  FakeSqsServer server(FakeBehaviour{.wrong_send_md5_every = 10});
  Harness h(server.endpoint(), Protocol::kJson);
  ASSERT_TRUE(h.setup());
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 300}, 2);
  const RunResult r = h.run(workload, h.config());
  EXPECT_EQ(errors(*r.stats, "md5-mismatch"), 30u);
  EXPECT_EQ(r.stats->messages().sent, 270u);
}

// Timing tests use deep pipelines so that the schedule, not the (possibly loaded) machine, decides
// how many requests go out.
TEST(LoadRunner, OpenLoopKeepsTheRateAndMeasuresFromIntendedTime) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kJson);
  ASSERT_TRUE(h.setup());
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 0}, 4);
  RunConfig c = h.config();
  c.pipeline = 64;
  c.rate = 500;
  c.duration_s = 1.0;
  const RunResult r = h.run(workload, c);
  EXPECT_EQ(r.reason, StopReason::kDuration);
  EXPECT_NEAR(static_cast<double>(r.stats->total_responses()), 500, 50);
  EXPECT_EQ(r.stats->total_errors(), 0u);
  EXPECT_EQ(r.stats->send_lag().count(), r.stats->total_responses());
  EXPECT_LT(r.stats->send_lag().percentile(50), 5000u) << "requests leave on their schedule";
}

TEST(LoadRunner, OpenLoopLatencyIncludesTimeWaitingForAConnection) {
  // One connection, no pipelining, a silent server: request 0 goes out, the rest wait. When the
  // timeout frees the connection, each waiting request's latency counts from its intended time.
  FakeSqsServer server(FakeBehaviour{.black_hole = true});
  Harness h(server.endpoint(), Protocol::kJson);
  h.queues().urls = {server.endpoint() + "/000000000000/bench-0"};
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 0}, 1);
  RunConfig c = h.config();
  c.rate = 100;
  c.duration_s = 0.5;
  c.timeout_s = 0.2;
  const RunResult r = h.run(workload, c);
  EXPECT_GT(r.stats->send_lag().max(), 100'000u) << "queued behind a stuck request for > 100 ms";
  EXPECT_GE(errors(*r.stats, "timeout"), 1u);
}

TEST(LoadRunner, WarmupIsNotMeasured) {
  FakeSqsServer server;
  Harness h(server.endpoint(), Protocol::kJson);
  ASSERT_TRUE(h.setup());
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 0}, 2);
  RunConfig c = h.config();
  c.pipeline = 64;
  c.rate = 400;
  c.warmup_s = 0.5;
  c.duration_s = 0.5;
  const RunResult r = h.run(workload, c);
  EXPECT_NEAR(r.elapsed_s, 0.5, 0.15);
  EXPECT_NEAR(static_cast<double>(r.stats->messages().sent), 200, 40);
  EXPECT_GT(server.stored_messages(), 350u) << "warm-up traffic happened";
}

TEST(LoadRunner, DroppedConnectionsLoseOnlyInFlightRequestsAndReconnect) {
  FakeSqsServer server(FakeBehaviour{.close_after_requests = 50});
  Harness h(server.endpoint(), Protocol::kJson);
  ASSERT_TRUE(h.setup());
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 1000}, 2);
  RunConfig c = h.config();
  c.pipeline = 4;
  const RunResult r = h.run(workload, c);
  EXPECT_EQ(r.reason, StopReason::kDone);
  // Requests pipelined behind the Connection: close answer are lost: "connection-closed" when the
  // close is seen first, "connection-reset" when a write hits the closed socket first.
  const uint64_t lost =
      errors(*r.stats, "connection-closed") + errors(*r.stats, "connection-reset");
  EXPECT_GT(server.connections_accepted(), 20u) << "reconnected after every close";
  EXPECT_EQ(r.stats->messages().sent + lost, 1000u) << "every message is either sent or an error";
  EXPECT_EQ(r.stats->total_errors(), lost);
}

TEST(LoadRunner, RefusedConnectionFailsSetupFast) {
  uint16_t dead_port;
  {
    FakeSqsServer server;
    dead_port = server.port();
  }
  Harness h("http://127.0.0.1:" + std::to_string(dead_port), Protocol::kJson);
  EXPECT_FALSE(h.setup());
}

TEST(LoadRunner, SilentServerTimesOut) {
  FakeSqsServer server(FakeBehaviour{.black_hole = true});
  Harness h(server.endpoint(), Protocol::kJson);
  h.queues().urls = {server.endpoint() + "/000000000000/bench-0"};  // skip setup: it would hang
  SendWorkload workload(h.context(), ProducerSettings{1, 100, false, 1, 0}, 2);
  RunConfig c = h.config();
  c.timeout_s = 0.3;
  c.duration_s = 1.0;
  const RunResult r = h.run(workload, c);
  EXPECT_GE(errors(*r.stats, "timeout"), 2u);
  EXPECT_EQ(r.stats->messages().sent, 0u);
  EXPECT_EQ(r.stats->total_responses(), 0u);
}

TEST(LoadRunner, SetupFailureNamesTheAwsErrorCode) {
  FakeSqsServer server(FakeBehaviour{.reject_unsigned = true});
  Harness signed_harness(server.endpoint(), Protocol::kJson);
  EXPECT_TRUE(signed_harness.setup()) << "requests carry an Authorization header";
  Harness unsigned_harness(server.endpoint(), Protocol::kQuery, 1, false);
  std::string failure;
  EXPECT_FALSE(unsigned_harness.setup(&failure));
  EXPECT_NE(failure.find("CreateQueue bench-0: MissingAuthenticationToken"), std::string::npos)
      << failure;
}

}  // namespace
}  // namespace sluice::bench
