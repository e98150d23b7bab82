// Message move tasks through the QueueStore: start validation, moving back to each message's
// source or to a destination, the rate limit kept by the store's deadline timer, cancellation,
// failure when a destination vanishes, listing, and resuming after a restart.
#include <gtest/gtest.h>

#include <set>

#include "storage/queue/queue_store.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

constexpr const char* kPrefix = "arn:aws:sqs:us-east-1:000000000000:";

std::string arn(const std::string& name) {
  return kPrefix + name;
}

class MoveTaskTest : public StoreFixture {
 protected:
  // Queues "src" (and "src2") whose dead-letter queue "dlq" holds the given bodies.
  void dead_letter(const std::vector<std::string>& bodies, const std::string& source = "src") {
    if (!store_->get_queue("dlq").ok()) create("dlq");
    if (!store_->get_queue(source).ok()) {
      create(source, {{"RedrivePolicy",
                       R"({"deadLetterTargetArn":")" + arn("dlq") + R"(","maxReceiveCount":1})"}});
    }
    send(source, bodies);
    while (counts(source).visible > 0) receive(source, 10, 0);  // first receive of each
    advance(0);
    while (counts(source).visible > 0) receive(source, 10, 0);  // moves them all
    ASSERT_EQ(counts(source).visible + counts(source).in_flight, 0u);
  }
  Result<std::string> start(const std::string& source, std::optional<std::string> destination = {},
                            std::optional<int64_t> rate = {}) {
    StartMoveTask req;
    req.source_arn = source;
    req.destination_arn = std::move(destination);
    req.max_messages_per_second = rate;
    std::optional<Result<std::string>> out;
    store_->start_move_task(std::move(req), [&](Result<std::string> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    return std::move(*out);
  }
  Result<uint64_t> cancel(const std::string& handle) {
    std::optional<Result<uint64_t>> out;
    store_->cancel_move_task(handle, [&](Result<uint64_t> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    return std::move(*out);
  }
  MessageMoveTask latest(const std::string& source = "dlq") {
    auto tasks = store_->list_move_tasks(arn(source), 1);
    EXPECT_TRUE(tasks.ok());
    EXPECT_EQ(tasks->size(), 1u);
    return tasks->empty() ? MessageMoveTask{} : tasks->front();
  }
  // Lets committed batches complete and fires due timers until the task stops running.
  void run_until_done() {
    for (int i = 0; i < 200 && is_active(latest().status); ++i) {
      committer_->wait_and_run_completions(std::chrono::milliseconds(5));
      run_due_timers();
    }
  }
  // As run_until_done(), with the clock moving a second at a time (rate-limited tasks).
  void drive_until_done() {
    for (int i = 0; i < 60 && is_active(latest().status); ++i) {
      committer_->wait_and_run_completions(std::chrono::milliseconds(5));
      now_ms_ += 1000;
      run_due_timers();
    }
  }
  std::multiset<std::string> bodies(const std::string& q) {
    std::multiset<std::string> out;
    for (auto& m : receive(q, 10, 0)) out.insert(m.body);
    return out;
  }
};

TEST_F(MoveTaskTest, StartIsValidatedAsSqsDoes) {
  create("plain");
  dead_letter({"m"});
  auto code = [](const Result<std::string>& r) {
    return r.ok() ? ErrorCode::kInternal : r.error().code;
  };
  auto bad_arn = start("dlq");
  EXPECT_EQ(code(bad_arn), ErrorCode::kInvalidParameterValue);
  EXPECT_NE(bad_arn.error().message.find("You must use this format to specify the SourceArn"),
            std::string::npos);
  auto missing = start(arn("nope"));
  EXPECT_EQ(code(missing), ErrorCode::kResourceNotFound);
  EXPECT_EQ(missing.error().message,
            "The resource that you specified for the SourceArn parameter doesn't exist.");
  EXPECT_EQ(code(start("arn:aws:sqs:eu-west-1:000000000000:dlq")), ErrorCode::kResourceNotFound);
  auto not_dlq = start(arn("plain"));
  EXPECT_EQ(code(not_dlq), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(not_dlq.error().message, "Source queue must be configured as a Dead Letter Queue.");
  auto no_destination = start(arn("dlq"), arn("nowhere"));
  EXPECT_EQ(code(no_destination), ErrorCode::kResourceNotFound);
  EXPECT_EQ(no_destination.error().message,
            "The resource that you specified for the DestinationArn parameter doesn't exist.");
  EXPECT_EQ(code(start(arn("dlq"), {}, 0)), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(code(start(arn("dlq"), {}, 501)), ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE(store_->list_move_tasks(arn("dlq"), 10)->empty());

  ASSERT_TRUE(start(arn("dlq"), {}, 1).ok());
  auto second = start(arn("dlq"));
  EXPECT_EQ(code(second), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(second.error().message,
            "There is already a task running. Only one active task is allowed for a source queue "
            "arn at a given time.");
}

TEST_F(MoveTaskTest, MovesEachMessageBackToItsOwnSource) {
  dead_letter({"a1", "a2"}, "src");
  dead_letter({"b1"}, "src2");
  ASSERT_EQ(counts("dlq").visible, 3u);
  auto handle = start(arn("dlq"));
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  run_until_done();
  MessageMoveTask t = latest();
  EXPECT_EQ(t.status, MoveTaskStatus::kCompleted);
  EXPECT_EQ(t.moved, 3u);
  EXPECT_EQ(t.to_move, 3u);
  EXPECT_EQ(t.destination_arn, "");
  EXPECT_EQ(counts("dlq").visible + counts("dlq").in_flight, 0u);
  auto back = receive("src", 10, 0);
  ASSERT_EQ(back.size(), 2u);
  // A redriven message is a new message: new id, fresh receive count, no DLQ source.
  EXPECT_EQ(back[0].receive_count, 1u);
  EXPECT_EQ(back[0].dead_letter_source_arn, "");
  EXPECT_EQ(back[0].sent_ms, now_ms_);
  EXPECT_EQ(bodies("src2"), (std::multiset<std::string>{"b1"}));
  EXPECT_EQ(store_->stats().redriven, 3u);
}

TEST_F(MoveTaskTest, MovesToTheDestination) {
  dead_letter({"x", "y"});
  create("elsewhere");
  ASSERT_TRUE(start(arn("dlq"), arn("elsewhere")).ok());
  run_until_done();
  MessageMoveTask t = latest();
  EXPECT_EQ(t.status, MoveTaskStatus::kCompleted);
  EXPECT_EQ(t.destination_arn, arn("elsewhere"));
  EXPECT_EQ(bodies("elsewhere"), (std::multiset<std::string>{"x", "y"}));
  EXPECT_TRUE(receive("src", 10, 0).empty());
}

TEST_F(MoveTaskTest, OnlyMessagesPresentAtTheStartAreMoved) {
  dead_letter({"before"});
  create("elsewhere");
  ASSERT_TRUE(start(arn("dlq"), arn("elsewhere"), 1).ok());
  send("dlq", {"after"});
  drive_until_done();
  EXPECT_EQ(latest().status, MoveTaskStatus::kCompleted);
  EXPECT_EQ(bodies("elsewhere"), (std::multiset<std::string>{"before"}));
  EXPECT_EQ(bodies("dlq"), (std::multiset<std::string>{"after"}));
}

TEST_F(MoveTaskTest, RateLimitSpacesBatchesWithTheDeadlineTimer) {
  dead_letter({"1", "2", "3"});
  create("dest");
  ASSERT_TRUE(start(arn("dlq"), arn("dest"), 1).ok());
  settle([&] { return latest().moved == 1; });
  // One message per second: the next batch is due exactly one second after the first started.
  ASSERT_TRUE(store_->next_deadline_ms().has_value());
  EXPECT_EQ(*store_->next_deadline_ms(), now_ms_ + 1000);
  now_ms_ += 999;
  run_due_timers();
  committer_->wait_and_run_completions(std::chrono::milliseconds(20));
  EXPECT_EQ(latest().moved, 1u);
  now_ms_ += 1;
  run_due_timers();
  settle([&] { return latest().moved == 2; });
  now_ms_ += 1000;
  run_due_timers();
  settle([&] { return latest().moved == 3; });
  now_ms_ += 1000;
  run_due_timers();
  settle([&] { return latest().status == MoveTaskStatus::kCompleted; });
  EXPECT_EQ(counts("dest").visible, 3u);
}

TEST_F(MoveTaskTest, CancelStopsTheTaskAndReportsWhatMoved) {
  dead_letter({"1", "2", "3"});
  create("dest");
  auto handle = start(arn("dlq"), arn("dest"), 1);
  ASSERT_TRUE(handle.ok());
  settle([&] { return latest().moved == 1; });
  MessageMoveTask running = latest();
  EXPECT_EQ(running.status, MoveTaskStatus::kRunning);
  EXPECT_EQ(running.max_per_second, 1u);
  auto moved = cancel(*handle);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(*moved, 1u);
  EXPECT_EQ(latest().status, MoveTaskStatus::kCancelled);
  for (int i = 0; i < 5; ++i) advance(1000), run_due_timers();
  EXPECT_EQ(counts("dest").visible, 1u);
  EXPECT_EQ(counts("dlq").visible, 2u);
  // A finished task cannot be cancelled, and a new one may start.
  auto again = cancel(*handle);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kResourceNotFound);
  EXPECT_TRUE(start(arn("dlq"), arn("dest")).ok());
}

TEST_F(MoveTaskTest, CancelRejectsBadAndUnknownHandles) {
  dead_letter({"1"});
  auto bad = cancel("not a handle");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(bad.error().message, "Value for parameter TaskHandle is invalid.");
  auto unknown = cancel(MoveTaskHandle{"no-such-task", arn("dlq")}.encode());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kResourceNotFound);
  EXPECT_EQ(unknown.error().message, "Task does not exist.");
  auto gone = cancel(MoveTaskHandle{"t", arn("nope")}.encode());
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kResourceNotFound);
}

TEST_F(MoveTaskTest, FailsWhenTheDestinationIsDeleted) {
  dead_letter({"1", "2", "3"});
  create("dest");
  ASSERT_TRUE(start(arn("dlq"), arn("dest"), 1).ok());
  settle([&] { return latest().moved == 1; });
  std::optional<Status> deleted;
  store_->delete_queue("dest", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  advance(1000);
  settle([&] { return latest().status == MoveTaskStatus::kFailed; });
  EXPECT_EQ(latest().failure_reason, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(latest().moved, 1u);
  EXPECT_EQ(counts("dlq").visible, 2u);  // the rest stayed, none lost
}

TEST_F(MoveTaskTest, FailsWhenAMessageHasNoSourceToGoBackTo) {
  dead_letter({"dead"});
  send("dlq", {"sent straight to the dlq"});
  ASSERT_TRUE(start(arn("dlq")).ok());
  run_until_done();
  EXPECT_EQ(latest().status, MoveTaskStatus::kFailed);
  EXPECT_EQ(latest().moved, 1u);
  EXPECT_EQ(bodies("dlq"), (std::multiset<std::string>{"sent straight to the dlq"}));
}

TEST_F(MoveTaskTest, ListsNewestFirstAndKeepsTen) {
  dead_letter({"m"});
  create("dest");
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(start(arn("dlq"), arn("dest")).ok());
    run_until_done();
    now_ms_ += 1;
  }
  auto tasks = store_->list_move_tasks(arn("dlq"), 10);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 10u);
  for (size_t i = 1; i < tasks->size(); ++i) {
    EXPECT_GT((*tasks)[i - 1].started_ms, (*tasks)[i].started_ms);
  }
  EXPECT_EQ(tasks->front().moved, 0u);  // only the first task had a message to move
  EXPECT_EQ(store_->list_move_tasks(arn("dlq"), std::nullopt)->size(), 1u);
  auto zero = store_->list_move_tasks(arn("dlq"), 0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_FALSE(store_->list_move_tasks(arn("dlq"), 11).ok());
  auto missing = store_->list_move_tasks(arn("nope"), 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
  reopen();
  EXPECT_EQ(store_->list_move_tasks(arn("dlq"), 10)->size(), 10u);
}

TEST_F(MoveTaskTest, ARunningTaskResumesAfterARestart) {
  dead_letter({"1", "2", "3", "4"});
  create("dest");
  ASSERT_TRUE(start(arn("dlq"), arn("dest"), 1).ok());
  settle([&] { return latest().moved == 1; });
  reopen();
  MessageMoveTask t = latest();
  EXPECT_EQ(t.status, MoveTaskStatus::kRunning);
  EXPECT_EQ(t.moved, 1u);
  EXPECT_EQ(t.to_move, 4u);
  drive_until_done();
  EXPECT_EQ(latest().status, MoveTaskStatus::kCompleted);
  EXPECT_EQ(latest().moved, 4u);
  EXPECT_EQ(bodies("dest"), (std::multiset<std::string>{"1", "2", "3", "4"}));
  EXPECT_TRUE(bodies("dlq").empty());
}

TEST_F(MoveTaskTest, DeletingTheDeadLetterQueueDropsItsTasks) {
  dead_letter({"1", "2"});
  create("dest");
  ASSERT_TRUE(start(arn("dlq"), arn("dest"), 1).ok());
  settle([&] { return latest().moved == 1; });
  std::optional<Status> deleted;
  store_->delete_queue("dlq", [&](Status s) { deleted = std::move(s); });
  settle([&] { return deleted.has_value(); });
  advance(1000);
  committer_->wait_and_run_completions(std::chrono::milliseconds(20));
  EXPECT_FALSE(store_->list_move_tasks(arn("dlq"), 1).ok());
  now_ms_ += 60'000;
  create("dlq");
  EXPECT_TRUE(store_->list_move_tasks(arn("dlq"), 10)->empty());
  reopen();
  EXPECT_TRUE(store_->list_move_tasks(arn("dlq"), 10)->empty());
  EXPECT_EQ(counts("dest").visible, 1u);
}

}  // namespace
}  // namespace sluice::storage::testing
