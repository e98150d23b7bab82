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
  out.reserve(out.size() + in.size());
  // Message bodies are mostly plain text: find the next '%' and '+' with memchr (vectorised in
  // libc) and copy the runs between them in one append each.
  const char* p = in.data();
  const char* const end = p + in.size();
  auto next = [end](const char* from, char c) {
    const void* hit = std::memchr(from, c, static_cast<std::size_t>(end - from));
    return hit ? static_cast<const char*>(hit) : end;
  };
  const char* pct = next(p, '%');
  const char* plus = next(p, '+');
  while (true) {
    const char* stop = pct < plus ? pct : plus;
    out.append(p, static_cast<std::size_t>(stop - p));
    if (stop == end) break;
    if (*stop == '+') {
      out.push_back(' ');
      p = stop + 1;
      plus = next(p, '+');
      continue;
    }
    if (end - stop < 3) return false;  // '%' needs two hex digits after it
    int hi = hex_value(stop[1]);
    int lo = hex_value(stop[2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
    p = stop + 3;  // the two hex digits cannot be '+', so `plus` is still ahead of p
    pct = next(p, '%');
  }
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
