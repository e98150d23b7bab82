// RunStats::merge and merge_results: what a --threads run reports is the sum of its workers.
#include "bench/load/run_stats.h"

#include <gtest/gtest.h>

#include "bench/load/threaded_run.h"

namespace sluice::bench {
namespace {

TEST(RunStatsMerge, SumsCountsErrorsAndHistograms) {
  RunStats a;
  a.record_response(ApiAction::kSendMessage, 100);
  a.record_response(ApiAction::kSendMessage, 300);
  a.messages().sent = 2;
  a.add_error(ApiAction::kSendMessage, "timeout", "first a");
  a.record_end_to_end(1000);
  RunStats b;
  b.record_response(ApiAction::kSendMessage, 5000);
  b.record_response(ApiAction::kReceiveMessage, 50);
  b.messages().sent = 1;
  b.messages().received = 4;
  b.add_error(ApiAction::kSendMessage, "timeout", "first b", 2);
  b.add_error("connect-error", "refused");
  b.record_end_to_end(2000);

  a.merge(b);
  EXPECT_EQ(a.total_responses(), 4u);
  EXPECT_EQ(a.action(ApiAction::kSendMessage).responses, 3u);
  EXPECT_EQ(a.action(ApiAction::kSendMessage).errors, 3u);
  EXPECT_EQ(a.action(ApiAction::kSendMessage).latency.count(), 3u);
  EXPECT_EQ(a.action(ApiAction::kSendMessage).latency.max(), 5000u);
  EXPECT_EQ(a.action(ApiAction::kReceiveMessage).latency.min(), 50u);
  EXPECT_EQ(a.all_latency().min(), 50u);
  EXPECT_EQ(a.all_latency().max(), 5000u);
  EXPECT_EQ(a.all_latency().percentile(50), 100u);
  EXPECT_EQ(a.end_to_end().count(), 2u);
  EXPECT_EQ(a.messages().sent, 3u);
  EXPECT_EQ(a.messages().received, 4u);
  EXPECT_EQ(a.total_errors(), 4u);
  ASSERT_EQ(a.errors().size(), 2u);
  EXPECT_EQ(a.errors().at("timeout").count, 3u);
  EXPECT_EQ(a.errors().at("timeout").first_detail, "first a");
  EXPECT_EQ(a.errors().at("connect-error").first_detail, "refused");
}

TEST(RunStatsMerge, HistogramMergeEqualsRecordingEverythingInOne) {
  LatencyHistogram one;
  LatencyHistogram left;
  LatencyHistogram right;
  for (uint64_t v = 1; v < 100000; v += 37) {
    one.record(v);
    (v % 2 ? left : right).record(v);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), one.count());
  EXPECT_EQ(left.mean(), one.mean());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(left.percentile(p), one.percentile(p));
}

TEST(MergeResults, TakesTheLongestTimeAndTheWorstReason) {
  std::vector<RunResult> results(3);
  for (RunResult& r : results) r.stats = std::make_unique<RunStats>();
  results[0].reason = StopReason::kDone;
  results[0].elapsed_s = 1.5;
  results[1].reason = StopReason::kStalled;
  results[1].elapsed_s = 2.5;
  results[1].cancelled = 2;
  results[2].reason = StopReason::kDuration;
  results[2].cancelled = 3;
  results[2].stats->messages().deleted = 7;
  const RunResult merged = merge_results(std::move(results));
  EXPECT_EQ(merged.reason, StopReason::kStalled);
  EXPECT_EQ(merged.elapsed_s, 2.5);
  EXPECT_EQ(merged.cancelled, 5u);
  EXPECT_EQ(merged.stats->messages().deleted, 7u);
}

TEST(WorkerOptions, SplitsConnectionsPoolsBudgetAndRateEvenly) {
  EXPECT_EQ(even_share(10, 3, 0), 4u);
  EXPECT_EQ(even_share(10, 3, 1), 3u);
  EXPECT_EQ(even_share(10, 3, 2), 3u);
  BenchOptions o;
  o.threads = 3;
  o.connections = 7;
  o.producers = 4;
  o.consumers = 3;
  o.messages = 1000;
  o.rate = 300;
  uint64_t connections = 0, producers = 0, consumers = 0, messages = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    const BenchOptions w = worker_options(o, i);
    EXPECT_EQ(w.threads, 1u);
    EXPECT_DOUBLE_EQ(w.rate, 100);
    connections += w.connections;
    producers += *w.producers;
    consumers += *w.consumers;
    messages += w.messages;
  }
  EXPECT_EQ(connections, 7u);
  EXPECT_EQ(producers, 4u);
  EXPECT_EQ(consumers, 3u);
  EXPECT_EQ(messages, 1000u) << "a global --messages target stays exact";
}

}  // namespace
}  // namespace sluice::bench
