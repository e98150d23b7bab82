// The optimized Amazon SQS integration (arn:aws:states:::sqs:sendMessage and its
// .waitForTaskToken form), served in-process by the QueueStore: no HTTP hop. Parameters as AWS
// documents them: QueueUrl, MessageBody (a string is sent as is, any other JSON value serialized),
// DelaySeconds, MessageAttributes ({Name: {DataType, StringValue | BinaryValue}}), MessageGroupId,
// MessageDeduplicationId. The same validation as the SendMessage action applies, and the same
// rules per queue type: FIFO queues need MessageGroupId and MessageDeduplicationId (unless
// ContentBasedDeduplication) and deduplicate; standard queues keep MessageGroupId (fair queues).
//
// The output is SendMessage's response as the integration returns it: MD5OfMessageAttributes (when
// there are attributes), MD5OfMessageBody, MessageId, SequenceNumber (FIFO queues),
// SdkHttpMetadata, SdkResponseMetadata. SQS
// errors become task errors named after the AWS SDK for Java exception, as AWS names them:
// SQS.QueueDoesNotExistException, SQS.InvalidMessageContentsException, else
// SQS.AmazonSQSException; the cause is the SDK's message text with the SQS error code.
//
// Thread: the reactor thread (the QueueStore's owner).
#pragma once

#include <functional>
#include <string>

#include "broker/states/tasks/task_result.h"

namespace sluice::storage {
class QueueStore;
}

namespace sluice::states::tasks {

// Calls `done` once, after the send is durable (or at once on a parameter error).
void sqs_send_message(storage::QueueStore& store, const std::string& account_id,
                      const json::Value& parameters, std::function<void(TaskResult)> done);

}  // namespace sluice::states::tasks
