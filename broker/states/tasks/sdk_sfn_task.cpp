// See sdk_sfn_task.h.
#include "broker/states/tasks/sdk_sfn_task.h"

#include <array>

#include "broker/states/states_endpoint.h"
#include "broker/states/tasks/sdk_shapes.h"
#include "engine/json/json_parse.h"

namespace sluice::states::tasks {

namespace {

constexpr std::string_view kPrefix = "Sfn";

// The error shapes of the Step Functions model (shared/aws-models/stepfunctions.json).
constexpr std::array<std::string_view, 33> kModeledErrors = {
    "ActivityAlreadyExists",
    "ActivityDoesNotExist",
    "ActivityLimitExceeded",
    "ActivityWorkerLimitExceeded",
    "ConflictException",
    "ExecutionAlreadyExists",
    "ExecutionDoesNotExist",
    "ExecutionLimitExceeded",
    "ExecutionNotRedrivable",
    "InvalidArn",
    "InvalidDefinition",
    "InvalidEncryptionConfiguration",
    "InvalidExecutionInput",
    "InvalidLoggingConfiguration",
    "InvalidName",
    "InvalidOutput",
    "InvalidToken",
    "InvalidTracingConfiguration",
    "KmsAccessDeniedException",
    "KmsInvalidStateException",
    "KmsThrottlingException",
    "MissingRequiredParameter",
    "ResourceNotFound",
    "ServiceQuotaExceededException",
    "StateMachineAlreadyExists",
    "StateMachineDeleting",
    "StateMachineDoesNotExist",
    "StateMachineLimitExceeded",
    "StateMachineTypeNotSupported",
    "TaskDoesNotExist",
    "TaskTimedOut",
    "TooManyTags",
    "ValidationException",
};

}  // namespace

bool sdk_sfn_serves(const StatesEndpoint& endpoint, std::string_view action) {
  return endpoint.serves(sdk_operation_name(action));
}

void sdk_sfn_call(StatesEndpoint& endpoint, std::string_view action, const json::Value& parameters,
                  std::function<void(TaskResult)> done) {
  if (!parameters.is_object()) {
    return done(runtime_failure("The Parameters of an aws-sdk:sfn task must be an object"));
  }
  endpoint.invoke(
      sdk_operation_name(action), sdk_input_members(parameters),
      [done = std::move(done)](SfnOutcome outcome) {
        if (!outcome.ok()) {
          const SfnError& e = outcome.error();
          return done(TaskResult::failure(sdk_error_name(kPrefix, e.type, kModeledErrors),
                                          sdk_error_cause(e.message, kPrefix, e.http_status)));
        }
        if (!outcome.text()) return done(TaskResult::success(sdk_output_members(outcome.output())));
        auto output = json::parse(*outcome.text());
        if (!output)
          return done(runtime_failure("AWS Step Functions answered with malformed JSON"));
        done(TaskResult::success(sdk_output_members(*output)));
      });
}

}  // namespace sluice::states::tasks
