// SqsResponseParser: JSON 1.0 and query (XML) responses, AWS error shapes, malformed answers.
#include "bench/load/sqs_response_parser.h"

#include <gtest/gtest.h>

#include "tests/bench/wire_test_util.h"

namespace sluice::bench {
namespace {

using testing::response;

TEST(SqsResponseParserJson, SendMessage) {
  SqsResponseParser p(Protocol::kJson);
  auto r = p.send_message(response(
      200, R"({"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"m-1"})"));
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  EXPECT_EQ(r->md5_of_body, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(r->message_id, "m-1");
}

TEST(SqsResponseParserJson, BatchWithSuccessesAndFailures) {
  SqsResponseParser p(Protocol::kJson);
  auto r =
      p.batch(response(200, R"({"Successful":[{"Id":"0","MessageId":"a","MD5OfMessageBody":"x"},
      {"Id":"2","MessageId":"b","MD5OfMessageBody":"y","SequenceNumber":"1"}],
      "Failed":[{"Id":"1","SenderFault":true,"Code":"InvalidMessageContents","Message":"bad"}]})"));
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  ASSERT_EQ(r->successful.size(), 2u);
  EXPECT_EQ(r->successful[1].id, "2");
  EXPECT_EQ(r->successful[1].md5_of_body, "y");
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].code, "InvalidMessageContents");
  EXPECT_TRUE(r->failed[0].sender_fault);
}

TEST(SqsResponseParserJson, ReceiveMessagesAndEmptyReceive) {
  SqsResponseParser p(Protocol::kJson);
  auto r = p.receive_message(response(200, R"({"Messages":[{"MessageId":"m","ReceiptHandle":"rh",
      "MD5OfBody":"d","Body":"line\nwith \"quotes\" \u00e9","Attributes":{"SentTimestamp":"1"}}]})"));
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  ASSERT_EQ(r->messages.size(), 1u);
  EXPECT_EQ(r->messages[0].body, "line\nwith \"quotes\" \xC3\xA9");
  EXPECT_EQ(r->messages[0].receipt_handle, "rh");
  auto empty = p.receive_message(response(200, "{}"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->messages.empty());
  auto empty_list = p.receive_message(response(200, R"({"Messages":[]})"));
  ASSERT_TRUE(empty_list.ok());
  EXPECT_TRUE(empty_list->messages.empty());
}

