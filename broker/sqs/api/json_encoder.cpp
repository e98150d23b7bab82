// See json_encoder.h. Member names and nesting follow shared/aws-models/sqs.json; blobs are
// base64; maps are JSON objects.
#include "broker/sqs/api/json_encoder.h"

#include "broker/protocol/base64.h"
#include "broker/protocol/json_writer.h"

namespace sluice::sqs {

namespace {

using protocol::JsonWriter;

void string_map(JsonWriter& w, std::string_view name,
                const std::vector<std::pair<std::string, std::string>>& map) {
  if (map.empty()) return;
  w.key(name);
  w.begin_object();
  for (const auto& [k, v] : map) w.string_member(k, v);
  w.end_object();
}

void string_list(JsonWriter& w, std::string_view name, const std::vector<std::string>& list,
                 bool always) {
  if (list.empty() && !always) return;
  w.key(name);
  w.begin_array();
  for (const auto& s : list) w.string(s);
  w.end_array();
}

void batch_errors(JsonWriter& w, const std::vector<BatchResultErrorEntry>& failed) {
  w.key("Failed");
  w.begin_array();
  for (const auto& f : failed) {
    w.begin_object();
    w.string_member("Id", f.id);
    w.boolean_member("SenderFault", f.sender_fault);
    w.string_member("Code", f.code);
    w.optional_string_member("Message", f.message);
    w.end_object();
  }
  w.end_array();
}

template <class Entries>
void id_entries(JsonWriter& w, const Entries& entries) {
  w.key("Successful");
  w.begin_array();
  for (const auto& e : entries) {
    w.begin_object();
    w.string_member("Id", e.id);
    w.end_object();
  }
  w.end_array();
}

void message_attributes(JsonWriter& w, const std::vector<MessageAttribute>& attrs) {
  if (attrs.empty()) return;
  w.key("MessageAttributes");
  w.begin_object();
  std::string b64;
  for (const auto& a : attrs) {
    w.key(a.name);
    w.begin_object();
    if (a.is_binary) {
      b64.clear();
      protocol::base64_encode(a.binary_value, b64);
      w.string_member("BinaryValue", b64);
    } else {
      w.string_member("StringValue", a.string_value);
    }
    w.string_member("DataType", a.data_type);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void encode_json(const EmptyResult&, std::string& out) {
  out.append("{}");
}

void encode_json(const CancelMessageMoveTaskResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.integer_member("ApproximateNumberOfMessagesMoved", r.approximate_number_of_messages_moved);
  w.end_object();
}

void encode_json(const ChangeMessageVisibilityBatchResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  id_entries(w, r.successful);
  batch_errors(w, r.failed);
  w.end_object();
}

void encode_json(const CreateQueueResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.optional_string_member("QueueUrl", r.queue_url);
  w.end_object();
}

void encode_json(const DeleteMessageBatchResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  id_entries(w, r.successful);
  batch_errors(w, r.failed);
  w.end_object();
}

void encode_json(const GetQueueAttributesResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  string_map(w, "Attributes", r.attributes);
  w.end_object();
}

void encode_json(const GetQueueUrlResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.optional_string_member("QueueUrl", r.queue_url);
  w.end_object();
}

void encode_json(const ListDeadLetterSourceQueuesResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  string_list(w, "queueUrls", r.queue_urls, /*always=*/true);  // required by the model
  w.optional_string_member("NextToken", r.next_token);
  w.end_object();
}

void encode_json(const ListMessageMoveTasksResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.key("Results");
  w.begin_array();
  for (const auto& t : r.results) {
    w.begin_object();
    w.optional_string_member("TaskHandle", t.task_handle);
    w.optional_string_member("Status", t.status);
    w.optional_string_member("SourceArn", t.source_arn);
    w.optional_string_member("DestinationArn", t.destination_arn);
    if (t.max_number_of_messages_per_second) {
      w.integer_member("MaxNumberOfMessagesPerSecond", *t.max_number_of_messages_per_second);
    }
    if (t.approximate_number_of_messages_moved) {
      w.integer_member("ApproximateNumberOfMessagesMoved", *t.approximate_number_of_messages_moved);
    }
    if (t.approximate_number_of_messages_to_move) {
      w.integer_member("ApproximateNumberOfMessagesToMove",
                       *t.approximate_number_of_messages_to_move);
    }
    w.optional_string_member("FailureReason", t.failure_reason);
    if (t.started_timestamp) w.integer_member("StartedTimestamp", *t.started_timestamp);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void encode_json(const ListQueueTagsResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  string_map(w, "Tags", r.tags);
  w.end_object();
}

void encode_json(const ListQueuesResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  string_list(w, "QueueUrls", r.queue_urls, /*always=*/false);
  w.optional_string_member("NextToken", r.next_token);
  w.end_object();
}

void encode_json(const ReceiveMessageResult& r, std::string& out) {
  std::size_t guess = 16;
  for (const auto& m : r.messages) guess += m.body.size() + m.receipt_handle.size() + 256;
  out.reserve(out.size() + guess);
  JsonWriter w(out);
  w.begin_object();
  if (!r.messages.empty()) {
    w.key("Messages");
    w.begin_array();
    for (const auto& m : r.messages) {
      w.begin_object();
      w.string_member("MessageId", m.message_id);
      w.string_member("ReceiptHandle", m.receipt_handle);
      w.string_member("MD5OfBody", m.md5_of_body);
      w.string_member("Body", m.body);
      string_map(w, "Attributes", m.attributes);
      w.optional_string_member("MD5OfMessageAttributes", m.md5_of_message_attributes);
      message_attributes(w, m.message_attributes);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

void encode_json(const SendMessageResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.optional_string_member("MD5OfMessageBody", r.md5_of_message_body);
  w.optional_string_member("MD5OfMessageAttributes", r.md5_of_message_attributes);
  w.optional_string_member("MD5OfMessageSystemAttributes", r.md5_of_message_system_attributes);
  w.optional_string_member("MessageId", r.message_id);
  w.optional_string_member("SequenceNumber", r.sequence_number);
  w.end_object();
}

void encode_json(const SendMessageBatchResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.key("Successful");
  w.begin_array();
  for (const auto& e : r.successful) {
    w.begin_object();
    w.string_member("Id", e.id);
    w.string_member("MessageId", e.message_id);
    w.string_member("MD5OfMessageBody", e.md5_of_message_body);
    w.optional_string_member("MD5OfMessageAttributes", e.md5_of_message_attributes);
    w.optional_string_member("MD5OfMessageSystemAttributes", e.md5_of_message_system_attributes);
    w.optional_string_member("SequenceNumber", e.sequence_number);
    w.end_object();
  }
  w.end_array();
  batch_errors(w, r.failed);
  w.end_object();
}

void encode_json(const StartMessageMoveTaskResult& r, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  w.optional_string_member("TaskHandle", r.task_handle);
  w.end_object();
}

void encode_json(const AnyResult& r, std::string& out) {
  std::visit([&](const auto& v) { encode_json(v, out); }, r);
}

}  // namespace sluice::sqs
