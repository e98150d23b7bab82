// See xml_writer.h.
#include "broker/protocol/xml_writer.h"

#include <charconv>

#include "broker/protocol/verbatim_prefix.h"
#include "text/utf8.h"

namespace sluice::protocol {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size());
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const std::size_t j = i + xml_verbatim_prefix(text.substr(i));
    out.append(text.data() + i, j - i);
    if (j == n) break;
    unsigned char c = static_cast<unsigned char>(text[j]);
    if (c < 0x80) {
      i = j + 1;
      switch (c) {
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '\r':
          out.append("&#xD;");
          break;
        default:
          out.append(kReplacement);
          break;  // C0 control XML 1.0 cannot carry
      }
      continue;
    }
    std::size_t k = j;
    int32_t cp = text::decode_utf8_multibyte(text, k);
    if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) {
      out.append(kReplacement);
    } else {
      out.append(text.data() + j, k - j);
    }
    i = k;
  }
}

void XmlWriter::open_with_namespace(std::string_view tag, std::string_view xmlns) {
  out_.push_back('<');
  out_.append(tag);
  out_.append(" xmlns=\"");
  out_.append(xmlns);  // a constant of ours: no escaping needed
  out_.append("\">");
}

void XmlWriter::int_element(std::string_view tag, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  raw_element(tag, std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

}  // namespace sluice::protocol
