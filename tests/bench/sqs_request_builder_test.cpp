// SqsRequestBuilder: both protocols produce requests an SQS endpoint reads as intended.
#include "bench/load/sqs_request_builder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <array>

#include "tests/bench/wire_test_util.h"

namespace sluice::bench {
namespace {

using testing::decode_form;
using testing::split_request;

constexpr std::string_view kUrl = "http://127.0.0.1:9324/000000000000/q1";

SqsRequestBuilder builder(Protocol p, bool sign = true) {
  Endpoint e = parse_endpoint("http://127.0.0.1:9324").value();
  SqsRequestBuilder b(p, e, Credentials{}, sign);
  b.set_fixed_date("20250102T030405Z");
  return b;
}

simdjson::dom::element parse_json(simdjson::dom::parser& parser, const std::string& body) {
  return parser.parse(body).value();
}

TEST(SqsRequestBuilderJson, SendMessageHasTargetHeadersAndBody) {
  SqsRequestBuilder b = builder(Protocol::kJson);
  const auto req = split_request(b.send_message(kUrl, OutgoingMessage{"", "hello \"w\"", "", ""}));
  EXPECT_EQ(req.request_line, "POST / HTTP/1.1");
  EXPECT_EQ(req.headers.at("host"), "127.0.0.1:9324");
  EXPECT_EQ(req.headers.at("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(req.headers.at("x-amz-target"), "AmazonSQS.SendMessage");
  EXPECT_EQ(req.headers.at("x-amz-date"), "20250102T030405Z");
  EXPECT_EQ(std::stoul(req.headers.at("content-length")), req.body.size());
  const std::string& auth = req.headers.at("authorization");
  EXPECT_TRUE(
      auth.starts_with("AWS4-HMAC-SHA256 Credential=sluice-bench/20250102/us-east-1/sqs/"
                       "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                       "x-amz-target, Signature="))
      << auth;
  EXPECT_EQ(auth.size() - auth.find("Signature=") - 10, 64u);

  simdjson::dom::parser parser;
  auto doc = parse_json(parser, req.body);
  EXPECT_EQ(std::string_view(doc["QueueUrl"]), kUrl);
  EXPECT_EQ(std::string_view(doc["MessageBody"]), "hello \"w\"");
  EXPECT_TRUE(doc["MessageGroupId"].error()) << "absent unless FIFO";
}

TEST(SqsRequestBuilderJson, FifoBatchCarriesGroupAndDedupIds) {
  SqsRequestBuilder b = builder(Protocol::kJson);
  const std::array<OutgoingMessage, 2> entries = {OutgoingMessage{"0", "a", "g0", "r-0"},
                                                  OutgoingMessage{"1", "b", "g1", "r-1"}};
  const auto req = split_request(b.send_message_batch(kUrl, entries));
  EXPECT_EQ(req.headers.at("x-amz-target"), "AmazonSQS.SendMessageBatch");
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, req.body);
  simdjson::dom::array list = doc["Entries"].get_array().value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(std::string_view(list.at(1)["Id"]), "1");
  EXPECT_EQ(std::string_view(list.at(1)["MessageBody"]), "b");
  EXPECT_EQ(std::string_view(list.at(1)["MessageGroupId"]), "g1");
  EXPECT_EQ(std::string_view(list.at(1)["MessageDeduplicationId"]), "r-1");
}

TEST(SqsRequestBuilderJson, ReceiveAndDeleteBatch) {
  SqsRequestBuilder b = builder(Protocol::kJson);
  simdjson::dom::parser parser;
  const auto receive = split_request(b.receive_message(kUrl, ReceiveOptions{10, 20, 45}));
  auto doc = parse_json(parser, receive.body);
  EXPECT_EQ(int64_t(doc["MaxNumberOfMessages"]), 10);
  EXPECT_EQ(int64_t(doc["WaitTimeSeconds"]), 20);
  EXPECT_EQ(int64_t(doc["VisibilityTimeout"]), 45);

  const auto short_poll = split_request(b.receive_message(kUrl, ReceiveOptions{1, 0, -1}));
  auto doc2 = parse_json(parser, short_poll.body);
  EXPECT_TRUE(doc2["WaitTimeSeconds"].error());
  EXPECT_TRUE(doc2["VisibilityTimeout"].error());

  const std::array<DeleteEntry, 2> entries = {DeleteEntry{"0", "rh+/=0"}, DeleteEntry{"1", "rh1"}};
  const auto del = split_request(b.delete_message_batch(kUrl, entries));
  EXPECT_EQ(del.headers.at("x-amz-target"), "AmazonSQS.DeleteMessageBatch");
  auto doc3 = parse_json(parser, del.body);
  EXPECT_EQ(std::string_view(doc3["Entries"].at(0)["ReceiptHandle"]), "rh+/=0");
}

TEST(SqsRequestBuilderJson, CreateFifoQueue) {
  SqsRequestBuilder b = builder(Protocol::kJson);
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, split_request(b.create_queue("q.fifo", true)).body);
  EXPECT_EQ(std::string_view(doc["QueueName"]), "q.fifo");
  EXPECT_EQ(std::string_view(doc["Attributes"]["FifoQueue"]), "true");
}

TEST(SqsRequestBuilderQuery, SendMessageIsAFormPost) {
  SqsRequestBuilder b = builder(Protocol::kQuery);
  const auto req =
      split_request(b.send_message(kUrl, OutgoingMessage{"", "a b&c=d+e/%", "g", "d"}));
  EXPECT_EQ(req.request_line, "POST / HTTP/1.1");
  EXPECT_EQ(req.headers.at("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(req.headers.count("x-amz-target"), 0u);
  EXPECT_NE(req.headers.at("authorization").find("SignedHeaders=content-type;host;x-amz-date,"),
            std::string::npos);
  EXPECT_EQ(std::stoul(req.headers.at("content-length")), req.body.size());
  const auto form = decode_form(req.body);
  EXPECT_EQ(form.at("Action"), "SendMessage");
  EXPECT_EQ(form.at("Version"), "2012-11-05");
  EXPECT_EQ(form.at("QueueUrl"), kUrl);
  EXPECT_EQ(form.at("MessageBody"), "a b&c=d+e/%") << "every reserved character survives";
  EXPECT_EQ(form.at("MessageGroupId"), "g");
  EXPECT_EQ(form.at("MessageDeduplicationId"), "d");
}

TEST(SqsRequestBuilderQuery, BatchesUseFlattenedEntryNames) {
  SqsRequestBuilder b = builder(Protocol::kQuery);
  const std::array<OutgoingMessage, 2> sends = {OutgoingMessage{"0", "x", "", ""},
                                                OutgoingMessage{"1", "y", "", ""}};
  auto form = decode_form(split_request(b.send_message_batch(kUrl, sends)).body);
  EXPECT_EQ(form.at("Action"), "SendMessageBatch");
  EXPECT_EQ(form.at("SendMessageBatchRequestEntry.1.Id"), "0");
  EXPECT_EQ(form.at("SendMessageBatchRequestEntry.2.MessageBody"), "y");
  EXPECT_EQ(form.count("SendMessageBatchRequestEntry.1.MessageGroupId"), 0u);

  const std::array<DeleteEntry, 1> deletes = {DeleteEntry{"0", "r+/="}};
  form = decode_form(split_request(b.delete_message_batch(kUrl, deletes)).body);
  EXPECT_EQ(form.at("DeleteMessageBatchRequestEntry.1.ReceiptHandle"), "r+/=");

  form = decode_form(split_request(b.receive_message(kUrl, ReceiveOptions{5, 3, -1})).body);
  EXPECT_EQ(form.at("MaxNumberOfMessages"), "5");
  EXPECT_EQ(form.at("WaitTimeSeconds"), "3");
  EXPECT_EQ(form.count("VisibilityTimeout"), 0u);

  form = decode_form(split_request(b.create_queue("q.fifo", true)).body);
  EXPECT_EQ(form.at("Attribute.1.Name"), "FifoQueue");
  EXPECT_EQ(form.at("Attribute.1.Value"), "true");
}

TEST(SqsRequestBuilder, UnsignedRequestsHaveNoAuthorization) {
  SqsRequestBuilder b = builder(Protocol::kJson, false);
  const auto req = split_request(b.get_queue_url("q"));
  EXPECT_EQ(req.headers.count("authorization"), 0u);
  EXPECT_EQ(req.headers.at("x-amz-target"), "AmazonSQS.GetQueueUrl");
}

TEST(SqsRequestBuilder, EndpointPathIsTheRequestTarget) {
  SqsRequestBuilder b(Protocol::kJson, parse_endpoint("http://localhost:4566/sqs").value(),
                      Credentials{}, false);
  const auto req = split_request(b.purge_queue(kUrl));
  EXPECT_EQ(req.request_line, "POST /sqs HTTP/1.1");
  EXPECT_EQ(req.headers.at("host"), "localhost:4566");
}

TEST(Endpoint, ParsesHostsPortsAndRejectsHttps) {
  auto e = parse_endpoint("http://[::1]:9000/x");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 9000);
  EXPECT_EQ(e->path, "/x");
  EXPECT_EQ(e->host_header, "[::1]:9000");
  auto d = parse_endpoint("http://example.com");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 80);
  EXPECT_EQ(d->path, "/");
  EXPECT_FALSE(parse_endpoint("https://sqs.us-east-1.amazonaws.com").ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1:9324").ok());
  EXPECT_FALSE(parse_endpoint("http://host:99999").ok());
}

}  // namespace
}  // namespace sluice::bench
