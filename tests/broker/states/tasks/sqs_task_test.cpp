// sqs:sendMessage and sqs:sendMessage.waitForTaskToken through the TaskRouter into a real
// QueueStore, and the task-token calls (SendTaskSuccess/Failure/Heartbeat) that answer them.
#include <gtest/gtest.h>

#include <regex>

#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

class SqsTaskTest : public TaskFixture {
 protected:
  static std::string send_definition(const std::string& parameters,
                                     const std::string& resource = "sqs:sendMessage",
                                     const std::string& extra = "") {
    return R"({"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::)" +
           resource + R"(","Parameters":)" + parameters + extra + R"(,"End":true}}})";
  }
};

TEST_F(SqsTaskTest, SendsTheMessageInProcessAndReturnsSendMessagesResponse) {
  std::string url = create_queue("orders");
  auto ex = start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$.body"})"),
                  R"({"body":"hello"})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "MD5OfMessageBody"), "5d41402abc4b2a76b9719d911017c592");  // md5("hello")
  EXPECT_FALSE(member(out, "MD5OfMessageAttributes"));
  // The SDK metadata as AWS records it: headers in the order sent (values as lists) and sorted,
  // Content-Length the length of SendMessage's JSON body (106 for these two members).
  const json::Value* http = member(out, "SdkHttpMetadata");
  ASSERT_TRUE(http);
  const json::Value* all = member(*http, "AllHttpHeaders");
  const json::Value* one = member(*http, "HttpHeaders");
  ASSERT_TRUE(all && one);
  std::vector<std::string> all_names, sorted_names;
  for (const auto& [k, v] : all->as_object()) all_names.push_back(k);
  for (const auto& [k, v] : one->as_object()) sorted_names.push_back(k);
  EXPECT_EQ(all_names, (std::vector<std::string>{"x-amzn-RequestId", "connection", "Content-Length",
                                                 "Date", "Content-Type"}));
  EXPECT_EQ(sorted_names, (std::vector<std::string>{"connection", "Content-Length", "Content-Type",
                                                    "Date", "x-amzn-RequestId"}));
  EXPECT_EQ(str(*one, "Content-Length"), "106");
  EXPECT_EQ(str(*one, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(str(*one, "connection"), "keep-alive");
  EXPECT_TRUE(std::regex_match(
      str(*one, "Date"),
      std::regex(R"([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT)")));
  EXPECT_EQ(engine::json::serialize(*member(*all, "Content-Length")), R"(["106"])");
  EXPECT_EQ(member(*http, "HttpStatusCode")->as_int(), 200);
  ASSERT_TRUE(member(out, "SdkResponseMetadata"));
  EXPECT_EQ(str(*member(out, "SdkResponseMetadata"), "RequestId"), str(*one, "x-amzn-RequestId"));
  auto got = receive("orders");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "hello");
  EXPECT_EQ(got[0].message_id, str(out, "MessageId"));
  EXPECT_EQ(types(*ex), (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                  "TaskScheduled", "TaskStarted", "TaskSucceeded",
                                                  "TaskStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resourceType"), "sqs");
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resource"), "sendMessage");
}

TEST_F(SqsTaskTest, AJsonMessageBodyIsSerialized) {
  std::string url = create_queue("q");
  auto ex = start(send_definition(R"({"QueueUrl":")" + url +
                                  R"(","MessageBody":{"id.$":"$.id","tags":[1,2.5,"x"]}})"),
                  R"({"id":7})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded);
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, R"({"id":7,"tags":[1,2.5,"x"]})");
}

TEST_F(SqsTaskTest, MessageAttributesAndDelayAreStored) {
  std::string url = create_queue("q");
  auto ex = start(send_definition(
      R"({"QueueUrl":")" + url +
      R"(","MessageBody":"b","DelaySeconds":0,"MessageAttributes":{"kind":{"DataType":"String","StringValue":"order"},"blob":{"DataType":"Binary","BinaryValue":"AQID"}}})"));
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  EXPECT_EQ(str(output_value(*ex), "MD5OfMessageAttributes").size(), 32u);
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].attributes.size(), 2u);
  EXPECT_EQ(got[0].attributes[0].name, "kind");
  EXPECT_EQ(got[0].attributes[0].value, "order");
  EXPECT_EQ(got[0].attributes[1].value, std::string("\x01\x02\x03"));
  EXPECT_TRUE(got[0].attributes[1].is_binary);
}

