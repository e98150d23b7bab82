// See xml_encoder.h. Element names are the query protocol's (botocore's query model of SQS and
// the Smithy xmlName/xmlFlattened traits): lists and maps are flattened, i.e. the member element
// repeats directly inside its parent.
#include "broker/sqs/api/xml_encoder.h"

#include "broker/protocol/base64.h"
#include "broker/protocol/xml_writer.h"

namespace sluice::sqs {

namespace {

using protocol::XmlWriter;

// Writes <XxxResponse xmlns=..><XxxResult> on construction and the closing tags plus
// ResponseMetadata on finish().
class Envelope {
 public:
  Envelope(XmlWriter& w, std::string_view action) : w_(w), action_(action) {
    std::string& out = w_.buffer();
    out.push_back('<');
    out.append(action_);
    out.append("Response xmlns=\"");
    out.append(kSqsXmlNamespace);
    out.append("\"><");
    out.append(action_);
    out.append("Result>");
  }
  void finish(std::string_view request_id) {
    std::string& out = w_.buffer();
    out.append("</");
    out.append(action_);
    out.append("Result>");
    metadata_and_close(w_, action_, request_id);
  }
  static void metadata_and_close(XmlWriter& w, std::string_view action,
                                 std::string_view request_id) {
    w.open("ResponseMetadata");
    w.element("RequestId", request_id);
    w.close("ResponseMetadata");
    std::string& out = w.buffer();
    out.append("</");
    out.append(action);
    out.append("Response>");
  }

 private:
  XmlWriter& w_;
  std::string_view action_;
};

void pairs(XmlWriter& w, std::string_view element, std::string_view key_name,
           const std::vector<std::pair<std::string, std::string>>& map) {
  for (const auto& [k, v] : map) {
    w.open(element);
    w.element(key_name, k);
    w.element("Value", v);
    w.close(element);
  }
}

void batch_errors(XmlWriter& w, const std::vector<BatchResultErrorEntry>& failed) {
  for (const auto& f : failed) {
    w.open("BatchResultErrorEntry");
    w.element("Id", f.id);
    w.bool_element("SenderFault", f.sender_fault);
    w.element("Code", f.code);
    w.optional_element("Message", f.message);
    w.close("BatchResultErrorEntry");
  }
}

template <class Entries>
void id_entries(XmlWriter& w, std::string_view element, const Entries& entries) {
  for (const auto& e : entries) {
    w.open(element);
    w.element("Id", e.id);
    w.close(element);
  }
}

}  // namespace

void encode_xml_empty(Action action, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  std::string_view name = action_name(action);
  out.push_back('<');
  out.append(name);
  out.append("Response xmlns=\"");
  out.append(kSqsXmlNamespace);
  out.append("\">");
  Envelope::metadata_and_close(w, name, request_id);
}

void encode_xml(const CancelMessageMoveTaskResult& r, std::string_view request_id,
                std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "CancelMessageMoveTask");
  w.int_element("ApproximateNumberOfMessagesMoved", r.approximate_number_of_messages_moved);
  env.finish(request_id);
}

void encode_xml(const ChangeMessageVisibilityBatchResult& r, std::string_view request_id,
                std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "ChangeMessageVisibilityBatch");
  id_entries(w, "ChangeMessageVisibilityBatchResultEntry", r.successful);
  batch_errors(w, r.failed);
  env.finish(request_id);
}

void encode_xml(const CreateQueueResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "CreateQueue");
  w.optional_element("QueueUrl", r.queue_url);
  env.finish(request_id);
}

void encode_xml(const DeleteMessageBatchResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "DeleteMessageBatch");
  id_entries(w, "DeleteMessageBatchResultEntry", r.successful);
  batch_errors(w, r.failed);
  env.finish(request_id);
}

void encode_xml(const GetQueueAttributesResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "GetQueueAttributes");
  pairs(w, "Attribute", "Name", r.attributes);
  env.finish(request_id);
}

void encode_xml(const GetQueueUrlResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "GetQueueUrl");
  w.optional_element("QueueUrl", r.queue_url);
  env.finish(request_id);
}

void encode_xml(const ListDeadLetterSourceQueuesResult& r, std::string_view request_id,
                std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "ListDeadLetterSourceQueues");
  for (const auto& u : r.queue_urls) w.element("QueueUrl", u);
  w.optional_element("NextToken", r.next_token);
  env.finish(request_id);
}

