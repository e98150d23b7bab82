// Validation and canonical rendering of queue attributes.
#include "storage/queue/queue_attributes.h"

#include <charconv>

#include "storage/byte_codec.h"

namespace sluice::storage {

namespace {

Error invalid_value(std::string_view name) {
  return make_error(ErrorCode::kInvalidAttributeValue,
                    "Invalid value for the parameter " + std::string(name) + ".");
}

Result<uint32_t> parse_range(std::string_view name, std::string_view value, uint32_t lo,
                             uint32_t hi) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size() || value.empty() || v < lo || v > hi) {
    return invalid_value(name);
  }
  return static_cast<uint32_t>(v);
}

Result<bool> parse_bool(std::string_view name, std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return invalid_value(name);
}

Error unknown_attribute(std::string_view name) {
  return make_error(ErrorCode::kInvalidAttributeName,
                    "Unknown Attribute " + std::string(name) + ".");
}

constexpr uint8_t kVersion = 2;
constexpr uint8_t kFifoTag = 1;
constexpr uint8_t kRedrivePolicyTag = 2;
constexpr uint8_t kRedriveAllowPolicyTag = 3;

void tagged(ByteWriter& w, uint8_t tag, std::string_view value) {
  w.u8(tag);
  w.str(value);
}

}  // namespace

Status QueueAttributes::set(std::string_view name, std::string_view value, bool creating) {
  auto assign = [&](uint32_t& field, uint32_t lo, uint32_t hi) -> Status {
    auto v = parse_range(name, value, lo, hi);
    if (!v) return v.error();
    field = *v;
    return {};
  };
  if (name == "DelaySeconds") return assign(delay_seconds, 0, 900);
  if (name == "MaximumMessageSize") return assign(maximum_message_size, 1024, 1048576);
  if (name == "MessageRetentionPeriod") return assign(message_retention_period, 60, 1209600);
  if (name == "ReceiveMessageWaitTimeSeconds")
    return assign(receive_message_wait_time_seconds, 0, 20);
  if (name == "VisibilityTimeout") return assign(visibility_timeout, 0, 43200);
  if (name == "KmsDataKeyReusePeriodSeconds")
    return assign(kms_data_key_reuse_period_seconds, 60, 86400);
  if (name == "SqsManagedSseEnabled") {
    auto v = parse_bool(name, value);
    if (!v) return v.error();
    sqs_managed_sse_enabled = *v;
    return {};
  }
  if (name == "Policy") {
    // A policy is a JSON document; enforcement arrives with authentication.
    if (!value.empty() && value.front() != '{') return invalid_value(name);
    policy = std::string(value);
    return {};
  }
  if (name == "KmsMasterKeyId") {
    kms_master_key_id = std::string(value);
    return {};
  }
  if (name == "FifoQueue") {
    // A standard queue has no FifoQueue attribute at all: AWS rejects even FifoQueue=false.
    if (!fifo_queue && !(creating && value == "true")) return unknown_attribute(name);
    if (value == "true") {
      fifo_queue = true;
      return {};
    }
    if (value == "false") {
      return make_error(
          ErrorCode::kInvalidAttributeValue,
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is "
          "not supported.");
    }
    return invalid_value(name);
  }
  if (name == "ContentBasedDeduplication") {
    if (!fifo_queue) return unknown_attribute(name);
    auto v = parse_bool(name, value);
    if (!v) return v.error();
    content_based_deduplication = *v;
    return {};
  }
  if (name == "DeduplicationScope" || name == "FifoThroughputLimit") {
    if (!fifo_queue) {
      return make_error(
          ErrorCode::kInvalidAttributeName,
          "You can specify the " + std::string(name) + " only when FifoQueue is set to true.");
    }
    if (name == "DeduplicationScope") {
      if (value == "queue") {
        deduplication_scope = DeduplicationScope::kQueue;
      } else if (value == "messageGroup") {
        deduplication_scope = DeduplicationScope::kMessageGroup;
      } else {
        return invalid_value(name);
      }
    } else if (value == "perQueue") {
      fifo_throughput_limit = FifoThroughputLimit::kPerQueue;
    } else if (value == "perMessageGroupId") {
      fifo_throughput_limit = FifoThroughputLimit::kPerMessageGroupId;
    } else {
      return invalid_value(name);
    }
    return {};
  }
  if (name == "RedrivePolicy") {
    // An empty value removes the policy, as SetQueueAttributes documents.
    if (value.empty()) {
      redrive_policy.reset();
      return {};
    }
    auto p = RedrivePolicy::parse(value);
    if (!p) return p.error();
    redrive_policy = std::move(*p);
    return {};
  }
  if (name == "RedriveAllowPolicy") {
    if (value.empty()) {
      redrive_allow_policy.reset();
      return {};
    }
    auto p = RedriveAllowPolicy::parse(value);
    if (!p) return p.error();
    redrive_allow_policy = std::move(*p);
    return {};
  }
  return unknown_attribute(name);  // read-only (ApproximateNumberOfMessages, ...) or unknown
}

