// The command line: flags, ranges, workload defaults.
#include "bench/load/bench_options.h"

#include <gtest/gtest.h>

#include <vector>

#include "bench/load/workload_registry.h"

namespace sluice::bench {
namespace {

Outcome<BenchOptions> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "sluice-bench");
  auto parsed = parse_options(static_cast<int>(args.size()), args.data());
  if (!parsed) return parsed;
  return resolve_options(std::move(parsed).value());
}

TEST(BenchOptions, DefaultsAreAClosedLoopSendForTenSeconds) {
  auto o = parse({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->workload, "send");
  EXPECT_EQ(o->protocol, Protocol::kJson);
  EXPECT_EQ(o->duration_s, 10);
  EXPECT_EQ(o->rate, 0);
  EXPECT_EQ(*o->batch_size, 1u);
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:9324");
}

TEST(BenchOptions, ParsesEveryKindOfFlag) {
  auto o = parse({"--endpoint",
                  "http://h:1",
                  "--protocol=query",
                  "--workload",
                  "cycle",
                  "--connections",
                  "8",
                  "--pipeline",
                  "4",
                  "--messages",
                  "1000",
                  "--rate",
                  "500.5",
                  "--body-size",
                  "1024",
                  "--batch-size",
                  "10",
                  "--queues",
                  "3",
                  "--queue-prefix",
                  "x_",
                  "--no-create",
                  "--purge",
                  "--warmup",
                  "2",
                  "--producers",
                  "2",
                  "--consumers",
                  "6",
                  "--fifo",
                  "--groups",
                  "5",
                  "--wait-seconds",
                  "1",
                  "--visibility-timeout",
                  "60",
                  "--region",
                  "eu-west-1",
                  "--access-key",
                  "AK",
                  "--json",
                  "--no-progress",
                  "--timeout",
                  "5"});
  ASSERT_TRUE(o.ok()) << o.failure().detail;
  EXPECT_EQ(o->endpoint, "http://h:1");
  EXPECT_EQ(o->protocol, Protocol::kQuery);
  EXPECT_EQ(o->pipeline, 4u);
  EXPECT_EQ(o->messages, 1000u);
  EXPECT_EQ(o->duration_s, 0) << "--messages alone: run until done";
  EXPECT_DOUBLE_EQ(o->rate, 500.5);
  EXPECT_EQ(*o->batch_size, 10u);
  EXPECT_FALSE(o->create_queues);
  EXPECT_TRUE(o->purge);
  EXPECT_EQ(*o->producers, 2u);
  EXPECT_EQ(*o->consumers, 6u);
  EXPECT_TRUE(o->fifo);
  EXPECT_EQ(*o->wait_seconds, 1u);
  EXPECT_EQ(o->visibility_timeout, 60);
  EXPECT_EQ(o->credentials.region, "eu-west-1");
  EXPECT_TRUE(o->json_output);
  EXPECT_FALSE(o->progress);
  EXPECT_EQ(queue_name(*o, 2), "x_2.fifo");
}

TEST(BenchOptions, WorkloadDefaults) {
  EXPECT_EQ(*parse({"--workload", "send-batch"})->batch_size, 10u);
  EXPECT_EQ(*parse({"--workload", "send-batch", "--batch-size", "4"})->batch_size, 4u);
  EXPECT_TRUE(parse({"--workload", "fifo"})->fifo);
  auto lp = parse({"--workload", "long-poll", "--connections", "10"});
  EXPECT_EQ(*lp->wait_seconds, 20u);
  EXPECT_EQ(*lp->producers, 5u);
  EXPECT_EQ(*lp->consumers, 5u);
  EXPECT_EQ(*parse({"--workload", "receive-delete", "--messages", "500"})->prefill, 500u);
}

TEST(BenchOptions, RejectsBadValues) {
  for (auto args : std::vector<std::vector<const char*>>{
           {"--batch-size", "11"},
           {"--batch-size", "0"},
           {"--wait-seconds", "21"},
           {"--protocol", "xml"},
           {"--workload", "nope"},
           {"--connections", "x"},
           {"--duration", "-1"},
           {"--bogus"},
           {"--pipeline"},
           {"--json=yes"},
           {"--workload", "cycle", "--producers", "0"},
           {"--workload", "cycle", "--messages", "5", "--body-size", "10"},
       }) {
    auto o = parse(args);
    EXPECT_FALSE(o.ok()) << args[0];
    if (!o.ok()) {
      EXPECT_EQ(o.failure().label, "usage");
      EXPECT_FALSE(o.failure().detail.empty());
    }
  }
}

TEST(BenchOptions, HelpListsEveryFlagAndWorkload) {
  const std::string help = help_text();
  for (const char* flag : {"--endpoint",           "--protocol",   "--workload", "--connections",
                           "--pipeline",           "--duration",   "--messages", "--rate",
                           "--body-size",          "--batch-size", "--queues",   "--queue-prefix",
                           "--no-create",          "--purge",      "--warmup",   "--producers",
                           "--consumers",          "--groups",     "--fifo",     "--wait-seconds",
                           "--visibility-timeout", "--prefill",    "--timeout",  "--region",
                           "--access-key",         "--secret-key", "--no-sign",  "--json",
                           "--no-progress",        "--help"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
  for (const WorkloadInfo& w : workload_registry()) {
    EXPECT_NE(help.find("  " + std::string(w.name) + " "), std::string::npos) << w.name;
  }
}

TEST(BenchOptionsThreads, DefaultsToOneAndParsesBothSpellings) {
  auto defaults = parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->threads, 1u);
  auto spaced = parse({"--threads", "4"});
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->threads, 4u);
  auto joined = parse({"--threads=2", "--connections", "2"});
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->threads, 2u);
}

TEST(BenchOptionsThreads, RejectsThreadsWithoutAShareOfWork) {
  EXPECT_FALSE(parse({"--threads", "0"}).ok());
  EXPECT_FALSE(parse({"--threads", "x"}).ok());
  EXPECT_FALSE(parse({"--threads", "17"}).ok()) << "16 connections cannot feed 17 threads";
  EXPECT_FALSE(parse({"--threads", "3", "--messages", "2"}).ok());
  EXPECT_FALSE(parse({"--workload", "cycle", "--threads", "3", "--producers", "2"}).ok());
  EXPECT_TRUE(parse({"--workload", "cycle", "--threads", "3", "--connections", "6"}).ok());
}

TEST(BenchOptionsThreads, HelpDescribesThreads) {
  EXPECT_NE(help_text().find("--threads N"), std::string::npos);
}

}  // namespace
}  // namespace sluice::bench
