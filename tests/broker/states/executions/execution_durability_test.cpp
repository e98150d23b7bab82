// What a restart keeps: finished executions with their full history and outcome, running ones
// with everything recorded so far (the persistence contract resume builds on), the listing order,
// and the idempotency of StartExecution. Also DeleteStateMachine with running executions.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class ExecutionDurabilityTest : public StatesFixture {
 protected:
  json::Value history(const std::string& exec) {
    return ok("GetExecutionHistory", "{\"executionArn\":" + quote(exec) + "}");
  }
};

TEST_F(ExecutionDurabilityTest, FinishedExecutionsKeepEverything) {
  std::string m = create_machine("p", kPassDefinition);
  std::string e = start(m, "done", R"({"k":"v"})");
  auto d_before = ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}");
  auto h_before = history(e);
  reopen();
  EXPECT_EQ(ok("DescribeExecution", "{\"executionArn\":" + quote(e) + "}"), d_before);
  EXPECT_EQ(history(e), h_before);
  auto list = ok("ListExecutions", "{\"stateMachineArn\":" + quote(m) + "}");
  ASSERT_EQ(arr(list, "executions").size(), 1u);
  EXPECT_EQ(str(arr(list, "executions")[0], "status"), "SUCCEEDED");
  // The name stays taken.
  EXPECT_EQ(err("StartExecution", "{\"stateMachineArn\":" + quote(m) + ",\"name\":\"done\"}").type,
            "ExecutionAlreadyExists");
  // New executions after a restart get fresh history keys.
  std::string e2 = start(m, "after");
  EXPECT_EQ(arr(history(e2), "events").size(), 4u);
  EXPECT_EQ(history(e), h_before);
}

TEST_F(ExecutionDurabilityTest, RunningExecutionsKeepTheirRecordedHistory) {
  std::string m = create_machine("w", kWaitDefinition);
  std::string e = start(m, "waiting", R"({"n":1})");
  reopen();
  // Resumed: still in its 10 s Wait, with everything it recorded before the restart and nothing
  // added by it.
  EXPECT_EQ(status(e), "RUNNING");
  auto h = history(e);
  ASSERT_EQ(arr(h, "events").size(), 2u);
  EXPECT_EQ(str(arr(h, "events")[1], "type"), "WaitStateEntered");
  auto loaded = runner_->load(e);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->record.input, R"({"n":1})");
  EXPECT_FALSE(loaded->outcome.has_value());
  ASSERT_EQ(loaded->events.size(), 2u);
  EXPECT_EQ(loaded->events[0].type, engine::executor::HistoryEventType::kExecutionStarted);
  EXPECT_EQ(loaded->events[1].id, 2);
  EXPECT_EQ(loaded->events[1].details.as_object().find("name")->as_string(), "W");
  // Same name and input while RUNNING: the same execution.
  auto again = ok("StartExecution", "{\"stateMachineArn\":" + quote(m) +
                                        ",\"name\":\"waiting\",\"input\":\"{\\\"n\\\":1}\"}");
  EXPECT_EQ(str(again, "executionArn"), e);
  // StopExecution ends it from storage.
  ok("StopExecution", "{\"executionArn\":" + quote(e) + ",\"cause\":\"after restart\"}");
  EXPECT_EQ(status(e), "ABORTED");
  h = history(e);
  ASSERT_EQ(arr(h, "events").size(), 3u);
  const json::Value& last = arr(h, "events")[2];
  EXPECT_EQ(str(last, "type"), "ExecutionAborted");
  EXPECT_EQ(last.as_object().find("id")->as_int(), 3);
  EXPECT_EQ(last.as_object().find("previousEventId")->as_int(), 2);
  reopen();
  EXPECT_EQ(status(e), "ABORTED");
}

TEST_F(ExecutionDurabilityTest, DeleteWaitsForRunningExecutions) {
  std::string m = create_machine("w", kWaitDefinition);
  // Hold the delete open: one execution "runs" and nobody stops it.
  catalog_->set_hooks(
      Catalog::Hooks{[](const std::string&) { return std::size_t{1}; }, [](const std::string&) {}});
  ok("DeleteStateMachine", "{\"stateMachineArn\":" + quote(m) + "}");
  auto d = ok("DescribeStateMachine", "{\"stateMachineArn\":" + quote(m) + "}");
  EXPECT_EQ(str(d, "status"), "DELETING");
  auto e = err("StartExecution", "{\"stateMachineArn\":" + quote(m) + "}");
  EXPECT_EQ(e.type, "StateMachineDeleting");
  EXPECT_EQ(e.message, "State Machine is being deleted: '" + m + "'");
  EXPECT_EQ(err("CreateStateMachine", "{\"name\":\"w\",\"definition\":" + quote(kWaitDefinition) +
                                          ",\"roleArn\":\"" + kRole + "\"}")
                .type,
            "StateMachineDeleting");
  catalog_->finish_delete("w");
  settle();
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(m) + "}").type,
            "StateMachineDoesNotExist");
}

TEST_F(ExecutionDurabilityTest, DeleteStopsRunningExecutionsThenRemovesTheMachine) {
  std::string m = create_machine("w", kWaitDefinition, ",\"publish\":true");
  std::string live = start(m, "live");
  reopen();
  std::string stored = live;  // recovered and resumed
  std::string fresh = start(m, "fresh");
  ok("DeleteStateMachine", "{\"stateMachineArn\":" + quote(m) + "}");
  settle();
  EXPECT_EQ(status(stored), "ABORTED");
  EXPECT_EQ(status(fresh), "ABORTED");
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(m) + "}").type,
            "StateMachineDoesNotExist");
  EXPECT_EQ(err("DescribeStateMachine", "{\"stateMachineArn\":" + quote(m + ":1") + "}").type,
            "StateMachineDoesNotExist");
  reopen();
  EXPECT_TRUE(arr(ok("ListStateMachines", "{}"), "stateMachines").empty());
  // The executions stay describable (AWS keeps closed executions).
  EXPECT_EQ(status(fresh), "ABORTED");
}

}  // namespace
}  // namespace sluice::states::testing
