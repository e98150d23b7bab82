// The history limit (AWS: 25,000 events): a runaway loop fails with States.Runtime as the last
// event, numbered at the limit, and a restart reproduces that end event for event.
#include <gtest/gtest.h>

#include "tests/engine/executor/executor_fixture.h"

namespace sluice::engine::executor {
namespace {

constexpr std::string_view kLoop = R"({"StartAt":"Spin","States":{
  "Spin":{"Type":"Pass","Result":{"spin":true},"Next":"Loop"},
  "Loop":{"Type":"Choice","Choices":[{"Variable":"$.spin","BooleanEquals":true,"Next":"Spin"}],
          "Default":"Done"},
  "Done":{"Type":"Succeed"}}})";

class HistoryLimitTest : public ExecutorTest {
 protected:
  static ExecutionOptions limited(int64_t events) {
    ExecutionOptions o;
    o.max_history_events = events;
    return o;
  }
};

TEST_F(HistoryLimitTest, ARunawayLoopFailsWithTheLastEventAtTheLimit) {
  auto ex = run(kLoop, "{}", limited(20));
  ASSERT_TRUE(ex);
  EXPECT_EQ(ex->status(), ExecutionStatus::kFailed);
  ASSERT_EQ(ex->history().size(), 20u);
  const HistoryEvent& last = ex->history().back();
  EXPECT_EQ(last.id, 20);
  EXPECT_EQ(last.previous_event_id, 19);
  EXPECT_EQ(last.type, HistoryEventType::kExecutionFailed);
  EXPECT_EQ(details(last),
            R"({"error":"States.Runtime","cause":"The execution reached the maximum number of )"
            R"(history events (20)."})");
  EXPECT_NE(ex->history()[18].type, HistoryEventType::kExecutionFailed);
  EXPECT_EQ(ex->outcome().error, "States.Runtime");
  // The sink saw exactly the recorded events, and the outcome once.
  EXPECT_EQ(sink.events.size(), 20u);
  EXPECT_EQ(sink.outcomes.size(), 1u);
}

TEST_F(HistoryLimitTest, AnExecutionThatEndsWithinTheLimitIsUntouched) {
  auto ex = run(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Pass","End":true}}})",
                "{}", limited(7));
  ASSERT_TRUE(ex);
  // Started, A entered/exited, B entered/exited, Succeeded: six events, under seven.
  EXPECT_EQ(ex->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(ex->history().size(), 6u);
}

TEST_F(HistoryLimitTest, RestoringTheCutHistoryReproducesItsEnd) {
  auto first = run(kLoop, "{}", limited(20));
  ASSERT_TRUE(first);
  std::vector<HistoryEvent> stored(sink.events.begin(), sink.events.end());
  for (size_t keep : {stored.size(), stored.size() - 1, size_t{10}}) {
    RecordingSink again;
    std::vector<HistoryEvent> prefix(stored.begin(), stored.begin() + static_cast<long>(keep));
    auto ex = Execution::restore(*asl::compile_definition(kLoop), test_info(), parse("{}"),
                                 test_services(again), limited(20), PersistedHistory{prefix, {}});
    Status st = ex->resume();
    ASSERT_TRUE(st.ok()) << keep << ": " << st.error().message;
    EXPECT_EQ(ex->status(), ExecutionStatus::kFailed) << keep;
    // What the second life records continues exactly where the first one's history went.
    ASSERT_EQ(prefix.size() + again.events.size(), stored.size()) << keep;
    for (size_t i = 0; i < again.events.size(); ++i) {
      const HistoryEvent& e = again.events[i];
      const HistoryEvent& want = stored[prefix.size() + i];
      EXPECT_EQ(e.id, want.id);
      EXPECT_EQ(e.type, want.type);
      EXPECT_EQ(e.previous_event_id, want.previous_event_id);
    }
  }
}

}  // namespace
}  // namespace sluice::engine::executor
