// RedrivePolicy and RedriveAllowPolicy: the two JSON-valued queue attributes of dead-letter
// queues, parsed and validated with SQS's own error texts, and rendered back in the canonical form
// GetQueueAttributes returns (`{"deadLetterTargetArn":"...","maxReceiveCount":5}`, maxReceiveCount
// a number even when it was sent as a string). Only the document is checked here; whether the
// dead-letter queue exists and lets the source name it is the QueueStore's business (it knows the
// queues). Pure values; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.h"

namespace sluice::storage {

struct RedrivePolicy {
  std::string dead_letter_target_arn;
  uint32_t max_receive_count = 0;  // 1..1000

  // Errors are InvalidParameterValue "Value <json> for parameter RedrivePolicy is invalid.
  // Reason: ...", as SQS words them.
  static Result<RedrivePolicy> parse(std::string_view json);
  std::string to_json() const;
  bool operator==(const RedrivePolicy&) const = default;
};

struct RedriveAllowPolicy {
  enum class Permission : uint8_t { kAllowAll, kDenyAll, kByQueue };
  static constexpr size_t kMaxSourceQueueArns = 10;

  Permission permission = Permission::kAllowAll;
  std::vector<std::string> source_queue_arns;  // only with kByQueue: 1..10

  static Result<RedriveAllowPolicy> parse(std::string_view json);
  std::string to_json() const;
  // May the queue `source_arn` name this queue as its dead-letter queue?
  bool allows(std::string_view source_arn) const;
  bool operator==(const RedriveAllowPolicy&) const = default;
};

// An SQS queue ARN "arn:<partition>:sqs:<region>:<account>:<name>" (six parts, a non-empty name).
bool is_queue_arn(std::string_view arn);
// The queue name of `arn` when it starts with `prefix` ("arn:aws:sqs:REGION:ACCOUNT:"), i.e. the
// queue lives in this server's region and account; empty otherwise.
std::string_view queue_name_in(std::string_view arn, std::string_view prefix);
// Queue names ending in ".fifo" are FIFO queues (SQS enforces the suffix both ways).
inline bool is_fifo_name(std::string_view name) {
  return name.size() >= 5 && name.substr(name.size() - 5) == ".fifo";
}
// Appends `s` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace sluice::storage
