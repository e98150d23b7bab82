// XmlScanner: a pull tokenizer for query-protocol (XML) responses. It yields start tags, end tags
// and text with entities decoded; it skips the prolog, comments and attributes, and reads CDATA as
// text. It is not a validating parser: SQS responses are small, flat documents and the bench only
// needs the leaf values it verifies. Used by one thread at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench {

class XmlScanner {
 public:
  enum class Token { kStart, kEnd, kText, kDone, kError };

  explicit XmlScanner(std::string_view doc) : doc_(doc) {}

  Token next();
  // The element name of the last kStart/kEnd token (a view into the document).
  std::string_view name() const { return name_; }
  // The decoded text of the last kText token.
  const std::string& text() const { return text_; }
  // Why the last kError happened.
  std::string_view error() const { return error_; }

 private:
  Token fail(std::string_view why);
  bool decode_entity(size_t& pos);

  std::string_view doc_;
  size_t pos_ = 0;
  bool pending_end_ = false;  // a self-closing tag owes its kEnd
  std::string_view name_;
  std::string text_;
  std::string_view error_;
};

// Walks a document, tracking the element path, and calls
//   on_open(std::string_view name, std::string_view parent)
//   on_close(std::string_view name, std::string_view parent, std::string_view text)
// where `text` is the text directly inside the element (empty for elements with children) and
// `parent` is "" at the root. Returns false (with *error set) on malformed input or unbalanced
// tags.
template <class OnOpen, class OnClose>
bool walk_xml(std::string_view doc, OnOpen&& on_open, OnClose&& on_close, std::string* error) {
  XmlScanner scanner(doc);
  std::vector<std::string_view> path;
  std::string text;
  bool leaf = true;
  for (;;) {
    switch (scanner.next()) {
      case XmlScanner::Token::kStart:
        on_open(scanner.name(), path.empty() ? std::string_view() : path.back());
        path.push_back(scanner.name());
        text.clear();
        leaf = true;
        break;
      case XmlScanner::Token::kText:
        text += scanner.text();
        break;
      case XmlScanner::Token::kEnd: {
        if (path.empty() || path.back() != scanner.name()) {
          if (error) *error = "unbalanced XML tag </" + std::string(scanner.name()) + ">";
          return false;
        }
        path.pop_back();
        on_close(scanner.name(), path.empty() ? std::string_view() : path.back(),
                 leaf ? std::string_view(text) : std::string_view());
        text.clear();
        leaf = false;
        break;
      }
      case XmlScanner::Token::kDone:
        if (!path.empty()) {
          if (error) *error = "XML document ends inside <" + std::string(path.back()) + ">";
          return false;
        }
        return true;
      case XmlScanner::Token::kError:
        if (error) *error = std::string(scanner.error());
        return false;
    }
  }
}

}  // namespace sluice::bench
