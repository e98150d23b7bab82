// Request accessors: path/query split and header lookup.
#include "broker/http/request.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

TEST(Request, PathAndQuerySplitAtFirstQuestionMark) {
  Request r;
  r.target = "/000000000000/q1?Action=SendMessage&MessageBody=a%3Fb?c";
  EXPECT_EQ(r.path(), "/000000000000/q1");
  EXPECT_EQ(r.query(), "Action=SendMessage&MessageBody=a%3Fb?c");
}

TEST(Request, NoQueryMeansEmptyQuery) {
  Request r;
  r.target = "/health";
  EXPECT_EQ(r.path(), "/health");
  EXPECT_EQ(r.query(), "");
  r.target = "/?";
  EXPECT_EQ(r.path(), "/");
  EXPECT_EQ(r.query(), "");
}

TEST(Request, HeaderLookupReturnsFirstMatchOrNull) {
  Request r;
  r.headers = {{"host", "a"}, {"x-amz-target", "AmazonSQS.SendMessage"}, {"host", "b"}};
  ASSERT_NE(r.header("host"), nullptr);
  EXPECT_EQ(*r.header("host"), "a");
  EXPECT_EQ(*r.header("x-amz-target"), "AmazonSQS.SendMessage");
  EXPECT_EQ(r.header("content-type"), nullptr);
}

}  // namespace
}  // namespace sluice::http
