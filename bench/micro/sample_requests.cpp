// Builds the shared benchmark inputs once (function-local statics).
#include "bench/micro/sample_requests.h"

#include <cstdio>

#include "broker/protocol/base64.h"
#include "broker/protocol/json_writer.h"
#include "broker/sqs/api/message_md5.h"
#include "storage/queue/receipt_handle.h"

namespace sluice::microbench {

namespace {

std::string build_body() {
  std::string b = R"({"orderId":"ord-20240517-000123","customer":{"id":"cust-4711",)"
                  R"("email":"jane.doe@example.com","tier":"gold"},"items":[)";
  for (int i = 0; i < 8; ++i) {
    char item[128];
    std::snprintf(item, sizeof item,
                  R"(%s{"sku":"SKU-%05d","name":"Widget model %d","qty":%d,"price":%d.99})",
                  i == 0 ? "" : ",", 10000 + i * 37, i, 1 + i % 3, 5 + i * 3);
    b += item;
  }
  b += R"(],"note":")";
  const std::string_view tail = R"("})";
  const std::string_view filler = "Please leave the parcel at the back door, next to the shed. ";
  while (b.size() + tail.size() < kBodyBytes) {
    b += filler.substr(0, kBodyBytes - tail.size() - b.size());
  }
  b += tail;
  return b;
}

std::vector<sqs::MessageAttribute> build_attributes() {
  std::vector<sqs::MessageAttribute> v(3);
  v[0].name = "TraceId";
  v[0].data_type = "String";
  v[0].string_value = "5f3c9a1e-8d2b-4c6f-9e7a-1b2c3d4e5f60";
  v[0].has_string_value = true;
  v[1].name = "Priority";
  v[1].data_type = "Number";
  v[1].string_value = "5";
  v[1].has_string_value = true;
  v[2].name = "Checksum";
  v[2].data_type = "Binary";
  v[2].binary_value =
      std::string("\x9e\x10\x7d\xf3\x42\x00\x8a\xc1\x55\x6b\xe0\x19\x3f\xd4\x27\x88", 16);
  v[2].is_binary = true;
  v[2].has_binary_value = true;
  return v;
}

void add_param(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) out.push_back('&');
  form_encode(name, out);
  out.push_back('=');
  form_encode(value, out);
}

// Message attributes of a form request under `prefix` ("" or "SendMessageBatchRequestEntry.N.").
void add_form_attributes(std::string& out, const std::string& prefix) {
  const auto& attrs = message_attributes();
  for (size_t i = 0; i < attrs.size(); ++i) {
    const std::string p = prefix + "MessageAttribute." + std::to_string(i + 1) + ".";
    add_param(out, p + "Name", attrs[i].name);
    add_param(out, p + "Value.DataType", attrs[i].data_type);
    if (attrs[i].is_binary) {
      add_param(out, p + "Value.BinaryValue", protocol::base64_encode(attrs[i].binary_value));
    } else {
      add_param(out, p + "Value.StringValue", attrs[i].string_value);
    }
  }
}

void add_json_attributes(protocol::JsonWriter& w) {
  w.key("MessageAttributes");
  w.begin_object();
  for (const auto& a : message_attributes()) {
    w.key(a.name);
    w.begin_object();
    w.string_member("DataType", a.data_type);
    if (a.is_binary) {
      w.string_member("BinaryValue", protocol::base64_encode(a.binary_value));
    } else {
      w.string_member("StringValue", a.string_value);
    }
    w.end_object();
  }
  w.end_object();
}

std::string entry_id(size_t i) {
  return "msg-" + std::to_string(i);
}

}  // namespace

