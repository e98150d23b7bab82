#include "bench/load/xml_scanner.h"

#include <cstdint>

#include "text/utf8.h"

namespace sluice::bench {
namespace {

bool name_char(char c) {
  return c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '=';
}

}  // namespace

XmlScanner::Token XmlScanner::fail(std::string_view why) {
  error_ = why;
  pos_ = doc_.size();
  return Token::kError;
}

// pos points at '&'; on success appends the character and moves past ';'.
bool XmlScanner::decode_entity(size_t& pos) {
  const size_t semi = doc_.find(';', pos);
  if (semi == std::string_view::npos || semi - pos > 12) return false;
  const std::string_view ent = doc_.substr(pos + 1, semi - pos - 1);
  if (ent == "lt") {
    text_.push_back('<');
  } else if (ent == "gt") {
    text_.push_back('>');
  } else if (ent == "amp") {
    text_.push_back('&');
  } else if (ent == "quot") {
    text_.push_back('"');
  } else if (ent == "apos") {
    text_.push_back('\'');
  } else if (ent.size() >= 2 && ent[0] == '#') {
    const bool hex = ent[1] == 'x' || ent[1] == 'X';
    uint32_t cp = 0;
    const std::string_view digits = ent.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    for (char c : digits) {
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return false;
    }
    text::append_utf8(text_, cp);
  } else {
    return false;
  }
  pos = semi + 1;
  return true;
}

XmlScanner::Token XmlScanner::next() {
  if (pending_end_) {
    pending_end_ = false;
    return Token::kEnd;
  }
  if (pos_ >= doc_.size()) return Token::kDone;

  if (doc_[pos_] != '<') {
    text_.clear();
    while (pos_ < doc_.size() && doc_[pos_] != '<') {
      const size_t amp = doc_.find_first_of("&<", pos_);
      const size_t stop = amp == std::string_view::npos ? doc_.size() : amp;
      text_.append(doc_.data() + pos_, stop - pos_);
      pos_ = stop;
      if (pos_ < doc_.size() && doc_[pos_] == '&' && !decode_entity(pos_)) {
        return fail("bad XML entity");
      }
    }
    return Token::kText;
  }

  const std::string_view rest = doc_.substr(pos_);
  if (rest.starts_with("<?")) {
    const size_t end = doc_.find("?>", pos_);
    if (end == std::string_view::npos) return fail("unterminated XML declaration");
    pos_ = end + 2;
    return next();
  }
  if (rest.starts_with("<!--")) {
    const size_t end = doc_.find("-->", pos_);
    if (end == std::string_view::npos) return fail("unterminated XML comment");
    pos_ = end + 3;
    return next();
  }
  if (rest.starts_with("<![CDATA[")) {
    const size_t end = doc_.find("]]>", pos_);
    if (end == std::string_view::npos) return fail("unterminated CDATA");
    text_.assign(doc_.substr(pos_ + 9, end - pos_ - 9));
    pos_ = end + 3;
    return Token::kText;
  }
  if (rest.starts_with("<!")) {  // DOCTYPE: no internal subsets in SQS responses
    const size_t end = doc_.find('>', pos_);
    if (end == std::string_view::npos) return fail("unterminated XML declaration");
    pos_ = end + 1;
    return next();
  }

  const bool closing = rest.size() > 1 && rest[1] == '/';
  size_t p = pos_ + (closing ? 2 : 1);
  const size_t name_start = p;
  while (p < doc_.size() && name_char(doc_[p])) ++p;
  if (p == name_start) return fail("XML tag without a name");
  name_ = doc_.substr(name_start, p - name_start);
  // Skip attributes; quoted values may contain '>'.
  char quote = 0;
  while (p < doc_.size()) {
    const char c = doc_[p];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
    ++p;
  }
  if (p >= doc_.size()) return fail("unterminated XML tag");
  const bool self_closing = !closing && doc_[p - 1] == '/';
  pos_ = p + 1;
  if (closing) return Token::kEnd;
  pending_end_ = self_closing;
  return Token::kStart;
}

}  // namespace sluice::bench