TEST_F(SqsTaskTest, AMissingQueueFailsWithTheSdkExceptionName) {
  auto ex = start(
      R"({"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
        "Parameters":{"QueueUrl":"http://localhost:9324/000000000000/nope","MessageBody":"x"},
        "Catch":[{"ErrorEquals":["SQS.QueueDoesNotExistException"],"Next":"Caught"}],"End":true},
        "Caught":{"Type":"Pass","End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded);
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "Error"), "SQS.QueueDoesNotExistException");
  EXPECT_NE(str(out, "Cause").find("The specified queue does not exist"), std::string::npos);
  EXPECT_NE(str(out, "Cause").find("Error Code: AWS.SimpleQueueService.NonExistentQueue"),
            std::string::npos);
  EXPECT_NE(str(out, "Cause").find("Service: AmazonSQS; Status Code: 400"), std::string::npos);
}

TEST_F(SqsTaskTest, AnotherAccountsQueueDoesNotExist) {
  create_queue("q");
  auto ex = start(
      send_definition(R"({"QueueUrl":"http://localhost:9324/111111111111/q","MessageBody":"x"})"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "SQS.QueueDoesNotExistException");
}

TEST_F(SqsTaskTest, SqsValidationErrorsAreAmazonSqsExceptions) {
  std::string url = create_queue("q");
  auto ex = start(
      send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":"x","DelaySeconds":901})"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "SQS.AmazonSQSException");
  EXPECT_NE(ex->outcome().cause.value_or("").find("Error Code: InvalidParameterValue"),
            std::string::npos);

  auto missing_body = start(send_definition(R"({"QueueUrl":")" + url + R"("})"), "{}", "exec-2");
  ASSERT_TRUE(wait_finished(missing_body));
  EXPECT_EQ(missing_body->outcome().error.value_or(""), "SQS.AmazonSQSException");
  EXPECT_NE(missing_body->outcome().cause.value_or("").find(
                "The request must contain the parameter MessageBody."),
            std::string::npos);

  auto bad_chars = start(
      send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":"a\u0001"})"), "{}", "exec-3");
  ASSERT_TRUE(wait_finished(bad_chars));
  EXPECT_EQ(bad_chars->outcome().error.value_or(""), "SQS.InvalidMessageContentsException");
  EXPECT_TRUE(receive("q").empty());
}

TEST_F(SqsTaskTest, AnUnknownParameterIsARuntimeError) {
  std::string url = create_queue("q");
  auto ex = start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":"x","Bogus":1})"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Runtime");
  EXPECT_NE(ex->outcome().cause.value_or("").find("'Bogus'"), std::string::npos);
}

TEST_F(SqsTaskTest, FifoQueuesTakeGroupAndDeduplicationIds) {
  std::string url = create_queue("orders.fifo", {{"FifoQueue", "true"}});
  auto send = [&](const std::string& body, const std::string& dedup, const std::string& name) {
    auto ex =
        start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":")" + body +
                              R"(","MessageGroupId":"customer-1","MessageDeduplicationId":")" +
                              dedup + R"("})"),
              "{}", name);
    EXPECT_TRUE(wait_finished(ex));
    EXPECT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
        << ex->outcome().cause.value_or("");
    return output_value(*ex);
  };
  json::Value first = send("first", "d1", "exec-1");
  json::Value second = send("second", "d2", "exec-2");
  // SequenceNumber, as SendMessage returns it for a FIFO queue: growing.
  ASSERT_TRUE(member(first, "SequenceNumber"));
  EXPECT_EQ(str(first, "SequenceNumber").size(), 20u);
  EXPECT_LT(str(first, "SequenceNumber"), str(second, "SequenceNumber"));
  // A duplicate within the window answers with the original and stores nothing.
  json::Value again = send("first again", "d1", "exec-3");
  EXPECT_EQ(str(again, "MessageId"), str(first, "MessageId"));
  EXPECT_EQ(str(again, "SequenceNumber"), str(first, "SequenceNumber"));
  auto got = receive("orders.fifo");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, "first");
  EXPECT_EQ(got[1].body, "second");
  EXPECT_EQ(got[0].group_id, "customer-1");
  EXPECT_EQ(got[0].dedup_id, "d1");
  EXPECT_EQ(got[0].message_id, str(first, "MessageId"));
}

