// Producers and consumers count wrong answers as errors: wrong MD5s, corrupted bodies, batch
// responses that skip or invent entries, too many messages. Right answers count as messages.
#include <gtest/gtest.h>

#include "bench/load/message_body.h"
#include "bench/load/message_consumer.h"
#include "bench/load/message_producer.h"
#include "tests/bench/wire_test_util.h"

namespace sluice::bench {
namespace {

using testing::response;

class VerificationTest : public ::testing::Test {
 protected:
  VerificationTest()
      : builder_(Protocol::kJson, parse_endpoint("http://127.0.0.1:1").value(), Credentials{},
                 false),
        parser_(Protocol::kJson) {
    queues_.names = {"q0"};
    queues_.urls = {"http://127.0.0.1:1/000000000000/q0"};
    ledger_.run_id = 77;
    context_ = WorkloadContext{&builder_, &parser_, &queues_, &ledger_};
  }

  uint64_t errors(std::string_view label) const {
    auto it = stats_.errors().find(label);
    return it == stats_.errors().end() ? 0 : it->second.count;
  }

  SqsRequestBuilder builder_;
  SqsResponseParser parser_;
  QueueSet queues_;
  MessageLedger ledger_;
  WorkloadContext context_;
  RunStats stats_;
};

std::string send_answer(const std::string& md5_hex) {
  return R"({"MessageId":"m","MD5OfMessageBody":")" + md5_hex + "\"}";
}

TEST_F(VerificationTest, CorrectSendMd5CountsTheMessage) {
  MessageProducer producer(context_, ProducerSettings{1, 100, false, 1, 0});
  auto request = producer.next(1000);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->action, ApiAction::kSendMessage);
  producer.on_response(*request, response(200, send_answer(to_hex(request->sent[0].md5))), stats_);
  EXPECT_EQ(stats_.messages().sent, 1u);
  EXPECT_EQ(stats_.total_errors(), 0u);
  EXPECT_EQ(ledger_.seqs.acknowledged_count(), 1u);
}

TEST_F(VerificationTest, WrongSendMd5IsAnError) {
  MessageProducer producer(context_, ProducerSettings{1, 100, false, 1, 0});
  auto request = producer.next(1000);
  ASSERT_TRUE(request);
  producer.on_response(*request, response(200, send_answer("00000000000000000000000000000000")),
                       stats_);
  EXPECT_EQ(stats_.messages().sent, 0u);
  EXPECT_EQ(errors("md5-mismatch"), 1u);
  EXPECT_EQ(stats_.action(ApiAction::kSendMessage).errors, 1u);
}

TEST_F(VerificationTest, ServerErrorIsCountedByCode) {
  MessageProducer producer(context_, ProducerSettings{1, 100, false, 1, 0});
  auto request = producer.next(1000);
  producer.on_response(
      *request, response(400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist"})"), stats_);
  EXPECT_EQ(errors("QueueDoesNotExist"), 1u);
}

TEST_F(VerificationTest, BatchEntriesAreMatchedById) {
  MessageProducer producer(context_, ProducerSettings{3, 100, false, 1, 0});
  auto request = producer.next(1000);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->action, ApiAction::kSendMessageBatch);
  ASSERT_EQ(request->sent.size(), 3u);
  // Entry 2 answered with entry 0's MD5, entry 1 failed, entry "7" never sent.
  const std::string body = R"({"Successful":[{"Id":"0","MessageId":"a","MD5OfMessageBody":")" +
                           to_hex(request->sent[0].md5) +
                           R"("},{"Id":"2","MessageId":"c","MD5OfMessageBody":")" +
                           to_hex(request->sent[0].md5) +
                           R"("},{"Id":"7","MessageId":"x",)"
                           R"("MD5OfMessageBody":"y"}],"Failed":[{"Id":"1","SenderFault":false,)"
                           R"("Code":"InternalError","Message":"oops"}]})";
  producer.on_response(*request, response(200, body), stats_);
  EXPECT_EQ(stats_.messages().sent, 1u);
  EXPECT_EQ(errors("md5-mismatch"), 1u);
  EXPECT_EQ(errors("InternalError"), 1u);
  EXPECT_EQ(errors("bad-response"), 1u) << "the unknown Id 7";
}

TEST_F(VerificationTest, BatchWithMissingEntriesIsBadResponse) {
  MessageProducer producer(context_, ProducerSettings{2, 100, false, 1, 0});
  auto request = producer.next(1000);
  producer.on_response(*request, response(200, R"({"Successful":[],"Failed":[]})"), stats_);
  EXPECT_EQ(errors("bad-response"), 1u);
  EXPECT_EQ(stats_.messages().sent, 0u);
}

TEST_F(VerificationTest, BudgetLimitsMessagesAndFifoSetsIds) {
  MessageProducer producer(context_, ProducerSettings{10, 100, true, 4, 25});
  uint64_t total = 0;
  while (auto r = producer.next(0)) {
    total += r->entries;
    EXPECT_NE(r->wire.find("\"MessageGroupId\":\"g"), std::string::npos);
    EXPECT_NE(r->wire.find("\"MessageDeduplicationId\":\"77-"), std::string::npos);
  }
  EXPECT_EQ(total, 25u);
  EXPECT_TRUE(producer.budget_spent());
  EXPECT_FALSE(producer.settled()) << "nothing answered yet";
}

std::string receive_answer(const std::string& body, const std::string& md5_hex,
                           const std::string& receipt = "rh") {
  return R"({"Messages":[{"MessageId":"m","ReceiptHandle":")" + receipt + R"(","MD5OfBody":")" +
         md5_hex + R"(","Body":")" + body + "\"}]}";
}

