// QueueAttributes: AWS's ranges and errors, canonical rendering, and the stored encoding.
#include "storage/queue/queue_attributes.h"

#include <gtest/gtest.h>

#include "storage/byte_codec.h"

namespace sluice::storage {
namespace {

ErrorCode code_of(const Status& s) {
  return s.ok() ? ErrorCode::kInternal : s.error().code;
}

TEST(QueueAttributesTest, DefaultsAreAwsDefaults) {
  QueueAttributes a;
  EXPECT_EQ(a.get("VisibilityTimeout"), "30");
  EXPECT_EQ(a.get("MaximumMessageSize"), "1048576");
  EXPECT_EQ(a.get("MessageRetentionPeriod"), "345600");
  EXPECT_EQ(a.get("DelaySeconds"), "0");
  EXPECT_EQ(a.get("ReceiveMessageWaitTimeSeconds"), "0");
  EXPECT_EQ(a.get("SqsManagedSseEnabled"), "true");
  EXPECT_FALSE(a.get("Policy").has_value());
  EXPECT_FALSE(a.get("KmsDataKeyReusePeriodSeconds").has_value());
}

TEST(QueueAttributesTest, RangesAreInclusive) {
  struct Case {
    const char* name;
    const char* lo;
    const char* hi;
    const char* below;
    const char* above;
  };
  for (const Case& c : {Case{"DelaySeconds", "0", "900", nullptr, "901"},
                        Case{"MaximumMessageSize", "1024", "1048576", "1023", "1048577"},
                        Case{"MessageRetentionPeriod", "60", "1209600", "59", "1209601"},
                        Case{"ReceiveMessageWaitTimeSeconds", "0", "20", nullptr, "21"},
                        Case{"VisibilityTimeout", "0", "43200", nullptr, "43201"},
                        Case{"KmsDataKeyReusePeriodSeconds", "60", "86400", "59", "86401"}}) {
    QueueAttributes a;
    EXPECT_TRUE(a.set(c.name, c.lo, false).ok()) << c.name;
    EXPECT_TRUE(a.set(c.name, c.hi, false).ok()) << c.name;
    if (c.below) {
      EXPECT_EQ(code_of(a.set(c.name, c.below, false)), ErrorCode::kInvalidAttributeValue);
    }
    EXPECT_EQ(code_of(a.set(c.name, c.above, false)), ErrorCode::kInvalidAttributeValue);
  }
}

TEST(QueueAttributesTest, NonNumbersAreInvalidValues) {
  QueueAttributes a;
  for (const char* v : {"", "abc", "12x", "-1", " 5", "1.5", "99999999999999999999999"}) {
    EXPECT_EQ(code_of(a.set("DelaySeconds", v, false)), ErrorCode::kInvalidAttributeValue) << v;
  }
  EXPECT_EQ(a.delay_seconds, 0u);
  EXPECT_EQ(code_of(a.set("SqsManagedSseEnabled", "yes", false)),
            ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(code_of(a.set("Policy", "not json", false)), ErrorCode::kInvalidAttributeValue);
}

TEST(QueueAttributesTest, ReadOnlyAndUnknownNamesAreInvalidNames) {
  QueueAttributes a;
  for (const char* n : {"QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp", "All",
                        "NoSuchThing", "ContentBasedDeduplication"}) {
    EXPECT_EQ(code_of(a.set(n, "1", true)), ErrorCode::kInvalidAttributeName) << n;
  }
}

TEST(QueueAttributesTest, FifoOnlyAttributesNeedAFifoQueue) {
  QueueAttributes standard;
  EXPECT_EQ(code_of(standard.set_all({{"FifoQueue", "false"}}, true)),
            ErrorCode::kInvalidAttributeName);  // AWS: Unknown Attribute FifoQueue.
  EXPECT_EQ(code_of(standard.set("FifoQueue", "true", false)), ErrorCode::kInvalidAttributeName);
  EXPECT_EQ(code_of(standard.set("ContentBasedDeduplication", "true", true)),
            ErrorCode::kInvalidAttributeName);
  Status scope = standard.set("DeduplicationScope", "queue", true);
  EXPECT_EQ(code_of(scope), ErrorCode::kInvalidAttributeName);
  EXPECT_EQ(scope.error().message,
            "You can specify the DeduplicationScope only when FifoQueue is set to true.");
  EXPECT_EQ(code_of(standard.set("FifoThroughputLimit", "perQueue", true)),
            ErrorCode::kInvalidAttributeName);
  EXPECT_FALSE(standard.get("FifoQueue").has_value());
}

TEST(QueueAttributesTest, FifoQueueIsSetFirstWhateverItsPosition) {
  QueueAttributes a;
  ASSERT_TRUE(a.set_all({{"ContentBasedDeduplication", "true"},
                         {"DeduplicationScope", "messageGroup"},
                         {"FifoThroughputLimit", "perMessageGroupId"},
                         {"FifoQueue", "true"}},
                        true)
                  .ok());
  EXPECT_EQ(a.get("FifoQueue"), "true");
  EXPECT_EQ(a.get("ContentBasedDeduplication"), "true");
  EXPECT_EQ(a.get("DeduplicationScope"), "messageGroup");
  EXPECT_EQ(a.get("FifoThroughputLimit"), "perMessageGroupId");
}

TEST(QueueAttributesTest, FifoDefaultsAndValues) {
  QueueAttributes a;
  ASSERT_TRUE(a.set_all({{"FifoQueue", "true"}}, true).ok());
  EXPECT_EQ(a.get("ContentBasedDeduplication"), "false");
  EXPECT_EQ(a.get("DeduplicationScope"), "queue");
  EXPECT_EQ(a.get("FifoThroughputLimit"), "perQueue");
  EXPECT_EQ(code_of(a.set("DeduplicationScope", "group", false)),
            ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(code_of(a.set("FifoThroughputLimit", "perGroup", false)),
            ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(code_of(a.set("ContentBasedDeduplication", "yes", false)),
            ErrorCode::kInvalidAttributeValue);
  // The queue type is fixed.
  Status change = a.set("FifoQueue", "false", false);
  EXPECT_EQ(code_of(change), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(change.error().message,
            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not "
            "supported.");
  EXPECT_TRUE(a.set("FifoQueue", "true", false).ok());
}

TEST(QueueAttributesTest, PerMessageGroupThroughputNeedsMessageGroupScope) {
  QueueAttributes a;
  Status s = a.set_all({{"FifoQueue", "true"}, {"FifoThroughputLimit", "perMessageGroupId"}}, true);
  EXPECT_EQ(code_of(s), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(s.error().message,
            "Invalid value for the parameter FifoThroughputLimit. Reason: To set "
            "FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be "
            "messageGroup.");
  QueueAttributes b;
  // The other way round is allowed: per-group deduplication at the queue's throughput.
  EXPECT_TRUE(
      b.set_all({{"FifoQueue", "true"}, {"DeduplicationScope", "messageGroup"}}, true).ok());
  EXPECT_TRUE(b.set_all({{"FifoThroughputLimit", "perMessageGroupId"}}, false).ok());
  // ... and the rule holds for a later change too.
  EXPECT_EQ(code_of(b.set_all({{"DeduplicationScope", "queue"}}, false)),
            ErrorCode::kInvalidAttributeValue);
}

TEST(QueueAttributesTest, FifoSettingsRoundTripAndOldRecordsReadAsStandard) {
  QueueAttributes a;
  ASSERT_TRUE(a.set_all({{"FifoQueue", "true"},
                         {"ContentBasedDeduplication", "true"},
                         {"DeduplicationScope", "messageGroup"},
                         {"FifoThroughputLimit", "perMessageGroupId"}},
                        true)
                  .ok());
  ASSERT_TRUE(
      a.set_all({{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d.fifo",)"
                                   R"("maxReceiveCount":"3"})"},
                 {"RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"}},
                false)
          .ok());
  auto back = QueueAttributes::deserialize(a.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, a);
  QueueAttributes standard;
  auto standard_back = QueueAttributes::deserialize(standard.serialize());
  ASSERT_TRUE(standard_back.ok());
  EXPECT_FALSE(standard_back->fifo_queue);
  EXPECT_FALSE(standard_back->redrive_policy.has_value());
  // An unknown tag (a newer server's field) is skipped.
  std::string newer = a.serialize();
  newer += std::string("\x09\0\0\0\x02ok", 7);
  auto skipped = QueueAttributes::deserialize(newer);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, a);
}

// Version 1 records, as written before FIFO and dead-letter queues were merged: without either,
// with the two dead-letter policies as plain strings, and with the FIFO settings as tag 1.
std::string version1(std::string_view tail) {
  ByteWriter w;
  w.u8(1);
  for (uint32_t v : {5u, 2048u, 600u, 1u, 45u, 300u}) w.u32(v);
  w.u8(1);
  w.str("");
  w.str("");
  w.raw(tail);
  return std::move(w).take();
}

TEST(QueueAttributesTest, Version1RecordsOfEitherKindStillRead) {
  auto plain = QueueAttributes::deserialize(version1(""));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->visibility_timeout, 45u);
  EXPECT_FALSE(plain->fifo_queue);
  EXPECT_FALSE(plain->redrive_policy.has_value());

  const std::string policy =
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":4})";
  ByteWriter dlq;
  dlq.str(policy);
  dlq.str(R"({"redrivePermission":"denyAll"})");
  auto redrive = QueueAttributes::deserialize(version1(dlq.view()));
  ASSERT_TRUE(redrive.ok());
  ASSERT_TRUE(redrive->redrive_policy.has_value());
  EXPECT_EQ(redrive->redrive_policy->max_receive_count, 4u);
  ASSERT_TRUE(redrive->redrive_allow_policy.has_value());
  EXPECT_EQ(redrive->redrive_allow_policy->permission, RedriveAllowPolicy::Permission::kDenyAll);
  EXPECT_FALSE(redrive->fifo_queue);
  ByteWriter none;  // dead-letter queues wrote two empty strings when neither policy was set
  none.str("");
  none.str("");
  auto empty_policies = QueueAttributes::deserialize(version1(none.view()));
  ASSERT_TRUE(empty_policies.ok());
  EXPECT_FALSE(empty_policies->redrive_policy.has_value());

  ByteWriter fifo;
  fifo.u8(1);
  fifo.str(std::string("\x01\x01\x01\x00", 4));
  auto f = QueueAttributes::deserialize(version1(fifo.view()));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->fifo_queue);
  EXPECT_TRUE(f->content_based_deduplication);
  EXPECT_EQ(f->deduplication_scope, DeduplicationScope::kMessageGroup);
  EXPECT_EQ(f->fifo_throughput_limit, FifoThroughputLimit::kPerQueue);
  EXPECT_FALSE(f->redrive_policy.has_value());
  // A version-1 record cut inside its policies is corrupt, not a queue without them.
  EXPECT_FALSE(QueueAttributes::deserialize(version1(dlq.view().substr(0, 10))).ok());
}

TEST(QueueAttributesTest, SetAllStopsAtFirstError) {
  QueueAttributes a;
  Status s =
      a.set_all({{"DelaySeconds", "5"}, {"VisibilityTimeout", "x"}, {"DelaySeconds", "6"}}, false);
  EXPECT_EQ(code_of(s), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(a.delay_seconds, 5u);
}

TEST(QueueAttributesTest, KmsAttributesShowOnlyWithAKey) {
  QueueAttributes a;
  ASSERT_TRUE(a.set("KmsMasterKeyId", "alias/aws/sqs", false).ok());
  ASSERT_TRUE(a.set("KmsDataKeyReusePeriodSeconds", "600", false).ok());
  EXPECT_EQ(a.get("KmsMasterKeyId"), "alias/aws/sqs");
  EXPECT_EQ(a.get("KmsDataKeyReusePeriodSeconds"), "600");
  auto pairs = a.to_pairs();
  bool saw = false;
  for (auto& [k, v] : pairs) saw |= k == "KmsDataKeyReusePeriodSeconds";
  EXPECT_TRUE(saw);
}

TEST(QueueAttributesTest, SerializeRoundTrips) {
  QueueAttributes a;
  ASSERT_TRUE(a.set_all({{"DelaySeconds", "7"},
                         {"MaximumMessageSize", "2048"},
                         {"MessageRetentionPeriod", "120"},
                         {"ReceiveMessageWaitTimeSeconds", "3"},
                         {"VisibilityTimeout", "9"},
                         {"SqsManagedSseEnabled", "false"},
                         {"Policy", "{\"Version\":\"2012-10-17\"}"},
                         {"KmsMasterKeyId", "k"}},
                        true)
                  .ok());
  auto back = QueueAttributes::deserialize(a.serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, a);
}

TEST(QueueAttributesTest, CorruptBytesAreAnError) {
  std::string bytes = QueueAttributes{}.serialize();
  EXPECT_FALSE(QueueAttributes::deserialize(bytes.substr(0, bytes.size() - 1)).ok());
  bytes[0] = 9;
  EXPECT_FALSE(QueueAttributes::deserialize(bytes).ok());
  EXPECT_FALSE(QueueAttributes::deserialize("").ok());
}

}  // namespace
}  // namespace sluice::storage
