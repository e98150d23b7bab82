// See sqs_send_message.h.
#include "broker/states/tasks/sqs_send_message.h"

#include <optional>
#include <vector>

#include "broker/protocol/base64.h"
#include "broker/sqs/api/error_table.h"
#include "broker/sqs/api/message_md5.h"
#include "broker/sqs/api/queue_url.h"
#include "broker/sqs/api/validation.h"
#include "broker/states/tasks/task_parameters.h"
#include "engine/json/json_serialize.h"
#include "storage/queue/queue_store.h"
#include "storage/queue/sequence_number.h"

namespace sluice::states::tasks {

namespace {

constexpr std::string_view kService = "AmazonSQS";

// The exception class the AWS SDK for Java (v1, which the integration's error names follow) maps
// an SQS error code to; "AmazonSQSException" for the codes it models no class for.
std::string_view exception_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kQueueDoesNotExist:
      return "QueueDoesNotExistException";
    case ErrorCode::kInvalidMessageContents:
      return "InvalidMessageContentsException";
    case ErrorCode::kUnsupportedOperation:
      return "UnsupportedOperationException";
    default:
      return "AmazonSQSException";
  }
}

TaskResult sqs_failure(const Error& e) {
  const sqs::ErrorInfo& info = sqs::error_info(e.code);
  std::string message = e.message;
  if (message.empty() && e.code == ErrorCode::kQueueDoesNotExist) {
    // The SDK speaks the query protocol, whose wording this is.
    message = "The specified queue does not exist for this wsdl version.";
  }
  if (message.empty()) message = std::string(info.query_code);
  return TaskResult::failure(
      "SQS." + std::string(exception_name(e.code)),
      service_error_cause(message, kService, info.http_status, info.query_code));
}

TaskResult sqs_failure(ErrorCode code, std::string message) {
  return sqs_failure(Error{code, std::move(message)});
}

// MessageAttributes as the integration takes them: {Name: {DataType, StringValue|BinaryValue}}.
std::optional<TaskResult> read_attributes(const json::Value& value,
                                          std::vector<sqs::MessageAttribute>& out) {
  if (!value.is_object()) {
    return runtime_failure("The value of the field 'MessageAttributes' must be an object");
  }
  for (const auto& [name, spec] : value.as_object()) {
    if (!spec.is_object()) {
      return runtime_failure("The message attribute '" + name + "' must be an object");
    }
    sqs::MessageAttribute a;
    a.name = name;
    std::optional<TaskResult> failure;
    if (auto t = string_field(spec, "DataType", failure)) a.data_type = *t;
    if (auto s = string_field(spec, "StringValue", failure)) {
      a.string_value = *s;
      a.has_string_value = true;
    }
    if (auto b = string_field(spec, "BinaryValue", failure)) {
      if (!protocol::base64_decode(*b, a.binary_value)) {
        return sqs_failure(
            ErrorCode::kInvalidParameterValue,
            "The BinaryValue of the message attribute '" + name + "' is not valid base64.");
      }
      a.is_binary = true;
      a.has_binary_value = true;
    }
    if (failure) return failure;
    out.push_back(std::move(a));
  }
  return std::nullopt;
}

}  // namespace

void sqs_send_message(storage::QueueStore& store, const std::string& account_id,
                      const json::Value& parameters, std::function<void(TaskResult)> done) {
  if (auto f =
          check_fields(parameters, {"QueueUrl", "MessageBody", "DelaySeconds", "MessageAttributes",
                                    "MessageGroupId", "MessageDeduplicationId"})) {
    return done(std::move(*f));
  }
  std::optional<TaskResult> failure;
  sqs::SendMessageRequest req;
  auto url = string_field(parameters, "QueueUrl", failure);
  if (failure) return done(std::move(*failure));
  if (!url) {
    return done(sqs_failure(ErrorCode::kMissingParameter,
                            "The request must contain the parameter QueueUrl."));
  }
  req.queue_url = *url;
  if (const json::Value* body = field(parameters, "MessageBody")) {
    req.message_body = body->is_string() ? body->as_string() : json::serialize(*body);
  }
  if (const json::Value* delay = field(parameters, "DelaySeconds")) {
    if (!delay->is_number() || !delay->is_integral()) {
      return done(runtime_failure("The value of the field 'DelaySeconds' must be an integer"));
    }
    req.delay_seconds = static_cast<int64_t>(delay->as_number());
  }
  if (const json::Value* attrs = field(parameters, "MessageAttributes")) {
    if (auto f = read_attributes(*attrs, req.message_attributes)) return done(std::move(*f));
  }
  req.message_group_id = string_field(parameters, "MessageGroupId", failure);
  req.message_deduplication_id = string_field(parameters, "MessageDeduplicationId", failure);
  if (failure) return done(std::move(*failure));

  if (auto st = sqs::validate_request(req); !st) return done(sqs_failure(st.error()));
  auto name = sqs::queue_name_from_url(req.queue_url, account_id);
  if (!name) return done(sqs_failure(ErrorCode::kQueueDoesNotExist, ""));
  auto queue = store.get_queue(*name);
  if (!queue) return done(sqs_failure(queue.error()));
  if (auto st = sqs::validate_message_size(req.message_body, req.message_attributes,
                                           queue->attributes.maximum_message_size);
      !st) {
    return done(sqs_failure(st.error()));
  }

  json::Object out;
  std::string attributes_md5 = sqs::md5_of_message_attributes(req.message_attributes);
  if (!attributes_md5.empty()) out.set("MD5OfMessageAttributes", json::Value(attributes_md5));
  storage::NewMessage m;
  m.body_md5 = sqs::md5_hex(req.message_body);
  out.set("MD5OfMessageBody", json::Value(m.body_md5));
  m.body = std::move(req.message_body);
  for (auto& a : req.message_attributes) {
    m.attributes.push_back(storage::MessageAttribute{
        std::move(a.name), std::move(a.data_type),
        a.is_binary ? std::move(a.binary_value) : std::move(a.string_value), a.is_binary});
  }
  if (req.delay_seconds) m.delay_seconds = static_cast<uint32_t>(*req.delay_seconds);
  m.sender_id = account_id;
  // The queue's type decides, as for SendMessage (the store's send rules): a FIFO queue needs a
  // group id and a deduplication id (or ContentBasedDeduplication) and refuses a per-message
  // delay; a standard queue keeps a group id (a fair queue) and refuses a deduplication id.
  if (req.message_group_id) m.group_id = std::move(*req.message_group_id);
  if (req.message_deduplication_id) m.dedup_id = std::move(*req.message_deduplication_id);
  const bool fifo = queue->attributes.fifo_queue;
  std::vector<storage::NewMessage> batch;
  batch.push_back(std::move(m));
  store.send(*name, std::move(batch),
             [fifo, out = std::move(out), done = std::move(done)](
                 Result<std::vector<Result<storage::SentMessage>>> sent) mutable {
               if (!sent) return done(sqs_failure(sent.error()));
               auto& one = sent->front();
               if (!one) return done(sqs_failure(one.error()));
               out.set("MessageId", json::Value(one->message_id));
               // A duplicate answers with the original's MessageId and SequenceNumber.
               if (fifo) {
                 out.set("SequenceNumber", json::Value(storage::sequence_number_text(one->seq)));
               }
               add_sdk_metadata(out, "text/xml");
               done(TaskResult::success(json::Value(std::move(out))));
             });
}

}  // namespace sluice::states::tasks
