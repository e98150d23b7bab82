// MessageService, the one send path into the queues, on a real QueueStore: receipts (MD5s,
// message ids, FIFO sequence numbers), what reaches the store, and every class of error it answers
// with SQS's code and text, for single sends and batches.
#include "broker/sqs/message_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "broker/sqs/api/message_md5.h"
#include "storage/queue/sequence_number.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::sqs {
namespace {

constexpr const char* kAccount = "123456789012";

MessageAttribute string_attribute(std::string name, std::string type, std::string value) {
  MessageAttribute a;
  a.name = std::move(name);
  a.data_type = std::move(type);
  a.string_value = std::move(value);
  a.has_string_value = true;
  return a;
}

MessageAttribute binary_attribute(std::string name, std::string bytes) {
  MessageAttribute a;
  a.name = std::move(name);
  a.data_type = "Binary";
  a.binary_value = std::move(bytes);
  a.is_binary = a.has_binary_value = true;
  return a;
}

OutgoingMessage message(std::string body) {
  OutgoingMessage m;
  m.body = std::move(body);
  return m;
}

OutgoingMessage fifo_message(std::string body, std::string group, std::string dedup) {
  OutgoingMessage m = message(std::move(body));
  m.group_id = std::move(group);
  m.deduplication_id = std::move(dedup);
  return m;
}

class MessageServiceTest : public storage::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    service_ = std::make_unique<MessageService>(*store_, kAccount);
  }
  void TearDown() override {
    service_.reset();
    StoreFixture::TearDown();
  }

  Result<SentReceipt> send(const std::string& queue, OutgoingMessage m) {
    std::optional<Result<SentReceipt>> out;
    service_->send(queue, std::move(m), [&](Result<SentReceipt> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    if (!out) return make_error(ErrorCode::kInternal, "never answered");
    return std::move(*out);
  }
  Result<std::vector<Result<SentReceipt>>> send_batch(const std::string& queue,
                                                      std::vector<OutgoingMessage> messages) {
    std::optional<Result<std::vector<Result<SentReceipt>>>> out;
    service_->send_batch(queue, std::move(messages),
                         [&](Result<std::vector<Result<SentReceipt>>> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    if (!out) return make_error(ErrorCode::kInternal, "never answered");
    return std::move(*out);
  }
  // The error a send must answer with.
  Error send_error(const std::string& queue, OutgoingMessage m) {
    auto r = send(queue, std::move(m));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  }
  Error batch_error(const std::string& queue, std::vector<OutgoingMessage> messages) {
    auto r = send_batch(queue, std::move(messages));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  }

  std::unique_ptr<MessageService> service_;
};

void expect_error(const Error& e, ErrorCode code, const std::string& message) {
  EXPECT_EQ(e.code, code) << e.message;
  EXPECT_EQ(e.message, message);
}

// ---- single sends ----

TEST_F(MessageServiceTest, SendAnswersTheReceiptAndStoresTheMessage) {
  create("plain");
  auto r = send("plain", message("hello"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->md5_of_body, "5d41402abc4b2a76b9719d911017c592");  // md5("hello")
  EXPECT_EQ(r->md5_of_attributes, "");
  EXPECT_EQ(r->md5_of_system_attributes, "");
  EXPECT_EQ(r->sequence_number, "");  // standard queue
  EXPECT_EQ(r->message_id.size(), 36u);
  EXPECT_EQ(service_->sender_id(), kAccount);
  EXPECT_EQ(&service_->store(), store_.get());

  auto got = receive("plain");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_id, r->message_id);
  EXPECT_EQ(got[0].body, "hello");
  EXPECT_EQ(got[0].body_md5, r->md5_of_body);
  EXPECT_EQ(got[0].sender_id, kAccount);
  EXPECT_TRUE(got[0].attributes.empty());
  EXPECT_EQ(got[0].aws_trace_header, "");
}

TEST_F(MessageServiceTest, AttributesAndTheTraceHeaderAreDigestedAndStored) {
  create("attrs");
  OutgoingMessage m = message("body");
  m.attributes.push_back(string_attribute("s", "String", "v 1"));
  m.attributes.push_back(binary_attribute("b", std::string("\x00\x01\xff", 3)));
  m.system_attributes.push_back(
      string_attribute("AWSTraceHeader", "String", "Root=1-5759e988-bd862e3fe1be46a994272793"));
  std::vector<MessageAttribute> just_s{string_attribute("s", "String", "v 1")};
  auto r = send("attrs", m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // The digests SendMessage answers (message_md5_test.cpp has the same reference values).
  EXPECT_EQ(r->md5_of_attributes, md5_of_message_attributes(m.attributes));
  EXPECT_EQ(md5_of_message_attributes(just_s), "0b5f1ae6ab94c95edd152c7cbb1057d6");
  EXPECT_EQ(r->md5_of_system_attributes, "62a56dd927315f2b2e12832b84617ea5");
  EXPECT_EQ(r->md5_of_body, md5_hex("body"));

  auto got = receive("attrs");
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].attributes.size(), 2u);
  EXPECT_EQ(got[0].attributes[0].name, "s");
  EXPECT_EQ(got[0].attributes[0].data_type, "String");
  EXPECT_EQ(got[0].attributes[0].value, "v 1");
  EXPECT_FALSE(got[0].attributes[0].is_binary);
  EXPECT_EQ(got[0].attributes[1].value, std::string("\x00\x01\xff", 3));
  EXPECT_TRUE(got[0].attributes[1].is_binary);
  EXPECT_EQ(got[0].aws_trace_header, "Root=1-5759e988-bd862e3fe1be46a994272793");
}

TEST_F(MessageServiceTest, ADelayedMessageWaitsItsDelay) {
  create("delayed");
  OutgoingMessage m = message("later");
  m.delay_seconds = 30;
  ASSERT_TRUE(send("delayed", std::move(m)).ok());
  EXPECT_TRUE(receive("delayed").empty());
  advance(30'000);
  EXPECT_EQ(receive("delayed").size(), 1u);
}

TEST_F(MessageServiceTest, FifoSendsAnswerGrowingSequenceNumbers) {
  create("orders.fifo", {{"FifoQueue", "true"}});
  auto first = send("orders.fifo", fifo_message("first", "g", "d1"));
  auto second = send("orders.fifo", fifo_message("second", "g", "d2"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(first->sequence_number.size(), 20u);
  EXPECT_LT(first->sequence_number, second->sequence_number);
  auto got = receive("orders.fifo");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].message_id, first->message_id);
  EXPECT_EQ(storage::sequence_number_text(got[0].seq), first->sequence_number);
  EXPECT_EQ(storage::sequence_number_text(got[1].seq), second->sequence_number);
  EXPECT_EQ(got[0].group_id, "g");
  EXPECT_EQ(got[0].dedup_id, "d1");
}

TEST_F(MessageServiceTest, AFifoDuplicateAnswersTheOriginalAndStoresNothing) {
  create("dups.fifo", {{"FifoQueue", "true"}});
  auto original = send("dups.fifo", fifo_message("first", "g", "same"));
  auto again = send("dups.fifo", fifo_message("another body", "g", "same"));
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->message_id, original->message_id);
  EXPECT_EQ(again->sequence_number, original->sequence_number);
  EXPECT_EQ(again->md5_of_body, md5_hex("another body"));  // of what was sent, as SQS answers
  auto got = receive("dups.fifo");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "first");
}

TEST_F(MessageServiceTest, ContentBasedDeduplicationUsesTheBody) {
  create("cbd.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  OutgoingMessage m = message("same body");
  m.group_id = "group-one";
  auto first = send("cbd.fifo", m);
  auto second = send("cbd.fifo", m);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->message_id, first->message_id);
  auto got = receive("cbd.fifo");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].dedup_id.size(), 64u);  // SHA-256 of the body
}