TEST_F(SqsTaskTest, FifoRulesAreSendMessages) {
  std::string url = create_queue("q.fifo", {{"FifoQueue", "true"}});
  auto fails = [&](const std::string& parameters, const std::string& name) {
    auto ex = start(
        send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":"x")" + parameters + "}"),
        "{}", name);
    EXPECT_TRUE(wait_finished(ex));
    EXPECT_EQ(ex->outcome().error.value_or(""), "SQS.AmazonSQSException") << parameters;
    return ex->outcome().cause.value_or("");
  };
  EXPECT_NE(fails(R"(,"MessageDeduplicationId":"d")", "e1")
                .find("The request must contain the parameter MessageGroupId."),
            std::string::npos);
  EXPECT_NE(fails(R"(,"MessageGroupId":"g")", "e2").find("ContentBasedDeduplication"),
            std::string::npos);
  EXPECT_NE(fails(R"(,"MessageGroupId":"g","MessageDeduplicationId":"d","DelaySeconds":5)", "e3")
                .find("DelaySeconds"),
            std::string::npos);
  EXPECT_NE(fails(R"(,"MessageGroupId":"not valid","MessageDeduplicationId":"d")", "e4")
                .find("MessageGroupId"),
            std::string::npos);
  EXPECT_TRUE(receive("q.fifo").empty());

  // With ContentBasedDeduplication the body's SHA-256 is the deduplication id.
  std::string cbd =
      create_queue("cbd.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  auto ex = start(
      send_definition(R"({"QueueUrl":")" + cbd + R"(","MessageBody":"x","MessageGroupId":"g"})"),
      "{}", "e5");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  auto got = receive("cbd.fifo");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].dedup_id.size(), 64u);
}

TEST_F(SqsTaskTest, StandardQueuesKeepGroupIdsAndRefuseDeduplicationIds) {
  std::string url = create_queue("q");
  auto ex = start(
      send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody":"x","MessageGroupId":"g"})"));
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  EXPECT_FALSE(member(output_value(*ex), "SequenceNumber"));
  auto got = receive("q");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].group_id, "g");  // a fair queue

  auto dedup = start(send_definition(R"({"QueueUrl":")" + url +
                                     R"(","MessageBody":"x","MessageDeduplicationId":"d"})"),
                     "{}", "exec-2");
  ASSERT_TRUE(wait_finished(dedup));
  EXPECT_EQ(dedup->outcome().error.value_or(""), "SQS.AmazonSQSException");
  EXPECT_NE(dedup->outcome().cause.value_or("").find("MessageDeduplicationId"), std::string::npos);
  EXPECT_TRUE(receive("q").empty());
}

// The callback pattern: the message carries the token; a consumer answers with SendTaskSuccess.
TEST_F(SqsTaskTest, WaitForTaskTokenWaitsForSendTaskSuccess) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url +
                                R"(","MessageBody":{"input.$":"$","TaskToken.$":"$$.Task.Token"}})",
                            "sqs:sendMessage.waitForTaskToken"),
            R"({"n":1})");
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kRunning);
  json::Value submitted = parse(detail(event(*ex, "TaskSubmitted"), "output"));
  EXPECT_EQ(str(submitted, "MD5OfMessageBody").size(), 32u);

  auto got = receive("work");
  ASSERT_EQ(got.size(), 1u);
  json::Value body = parse(got[0].body);
  std::string token = token_in(body);
  ASSERT_EQ(token.size(), 64u);
  EXPECT_EQ(engine::json::serialize(*member(body, "input")), R"({"n":1})");

  EXPECT_FALSE(router_->send_task_success(token, parse(R"({"done":true})")));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded);
  EXPECT_EQ(output(*ex), R"({"done":true})");
  EXPECT_EQ(types(*ex),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskSubmitted", "TaskSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
  // The task is over: the same token now gets TaskTimedOut, as on AWS.
  auto again = router_->send_task_success(token, parse("{}"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->type, "TaskTimedOut");
  EXPECT_EQ(again->message, "Task Timed Out: 'Provided task does not exist anymore'");
  EXPECT_EQ(router_->tasks_in_flight(), 0u);
}

TEST_F(SqsTaskTest, SendTaskFailureFailsTheStateWithTheGivenErrorAndCause) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                            "sqs:sendMessage.waitForTaskToken"));
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  auto got = receive("work");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(router_->send_task_failure(got[0].body, "Rejected", "out of stock"));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kFailed);
  EXPECT_EQ(ex->outcome().error.value_or(""), "Rejected");
  EXPECT_EQ(ex->outcome().cause.value_or(""), "out of stock");
  EXPECT_EQ(detail(event(*ex, "TaskFailed"), "error"), "Rejected");
}