TEST_F(VerificationTest, ReceivedMessageIsVerifiedAndQueuedForDelete) {
  MessageConsumer consumer(context_, ConsumerSettings{1, 0, -1, true});
  auto receive = consumer.next(0);
  ASSERT_TRUE(receive);
  EXPECT_EQ(receive->action, ApiAction::kReceiveMessage);
  const std::string body = make_body(BodyStamp{77, 5, 1000}, 120);
  consumer.on_response(*receive, response(200, receive_answer(body, to_hex(md5(body)))), stats_,
                       3'000'000);
  EXPECT_EQ(stats_.messages().received, 1u);
  EXPECT_EQ(stats_.total_errors(), 0u);
  EXPECT_EQ(stats_.end_to_end().count(), 1u);
  EXPECT_EQ(stats_.end_to_end().max(), 2999u) << "send->receive in microseconds";

  auto del = consumer.next(0);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->action, ApiAction::kDeleteMessage) << "deletes go before new receives";
  EXPECT_NE(del->wire.find("\"ReceiptHandle\":\"rh\""), std::string::npos);
  EXPECT_FALSE(consumer.idle());
  consumer.on_response(*del, response(200, "{}"), stats_, 0);
  EXPECT_EQ(stats_.messages().deleted, 1u);
  EXPECT_TRUE(consumer.idle());
}

TEST_F(VerificationTest, WrongReceivedMd5IsAnError) {
  MessageConsumer consumer(context_, ConsumerSettings{1, 0, -1, false});
  auto receive = consumer.next(0);
  const std::string body = make_body(BodyStamp{77, 5, 1000}, 120);
  consumer.on_response(
      *receive, response(200, receive_answer(body, "0123456789abcdef0123456789abcdef")), stats_, 0);
  EXPECT_EQ(errors("md5-mismatch"), 1u);
  EXPECT_EQ(stats_.messages().received, 0u);
  EXPECT_FALSE(consumer.idle()) << "still deleted, to keep the queue clean";
}

TEST_F(VerificationTest, CorruptedBodyWithMatchingMd5IsAnError) {
  MessageConsumer consumer(context_, ConsumerSettings{1, 0, -1, false});
  auto receive = consumer.next(0);
  std::string body = make_body(BodyStamp{77, 5, 1000}, 120);
  body[100] = body[100] == 'a' ? 'b' : 'a';  // the server changed the body and its MD5 agrees
  consumer.on_response(*receive, response(200, receive_answer(body, to_hex(md5(body)))), stats_, 0);
  EXPECT_EQ(errors("body-corrupt"), 1u);
}

TEST_F(VerificationTest, RedeliveryIsCountedNotAnError) {
  MessageConsumer consumer(context_, ConsumerSettings{1, 0, -1, false});
  const std::string body = make_body(BodyStamp{77, 9, 1000}, 120);
  for (int i = 0; i < 2; ++i) {
    auto request = consumer.next(0);
    if (request->action != ApiAction::kReceiveMessage) {
      consumer.on_response(*request, response(200, "{}"), stats_, 0);
      request = consumer.next(0);
    }
    consumer.on_response(*request, response(200, receive_answer(body, to_hex(md5(body)))), stats_,
                         0);
  }
  EXPECT_EQ(stats_.messages().received, 2u);
  EXPECT_EQ(stats_.messages().redelivered, 1u);
  EXPECT_EQ(stats_.total_errors(), 0u);
}

TEST_F(VerificationTest, TooManyMessagesIsBadResponse) {
  MessageConsumer consumer(context_, ConsumerSettings{1, 0, -1, false});
  auto receive = consumer.next(0);
  const std::string a = make_body(BodyStamp{77, 1, 0}, 80);
  const std::string b = make_body(BodyStamp{77, 2, 0}, 80);
  const std::string answer = R"({"Messages":[{"ReceiptHandle":"1","MD5OfBody":")" + to_hex(md5(a)) +
                             R"(","Body":")" + a + R"("},{"ReceiptHandle":"2","MD5OfBody":")" +
                             to_hex(md5(b)) + R"(","Body":")" + b + "\"}]}";
  consumer.on_response(*receive, response(200, answer), stats_, 0);
  EXPECT_EQ(errors("bad-response"), 1u);
  EXPECT_EQ(stats_.messages().received, 2u);
}

TEST_F(VerificationTest, BatchDeleteChecksEveryEntry) {
  MessageConsumer consumer(context_, ConsumerSettings{10, 0, -1, false});
  auto receive = consumer.next(0);
  std::string answer = R"({"Messages":[)";
  for (int i = 0; i < 3; ++i) {
    const std::string b = make_body(BodyStamp{77, static_cast<uint64_t>(i), 0}, 80);
    if (i) answer += ",";
    answer += R"({"ReceiptHandle":"r)" + std::to_string(i) + R"(","MD5OfBody":")" + to_hex(md5(b)) +
              R"(","Body":")" + b + "\"}";
  }
  answer += "]}";
  consumer.on_response(*receive, response(200, answer), stats_, 0);
  auto del = consumer.next(0);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->action, ApiAction::kDeleteMessageBatch);
  EXPECT_EQ(del->entries, 3u);
  consumer.on_response(*del,
                       response(200, R"({"Successful":[{"Id":"0"},{"Id":"2"}],"Failed":[{"Id":"1",)"
                                     R"("SenderFault":true,"Code":"ReceiptHandleIsInvalid"}]})"),
                       stats_, 0);
  EXPECT_EQ(stats_.messages().deleted, 2u);
  EXPECT_EQ(errors("ReceiptHandleIsInvalid"), 1u);
  EXPECT_TRUE(consumer.idle());
}

}  // namespace
}  // namespace sluice::bench
