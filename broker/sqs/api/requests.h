// Typed SQS requests: one struct per action, members as in shared/aws-models/sqs.json (snake_case
// of the model's member names). Both decoders (query and JSON 1.0) produce these; handlers read
// them. Plain values, moved between threads only as a whole.
//
// Conventions:
//  - Optional scalar members are std::optional (absent != empty string / zero), because SQS
//    treats "given" differently from "not given" (e.g. MessageGroupId on a standard queue).
//  - Maps (queue attributes, tags) are vectors of (key, value) pairs in request order, so a
//    handler sees duplicates and can report the first offending name as AWS does.
//  - Required list/map members (Entries, Tags, TagKeys, Attributes of SetQueueAttributes,
//    AWSAccountIds, Actions) may come back empty: the query protocol cannot tell "absent" from
//    "empty", so the handler decides (EmptyBatchRequest, MissingParameter, ...).
//  - Required scalar members are checked by the decoders (MissingParameter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::sqs {

using AttributeList = std::vector<std::pair<std::string, std::string>>;  // name -> value
using TagList = std::vector<std::pair<std::string, std::string>>;        // key -> value

// A message (user) attribute or a message system attribute (MessageAttributeValue /
// MessageSystemAttributeValue). StringListValues/BinaryListValues are "reserved for future use"
// by AWS and are not carried.
struct MessageAttribute {
  std::string name;
  std::string data_type;          // "String", "Number", "Binary", optionally ".custom" suffixed
  std::string string_value;       // set when !is_binary
  std::string binary_value;       // raw bytes, base64-decoded; set when is_binary
  bool is_binary = false;         // true when the request carried BinaryValue
  bool has_string_value = false;  // StringValue was present (possibly empty)
  bool has_binary_value = false;  // BinaryValue was present (possibly empty)
  bool operator==(const MessageAttribute&) const = default;
};

struct AddPermissionRequest {
  std::string queue_url;
  std::string label;
  std::vector<std::string> aws_account_ids;
  std::vector<std::string> actions;
  bool operator==(const AddPermissionRequest&) const = default;
};

struct CancelMessageMoveTaskRequest {
  std::string task_handle;
  bool operator==(const CancelMessageMoveTaskRequest&) const = default;
};

struct ChangeMessageVisibilityRequest {
  std::string queue_url;
  std::string receipt_handle;
  int64_t visibility_timeout = 0;  // required
  bool operator==(const ChangeMessageVisibilityRequest&) const = default;
};

struct ChangeMessageVisibilityBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
  std::optional<int64_t> visibility_timeout;
  bool operator==(const ChangeMessageVisibilityBatchRequestEntry&) const = default;
};

struct ChangeMessageVisibilityBatchRequest {
  std::string queue_url;
  std::vector<ChangeMessageVisibilityBatchRequestEntry> entries;
  bool operator==(const ChangeMessageVisibilityBatchRequest&) const = default;
};

struct CreateQueueRequest {
  std::string queue_name;
  AttributeList attributes;
  TagList tags;
  bool operator==(const CreateQueueRequest&) const = default;
};

struct DeleteMessageRequest {
  std::string queue_url;
  std::string receipt_handle;
  bool operator==(const DeleteMessageRequest&) const = default;
};

struct DeleteMessageBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
  bool operator==(const DeleteMessageBatchRequestEntry&) const = default;
};

struct DeleteMessageBatchRequest {
  std::string queue_url;
  std::vector<DeleteMessageBatchRequestEntry> entries;
  bool operator==(const DeleteMessageBatchRequest&) const = default;
};

struct DeleteQueueRequest {
  std::string queue_url;
  bool operator==(const DeleteQueueRequest&) const = default;
};

struct GetQueueAttributesRequest {
  std::string queue_url;
  std::vector<std::string> attribute_names;
  bool operator==(const GetQueueAttributesRequest&) const = default;
};

struct GetQueueUrlRequest {
  std::string queue_name;
  std::optional<std::string> queue_owner_aws_account_id;
  bool operator==(const GetQueueUrlRequest&) const = default;
};

struct ListDeadLetterSourceQueuesRequest {
  std::string queue_url;
  std::optional<std::string> next_token;
  std::optional<int64_t> max_results;
  bool operator==(const ListDeadLetterSourceQueuesRequest&) const = default;
};

