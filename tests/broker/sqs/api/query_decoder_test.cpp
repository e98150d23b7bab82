// Query-protocol decoding beyond the happy path: the Action parameter, the queue named by the
// request path, gaps and order of flattened indexes, and the errors AWS returns for missing or
// mistyped parameters.
#include "broker/sqs/api/query_decoder.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

Result<AnyRequest> decode(std::string_view body, std::string_view path = "/") {
  FormParams params;
  EXPECT_TRUE(protocol::decode_form(body, params).ok());
  return decode_query(params, path);  // the copying overload
}

void expect_error(std::string_view body, ErrorCode code, std::string_view message,
                  std::string_view path = "/") {
  auto r = decode(body, path);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_EQ(r.error().code, code) << body;
  EXPECT_EQ(r.error().message, message) << body;
}

TEST(QueryDecoder, MissingActionAndUnknownAction) {
  expect_error("QueueUrl=u", ErrorCode::kMissingAction,
               "The request must contain the parameter Action.");
  expect_error("Action=Frobnicate", ErrorCode::kInvalidAction,
               "The action Frobnicate is not valid for this web service.");
  expect_error("Action=sendmessage", ErrorCode::kInvalidAction,
               "The action sendmessage is not valid for this web service.");
}

TEST(QueryDecoder, MissingRequiredScalarsNameTheParameter) {
  expect_error("Action=CreateQueue", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueName.");
  expect_error("Action=SendMessage&QueueUrl=u", ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageBody.");
  expect_error("Action=ChangeMessageVisibility&QueueUrl=u&ReceiptHandle=r",
               ErrorCode::kMissingParameter,
               "The request must contain the parameter VisibilityTimeout.");
  expect_error("Action=DeleteMessage&QueueUrl=u", ErrorCode::kMissingParameter,
               "The request must contain the parameter ReceiptHandle.");
  expect_error("Action=GetQueueUrl", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueName.");
  expect_error("Action=StartMessageMoveTask", ErrorCode::kMissingParameter,
               "The request must contain the parameter SourceArn.");
}

TEST(QueryDecoder, QueueUrlComesFromThePathWhenAbsent) {
  auto r = decode("Action=SendMessage&MessageBody=hi", "/000000000000/orders");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SendMessageRequest>(*r).queue_url, "/000000000000/orders");

  // The parameter wins over the path.
  auto p = decode("Action=PurgeQueue&QueueUrl=http%3A%2F%2Fh%2F1%2Fq", "/000000000000/other");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(std::get<PurgeQueueRequest>(*p).queue_url, "http://h/1/q");

  // A query string on the path is not part of the queue URL.
  auto g = decode("Action=GetQueueAttributes", "/000000000000/q?Action=GetQueueAttributes");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(std::get<GetQueueAttributesRequest>(*g).queue_url, "/000000000000/q");

  expect_error("Action=DeleteQueue", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueUrl.", "/");
  expect_error("Action=DeleteQueue", ErrorCode::kMissingParameter,
               "The request must contain the parameter QueueUrl.", "");
}

TEST(QueryDecoder, NonIntegersWhereTheModelHasIntegers) {
  expect_error("Action=ReceiveMessage&QueueUrl=u&MaxNumberOfMessages=ten",
               ErrorCode::kInvalidParameterValue,
               "Value ten for parameter MaxNumberOfMessages is invalid. Reason: Must be an "
               "integer.");
  expect_error("Action=ReceiveMessage&QueueUrl=u&WaitTimeSeconds=1.5",
               ErrorCode::kInvalidParameterValue,
               "Value 1.5 for parameter WaitTimeSeconds is invalid. Reason: Must be an integer.");
  expect_error("Action=SendMessage&QueueUrl=u&MessageBody=b&DelaySeconds=",
               ErrorCode::kInvalidParameterValue,
               "Value  for parameter DelaySeconds is invalid. Reason: Must be an integer.");
  expect_error("Action=ListQueues&MaxResults=2147483648", ErrorCode::kInvalidParameterValue,
               "Value 2147483648 for parameter MaxResults is invalid. Reason: Must be an "
               "integer.");
  expect_error(
      "Action=SendMessageBatch&QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a&"
      "SendMessageBatchRequestEntry.1.MessageBody=b&"
      "SendMessageBatchRequestEntry.1.DelaySeconds=x",
      ErrorCode::kInvalidParameterValue,
      "Value x for parameter DelaySeconds is invalid. Reason: Must be an integer.");
}

TEST(QueryDecoder, SignedIntegersParse) {
  auto r = decode("Action=ReceiveMessage&QueueUrl=u&VisibilityTimeout=-1&WaitTimeSeconds=%2B3");
  ASSERT_TRUE(r.ok());
  const auto& rm = std::get<ReceiveMessageRequest>(*r);
  EXPECT_EQ(rm.visibility_timeout, -1);  // out of range is validation's business
  EXPECT_EQ(rm.wait_time_seconds, 3);
}

TEST(QueryDecoder, FlattenedIndexesAreOrderedByIndexNotArrival) {
  auto r = decode(
      "Action=CreateQueue&QueueName=q&Attribute.10.Name=C&Attribute.10.Value=3&"
      "Attribute.2.Value=2&Attribute.2.Name=B&Attribute.1.Name=A&Attribute.1.Value=1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<CreateQueueRequest>(*r).attributes,
            (AttributeList{{"A", "1"}, {"B", "2"}, {"C", "3"}}));
}

TEST(QueryDecoder, IncompleteMapEntriesAreMissingParameters) {
  expect_error("Action=CreateQueue&QueueName=q&Attribute.1.Name=A", ErrorCode::kMissingParameter,
               "The request must contain the parameter Attribute.1.Value.");
  expect_error("Action=TagQueue&QueueUrl=u&Tag.3.Value=v", ErrorCode::kMissingParameter,
               "The request must contain the parameter Tag.3.Key.");
  expect_error(
      "Action=SendMessage&QueueUrl=u&MessageBody=b&"
      "MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x",
      ErrorCode::kMissingParameter,
      "The request must contain the parameter MessageAttribute.1.Name.");
  expect_error("Action=DeleteMessageBatch&QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a",
               ErrorCode::kMissingParameter,
               "The request must contain the parameter "
               "DeleteMessageBatchRequestEntry.1.ReceiptHandle.");
  expect_error(
      "Action=SendMessageBatch&QueueUrl=u&SendMessageBatchRequestEntry.2."
      "MessageBody=b",
      ErrorCode::kMissingParameter,
      "The request must contain the parameter SendMessageBatchRequestEntry.2.Id.");
}

TEST(QueryDecoder, MalformedIndexesAreIgnoredLikeUnknownParameters) {
  auto r = decode(
      "Action=UntagQueue&QueueUrl=u&TagKey.0=a&TagKey.x=b&TagKey.1.2=c&TagKey=d&"
      "TagKey.2=k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<UntagQueueRequest>(*r).tag_keys, std::vector<std::string>{"k"});
}

TEST(QueryDecoder, BadBase64BinaryValue) {
  expect_error(
      "Action=SendMessage&QueueUrl=u&MessageBody=b&MessageAttribute.1.Name=x&"
      "MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=%21%21",
      ErrorCode::kInvalidParameterValue,
      "Value !! for parameter MessageAttribute.1.Value.BinaryValue is invalid. Reason: "
      "Must be base64-encoded.");
}

TEST(QueryDecoder, EmptyBatchesAndListsDecodeEmpty) {
  auto r = decode("Action=SendMessageBatch&QueueUrl=u");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::get<SendMessageBatchRequest>(*r).entries.empty());
  auto s = decode("Action=SetQueueAttributes&QueueUrl=u");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(std::get<SetQueueAttributesRequest>(*s).attributes.empty());
}

TEST(QueryDecoder, PresentButEmptyOptionalStringsAreKept) {
  auto r = decode("Action=SendMessage&QueueUrl=u&MessageBody=b&MessageGroupId=");
  ASSERT_TRUE(r.ok());
  const auto& sm = std::get<SendMessageRequest>(*r);
  ASSERT_TRUE(sm.message_group_id.has_value());
  EXPECT_EQ(*sm.message_group_id, "");
  EXPECT_FALSE(sm.message_deduplication_id.has_value());
}

TEST(QueryDecoder, RvalueOverloadMovesBodies) {
  FormParams params;
  std::string big(1 << 20, 'x');
  params.add("Action", "SendMessage");
  params.add("QueueUrl", "u");
  params.add("MessageBody", big);
  auto r = decode_query(std::move(params), "/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SendMessageRequest>(*r).message_body, big);
}

TEST(QueryDecoder, ManyOutOfOrderIndexesStayFast) {
  // Descending indexes must not degrade to quadratic work.
  std::string body = "Action=UntagQueue&QueueUrl=u";
  for (int i = 20000; i >= 1; --i) body += "&TagKey." + std::to_string(i) + "=k";
  auto r = decode(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<UntagQueueRequest>(*r).tag_keys.size(), 20000u);
}

}  // namespace
}  // namespace sluice::sqs
