// The per-message rules of a send that depend on the queue type (AWS's errors): a FIFO queue needs
// a MessageGroupId and a deduplication id (or ContentBasedDeduplication, which makes it the
// SHA-256 of the body) and refuses a per-message DelaySeconds; a standard queue refuses a
// MessageDeduplicationId but keeps a MessageGroupId (fair queues). Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "storage/queue/message.h"
#include "storage/queue/queue_attributes.h"
#include "storage/result.h"

namespace sluice::storage {

// Checks `m` against the queue's type and fills in its content-based deduplication id.
Status check_message_for_queue(const QueueAttributes& queue, NewMessage& m);

// 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace sluice::storage
