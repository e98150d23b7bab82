// See validation.h. Message texts are those real SQS returns, as recorded by the emulators that
// test against it (LocalStack's AWS-validated snapshots, moto) and the AWS docs.
#include "broker/sqs/api/validation.h"

#include <charconv>
#include <cmath>

#include "broker/sqs/api/decode_errors.h"

namespace sluice::sqs {

namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

// "String", "Number" or "Binary", optionally followed by ".<custom label>".
std::string_view base_type(std::string_view data_type) {
  for (std::string_view base : {"String", "Number", "Binary"}) {
    if (data_type.starts_with(base) &&
        (data_type.size() == base.size() || data_type[base.size()] == '.')) {
      return base;
    }
  }
  return {};
}

// SQS Number: a decimal number (sign, digits, optional fraction and exponent).
bool is_number(std::string_view s) {
  double d;
  std::string_view t = s;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty()) return false;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  return ec == std::errc() && end == t.data() + t.size() && std::isfinite(d);
}

std::string quoted(std::string_view s) {
  std::string q = "'";
  q.append(s);
  q.push_back('\'');
  return q;
}

constexpr std::string_view kInvalidCharacters =
    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
    "#xE000 to #xFFFD | #x10000 to #x10FFFF";

template <class Entries, class IdOf>
Status check_batch(const Entries& entries, std::string_view entry_name, IdOf id_of) {
  if (auto s = validate_batch_entry_count(entries.size(), entry_name); !s) return s;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string_view id = id_of(entries[i]);
    if (!is_valid_batch_entry_id(id)) {
      return make_error(ErrorCode::kInvalidBatchEntryId,
                        "A batch entry id can only contain alphanumeric characters, hyphens and "
                        "underscores. It can be at most 80 letters long.");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (id_of(entries[j]) == id) {
        return make_error(ErrorCode::kBatchEntryIdsNotDistinct,
                          "Id " + std::string(id) + " repeated.");
      }
    }
  }
  return {};
}

}  // namespace

Status validate_queue_name(std::string_view name, bool fifo) {
  bool has_suffix = name.ends_with(".fifo");
  std::string_view stem = has_suffix ? name.substr(0, name.size() - 5) : name;
  bool ok =
      !name.empty() && name.size() <= kMaxQueueNameLength && !stem.empty() && has_suffix == fifo;
  for (char c : stem) ok = ok && is_word_char(c);
  if (ok) return {};
  if (fifo) {
    return invalid(
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
        "underscores, must end with .fifo suffix and be 1 to 80 in length.");
  }
  return invalid(
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in "
      "length");
}

Status validate_message_body(std::string_view body) {
  if (body.empty()) return missing_parameter("MessageBody");
  if (!is_valid_message_text(body)) {
    return make_error(ErrorCode::kInvalidMessageContents, std::string(kInvalidCharacters));
  }
  return {};
}

