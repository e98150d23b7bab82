// Queue-type rules of a send; error texts are those SQS returns.
#include "storage/queue/fifo_rules.h"

#include <openssl/evp.h>

namespace sluice::storage {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

Status check_message_for_queue(const QueueAttributes& queue, NewMessage& m) {
  if (!queue.fifo_queue) {
    if (!m.dedup_id.empty()) {
      return make_error(ErrorCode::kInvalidParameterValue,
                        "The request include parameter MessageDeduplicationId that is not valid "
                        "for this queue type");
    }
    return {};
  }
  if (m.group_id.empty()) {
    return make_error(ErrorCode::kMissingParameter,
                      "The request must contain the parameter MessageGroupId.");
  }
  // DelaySeconds=0 is accepted: it asks for nothing the queue does not already do.
  if (m.delay_seconds && *m.delay_seconds != 0) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      "Value " + std::to_string(*m.delay_seconds) +
                          " for parameter DelaySeconds is invalid. Reason: The request include "
                          "parameter that is not valid for this queue type.");
  }
  if (m.dedup_id.empty()) {
    if (!queue.content_based_deduplication) {
      return make_error(ErrorCode::kInvalidParameterValue,
                        "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly");
    }
    m.dedup_id = sha256_hex(m.body);
  }
  return {};
}

}  // namespace sluice::storage