TEST_F(MessageServiceTest, StandardQueuesKeepAGroupId) {
  create("fair");
  OutgoingMessage m = message("x");
  m.group_id = "tenant-number-1";
  auto r = send("fair", std::move(m));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sequence_number, "");
  auto got = receive("fair");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].group_id, "tenant-number-1");
}

// ---- the model checks: never reach the store ----

TEST_F(MessageServiceTest, ModelChecksAnswerSqsErrors) {
  create("checked");
  expect_error(send_error("checked", message("")), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageBody.");
  expect_error(send_error("checked", message(std::string("a\x01", 2))),
               ErrorCode::kInvalidMessageContents,
               "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
               "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");

  OutgoingMessage delayed = message("x");
  delayed.delay_seconds = 901;
  expect_error(send_error("checked", delayed), ErrorCode::kInvalidParameterValue,
               "Value 901 for parameter DelaySeconds is invalid. Reason: Must be between 0 and "
               "900, if provided.");
  delayed.delay_seconds = -1;
  expect_error(send_error("checked", delayed), ErrorCode::kInvalidParameterValue,
               "Value -1 for parameter DelaySeconds is invalid. Reason: Must be between 0 and "
               "900, if provided.");

  OutgoingMessage reserved = message("x");
  reserved.attributes.push_back(string_attribute("AWS.reserved", "String", "value"));
  expect_error(send_error("checked", reserved), ErrorCode::kInvalidParameterValue,
               "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These "
               "strings are reserved for internal use. Additionally, they cannot start or end "
               "with '.'.");

  OutgoingMessage not_a_number = message("x");
  not_a_number.attributes.push_back(string_attribute("count", "Number", "many"));
  expect_error(send_error("checked", not_a_number), ErrorCode::kInvalidParameterValue,
               "Can't cast the value of message (user) attribute 'count' to a number.");

  OutgoingMessage system = message("x");
  system.system_attributes.push_back(string_attribute("SenderId", "String", "someone"));
  expect_error(send_error("checked", system), ErrorCode::kInvalidParameterValue,
               "Message system attribute name 'SenderId' is invalid.");

  OutgoingMessage group = message("x");
  group.group_id = "not a valid group";
  expect_error(send_error("checked", group), ErrorCode::kInvalidParameterValue,
               "Value not a valid group for parameter MessageGroupId is invalid. Reason: "
               "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 "
               "in length.");
  OutgoingMessage dedup = message("x");
  dedup.deduplication_id = std::string(129, 'd');
  EXPECT_EQ(send_error("checked", dedup).code, ErrorCode::kInvalidParameterValue);

  EXPECT_TRUE(receive("checked").empty());
  EXPECT_EQ(store_->stats().sent, 0u);
}

TEST_F(MessageServiceTest, CheckIsWhatSendChecksBeforeTheQueue) {
  EXPECT_TRUE(MessageService::check(message("fine")).ok());
  auto st = MessageService::check(message(""));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kMissingParameter);
  // A bad message is answered before an unknown queue, as SQS orders them.
  EXPECT_EQ(send_error("nope", message("")).code, ErrorCode::kMissingParameter);
  expect_error(send_error("nope", message("x")), ErrorCode::kQueueDoesNotExist,
               "The specified queue does not exist.");
}

