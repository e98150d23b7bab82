// XmlWriter: appends XML elements to a std::string, escaping text so that a client's XML parser
// gives back exactly the original string. Protocol-generic. Not thread-safe (a plain builder
// over a caller-owned buffer).
//
// Escaping rules (element content): & < > as entities; '\r' as &#xD; because XML parsers turn a
// literal CR (and CRLF) into LF; tab and LF stay literal (content preserves them). Code points
// XML 1.0 cannot carry even as references (other C0 controls, U+FFFE/U+FFFF) and invalid UTF-8
// become U+FFFD: SQS never stores those in a message (see InvalidMessageContents), so this
// only guards echoes of arbitrary input, e.g. in error messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::protocol {

// Appends `text` escaped for element content.
void append_xml_escaped(std::string& out, std::string_view text);

class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}

  void open(std::string_view tag) {
    out_.push_back('<');
    out_.append(tag);
    out_.push_back('>');
  }
  // <tag xmlns="ns">
  void open_with_namespace(std::string_view tag, std::string_view xmlns);
  void close(std::string_view tag) {
    out_.append("</");
    out_.append(tag);
    out_.push_back('>');
  }
  // <tag>escaped text</tag>
  void element(std::string_view tag, std::string_view text) {
    open(tag);
    append_xml_escaped(out_, text);
    close(tag);
  }
  // Omitted when `text` is empty (absent optional member).
  void optional_element(std::string_view tag, std::string_view text) {
    if (!text.empty()) element(tag, text);
  }
  void int_element(std::string_view tag, int64_t value);
  void bool_element(std::string_view tag, bool value) {
    raw_element(tag, value ? "true" : "false");
  }
  // <tag/>
  void empty_element(std::string_view tag) {
    out_.push_back('<');
    out_.append(tag);
    out_.append("/>");
  }
  // <tag>text</tag> with text known to need no escaping.
  void raw_element(std::string_view tag, std::string_view text) {
    open(tag);
    out_.append(text);
    close(tag);
  }

  std::string& buffer() { return out_; }

 private:
  std::string& out_;
};

}  // namespace sluice::protocol
