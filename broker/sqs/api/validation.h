// SQS request validation as pure functions: each returns ok or the Error (code and message text)
// real SQS returns for the same input. No queue state: a handler passes in what it knows (is the
// queue FIFO, its MaximumMessageSize). Any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/sqs/api/message_text.h"
#include "broker/sqs/api/requests.h"
#include "storage/result.h"

namespace sluice::sqs {

// Model limits.
inline constexpr std::size_t kMaxQueueNameLength = 80;
inline constexpr std::size_t kMaxBatchEntries = 10;
inline constexpr std::size_t kMaxBatchEntryIdLength = 80;
inline constexpr std::size_t kMaxMessageAttributes = 10;
inline constexpr std::size_t kMaxMessageAttributeNameLength = 256;
inline constexpr std::size_t kMaxMessageAttributeDataTypeLength = 256;
inline constexpr int64_t kMaxVisibilityTimeout = 43200;  // 12 hours
inline constexpr int64_t kMaxDelaySeconds = 900;
inline constexpr int64_t kMaxWaitTimeSeconds = 20;
inline constexpr int64_t kMaxReceiveMessages = 10;
inline constexpr int64_t kMaxListResults = 1000;
inline constexpr int64_t kDefaultMaximumMessageSize = 262144;

// 1-80 characters of [A-Za-z0-9_-]; a FIFO queue's name must end in ".fifo" (counted in the
// 80), a standard queue's must not. kInvalidParameterValue.
Status validate_queue_name(std::string_view name, bool fifo);

// Every character in #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF and the
// bytes valid UTF-8 (is_valid_message_text, message_text.h). validate_message_body: an empty body
// is kMissingParameter ("The request must contain the parameter MessageBody."), bad characters
// kInvalidMessageContents.
Status validate_message_body(std::string_view body);

// <= 10 attributes; names 1-256 of [A-Za-z0-9_-.], not starting with "AWS." / "Amazon." (any
// case), no leading/trailing '.', no "..", distinct; DataType String|Number|Binary with an
// optional ".custom-label" suffix, <= 256; String/Number need StringValue, Binary BinaryValue;
// Number must parse as a number; string values valid message text. kInvalidParameterValue.
Status validate_message_attributes(const std::vector<MessageAttribute>& attributes);

// Only AWSTraceHeader, DataType String, with a StringValue. kInvalidParameterValue.
Status validate_message_system_attributes(const std::vector<MessageAttribute>& attributes);

// Body + every attribute's name, data type and value, in bytes (what counts against
// MaximumMessageSize).
std::size_t message_size(std::string_view body, const std::vector<MessageAttribute>& attributes);
// kInvalidParameterValue "One or more parameters are invalid. Reason: Message must be shorter
// than <max> bytes." when message_size(...) > max_message_size.
Status validate_message_size(std::string_view body, const std::vector<MessageAttribute>& attributes,
                             std::size_t max_message_size);

// Batch-level checks, in AWS's order: no entries (kEmptyBatchRequest), more than 10
// (kTooManyEntriesInBatchRequest), an Id that is not 1-80 of [A-Za-z0-9_-]
// (kInvalidBatchEntryId), duplicate Ids (kBatchEntryIdsNotDistinct).
// validate_batch_entry_count: the first two alone, for a caller whose entries have no Ids yet
// (entry_name as in "There should be at least one <entry_name> in the request.").
Status validate_batch_entry_count(std::size_t count, std::string_view entry_name);
Status validate_batch(const SendMessageBatchRequest& request);
Status validate_batch(const DeleteMessageBatchRequest& request);
Status validate_batch(const ChangeMessageVisibilityBatchRequest& request);
bool is_valid_batch_entry_id(std::string_view id);

// A numeric parameter within [lo, hi] when given: kInvalidParameterValue "Value <v> for
// parameter <name> is invalid. Reason: <reason>".
Status validate_range(std::string_view name, std::optional<int64_t> value, int64_t lo, int64_t hi);

// MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: 1-128 characters, each
// alphanumeric or punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~). kInvalidParameterValue "Value
// <v> for parameter <name> is invalid. Reason: <name> can only include alphanumeric and
// punctuation characters. 1 to 128 in length."
Status validate_fifo_token(std::string_view parameter, std::string_view value);

// The model checks of one message to send, in SQS's order: body (validate_message_body),
// DelaySeconds 0..900, attributes, system attributes, MessageGroupId and MessageDeduplicationId
// format. Not the queue-dependent size/FIFO rules. What SendMessage and a SendMessageBatch entry
// are checked with (sqs::MessageService).
Status validate_message(std::string_view body, std::optional<int64_t> delay_seconds,
                        const std::vector<MessageAttribute>& attributes,
                        const std::vector<MessageAttribute>& system_attributes,
                        const std::optional<std::string>& group_id,
                        const std::optional<std::string>& deduplication_id);

// Model ranges of single-message requests (not the queue-dependent size/FIFO rules).
Status validate_request(const ReceiveMessageRequest& request);  // MaxNumberOfMessages 1..10,
                                                                // VisibilityTimeout, Wait 0..20,
                                                                // ReceiveRequestAttemptId
Status validate_request(const SendMessageRequest& request);     // DelaySeconds 0..900, body,
                                                                // attributes, group/dedup ids
Status validate_request(const ChangeMessageVisibilityRequest& request);  // 0..43200
Status validate_request(const ListQueuesRequest& request);               // MaxResults 1..1000
Status validate_request(const ListDeadLetterSourceQueuesRequest& request);
// Per-entry checks of a SendMessageBatch entry (DelaySeconds, body, attributes, group/dedup id
// format): the handler
// reports a failure as that entry's BatchResultErrorEntry.
Status validate_entry(const SendMessageBatchRequestEntry& entry);
Status validate_entry(const ChangeMessageVisibilityBatchRequestEntry& entry);

}  // namespace sluice::sqs
