// See sdk_sfn_task.h.
#include "broker/states/tasks/sdk_sfn_task.h"

#include "broker/states/states_endpoint.h"
#include "broker/states/tasks/sdk_shapes.h"
#include "engine/json/json_parse.h"

namespace sluice::states::tasks {

namespace {

constexpr std::string_view kPrefix = "Sfn";

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
          return done(sdk_failure(kPrefix, e.type, e.message, e.http_status));
        }
        if (!outcome.text()) return done(TaskResult::success(sdk_output_members(outcome.output())));
        auto output = json::parse(*outcome.text());
        if (!output)
          return done(runtime_failure("AWS Step Functions answered with malformed JSON"));
        done(TaskResult::success(sdk_output_members(*output)));
      });
}

}  // namespace sluice::states::tasks
