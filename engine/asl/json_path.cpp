// See json_path.h. A recursive-descent parser over the path text; evaluation walks the segments
// breadth-first, keeping pointers into the document so that nothing is copied until the caller
// asks for a Value.
#include "engine/asl/json_path.h"

#include <charconv>
#include <regex>

namespace sluice::engine::asl {

using json::Array;
using json::Object;
using json::Value;

// ----- filters -----------------------------------------------------------------------------

struct FilterOperand {
  enum class Kind : uint8_t { kLiteral, kCurrent, kRoot, kRegex };
  Kind kind = Kind::kLiteral;
  Value literal;
  JsonPath path;  // kCurrent: relative to @ (parsed with '@' read as '$'); kRoot: from $
  std::shared_ptr<const std::regex> regex;
};

struct FilterNode {
  enum class Op : uint8_t { kOr, kAnd, kNot, kExists, kEq, kNe, kLt, kLe, kGt, kGe, kMatch };
  Op op = Op::kExists;
  std::unique_ptr<FilterNode> left, right;  // kOr/kAnd use both, kNot uses left
  FilterOperand a, b;
};

struct PathFilter {
  std::unique_ptr<FilterNode> root;
};

namespace {

// Whether std::regex can take `pattern` safely. Its compiler reads the number of a back
// reference (\N) or a repetition ({m,n}) into a long without a bound (signed overflow: undefined
// behaviour, found by the asl_expression fuzzer), and it unrolls a repetition into that many
// states (a{100000000} would take gigabytes). Neither is a pattern anyone writes: refuse back
// references over 3 digits and counts over 4.
bool regex_within_limits(std::string_view pattern) {
  auto digits_at = [&](std::size_t i) {
    std::size_t n = 0;
    while (i + n < pattern.size() && pattern[i + n] >= '0' && pattern[i + n] <= '9') ++n;
    return n;
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (digits_at(i + 1) > 3) return false;
      ++i;  // the escaped character (an escaped backslash is not the start of another escape)
    } else if (pattern[i] == '{' || pattern[i] == ',') {
      if (digits_at(i + 1) > 4) return false;
    }
  }
  return true;
}

Error bad_path(std::string_view text, std::string_view why) {
  return make_error(ErrorCode::kInvalidDefinition,
                    "Invalid JSONPath '" + std::string(text) + "': " + std::string(why));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::string_view text() const { return s_; }
  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  void skip_ws() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool consume(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // Parses segments until the end of the text (top level) or, inside a filter, until a
  // character that cannot continue a path.
  Status parse_segments(std::vector<PathSegment>& out, bool in_filter) {
    while (!at_end()) {
      char c = peek();
      if (c == '.') {
        ++pos_;
        bool recursive = consume('.');
        PathSegment seg;
        if (peek() == '[') {
          if (!recursive) return fail("'.' followed by '['");
          ++pos_;
          auto st = parse_bracket(seg);
          if (!st) return st;
        } else if (consume('*')) {
          seg.kind = PathSegment::Kind::kWildcard;
        } else {
          std::string name = parse_dot_name(in_filter);
          if (name.empty()) return fail("empty property name");
          seg.names.push_back(std::move(name));
        }
        seg.recursive = recursive;
        out.push_back(std::move(seg));
      } else if (c == '[') {
        ++pos_;
        PathSegment seg;
        auto st = parse_bracket(seg);
        if (!st) return st;
        out.push_back(std::move(seg));
      } else if (in_filter) {
        return {};
      } else {
        return fail(std::string("unexpected character '") + c + "'");
      }
    }
    return {};
  }

  // A variable name after the leading '$': letters, digits, '_' and any non-ASCII character
  // (names are Unicode identifiers), not starting with a digit. Empty when there is none.
  std::string parse_variable_name() {
    std::size_t start = pos_;
    auto ident = [](unsigned char c) {
      return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9');
    };
    if (at_end() || (s_[pos_] >= '0' && s_[pos_] <= '9')) return {};
    while (!at_end() && ident(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  Error fail(std::string_view why) const {
    return bad_path(s_, std::string(why) + " at position " + std::to_string(pos_));
  }

  Result<std::unique_ptr<FilterNode>> parse_or();

 private:
  std::string parse_dot_name(bool in_filter) {
    std::size_t start = pos_;
    while (!at_end()) {
      char c = s_[pos_];
      if (c == '.' || c == '[') break;
      if (in_filter &&
          (is_space(c) || std::string_view(")=!<>&|,~").find(c) != std::string_view::npos))
        break;
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  Result<std::string> parse_quoted() {
    char quote = s_[pos_++];
    std::string out;
    while (!at_end()) {
      char c = s_[pos_++];
      if (c == quote) return out;
      if (c == '\\' && !at_end()) {
        char e = s_[pos_++];
        switch (e) {
          case 'n':
            out.push_back('\n');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'r':
            out.push_back('\r');
            break;
          default:
            out.push_back(e);
        }
        continue;
      }
      out.push_back(c);
    }
    return fail("unterminated string");
  }

  bool parse_int(int64_t& v) {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    while (!at_end() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ == start || (pos_ == start + 1 && s_[start] == '-')) {
      pos_ = start;
      return false;
    }
    auto res = std::from_chars(s_.data() + start, s_.data() + pos_, v);
    return res.ec == std::errc();
  }

  Status parse_bracket(PathSegment& seg) {
    skip_ws();
    if (consume('*')) {
      seg.kind = PathSegment::Kind::kWildcard;
    } else if (consume('?')) {
      skip_ws();
      if (!consume('(')) return fail("expected '(' after '?'");
      auto node = parse_or();
      if (!node.ok()) return std::move(node).error();
      skip_ws();
      if (!consume(')')) return fail("expected ')' to close the filter");
      auto filter = std::make_shared<PathFilter>();
      filter->root = std::move(node).value();
      seg.kind = PathSegment::Kind::kFilter;
      seg.filter = std::move(filter);
    } else if (peek() == '\'' || peek() == '"') {
      seg.kind = PathSegment::Kind::kNames;
      while (true) {
        skip_ws();
        if (peek() != '\'' && peek() != '"') return fail("expected a quoted name");
        auto name = parse_quoted();
        if (!name.ok()) return std::move(name).error();
        seg.names.push_back(std::move(name).value());
        skip_ws();
        if (!consume(',')) break;
      }
    } else {
      int64_t first = 0;
      bool has_first = parse_int(first);
      skip_ws();
      if (peek() == ':') {
        seg.kind = PathSegment::Kind::kSlice;
        if (has_first) seg.slice_start = first;
        ++pos_;
        skip_ws();
        int64_t v = 0;
        if (parse_int(v)) seg.slice_end = v;
        skip_ws();
        if (consume(':')) {
          skip_ws();
          if (parse_int(v)) {
            if (v <= 0) return fail("slice step must be positive");
            seg.slice_step = v;
          }
        }
      } else {
        if (!has_first) return fail("expected an index, a quoted name, '*' or a filter");
        seg.kind = PathSegment::Kind::kIndexes;
        seg.indexes.push_back(first);
        while (consume(',')) {
          skip_ws();
          int64_t v = 0;
          if (!parse_int(v)) return fail("expected an index");
          seg.indexes.push_back(v);
          skip_ws();
        }
      }
    }
    skip_ws();
    if (!consume(']')) return fail("expected ']'");
    return {};
  }

  Result<std::unique_ptr<FilterNode>> parse_and();
  Result<std::unique_ptr<FilterNode>> parse_unary();
  Result<FilterOperand> parse_operand();

  std::string_view s_;
  std::size_t pos_ = 0;
};

Result<FilterOperand> Parser::parse_operand() {
  skip_ws();
  FilterOperand op;
  char c = peek();
  if (c == '@' || c == '$') {
    ++pos_;
    op.kind = c == '@' ? FilterOperand::Kind::kCurrent : FilterOperand::Kind::kRoot;
    std::size_t start = pos_;
    std::vector<PathSegment> segs;
    auto st = parse_segments(segs, true);
    if (!st) return std::move(st).error();
    std::string sub_text(1, '$');
    sub_text.append(s_.substr(start, pos_ - start));
    auto sub = JsonPath::parse(sub_text);
    if (!sub.ok()) return std::move(sub).error();
    op.path = std::move(sub).value();
    return op;
  }
  if (c == '\'' || c == '"') {
    auto s = parse_quoted();
    if (!s.ok()) return std::move(s).error();
    op.literal = Value(std::move(s).value());
    return op;
  }
  if (c == '/') {
    ++pos_;
    std::string pattern;
    while (!at_end() && peek() != '/') {
      if (peek() == '\\' && peek(1) == '/') ++pos_;
      pattern.push_back(s_[pos_++]);
    }
    if (!consume('/')) return fail("unterminated regular expression");
    if (!regex_within_limits(pattern)) return fail("invalid regular expression");
    auto flags = std::regex::ECMAScript;
    while (peek() == 'i' || peek() == 'm' || peek() == 's') {
      if (peek() == 'i') flags |= std::regex::icase;
      ++pos_;
    }
    try {
      op.regex = std::make_shared<const std::regex>(pattern, flags);
    } catch (const std::regex_error&) {
      return fail("invalid regular expression");
    }
    op.kind = FilterOperand::Kind::kRegex;
    return op;
  }
  if (consume("true")) {
    op.literal = Value(true);
    return op;
  }
  if (consume("false")) {
    op.literal = Value(false);
    return op;
  }
  if (consume("null")) return op;
  // A number: integer stays exact.
  std::size_t start = pos_;
  if (peek() == '-') ++pos_;
  bool is_double = false;
  while (!at_end()) {
    char d = peek();
    if (d >= '0' && d <= '9') {
      ++pos_;
    } else if (d == '.' || d == 'e' || d == 'E' || ((d == '+' || d == '-') && is_double)) {
      is_double = true;
      ++pos_;
    } else {
      break;
    }
  }
  std::string_view num = s_.substr(start, pos_ - start);
  if (num.empty() || num == "-") return fail("expected a value in the filter");
  if (!is_double) {
    int64_t v = 0;
    if (std::from_chars(num.data(), num.data() + num.size(), v).ec == std::errc()) {
      op.literal = Value(v);
      return op;
    }
  }
  try {
    op.literal = Value(std::stod(std::string(num)));
  } catch (...) {
    return fail("invalid number");
  }
  return op;
}

Result<std::unique_ptr<FilterNode>> Parser::parse_unary() {
  skip_ws();
  if (peek() == '!' && peek(1) != '=') {
    ++pos_;
    auto inner = parse_unary();
    if (!inner.ok()) return inner;
    auto node = std::make_unique<FilterNode>();
    node->op = FilterNode::Op::kNot;
    node->left = std::move(inner).value();
    return node;
  }
  if (consume('(')) {
    auto inner = parse_or();
    if (!inner.ok()) return inner;
    skip_ws();
    if (!consume(')')) return fail("expected ')'");
    return inner;
  }
  auto a = parse_operand();
  if (!a.ok()) return std::move(a).error();
  auto node = std::make_unique<FilterNode>();
  node->a = std::move(a).value();
  skip_ws();
  using Op = FilterNode::Op;
  struct OpText {
    std::string_view text;
    Op op;
  };
  static constexpr OpText kOps[] = {{"==", Op::kEq}, {"!=", Op::kNe},    {"<=", Op::kLe},
                                    {">=", Op::kGe}, {"=~", Op::kMatch}, {"<", Op::kLt},
                                    {">", Op::kGt}};
  bool found = false;
  for (const auto& o : kOps) {
    if (consume(o.text)) {
      node->op = o.op;
      found = true;
      break;
    }
  }
  if (!found) {
    if (node->a.kind != FilterOperand::Kind::kCurrent && node->a.kind != FilterOperand::Kind::kRoot)
      return fail("a filter term must be a path or a comparison");
    node->op = Op::kExists;
    return node;
  }
  auto b = parse_operand();
  if (!b.ok()) return std::move(b).error();
  node->b = std::move(b).value();
  if ((node->op == Op::kMatch) != (node->b.kind == FilterOperand::Kind::kRegex))
    return fail("'=~' needs a /regex/ on its right, and a regex needs '=~'");
  if (node->a.kind == FilterOperand::Kind::kRegex) return fail("a regex must be on the right");
  return node;
}

Result<std::unique_ptr<FilterNode>> Parser::parse_and() {
  auto left = parse_unary();
  if (!left.ok()) return left;
  std::unique_ptr<FilterNode> node = std::move(left).value();
  while (true) {
    skip_ws();
    if (!consume("&&")) return node;
    auto right = parse_unary();
    if (!right.ok()) return right;
    auto parent = std::make_unique<FilterNode>();
    parent->op = FilterNode::Op::kAnd;
    parent->left = std::move(node);
    parent->right = std::move(right).value();
    node = std::move(parent);
  }
}

Result<std::unique_ptr<FilterNode>> Parser::parse_or() {
  auto left = parse_and();
  if (!left.ok()) return left;
  std::unique_ptr<FilterNode> node = std::move(left).value();
  while (true) {
    skip_ws();
    if (!consume("||")) return node;
    auto right = parse_and();
    if (!right.ok()) return right;
    auto parent = std::make_unique<FilterNode>();
    parent->op = FilterNode::Op::kOr;
    parent->left = std::move(node);
    parent->right = std::move(right).value();
    node = std::move(parent);
  }
}

// ----- evaluation ------------------------------------------------------------------------

// A filter operand's value: a pointer into the document or the filter, or an owned array when
// the operand path is indefinite.
struct Resolved {
  const Value* ptr = nullptr;
  std::optional<Value> owned;
  const Value* get() const { return owned ? &*owned : ptr; }
};

Resolved resolve(const FilterOperand& op, const Value& current, const Value& root) {
  Resolved r;
  switch (op.kind) {
    case FilterOperand::Kind::kLiteral:
      r.ptr = &op.literal;
      break;
    case FilterOperand::Kind::kCurrent:
    case FilterOperand::Kind::kRoot: {
      const Value& base = op.kind == FilterOperand::Kind::kCurrent ? current : root;
      if (op.path.is_definite()) {
        r.ptr = op.path.find(base);
      } else {
        r.owned = op.path.select(base);
      }
      break;
    }
    case FilterOperand::Kind::kRegex:
      break;
  }
  return r;
}

bool compare(FilterNode::Op op, const Value* a, const Value* b) {
  using Op = FilterNode::Op;
  if (op == Op::kEq) return a && b && *a == *b;
  if (op == Op::kNe) return !(a && b && *a == *b);
  if (!a || !b) return false;
  int cmp = 0;
  if (a->is_number() && b->is_number()) {
    if (a->is_int() && b->is_int()) {
      cmp = a->as_int() < b->as_int() ? -1 : (a->as_int() > b->as_int() ? 1 : 0);
    } else {
      double x = a->as_number(), y = b->as_number();
      cmp = x < y ? -1 : (x > y ? 1 : 0);
    }
  } else if (a->is_string() && b->is_string()) {
    cmp = a->as_string().compare(b->as_string());
  } else {
    return false;
  }
  switch (op) {
    case Op::kLt:
      return cmp < 0;
    case Op::kLe:
      return cmp <= 0;
    case Op::kGt:
      return cmp > 0;
    case Op::kGe:
      return cmp >= 0;
    default:
      return false;
  }
}

bool matches(const FilterNode& n, const Value& current, const Value& root) {
  using Op = FilterNode::Op;
  switch (n.op) {
    case Op::kOr:
      return matches(*n.left, current, root) || matches(*n.right, current, root);
    case Op::kAnd:
      return matches(*n.left, current, root) && matches(*n.right, current, root);
    case Op::kNot:
      return !matches(*n.left, current, root);
    case Op::kExists: {
      Resolved a = resolve(n.a, current, root);
      const Value* v = a.get();
      if (!v) return false;
      // An indefinite path "exists" when it selects something.
      return n.a.path.is_definite() || !v->as_array().empty();
    }
    case Op::kMatch: {
      Resolved a = resolve(n.a, current, root);
      const Value* v = a.get();
      return v && v->is_string() && std::regex_match(v->as_string(), *n.b.regex);
    }
    default: {
      Resolved a = resolve(n.a, current, root);
      Resolved b = resolve(n.b, current, root);
      return compare(n.op, a.get(), b.get());
    }
  }
}

// Normalises a possibly negative index against a size; -1 when out of range.
int64_t normalise(int64_t index, std::size_t size) {
  int64_t n = static_cast<int64_t>(size);
  if (index < 0) index += n;
  return index >= 0 && index < n ? index : -1;
}

void apply(const PathSegment& seg, const Value& node, const Value& root,
           std::vector<const Value*>& out) {
  switch (seg.kind) {
    case PathSegment::Kind::kNames:
      if (node.is_object()) {
        for (const auto& name : seg.names) {
          if (const Value* v = node.as_object().find(name)) out.push_back(v);
        }
      }
      break;
    case PathSegment::Kind::kIndexes:
      if (node.is_array()) {
        const Array& a = node.as_array();
        for (int64_t i : seg.indexes) {
          int64_t k = normalise(i, a.size());
          if (k >= 0) out.push_back(&a[static_cast<std::size_t>(k)]);
        }
      }
      break;
    case PathSegment::Kind::kWildcard:
      if (node.is_array()) {
        for (const Value& v : node.as_array()) out.push_back(&v);
      } else if (node.is_object()) {
        for (const auto& m : node.as_object()) out.push_back(&m.second);
      }
      break;
    case PathSegment::Kind::kSlice:
      if (node.is_array()) {
        const Array& a = node.as_array();
        int64_t n = static_cast<int64_t>(a.size());
        auto clamp = [n](int64_t i) {
          if (i < 0) i += n;
          return i < 0 ? 0 : (i > n ? n : i);
        };
        int64_t start = seg.slice_start ? clamp(*seg.slice_start) : 0;
        int64_t end = seg.slice_end ? clamp(*seg.slice_end) : n;
        for (int64_t i = start; i < end; i += seg.slice_step)
          out.push_back(&a[static_cast<std::size_t>(i)]);
      }
      break;
    case PathSegment::Kind::kFilter:
      if (node.is_array()) {
        for (const Value& v : node.as_array()) {
          if (matches(*seg.filter->root, v, root)) out.push_back(&v);
        }
      } else if (node.is_object()) {
        if (matches(*seg.filter->root, node, root)) out.push_back(&node);
      }
      break;
  }
}

void apply_recursive(const PathSegment& seg, const Value& node, const Value& root,
                     std::vector<const Value*>& out) {
  apply(seg, node, root, out);
  if (node.is_array()) {
    for (const Value& v : node.as_array()) apply_recursive(seg, v, root, out);
  } else if (node.is_object()) {
    for (const auto& m : node.as_object()) apply_recursive(seg, m.second, root, out);
  }
}

}  // namespace

Result<JsonPath> JsonPath::parse(std::string_view text) {
  JsonPath path;
  path.text_ = std::string(text);
  Parser p(text);
  if (!p.consume('$')) return bad_path(text, "a path must start with '$'");
  path.context_ = p.consume('$');
  if (!path.context_) path.variable_ = p.parse_variable_name();
  auto st = p.parse_segments(path.segments_, false);
  if (!st) return std::move(st).error();
  for (const auto& seg : path.segments_) {
    bool single = (seg.kind == PathSegment::Kind::kNames && seg.names.size() == 1) ||
                  (seg.kind == PathSegment::Kind::kIndexes && seg.indexes.size() == 1);
    if (seg.recursive || !single) path.definite_ = false;
    if (seg.kind == PathSegment::Kind::kIndexes && seg.indexes.front() < 0) path.reference_ = false;
  }
  if (!path.definite_) path.reference_ = false;
  return path;
}

std::string JsonPath::canonical() const {
  std::string out = context_ ? "$$" : "$" + variable_;
  for (const auto& seg : segments_) {
    if (seg.recursive) out += "..";
    out.push_back('[');
    switch (seg.kind) {
      case PathSegment::Kind::kNames:
        for (std::size_t i = 0; i < seg.names.size(); ++i) {
          if (i) out.push_back(',');
          out += "'" + seg.names[i] + "'";
        }
        break;
      case PathSegment::Kind::kIndexes:
        for (std::size_t i = 0; i < seg.indexes.size(); ++i) {
          if (i) out.push_back(',');
          out += std::to_string(seg.indexes[i]);
        }
        break;
      case PathSegment::Kind::kWildcard:
        out.push_back('*');
        break;
      case PathSegment::Kind::kSlice:
        if (seg.slice_start) out += std::to_string(*seg.slice_start);
        out.push_back(':');
        if (seg.slice_end) out += std::to_string(*seg.slice_end);
        if (seg.slice_step != 1) {
          out.push_back(':');
          out += std::to_string(seg.slice_step);
        }
        break;
      case PathSegment::Kind::kFilter:
        out.push_back('?');
        break;
    }
    out.push_back(']');
  }
  return out;
}

const Value* JsonPath::find(const Value& root) const {
  const Value* cur = &root;
  for (const auto& seg : segments_) {
    if (seg.kind == PathSegment::Kind::kNames) {
      if (!cur->is_object()) return nullptr;
      cur = cur->as_object().find(seg.names.front());
    } else if (seg.kind == PathSegment::Kind::kIndexes) {
      if (!cur->is_array()) return nullptr;
      int64_t k = normalise(seg.indexes.front(), cur->as_array().size());
      if (k < 0) return nullptr;
      cur = &cur->as_array()[static_cast<std::size_t>(k)];
    } else {
      return nullptr;  // not a definite path
    }
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

void JsonPath::collect(const Value& root, std::vector<const Value*>& out) const {
  if (definite_) {
    if (const Value* v = find(root)) out.push_back(v);
    return;
  }
  std::vector<const Value*> current{&root}, next;
  for (const auto& seg : segments_) {
    next.clear();
    for (const Value* node : current) {
      if (seg.recursive) {
        apply_recursive(seg, *node, root, next);
      } else {
        apply(seg, *node, root, next);
      }
    }
    current.swap(next);
    if (current.empty()) break;
  }
  out.insert(out.end(), current.begin(), current.end());
}

std::optional<Value> JsonPath::select(const Value& root) const {
  if (definite_) {
    const Value* v = find(root);
    if (!v) return std::nullopt;
    return *v;
  }
  std::vector<const Value*> nodes;
  collect(root, nodes);
  Array out;
  out.reserve(nodes.size());
  for (const Value* v : nodes) out.push_back(*v);
  return Value(std::move(out));
}

Status JsonPath::assign(Value& root, Value value) const {
  if (!reference_) {
    return make_error(ErrorCode::kStatesResultPathMatchFailure,
                      "'" + text_ + "' is not a reference path");
  }
  Value* cur = &root;
  for (const auto& seg : segments_) {
    if (seg.kind == PathSegment::Kind::kNames) {
      if (!cur->is_object()) {
        return make_error(ErrorCode::kStatesResultPathMatchFailure,
                          "cannot set field '" + seg.names.front() + "' of a " +
                              std::string(json::type_name(cur->type())));
      }
      Object& obj = cur->as_object();
      Value* next = obj.find(seg.names.front());
      cur = next ? next : &obj.set(seg.names.front(), Value(Object{}));
    } else {
      int64_t i = seg.indexes.front();
      if (!cur->is_array() || i >= static_cast<int64_t>(cur->as_array().size())) {
        return make_error(ErrorCode::kStatesResultPathMatchFailure,
                          "index " + std::to_string(i) + " is not within an array");
      }
      cur = &cur->as_array()[static_cast<std::size_t>(i)];
    }
  }
  *cur = std::move(value);
  return {};
}

}  // namespace sluice::engine::asl
