// What the AWS SDK integrations (arn:aws:states:::aws-sdk:SERVICE:ACTION) share, whatever the
// service: the operation an action names, the task error a service error becomes, and the JSON
// shape of an SDK response. AWS runs these integrations through the AWS SDK for Java v2, so:
//  - the Resource's action is the operation in lower camel case (sendMessage = SendMessage);
//  - Parameters and results use the SDK's member names, PascalCase (QueueUrl, ExecutionArn), with
//    timestamps as ISO-8601 strings (the SDK's Instant), and no SdkHttpMetadata;
//  - a service error is the task error SERVICE.EXCEPTION, both PascalCase, where EXCEPTION is the
//    SDK's exception class: the model's error shape with the suffix "Exception" added when it has
//    none (Sqs.QueueDoesNotExistException, Sfn.ExecutionDoesNotExistException), or the service's
//    base class for an error the model does not declare (Sqs.SqsException); the cause is the SDK
//    exception's message: "TEXT (Service: Sqs, Status Code: 400, Request ID: UUID)".
// Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "broker/states/tasks/task_result.h"

namespace sluice::states::tasks {

// "sendMessage" -> "SendMessage"; the pattern suffix (".waitForTaskToken") dropped.
std::string sdk_operation_name(std::string_view action);

// The task error of a service error. `prefix`: the SDK's service name ("Sqs", "Sfn"); `shape`:
// the error's shape name as the service sends it (a namespace before '#' is ignored). A shape the
// service's model does not declare becomes PREFIX.PREFIXException.
std::string sdk_error_name(std::string_view prefix, std::string_view shape);

// The cause: the SDK exception's message.
std::string sdk_error_cause(std::string_view message, std::string_view prefix, int status);

// The failed task: sdk_error_name and sdk_error_cause.
TaskResult sdk_failure(std::string_view prefix, std::string_view shape, std::string_view message,
                       int status);

// Member names first letter up (camelCase wire members -> the SDK's PascalCase), at every level,
// and numbers under a member named *Date or "timestamp" rendered as ISO-8601 (the JSON protocol
// sends epoch seconds). For services whose wire members are camelCase and that have no maps whose
// keys are data (Step Functions).
json::Value sdk_output_members(const json::Value& wire);

// The reverse for requests: first letter down at every level (StateMachineArn -> stateMachineArn).
json::Value sdk_input_members(const json::Value& parameters);

// Epoch seconds as the SDK renders an Instant: 2024-01-02T03:04:05.678Z (no fraction when whole).
std::string iso_instant(double epoch_seconds);

}  // namespace sluice::states::tasks
