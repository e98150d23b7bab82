// Typed SQS results: one struct per action with model output (shared/aws-models/sqs.json), and
// EmptyResult for the nine actions whose output is empty. Handlers fill these; the encoders
// (json_encoder.h, xml_encoder.h) turn them into bytes. Plain values.
//
// Convention: an optional string member of the model is a std::string that is omitted from the
// response when empty (no SQS output string is meaningfully empty: MD5s, SequenceNumber,
// NextToken, ...). Optional numbers are std::optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "broker/sqs/api/requests.h"

namespace sluice::sqs {

// AddPermission, ChangeMessageVisibility, DeleteMessage, DeleteQueue, PurgeQueue,
// RemovePermission, SetQueueAttributes, TagQueue, UntagQueue.
struct EmptyResult {
  bool operator==(const EmptyResult&) const = default;
};

struct BatchResultErrorEntry {
  std::string id;
  bool sender_fault = true;
  std::string code;     // e.g. "ReceiptHandleIsInvalid", "InvalidParameterValue"
  std::string message;  // omitted when empty
};

struct CancelMessageMoveTaskResult {
  int64_t approximate_number_of_messages_moved = 0;
  bool operator==(const CancelMessageMoveTaskResult&) const = default;
};

struct ChangeMessageVisibilityBatchResultEntry {
  std::string id;
  bool operator==(const ChangeMessageVisibilityBatchResultEntry&) const = default;
};

struct ChangeMessageVisibilityBatchResult {
  std::vector<ChangeMessageVisibilityBatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
  bool operator==(const ChangeMessageVisibilityBatchResult&) const = default;
};

struct CreateQueueResult {
  std::string queue_url;
  bool operator==(const CreateQueueResult&) const = default;
};

struct DeleteMessageBatchResultEntry {
  std::string id;
  bool operator==(const DeleteMessageBatchResultEntry&) const = default;
};

struct DeleteMessageBatchResult {
  std::vector<DeleteMessageBatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
  bool operator==(const DeleteMessageBatchResult&) const = default;
};

struct GetQueueAttributesResult {
  AttributeList attributes;  // emitted in this order
  bool operator==(const GetQueueAttributesResult&) const = default;
};

struct GetQueueUrlResult {
  std::string queue_url;
  bool operator==(const GetQueueUrlResult&) const = default;
};

struct ListDeadLetterSourceQueuesResult {
  std::vector<std::string> queue_urls;  // JSON member "queueUrls" (sic, per the model)
  std::string next_token;
  bool operator==(const ListDeadLetterSourceQueuesResult&) const = default;
};

struct ListMessageMoveTasksResultEntry {
  std::string task_handle;
  std::string status;  // RUNNING | COMPLETED | CANCELLING | CANCELLED | FAILED
  std::string source_arn;
  std::string destination_arn;
  std::optional<int64_t> max_number_of_messages_per_second;
  std::optional<int64_t> approximate_number_of_messages_moved;
  std::optional<int64_t> approximate_number_of_messages_to_move;
  std::string failure_reason;
  std::optional<int64_t> started_timestamp;
  bool operator==(const ListMessageMoveTasksResultEntry&) const = default;
};

struct ListMessageMoveTasksResult {
  std::vector<ListMessageMoveTasksResultEntry> results;
  bool operator==(const ListMessageMoveTasksResult&) const = default;
};

struct ListQueueTagsResult {
  TagList tags;
  bool operator==(const ListQueueTagsResult&) const = default;
};

struct ListQueuesResult {
  std::vector<std::string> queue_urls;
  std::string next_token;
  bool operator==(const ListQueuesResult&) const = default;
};

// One received message. `attributes` are the message system attributes (SenderId,
// SentTimestamp, ...) as name -> value strings; `message_attributes` the user attributes.
struct Message {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
  AttributeList attributes;
  std::string md5_of_message_attributes;
  std::vector<MessageAttribute> message_attributes;
  bool operator==(const Message&) const = default;
};

struct ReceiveMessageResult {
  std::vector<Message> messages;
  bool operator==(const ReceiveMessageResult&) const = default;
};

struct SendMessageResult {
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;
  std::string md5_of_message_system_attributes;
  std::string message_id;
  std::string sequence_number;
  bool operator==(const SendMessageResult&) const = default;
};

struct SendMessageBatchResultEntry {
  std::string id;
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;
  std::string md5_of_message_system_attributes;
  std::string sequence_number;
  bool operator==(const SendMessageBatchResultEntry&) const = default;
};

struct SendMessageBatchResult {
  std::vector<SendMessageBatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
  bool operator==(const SendMessageBatchResult&) const = default;
};

struct StartMessageMoveTaskResult {
  std::string task_handle;
  bool operator==(const StartMessageMoveTaskResult&) const = default;
};

using AnyResult =
    std::variant<EmptyResult, CancelMessageMoveTaskResult, ChangeMessageVisibilityBatchResult,
                 CreateQueueResult, DeleteMessageBatchResult, GetQueueAttributesResult,
                 GetQueueUrlResult, ListDeadLetterSourceQueuesResult, ListMessageMoveTasksResult,
                 ListQueueTagsResult, ListQueuesResult, ReceiveMessageResult, SendMessageResult,
                 SendMessageBatchResult, StartMessageMoveTaskResult>;

}  // namespace sluice::sqs
