// ReceiptHandle: names one receive of one message. It carries the queue id, the message's sequence
// number and the receive count at that receive, so a handle from an earlier receive is recognisably
// stale (the count moved on) and a handle from another queue, or a recreated queue, never matches.
// Encoded as unpadded URL-safe base64 so it travels unchanged through forms, XML and JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::storage {

struct ReceiptHandle {
  uint64_t queue_id = 0;
  uint64_t seq = 0;
  uint32_t receive_count = 0;
  uint32_t nonce = 0;  // random per receive: handles are not guessable from one another

  std::string encode() const;
  static std::optional<ReceiptHandle> decode(std::string_view text);
};

}  // namespace sluice::storage
