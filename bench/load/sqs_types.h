// The SQS vocabulary of sluice-bench: the wire protocol, and the typed results the response parsers
// extract (only the members the bench verifies).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/load/api_action.h"

namespace sluice::bench {

enum class Protocol : uint8_t { kJson, kQuery };

struct QueueUrlResult {
  std::string queue_url;
};

struct SendResult {
  std::string message_id;
  std::string md5_of_body;
};

struct BatchSuccessEntry {
  std::string id;
  std::string message_id;   // sends only
  std::string md5_of_body;  // sends only
};

struct BatchErrorEntry {
  std::string id;
  std::string code;
  std::string message;
  bool sender_fault = false;
};

// SendMessageBatch and DeleteMessageBatch answer in the same shape.
struct BatchResult {
  std::vector<BatchSuccessEntry> successful;
  std::vector<BatchErrorEntry> failed;
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
};

struct ReceiveResult {
  std::vector<ReceivedMessage> messages;
};

// Success responses without a payload the bench reads (DeleteMessage, PurgeQueue).
struct Empty {};

}  // namespace sluice::bench