TEST(SqsResponseParserJson, ErrorCodeFromType) {
  SqsResponseParser p(Protocol::kJson);
  auto r = p.send_message(response(
      400,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().label, "QueueDoesNotExist");
  EXPECT_EQ(r.failure().detail, "The specified queue does not exist.");
}

TEST(SqsResponseParserJson, ErrorCodeFromQueryErrorHeaderOrStatus) {
  SqsResponseParser p(Protocol::kJson);
  HttpResponse r = response(400, "");
  r.query_error = "AWS.SimpleQueueService.NonExistentQueue;Sender";
  EXPECT_EQ(p.error(r).label, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(p.empty(response(503, "Service Unavailable")).failure().label, "http-503");
}

TEST(SqsResponseParserJson, MalformedSuccessIsBadResponse) {
  SqsResponseParser p(Protocol::kJson);
  EXPECT_EQ(p.send_message(response(200, "<html>")).failure().label, "bad-response");
  EXPECT_EQ(p.send_message(response(200, "[1,2]")).failure().label, "bad-response");
  EXPECT_EQ(p.send_message(response(200, R"({"MD5OfMessageBody":"x"})")).failure().label,
            "bad-response")
      << "no MessageId";
  EXPECT_EQ(p.receive_message(response(200, R"({"Messages":[{"Body":"x"}]})")).failure().label,
            "bad-response")
      << "no ReceiptHandle";
  EXPECT_EQ(p.batch(response(200, R"({"Successful":{"Id":"0"}})")).failure().label, "bad-response")
      << "not a list";
  EXPECT_EQ(p.queue_url(response(200, "{}")).failure().label, "bad-response");
}

TEST(SqsResponseParserQuery, SendMessage) {
  SqsResponseParser p(Protocol::kQuery);
  auto r = p.send_message(response(200, R"(<?xml version="1.0"?>
<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
  <SendMessageResult>
    <MD5OfMessageBody>fafb00f5732ab283681e124bf8747ed1</MD5OfMessageBody>
    <MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId>
  </SendMessageResult>
  <ResponseMetadata><RequestId>27daac76-34dd-47df-bd01-1f6e873584a0</RequestId></ResponseMetadata>
</SendMessageResponse>)"));
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  EXPECT_EQ(r->md5_of_body, "fafb00f5732ab283681e124bf8747ed1");
  EXPECT_EQ(r->message_id, "5fea7756-0ea4-451a-a703-a558b933e274");
}

TEST(SqsResponseParserQuery, ReceiveUnescapesBodiesAndIgnoresAttributes) {
  SqsResponseParser p(Protocol::kQuery);
  auto r = p.receive_message(response(200, R"(<ReceiveMessageResponse><ReceiveMessageResult>
<Message><MessageId>m1</MessageId><ReceiptHandle>rh1+/=</ReceiptHandle><MD5OfBody>d1</MD5OfBody>
<Body>a &lt;b&gt; &amp; &quot;c&quot;&#xD;</Body>
<Attribute><Name>SenderId</Name><Value>1</Value></Attribute></Message>
<Message><MessageId>m2</MessageId><ReceiptHandle>rh2</ReceiptHandle><MD5OfBody>d2</MD5OfBody><Body>x</Body></Message>
</ReceiveMessageResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>)"));
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  ASSERT_EQ(r->messages.size(), 2u);
  EXPECT_EQ(r->messages[0].body, "a <b> & \"c\"\r");
  EXPECT_EQ(r->messages[0].receipt_handle, "rh1+/=");
  EXPECT_EQ(r->messages[0].message_id, "m1") << "Attribute/Name must not overwrite message fields";
  EXPECT_EQ(r->messages[1].md5_of_body, "d2");
  auto empty = p.receive_message(
      response(200, "<ReceiveMessageResponse><ReceiveMessageResult/></ReceiveMessageResponse>"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->messages.empty());
}

TEST(SqsResponseParserQuery, BatchResults) {
  SqsResponseParser p(Protocol::kQuery);
  auto sends = p.batch(response(200, R"(<SendMessageBatchResponse><SendMessageBatchResult>
<SendMessageBatchResultEntry><Id>0</Id><MessageId>a</MessageId><MD5OfMessageBody>x</MD5OfMessageBody></SendMessageBatchResultEntry>
<BatchResultErrorEntry><Id>1</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>m</Message></BatchResultErrorEntry>
</SendMessageBatchResult></SendMessageBatchResponse>)"));
  ASSERT_TRUE(sends.ok()) << sends.failure().detail;
  ASSERT_EQ(sends->successful.size(), 1u);
  EXPECT_EQ(sends->successful[0].md5_of_body, "x");
  ASSERT_EQ(sends->failed.size(), 1u);
  EXPECT_EQ(sends->failed[0].id, "1");
  EXPECT_EQ(sends->failed[0].code, "InvalidParameterValue");
  EXPECT_TRUE(sends->failed[0].sender_fault);

  auto deletes = p.batch(response(200, R"(<DeleteMessageBatchResponse><DeleteMessageBatchResult>
<DeleteMessageBatchResultEntry><Id>0</Id></DeleteMessageBatchResultEntry>
<DeleteMessageBatchResultEntry><Id>1</Id></DeleteMessageBatchResultEntry>
</DeleteMessageBatchResult></DeleteMessageBatchResponse>)"));
  ASSERT_TRUE(deletes.ok());
  ASSERT_EQ(deletes->successful.size(), 2u);
  EXPECT_EQ(deletes->successful[1].id, "1");
}

TEST(SqsResponseParserQuery, ErrorResponse) {
  SqsResponseParser p(Protocol::kQuery);
  auto r =
      p.queue_url(response(400, R"(<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>
<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message>
</Error><RequestId>r</RequestId></ErrorResponse>)"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().label, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(r.failure().detail, "The specified queue does not exist.");
}

TEST(SqsResponseParserQuery, QueueUrlAndMalformed) {
  SqsResponseParser p(Protocol::kQuery);
  auto r = p.queue_url(response(200,
                                "<CreateQueueResponse><CreateQueueResult><QueueUrl>http://h/0/q"
                                "</QueueUrl></CreateQueueResult></CreateQueueResponse>"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queue_url, "http://h/0/q");
  EXPECT_EQ(
      p.send_message(response(200, "<SendMessageResponse><SendMessageResult>")).failure().label,
      "bad-response");
  EXPECT_EQ(p.send_message(response(200, "{\"MessageId\":\"json in query mode\"}")).failure().label,
            "bad-response");
}

}  // namespace
}  // namespace sluice::bench
