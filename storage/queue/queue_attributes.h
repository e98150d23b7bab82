// QueueAttributes: the settable attributes of a queue, typed and validated against the SQS model's
// ranges. Parsing turns the wire's name/value strings into this struct with AWS's errors
// (InvalidAttributeName for unknown or read-only names, InvalidAttributeValue for bad values);
// to_pairs() renders them back in AWS's canonical form.
//
// FIFO: FifoQueue is fixed at creation. ContentBasedDeduplication, DeduplicationScope and
// FifoThroughputLimit exist only on FIFO queues (AWS names them unknown, or says they need
// FifoQueue, on a standard queue), and FifoThroughputLimit=perMessageGroupId needs
// DeduplicationScope=messageGroup (high-throughput mode), checked on the resulting attributes.
// RedrivePolicy and RedriveAllowPolicy are checked as documents here; the QueueStore checks what
// they name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/queue/redrive_policy.h"
#include "storage/result.h"

namespace sluice::storage {

using AttributePairs = std::vector<std::pair<std::string, std::string>>;

enum class DeduplicationScope : uint8_t { kQueue, kMessageGroup };
enum class FifoThroughputLimit : uint8_t { kPerQueue, kPerMessageGroupId };

struct QueueAttributes {
  uint32_t delay_seconds = 0;                        // 0..900
  uint32_t maximum_message_size = 1048576;           // 1024..1048576
  uint32_t message_retention_period = 345600;        // 60..1209600
  uint32_t receive_message_wait_time_seconds = 0;    // 0..20
  uint32_t visibility_timeout = 30;                  // 0..43200
  uint32_t kms_data_key_reuse_period_seconds = 300;  // 60..86400
  bool sqs_managed_sse_enabled = true;
  std::string policy;
  std::string kms_master_key_id;
  // FIFO queues only.
  bool fifo_queue = false;
  bool content_based_deduplication = false;
  DeduplicationScope deduplication_scope = DeduplicationScope::kQueue;
  FifoThroughputLimit fifo_throughput_limit = FifoThroughputLimit::kPerQueue;
  std::optional<RedrivePolicy> redrive_policy;             // this queue's dead-letter queue
  std::optional<RedriveAllowPolicy> redrive_allow_policy;  // absent: allowAll

  // Applies one wire attribute. `creating` is true for CreateQueue (FifoQueue is settable only
  // then). FIFO-only names are judged by fifo_queue as it stands.
  Status set(std::string_view name, std::string_view value, bool creating);
  // Applies all, stopping at the first error: FifoQueue first when creating (it decides which
  // names exist), then the rest in order, then the rules between attributes.
  Status set_all(const AttributePairs& pairs, bool creating);
  // The rules between attributes (high-throughput FIFO): InvalidAttributeValue when broken.
  Status check_combination() const;
  // Every settable attribute with its current value, in AWS's canonical string form. Empty strings
  // (no policy, no KMS key) are left out, as AWS does.
  AttributePairs to_pairs() const;
  // The value AWS would report for one settable name, if it is one.
  std::optional<std::string> get(std::string_view name) const;

  // The fixed fields, then optional tagged fields (u8 tag + string) that older records lack and
  // older readers skip: tag 1 = the FIFO settings (FIFO queues only), tag 2 = RedrivePolicy,
  // tag 3 = RedriveAllowPolicy (canonical JSON, when set). Version 2; version 1 records still read
  // (queue_attributes.cpp).
  std::string serialize() const;
  static Result<QueueAttributes> deserialize(std::string_view bytes);

  bool operator==(const QueueAttributes&) const = default;
};

}  // namespace sluice::storage
