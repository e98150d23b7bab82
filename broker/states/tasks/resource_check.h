// The Task resources this server serves, as definition validation asks about them
// (StatesServices::check_resource):
//   arn:aws:states:::sqs:sendMessage[.waitForTaskToken]
//   arn:aws:states:::states:startExecution[.sync | .sync:2 | .waitForTaskToken]
//   arn:aws:states:::http:invoke
//   arn:aws:states:::lambda:invoke[.waitForTaskToken]
//   arn:aws:states:REGION:ACCOUNT:activity:NAME
//   arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
// and, so that a mocked test case (--mock-config) can answer them, any other well-formed
// service integration, as AWS accepts them:
//   arn:aws:states:::SERVICE:ACTION[.sync | .sync:2 | .waitForTaskToken]   (dynamodb:putItem, ...)
//   arn:aws:states:::aws-sdk:SERVICE:ACTION[.waitForTaskToken]
// (SERVICE lower case, ACTION lower camel case). Of those, aws-sdk:sqs:ACTION and aws-sdk:sfn:ACTION
// are served when ACTION is an operation of the API (sdk_sqs_task.h, sdk_sfn_task.h); running any
// other that is not mocked fails the task (see unserved_integration_cause). For the services served here (sqs, states, http,
// lambda) only the actions and patterns above are accepted, as AWS accepts no others.
// Anything else is refused with the text AWS gives for a resource it does not recognize (the
// caller wraps it as SCHEMA_VALIDATION_FAILED with the state's location). Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::states::tasks {

// nullopt when served; else the validation message naming the resource.
std::optional<std::string> check_task_resource(std::string_view resource);

// The cause of the States.Runtime failure of a Task whose resource this server does not serve
// and no test case mocked: names the resource and says how to mock it. `execution_arn` and
// `state` (the Task state's name) make the example concrete.
std::string unserved_integration_cause(std::string_view resource, std::string_view execution_arn,
                                       std::string_view state);

}  // namespace sluice::states::tasks
