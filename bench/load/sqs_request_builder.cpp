// Query-protocol member names follow the flattened serialization of the 2012-11-05 API
// (SendMessageBatchRequestEntry.N.Id, Attribute.N.Name); JSON member names are the model's.
#include "bench/load/sqs_request_builder.h"

#include <array>
#include <chrono>

#include "bench/load/text_encoding.h"

namespace sluice::bench {
namespace {

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

// Builds a JSON object member by member.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_.push_back('{'); }
  JsonObject& str(std::string_view key, std::string_view value) {
    if (value.empty()) return *this;
    key_(key);
    append_json_string(out_, value);
    return *this;
  }
  JsonObject& num(std::string_view key, uint64_t value) {
    key_(key);
    out_.append(std::to_string(value));
    return *this;
  }
  // Opens `"key":` for a nested value the caller writes.
  std::string& raw(std::string_view key) {
    key_(key);
    return out_;
  }
  void close() { out_.push_back('}'); }

 private:
  void key_(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    append_json_string(out_, key);
    out_.push_back(':');
  }
  std::string& out_;
  bool first_ = true;
};

// Builds a form body parameter by parameter.
class Form {
 public:
  Form(std::string& out, std::string_view action) : out_(out) {
    out_.append("Action=").append(action).append("&Version=2012-11-05");
  }
  Form& param(std::string_view name, std::string_view value) {
    if (value.empty()) return *this;
    out_.push_back('&');
    out_.append(name).push_back('=');
    append_percent_encoded(out_, value);
    return *this;
  }
  Form& entry(std::string_view list, size_t index, std::string_view member,
              std::string_view value) {
    if (value.empty()) return *this;
    out_.push_back('&');
    out_.append(list).push_back('.');
    out_.append(std::to_string(index)).push_back('.');
    out_.append(member).push_back('=');
    append_percent_encoded(out_, value);
    return *this;
  }

 private:
  std::string& out_;
};

}  // namespace

SqsRequestBuilder::SqsRequestBuilder(Protocol protocol, Endpoint endpoint, Credentials credentials,
                                     bool sign)
    : protocol_(protocol),
      endpoint_(std::move(endpoint)),
      sign_(sign),
      signer_(std::move(credentials), "sqs") {}

std::string_view SqsRequestBuilder::amz_date() {
  if (!fixed_date_.empty()) return fixed_date_;
  return date_.now();
}

std::string SqsRequestBuilder::frame(ApiAction action, const std::string& payload) {
  const bool json = protocol_ == Protocol::kJson;
  const std::string_view content_type = json ? kJsonContentType : kFormContentType;
  std::string target;
  if (json) target.append("AmazonSQS.").append(action_name(action));
  const std::string_view date = amz_date();

  std::string out;
  out.reserve(payload.size() + 512);
  out.append("POST ").append(endpoint_.path).append(" HTTP/1.1\r\nHost: ");
  out.append(endpoint_.host_header).append("\r\nContent-Type: ").append(content_type);
  if (json) out.append("\r\nX-Amz-Target: ").append(target);
  out.append("\r\nX-Amz-Date: ").append(date);
  if (sign_) {
    std::array<SigV4Signer::Header, 4> headers = {{
        {"content-type", content_type},
        {"host", endpoint_.host_header},
        {"x-amz-date", date},
        {"x-amz-target", target},
    }};
    const std::span<const SigV4Signer::Header> signed_headers(headers.data(), json ? 4 : 3);
    out.append("\r\nAuthorization: ")
        .append(signer_.authorization("POST", endpoint_.path, "", signed_headers, payload, date));
  }
  out.append("\r\nUser-Agent: sluice-bench/1\r\nContent-Length: ");
  out.append(std::to_string(payload.size())).append("\r\n\r\n").append(payload);
  return out;
}

std::string SqsRequestBuilder::create_queue(std::string_view name, bool fifo) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject o(p);
    o.str("QueueName", name);
    if (fifo) o.raw("Attributes").append(R"({"FifoQueue":"true"})");
    o.close();
  } else {
    Form f(p, "CreateQueue");
    f.param("QueueName", name);
    if (fifo) f.param("Attribute.1.Name", "FifoQueue").param("Attribute.1.Value", "true");
  }
  return frame(ApiAction::kCreateQueue, p);
}

std::string SqsRequestBuilder::get_queue_url(std::string_view name) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject(p).str("QueueName", name).close();
  } else {
    Form(p, "GetQueueUrl").param("QueueName", name);
  }
  return frame(ApiAction::kGetQueueUrl, p);
}

std::string SqsRequestBuilder::purge_queue(std::string_view queue_url) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject(p).str("QueueUrl", queue_url).close();
  } else {
    Form(p, "PurgeQueue").param("QueueUrl", queue_url);
  }
  return frame(ApiAction::kPurgeQueue, p);
}

