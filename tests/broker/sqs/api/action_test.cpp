// The action table: all 23 operations of shared/aws-models/sqs.json, both ways.
#include "broker/sqs/api/action.h"

#include <gtest/gtest.h>

#include <set>

namespace sluice::sqs {
namespace {

TEST(Action, AllModelOperationsRoundTrip) {
  const std::set<std::string_view> model = {"AddPermission",
                                            "CancelMessageMoveTask",
                                            "ChangeMessageVisibility",
                                            "ChangeMessageVisibilityBatch",
                                            "CreateQueue",
                                            "DeleteMessage",
                                            "DeleteMessageBatch",
                                            "DeleteQueue",
                                            "GetQueueAttributes",
                                            "GetQueueUrl",
                                            "ListDeadLetterSourceQueues",
                                            "ListMessageMoveTasks",
                                            "ListQueueTags",
                                            "ListQueues",
                                            "PurgeQueue",
                                            "ReceiveMessage",
                                            "RemovePermission",
                                            "SendMessage",
                                            "SendMessageBatch",
                                            "SetQueueAttributes",
                                            "StartMessageMoveTask",
                                            "TagQueue",
                                            "UntagQueue"};
  ASSERT_EQ(model.size(), kActionCount);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < kActionCount; ++i) {
    auto a = static_cast<Action>(i);
    std::string_view name = action_name(a);
    seen.insert(name);
    auto back = action_from_name(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, a);
  }
  EXPECT_EQ(seen, model);
}

TEST(Action, LookupIsExactAndCaseSensitive) {
  EXPECT_FALSE(action_from_name("sendmessage"));
  EXPECT_FALSE(action_from_name("SendMessage "));
  EXPECT_FALSE(action_from_name(""));
  EXPECT_FALSE(action_from_name("AmazonSQS.SendMessage"));
  EXPECT_FALSE(action_from_name("ZZZ"));
  EXPECT_FALSE(action_from_name("A"));
}

TEST(Action, QueueUrlAndEmptyResultFlagsFollowTheModel) {
  EXPECT_TRUE(action_takes_queue_url(Action::SendMessage));
  EXPECT_TRUE(action_takes_queue_url(Action::ListDeadLetterSourceQueues));
  EXPECT_FALSE(action_takes_queue_url(Action::CreateQueue));
  EXPECT_FALSE(action_takes_queue_url(Action::GetQueueUrl));
  EXPECT_FALSE(action_takes_queue_url(Action::ListQueues));
  EXPECT_FALSE(action_takes_queue_url(Action::StartMessageMoveTask));
  EXPECT_TRUE(action_has_empty_result(Action::DeleteMessage));
  EXPECT_TRUE(action_has_empty_result(Action::TagQueue));
  EXPECT_FALSE(action_has_empty_result(Action::SendMessage));
  EXPECT_FALSE(action_has_empty_result(Action::CancelMessageMoveTask));
}

}  // namespace
}  // namespace sluice::sqs
