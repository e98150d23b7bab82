// See sqs_record.h.
#include "broker/pipes/sqs_record.h"

#include "broker/protocol/base64.h"
#include "engine/json/json_parse.h"
#include "storage/queue/sequence_number.h"

namespace sluice::pipes {

json::Value sqs_record(const storage::ReceivedMessage& m, const std::string& source_arn,
                       const std::string& region) {
  json::Object attributes;
  attributes.append_new("ApproximateReceiveCount", json::Value(std::to_string(m.receive_count)));
  attributes.append_new("SentTimestamp", json::Value(std::to_string(m.sent_ms)));
  attributes.append_new("SenderId", json::Value(m.sender_id));
  attributes.append_new("ApproximateFirstReceiveTimestamp",
                        json::Value(std::to_string(m.first_receive_ms)));
  if (!m.aws_trace_header.empty()) {
    attributes.append_new("AWSTraceHeader", json::Value(m.aws_trace_header));
  }
  // Only FIFO messages have a deduplication id; a fair-queue message may have just a group.
  if (!m.dedup_id.empty()) {
    attributes.append_new("SequenceNumber", json::Value(storage::sequence_number_text(m.seq)));
  }
  if (!m.group_id.empty()) attributes.append_new("MessageGroupId", json::Value(m.group_id));
  if (!m.dedup_id.empty()) {
    attributes.append_new("MessageDeduplicationId", json::Value(m.dedup_id));
  }
  if (!m.dead_letter_source_arn.empty()) {
    attributes.append_new("DeadLetterQueueSourceArn", json::Value(m.dead_letter_source_arn));
  }
  json::Object message_attributes;
  for (const auto& a : m.attributes) {
    json::Object v;
    if (a.is_binary) {
      v.append_new("binaryValue", json::Value(protocol::base64_encode(a.value)));
    } else {
      v.append_new("stringValue", json::Value(a.value));
    }
    v.append_new("stringListValues", json::Value(json::Array{}));
    v.append_new("binaryListValues", json::Value(json::Array{}));
    v.append_new("dataType", json::Value(a.data_type));
    message_attributes.set(a.name, json::Value(std::move(v)));
  }
  json::Object r;
  r.reserve(10);
  r.append_new("messageId", json::Value(m.message_id));
  r.append_new("receiptHandle", json::Value(m.receipt_handle));
  r.append_new("body", json::Value(m.body));
  r.append_new("attributes", json::Value(std::move(attributes)));
  r.append_new("messageAttributes", json::Value(std::move(message_attributes)));
  r.append_new("md5OfBody", json::Value(m.body_md5));
  r.append_new("eventSource", json::Value("aws:sqs"));
  r.append_new("eventSourceARN", json::Value(source_arn));
  r.append_new("awsRegion", json::Value(region));
  return json::Value(std::move(r));
}

json::Value filter_view(const json::Value& record, bool* body_is_json) {
  json::Object out;
  *body_is_json = false;
  for (const auto& [key, value] : record.as_object()) {
    if (key == "eventSource" || key == "eventSourceARN" || key == "awsRegion") continue;
    if (key == "body" && value.is_string()) {
      auto parsed = json::parse(value.as_string());
      if (parsed) {
        *body_is_json = true;
        out.append_new(key, std::move(*parsed));
        continue;
      }
    }
    out.append_new(key, value);
  }
  return json::Value(std::move(out));
}

}  // namespace sluice::pipes
