// Both protocols decode the same request to the same typed struct. The query bodies are what
// botocore 1.29's query serializer (the Debian awscli/boto3) sends, the JSON bodies what
// current botocore's JSON 1.0 serializer sends, for the same call; every one of the 23 actions
// is covered.
#include <gtest/gtest.h>

#include "tests/broker/sqs/api/attribute_builders.h"

#include "broker/sqs/api/json_decoder.h"
#include "broker/sqs/api/query_decoder.h"

namespace sluice::sqs {
namespace {

constexpr auto string_attr = testing::string_attribute;
constexpr auto binary_attr = testing::binary_attribute;

AnyRequest from_query(std::string_view body, std::string_view path = "/") {
  FormParams params;
  EXPECT_TRUE(protocol::decode_form(body, params).ok());
  auto r = decode_query(std::move(params), path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : AnyRequest{};
}

AnyRequest from_json(Action action, std::string_view body) {
  auto r = decode_json(action, body);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : AnyRequest{};
}

template <class T>
void expect_both(const T& expected, Action action, std::string_view query, std::string_view json) {
  AnyRequest q = from_query(query);
  AnyRequest j = from_json(action, json);
  ASSERT_TRUE(std::holds_alternative<T>(q)) << action_name(action);
  ASSERT_TRUE(std::holds_alternative<T>(j)) << action_name(action);
  EXPECT_EQ(std::get<T>(q), expected) << "query " << action_name(action);
  EXPECT_EQ(std::get<T>(j), expected) << "json " << action_name(action);
  EXPECT_EQ(q.index(), static_cast<std::size_t>(action));
}

TEST(RequestDecoding, SendMessageWithEveryMemberAndAwkwardBody) {
  SendMessageRequest e;
  e.queue_url = "http://localhost:9324/000000000000/q1";
  e.message_body = "a+b&c=d%e \r\n\t<x>\"'\xC3\xA9\xF0\x9F\x98\x80";
  e.delay_seconds = 5;
  e.message_attributes = {string_attr("s", "String", "v 1"), string_attr("n", "Number", "-1.5e3"),
                          binary_attr("b", "Binary.custom", std::string("\x00\x01\xff", 3))};
  e.message_system_attributes = {
      string_attr("AWSTraceHeader", "String", "Root=1-5759e988-bd862e3fe1be46a994272793")};
  e.message_deduplication_id = "d1";
  e.message_group_id = "g1";
  expect_both(
      e, Action::SendMessage,
      "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%3A9324%2F000000000000%"
      "2Fq1&MessageBody=a%2Bb%26c%3Dd%25e+%0D%0A%09%3Cx%3E%22%27%C3%A9%F0%9F%98%80&DelaySeconds=5&"
      "MessageAttribute.1.Name=s&MessageAttribute.1.Value.DataType=String&MessageAttribute.1."
      "Value.StringValue=v+1&MessageAttribute.2.Name=n&MessageAttribute.2.Value.DataType=Number&"
      "MessageAttribute.2.Value.StringValue=-1.5e3&MessageAttribute.3.Name=b&MessageAttribute.3."
      "Value.DataType=Binary.custom&MessageAttribute.3.Value.BinaryValue=AAH%2F&"
      "MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType="
      "String&MessageSystemAttribute.1.Value.StringValue=Root%3D1-5759e988-"
      "bd862e3fe1be46a994272793&MessageDeduplicationId=d1&MessageGroupId=g1",
      R"({"QueueUrl": "http://localhost:9324/000000000000/q1", "MessageBody": "a+b&c=d%e \r\n\t<x>\"'\u00e9\ud83d\ude00", "DelaySeconds": 5, "MessageAttributes": {"s": {"DataType": "String", "StringValue": "v 1"}, "n": {"DataType": "Number", "StringValue": "-1.5e3"}, "b": {"DataType": "Binary.custom", "BinaryValue": "AAH/"}}, "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}, "MessageDeduplicationId": "d1", "MessageGroupId": "g1"})");
}

TEST(RequestDecoding, CreateQueueAttributesAndTagsInRequestOrder) {
  CreateQueueRequest e;
  e.queue_name = "q1.fifo";
  e.attributes = {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}};
  e.tags = {{"team", "a b"}, {"env", "x=y"}};
  expect_both(
      e, Action::CreateQueue,
      "Action=CreateQueue&Version=2012-11-05&QueueName=q1.fifo&Attribute.1.Name=FifoQueue&"
      "Attribute.1.Value=true&Attribute.2.Name=VisibilityTimeout&Attribute.2.Value=30&Tag."
      "1.Key=team&Tag.1.Value=a+b&Tag.2.Key=env&Tag.2.Value=x%3Dy",
      R"({"QueueName": "q1.fifo", "Attributes": {"FifoQueue": "true", "VisibilityTimeout": "30"}, "tags": {"team": "a b", "env": "x=y"}})");
}

TEST(RequestDecoding, SendMessageBatch) {
  SendMessageBatchRequest e;
  e.queue_url = "u";
  auto& a = e.entries.emplace_back();
  a.id = "a";
  a.message_body = "one";
  a.delay_seconds = 1;
  a.message_attributes = {string_attr("k", "String", "v")};
  auto& b = e.entries.emplace_back();
  b.id = "b";
  b.message_body = "two";
  b.message_group_id = "g";
  b.message_deduplication_id = "d";
  expect_both(
      e, Action::SendMessageBatch,
      "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a&"
      "SendMessageBatchRequestEntry.1.MessageBody=one&SendMessageBatchRequestEntry.1.DelaySeconds="
      "1&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1."
      "MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.1.MessageAttribute.1."
      "Value.StringValue=v&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2."
      "MessageBody=two&SendMessageBatchRequestEntry.2.MessageGroupId=g&"
      "SendMessageBatchRequestEntry.2.MessageDeduplicationId=d",
      R"({"QueueUrl": "u", "Entries": [{"Id": "a", "MessageBody": "one", "DelaySeconds": 1, "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}, {"Id": "b", "MessageBody": "two", "MessageGroupId": "g", "MessageDeduplicationId": "d"}]})");
}

