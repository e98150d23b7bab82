// JsonWriter: appends a JSON document to a std::string with correct string escaping: '"' and
// '\\', control characters as \b \f \n \r \t or \u00XX; all other valid UTF-8 (non-BMP
// included) passes through unchanged; invalid UTF-8 becomes U+FFFD so the output is always valid
// JSON. Commas are inserted automatically. Protocol-generic. Not thread-safe (a plain builder
// over a caller-owned buffer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::protocol {

// Appends `text` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() {
    separator();
    out_.push_back('{');
    first_ = true;
  }
  void end_object() {
    out_.push_back('}');
    first_ = false;
  }
  void begin_array() {
    separator();
    out_.push_back('[');
    first_ = true;
  }
  void end_array() {
    out_.push_back(']');
    first_ = false;
  }
  // "name": — the next value written is the member's value.
  void key(std::string_view name) {
    separator();
    append_json_string(out_, name);
    out_.push_back(':');
    first_ = true;  // the value that follows takes no comma
  }
  void string(std::string_view text) {
    separator();
    append_json_string(out_, text);
  }
  void integer(int64_t value);
  void boolean(bool value) {
    separator();
    out_.append(value ? "true" : "false");
  }
  // A number already written as JSON (e.g. "1700000000.123"); the caller vouches for its syntax.
  void number_literal(std::string_view literal) {
    separator();
    out_.append(literal);
  }
  // The value of a member whose JSON text the caller already holds (a stored document).
  void raw_json(std::string_view json) {
    separator();
    out_.append(json);
  }

  // Member helpers.
  void string_member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  // Omitted when empty (absent optional member).
  void optional_string_member(std::string_view name, std::string_view text) {
    if (!text.empty()) string_member(name, text);
  }
  void integer_member(std::string_view name, int64_t value) {
    key(name);
    integer(value);
  }
  void boolean_member(std::string_view name, bool value) {
    key(name);
    boolean(value);
  }

  std::string& buffer() { return out_; }

 private:
  void separator() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace sluice::protocol
