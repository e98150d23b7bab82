// Restart and redrive on real LMDB and a real loop: a runner is dropped and a new one built on the
// same environment recovers its RUNNING Standard executions and finishes them (Waits at their
// original end time, task tokens and heartbeat deadlines kept), and RedriveExecution as a client
// sees it (errors, the redrive fields of Describe/List, ExecutionRedriven, clientToken).
#include <algorithm>
#include <vector>

#include "engine/json/json_serialize.h"
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

using engine::executor::HistoryEventType;
using engine::executor::TaskHandle;
using engine::executor::TaskProgress;
using engine::executor::TaskRequest;

// Records every attempt the executions hand out; the test answers through the handles.
struct RecordingTasks final : engine::executor::TaskHandler {
  struct Attempt {
    TaskRequest request;
    std::shared_ptr<TaskHandle> handle;
    bool resumed = false;
    TaskProgress progress;
  };
  void start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) override {
    attempts.push_back({request, std::move(handle), false, {}});
  }
  void resume(const TaskRequest& request, const TaskProgress& progress,
              std::shared_ptr<TaskHandle> handle) override {
    attempts.push_back({request, std::move(handle), true, progress});
  }
  std::vector<Attempt> attempts;
};

constexpr int64_t kStart = 1'700'000'000'000;  // the fixture's clock

class ExecutionResumeTest : public StatesFixture {
 protected:
  void SetUp() override {
    tasks_ = &recording_;
    StatesFixture::SetUp();
  }
  json::Value history(const std::string& exec) {
    return ok("GetExecutionHistory", "{\"executionArn\":" + quote(exec) + "}");
  }
  std::vector<std::string> types(const std::string& exec) {
    std::vector<std::string> out;
    int64_t expected = 1;
    json::Value h = history(exec);
    for (const auto& e : arr(h, "events")) {
      EXPECT_EQ(e.as_object().find("id")->as_int(), expected++) << "ids must be 1..n";
      out.push_back(str(e, "type"));
    }
    return out;
  }
  json::Value describe(const std::string& exec) {
    return ok("DescribeExecution", "{\"executionArn\":" + quote(exec) + "}");
  }
  SfnOutcome redrive(const std::string& exec, const std::string& token = "") {
    std::string body = "{\"executionArn\":" + quote(exec);
    if (!token.empty()) body += ",\"clientToken\":" + quote(token);
    return call("RedriveExecution", body + "}");
  }
  static int64_t ms_of(const json::Value& v, const char* key) {
    const json::Value* m = v.as_object().find(key);
    return m ? static_cast<int64_t>(m->as_number() * 1000 + 0.5) : -1;
  }

  RecordingTasks recording_;
};