void form_encode(std::string_view in, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

const std::string& message_body() {
  static const std::string body = build_body();
  return body;
}

const std::vector<sqs::MessageAttribute>& message_attributes() {
  static const std::vector<sqs::MessageAttribute> attrs = build_attributes();
  return attrs;
}

const std::string& send_message_form() {
  static const std::string form = [] {
    std::string f;
    add_param(f, "Action", "SendMessage");
    add_param(f, "Version", "2012-11-05");
    add_param(f, "QueueUrl", kQueueUrl);
    add_param(f, "MessageBody", message_body());
    add_form_attributes(f, "");
    return f;
  }();
  return form;
}

const std::string& send_message_batch_form() {
  static const std::string form = [] {
    std::string f;
    add_param(f, "Action", "SendMessageBatch");
    add_param(f, "Version", "2012-11-05");
    add_param(f, "QueueUrl", kQueueUrl);
    for (size_t i = 1; i <= kBatchEntries; ++i) {
      const std::string p = "SendMessageBatchRequestEntry." + std::to_string(i) + ".";
      add_param(f, p + "Id", entry_id(i));
      add_param(f, p + "MessageBody", message_body());
      add_form_attributes(f, p);
    }
    return f;
  }();
  return form;
}

const std::string& receive_message_form() {
  static const std::string form = [] {
    std::string f;
    add_param(f, "Action", "ReceiveMessage");
    add_param(f, "Version", "2012-11-05");
    add_param(f, "QueueUrl", kQueueUrl);
    add_param(f, "MaxNumberOfMessages", "10");
    add_param(f, "VisibilityTimeout", "30");
    add_param(f, "WaitTimeSeconds", "20");
    add_param(f, "AttributeName.1", "All");
    add_param(f, "MessageAttributeName.1", "All");
    return f;
  }();
  return form;
}

const std::string& send_message_json() {
  static const std::string json = [] {
    std::string s;
    protocol::JsonWriter w(s);
    w.begin_object();
    w.string_member("QueueUrl", kQueueUrl);
    w.string_member("MessageBody", message_body());
    add_json_attributes(w);
    w.end_object();
    return s;
  }();
  return json;
}

const std::string& send_message_batch_json() {
  static const std::string json = [] {
    std::string s;
    protocol::JsonWriter w(s);
    w.begin_object();
    w.string_member("QueueUrl", kQueueUrl);
    w.key("Entries");
    w.begin_array();
    for (size_t i = 1; i <= kBatchEntries; ++i) {
      w.begin_object();
      w.string_member("Id", entry_id(i));
      w.string_member("MessageBody", message_body());
      add_json_attributes(w);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    return s;
  }();
  return json;
}

const std::string& receive_message_json() {
  static const std::string json = [] {
    std::string s;
    protocol::JsonWriter w(s);
    w.begin_object();
    w.string_member("QueueUrl", kQueueUrl);
    w.integer_member("MaxNumberOfMessages", 10);
    w.integer_member("VisibilityTimeout", 30);
    w.integer_member("WaitTimeSeconds", 20);
    for (std::string_view list : {"MessageSystemAttributeNames", "MessageAttributeNames"}) {
      w.key(list);
      w.begin_array();
      w.string("All");
      w.end_array();
    }
    w.end_object();
    return s;
  }();
  return json;
}

std::string http_request(std::string_view body, std::string_view target) {
  std::string r = target.empty() ? "POST " + std::string(kQueuePath) + " HTTP/1.1\r\n"
                                 : std::string("POST / HTTP/1.1\r\n");
  r += "Host: localhost:9324\r\n";
  r += "Accept-Encoding: identity\r\n";
  if (target.empty()) {
    r += "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n";
  } else {
    r += "Content-Type: application/x-amz-json-1.0\r\n";
    r += "X-Amz-Target: AmazonSQS." + std::string(target) + "\r\n";
    r += "x-amzn-query-mode: true\r\n";
  }
  r += "User-Agent: Boto3/1.34.103 md/Botocore#1.34.103 ua/2.0 os/linux#6.1.0-21-amd64 "
       "md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy "
       "Botocore/1.34.103\r\n";
  r += "X-Amz-Date: 20240517T093012Z\r\n";
  r += "Authorization: AWS4-HMAC-SHA256 "
       "Credential=AKIAIOSFODNN7EXAMPLE/20240517/us-east-1/sqs/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date";
  r += target.empty() ? "" : ";x-amz-target";
  r += ", Signature=3f8e2c1a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f\r\n";
  r += "amz-sdk-invocation-id: 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b\r\n";
  r += "amz-sdk-request: attempt=1\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  r += "\r\n";
  r += body;
  return r;
}

sqs::SendMessageResult send_message_result() {
  sqs::SendMessageResult r;
  r.md5_of_message_body = sqs::md5_hex(message_body());
  r.md5_of_message_attributes = sqs::md5_of_message_attributes(message_attributes());
  r.message_id = "7c1e4f0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
  return r;
}

sqs::ReceiveMessageResult receive_message_result(size_t n) {
  sqs::ReceiveMessageResult r;
  const std::string body_md5 = sqs::md5_hex(message_body());
  const std::string attrs_md5 = sqs::md5_of_message_attributes(message_attributes());
  for (size_t i = 0; i < n; ++i) {
    sqs::Message m;
    char id[48];
    std::snprintf(id, sizeof id, "7c1e4f0a-2b3d-4e5f-8a9b-%012zu", i);
    m.message_id = id;
    m.receipt_handle = storage::ReceiptHandle{1, 1000 + i, 1, 0x5eed0000u + uint32_t(i)}.encode();
    m.md5_of_body = body_md5;
    m.body = message_body();
    m.attributes = {{"SenderId", "000000000000"},
                    {"SentTimestamp", "1715938212345"},
                    {"ApproximateReceiveCount", "1"},
                    {"ApproximateFirstReceiveTimestamp", "1715938213456"}};
    m.md5_of_message_attributes = attrs_md5;
    m.message_attributes = message_attributes();
    r.messages.push_back(std::move(m));
  }
  return r;
}

}  // namespace sluice::microbench
