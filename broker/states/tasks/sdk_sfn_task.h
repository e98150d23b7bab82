// The AWS SDK integration for AWS Step Functions (arn:aws:states:::aws-sdk:sfn:ACTION
// [.waitForTaskToken]), served in-process by the API's own action path (StatesEndpoint::invoke:
// the same handler, validation and answer as a client's request). The Parameters' SDK member
// names (StateMachineArn, Input, TaskToken, ...) are the API's with the first letter up, so they
// are renamed both ways (sdk_shapes.h); timestamps come back as ISO-8601 strings. Errors become
// Sfn.<Exception> (Sfn.ExecutionDoesNotExistException, Sfn.InvalidTokenException, ...).
//
// Thread: the reactor thread.
#pragma once

#include <functional>
#include <string_view>

#include "broker/states/tasks/task_result.h"

namespace sluice::states {
class StatesEndpoint;
}

namespace sluice::states::tasks {

// Whether the API has the operation `action` names ("startExecution", "describeExecution").
bool sdk_sfn_serves(const StatesEndpoint& endpoint, std::string_view action);

// Runs the operation; calls `done` once.
void sdk_sfn_call(StatesEndpoint& endpoint, std::string_view action, const json::Value& parameters,
                  std::function<void(TaskResult)> done);

}  // namespace sluice::states::tasks
