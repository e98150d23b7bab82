// ConsoleEndpoint: serves the web console's files at /console/ (GET and HEAD; /console redirects
// to /console/). The files are compiled into the binary (console_assets.h), so nothing else runs.
// Each answer carries its ETag and "Cache-Control: no-cache": a browser revalidates and gets 304
// while the binary is the same. The console reaches the server through the AWS JSON APIs and
// /_sluice/ (broker/admin/), never through here.
#pragma once

#include <string_view>

#include "broker/http/request.h"
#include "broker/http/responder.h"

namespace sluice::console {

inline constexpr std::string_view kConsolePath = "/console";

class ConsoleEndpoint {
 public:
  static bool accepts(const http::Request& request) {
    std::string_view path = request.path();
    return path == kConsolePath || (path.size() > kConsolePath.size() &&
                                    path.substr(0, kConsolePath.size() + 1) == "/console/");
  }
  static void handle(const http::Request& request, http::Responder responder);
};

}  // namespace sluice::console
