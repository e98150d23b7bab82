// RequestParser on its own: framing, limits, and the same requests however the input is split.
#include "broker/http/request_parser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

struct Parsed {
  std::vector<Request> requests;
  std::vector<bool> keep_alive;
  int continues = 0;
  int error = 0;
  bool upgraded = false;
};

// Feeds input in pieces of at most `piece` bytes, the way a socket may deliver it.
Parsed parse(const std::string& input, size_t piece, RequestLimits limits = {}) {
  RequestParser p(limits);
  Parsed out;
  size_t at = 0;
  while (at < input.size()) {
    size_t end = std::min(input.size(), at + piece);
    const char* data = input.data() + at;
    size_t len = end - at;
    while (true) {
      RequestParser::Step step = p.feed(data, len);
      data += step.consumed;
      len -= step.consumed;
      if (p.take_continue()) ++out.continues;
      if (step.outcome == RequestParser::Outcome::kError) {
        out.error = p.error_status();
        return out;
      }
      if (step.outcome == RequestParser::Outcome::kUpgrade) {
        out.upgraded = true;
        return out;
      }
      if (step.outcome == RequestParser::Outcome::kNeedMore) break;
      out.keep_alive.push_back(p.keep_alive());
      out.requests.push_back(p.take_request());
    }
    at = end;
  }
  return out;
}

TEST(RequestParser, BodyOfKnownLengthKeepsSpareCapacityForInPlaceParsing) {
  // However the body arrives, the SQS JSON decoder can parse it without copying it first.
  const std::string body(1024, 'x');
  const std::string input = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\n\r\n" + body;
  for (size_t piece : {size_t{1}, size_t{100}, size_t{1} << 20}) {
    Parsed r = parse(input, piece);
    ASSERT_EQ(r.requests.size(), 1u);
    EXPECT_EQ(r.requests[0].body, body);
    EXPECT_GE(r.requests[0].body.capacity() - r.requests[0].body.size(), kBodySpareCapacity);
  }
}

TEST(RequestParser, ParsesOneRequestWithLowerCasedHeaderNames) {
  Parsed r = parse(
      "POST /q?Action=X HTTP/1.1\r\nHost: h\r\nX-Amz-Target: T\r\nContent-Length: 3"
      "\r\n\r\nabc",
      1 << 20);
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_EQ(r.requests[0].method, "POST");
  EXPECT_EQ(r.requests[0].target, "/q?Action=X");
  ASSERT_NE(r.requests[0].header("x-amz-target"), nullptr);
  EXPECT_EQ(*r.requests[0].header("x-amz-target"), "T");
  EXPECT_EQ(r.requests[0].body, "abc");
  EXPECT_TRUE(r.keep_alive[0]);
}

TEST(RequestParser, EverySplitOfPipelinedRequestsYieldsTheSameRequests) {
  std::string input =
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
      "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
      "PUT /c HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nxy"
      "DELETE /d HTTP/1.1\r\nConnection: close\r\n\r\n";
  Parsed whole = parse(input, input.size());
  ASSERT_EQ(whole.requests.size(), 4u);
  EXPECT_EQ(whole.requests[1].body, "abcde");
  EXPECT_EQ(whole.continues, 1);
  EXPECT_FALSE(whole.keep_alive[3]);
  for (size_t piece = 1; piece < 40; ++piece) {
    Parsed split = parse(input, piece);
    ASSERT_EQ(split.requests.size(), whole.requests.size()) << "piece " << piece;
    for (size_t i = 0; i < split.requests.size(); ++i) {
      EXPECT_EQ(split.requests[i].method, whole.requests[i].method);
      EXPECT_EQ(split.requests[i].target, whole.requests[i].target);
      EXPECT_EQ(split.requests[i].body, whole.requests[i].body);
      EXPECT_EQ(split.requests[i].headers.size(), whole.requests[i].headers.size());
      EXPECT_EQ(split.keep_alive[i], whole.keep_alive[i]);
    }
    EXPECT_EQ(split.continues, 1);
  }
}

TEST(RequestParser, TooManyHeaderFieldsIs431) {
  RequestLimits limits;
  limits.max_header_fields = 4;
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 4; ++i) head.append("A").append(std::to_string(i)).append(": v\r\n");
  EXPECT_EQ(parse(head + "\r\n", 7, limits).requests.size(), 1u);
  Parsed over = parse(head + "B: v\r\n\r\n", 7, limits);
  EXPECT_TRUE(over.requests.empty());
  EXPECT_EQ(over.error, 431);
}

TEST(RequestParser, HeadOverTheByteLimitIs431) {
  RequestLimits limits;
  limits.max_header_bytes = 64;
  std::string long_target = "GET /";
  long_target.append(100, 'a').append(" HTTP/1.1\r\n\r\n");
  Parsed r = parse(long_target, 9, limits);
  EXPECT_EQ(r.error, 431);
  // Many empty fields count too.
  std::string empties = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 30; ++i) empties += "a:\r\n";
  EXPECT_EQ(parse(empties + "\r\n", 5, limits).error, 431);
}

TEST(RequestParser, DeclaredBodyOverTheCapIs413BeforeAnyBodyByteAndNoContinue) {
  RequestLimits limits;
  limits.max_body_bytes = 10;
  Parsed r =
      parse("POST / HTTP/1.1\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n", 3, limits);
  EXPECT_EQ(r.error, 413);
  EXPECT_EQ(r.continues, 0);
  Parsed chunked = parse(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n123", 4, limits);
  EXPECT_EQ(chunked.error, 413);
}

TEST(RequestParser, MalformedInputIs400AndNothingAfterItIsParsed) {
  RequestParser p(RequestLimits{});
  std::string input = "GET / HTTP/1.1\r\nNo colon\r\n\r\nGET / HTTP/1.1\r\n\r\n";
  RequestParser::Step step = p.feed(input.data(), input.size());
  EXPECT_EQ(step.outcome, RequestParser::Outcome::kError);
  EXPECT_EQ(p.error_status(), 400);
  EXPECT_EQ(p.feed("GET / HTTP/1.1\r\n\r\n", 18).consumed, 0u);
}

TEST(RequestParser, HeadAndHttp10AreReported) {
  RequestParser p(RequestLimits{});
  std::string input = "HEAD /x HTTP/1.0\r\n\r\n";
  RequestParser::Step step = p.feed(input.data(), input.size());
  ASSERT_EQ(step.outcome, RequestParser::Outcome::kRequest);
  EXPECT_TRUE(p.head_method());
  EXPECT_TRUE(p.http10());
  EXPECT_FALSE(p.keep_alive());
}

TEST(RequestParser, UpgradeRequestEndsTheStream) {
  Parsed r = parse(
      "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /next "
      "HTTP/1.1\r\n\r\n",
      1 << 20);
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_FALSE(r.keep_alive[0]);
  EXPECT_TRUE(r.upgraded);
}

TEST(RequestParser, InMessageTracksAPartialRequest) {
  RequestParser p(RequestLimits{});
  EXPECT_FALSE(p.in_message());
  std::string part = "GET / HTTP/1.1\r\nHo";
  EXPECT_EQ(p.feed(part.data(), part.size()).outcome, RequestParser::Outcome::kNeedMore);
  EXPECT_TRUE(p.in_message());
  EXPECT_EQ(p.messages_begun(), 1u);
  std::string rest = "st: h\r\n\r\n";
  EXPECT_EQ(p.feed(rest.data(), rest.size()).outcome, RequestParser::Outcome::kRequest);
  EXPECT_FALSE(p.in_message());
}

}  // namespace
}  // namespace sluice::http