// ---- the queue's rules (the store's, answered through the service) ----

TEST_F(MessageServiceTest, MaximumMessageSizeCountsBodyAndAttributes) {
  create("small", {{"MaximumMessageSize", "1024"}});
  EXPECT_TRUE(send("small", message(std::string(1024, 'a'))).ok());
  expect_error(send_error("small", message(std::string(1025, 'a'))),
               ErrorCode::kInvalidParameterValue,
               "One or more parameters are invalid. Reason: Message must be shorter than 1024 "
               "bytes.");
  // 1000 + "name" + "String" + 15 bytes of value = 1025.
  OutgoingMessage m = message(std::string(1000, 'a'));
  m.attributes.push_back(string_attribute("name", "String", std::string(15, 'v')));
  expect_error(send_error("small", m), ErrorCode::kInvalidParameterValue,
               "One or more parameters are invalid. Reason: Message must be shorter than 1024 "
               "bytes.");
  m.attributes[0].string_value.pop_back();
  EXPECT_TRUE(send("small", m).ok());
  EXPECT_EQ(receive("small").size(), 2u);
}

TEST_F(MessageServiceTest, QueueTypeRulesAnswerSqsErrors) {
  create("rules.fifo", {{"FifoQueue", "true"}});
  create("standard");
  OutgoingMessage no_group = message("x");
  no_group.deduplication_id = "dedup-one";
  expect_error(send_error("rules.fifo", no_group), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageGroupId.");
  OutgoingMessage no_dedup = message("x");
  no_dedup.group_id = "group-one";
  expect_error(send_error("rules.fifo", no_dedup), ErrorCode::kInvalidParameterValue,
               "The queue should either have ContentBasedDeduplication enabled or "
               "MessageDeduplicationId provided explicitly");
  OutgoingMessage delayed = fifo_message("x", "g", "d");
  delayed.delay_seconds = 5;
  expect_error(send_error("rules.fifo", delayed), ErrorCode::kInvalidParameterValue,
               "Value 5 for parameter DelaySeconds is invalid. Reason: The request include "
               "parameter that is not valid for this queue type.");
  delayed.delay_seconds = 0;  // asks for nothing the queue does not do anyway
  EXPECT_TRUE(send("rules.fifo", delayed).ok());

  OutgoingMessage dedup = message("x");
  dedup.deduplication_id = "dedup-one";
  expect_error(send_error("standard", dedup), ErrorCode::kInvalidParameterValue,
               "The request include parameter MessageDeduplicationId that is not valid for this "
               "queue type");
  EXPECT_TRUE(receive("standard").empty());
}

// ---- batches ----

TEST_F(MessageServiceTest, ABatchAnswersEachEntryInInputOrder) {
  create("batch", {{"MaximumMessageSize", "1024"}});
  OutgoingMessage with_attribute = message("two");
  with_attribute.attributes.push_back(string_attribute("s", "String", "v 1"));
  std::vector<OutgoingMessage> messages;
  messages.push_back(message("one"));
  messages.push_back(std::move(with_attribute));
  messages.push_back(message(""));                      // a model check fails
  messages.push_back(message(std::string(1025, 'a')));  // the store's size rule fails
  messages.push_back(message("five"));
  auto r = send_batch("batch", std::move(messages));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 5u);
  ASSERT_TRUE((*r)[0].ok());
  EXPECT_EQ((*r)[0]->md5_of_body, md5_hex("one"));
  EXPECT_EQ((*r)[0]->md5_of_attributes, "");
  ASSERT_TRUE((*r)[1].ok());
  EXPECT_EQ((*r)[1]->md5_of_body, md5_hex("two"));
  EXPECT_EQ((*r)[1]->md5_of_attributes, "0b5f1ae6ab94c95edd152c7cbb1057d6");
  ASSERT_FALSE((*r)[2].ok());
  expect_error((*r)[2].error(), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageBody.");
  ASSERT_FALSE((*r)[3].ok());
  expect_error((*r)[3].error(), ErrorCode::kInvalidParameterValue,
               "One or more parameters are invalid. Reason: Message must be shorter than 1024 "
               "bytes.");
  ASSERT_TRUE((*r)[4].ok());
  EXPECT_EQ((*r)[4]->sequence_number, "");

  auto got = receive("batch");
  ASSERT_EQ(got.size(), 3u);
  std::vector<std::string> ids;
  for (const auto& m : got) ids.push_back(m.message_id);
  for (size_t i : {0u, 1u, 4u}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), (*r)[i]->message_id), ids.end()) << i;
  }
  EXPECT_EQ(store_->stats().sent, 3u);
}

