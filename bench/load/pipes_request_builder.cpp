#include "bench/load/pipes_request_builder.h"

#include <array>
#include <chrono>

#include "bench/load/text_encoding.h"

namespace sluice::bench {

namespace {
constexpr std::string_view kJsonContentType = "application/json";
}

PipesRequestBuilder::PipesRequestBuilder(Endpoint endpoint, Credentials credentials, bool sign)
    : endpoint_(std::move(endpoint)), sign_(sign), signer_(std::move(credentials), "pipes") {}

std::string PipesRequestBuilder::frame(std::string_view method, std::string_view name,
                                       std::string_view body) {
  // The endpoint's base path, then the operation's URI; the name is a label (percent-encoded).
  std::string path = endpoint_.path;
  if (!path.empty() && path.back() == '/') path.pop_back();
  path += "/v1/pipes/";
  append_percent_encoded(path, name);
  const std::string_view date = date_.now();
  std::string out;
  out.reserve(body.size() + 512);
  out.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
  out.append(endpoint_.host_header).append("\r\nContent-Type: ").append(kJsonContentType);
  out.append("\r\nX-Amz-Date: ").append(date);
  if (sign_) {
    std::array<SigV4Signer::Header, 3> headers = {{
        {"content-type", kJsonContentType},
        {"host", endpoint_.host_header},
        {"x-amz-date", date},
    }};
    out.append("\r\nAuthorization: ")
        .append(signer_.authorization(method, path, "", headers, body, date));
  }
  out.append("\r\nUser-Agent: sluice-bench/1\r\nContent-Length: ");
  out.append(std::to_string(body.size())).append("\r\n\r\n").append(body);
  return out;
}

std::string PipesRequestBuilder::create_pipe(std::string_view name, std::string_view body) {
  return frame("POST", name, body);
}

std::string PipesRequestBuilder::update_pipe(std::string_view name, std::string_view body) {
  return frame("PUT", name, body);
}

}  // namespace sluice::bench