struct ListMessageMoveTasksRequest {
  std::string source_arn;
  std::optional<int64_t> max_results;
  bool operator==(const ListMessageMoveTasksRequest&) const = default;
};

struct ListQueueTagsRequest {
  std::string queue_url;
  bool operator==(const ListQueueTagsRequest&) const = default;
};

struct ListQueuesRequest {
  std::optional<std::string> queue_name_prefix;
  std::optional<std::string> next_token;
  std::optional<int64_t> max_results;
  bool operator==(const ListQueuesRequest&) const = default;
};

struct PurgeQueueRequest {
  std::string queue_url;
  bool operator==(const PurgeQueueRequest&) const = default;
};

struct ReceiveMessageRequest {
  std::string queue_url;
  // Query protocol: AttributeName.N (the model's xmlName for BOTH AttributeNames and
  // MessageSystemAttributeNames) lands in attribute_names; MessageSystemAttributeName.N (sent by
  // nothing we know, accepted anyway) in message_system_attribute_names. JSON: each by member
  // name. A handler should honour the union of the two.
  std::vector<std::string> attribute_names;
  std::vector<std::string> message_system_attribute_names;
  std::vector<std::string> message_attribute_names;
  std::optional<int64_t> max_number_of_messages;
  std::optional<int64_t> visibility_timeout;
  std::optional<int64_t> wait_time_seconds;
  std::optional<std::string> receive_request_attempt_id;
  bool operator==(const ReceiveMessageRequest&) const = default;
};

struct RemovePermissionRequest {
  std::string queue_url;
  std::string label;
  bool operator==(const RemovePermissionRequest&) const = default;
};

struct SendMessageRequest {
  std::string queue_url;
  std::string message_body;
  std::optional<int64_t> delay_seconds;
  std::vector<MessageAttribute> message_attributes;         // request order
  std::vector<MessageAttribute> message_system_attributes;  // request order (AWSTraceHeader)
  std::optional<std::string> message_deduplication_id;
  std::optional<std::string> message_group_id;
  bool operator==(const SendMessageRequest&) const = default;
};

struct SendMessageBatchRequestEntry {
  std::string id;
  std::string message_body;
  std::optional<int64_t> delay_seconds;
  std::vector<MessageAttribute> message_attributes;
  std::vector<MessageAttribute> message_system_attributes;
  std::optional<std::string> message_deduplication_id;
  std::optional<std::string> message_group_id;
  bool operator==(const SendMessageBatchRequestEntry&) const = default;
};

struct SendMessageBatchRequest {
  std::string queue_url;
  std::vector<SendMessageBatchRequestEntry> entries;
  bool operator==(const SendMessageBatchRequest&) const = default;
};

struct SetQueueAttributesRequest {
  std::string queue_url;
  AttributeList attributes;
  bool operator==(const SetQueueAttributesRequest&) const = default;
};

struct StartMessageMoveTaskRequest {
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int64_t> max_number_of_messages_per_second;
  bool operator==(const StartMessageMoveTaskRequest&) const = default;
};

struct TagQueueRequest {
  std::string queue_url;
  TagList tags;
  bool operator==(const TagQueueRequest&) const = default;
};

struct UntagQueueRequest {
  std::string queue_url;
  std::vector<std::string> tag_keys;
  bool operator==(const UntagQueueRequest&) const = default;
};

// Alternatives in Action order: index() == static_cast<size_t>(Action).
using AnyRequest =
    std::variant<AddPermissionRequest, CancelMessageMoveTaskRequest, ChangeMessageVisibilityRequest,
                 ChangeMessageVisibilityBatchRequest, CreateQueueRequest, DeleteMessageRequest,
                 DeleteMessageBatchRequest, DeleteQueueRequest, GetQueueAttributesRequest,
                 GetQueueUrlRequest, ListDeadLetterSourceQueuesRequest, ListMessageMoveTasksRequest,
                 ListQueueTagsRequest, ListQueuesRequest, PurgeQueueRequest, ReceiveMessageRequest,
                 RemovePermissionRequest, SendMessageRequest, SendMessageBatchRequest,
                 SetQueueAttributesRequest, StartMessageMoveTaskRequest, TagQueueRequest,
                 UntagQueueRequest>;

}  // namespace sluice::sqs
