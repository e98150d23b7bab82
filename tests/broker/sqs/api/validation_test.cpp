// SQS input rules: each test names the AWS error code and checks the message text clients see.
#include "broker/sqs/api/validation.h"

#include <gtest/gtest.h>

#include "tests/broker/sqs/api/attribute_builders.h"

namespace sluice::sqs {
namespace {

constexpr auto str = testing::string_attribute;
constexpr auto bin = testing::binary_attribute;

void expect_error(const Status& s, ErrorCode code, std::string_view message = {}) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, code);
  if (!message.empty()) {
    EXPECT_EQ(s.error().message, message);
  }
}

constexpr std::string_view kBadName =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
constexpr std::string_view kBadFifoName =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
    "must end with .fifo suffix and be 1 to 80 in length.";

TEST(Validation, QueueNameInvalidParameterValue) {
  EXPECT_TRUE(validate_queue_name("a", false).ok());
  EXPECT_TRUE(validate_queue_name("Orders_v2-prod", false).ok());
  EXPECT_TRUE(validate_queue_name(std::string(80, 'q'), false).ok());
  EXPECT_TRUE(validate_queue_name("orders.fifo", true).ok());
  EXPECT_TRUE(validate_queue_name(std::string(75, 'q') + ".fifo", true).ok());

  expect_error(validate_queue_name("", false), ErrorCode::kInvalidParameterValue, kBadName);
  expect_error(validate_queue_name(std::string(81, 'q'), false), ErrorCode::kInvalidParameterValue,
               kBadName);
  expect_error(validate_queue_name("a b", false), ErrorCode::kInvalidParameterValue, kBadName);
  expect_error(validate_queue_name("a.b", false), ErrorCode::kInvalidParameterValue, kBadName);
  expect_error(validate_queue_name("q\xC3\xA9", false), ErrorCode::kInvalidParameterValue,
               kBadName);
  expect_error(validate_queue_name("orders.fifo", false), ErrorCode::kInvalidParameterValue,
               kBadName);
  expect_error(validate_queue_name("orders", true), ErrorCode::kInvalidParameterValue,
               kBadFifoName);
  expect_error(validate_queue_name(".fifo", true), ErrorCode::kInvalidParameterValue, kBadFifoName);
  expect_error(validate_queue_name(std::string(76, 'q') + ".fifo", true),
               ErrorCode::kInvalidParameterValue, kBadFifoName);
}

constexpr std::string_view kBadChars =
    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
    "#xE000 to #xFFFD | #x10000 to #x10FFFF";

TEST(Validation, MessageBodyCharactersInvalidMessageContents) {
  EXPECT_TRUE(validate_message_body("plain \t\r\n text ~\x7f").ok());
  EXPECT_TRUE(
      validate_message_body("\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBD").ok());      // D7FF E000 FFFD
  EXPECT_TRUE(validate_message_body("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF").ok());  // 10000 10FFFF

  for (std::string bad : {std::string("a\0b", 3), std::string("\x01"), std::string("\x1f"),
                          std::string("\x0b"), std::string("\xEF\xBF\xBE"),  // U+FFFE
                          std::string("\xEF\xBF\xBF"),                       // U+FFFF
                          std::string("\xED\xA0\x80"),                       // surrogate D800
                          std::string("\xC0\xAF"),                           // overlong
                          std::string("\xF4\x90\x80\x80"),                   // > 10FFFF
                          std::string("abc\xC3"),                            // truncated
                          std::string("\xFF")}) {
    expect_error(validate_message_body(bad), ErrorCode::kInvalidMessageContents, kBadChars);
  }
}

