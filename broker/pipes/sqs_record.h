// The event a pipe makes of one SQS message: the record AWS delivers for an SQS source (the same
// shape Lambda's SQS event records have), field by field:
//   messageId, receiptHandle, body (the raw string),
//   attributes {ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp,
//               [AWSTraceHeader], [SequenceNumber, MessageGroupId, MessageDeduplicationId on FIFO
//               queues], [DeadLetterQueueSourceArn]}  -- every value a string,
//   messageAttributes {NAME: {stringValue | binaryValue (base64), stringListValues: [],
//                             binaryListValues: [], dataType}},
//   md5OfBody, eventSource "aws:sqs", eventSourceARN, awsRegion.
// The receive count and first-receive time are the ones of the pipe's take (the receive it
// counts).
//
// filter_view() is what FilterCriteria patterns are matched against: the record without the
// fields the poller adds (eventSource, eventSourceARN, awsRegion), with the body parsed when it
// is JSON (engine/pipes/event_pattern.h says why). Pure functions.
#pragma once

#include <string>

#include "engine/json/json_value.h"
#include "storage/queue/message.h"

namespace sluice::pipes {

namespace json = engine::json;

json::Value sqs_record(const storage::ReceivedMessage& m, const std::string& source_arn,
                       const std::string& region);

// The record for filtering; *body_is_json says whether the body parsed.
json::Value filter_view(const json::Value& record, bool* body_is_json);

}  // namespace sluice::pipes
