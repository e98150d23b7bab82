// See sqs_send_message.h.
#include "broker/states/tasks/sqs_send_message.h"

#include <optional>
#include <vector>

#include "broker/protocol/base64.h"
#include "broker/sqs/api/error_table.h"
#include "broker/sqs/api/queue_url.h"
#include "broker/sqs/message_service.h"
#include "broker/states/tasks/task_parameters.h"
#include "engine/json/json_serialize.h"

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
    // The integration's SDK speaks SQS's JSON protocol (its responses are
    // application/x-amz-json-1.0), whose wording this is; the query protocol's ends "for this
    // wsdl version.". The error code stays the query one, as the SDK maps it back.
    message = "The specified queue does not exist.";
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

void sqs_send_message(sqs::MessageService& messages, const std::string& account_id,
                      const json::Value& parameters, std::function<void(TaskResult)> done) {
  if (auto f =
          check_fields(parameters, {"QueueUrl", "MessageBody", "DelaySeconds", "MessageAttributes",
                                    "MessageGroupId", "MessageDeduplicationId"})) {
    return done(std::move(*f));
  }
  std::optional<TaskResult> failure;
  auto url = string_field(parameters, "QueueUrl", failure);
  if (failure) return done(std::move(*failure));
  if (!url) {
    return done(sqs_failure(ErrorCode::kMissingParameter,
                            "The request must contain the parameter QueueUrl."));
  }
  sqs::OutgoingMessage m;
  if (const json::Value* body = field(parameters, "MessageBody")) {
    m.body = body->is_string() ? body->as_string() : json::serialize(*body);
  }
  if (const json::Value* delay = field(parameters, "DelaySeconds")) {
    if (!delay->is_number() || !delay->is_integral()) {
      return done(runtime_failure("The value of the field 'DelaySeconds' must be an integer"));
    }
    m.delay_seconds = static_cast<int64_t>(delay->as_number());
  }
  if (const json::Value* attrs = field(parameters, "MessageAttributes")) {
    if (auto f = read_attributes(*attrs, m.attributes)) return done(std::move(*f));
  }
  m.group_id = string_field(parameters, "MessageGroupId", failure);
  m.deduplication_id = string_field(parameters, "MessageDeduplicationId", failure);
  if (failure) return done(std::move(*failure));

  auto name = sqs::queue_name_from_url(*url, account_id);
  if (!name) {
    // As SendMessage: a bad message is reported before a QueueUrl that names no queue of ours.
    if (auto st = sqs::MessageService::check(m); !st) return done(sqs_failure(st.error()));
    return done(sqs_failure(ErrorCode::kQueueDoesNotExist, ""));
  }
  messages.send(*name, std::move(m), [done = std::move(done)](Result<sqs::SentReceipt> sent) {
    if (!sent) return done(sqs_failure(sent.error()));
    // SendMessage's response members, in the order the integration returns them. A FIFO
    // duplicate answers with the original's MessageId and SequenceNumber.
    json::Object out;
    if (!sent->md5_of_attributes.empty()) {
      out.set("MD5OfMessageAttributes", json::Value(std::move(sent->md5_of_attributes)));
    }
    out.set("MD5OfMessageBody", json::Value(std::move(sent->md5_of_body)));
    out.set("MessageId", json::Value(std::move(sent->message_id)));
    if (!sent->sequence_number.empty()) {
      out.set("SequenceNumber", json::Value(std::move(sent->sequence_number)));
    }
    // AWS's SQS answers the integration over its JSON protocol now, as recorded.
    add_sdk_metadata(out, "application/x-amz-json-1.0");
    done(TaskResult::success(json::Value(std::move(out))));
  });
}

}  // namespace sluice::states::tasks
