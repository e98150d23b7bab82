// Activities: Task states whose resource is an activity ARN, workers long-polling GetActivityTask
// (parked, never busy-waiting), answers by token, heartbeats and timeouts through the engine.
#include <gtest/gtest.h>

#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

constexpr const char* kArn = "arn:aws:states:us-east-1:000000000000:activity:resize";

class ActivityTaskTest : public TaskFixture {
 protected:
  void configure(StatesServices&, TaskRouterOptions& options) override {
    options.activity_poll_ms = 300;  // long polls end quickly in tests
  }

  static std::string definition(const std::string& extra = "") {
    return std::string(R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")") + kArn +
           R"(")" + extra + R"(,"End":true}}})";
  }

  struct Poll {
    std::optional<SfnOutcome> answer;
    bool wanted = true;
  };
  std::shared_ptr<Poll> poll(const std::string& worker = "w1", const std::string& arn = kArn) {
    auto p = std::make_shared<Poll>();
    router_->get_activity_task(
        arn, worker, [p] { return p->wanted; }, [p](SfnOutcome o) { p->answer = std::move(o); });
    return p;
  }
  static std::string token_of(const Poll& p) {
    return p.answer && p.answer->ok() ? str(p.answer->output(), "taskToken") : std::string();
  }
};

TEST_F(ActivityTaskTest, AWorkerGetsTheTaskAndItsAnswerCompletesTheState) {
  auto ex = start(definition(), R"({"image":"a.png"})");
  EXPECT_TRUE(has_event(*ex, "ActivityScheduled"));
  EXPECT_FALSE(has_event(*ex, "ActivityStarted"));
  EXPECT_EQ(router_->activities().queued(kArn), 1u);

  auto p = poll("resizer-1");
  ASSERT_TRUE(p->answer);  // a task was waiting: answered at once
  std::string token = token_of(*p);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(str(p->answer->output(), "input"), R"({"image":"a.png"})");
  EXPECT_EQ(detail(event(*ex, "ActivityStarted"), "workerName"), "resizer-1");

  EXPECT_FALSE(router_->send_task_success(token, parse(R"({"size":3})")));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(output(*ex), R"({"size":3})");
  EXPECT_EQ(types(*ex),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                      "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                                      "ExecutionSucceeded"}));
}

TEST_F(ActivityTaskTest, AParkedWorkerIsWokenByTheNextTask) {
  auto p = poll();
  EXPECT_FALSE(p->answer);
  EXPECT_EQ(router_->activities().parked(kArn), 1u);
  auto ex = start(definition(), R"({"n":1})");
  ASSERT_TRUE(p->answer);  // woken by the schedule itself, not by a timer
  std::string token = token_of(*p);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(router_->activities().parked(kArn), 0u);
  EXPECT_FALSE(router_->send_task_failure(token, "Broken", "disk full"));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "Broken");
  EXPECT_TRUE(has_event(*ex, "ActivityFailed"));
}

TEST_F(ActivityTaskTest, APollWithNothingToDoEndsEmptyAfterThePollTime) {
  auto begin = std::chrono::steady_clock::now();
  auto p = poll();
  ASSERT_TRUE(run_until([&] { return p->answer.has_value(); }));
  auto waited = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  ASSERT_TRUE(p->answer->ok());
  EXPECT_TRUE(p->answer->output().as_object().empty());  // no taskToken
  EXPECT_EQ(router_->activities().parked(kArn), 0u);
}

TEST_F(ActivityTaskTest, WorkersAreServedInArrivalOrderAndGoneOnesAreSkipped) {
  auto first = poll("first");
  auto second = poll("second");
  auto third = poll("third");
  first->wanted = false;  // its client went away
  auto ex = start(definition());
  EXPECT_FALSE(first->answer);
  ASSERT_TRUE(second->answer);
  EXPECT_FALSE(token_of(*second).empty());
  EXPECT_FALSE(third->answer);
  EXPECT_EQ(detail(event(*ex, "ActivityStarted"), "workerName"), "second");
  ASSERT_TRUE(run_until([&] { return third->answer.has_value(); }));
  EXPECT_TRUE(token_of(*third).empty());
}

TEST_F(ActivityTaskTest, TasksGoOutInScheduleOrder) {
  auto a = start(definition(), R"({"n":1})", "a");
  auto b = start(definition(), R"({"n":2})", "b");
  auto p1 = poll();
  auto p2 = poll();
  EXPECT_EQ(str(p1->answer->output(), "input"), R"({"n":1})");
  EXPECT_EQ(str(p2->answer->output(), "input"), R"({"n":2})");
  EXPECT_NE(token_of(*p1), token_of(*p2));
}

