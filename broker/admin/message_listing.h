// The JSON of GET /_sluice/queues/{name}/messages: one page of a queue's messages as
// QueueStore::peek read them, with the attributes a ReceiveMessage asking for "All" would show
// (without receiving: the receive count is the one the message has now) and each one's state.
#pragma once

#include <string>
#include <string_view>

#include "storage/queue/queue_store.h"

namespace sluice::admin {

// "visible", "in_flight" or "delayed" (the labels of the sluice_queue_messages metric).
std::string_view state_name(storage::PeekedState state);

// {"queue": NAME, "messages": [...], "nextToken": "..." (only when more follow)}.
// `fifo`: the queue is FIFO, so messages carry SequenceNumber and MessageDeduplicationId.
std::string render_message_page(std::string_view queue, bool fifo, const storage::PeekPage& page);

}  // namespace sluice::admin
