#include "bench/load/sfn_request_builder.h"

#include <array>
#include <chrono>

#include "bench/load/text_encoding.h"

namespace sluice::bench {

namespace {
constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";
}

SfnRequestBuilder::SfnRequestBuilder(Endpoint endpoint, Credentials credentials, bool sign)
    : endpoint_(std::move(endpoint)), sign_(sign), signer_(std::move(credentials), "states") {}

std::string SfnRequestBuilder::frame(ApiAction action, const std::string& payload) {
  std::string target = "AWSStepFunctions.";
  target.append(action_name(action));
  const std::string_view date = date_.now();
  std::string out;
  out.reserve(payload.size() + 512);
  out.append("POST ").append(endpoint_.path).append(" HTTP/1.1\r\nHost: ");
  out.append(endpoint_.host_header).append("\r\nContent-Type: ").append(kJsonContentType);
  out.append("\r\nX-Amz-Target: ").append(target);
  out.append("\r\nX-Amz-Date: ").append(date);
  if (sign_) {
    std::array<SigV4Signer::Header, 4> headers = {{
        {"content-type", kJsonContentType},
        {"host", endpoint_.host_header},
        {"x-amz-date", date},
        {"x-amz-target", target},
    }};
    out.append("\r\nAuthorization: ")
        .append(signer_.authorization("POST", endpoint_.path, "", headers, payload, date));
  }
  out.append("\r\nUser-Agent: sluice-bench/1\r\nContent-Length: ");
  out.append(std::to_string(payload.size())).append("\r\n\r\n").append(payload);
  return out;
}

std::string SfnRequestBuilder::create_state_machine(std::string_view name,
                                                    std::string_view definition,
                                                    std::string_view role_arn, bool express) {
  std::string p = "{\"name\":";
  append_json_string(p, name);
  p += ",\"definition\":";
  append_json_string(p, definition);
  p += ",\"roleArn\":";
  append_json_string(p, role_arn);
  p += express ? ",\"type\":\"EXPRESS\"}" : ",\"type\":\"STANDARD\"}";
  return frame(ApiAction::kCreateStateMachine, p);
}

std::string SfnRequestBuilder::start_sync_execution(std::string_view state_machine_arn,
                                                    std::string_view input) {
  std::string p = "{\"stateMachineArn\":";
  append_json_string(p, state_machine_arn);
  p += ",\"input\":";
  append_json_string(p, input);
  p += '}';
  return frame(ApiAction::kStartSyncExecution, p);
}

std::string SfnRequestBuilder::list_executions(std::string_view state_machine_arn,
                                               std::string_view next_token) {
  std::string p = "{\"stateMachineArn\":";
  append_json_string(p, state_machine_arn);
  p += ",\"maxResults\":1000";
  if (!next_token.empty()) {
    p += ",\"nextToken\":";
    append_json_string(p, next_token);
  }
  p += '}';
  return frame(ApiAction::kListExecutions, p);
}

}  // namespace sluice::bench