TEST_F(MessageServiceTest, AFifoBatchTakesSequenceNumbersInOrderAndDeduplicates) {
  create("batch.fifo", {{"FifoQueue", "true"}});
  std::vector<OutgoingMessage> messages;
  messages.push_back(fifo_message("a", "g", "d1"));
  messages.push_back(fifo_message("b", "g", "d2"));
  messages.push_back(fifo_message("a again", "g", "d1"));  // a duplicate of the first
  auto r = send_batch("batch.fifo", std::move(messages));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  for (const auto& e : *r) ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*r)[0]->sequence_number.size(), 20u);
  EXPECT_LT((*r)[0]->sequence_number, (*r)[1]->sequence_number);
  EXPECT_EQ((*r)[2]->message_id, (*r)[0]->message_id);
  EXPECT_EQ((*r)[2]->sequence_number, (*r)[0]->sequence_number);
  auto got = receive("batch.fifo");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, "a");
  EXPECT_EQ(got[1].body, "b");
}

TEST_F(MessageServiceTest, ABatchOfOnlyInvalidEntriesNeverReachesTheStore) {
  create("invalid");
  std::vector<OutgoingMessage> messages;
  messages.push_back(message(""));
  messages.push_back(message(std::string("\x02", 1)));
  auto r = send_batch("invalid", std::move(messages));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].error().code, ErrorCode::kMissingParameter);
  EXPECT_EQ((*r)[1].error().code, ErrorCode::kInvalidMessageContents);
  EXPECT_EQ(store_->stats().sent, 0u);
}