void encode_xml(const ListMessageMoveTasksResult& r, std::string_view request_id,
                std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "ListMessageMoveTasks");
  for (const auto& t : r.results) {
    w.open("ListMessageMoveTasksResultEntry");
    w.optional_element("TaskHandle", t.task_handle);
    w.optional_element("Status", t.status);
    w.optional_element("SourceArn", t.source_arn);
    w.optional_element("DestinationArn", t.destination_arn);
    if (t.max_number_of_messages_per_second) {
      w.int_element("MaxNumberOfMessagesPerSecond", *t.max_number_of_messages_per_second);
    }
    if (t.approximate_number_of_messages_moved) {
      w.int_element("ApproximateNumberOfMessagesMoved", *t.approximate_number_of_messages_moved);
    }
    if (t.approximate_number_of_messages_to_move) {
      w.int_element("ApproximateNumberOfMessagesToMove", *t.approximate_number_of_messages_to_move);
    }
    w.optional_element("FailureReason", t.failure_reason);
    if (t.started_timestamp) w.int_element("StartedTimestamp", *t.started_timestamp);
    w.close("ListMessageMoveTasksResultEntry");
  }
  env.finish(request_id);
}

void encode_xml(const ListQueueTagsResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "ListQueueTags");
  pairs(w, "Tag", "Key", r.tags);
  env.finish(request_id);
}

void encode_xml(const ListQueuesResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "ListQueues");
  for (const auto& u : r.queue_urls) w.element("QueueUrl", u);
  w.optional_element("NextToken", r.next_token);
  env.finish(request_id);
}

void encode_xml(const ReceiveMessageResult& r, std::string_view request_id, std::string& out) {
  std::size_t guess = 256;
  for (const auto& m : r.messages) guess += m.body.size() + m.receipt_handle.size() + 384;
  out.reserve(out.size() + guess);
  XmlWriter w(out);
  Envelope env(w, "ReceiveMessage");
  std::string b64;
  for (const auto& m : r.messages) {
    w.open("Message");
    w.element("MessageId", m.message_id);
    w.element("ReceiptHandle", m.receipt_handle);
    w.element("MD5OfBody", m.md5_of_body);
    w.element("Body", m.body);
    pairs(w, "Attribute", "Name", m.attributes);
    w.optional_element("MD5OfMessageAttributes", m.md5_of_message_attributes);
    for (const auto& a : m.message_attributes) {
      w.open("MessageAttribute");
      w.element("Name", a.name);
      w.open("Value");
      if (a.is_binary) {
        b64.clear();
        protocol::base64_encode(a.binary_value, b64);
        w.raw_element("BinaryValue", b64);
      } else {
        w.element("StringValue", a.string_value);
      }
      w.element("DataType", a.data_type);
      w.close("Value");
      w.close("MessageAttribute");
    }
    w.close("Message");
  }
  env.finish(request_id);
}

void encode_xml(const SendMessageResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "SendMessage");
  w.optional_element("MessageId", r.message_id);
  w.optional_element("MD5OfMessageBody", r.md5_of_message_body);
  w.optional_element("MD5OfMessageAttributes", r.md5_of_message_attributes);
  w.optional_element("MD5OfMessageSystemAttributes", r.md5_of_message_system_attributes);
  w.optional_element("SequenceNumber", r.sequence_number);
  env.finish(request_id);
}

void encode_xml(const SendMessageBatchResult& r, std::string_view request_id, std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "SendMessageBatch");
  for (const auto& e : r.successful) {
    w.open("SendMessageBatchResultEntry");
    w.element("Id", e.id);
    w.element("MessageId", e.message_id);
    w.element("MD5OfMessageBody", e.md5_of_message_body);
    w.optional_element("MD5OfMessageAttributes", e.md5_of_message_attributes);
    w.optional_element("MD5OfMessageSystemAttributes", e.md5_of_message_system_attributes);
    w.optional_element("SequenceNumber", e.sequence_number);
    w.close("SendMessageBatchResultEntry");
  }
  batch_errors(w, r.failed);
  env.finish(request_id);
}

void encode_xml(const StartMessageMoveTaskResult& r, std::string_view request_id,
                std::string& out) {
  XmlWriter w(out);
  Envelope env(w, "StartMessageMoveTask");
  w.optional_element("TaskHandle", r.task_handle);
  env.finish(request_id);
}

void encode_xml(Action action, const AnyResult& r, std::string_view request_id, std::string& out) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, EmptyResult>) {
          encode_xml_empty(action, request_id, out);
        } else {
          encode_xml(v, request_id, out);
        }
      },
      r);
}

}  // namespace sluice::sqs
