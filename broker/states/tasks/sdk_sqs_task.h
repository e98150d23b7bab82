// The AWS SDK integration for Amazon SQS (arn:aws:states:::aws-sdk:sqs:ACTION[.waitForTaskToken]),
// served in-process by the SQS API's own path: the Parameters are decoded as the AWS JSON 1.0
// request body of the operation (its members are the SDK's: QueueUrl, MessageBody,
// MaxNumberOfMessages, Entries, ...), the operation's handler runs against the server's queues as
// for a client, and the JSON response body is the task's output. So every check, limit and error
// is the API's. Errors become Sqs.<Exception> (sdk_shapes.h); Parameters the JSON protocol cannot
// decode (a member of the wrong type) fail the task with States.Runtime, as AWS would refuse such
// a definition. Unknown members are ignored, as the decoder ignores them.
//
// Thread: the reactor thread (the MessageService's and QueueStore's owner).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "broker/sqs/api/queue_url.h"
#include "broker/states/tasks/task_result.h"

namespace sluice::sqs {
class MessageService;
}

namespace sluice::states::tasks {

// Whether `action` ("sendMessage", "receiveMessage.waitForTaskToken") is an SQS operation.
bool sdk_sqs_serves(std::string_view action);

// Runs the operation; calls `done` once (after the commit when it writes). `host`: what the
// queue URLs it returns name when identity.public_url is empty. `still_wanted`: false once the
// task is cancelled (ends a ReceiveMessage long poll).
void sdk_sqs_call(sqs::MessageService& messages, const sqs::ServiceIdentity& identity,
                  const std::string& host, std::string_view action, const json::Value& parameters,
                  std::function<bool()> still_wanted, std::function<void(TaskResult)> done);

}  // namespace sluice::states::tasks
