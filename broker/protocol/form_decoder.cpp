// See form_decoder.h.
#include "broker/protocol/form_decoder.h"

#include <cstring>

namespace sluice::protocol {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* FormParams::find(std::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool percent_decode(std::string_view in, std::string& out) {
  // One pass writing straight into the output: message bodies (JSON, XML) are full of escapes, so
  // a byte loop beats searching for the next '%' run by run.
  const std::size_t base = out.size();
  out.resize(base + in.size());
  char* w = out.data() + base;
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p < end) {
    const char c = *p;
    if (c == '%') {
      if (end - p < 3) return false;  // '%' needs two hex digits after it
      const int hi = hex_value(p[1]);
      const int lo = hex_value(p[2]);
      if (hi < 0 || lo < 0) return false;
      *w++ = static_cast<char>((hi << 4) | lo);
      p += 3;
    } else {
      *w++ = c == '+' ? ' ' : c;
      ++p;
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
  return true;
}

Status decode_form(std::string_view text, FormParams& out) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::string name;
    std::string value;
    if (!percent_decode(raw_name, name) || !percent_decode(raw_value, value)) {
      return make_error(ErrorCode::kMalformedQueryString,
                        "The query string contains an invalid percent-encoded sequence.");
    }
    out.add(std::move(name), std::move(value));
  }
  return {};
}

}  // namespace sluice::protocol
