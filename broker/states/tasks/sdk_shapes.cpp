// See sdk_shapes.h.
#include "broker/states/tasks/sdk_shapes.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "storage/random_id.h"

namespace sluice::states::tasks {

namespace {

// The error shapes of the models Sluice serves (shared/aws-models/sqs.json, stepfunctions.json):
// the AWS SDK for Java v2 has an exception class for each.
struct ModeledError {
  std::string_view service;
  std::string_view shape;
};
constexpr ModeledError kModeledErrors[] = {
    {"Sqs", "BatchEntryIdsNotDistinct"},
    {"Sqs", "BatchRequestTooLong"},
    {"Sqs", "EmptyBatchRequest"},
    {"Sqs", "InvalidAddress"},
    {"Sqs", "InvalidAttributeName"},
    {"Sqs", "InvalidAttributeValue"},
    {"Sqs", "InvalidBatchEntryId"},
    {"Sqs", "InvalidIdFormat"},
    {"Sqs", "InvalidMessageContents"},
    {"Sqs", "InvalidSecurity"},
    {"Sqs", "KmsAccessDenied"},
    {"Sqs", "KmsDisabled"},
    {"Sqs", "KmsInvalidKeyUsage"},
    {"Sqs", "KmsInvalidState"},
    {"Sqs", "KmsNotFound"},
    {"Sqs", "KmsOptInRequired"},
    {"Sqs", "KmsThrottled"},
    {"Sqs", "MessageNotInflight"},
    {"Sqs", "OverLimit"},
    {"Sqs", "PurgeQueueInProgress"},
    {"Sqs", "QueueDeletedRecently"},
    {"Sqs", "QueueDoesNotExist"},
    {"Sqs", "QueueNameExists"},
    {"Sqs", "ReceiptHandleIsInvalid"},
    {"Sqs", "RequestThrottled"},
    {"Sqs", "ResourceNotFoundException"},
    {"Sqs", "TooManyEntriesInBatchRequest"},
    {"Sqs", "UnsupportedOperation"},
    {"Sfn", "ActivityAlreadyExists"},
    {"Sfn", "ActivityDoesNotExist"},
    {"Sfn", "ActivityLimitExceeded"},
    {"Sfn", "ActivityWorkerLimitExceeded"},
    {"Sfn", "ConflictException"},
    {"Sfn", "ExecutionAlreadyExists"},
    {"Sfn", "ExecutionDoesNotExist"},
    {"Sfn", "ExecutionLimitExceeded"},
    {"Sfn", "ExecutionNotRedrivable"},
    {"Sfn", "InvalidArn"},
    {"Sfn", "InvalidDefinition"},
    {"Sfn", "InvalidEncryptionConfiguration"},
    {"Sfn", "InvalidExecutionInput"},
    {"Sfn", "InvalidLoggingConfiguration"},
    {"Sfn", "InvalidName"},
    {"Sfn", "InvalidOutput"},
    {"Sfn", "InvalidToken"},
    {"Sfn", "InvalidTracingConfiguration"},
    {"Sfn", "KmsAccessDeniedException"},
    {"Sfn", "KmsInvalidStateException"},
    {"Sfn", "KmsThrottlingException"},
    {"Sfn", "MissingRequiredParameter"},
    {"Sfn", "ResourceNotFound"},
    {"Sfn", "ServiceQuotaExceededException"},
    {"Sfn", "StateMachineAlreadyExists"},
    {"Sfn", "StateMachineDeleting"},
    {"Sfn", "StateMachineDoesNotExist"},
    {"Sfn", "StateMachineLimitExceeded"},
    {"Sfn", "StateMachineTypeNotSupported"},
    {"Sfn", "TaskDoesNotExist"},
    {"Sfn", "TaskTimedOut"},
    {"Sfn", "TooManyTags"},
    {"Sfn", "ValidationException"},
};

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_timestamp_member(std::string_view name) {
  return ends_with(name, "Date") || name == "timestamp";
}

json::Value renamed(const json::Value& v, bool to_sdk) {
  if (v.is_array()) {
    json::Array out;
    out.reserve(v.as_array().size());
    for (const auto& e : v.as_array()) out.push_back(renamed(e, to_sdk));
    return json::Value(std::move(out));
  }
  if (!v.is_object()) return v;
  json::Object out;
  out.reserve(v.as_object().size());
  for (const auto& [name, member] : v.as_object()) {
    std::string key = name;
    if (!key.empty()) key[0] = to_sdk ? upper(key[0]) : lower(key[0]);
    if (to_sdk && member.is_number() && is_timestamp_member(name)) {
      out.set(std::move(key), json::Value(iso_instant(member.as_number())));
    } else {
      out.set(std::move(key), renamed(member, to_sdk));
    }
  }
  return json::Value(std::move(out));
}

}  // namespace

std::string sdk_operation_name(std::string_view action) {
  std::string name(action.substr(0, action.find('.')));
  if (!name.empty()) name[0] = upper(name[0]);
  return name;
}

std::string sdk_error_name(std::string_view prefix, std::string_view shape) {
  if (auto hash = shape.rfind('#'); hash != std::string_view::npos) shape.remove_prefix(hash + 1);
  bool known = false;
  for (const ModeledError& m : kModeledErrors)
    known = known || (m.service == prefix && m.shape == shape);
  std::string name(prefix);
  name += '.';
  if (known) {
    name += shape;
    if (!ends_with(shape, "Exception")) name += "Exception";
  } else {
    name += prefix;
    name += "Exception";
  }
  return name;
}

std::string sdk_error_cause(std::string_view message, std::string_view prefix, int status) {
  return std::string(message) + " (Service: " + std::string(prefix) +
         ", Status Code: " + std::to_string(status) + ", Request ID: " + storage::random_uuid() +
         ")";
}

TaskResult sdk_failure(std::string_view prefix, std::string_view shape, std::string_view message,
                       int status) {
  return TaskResult::failure(sdk_error_name(prefix, shape),
                             sdk_error_cause(message, prefix, status));
}

json::Value sdk_output_members(const json::Value& wire) {
  return renamed(wire, true);
}

json::Value sdk_input_members(const json::Value& parameters) {
  return renamed(parameters, false);
}

std::string iso_instant(double epoch_seconds) {
  double whole = std::floor(epoch_seconds);
  auto millis = static_cast<int>(std::lround((epoch_seconds - whole) * 1000));
  auto t = static_cast<std::time_t>(whole);
  if (millis == 1000) {
    ++t;
    millis = 0;
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (millis != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", millis);
    out += frac;
  }
  out += 'Z';
  return out;
}

}  // namespace sluice::states::tasks
