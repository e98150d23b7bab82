// $base64encode, $base64decode, $encodeUrlComponent, $encodeUrl, $decodeUrlComponent,
// $decodeUrl, with JavaScript's (Node's) exact behaviour: base64 works on the string's "binary"
// (Latin-1) form, the URL functions are encodeURIComponent & co.
#include <cstdio>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/utf8.h"

namespace sluice::engine::jsonata {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Val fn_base64encode(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  // Node's Buffer.from(str, 'binary'): each UTF-16 code unit keeps its low byte.
  std::string bytes;
  const std::string& s = a.str();
  std::size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = next_code_point(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      bytes.push_back(static_cast<char>((0xD800 + (cp >> 10)) & 0xFF));
      bytes.push_back(static_cast<char>((0xDC00 + (cp & 0x3FF)) & 0xFF));
    } else {
      bytes.push_back(static_cast<char>(cp & 0xFF));
    }
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t k = 0; k < bytes.size(); k += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])) << 16;
    if (k + 1 < bytes.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[k + 1])) << 8;
    if (k + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[k + 2]);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(k + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=');
    out.push_back(k + 2 < bytes.size() ? kBase64[n & 63] : '=');
  }
  return str_val(std::move(out));
}

Val fn_base64decode(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  // Node decodes leniently: characters outside the alphabet are skipped (URL-safe - and _ are
  // accepted), decoding stops at '='.
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : a.str()) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      continue;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      // 'binary' decoding: each byte is the code point U+00XX.
      append_utf8(out, (acc >> bits) & 0xFF);
    }
  }
  return str_val(std::move(out));
}

bool unreserved_component(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' ||
         c == ')';
}

bool unreserved_uri(unsigned char c) {
  if (unreserved_component(c)) return true;
  switch (c) {
    case ';':
    case ',':
    case '/':
    case '?':
    case ':':
    case '@':
    case '&':
    case '=':
    case '+':
    case '$':
    case '#':
      return true;
    default:
      return false;
  }
}

[[noreturn]] void url_error(const Val& value, const char* name) {
  EvalError e;
  e.code = "D3140";
  e.value = value;
  e.function_name = name;
  throw e;
}

template <bool kComponent>
Val fn_encode(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const std::string& s = a.str();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 && (kComponent ? unreserved_component(c) : unreserved_uri(c))) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    // An unpaired surrogate (WTF-8 ED A0..BF xx) cannot be encoded: URIError.
    if (c == 0xED && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
      url_error(a, kComponent ? "encodeUrlComponent" : "encodeUrl");
    }
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    out += buf;
  }
  return str_val(std::move(out));
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <bool kComponent>
Val fn_decode(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  const char* name = kComponent ? "decodeUrlComponent" : "decodeUrl";
  const std::string& s = a.str();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out.push_back(s[i++]);
      continue;
    }
    auto byte_at = [&](std::size_t k) -> unsigned char {
      if (k + 2 >= s.size() || s[k] != '%') url_error(a, name);
      int h = hex(s[k + 1]);
      int l = hex(s[k + 2]);
      if (h < 0 || l < 0) url_error(a, name);
      return static_cast<unsigned char>(h * 16 + l);
    };
    unsigned char b = byte_at(i);
    std::size_t len = b < 0x80             ? 1
                      : (b & 0xE0) == 0xC0 ? 2
                      : (b & 0xF0) == 0xE0 ? 3
                      : (b & 0xF8) == 0xF0 ? 4
                                           : 0;
    if (len == 0) url_error(a, name);
    std::string seq(1, static_cast<char>(b));
    for (std::size_t k = 1; k < len; ++k) {
      std::size_t at = i + 3 * k;
      if (at >= s.size()) url_error(a, name);
      unsigned char c = byte_at(at);
      if ((c & 0xC0) != 0x80) url_error(a, name);
      seq.push_back(static_cast<char>(c));
    }
    std::size_t p = 0;
    uint32_t cp = next_code_point(seq, p);
    if (p != seq.size() || (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      url_error(a, name);
    }
    if (!kComponent && len == 1 && unreserved_uri(b) && !unreserved_component(b)) {
      out.append(s, i, 3);  // decodeURI keeps escapes of reserved characters
    } else {
      out += seq;
    }
    i += 3 * len;
  }
  return str_val(std::move(out));
}

}  // namespace

void register_encoding_functions(std::vector<Builtin>& t) {
  add_builtin(t, "base64encode", "<s-:s>", 1, fn_base64encode);
  add_builtin(t, "base64decode", "<s-:s>", 1, fn_base64decode);
  add_builtin(t, "encodeUrlComponent", "<s-:s>", 1, fn_encode<true>);
  add_builtin(t, "encodeUrl", "<s-:s>", 1, fn_encode<false>);
  add_builtin(t, "decodeUrlComponent", "<s-:s>", 1, fn_decode<true>);
  add_builtin(t, "decodeUrl", "<s-:s>", 1, fn_decode<false>);
}

}  // namespace sluice::engine::jsonata