TEST(RequestDecoding, ReceiveMessage) {
  ReceiveMessageRequest e;
  e.queue_url = "u";
  e.attribute_names = {"All", "SentTimestamp"};
  e.message_attribute_names = {"All"};
  e.max_number_of_messages = 10;
  e.visibility_timeout = 30;
  e.wait_time_seconds = 20;
  e.receive_request_attempt_id = "r1";
  expect_both(
      e, Action::ReceiveMessage,
      "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=u&AttributeName.1=All&"
      "AttributeName.2=SentTimestamp&MessageAttributeName.1=All&MaxNumberOfMessages=10&"
      "VisibilityTimeout=30&WaitTimeSeconds=20&ReceiveRequestAttemptId=r1",
      R"({"QueueUrl": "u", "AttributeNames": ["All", "SentTimestamp"], "MessageAttributeNames": ["All"], "MaxNumberOfMessages": 10, "VisibilityTimeout": 30, "WaitTimeSeconds": 20, "ReceiveRequestAttemptId": "r1"})");
}

TEST(RequestDecoding, ReceiveMessageSystemAttributeNames) {
  ReceiveMessageRequest e;
  e.queue_url = "u";
  e.message_system_attribute_names = {"SenderId"};
  expect_both(e, Action::ReceiveMessage,
              "Action=ReceiveMessage&QueueUrl=u&MessageSystemAttributeName.1=SenderId",
              R"({"QueueUrl":"u","MessageSystemAttributeNames":["SenderId"]})");
}

