// Rendering of a peeked page. Attribute values are strings, as SQS sends them.
#include "broker/admin/message_listing.h"

#include "broker/protocol/base64.h"
#include "broker/protocol/json_writer.h"
#include "storage/queue/sequence_number.h"

namespace sluice::admin {

namespace {
using protocol::JsonWriter;

void system_attributes(JsonWriter& w, bool fifo, const storage::PeekedMessage& m) {
  const storage::MessageRecord& r = m.record;
  w.key("Attributes");
  w.begin_object();
  w.string_member("SentTimestamp", std::to_string(m.sent_ms));
  w.string_member("ApproximateReceiveCount", std::to_string(m.receive_count));
  if (m.first_receive_ms != 0) {
    w.string_member("ApproximateFirstReceiveTimestamp", std::to_string(m.first_receive_ms));
  }
  w.optional_string_member("SenderId", r.sender_id);
  w.optional_string_member("AWSTraceHeader", r.aws_trace_header);
  w.optional_string_member("MessageGroupId", r.group_id);
  if (fifo) {
    w.string_member("SequenceNumber", storage::sequence_number_text(m.seq));
    w.optional_string_member("MessageDeduplicationId", r.dedup_id);
  }
  w.optional_string_member("DeadLetterQueueSourceArn", r.dead_letter_source_arn);
  w.end_object();
}

void message_attributes(JsonWriter& w, const std::vector<storage::MessageAttribute>& attributes) {
  w.key("MessageAttributes");
  w.begin_object();
  for (const auto& a : attributes) {
    w.key(a.name);
    w.begin_object();
    w.string_member("DataType", a.data_type);
    if (a.is_binary) {
      w.string_member("BinaryValue", protocol::base64_encode(a.value));
    } else {
      w.string_member("StringValue", a.value);
    }
    w.end_object();
  }
  w.end_object();
}
}  // namespace

std::string_view state_name(storage::PeekedState state) {
  switch (state) {
    case storage::PeekedState::kInFlight:
      return "in_flight";
    case storage::PeekedState::kDelayed:
      return "delayed";
    case storage::PeekedState::kVisible:
      break;
  }
  return "visible";
}

std::string render_message_page(std::string_view queue, bool fifo, const storage::PeekPage& page) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.string_member("queue", queue);
  w.key("messages");
  w.begin_array();
  for (const storage::PeekedMessage& m : page.messages) {
    w.begin_object();
    w.string_member("MessageId", m.record.message_id);
    w.string_member("Body", m.record.body);
    w.string_member("MD5OfBody", m.record.body_md5);
    w.string_member("State", state_name(m.state));
    if (m.state != storage::PeekedState::kVisible) {
      w.integer_member("VisibleAtTimestamp", m.visible_at_ms);
    }
    system_attributes(w, fifo, m);
    message_attributes(w, m.record.attributes);
    w.end_object();
  }
  w.end_array();
  if (page.next_after) w.string_member("nextToken", std::to_string(*page.next_after));
  w.end_object();
  return out;
}

}  // namespace sluice::admin