TEST(Validation, EmptyBodyIsAMissingParameter) {
  expect_error(validate_message_body(""), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageBody.");
}

TEST(Validation, MessageAttributeCountAndNames) {
  std::vector<MessageAttribute> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(str("a" + std::to_string(i), "String", "v"));
  EXPECT_TRUE(validate_message_attributes(ten).ok());
  ten.push_back(str("a10", "String", "v"));
  expect_error(validate_message_attributes(ten), ErrorCode::kInvalidParameterValue,
               "Number of message attributes [11] exceeds the allowed maximum [10].");

  EXPECT_TRUE(validate_message_attributes({str("a.b-c_D9", "String", "v")}).ok());
  EXPECT_TRUE(validate_message_attributes({str(std::string(256, 'n'), "String", "v")}).ok());
  expect_error(validate_message_attributes({str(std::string(257, 'n'), "String", "v")}),
               ErrorCode::kInvalidParameterValue,
               "Message (user) attribute names must be shorter than 256 Bytes");
  expect_error(validate_message_attributes({str("a b", "String", "v")}),
               ErrorCode::kInvalidParameterValue,
               "Message (user) attributes name can only contain upper and lower score "
               "characters, digits, periods, hyphens and underscores. ");
  const std::string reserved =
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings "
      "are reserved for internal use. Additionally, they cannot start or end with '.'.";
  for (std::string name : {"AWS.x", "aws.x", "Amazon.x", "AMAZON.x", ".x", "x."}) {
    expect_error(validate_message_attributes({str(name, "String", "v")}),
                 ErrorCode::kInvalidParameterValue, reserved);
  }
  EXPECT_TRUE(validate_message_attributes({str("AWSx", "String", "v")}).ok());
  expect_error(validate_message_attributes({str("a..b", "String", "v")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_attributes({str("d", "String", "v"), str("d", "String", "w")}),
               ErrorCode::kInvalidParameterValue);
}

TEST(Validation, MessageAttributeTypesAndValues) {
  EXPECT_TRUE(
      validate_message_attributes({str("n", "Number", "-1.5e3"), str("i", "Number", "42"),
                                   str("c", "String.custom", "x"), bin("b", "Binary.png", "\x01")})
          .ok());
  expect_error(validate_message_attributes({str("t", "", "v")}), ErrorCode::kInvalidParameterValue,
               "The message attribute 't' must contain non-empty message attribute type.");
  expect_error(validate_message_attributes({str("t", "Text", "v")}),
               ErrorCode::kInvalidParameterValue,
               "The message attribute 't' has an invalid message attribute type, the set of "
               "supported type prefixes is Binary, Number, and String.");
  expect_error(validate_message_attributes({str("t", "Strings", "v")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_attributes({str("t", "String", "")}),
               ErrorCode::kInvalidParameterValue,
               "The message attribute 't' must contain non-empty message attribute value for "
               "message attribute type 'String'.");
  expect_error(validate_message_attributes({bin("t", "Binary", "")}),
               ErrorCode::kInvalidParameterValue,
               "The message attribute 't' must contain non-empty message attribute value for "
               "message attribute type 'Binary'.");
  expect_error(validate_message_attributes({str("n", "Number", "12abc")}),
               ErrorCode::kInvalidParameterValue,
               "Can't cast the value of message (user) attribute 'n' to a number.");
  expect_error(validate_message_attributes({str("n", "Number.x", "")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_attributes({bin("s", "String", "x")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_attributes({str("b", "Binary", "x")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_attributes({str("s", "String", std::string("\x01"))}),
               ErrorCode::kInvalidParameterValue, kBadChars);
  expect_error(validate_message_attributes({str("s", std::string(257, 'S'), "x")}),
               ErrorCode::kInvalidParameterValue);
}

TEST(Validation, MessageSystemAttributesOnlyAwsTraceHeader) {
  EXPECT_TRUE(validate_message_system_attributes({str("AWSTraceHeader", "String", "Root=1")}).ok());
  expect_error(validate_message_system_attributes({str("SenderId", "String", "x")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_system_attributes({str("AWSTraceHeader", "Number", "1")}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_message_system_attributes({str("AWSTraceHeader", "String", "")}),
               ErrorCode::kInvalidParameterValue);
}

TEST(Validation, MessageSizeCountsBodyAndAttributes) {
  std::vector<MessageAttribute> attrs = {str("ab", "String", "xyz"), bin("c", "Binary", "12")};
  EXPECT_EQ(message_size("body", attrs), 4u + (2 + 6 + 3) + (1 + 6 + 2));
  EXPECT_TRUE(validate_message_size("body", attrs, 24).ok());
  expect_error(validate_message_size("body", attrs, 23), ErrorCode::kInvalidParameterValue,
               "One or more parameters are invalid. Reason: Message must be shorter than 23 "
               "bytes.");
  std::string max(kDefaultMaximumMessageSize, 'x');
  EXPECT_TRUE(validate_message_size(max, {}, kDefaultMaximumMessageSize).ok());
  max.push_back('x');
  expect_error(validate_message_size(max, {}, kDefaultMaximumMessageSize),
               ErrorCode::kInvalidParameterValue,
               "One or more parameters are invalid. Reason: Message must be shorter than 262144 "
               "bytes.");
}

SendMessageBatchRequest batch(const std::vector<std::string>& ids) {
  SendMessageBatchRequest r;
  for (const auto& id : ids) {
    SendMessageBatchRequestEntry e;
    e.id = id;
    e.message_body = "b";
    r.entries.push_back(std::move(e));
  }
  return r;
}

TEST(Validation, BatchErrors) {
  EXPECT_TRUE(validate_batch(batch({"a", "b-2", "C_3"})).ok());
  expect_error(validate_batch(batch({})), ErrorCode::kEmptyBatchRequest,
               "There should be at least one SendMessageBatchRequestEntry in the request.");
  expect_error(validate_batch(DeleteMessageBatchRequest{}), ErrorCode::kEmptyBatchRequest,
               "There should be at least one DeleteMessageBatchRequestEntry in the request.");
  expect_error(validate_batch(ChangeMessageVisibilityBatchRequest{}), ErrorCode::kEmptyBatchRequest,
               "There should be at least one ChangeMessageVisibilityBatchRequestEntry in the "
               "request.");
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("i" + std::to_string(i));
  expect_error(validate_batch(batch(eleven)), ErrorCode::kTooManyEntriesInBatchRequest,
               "Maximum number of entries per request are 10. You have sent 11.");
  const std::string bad_id =
      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It "
      "can be at most 80 letters long.";
  expect_error(validate_batch(batch({"a", "b c"})), ErrorCode::kInvalidBatchEntryId, bad_id);
  expect_error(validate_batch(batch({""})), ErrorCode::kInvalidBatchEntryId, bad_id);
  expect_error(validate_batch(batch({std::string(81, 'i')})), ErrorCode::kInvalidBatchEntryId,
               bad_id);
  EXPECT_TRUE(validate_batch(batch({std::string(80, 'i')})).ok());
  expect_error(validate_batch(batch({"a", "b", "a"})), ErrorCode::kBatchEntryIdsNotDistinct,
               "Id a repeated.");
  DeleteMessageBatchRequest d{"u", {{"x", "r"}, {"x", "r2"}}};
  expect_error(validate_batch(d), ErrorCode::kBatchEntryIdsNotDistinct, "Id x repeated.");
}

TEST(Validation, RequestRangesFromTheModel) {
  ReceiveMessageRequest rm;
  EXPECT_TRUE(validate_request(rm).ok());
  rm.max_number_of_messages = 10;
  rm.wait_time_seconds = 20;
  rm.visibility_timeout = 43200;
  EXPECT_TRUE(validate_request(rm).ok());
  rm.max_number_of_messages = 0;
  expect_error(validate_request(rm), ErrorCode::kInvalidParameterValue,
               "Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 "
               "and 10, if provided.");
  rm.max_number_of_messages = 11;
  expect_error(validate_request(rm), ErrorCode::kInvalidParameterValue);
  rm.max_number_of_messages = 1;
  rm.wait_time_seconds = 21;
  expect_error(validate_request(rm), ErrorCode::kInvalidParameterValue,
               "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= "
               "20, if provided.");
  rm.wait_time_seconds = -1;
  expect_error(validate_request(rm), ErrorCode::kInvalidParameterValue);
  rm.wait_time_seconds = 0;
  rm.visibility_timeout = 43201;
  expect_error(validate_request(rm), ErrorCode::kInvalidParameterValue,
               "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between "
               "0 and 43200, if provided.");

  expect_error(validate_request(ChangeMessageVisibilityRequest{"u", "r", -1}),
               ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE(validate_request(ChangeMessageVisibilityRequest{"u", "r", 0}).ok());

  SendMessageRequest sm;
  sm.message_body = "b";
  sm.delay_seconds = 900;
  EXPECT_TRUE(validate_request(sm).ok());
  sm.delay_seconds = 901;
  expect_error(validate_request(sm), ErrorCode::kInvalidParameterValue,
               "Value 901 for parameter DelaySeconds is invalid. Reason: Must be between 0 and "
               "900, if provided.");

  EXPECT_TRUE(validate_request(ListQueuesRequest{std::nullopt, std::nullopt, 1000}).ok());
  expect_error(validate_request(ListQueuesRequest{std::nullopt, std::nullopt, 0}),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_request(ListDeadLetterSourceQueuesRequest{"u", std::nullopt, 1001}),
               ErrorCode::kInvalidParameterValue);
}

TEST(Validation, BatchEntriesAreCheckedOneByOne) {
  SendMessageBatchRequestEntry e;
  e.id = "a";
  e.message_body = "ok";
  EXPECT_TRUE(validate_entry(e).ok());
  e.message_body = "\x01";
  expect_error(validate_entry(e), ErrorCode::kInvalidMessageContents);
  e.message_body = "ok";
  e.delay_seconds = -1;
  expect_error(validate_entry(e), ErrorCode::kInvalidParameterValue);
  expect_error(validate_entry(ChangeMessageVisibilityBatchRequestEntry{"a", "r", 50000}),
               ErrorCode::kInvalidParameterValue);
}

TEST(Validation, FifoTokensAreAlphanumericOrPunctuation) {
  EXPECT_TRUE(validate_fifo_token("MessageGroupId", "g").ok());
  EXPECT_TRUE(validate_fifo_token("MessageGroupId", "CTC#order-1/2:x!{}~").ok());
  EXPECT_TRUE(validate_fifo_token("MessageDeduplicationId", std::string(128, 'd')).ok());
  expect_error(
      validate_fifo_token("MessageGroupId", "has space"), ErrorCode::kInvalidParameterValue,
      "Value has space for parameter MessageGroupId is invalid. Reason: MessageGroupId can "
      "only include alphanumeric and punctuation characters. 1 to 128 in length.");
  expect_error(validate_fifo_token("MessageDeduplicationId", std::string(129, 'd')),
               ErrorCode::kInvalidParameterValue);
  expect_error(validate_fifo_token("MessageGroupId", ""), ErrorCode::kInvalidParameterValue);
  expect_error(validate_fifo_token("ReceiveRequestAttemptId", "caf\xc3\xa9"),
               ErrorCode::kInvalidParameterValue);
  SendMessageRequest send;
  send.message_body = "b";
  send.message_group_id = "tab\tgroup";
  expect_error(validate_request(send), ErrorCode::kInvalidParameterValue);
  ReceiveMessageRequest receive;
  receive.receive_request_attempt_id = std::string(129, 'a');
  expect_error(validate_request(receive), ErrorCode::kInvalidParameterValue);
  SendMessageBatchRequestEntry entry;
  entry.id = "1";
  entry.message_body = "b";
  entry.message_deduplication_id = "new\nline";
  expect_error(validate_entry(entry), ErrorCode::kInvalidParameterValue);
}

}  // namespace
}  // namespace sluice::sqs