TEST_F(ActivityTaskTest, HeartbeatsAndTimeoutsGoThroughTheEngine) {
  auto ex = start(definition(R"(,"HeartbeatSeconds":5,"TimeoutSeconds":60)"));
  EXPECT_EQ(detail(event(*ex, "ActivityScheduled"), "resource"), kArn);
  auto p = poll();
  std::string token = token_of(*p);
  timers_.advance_by(4000);
  EXPECT_FALSE(router_->send_task_heartbeat(token));
  timers_.advance_by(4000);
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kRunning);
  timers_.advance_by(2000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Timeout");  // as AWS records it
  EXPECT_TRUE(has_event(*ex, "ActivityTimedOut"));
  auto late = router_->send_task_success(token, parse("{}"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->type, "TaskTimedOut");
}

TEST_F(ActivityTaskTest, ATaskThatTimesOutBeforeAnyWorkerCameIsWithdrawn) {
  auto ex = start(definition(R"(,"TimeoutSeconds":5)"));
  EXPECT_EQ(router_->activities().queued(kArn), 1u);
  timers_.advance_by(5000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Timeout");
  EXPECT_EQ(router_->activities().queued(kArn), 0u);
  auto p = poll();
  ASSERT_TRUE(run_until([&] { return p->answer.has_value(); }));
  EXPECT_TRUE(token_of(*p).empty());
}

TEST_F(ActivityTaskTest, ShutdownReleasesParkedWorkers) {
  auto p = poll();
  EXPECT_FALSE(p->answer);
  router_->shutdown();
  ASSERT_TRUE(p->answer);
  EXPECT_TRUE(token_of(*p).empty());
  auto after = poll();
  ASSERT_TRUE(after->answer);  // no new parking once stopping
}

TEST_F(ActivityTaskTest, AnActivityTheCatalogDoesNotKnowFailsTheTask) {
  router_->set_activity_exists([](std::string_view arn) { return arn != kArn; });
  auto ex = start(definition());
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Runtime");
  EXPECT_NE(ex->outcome().cause.value_or("").find("Activity Does Not Exist"), std::string::npos);
  EXPECT_FALSE(router_->activity_exists(kArn));
}

TEST_F(ActivityTaskTest, TooManyParkedWorkersAreRefused) {
  ActivityDispatcher d(&loop_, 1000, 2);
  int answered = 0;
  auto answer = [&](std::string, std::string) { ++answered; };
  EXPECT_EQ(d.poll(kArn, "a", nullptr, answer), ActivityDispatcher::PollResult::kParked);
  EXPECT_EQ(d.poll(kArn, "b", nullptr, answer), ActivityDispatcher::PollResult::kParked);
  EXPECT_EQ(d.poll(kArn, "c", nullptr, answer), ActivityDispatcher::PollResult::kTooManyWorkers);
  d.shutdown();
  EXPECT_EQ(answered, 2);
}

// After a restart the attempt is attached again: the task is back on the queue.
TEST_F(ActivityTaskTest, ResumeQueuesTheTaskAgain) {
  auto ex = start(definition(), R"({"n":5})");
  auto p = poll();
  ASSERT_FALSE(token_of(*p).empty());
  EXPECT_EQ(router_->activities().queued(kArn), 0u);
  // What a resumed execution would hand over: the same request and a live handle.
  HeldTask capture;
  auto other = start_held(definition(), capture, R"({"n":6})");
  ASSERT_TRUE(capture.handle);
  router_->resume_attempt(capture.request, capture.handle);
  auto p2 = poll();
  EXPECT_EQ(str(p2->answer->output(), "input"), R"({"n":6})");
  EXPECT_FALSE(router_->send_task_success(token_of(*p2), parse("1")));
  EXPECT_EQ(output(*other), "1");
  router_->cancel(*capture.handle);  // no-op: already answered
}

// A task a worker had taken before the restart stays with that worker: only its token (the one
// the engine recorded) is registered again.
TEST_F(ActivityTaskTest, ResumeOfATakenTaskOnlyRegistersItsToken) {
  HeldTask capture;
  auto ex = start_held(definition(), capture);
  ASSERT_TRUE(capture.handle);
  capture.request.task_token = TaskRouter::make_task_token();  // as the engine recorded it
  router_->resume_attempt(capture.request, capture.handle, nullptr, /*started=*/true);
  EXPECT_EQ(router_->activities().queued(kArn), 0u);
  EXPECT_FALSE(router_->send_task_success(capture.request.task_token, parse(R"("after restart")")));
  EXPECT_EQ(output(*ex), R"("after restart")");
}

}  // namespace
}  // namespace sluice::states::tasks::testing
