// See task_result.h.
#include "broker/states/tasks/task_result.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

#include "engine/json/json_serialize.h"
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

namespace {

// An HTTP date (RFC 7231 IMF-fixdate), as the Date header AWS's responses carry.
std::string http_date() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

bool less_ignoring_case(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

void add_sdk_metadata(json::Object& output, std::string_view content_type, int status,
                      std::optional<std::size_t> content_length) {
  // The body the service would have sent: the result's members before the metadata joins them.
  std::size_t length =
      content_length ? *content_length : json::serialize(json::Value(output)).size();
  std::string request_id = storage::random_uuid();
  // The headers in the order AWS's JSON services send them.
  add_sdk_metadata_headers(output, status, request_id,
                           {{"x-amzn-RequestId", request_id},
                            {"connection", "keep-alive"},
                            {"Content-Length", std::to_string(length)},
                            {"Date", http_date()},
                            {"Content-Type", std::string(content_type)}});
}

void add_lambda_sdk_metadata(json::Object& output, int status, std::string_view version,
                             std::size_t content_length) {
  std::string request_id = storage::random_uuid();
  char trace[64];
  std::snprintf(trace, sizeof trace, "Root=1-%08x-%08x%08x%08x;Sampled=0",
                static_cast<unsigned>(std::time(nullptr)), storage::random_u32(),
                storage::random_u32(), storage::random_u32());
  // Lambda's Invoke response headers, in the order AWS records them.
  add_sdk_metadata_headers(output, status, request_id,
                           {{"X-Amz-Executed-Version", std::string(version)},
                            {"x-amzn-Remapped-Content-Length", "0"},
                            {"Connection", "keep-alive"},
                            {"x-amzn-RequestId", request_id},
                            {"Content-Length", std::to_string(content_length)},
                            {"Date", http_date()},
                            {"X-Amzn-Trace-Id", trace},
                            {"Content-Type", "application/json"}});
}

void add_sdk_metadata_headers(json::Object& output, int status, const std::string& request_id,
                              std::vector<std::pair<std::string, std::string>> headers) {
  // AllHttpHeaders as sent, each value a list; HttpHeaders single values sorted ignoring case.
  json::Object all;
  for (const auto& [name, value] : headers) all.set(name, json::Array{json::Value(value)});
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) {
    return less_ignoring_case(a.first, b.first);
  });
  json::Object one;
  for (const auto& [name, value] : headers) one.set(name, json::Value(value));
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