TEST(RequestDecoding, ChangeMessageVisibilityBatch) {
  ChangeMessageVisibilityBatchRequest e;
  e.queue_url = "u";
  e.entries.push_back({"a", "rh+/=", 0});
  e.entries.push_back({"b", "rh2", std::nullopt});
  expect_both(
      e, Action::ChangeMessageVisibilityBatch,
      "Action=ChangeMessageVisibilityBatch&Version=2012-11-05&QueueUrl=u&"
      "ChangeMessageVisibilityBatchRequestEntry.1.Id=a&"
      "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=rh%2B%2F%3D&"
      "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=0&"
      "ChangeMessageVisibilityBatchRequestEntry.2.Id=b&"
      "ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=rh2",
      R"({"QueueUrl": "u", "Entries": [{"Id": "a", "ReceiptHandle": "rh+/=", "VisibilityTimeout": 0}, {"Id": "b", "ReceiptHandle": "rh2"}]})");
}

TEST(RequestDecoding, DeleteMessageBatch) {
  DeleteMessageBatchRequest e;
  e.queue_url = "u";
  e.entries = {{"a", "rh1"}, {"b", "rh2"}};
  expect_both(
      e, Action::DeleteMessageBatch,
      "Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=u&"
      "DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1."
      "ReceiptHandle=rh1&DeleteMessageBatchRequestEntry.2.Id=b&"
      "DeleteMessageBatchRequestEntry.2.ReceiptHandle=rh2",
      R"({"QueueUrl": "u", "Entries": [{"Id": "a", "ReceiptHandle": "rh1"}, {"Id": "b", "ReceiptHandle": "rh2"}]})");
}

TEST(RequestDecoding, AddPermission) {
  AddPermissionRequest e{
      "u", "l", {"111122223333", "444455556666"}, {"SendMessage", "ReceiveMessage"}};
  expect_both(
      e, Action::AddPermission,
      "Action=AddPermission&Version=2012-11-05&QueueUrl=u&Label=l&AWSAccountId.1="
      "111122223333&AWSAccountId.2=444455556666&ActionName.1=SendMessage&ActionName.2="
      "ReceiveMessage",
      R"({"QueueUrl": "u", "Label": "l", "AWSAccountIds": ["111122223333", "444455556666"], "Actions": ["SendMessage", "ReceiveMessage"]})");
}

TEST(RequestDecoding, TagQueueUntagQueueSetAndGetQueueAttributes) {
  expect_both(TagQueueRequest{"u", {{"k1", "v1"}, {"k2", ""}}}, Action::TagQueue,
              "Action=TagQueue&Version=2012-11-05&QueueUrl=u&Tag.1.Key=k1&Tag.1.Value=v1&Tag.2."
              "Key=k2&Tag.2.Value=",
              R"({"QueueUrl": "u", "Tags": {"k1": "v1", "k2": ""}})");
  expect_both(UntagQueueRequest{"u", {"k1", "k2"}}, Action::UntagQueue,
              "Action=UntagQueue&Version=2012-11-05&QueueUrl=u&TagKey.1=k1&TagKey.2=k2",
              R"({"QueueUrl": "u", "TagKeys": ["k1", "k2"]})");
  expect_both(
      SetQueueAttributesRequest{"u", {{"Policy", "{\"a\": [1]}"}, {"DelaySeconds", "10"}}},
      Action::SetQueueAttributes,
      "Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=u&Attribute.1.Name=Policy&"
      "Attribute.1.Value=%7B%22a%22%3A+%5B1%5D%7D&Attribute.2.Name=DelaySeconds&"
      "Attribute.2.Value=10",
      R"({"QueueUrl": "u", "Attributes": {"Policy": "{\"a\": [1]}", "DelaySeconds": "10"}})");
  expect_both(GetQueueAttributesRequest{"u", {"All"}}, Action::GetQueueAttributes,
              "Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=u&AttributeName.1=All",
              R"({"QueueUrl": "u", "AttributeNames": ["All"]})");
}