TEST_F(SqsTaskTest, HeartbeatsKeepATaskAliveUntilTheyStop) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                            "sqs:sendMessage.waitForTaskToken", R"(,"HeartbeatSeconds":10)"));
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  std::string token = receive("work").at(0).body;
  for (int i = 0; i < 3; ++i) {
    timers_.advance_by(8000);
    EXPECT_FALSE(router_->send_task_heartbeat(token)) << i;
  }
  EXPECT_EQ(ex->status(), executor::ExecutionStatus::kRunning);
  timers_.advance_by(10000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Timeout");  // as AWS records it
  auto late = router_->send_task_heartbeat(token);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->type, "TaskTimedOut");
  EXPECT_EQ(router_->tasks_in_flight(), 0u);
}

TEST_F(SqsTaskTest, ATimedOutTaskRefusesItsToken) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                            "sqs:sendMessage.waitForTaskToken", R"(,"TimeoutSeconds":5)"));
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  std::string token = receive("work").at(0).body;
  timers_.advance_by(5000);
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "States.Timeout");
  auto e = router_->send_task_success(token, parse("{}"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "TaskTimedOut");
}

TEST_F(SqsTaskTest, AStoppedExecutionRefusesItsToken) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                            "sqs:sendMessage.waitForTaskToken"));
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  std::string token = receive("work").at(0).body;
  ASSERT_TRUE(ex->stop());
  EXPECT_EQ(router_->tasks_in_flight(), 0u);
  auto e = router_->send_task_failure(token, "E", "C");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "TaskTimedOut");
}

TEST_F(SqsTaskTest, MalformedTokensAreInvalid) {
  for (const std::string& bad :
       std::vector<std::string>{"", "short", std::string(64, '!'), std::string(3000, 'a')}) {
    auto e = router_->send_task_success(bad, parse("{}"));
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->type, "InvalidToken");
    EXPECT_EQ(e->message, "Invalid Token: 'Invalid token'");
  }
  auto unknown = router_->send_task_heartbeat(TaskRouter::make_task_token());
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->type, "TaskTimedOut");
}

// A consumer may answer before the send's own completion has run: the token is registered before
// the message goes out.
TEST_F(SqsTaskTest, AnAnswerArrivingBeforeTheSendCompletesIsKept) {
  std::string url = create_queue("work");
  auto ex =
      start(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                            "sqs:sendMessage.waitForTaskToken"));
  // The token is known from the TaskScheduled parameters before any completion ran.
  json::Value params = parse(detail(event(*ex, "TaskScheduled"), "parameters"));
  std::string token = str(params, "MessageBody");
  ASSERT_EQ(token.size(), 64u);
  EXPECT_FALSE(router_->send_task_success(token, parse(R"("early")")));
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(output(*ex), R"("early")");
  // The message still goes out (the send was already under way).
  std::size_t got = 0;
  EXPECT_TRUE(run_until([&] { return (got += receive("work").size()) > 0; }));
}

// After a restart a waiting callback task is attached again without sending its message again.
TEST_F(SqsTaskTest, ResumeRegistersTheTokenWithoutSendingAgain) {
  std::string url = create_queue("work");
  HeldTask capture;
  auto ex =
      start_held(send_definition(R"({"QueueUrl":")" + url + R"(","MessageBody.$":"$$.Task.Token"})",
                                 "sqs:sendMessage.waitForTaskToken"),
                 capture);
  ASSERT_TRUE(capture.handle);
  json::Value submitted = parse(R"({"MessageId":"m","MD5OfMessageBody":"x"})");
  router_->resume_attempt(capture.request, capture.handle, &submitted);
  run_for(20);
  EXPECT_TRUE(receive("work").empty());
  EXPECT_FALSE(router_->send_task_success(capture.request.task_token, parse("true")));
  EXPECT_EQ(output(*ex), "true");
}

}  // namespace
}  // namespace sluice::states::tasks::testing
