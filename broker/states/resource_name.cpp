// See resource_name.h.
#include "broker/states/resource_name.h"

#include <cstdint>

namespace sluice::states {

std::size_t utf16_length(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;  // lead bytes; 4-byte sequences: a pair
  }
  return n;
}

bool is_valid_resource_name(std::string_view name) {
  std::size_t len = utf16_length(name);
  if (len < 1 || len > 80) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F) return false;
    switch (c) {
      case ' ':
      case '<':
      case '>':
      case '{':
      case '}':
      case '[':
      case ']':
      case '?':
      case '*':
      case '"':
      case '#':
      case '%':
      case '\\':
      case '^':
      case '|':
      case '~':
      case '`':
      case '$':
      case '&':
      case ',':
      case ';':
      case ':':
      case '/':
        return false;
      default:
        break;
    }
    // U+0080-009F arrive as C2 80 .. C2 9F; other white space outside ASCII (U+00A0, U+2000..)
    // counts as white space too.
    if (c == 0xC2 && i + 1 < name.size()) {
      unsigned char d = static_cast<unsigned char>(name[i + 1]);
      if (d >= 0x80 && d <= 0xA0) return false;
    }
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80) {
      unsigned char d = static_cast<unsigned char>(name[i + 2]);
      if (d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF) return false;  // U+2000-200A, 2028..
    }
    if (c == 0xE3 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        static_cast<unsigned char>(name[i + 2]) == 0x80) {
      return false;  // U+3000 ideographic space
    }
  }
  return true;
}

SfnError invalid_name(std::string_view name) {
  return sfn_error("InvalidName", "Invalid Name: '" + std::string(name) + "'");
}

}  // namespace sluice::states
