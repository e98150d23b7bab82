// Typed results to bytes in both protocols. The expected documents were checked by parsing them
// with botocore's own response parsers (the query parser with botocore 1.29's SQS model, the
// JSON parser with shared/aws-models/sqs.json): every member came back as it went in.
#include <gtest/gtest.h>

#include "broker/sqs/api/json_encoder.h"
#include "broker/sqs/api/response.h"
#include "broker/sqs/api/xml_encoder.h"

namespace sluice::sqs {
namespace {

constexpr std::string_view kNs = "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"";

std::string xml(Action action, const AnyResult& r) {
  std::string out;
  encode_xml(action, r, "req-1", out);
  return out;
}

std::string json(const AnyResult& r) {
  std::string out;
  encode_json(r, out);
  return out;
}

std::string wrap(std::string_view action, std::string_view result) {
  std::string s = "<" + std::string(action) + "Response " + std::string(kNs) + "><" +
                  std::string(action) + "Result>" + std::string(result) + "</" +
                  std::string(action) + "Result><ResponseMetadata><RequestId>req-1</RequestId>" +
                  "</ResponseMetadata></" + std::string(action) + "Response>";
  return s;
}

Message sample_message() {
  MessageAttribute s;
  s.name = "s";
  s.data_type = "String";
  s.string_value = "v\r\n<&>";
  s.has_string_value = true;
  MessageAttribute b;
  b.name = "b";
  b.data_type = "Binary.custom";
  b.binary_value = std::string("\x00\x01\xff", 3);
  b.is_binary = b.has_binary_value = true;
  return Message{"id-1",
                 "rh+/=",
                 "5d41402abc4b2a76b9719d911017c592",
                 "a\r\nb\t<c>&\"'\xC3\xA9\xF0\x9F\x98\x80",
                 {{"SenderId", "000000000000"}, {"SentTimestamp", "1700000000000"}},
                 "b4d2fdaac2fa3ee7b18312c2eea5a876",
                 {s, b}};
}

TEST(ResultEncoding, ReceiveMessageCarriesBodiesExactly) {
  ReceiveMessageResult r{
      {sample_message(),
       Message{"id-2", "rh2", "d41d8cd98f00b204e9800998ecf8427e", "", {}, "", {}}}};
  EXPECT_EQ(xml(Action::ReceiveMessage, r),
            wrap("ReceiveMessage",
                 "<Message><MessageId>id-1</MessageId><ReceiptHandle>rh+/=</ReceiptHandle>"
                 "<MD5OfBody>5d41402abc4b2a76b9719d911017c592</MD5OfBody>"
                 "<Body>a&#xD;\nb\t&lt;c&gt;&amp;\"'\xC3\xA9\xF0\x9F\x98\x80</Body>"
                 "<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>"
                 "<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>"
                 "<MD5OfMessageAttributes>b4d2fdaac2fa3ee7b18312c2eea5a876</MD5OfMessageAttributes>"
                 "<MessageAttribute><Name>s</Name><Value><StringValue>v&#xD;\n&lt;&amp;&gt;"
                 "</StringValue><DataType>String</DataType></Value></MessageAttribute>"
                 "<MessageAttribute><Name>b</Name><Value><BinaryValue>AAH/</BinaryValue>"
                 "<DataType>Binary.custom</DataType></Value></MessageAttribute></Message>"
                 "<Message><MessageId>id-2</MessageId><ReceiptHandle>rh2</ReceiptHandle>"
                 "<MD5OfBody>d41d8cd98f00b204e9800998ecf8427e</MD5OfBody><Body></Body></Message>"));
  EXPECT_EQ(json(r),
            "{\"Messages\":[{\"MessageId\":\"id-1\",\"ReceiptHandle\":\"rh+/=\","
            "\"MD5OfBody\":\"5d41402abc4b2a76b9719d911017c592\","
            "\"Body\":\"a\\r\\nb\\t<c>&\\\"'\xC3\xA9\xF0\x9F\x98\x80\","
            "\"Attributes\":{\"SenderId\":\"000000000000\",\"SentTimestamp\":\"1700000000000\"},"
            "\"MD5OfMessageAttributes\":\"b4d2fdaac2fa3ee7b18312c2eea5a876\","
            "\"MessageAttributes\":{\"s\":{\"StringValue\":\"v\\r\\n<&>\",\"DataType\":\"String\"},"
            "\"b\":{\"BinaryValue\":\"AAH/\",\"DataType\":\"Binary.custom\"}}},"
            "{\"MessageId\":\"id-2\",\"ReceiptHandle\":\"rh2\","
            "\"MD5OfBody\":\"d41d8cd98f00b204e9800998ecf8427e\",\"Body\":\"\"}]}");
}

TEST(ResultEncoding, EmptyReceiveOmitsMessages) {
  EXPECT_EQ(xml(Action::ReceiveMessage, ReceiveMessageResult{}), wrap("ReceiveMessage", ""));
  EXPECT_EQ(json(ReceiveMessageResult{}), "{}");
}

TEST(ResultEncoding, SendMessageOmitsAbsentOptionals) {
  SendMessageResult full{"5d41402abc4b2a76b9719d911017c592", "0b5f1ae6ab94c95edd152c7cbb1057d6",
                         "62a56dd927315f2b2e12832b84617ea5", "id-1", "18849496460467696128"};
  EXPECT_EQ(xml(Action::SendMessage, full),
            wrap("SendMessage",
                 "<MessageId>id-1</MessageId>"
                 "<MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592</MD5OfMessageBody>"
                 "<MD5OfMessageAttributes>0b5f1ae6ab94c95edd152c7cbb1057d6</MD5OfMessageAttributes>"
                 "<MD5OfMessageSystemAttributes>62a56dd927315f2b2e12832b84617ea5"
                 "</MD5OfMessageSystemAttributes><SequenceNumber>18849496460467696128"
                 "</SequenceNumber>"));
  EXPECT_EQ(json(full),
            "{\"MD5OfMessageBody\":\"5d41402abc4b2a76b9719d911017c592\","
            "\"MD5OfMessageAttributes\":\"0b5f1ae6ab94c95edd152c7cbb1057d6\","
            "\"MD5OfMessageSystemAttributes\":\"62a56dd927315f2b2e12832b84617ea5\","
            "\"MessageId\":\"id-1\",\"SequenceNumber\":\"18849496460467696128\"}");
  SendMessageResult plain{"md5", "", "", "id-1", ""};
  EXPECT_EQ(
      xml(Action::SendMessage, plain),
      wrap("SendMessage", "<MessageId>id-1</MessageId><MD5OfMessageBody>md5</MD5OfMessageBody>"));
  EXPECT_EQ(json(plain), "{\"MD5OfMessageBody\":\"md5\",\"MessageId\":\"id-1\"}");
}

TEST(ResultEncoding, BatchResultsUseEntryElementsAndAlwaysListsInJson) {
  SendMessageBatchResult r{{{"a", "id-1", "md5", "", "", ""}},
                           {{"b", true, "InvalidParameterValue", "bad <thing>"}}};
  EXPECT_EQ(xml(Action::SendMessageBatch, r),
            wrap("SendMessageBatch",
                 "<SendMessageBatchResultEntry><Id>a</Id><MessageId>id-1</MessageId>"
                 "<MD5OfMessageBody>md5</MD5OfMessageBody></SendMessageBatchResultEntry>"
                 "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault>"
                 "<Code>InvalidParameterValue</Code><Message>bad &lt;thing&gt;</Message>"
                 "</BatchResultErrorEntry>"));
  EXPECT_EQ(json(r),
            "{\"Successful\":[{\"Id\":\"a\",\"MessageId\":\"id-1\",\"MD5OfMessageBody\":\"md5\"}],"
            "\"Failed\":[{\"Id\":\"b\",\"SenderFault\":true,\"Code\":\"InvalidParameterValue\","
            "\"Message\":\"bad <thing>\"}]}");

  DeleteMessageBatchResult d{{{"a"}}, {{"b", false, "InternalError", ""}}};
  EXPECT_EQ(xml(Action::DeleteMessageBatch, d),
            wrap("DeleteMessageBatch",
                 "<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
                 "<BatchResultErrorEntry><Id>b</Id><SenderFault>false</SenderFault>"
                 "<Code>InternalError</Code></BatchResultErrorEntry>"));
  EXPECT_EQ(json(d),
            "{\"Successful\":[{\"Id\":\"a\"}],\"Failed\":[{\"Id\":\"b\","
            "\"SenderFault\":false,\"Code\":\"InternalError\"}]}");

  ChangeMessageVisibilityBatchResult c{{{"a"}}, {}};
  EXPECT_EQ(xml(Action::ChangeMessageVisibilityBatch, c),
            wrap("ChangeMessageVisibilityBatch",
                 "<ChangeMessageVisibilityBatchResultEntry><Id>a</Id>"
                 "</ChangeMessageVisibilityBatchResultEntry>"));
  EXPECT_EQ(json(c), "{\"Successful\":[{\"Id\":\"a\"}],\"Failed\":[]}");
}

TEST(ResultEncoding, QueueListsAndMaps) {
  ListQueuesResult lq{{"http://h/1/a", "http://h/1/b"}, "tok"};
  EXPECT_EQ(xml(Action::ListQueues, lq),
            wrap("ListQueues",
                 "<QueueUrl>http://h/1/a</QueueUrl><QueueUrl>http://h/1/b</QueueUrl>"
                 "<NextToken>tok</NextToken>"));
  EXPECT_EQ(json(lq), "{\"QueueUrls\":[\"http://h/1/a\",\"http://h/1/b\"],\"NextToken\":\"tok\"}");
  EXPECT_EQ(json(ListQueuesResult{}), "{}");

  ListDeadLetterSourceQueuesResult dl{{"http://h/1/a"}, ""};
  EXPECT_EQ(xml(Action::ListDeadLetterSourceQueues, dl),
            wrap("ListDeadLetterSourceQueues", "<QueueUrl>http://h/1/a</QueueUrl>"));
  EXPECT_EQ(json(dl), "{\"queueUrls\":[\"http://h/1/a\"]}");
  EXPECT_EQ(json(ListDeadLetterSourceQueuesResult{}), "{\"queueUrls\":[]}");  // required member

  GetQueueAttributesResult ga{{{"VisibilityTimeout", "30"}, {"Policy", "{\"a\":1}"}}};
  EXPECT_EQ(xml(Action::GetQueueAttributes, ga),
            wrap("GetQueueAttributes",
                 "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                 "<Attribute><Name>Policy</Name><Value>{\"a\":1}</Value></Attribute>"));
  EXPECT_EQ(json(ga),
            "{\"Attributes\":{\"VisibilityTimeout\":\"30\",\"Policy\":\"{\\\"a\\\":1}\"}}");

  ListQueueTagsResult tags{{{"k", "v"}, {"e", ""}}};
  EXPECT_EQ(xml(Action::ListQueueTags, tags), wrap("ListQueueTags",
                                                   "<Tag><Key>k</Key><Value>v</Value></Tag>"
                                                   "<Tag><Key>e</Key><Value></Value></Tag>"));
  EXPECT_EQ(json(tags), "{\"Tags\":{\"k\":\"v\",\"e\":\"\"}}");
  EXPECT_EQ(json(ListQueueTagsResult{}), "{}");
}

TEST(ResultEncoding, QueueUrlResults) {
  EXPECT_EQ(xml(Action::CreateQueue, CreateQueueResult{"http://h/0/q?a&b"}),
            wrap("CreateQueue", "<QueueUrl>http://h/0/q?a&amp;b</QueueUrl>"));
  EXPECT_EQ(json(CreateQueueResult{"http://h/0/q"}), "{\"QueueUrl\":\"http://h/0/q\"}");
  EXPECT_EQ(xml(Action::GetQueueUrl, GetQueueUrlResult{"http://h/0/q"}),
            wrap("GetQueueUrl", "<QueueUrl>http://h/0/q</QueueUrl>"));
  EXPECT_EQ(json(GetQueueUrlResult{"http://h/0/q"}), "{\"QueueUrl\":\"http://h/0/q\"}");
}

TEST(ResultEncoding, MessageMoveTasks) {
  ListMessageMoveTasksResultEntry t;
  t.task_handle = "h";
  t.status = "RUNNING";
  t.source_arn = "arn:s";
  t.max_number_of_messages_per_second = 5;
  t.approximate_number_of_messages_moved = 1;
  t.started_timestamp = 1700000000000;
  ListMessageMoveTasksResult r{{t}};
  EXPECT_EQ(xml(Action::ListMessageMoveTasks, r),
            wrap("ListMessageMoveTasks",
                 "<ListMessageMoveTasksResultEntry><TaskHandle>h</TaskHandle><Status>RUNNING"
                 "</Status><SourceArn>arn:s</SourceArn><MaxNumberOfMessagesPerSecond>5"
                 "</MaxNumberOfMessagesPerSecond><ApproximateNumberOfMessagesMoved>1"
                 "</ApproximateNumberOfMessagesMoved><StartedTimestamp>1700000000000"
                 "</StartedTimestamp></ListMessageMoveTasksResultEntry>"));
  EXPECT_EQ(json(r),
            "{\"Results\":[{\"TaskHandle\":\"h\",\"Status\":\"RUNNING\",\"SourceArn\":\"arn:s\","
            "\"MaxNumberOfMessagesPerSecond\":5,\"ApproximateNumberOfMessagesMoved\":1,"
            "\"StartedTimestamp\":1700000000000}]}");
  EXPECT_EQ(xml(Action::CancelMessageMoveTask, CancelMessageMoveTaskResult{42}),
            wrap("CancelMessageMoveTask",
                 "<ApproximateNumberOfMessagesMoved>42</ApproximateNumberOfMessagesMoved>"));
  EXPECT_EQ(json(CancelMessageMoveTaskResult{42}), "{\"ApproximateNumberOfMessagesMoved\":42}");
  EXPECT_EQ(xml(Action::StartMessageMoveTask, StartMessageMoveTaskResult{"h"}),
            wrap("StartMessageMoveTask", "<TaskHandle>h</TaskHandle>"));
  EXPECT_EQ(json(StartMessageMoveTaskResult{"h"}), "{\"TaskHandle\":\"h\"}");
}

TEST(ResultEncoding, EmptyResultsForEveryActionWithoutOutput) {
  int count = 0;
  for (std::size_t i = 0; i < kActionCount; ++i) {
    auto action = static_cast<Action>(i);
    if (!action_has_empty_result(action)) continue;
    ++count;
    std::string name(action_name(action));
    EXPECT_EQ(xml(action, EmptyResult{}),
              "<" + name + "Response " + std::string(kNs) +
                  "><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></" + name +
                  "Response>");
    EXPECT_EQ(json(EmptyResult{}), "{}");
  }
  EXPECT_EQ(count, 9);
}

TEST(ResultEncoding, RenderResultSetsStatusContentTypeAndRequestId) {
  WireResponse q =
      render_result(Protocol::kQuery, Action::GetQueueUrl, GetQueueUrlResult{"u"}, "rid-<1>");
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(q.content_type, "text/xml");
  ASSERT_EQ(q.headers.size(), 1u);
  EXPECT_EQ(q.headers[0], (std::pair<std::string, std::string>{"x-amzn-RequestId", "rid-<1>"}));
  EXPECT_NE(q.body.find("<RequestId>rid-&lt;1&gt;</RequestId>"), std::string::npos);

  WireResponse j = render_result(Protocol::kJson, Action::DeleteQueue, EmptyResult{}, "rid");
  EXPECT_EQ(j.status, 200);
  EXPECT_EQ(j.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(j.body, "{}");
}

}  // namespace
}  // namespace sluice::sqs