TEST_F(ExecutionResumeTest, WaitEndsAtItsOriginalTimeAfterARestart) {
  std::string m = create_machine("w", kWaitDefinition);  // Wait 10 s, then Pass
  std::string e = start(m, "waiting");
  advance(4000);
  reopen();
  EXPECT_EQ(status(e), "RUNNING");
  advance(5900);  // 9.9 s after the start
  EXPECT_EQ(status(e), "RUNNING");
  advance(100);
  EXPECT_EQ(status(e), "SUCCEEDED");
  EXPECT_EQ(types(e), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                "WaitStateExited", "PassStateEntered",
                                                "PassStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(ms_of(arr(history(e), "events")[2], "timestamp"), kStart + 10000);
  reopen();  // nothing left to resume
  EXPECT_EQ(status(e), "SUCCEEDED");
  EXPECT_EQ(types(e).size(), 6u);
}

TEST_F(ExecutionResumeTest, CallbackTaskKeepsItsTokenAcrossRestarts) {
  std::string m = create_machine(
      "cb",
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":"no token here"},"End":true}}})");
  std::string e = start(m, "cb");
  ASSERT_EQ(recording_.attempts.size(), 1u);
  std::string token = recording_.attempts[0].request.task_token;
  ASSERT_FALSE(token.empty());
  recording_.attempts[0].handle->submitted(
      json::Value(json::Object{{"MessageId", json::Value("1")}}));
  settle();
  // The token is stored with TaskScheduled, never shown.
  auto loaded = runner_->load(e);
  ASSERT_TRUE(loaded);
  ASSERT_GE(loaded->events.size(), 4u);
  EXPECT_EQ(loaded->events[2].type, HistoryEventType::kTaskScheduled);
  EXPECT_NE(loaded->events[2].resume_record.find(token), std::string::npos);
  EXPECT_EQ(engine::json::serialize(history(e)).find(token), std::string::npos);

  for (int restart = 0; restart < 2; ++restart) {
    reopen();
    ASSERT_EQ(recording_.attempts.size(), 2u + restart);
    const auto& resumed = recording_.attempts.back();
    EXPECT_TRUE(resumed.resumed);
    EXPECT_EQ(resumed.request.task_token, token);
    EXPECT_TRUE(resumed.progress.submitted.has_value());
    EXPECT_EQ(status(e), "RUNNING");
  }
  recording_.attempts.back().handle->succeed(json::Value(json::Object{{"ok", json::Value(true)}}));
  settle();
  EXPECT_EQ(status(e), "SUCCEEDED");
  EXPECT_EQ(str(describe(e), "output"), R"({"ok":true})");
  auto t = types(e);
  EXPECT_EQ(std::count(t.begin(), t.end(), "TaskScheduled"), 1);
  EXPECT_EQ(std::count(t.begin(), t.end(), "TaskSubmitted"), 1);
  EXPECT_EQ(t.back(), "ExecutionSucceeded");
}

TEST_F(ExecutionResumeTest, HeartbeatDeadlineCountsFromTheLastHeartbeatAfterARestart) {
  ok("CreateActivity", R"({"name":"a"})");
  std::string m = create_machine(
      "act", std::string(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")") + kPrefix +
                 R"(activity:a","HeartbeatSeconds":10,"TimeoutSeconds":100,"End":true}}})");
  std::string e = start(m, "act");
  ASSERT_EQ(recording_.attempts.size(), 1u);
  EXPECT_FALSE(recording_.attempts[0].request.task_token.empty());  // activities get one too
  recording_.attempts[0].handle->started("worker");
  advance(8000);
  recording_.attempts[0].handle->heartbeat();
  settle();
  auto loaded = runner_->load(e);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->heartbeats.size(), 1u);
  EXPECT_EQ(loaded->heartbeats[0].at_ms, kStart + 8000);
  reopen();
  ASSERT_EQ(recording_.attempts.size(), 2u);
  EXPECT_TRUE(recording_.attempts[1].progress.started);
  EXPECT_EQ(recording_.attempts[1].request.task_token, recording_.attempts[0].request.task_token);
  advance(9900);  // 17.9 s: 9.9 s after the heartbeat
  EXPECT_EQ(status(e), "RUNNING");
  advance(100);
  EXPECT_EQ(status(e), "FAILED");
  auto events = arr(history(e), "events");
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(str(events[events.size() - 2], "type"), "ActivityTimedOut");
  EXPECT_EQ(ms_of(events[events.size() - 2], "timestamp"), kStart + 18000);
}

// Two heartbeats before the journal's next commit are stored as one record (only the newest
// counts): both answers must go out once that record is durable, not the second one only after
// some later, unrelated write of the execution.
TEST_F(ExecutionResumeTest, HeartbeatsStoredAsOneRecordAreAllAnsweredByItsCommit) {
  ok("CreateActivity", R"({"name":"b"})");
  std::string m = create_machine(
      "beats", std::string(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")") +
                   kPrefix + R"(activity:b","HeartbeatSeconds":10,"End":true}}})");
  std::string e = start(m, "beats");
  ASSERT_EQ(recording_.attempts.size(), 1u);
  recording_.attempts[0].handle->started("worker");
  settle();
  std::vector<bool> answered;
  for (int i = 0; i < 3; ++i) {  // one loop turn: no commit in between
    ASSERT_TRUE(recording_.attempts[0].handle->heartbeat());
    runner_->after_recorded(e, [&answered](bool ok) { answered.push_back(ok); });
  }
  settle();
  EXPECT_EQ(answered, std::vector<bool>({true, true, true}));
  // And a later answer is not held back by them either.
  recording_.attempts[0].handle->heartbeat();
  bool later = false;
  runner_->after_recorded(e, [&later](bool ok) { later = ok; });
  settle();
  EXPECT_TRUE(later);
  EXPECT_EQ(status(e), "RUNNING");
}

// Fails in Check the first time (no choice matches); a redrive re-runs Check, which then waits.
const std::string kFlaky =
    R"({"StartAt":"Check","States":{"Check":{"Type":"Choice","Choices":[{"Variable":"$$.Execution.RedriveCount","NumericEquals":1,"Next":"W"}]},"W":{"Type":"Wait","Seconds":10,"Next":"Done"},"Done":{"Type":"Succeed"}}})";

