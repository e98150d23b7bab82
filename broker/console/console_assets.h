// The console's files (console/: bundled by esbuild at build time), compiled into the binary by
// a source that console/build.mjs generates in the build directory; console_assets_absent.cpp
// stands in when the build had no npm (the console page then says how to get it).
#pragma once

#include <span>
#include <string_view>

namespace sluice::console {

struct ConsoleAsset {
  std::string_view name;          // path under /console/, e.g. "app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted, e.g. "\"3f2a...\""
  std::string_view body;
};

std::span<const ConsoleAsset> console_assets();

}  // namespace sluice::console