TEST_F(MessageServiceTest, BatchWholeRequestChecks) {
  create("whole");
  expect_error(batch_error("whole", {}), ErrorCode::kEmptyBatchRequest,
               "There should be at least one SendMessageBatchRequestEntry in the request.");
  expect_error(batch_error("whole", std::vector<OutgoingMessage>(11, message("x"))),
               ErrorCode::kTooManyEntriesInBatchRequest,
               "Maximum number of entries per request are 10. You have sent 11.");
  // Over 1 MiB together, though each message alone is within the queue's limit.
  std::vector<OutgoingMessage> big(5, message(std::string(200'000, 'a')));
  big.push_back(message(std::string(48'577, 'a')));
  expect_error(batch_error("whole", big), ErrorCode::kBatchRequestTooLong,
               "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.");
  big.back().body.pop_back();
  EXPECT_TRUE(MessageService::check_batch(big).ok());
  // check_batch comes before the queue; an unknown queue fails the whole call.
  EXPECT_EQ(batch_error("nope", {}).code, ErrorCode::kEmptyBatchRequest);
  expect_error(batch_error("nope", {message("x")}), ErrorCode::kQueueDoesNotExist,
               "The specified queue does not exist.");
  EXPECT_EQ(store_->stats().sent, 0u);
}

TEST_F(MessageServiceTest, FifoBatchWholeRequestRules) {
  create("whole.fifo", {{"FifoQueue", "true"}});
  // One entry without a deduplication id fails every entry, also the valid ones.
  std::vector<OutgoingMessage> no_dedup;
  no_dedup.push_back(fifo_message("a", "g", "d1"));
  no_dedup.push_back(message("b"));
  no_dedup.back().group_id = "group-one";
  expect_error(batch_error("whole.fifo", no_dedup), ErrorCode::kInvalidParameterValue,
               "The queue should either have ContentBasedDeduplication enabled or "
               "MessageDeduplicationId provided explicitly");
  std::vector<OutgoingMessage> no_group;
  no_group.push_back(fifo_message("a", "g", "d1"));
  no_group.push_back(message("b"));
  no_group.back().deduplication_id = "dedup-two";
  // MissingParameter, as for a single send.
  expect_error(batch_error("whole.fifo", no_group), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageGroupId.");
  // The group id is asked for first, even when another entry lacks its deduplication id.
  std::vector<OutgoingMessage> both;
  both.push_back(message("a"));
  both.back().group_id = "g";
  both.push_back(message("b"));
  both.back().deduplication_id = "dedup-b";
  expect_error(batch_error("whole.fifo", both), ErrorCode::kMissingParameter,
               "The request must contain the parameter MessageGroupId.");
  // Checked over every entry, before an entry's own checks.
  std::vector<OutgoingMessage> bad_and_missing;
  bad_and_missing.push_back(fifo_message("", "g", "d1"));
  bad_and_missing.push_back(message("b"));
  EXPECT_EQ(batch_error("whole.fifo", bad_and_missing).code, ErrorCode::kMissingParameter);
  EXPECT_TRUE(receive("whole.fifo").empty());

  // With ContentBasedDeduplication a deduplication id may be left out.
  create("whole-cbd.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  std::vector<OutgoingMessage> grouped(2, message("x"));
  grouped[0].group_id = grouped[1].group_id = "group-one";
  grouped[1].body = "another body";
  auto r = send_batch("whole-cbd.fifo", std::move(grouped));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)[0].ok());
  EXPECT_TRUE((*r)[1].ok());
}

}  // namespace
}  // namespace sluice::sqs

namespace sluice::sqs {
namespace {

// ---- overload ----

TEST_F(MessageServiceTest, SendsBeyondTheUncommittedLimitAreThrottledUntilCommitsCatchUp) {
  create("busy");
  service_->set_uncommitted_limit(2500);
  // Three sends of 1,000 bytes without letting the committer answer: the third would pass the
  // limit while two wait.
  std::vector<std::optional<Result<SentReceipt>>> out(4);
  for (int i = 0; i < 3; ++i) {
    service_->send("busy", message(std::string(1000, static_cast<char>('a' + i))),
                   [&out, i](Result<SentReceipt> r) { out[i] = std::move(r); });
  }
  ASSERT_TRUE(out[2].has_value()) << "a throttled send is answered at once";
  expect_error(out[2]->error(), ErrorCode::kRequestThrottled, "Request is throttled.");
  EXPECT_EQ(service_->uncommitted_bytes(), 2000u);
  EXPECT_EQ(service_->throttled_sends(), 1u);
  // A batch that would pass it fails as a whole; nothing of it is stored.
  std::optional<Result<std::vector<Result<SentReceipt>>>> batch;
  service_->send_batch("busy", {message(std::string(600, 'x')), message("y")},
                       [&](Result<std::vector<Result<SentReceipt>>> r) { batch = std::move(r); });
  ASSERT_TRUE(batch.has_value());
  expect_error(batch->error(), ErrorCode::kRequestThrottled, "Request is throttled.");
  settle([&] { return out[0].has_value() && out[1].has_value(); });
  ASSERT_TRUE(out[0]->ok());
  ASSERT_TRUE(out[1]->ok());
  EXPECT_EQ(service_->uncommitted_bytes(), 0u);
  // Once committed, the backlog is empty again and the same send goes through.
  auto again = send("busy", message(std::string(1000, 'c')));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(receive("busy", 10).size(), 3u);
}

TEST_F(MessageServiceTest, OneSendBiggerThanTheLimitStillGoesThroughAnEmptyBacklog) {
  create("big");
  service_->set_uncommitted_limit(100);
  auto r = send("big", message(std::string(5000, 'b')));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

}  // namespace
}  // namespace sluice::sqs
