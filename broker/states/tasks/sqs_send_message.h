// The optimized Amazon SQS integration (arn:aws:states:::sqs:sendMessage and its
// .waitForTaskToken form), served in-process by sqs::MessageService, the send path SendMessage
// uses: no HTTP hop. Parameters as AWS documents them: QueueUrl, MessageBody (a string is sent as
// is, any other JSON value serialized), DelaySeconds, MessageAttributes ({Name: {DataType,
// StringValue | BinaryValue}}), MessageGroupId, MessageDeduplicationId. Only reading them (a
// malformed parameter is States.Runtime) and mapping the outcome are here; the checks and the
// rules per queue type are the service's, so they are SendMessage's: FIFO queues need
// MessageGroupId and MessageDeduplicationId (unless ContentBasedDeduplication) and deduplicate;
// standard queues keep MessageGroupId (fair queues).
//
// The output is SendMessage's response as the integration returns it: MD5OfMessageAttributes (when
// there are attributes), MD5OfMessageBody, MessageId, SequenceNumber (FIFO queues),
// SdkHttpMetadata, SdkResponseMetadata. SQS
// errors become task errors named after the AWS SDK for Java exception, as AWS names them:
// SQS.QueueDoesNotExistException, SQS.InvalidMessageContentsException, else
// SQS.AmazonSQSException; the cause is the SDK's message text with the SQS error code.
//
// Thread: the reactor thread (the MessageService's and QueueStore's owner).
#pragma once

#include <functional>
#include <string>

#include "broker/states/tasks/task_result.h"

namespace sluice::sqs {
class MessageService;
}

namespace sluice::states::tasks {

// Calls `done` once, after the send is durable (or at once on a parameter error). account_id:
// whose queues a QueueUrl may name.
void sqs_send_message(sqs::MessageService& messages, const std::string& account_id,
                      const json::Value& parameters, std::function<void(TaskResult)> done);

}  // namespace sluice::states::tasks
