#include "broker/states/executions/execution_feed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::states {
namespace {

engine::executor::HistoryEvent event(int64_t id) {
  engine::executor::HistoryEvent e;
  e.id = id;
  return e;
}

TEST(ExecutionFeed, DeliversEventsOfTheSubscribedExecutionOnly) {
  ExecutionFeed feed;
  std::vector<int64_t> a_ids, b_ids;
  feed.subscribe("arn:a", [&](const engine::executor::HistoryEvent& e) { a_ids.push_back(e.id); });
  feed.subscribe("arn:b", [&](const engine::executor::HistoryEvent& e) { b_ids.push_back(e.id); });
  feed.publish("arn:a", event(1));
  feed.publish("arn:b", event(2));
  feed.publish("arn:a", event(3));
  feed.publish("arn:c", event(4));
  EXPECT_EQ(a_ids, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(b_ids, (std::vector<int64_t>{2}));
}

TEST(ExecutionFeed, UnsubscribeStopsDeliveryAlsoFromInsideACallback) {
  ExecutionFeed feed;
  int calls = 0;
  uint64_t id = 0;
  id = feed.subscribe("arn:a", [&](const engine::executor::HistoryEvent&) {
    ++calls;
    feed.unsubscribe(id);  // a listener whose stream closed drops itself
  });
  int other = 0;
  feed.subscribe("arn:a", [&](const engine::executor::HistoryEvent&) { ++other; });
  feed.publish("arn:a", event(1));
  feed.publish("arn:a", event(2));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(other, 2);
  EXPECT_EQ(feed.listeners(), 1u);
}

}  // namespace
}  // namespace sluice::states