Status QueueAttributes::set_all(const AttributePairs& pairs, bool creating) {
  if (creating) {
    for (const auto& [k, v] : pairs) {
      if (k != "FifoQueue") continue;
      if (auto st = set(k, v, creating); !st) return st;
    }
  }
  for (const auto& [k, v] : pairs) {
    if (creating && k == "FifoQueue") continue;
    if (auto st = set(k, v, creating); !st) return st;
  }
  return check_combination();
}

Status QueueAttributes::check_combination() const {
  if (fifo_throughput_limit == FifoThroughputLimit::kPerMessageGroupId &&
      deduplication_scope != DeduplicationScope::kMessageGroup) {
    return make_error(ErrorCode::kInvalidAttributeValue,
                      "Invalid value for the parameter FifoThroughputLimit. Reason: To set "
                      "FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be "
                      "messageGroup.");
  }
  return {};
}

AttributePairs QueueAttributes::to_pairs() const {
  AttributePairs out;
  out.reserve(14);
  if (!policy.empty()) out.emplace_back("Policy", policy);
  out.emplace_back("VisibilityTimeout", std::to_string(visibility_timeout));
  out.emplace_back("MaximumMessageSize", std::to_string(maximum_message_size));
  out.emplace_back("MessageRetentionPeriod", std::to_string(message_retention_period));
  out.emplace_back("DelaySeconds", std::to_string(delay_seconds));
  out.emplace_back("ReceiveMessageWaitTimeSeconds",
                   std::to_string(receive_message_wait_time_seconds));
  if (!kms_master_key_id.empty()) {
    out.emplace_back("KmsMasterKeyId", kms_master_key_id);
    out.emplace_back("KmsDataKeyReusePeriodSeconds",
                     std::to_string(kms_data_key_reuse_period_seconds));
  }
  out.emplace_back("SqsManagedSseEnabled", sqs_managed_sse_enabled ? "true" : "false");
  if (fifo_queue) {
    out.emplace_back("FifoQueue", "true");
    out.emplace_back("ContentBasedDeduplication", content_based_deduplication ? "true" : "false");
    out.emplace_back("DeduplicationScope", deduplication_scope == DeduplicationScope::kMessageGroup
                                               ? "messageGroup"
                                               : "queue");
    out.emplace_back("FifoThroughputLimit",
                     fifo_throughput_limit == FifoThroughputLimit::kPerMessageGroupId
                         ? "perMessageGroupId"
                         : "perQueue");
  }
  if (redrive_policy) out.emplace_back("RedrivePolicy", redrive_policy->to_json());
  if (redrive_allow_policy) out.emplace_back("RedriveAllowPolicy", redrive_allow_policy->to_json());
  return out;
}

