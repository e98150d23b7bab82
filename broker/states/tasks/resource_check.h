// The Task resources this server serves, as definition validation asks about them
// (StatesServices::check_resource):
//   arn:aws:states:::sqs:sendMessage[.waitForTaskToken]
//   arn:aws:states:::states:startExecution[.sync | .sync:2 | .waitForTaskToken]
//   arn:aws:states:::http:invoke
//   arn:aws:states:::lambda:invoke[.waitForTaskToken]
//   arn:aws:states:REGION:ACCOUNT:activity:NAME
//   arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
// Anything else is refused with the text AWS gives for a resource it does not recognize (the
// caller wraps it as SCHEMA_VALIDATION_FAILED with the state's location). Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::states::tasks {

// nullopt when served; else the validation message naming the resource.
std::optional<std::string> check_task_resource(std::string_view resource);

}  // namespace sluice::states::tasks
