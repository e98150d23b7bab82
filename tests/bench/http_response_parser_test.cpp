// HttpResponseParser: pipelined responses split correctly, in any chunking.
#include "bench/load/http_response_parser.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace sluice::bench {
namespace {

constexpr std::string_view kTwoResponses =
    "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}"
    "HTTP/1.1 400 Bad Request\r\nx-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;"
    "Sender\r\nContent-Length: 5\r\n\r\nnope!";

TEST(HttpResponseParser, SplitsPipelinedResponses) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  ASSERT_TRUE(parser.feed(kTwoResponses, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status, 200);
  EXPECT_EQ(out[0].body, "{}");
  EXPECT_TRUE(out[0].keep_alive);
  EXPECT_EQ(out[1].status, 400);
  EXPECT_EQ(out[1].body, "nope!");
  EXPECT_EQ(out[1].query_error, "AWS.SimpleQueueService.NonExistentQueue;Sender");
}

TEST(HttpResponseParser, ByteAtATimeGivesTheSameResult) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  for (char c : kTwoResponses) ASSERT_TRUE(parser.feed(std::string_view(&c, 1), out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].body, "nope!");
  EXPECT_FALSE(parser.mid_response());
}

TEST(HttpResponseParser, BodiesLeaveRoomForSimdjsonPadding) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  ASSERT_TRUE(parser.feed(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n",
      out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].body, "abcdefg");
  EXPECT_GE(out[0].body.capacity(), out[0].body.size() + simdjson::SIMDJSON_PADDING);
}

TEST(HttpResponseParser, ConnectionCloseAndBodyToEndOfStream) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  ASSERT_TRUE(parser.feed("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial", out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(parser.finish(out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].body, "partial");
  EXPECT_FALSE(out[0].keep_alive);
}

TEST(HttpResponseParser, TruncatedResponseAtEofIsAnError) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  ASSERT_TRUE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", out));
  EXPECT_FALSE(parser.finish(out));
  EXPECT_TRUE(out.empty());
}

TEST(HttpResponseParser, GarbageIsAProtocolError) {
  HttpResponseParser parser;
  std::vector<HttpResponse> out;
  EXPECT_FALSE(parser.feed("SMTP ready\r\n", out));
  EXPECT_FALSE(parser.error().empty());
  EXPECT_FALSE(parser.feed("HTTP/1.1 200 OK\r\n\r\n", out)) << "stays failed until reset";
  parser.reset();
  EXPECT_TRUE(parser.feed("HTTP/1.1 204 No Content\r\n\r\n", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, 204);
}

}  // namespace
}  // namespace sluice::bench
