// See task_result.h.
#include "broker/states/tasks/task_result.h"

#include "storage/random_id.h"

namespace sluice::states::tasks {

std::string service_error_cause(std::string_view message, std::string_view service, int status,
                                std::string_view error_code) {
  std::string cause(message);
  cause += " (Service: ";
  cause += service;
  cause += "; Status Code: ";
  cause += std::to_string(status);
  cause += "; Error Code: ";
  cause += error_code;
  cause += "; Request ID: ";
  cause += storage::random_uuid();
  cause += "; Proxy: null)";
  return cause;
}

void add_sdk_metadata(json::Object& output, std::string_view content_type, int status) {
  std::string request_id = storage::random_uuid();
  json::Object all;
  all.set("x-amzn-RequestId", json::Array{json::Value(request_id)});
  all.set("Content-Type", json::Array{json::Value(content_type)});
  json::Object one;
  one.set("x-amzn-RequestId", json::Value(request_id));
  one.set("Content-Type", json::Value(content_type));
  json::Object http;
  http.set("AllHttpHeaders", json::Value(std::move(all)));
  http.set("HttpHeaders", json::Value(std::move(one)));
  http.set("HttpStatusCode", json::Value(status));
  output.set("SdkHttpMetadata", json::Value(std::move(http)));
  output.set("SdkResponseMetadata",
             json::Value(json::Object{{"RequestId", json::Value(request_id)}}));
}

TaskResult runtime_failure(std::string cause) {
  return TaskResult::failure("States.Runtime", std::move(cause));
}

}  // namespace sluice::states::tasks
