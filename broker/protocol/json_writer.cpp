// See json_writer.h.
#include "broker/protocol/json_writer.h"

#include <charconv>

#include "broker/protocol/verbatim_prefix.h"
#include "text/utf8.h"

namespace sluice::protocol {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const std::size_t j = i + json_verbatim_prefix(text.substr(i));
    out.append(text.data() + i, j - i);
    if (j == n) break;
    unsigned char c = static_cast<unsigned char>(text[j]);
    if (c < 0x80) {
      i = j + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out.append(esc, 6);
        }
      }
      continue;
    }
    std::size_t k = j;
    if (text::decode_utf8_multibyte(text, k) < 0) {
      out.append(kReplacement);
    } else {
      out.append(text.data() + j, k - j);
    }
    i = k;
  }
  out.push_back('"');
}

void JsonWriter::integer(int64_t value) {
  separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out_.append(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace sluice::protocol
