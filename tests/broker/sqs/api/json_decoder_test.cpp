// JSON 1.0 decoding beyond the happy path: malformed bodies, wrong member types (with the texts
// of AWS's JSON framework), nulls, missing required members, in-place parsing of padded input.
#include "broker/sqs/api/json_decoder.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

void expect_error(Action action, std::string_view body, ErrorCode code,
                  std::string_view message = {}) {
  auto r = decode_json(action, body);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_EQ(r.error().code, code) << body;
  if (!message.empty()) {
    EXPECT_EQ(r.error().message, message) << body;
  }
}

TEST(JsonDecoder, MalformedBodiesAreSerializationErrors) {
  for (std::string_view bad : {"{", "{\"QueueUrl\":}", "{\"QueueUrl\":\"u\",}", "[]", "\"x\"", "42",
                               "null", "nul", "{\"QueueUrl\":\"u\"} {}", "{\"QueueUrl\":\"u\"}x",
                               "{\"QueueUrl\":\"\xff\"}", "{'QueueUrl':'u'}", "   "}) {
    expect_error(Action::DeleteQueue, bad, ErrorCode::kSerialization);
  }
}

TEST(JsonDecoder, EmptyBodyAndWhitespaceAroundObjectAreFine) {
  auto r = decode_json(Action::ListQueues, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<ListQueuesRequest>(*r), ListQueuesRequest{});
  auto d = decode_json(Action::DeleteQueue, " \n{ \"QueueUrl\" : \"u\" }\n ");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<DeleteQueueRequest>(*d).queue_url, "u");
}

TEST(JsonDecoder, WrongMemberTypesUseCoralMessages) {
  expect_error(Action::ReceiveMessage, R"({"QueueUrl":"u","MaxNumberOfMessages":"10"})",
               ErrorCode::kSerialization,
               "class java.lang.String can not be converted to an Integer");
  expect_error(Action::ReceiveMessage, R"({"QueueUrl":"u","WaitTimeSeconds":true})",
               ErrorCode::kSerialization,
               "class java.lang.Boolean can not be converted to an Integer");
  expect_error(Action::DeleteQueue, R"({"QueueUrl":5})", ErrorCode::kSerialization,
               "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
               "converted to an String");
  expect_error(Action::DeleteQueue, R"({"QueueUrl":["u"]})", ErrorCode::kSerialization,
               "Start of list found where not expected");
  expect_error(Action::DeleteQueue, R"({"QueueUrl":{"a":1}})", ErrorCode::kSerialization,
               "Start of structure or map found where not expected.");
  expect_error(Action::GetQueueAttributes, R"({"QueueUrl":"u","AttributeNames":"All"})",
               ErrorCode::kSerialization, "Expected list or null");
  expect_error(Action::CreateQueue, R"({"QueueName":"q","Attributes":["a"]})",
               ErrorCode::kSerialization, "Start of list found where not expected");
  expect_error(Action::CreateQueue, R"({"QueueName":"q","Attributes":"a"})",
               ErrorCode::kSerialization, "Expected map or null");
  expect_error(Action::CreateQueue, R"({"QueueName":"q","Attributes":{"DelaySeconds":5}})",
               ErrorCode::kSerialization,
               "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
               "converted to an String");
  expect_error(Action::SendMessage,
               R"({"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":"x"}})",
               ErrorCode::kSerialization, "Expected null");
  expect_error(
      Action::SendMessage,
      R"({"QueueUrl":"u","MessageBody":"b","MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"!!"}}})",
      ErrorCode::kSerialization, "'!!' can not be converted to a Blob: Invalid Base64 encoding");
  expect_error(Action::SendMessageBatch, R"({"QueueUrl":"u","Entries":{"Id":"a"}})",
               ErrorCode::kSerialization, "Start of structure or map found where not expected.");
}

TEST(JsonDecoder, NullMembersAreAbsent) {
  auto r = decode_json(Action::ReceiveMessage,
                       R"({"QueueUrl":"u","MaxNumberOfMessages":null,"AttributeNames":null,)"
                       R"("ReceiveRequestAttemptId":null})");
  ASSERT_TRUE(r.ok());
  const auto& rm = std::get<ReceiveMessageRequest>(*r);
  EXPECT_FALSE(rm.max_number_of_messages.has_value());
  EXPECT_TRUE(rm.attribute_names.empty());
  EXPECT_FALSE(rm.receive_request_attempt_id.has_value());
  expect_error(Action::DeleteQueue, R"({"QueueUrl":null})", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueUrl.");
}

TEST(JsonDecoder, MissingRequiredMembers) {
  expect_error(Action::SendMessage, R"({"QueueUrl":"u"})", ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageBody.");
  expect_error(Action::CreateQueue, "{}", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueName.");
  expect_error(Action::ChangeMessageVisibility, R"({"QueueUrl":"u","ReceiptHandle":"r"})",
               ErrorCode::kMissingParameter,
               "The request must contain the parameter VisibilityTimeout.");
  expect_error(Action::SendMessageBatch,
               R"({"QueueUrl":"u","Entries":[{"Id":"a","MessageBody":"x"},{"Id":"b"}]})",
               ErrorCode::kMissingParameter,
               "The request must contain the parameter Entries.2.MessageBody.");
}

TEST(JsonDecoder, FractionalNumbersTruncateLikeCoral) {
  auto r = decode_json(Action::ReceiveMessage, R"({"QueueUrl":"u","WaitTimeSeconds":2.9})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<ReceiveMessageRequest>(*r).wait_time_seconds, 2);
}

TEST(JsonDecoder, EscapesAndNonBmpDecode) {
  auto r = decode_json(Action::SendMessage,
                       R"({"QueueUrl":"u","MessageBody":"\u0000\t\"\\\/\ud83d\ude00é"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SendMessageRequest>(*r).message_body,
            std::string("\0\t\"\\/\xF0\x9F\x98\x80\xC3\xA9", 11));
}

TEST(JsonDecoder, PaddedBufferIsParsedInPlace) {
  std::string body = R"({"QueueUrl":"u","MessageBody":"in place"})";
  std::size_t size = body.size();
  body.append(kJsonPadding, '\0');
  auto r = decode_json(Action::SendMessage, std::string_view(body.data(), size), true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SendMessageRequest>(*r).message_body, "in place");
}

TEST(JsonDecoder, ModerateNestingInUnknownMembersIsSkipped) {
  std::string nested =
      R"({"x":)" + std::string(100, '[') + std::string(100, ']') + R"(,"QueueUrl":"u"})";
  auto r = decode_json(Action::DeleteQueue, nested);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<DeleteQueueRequest>(*r).queue_url, "u");
}

TEST(JsonDecoder, DeepNestingIsSkippedWithoutRecursion) {
  std::string deep =
      R"({"x":)" + std::string(5000, '[') + std::string(5000, ']') + R"(,"QueueUrl":"u"})";
  auto r = decode_json(Action::DeleteQueue, deep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<DeleteQueueRequest>(*r).queue_url, "u");
  // Unbalanced nesting is still caught.
  std::string broken = R"({"x":)" + std::string(5000, '[') + R"(,"QueueUrl":"u"})";
  auto b = decode_json(Action::DeleteQueue, broken);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kSerialization);
}

}  // namespace
}  // namespace sluice::sqs