std::string SqsRequestBuilder::send_message(std::string_view queue_url, const OutgoingMessage& m) {
  std::string p;
  p.reserve(m.body.size() + 256);
  if (protocol_ == Protocol::kJson) {
    JsonObject(p)
        .str("QueueUrl", queue_url)
        .str("MessageBody", m.body)
        .str("MessageGroupId", m.group_id)
        .str("MessageDeduplicationId", m.dedup_id)
        .close();
  } else {
    Form(p, "SendMessage")
        .param("QueueUrl", queue_url)
        .param("MessageBody", m.body)
        .param("MessageGroupId", m.group_id)
        .param("MessageDeduplicationId", m.dedup_id);
  }
  return frame(ApiAction::kSendMessage, p);
}

std::string SqsRequestBuilder::send_message_batch(std::string_view queue_url,
                                                  std::span<const OutgoingMessage> entries) {
  std::string p;
  size_t bytes = 256;
  for (const OutgoingMessage& m : entries) bytes += m.body.size() + 128;
  p.reserve(bytes);
  if (protocol_ == Protocol::kJson) {
    JsonObject o(p);
    o.str("QueueUrl", queue_url);
    std::string& list = o.raw("Entries");
    list.push_back('[');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i) list.push_back(',');
      JsonObject(list)
          .str("Id", entries[i].id)
          .str("MessageBody", entries[i].body)
          .str("MessageGroupId", entries[i].group_id)
          .str("MessageDeduplicationId", entries[i].dedup_id)
          .close();
    }
    list.push_back(']');
    o.close();
  } else {
    Form f(p, "SendMessageBatch");
    f.param("QueueUrl", queue_url);
    constexpr std::string_view kList = "SendMessageBatchRequestEntry";
    for (size_t i = 0; i < entries.size(); ++i) {
      f.entry(kList, i + 1, "Id", entries[i].id)
          .entry(kList, i + 1, "MessageBody", entries[i].body)
          .entry(kList, i + 1, "MessageGroupId", entries[i].group_id)
          .entry(kList, i + 1, "MessageDeduplicationId", entries[i].dedup_id);
    }
  }
  return frame(ApiAction::kSendMessageBatch, p);
}

std::string SqsRequestBuilder::receive_message(std::string_view queue_url,
                                               const ReceiveOptions& options) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject o(p);
    o.str("QueueUrl", queue_url).num("MaxNumberOfMessages", options.max_messages);
    if (options.wait_seconds > 0) o.num("WaitTimeSeconds", options.wait_seconds);
    if (options.visibility_timeout >= 0) {
      o.num("VisibilityTimeout", static_cast<uint64_t>(options.visibility_timeout));
    }
    o.close();
  } else {
    Form f(p, "ReceiveMessage");
    f.param("QueueUrl", queue_url)
        .param("MaxNumberOfMessages", std::to_string(options.max_messages));
    if (options.wait_seconds > 0) f.param("WaitTimeSeconds", std::to_string(options.wait_seconds));
    if (options.visibility_timeout >= 0) {
      f.param("VisibilityTimeout", std::to_string(options.visibility_timeout));
    }
  }
  return frame(ApiAction::kReceiveMessage, p);
}

std::string SqsRequestBuilder::delete_message(std::string_view queue_url,
                                              std::string_view receipt_handle) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject(p).str("QueueUrl", queue_url).str("ReceiptHandle", receipt_handle).close();
  } else {
    Form(p, "DeleteMessage").param("QueueUrl", queue_url).param("ReceiptHandle", receipt_handle);
  }
  return frame(ApiAction::kDeleteMessage, p);
}

std::string SqsRequestBuilder::delete_message_batch(std::string_view queue_url,
                                                    std::span<const DeleteEntry> entries) {
  std::string p;
  if (protocol_ == Protocol::kJson) {
    JsonObject o(p);
    o.str("QueueUrl", queue_url);
    std::string& list = o.raw("Entries");
    list.push_back('[');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i) list.push_back(',');
      JsonObject(list)
          .str("Id", entries[i].id)
          .str("ReceiptHandle", entries[i].receipt_handle)
          .close();
    }
    list.push_back(']');
    o.close();
  } else {
    Form f(p, "DeleteMessageBatch");
    f.param("QueueUrl", queue_url);
    constexpr std::string_view kList = "DeleteMessageBatchRequestEntry";
    for (size_t i = 0; i < entries.size(); ++i) {
      f.entry(kList, i + 1, "Id", entries[i].id)
          .entry(kList, i + 1, "ReceiptHandle", entries[i].receipt_handle);
    }
  }
  return frame(ApiAction::kDeleteMessageBatch, p);
}

}  // namespace sluice::bench
