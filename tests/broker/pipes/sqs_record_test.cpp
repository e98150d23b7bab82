// The record a pipe makes of an SQS message, field by field (standard and FIFO, string and binary
// attributes), and the view filters match: the body parsed when it is JSON, the poller's fields
// left out.
#include "broker/pipes/sqs_record.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::pipes {
namespace {

storage::ReceivedMessage message() {
  storage::ReceivedMessage m;
  m.message_id = "0c3d6b4e-message-id-of-the-test";
  m.receipt_handle = "a-receipt-handle-of-the-test";
  m.body = R"({"orderId":42})";
  m.body_md5 = "md5-of-the-body-of-the-test";
  m.sender_id = "000000000000";
  m.sent_ms = 1'700'000'000'123;
  m.first_receive_ms = 1'700'000'000'456;
  m.receive_count = 2;
  m.attributes.push_back({"colour", "String", "blue and green", false});
  m.attributes.push_back({"blob", "Binary", std::string("\x01\x02\x03", 3), true});
  return m;
}

const std::string kSource = "arn:aws:sqs:us-east-1:000000000000:orders-queue";

TEST(SqsRecordTest, StandardMessageFieldByField) {
  json::Value r = sqs_record(message(), kSource, "us-east-1");
  const auto& o = r.as_object();
  EXPECT_EQ(o.find("messageId")->as_string(), "0c3d6b4e-message-id-of-the-test");
  EXPECT_EQ(o.find("receiptHandle")->as_string(), "a-receipt-handle-of-the-test");
  EXPECT_EQ(o.find("body")->as_string(), R"({"orderId":42})");
  EXPECT_EQ(o.find("md5OfBody")->as_string(), "md5-of-the-body-of-the-test");
  EXPECT_EQ(o.find("eventSource")->as_string(), "aws:sqs");
  EXPECT_EQ(o.find("eventSourceARN")->as_string(), kSource);
  EXPECT_EQ(o.find("awsRegion")->as_string(), "us-east-1");
  EXPECT_EQ(*o.find("attributes"),
            *engine::json::parse(R"({"ApproximateReceiveCount":"2",)"
                                 R"("SentTimestamp":"1700000000123","SenderId":"000000000000",)"
                                 R"("ApproximateFirstReceiveTimestamp":"1700000000456"})"));
  EXPECT_EQ(*o.find("messageAttributes"),
            *engine::json::parse(
                R"({"colour":{"stringValue":"blue and green","stringListValues":[],)"
                R"("binaryListValues":[],"dataType":"String"},)"
                R"("blob":{"binaryValue":"AQID","stringListValues":[],"binaryListValues":[],)"
                R"("dataType":"Binary"}})"));
}

TEST(SqsRecordTest, FifoMessagesCarrySequenceGroupAndDeduplication) {
  storage::ReceivedMessage m = message();
  m.group_id = "group-of-the-test";
  m.dedup_id = "dedup-of-the-test";
  m.seq = 7;
  json::Value r = sqs_record(m, kSource + ".fifo", "us-east-1");
  const auto& a = r.as_object().find("attributes")->as_object();
  EXPECT_EQ(a.find("MessageGroupId")->as_string(), "group-of-the-test");
  EXPECT_EQ(a.find("MessageDeduplicationId")->as_string(), "dedup-of-the-test");
  EXPECT_EQ(a.find("SequenceNumber")->as_string().size(), 20u);
}

TEST(SqsRecordTest, TheFilterViewParsesAJsonBodyAndDropsThePollersFields) {
  bool json_body = false;
  json::Value v = filter_view(sqs_record(message(), kSource, "us-east-1"), &json_body);
  EXPECT_TRUE(json_body);
  EXPECT_EQ(*v.as_object().find("body"), *engine::json::parse(R"({"orderId":42})"));
  EXPECT_EQ(v.as_object().find("eventSource"), nullptr);
  EXPECT_EQ(v.as_object().find("awsRegion"), nullptr);
  storage::ReceivedMessage plain = message();
  plain.body = "not json at all";
  v = filter_view(sqs_record(plain, kSource, "us-east-1"), &json_body);
  EXPECT_FALSE(json_body);
  EXPECT_EQ(v.as_object().find("body")->as_string(), "not json at all");
}

}  // namespace
}  // namespace sluice::pipes
