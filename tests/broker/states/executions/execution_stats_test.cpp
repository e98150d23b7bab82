// ExecutionRunner::stats(): what /metrics reports of executions, by type and outcome.
#include <gtest/gtest.h>

#include "tests/broker/states/states_fixture.h"

namespace sluice::states {
namespace {

class ExecutionStatsTest : public testing::StatesFixture {};

TEST_F(ExecutionStatsTest, CountsStartsEndsAndRunningByType) {
  std::string wait = create_machine("waits", R"({"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":60,"End":true}}})");
  std::string fails = create_machine("fails", R"({"StartAt":"F","States":{
      "F":{"Type":"Fail","Error":"E"}}})");
  std::string fast = create_machine("fast", R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","End":true}}})",
                                    ",\"type\":\"EXPRESS\"");
  std::string a = start(wait, "a");
  start(wait, "b");
  start(fails, "c");
  ok("StartSyncExecution", "{\"stateMachineArn\":" + quote(fast) + "}");
  ok("StartSyncExecution", "{\"stateMachineArn\":" + quote(fast) + "}");
  settle();

  ExecutionStats s = runner_->stats();
  EXPECT_EQ(s.standard.started, 3u);
  EXPECT_EQ(s.standard.failed, 1u);
  EXPECT_EQ(s.standard.running, 2u);
  EXPECT_EQ(s.express.started, 2u);
  EXPECT_EQ(s.express.succeeded, 2u);
  EXPECT_EQ(s.express.running, 0u);

  ok("StopExecution", "{\"executionArn\":" + quote(a) + "}");
  advance(61'000);
  s = runner_->stats();
  EXPECT_EQ(s.standard.aborted, 1u);
  EXPECT_EQ(s.standard.succeeded, 1u);
  EXPECT_EQ(s.standard.running, 0u);
  EXPECT_EQ(s.standard.timed_out, 0u);
}

}  // namespace
}  // namespace sluice::states