std::optional<std::string> QueueAttributes::get(std::string_view name) const {
  for (auto& [k, v] : to_pairs()) {
    if (k == name) return v;
  }
  if (name == "KmsDataKeyReusePeriodSeconds" && !kms_master_key_id.empty())
    return std::to_string(kms_data_key_reuse_period_seconds);
  return std::nullopt;
}

std::string QueueAttributes::serialize() const {
  ByteWriter w;
  w.u8(kVersion);
  w.u32(delay_seconds);
  w.u32(maximum_message_size);
  w.u32(message_retention_period);
  w.u32(receive_message_wait_time_seconds);
  w.u32(visibility_timeout);
  w.u32(kms_data_key_reuse_period_seconds);
  w.u8(sqs_managed_sse_enabled ? 1 : 0);
  w.str(policy);
  w.str(kms_master_key_id);
  if (fifo_queue) {
    const char fifo[4] = {1, static_cast<char>(content_based_deduplication ? 1 : 0),
                          static_cast<char>(deduplication_scope),
                          static_cast<char>(fifo_throughput_limit)};
    tagged(w, kFifoTag, std::string_view(fifo, sizeof fifo));
  }
  // Dead-letter policies as canonical JSON.
  if (redrive_policy) tagged(w, kRedrivePolicyTag, redrive_policy->to_json());
  if (redrive_allow_policy) tagged(w, kRedriveAllowPolicyTag, redrive_allow_policy->to_json());
  return std::move(w).take();
}

Result<QueueAttributes> QueueAttributes::deserialize(std::string_view bytes) {
  ByteReader r(bytes);
  QueueAttributes a;
  uint8_t version = r.u8();
  a.delay_seconds = r.u32();
  a.maximum_message_size = r.u32();
  a.message_retention_period = r.u32();
  a.receive_message_wait_time_seconds = r.u32();
  a.visibility_timeout = r.u32();
  a.kms_data_key_reuse_period_seconds = r.u32();
  a.sqs_managed_sse_enabled = r.u8() != 0;
  a.policy = std::string(r.str());
  a.kms_master_key_id = std::string(r.str());
  std::string_view redrive, allow;
  // Version 1 records come from two lines of development: dead-letter queues wrote both policies
  // as two plain strings (a u32 length first, so the tail's first byte is 0), FIFO queues wrote
  // tagged fields (a tag first, never 0). Version 2 writes tagged fields.
  if (version == 1 && r.ok() && !r.at_end() && r.peek_u8() == 0) {
    redrive = r.str();
    allow = r.str();
  }
  while (r.ok() && !r.at_end()) {
    const uint8_t tag = r.u8();
    const std::string_view field = r.str();
    if (tag == kRedrivePolicyTag) redrive = field;
    if (tag == kRedriveAllowPolicyTag) allow = field;
    if (tag == kFifoTag && field.size() >= 4) {
      a.fifo_queue = field[0] != 0;
      a.content_based_deduplication = field[1] != 0;
      a.deduplication_scope =
          field[2] == 1 ? DeduplicationScope::kMessageGroup : DeduplicationScope::kQueue;
      a.fifo_throughput_limit =
          field[3] == 1 ? FifoThroughputLimit::kPerMessageGroupId : FifoThroughputLimit::kPerQueue;
    }
    // Unknown tags come from a newer version: skipped.
  }
  if ((version != 1 && version != kVersion) || !r.ok()) {
    return make_error(ErrorCode::kInternal, "corrupt queue attributes record");
  }
  if (!redrive.empty()) {
    auto p = RedrivePolicy::parse(redrive);
    if (!p) return make_error(ErrorCode::kInternal, "corrupt queue attributes record");
    a.redrive_policy = std::move(*p);
  }
  if (!allow.empty()) {
    auto p = RedriveAllowPolicy::parse(allow);
    if (!p) return make_error(ErrorCode::kInternal, "corrupt queue attributes record");
    a.redrive_allow_policy = std::move(*p);
  }
  return a;
}

}  // namespace sluice::storage