TEST(RequestDecoding, ListQueuesAndGetQueueUrl) {
  expect_both(ListQueuesRequest{"q", "t", 10}, Action::ListQueues,
              "Action=ListQueues&Version=2012-11-05&QueueNamePrefix=q&NextToken=t&MaxResults=10",
              R"({"QueueNamePrefix": "q", "NextToken": "t", "MaxResults": 10})");
  expect_both(ListQueuesRequest{}, Action::ListQueues, "Action=ListQueues", "{}");
  expect_both(GetQueueUrlRequest{"q1", "123456789012"}, Action::GetQueueUrl,
              "Action=GetQueueUrl&QueueName=q1&QueueOwnerAWSAccountId=123456789012",
              R"({"QueueName":"q1","QueueOwnerAWSAccountId":"123456789012"})");
}

TEST(RequestDecoding, SingleQueueActions) {
  expect_both(DeleteQueueRequest{"u"}, Action::DeleteQueue, "Action=DeleteQueue&QueueUrl=u",
              R"({"QueueUrl":"u"})");
  expect_both(PurgeQueueRequest{"u"}, Action::PurgeQueue, "Action=PurgeQueue&QueueUrl=u",
              R"({"QueueUrl":"u"})");
  expect_both(ListQueueTagsRequest{"u"}, Action::ListQueueTags, "Action=ListQueueTags&QueueUrl=u",
              R"({"QueueUrl":"u"})");
  expect_both(RemovePermissionRequest{"u", "l"}, Action::RemovePermission,
              "Action=RemovePermission&QueueUrl=u&Label=l", R"({"QueueUrl":"u","Label":"l"})");
  expect_both(ListDeadLetterSourceQueuesRequest{"u", "n", 5}, Action::ListDeadLetterSourceQueues,
              "Action=ListDeadLetterSourceQueues&QueueUrl=u&NextToken=n&MaxResults=5",
              R"({"QueueUrl":"u","NextToken":"n","MaxResults":5})");
}

TEST(RequestDecoding, MessageActions) {
  expect_both(DeleteMessageRequest{"u", "rh"}, Action::DeleteMessage,
              "Action=DeleteMessage&QueueUrl=u&ReceiptHandle=rh",
              R"({"QueueUrl":"u","ReceiptHandle":"rh"})");
  expect_both(ChangeMessageVisibilityRequest{"u", "rh", 43200}, Action::ChangeMessageVisibility,
              "Action=ChangeMessageVisibility&QueueUrl=u&ReceiptHandle=rh&VisibilityTimeout=43200",
              R"({"QueueUrl":"u","ReceiptHandle":"rh","VisibilityTimeout":43200})");
}

TEST(RequestDecoding, MessageMoveTasks) {
  expect_both(
      StartMessageMoveTaskRequest{"arn:s", "arn:d", 50}, Action::StartMessageMoveTask,
      "Action=StartMessageMoveTask&SourceArn=arn%3As&DestinationArn=arn%3Ad&"
      "MaxNumberOfMessagesPerSecond=50",
      R"({"SourceArn":"arn:s","DestinationArn":"arn:d","MaxNumberOfMessagesPerSecond":50})");
  expect_both(CancelMessageMoveTaskRequest{"h"}, Action::CancelMessageMoveTask,
              "Action=CancelMessageMoveTask&TaskHandle=h", R"({"TaskHandle":"h"})");
  expect_both(ListMessageMoveTasksRequest{"arn:s", 10}, Action::ListMessageMoveTasks,
              "Action=ListMessageMoveTasks&SourceArn=arn%3As&MaxResults=10",
              R"({"SourceArn":"arn:s","MaxResults":10})");
}

TEST(RequestDecoding, UnknownParametersAndMembersAreIgnored) {
  expect_both(DeleteQueueRequest{"u"}, Action::DeleteQueue,
              "Action=DeleteQueue&QueueUrl=u&Foo=bar&Attribute.1.Name=x&Version=2012-11-05",
              R"({"QueueUrl":"u","Foo":{"deep":[1,2,{"x":null}]},"Bar":true})");
}

}  // namespace
}  // namespace sluice::sqs