Status validate_message_attributes(const std::vector<MessageAttribute>& attributes) {
  if (attributes.size() > kMaxMessageAttributes) {
    return invalid("Number of message attributes [" + std::to_string(attributes.size()) +
                   "] exceeds the allowed maximum [" + std::to_string(kMaxMessageAttributes) +
                   "].");
  }
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const MessageAttribute& a = attributes[i];
    const std::string& name = a.name;
    if (name.empty()) return missing_parameter("MessageAttribute.Name");
    if (name.size() > kMaxMessageAttributeNameLength) {
      return invalid("Message (user) attribute names must be shorter than 256 Bytes");
    }
    for (char c : name) {
      if (!is_word_char(c) && c != '.') {
        return invalid(
            "Message (user) attributes name can only contain upper and lower score characters, "
            "digits, periods, hyphens and underscores. ");
      }
    }
    if (iequals_prefix(name, "aws.") || iequals_prefix(name, "amazon.") || name.front() == '.' ||
        name.back() == '.') {
      return invalid(
          "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These "
          "strings are reserved for internal use. Additionally, they cannot start or end with "
          "'.'.");
    }
    if (name.find("..") != std::string::npos) {
      return invalid("Message (user) attribute name " + quoted(name) +
                     " can not contain successive periods.");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (attributes[j].name == name) {
        return invalid("Message (user) attribute name " + quoted(name) + " is duplicated.");
      }
    }
    if (a.data_type.empty()) {
      return invalid("The message attribute " + quoted(name) +
                     " must contain non-empty message attribute type.");
    }
    if (a.data_type.size() > kMaxMessageAttributeDataTypeLength) {
      return invalid("Message (user) attribute types must be shorter than 256 Bytes");
    }
    std::string_view base = base_type(a.data_type);
    if (base.empty()) {
      return invalid("The message attribute " + quoted(name) +
                     " has an invalid message attribute type, the set of supported type prefixes "
                     "is Binary, Number, and String.");
    }
    if (base == "Binary") {
      if (!a.is_binary && a.has_string_value) {
        return invalid("The message attribute " + quoted(name) + " with type 'Binary' must use " +
                       "field 'Binary'.");
      }
      if (!a.has_binary_value || a.binary_value.empty()) {
        return invalid("The message attribute " + quoted(name) +
                       " must contain non-empty message attribute value for message attribute "
                       "type 'Binary'.");
      }
      continue;
    }
    if (a.is_binary) {
      return invalid("The message attribute " + quoted(name) + " with type " +
                     quoted(std::string(base)) + " must use field 'String'.");
    }
    if (!a.has_string_value || a.string_value.empty()) {
      return invalid("The message attribute " + quoted(name) +
                     " must contain non-empty message attribute value for message attribute "
                     "type " +
                     quoted(std::string(base)) + ".");
    }
    if (!is_valid_message_text(a.string_value)) return invalid(std::string(kInvalidCharacters));
    if (base == "Number" && !is_number(a.string_value)) {
      return invalid("Can't cast the value of message (user) attribute " + quoted(name) +
                     " to a number.");
    }
  }
  return {};
}

Status validate_message_system_attributes(const std::vector<MessageAttribute>& attributes) {
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const MessageAttribute& a = attributes[i];
    if (a.name != "AWSTraceHeader") {
      return invalid("Message system attribute name " + quoted(a.name) + " is invalid.");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (attributes[j].name == a.name) {
        return invalid("Message system attribute name " + quoted(a.name) + " is duplicated.");
      }
    }
    if (a.data_type != "String" || a.is_binary) {
      return invalid("The message system attribute " + quoted(a.name) + " must use type 'String'.");
    }
    if (!a.has_string_value || a.string_value.empty()) {
      return invalid("The message system attribute " + quoted(a.name) +
                     " must contain non-empty message attribute value for message attribute "
                     "type 'String'.");
    }
    if (!is_valid_message_text(a.string_value)) return invalid(std::string(kInvalidCharacters));
  }
  return {};
}

std::size_t message_size(std::string_view body, const std::vector<MessageAttribute>& attributes) {
  std::size_t size = body.size();
  for (const auto& a : attributes) {
    size += a.name.size() + a.data_type.size() +
            (a.is_binary ? a.binary_value.size() : a.string_value.size());
  }
  return size;
}

Status validate_message_size(std::string_view body, const std::vector<MessageAttribute>& attributes,
                             std::size_t max_message_size) {
  if (message_size(body, attributes) <= max_message_size) return {};
  return invalid("One or more parameters are invalid. Reason: Message must be shorter than " +
                 std::to_string(max_message_size) + " bytes.");
}

Status validate_batch_entry_count(std::size_t count, std::string_view entry_name) {
  if (count == 0) {
    std::string m = "There should be at least one ";
    m.append(entry_name);
    m.append(" in the request.");
    return make_error(ErrorCode::kEmptyBatchRequest, std::move(m));
  }
  if (count > kMaxBatchEntries) {
    return make_error(ErrorCode::kTooManyEntriesInBatchRequest,
                      "Maximum number of entries per request are " +
                          std::to_string(kMaxBatchEntries) + ". You have sent " +
                          std::to_string(count) + ".");
  }
  return {};
}

bool is_valid_batch_entry_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxBatchEntryIdLength) return false;
  for (char c : id) {
    if (!is_word_char(c)) return false;
  }
  return true;
}

Status validate_batch(const SendMessageBatchRequest& request) {
  return check_batch(
      request.entries, "SendMessageBatchRequestEntry",
      [](const SendMessageBatchRequestEntry& e) -> std::string_view { return e.id; });
}

Status validate_batch(const DeleteMessageBatchRequest& request) {
  return check_batch(
      request.entries, "DeleteMessageBatchRequestEntry",
      [](const DeleteMessageBatchRequestEntry& e) -> std::string_view { return e.id; });
}