TEST_F(ExecutionResumeTest, RedriveRefusalsAsAwsWordsThem) {
  std::string w = create_machine("w", kWaitDefinition);
  std::string p = create_machine("p", kPassDefinition);
  std::string running = start(w, "r");
  std::string done = start(p, "d");
  auto r = redrive(running);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "ExecutionNotRedrivable");
  EXPECT_EQ(r.error().message, "Execution is RUNNING and cannot be redriven");
  r = redrive(done);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Execution is SUCCEEDED and cannot be redriven");
  auto d = describe(done);
  EXPECT_EQ(str(d, "redriveStatus"), "NOT_REDRIVABLE");
  EXPECT_EQ(str(d, "redriveStatusReason"), "Execution is SUCCEEDED and cannot be redriven");
  r = redrive(std::string(kPrefix) + "execution:p:nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "ExecutionDoesNotExist");
  r = redrive("not-an-arn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "InvalidArn");

  // Redrivable for 14 days after it stopped.
  std::string f = create_machine("f", kFlaky);
  std::string failed = start(f, "x");
  EXPECT_EQ(status(failed), "FAILED");
  EXPECT_EQ(str(describe(failed), "redriveStatus"), "REDRIVABLE");
  clock_.set(clock_.now_ms() + 15LL * 24 * 3600 * 1000);
  d = describe(failed);
  EXPECT_EQ(str(d, "redriveStatus"), "NOT_REDRIVABLE");
  EXPECT_EQ(str(d, "redriveStatusReason"), "Execution redrivable period exceeded");
  r = redrive(failed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Execution redrivable period exceeded");
}

TEST_F(ExecutionResumeTest, RedriveRerunsTheFailedStateAndSurvivesARestart) {
  std::string f = create_machine("f", kFlaky);
  std::string e = start(f, "x");
  ASSERT_EQ(status(e), "FAILED");
  EXPECT_EQ(str(describe(e), "error"), "States.NoChoiceMatched");
  advance(1000);
  auto r = redrive(e, "tok-1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto out = engine::json::parse(*r.text());
  ASSERT_TRUE(out);
  EXPECT_EQ(ms_of(*out, "redriveDate"), kStart + 1000);
  auto d = describe(e);
  EXPECT_EQ(str(d, "status"), "RUNNING");
  EXPECT_EQ(d.as_object().find("redriveCount")->as_int(), 1);
  EXPECT_EQ(ms_of(d, "redriveDate"), kStart + 1000);
  EXPECT_EQ(d.as_object().find("stopDate"), nullptr);
  // The same clientToken gets the same answer; the execution is not redriven twice.
  advance(500);
  r = redrive(e, "tok-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ms_of(*engine::json::parse(*r.text()), "redriveDate"), kStart + 1000);
  r = redrive(e, "tok-2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Execution is RUNNING and cannot be redriven");

  // A restart in the middle of the redriven run: it continues.
  reopen();
  d = describe(e);
  EXPECT_EQ(str(d, "status"), "RUNNING");
  EXPECT_EQ(d.as_object().find("redriveCount")->as_int(), 1);
  advance(9500);  // the Wait started at +1 s
  EXPECT_EQ(status(e), "SUCCEEDED");
  d = describe(e);
  EXPECT_EQ(d.as_object().find("redriveCount")->as_int(), 1);
  EXPECT_EQ(ms_of(d, "redriveDate"), kStart + 1000);
  auto t = types(e);
  ASSERT_GE(t.size(), 4u);
  EXPECT_EQ(t[2], "ExecutionFailed");
  EXPECT_EQ(t[3], "ExecutionRedriven");
  EXPECT_EQ(t.back(), "ExecutionSucceeded");
  json::Value h = history(e);
  const json::Value& redriven = arr(h, "events")[3];
  const json::Value* details = redriven.as_object().find("executionRedrivenEventDetails");
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->as_object().find("redriveCount")->as_int(), 1);

  // ListExecutions: redriveFilter and the redrive members.
  std::string other = start(f, "y");
  auto listed = [&](const char* filter) {
    std::vector<std::string> arns;
    auto l = ok("ListExecutions",
                "{\"stateMachineArn\":" + quote(f) + ",\"redriveFilter\":\"" + filter + "\"}");
    for (const auto& x : arr(l, "executions")) arns.push_back(str(x, "executionArn"));
    return arns;
  };
  EXPECT_EQ(listed("REDRIVEN"), std::vector<std::string>{e});
  EXPECT_EQ(listed("NOT_REDRIVEN"), std::vector<std::string>{other});
  auto l = ok("ListExecutions", "{\"stateMachineArn\":" + quote(f) + "}");
  for (const auto& x : arr(l, "executions")) {
    bool is_e = str(x, "executionArn") == e;
    EXPECT_EQ(x.as_object().find("redriveCount")->as_int(), is_e ? 1 : 0);
    EXPECT_EQ(x.as_object().find("redriveDate") != nullptr, is_e);
  }
}

}  // namespace
}  // namespace sluice::states::testing
