// See console_endpoint.h.
#include "broker/console/console_endpoint.h"

#include <string>

#include "broker/console/console_assets.h"

namespace sluice::console {

namespace {
http::Response plain(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}
}  // namespace

void ConsoleEndpoint::handle(const http::Request& request, http::Responder responder) {
  if (request.method != "GET" && request.method != "HEAD") {
    http::Response r = plain(405, "The console is read with GET.\n");
    r.headers.push_back({"allow", "GET, HEAD"});
    return responder.send(std::move(r));
  }
  std::string_view path = request.path();
  if (path == kConsolePath) {
    http::Response r = plain(301, "");
    r.headers.push_back({"location", "/console/"});
    return responder.send(std::move(r));
  }
  std::string_view name = path.substr(kConsolePath.size() + 1);
  if (name.empty()) name = "index.html";
  for (const ConsoleAsset& asset : console_assets()) {
    if (asset.name != name) continue;
    http::Response r;
    r.headers.push_back({"etag", std::string(asset.etag)});
    r.headers.push_back({"cache-control", "no-cache"});
    r.headers.push_back({"x-content-type-options", "nosniff"});
    const std::string* match = request.header("if-none-match");
    if (match != nullptr && *match == asset.etag) {
      r.status = 304;
      return responder.send(std::move(r));
    }
    r.content_type = std::string(asset.content_type);
    r.body = std::string(asset.body);
    return responder.send(std::move(r));
  }
  responder.send(plain(404, "No console file " + std::string(name) + ".\n"));
}

}  // namespace sluice::console
