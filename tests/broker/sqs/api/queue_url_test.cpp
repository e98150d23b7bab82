// Queue URL and ARN forms: what a client may send as QueueUrl, and what we hand out.
#include "broker/sqs/api/queue_url.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

constexpr std::string_view kAccount = "000000000000";

TEST(QueueUrlTest, AcceptsFullUrlsOfAnyHostAndPaths) {
  EXPECT_EQ(queue_name_from_url("http://127.0.0.1:9324/000000000000/q1", kAccount), "q1");
  EXPECT_EQ(queue_name_from_url("https://sqs.us-east-1.amazonaws.com/000000000000/q1", kAccount),
            "q1");
  EXPECT_EQ(queue_name_from_url("/000000000000/q1", kAccount), "q1");
  EXPECT_EQ(queue_name_from_url("http://localhost:9324/000000000000/q1/", kAccount), "q1");
  EXPECT_EQ(queue_name_from_url("http://h/000000000000/a.fifo?x=1", kAccount), "a.fifo");
}

TEST(QueueUrlTest, ABareNameIsAQueueOfOurs) {
  EXPECT_EQ(queue_name_from_url("q1", kAccount), "q1");
  EXPECT_EQ(queue_name_from_url("a-b_c.fifo", kAccount), "a-b_c.fifo");
  EXPECT_FALSE(queue_name_from_url("", kAccount));
  EXPECT_FALSE(queue_name_from_url("http:q1", kAccount));
}

TEST(QueueUrlTest, RejectsOtherAccountsAndShapelessUrls) {
  EXPECT_FALSE(queue_name_from_url("http://127.0.0.1:9324/111111111111/q1", kAccount));
  EXPECT_FALSE(queue_name_from_url("/q1", kAccount));
  EXPECT_FALSE(queue_name_from_url("http://127.0.0.1:9324", kAccount));
  EXPECT_FALSE(queue_name_from_url("http://127.0.0.1:9324/000000000000/", kAccount));
  EXPECT_FALSE(queue_name_from_url("/000000000000/a/b", kAccount));
}

TEST(QueueUrlTest, BuildsUrlsFromHostOrPublicUrlAndArns) {
  ServiceIdentity id;
  EXPECT_EQ(queue_url(id, "127.0.0.1:9400", "q"), "http://127.0.0.1:9400/000000000000/q");
  id.public_url = "https://queues.example.com/";
  EXPECT_EQ(queue_url(id, "ignored:1", "q"), "https://queues.example.com/000000000000/q");
  id.region = "eu-west-1";
  id.account_id = "123456789012";
  EXPECT_EQ(queue_arn(id, "q"), "arn:aws:sqs:eu-west-1:123456789012:q");
}

}  // namespace
}  // namespace sluice::sqs