Status validate_batch(const ChangeMessageVisibilityBatchRequest& request) {
  return check_batch(
      request.entries, "ChangeMessageVisibilityBatchRequestEntry",
      [](const ChangeMessageVisibilityBatchRequestEntry& e) -> std::string_view { return e.id; });
}

Status validate_fifo_token(std::string_view parameter, std::string_view value) {
  bool ok = !value.empty() && value.size() <= 128;
  for (char c : value) ok = ok && c >= '!' && c <= '~';  // printable ASCII: alnum + punctuation
  if (ok) return {};
  return invalid("Value " + std::string(value) + " for parameter " + std::string(parameter) +
                 " is invalid. Reason: " + std::string(parameter) +
                 " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
}

namespace {
Status validate_fifo_tokens(const std::optional<std::string>& group,
                            const std::optional<std::string>& dedup) {
  if (group) {
    if (auto s = validate_fifo_token("MessageGroupId", *group); !s) return s;
  }
  if (dedup) {
    if (auto s = validate_fifo_token("MessageDeduplicationId", *dedup); !s) return s;
  }
  return {};
}
}  // namespace

Status validate_range(std::string_view name, std::optional<int64_t> value, int64_t lo, int64_t hi) {
  if (!value || (*value >= lo && *value <= hi)) return {};
  return invalid("Value " + std::to_string(*value) + " for parameter " + std::string(name) +
                 " is invalid. Reason: Must be between " + std::to_string(lo) + " and " +
                 std::to_string(hi) + ", if provided.");
}

Status validate_request(const ReceiveMessageRequest& request) {
  if (auto s = validate_range("MaxNumberOfMessages", request.max_number_of_messages, 1,
                              kMaxReceiveMessages);
      !s) {
    return s;
  }
  if (auto s =
          validate_range("VisibilityTimeout", request.visibility_timeout, 0, kMaxVisibilityTimeout);
      !s) {
    return s;
  }
  if (request.wait_time_seconds &&
      (*request.wait_time_seconds < 0 || *request.wait_time_seconds > kMaxWaitTimeSeconds)) {
    return invalid("Value " + std::to_string(*request.wait_time_seconds) +
                   " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, "
                   "if provided.");
  }
  if (request.receive_request_attempt_id) {
    return validate_fifo_token("ReceiveRequestAttemptId", *request.receive_request_attempt_id);
  }
  return {};
}

Status validate_message(std::string_view body, std::optional<int64_t> delay_seconds,
                        const std::vector<MessageAttribute>& attributes,
                        const std::vector<MessageAttribute>& system_attributes,
                        const std::optional<std::string>& group_id,
                        const std::optional<std::string>& deduplication_id) {
  if (auto s = validate_message_body(body); !s) return s;
  if (auto s = validate_range("DelaySeconds", delay_seconds, 0, kMaxDelaySeconds); !s) return s;
  if (auto s = validate_message_attributes(attributes); !s) return s;
  if (auto s = validate_message_system_attributes(system_attributes); !s) return s;
  return validate_fifo_tokens(group_id, deduplication_id);
}

Status validate_request(const SendMessageRequest& request) {
  return validate_message(request.message_body, request.delay_seconds, request.message_attributes,
                          request.message_system_attributes, request.message_group_id,
                          request.message_deduplication_id);
}

Status validate_request(const ChangeMessageVisibilityRequest& request) {
  return validate_range("VisibilityTimeout", request.visibility_timeout, 0, kMaxVisibilityTimeout);
}

Status validate_request(const ListQueuesRequest& request) {
  return validate_range("MaxResults", request.max_results, 1, kMaxListResults);
}

Status validate_request(const ListDeadLetterSourceQueuesRequest& request) {
  return validate_range("MaxResults", request.max_results, 1, kMaxListResults);
}

Status validate_entry(const SendMessageBatchRequestEntry& entry) {
  return validate_message(entry.message_body, entry.delay_seconds, entry.message_attributes,
                          entry.message_system_attributes, entry.message_group_id,
                          entry.message_deduplication_id);
}

Status validate_entry(const ChangeMessageVisibilityBatchRequestEntry& entry) {
  return validate_range("VisibilityTimeout", entry.visibility_timeout, 0, kMaxVisibilityTimeout);
}

}  // namespace sluice::sqs
