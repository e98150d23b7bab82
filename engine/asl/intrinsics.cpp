// See intrinsics.h. The parser reads the call text once; evaluation resolves arguments (paths,
// nested calls) and then applies the function, checking argument types as AWS does.
#include "engine/asl/intrinsics.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::engine::asl {

using json::Array;
using json::Object;
using json::Value;

namespace {

struct FunctionInfo {
  std::string_view name;
  IntrinsicFunction fn;
  int min_args;
  int max_args;  // -1: unbounded
};

constexpr FunctionInfo kFunctions[] = {
    {"States.Format", IntrinsicFunction::kFormat, 1, -1},
    {"States.StringToJson", IntrinsicFunction::kStringToJson, 1, 1},
    {"States.JsonToString", IntrinsicFunction::kJsonToString, 1, 1},
    {"States.Array", IntrinsicFunction::kArray, 0, -1},
    {"States.ArrayPartition", IntrinsicFunction::kArrayPartition, 2, 2},
    {"States.ArrayContains", IntrinsicFunction::kArrayContains, 2, 2},
    {"States.ArrayRange", IntrinsicFunction::kArrayRange, 3, 3},
    {"States.ArrayGetItem", IntrinsicFunction::kArrayGetItem, 2, 2},
    {"States.ArrayLength", IntrinsicFunction::kArrayLength, 1, 1},
    {"States.ArrayUnique", IntrinsicFunction::kArrayUnique, 1, 1},
    {"States.Base64Encode", IntrinsicFunction::kBase64Encode, 1, 1},
    {"States.Base64Decode", IntrinsicFunction::kBase64Decode, 1, 1},
    {"States.Hash", IntrinsicFunction::kHash, 2, 2},
    {"States.JsonMerge", IntrinsicFunction::kJsonMerge, 3, 3},
    {"States.MathRandom", IntrinsicFunction::kMathRandom, 2, 3},
    {"States.MathAdd", IntrinsicFunction::kMathAdd, 2, 2},
    {"States.StringSplit", IntrinsicFunction::kStringSplit, 2, 2},
    {"States.UUID", IntrinsicFunction::kUuid, 0, 0},
};

const FunctionInfo& info(IntrinsicFunction f) {
  return kFunctions[static_cast<std::size_t>(f)];
}

// Limits AWS documents for the functions that have them.
constexpr std::size_t kMaxBase64Input = 10000;
constexpr std::size_t kMaxHashInput = 10000;
constexpr std::size_t kMaxRangeItems = 1000;
constexpr int kMaxNesting = 10;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

Error syntax(std::string_view text, std::string_view why) {
  return make_error(
      ErrorCode::kInvalidDefinition,
      "Invalid intrinsic function call '" + std::string(text) + "': " + std::string(why));
}

Error failure(IntrinsicFunction f, std::string_view why) {
  return make_error(ErrorCode::kStatesIntrinsicFailure,
                    "Invalid arguments in " + std::string(info(f).name) + ": " + std::string(why));
}

// Decodes the intrinsic string escapes \' \{ \} \\ (and, leniently, any other \x as x).
std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
    out.push_back(raw[i]);
  }
  return out;
}

}  // namespace

class IntrinsicParser {
 public:
  explicit IntrinsicParser(std::string_view text) : s_(text) {}

  Result<Intrinsic> parse_call(int depth) {
    if (depth > kMaxNesting) return syntax(s_, "more than 10 nested intrinsic functions");
    skip_ws();
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != '(' && !is_space(s_[pos_])) ++pos_;
    std::string_view name = s_.substr(start, pos_ - start);
    const FunctionInfo* fi = nullptr;
    for (const auto& f : kFunctions) {
      if (f.name == name) fi = &f;
    }
    if (fi == nullptr) return syntax(s_, "unknown function '" + std::string(name) + "'");
    skip_ws();
    if (!consume('(')) return syntax(s_, "expected '(' after " + std::string(name));
    Intrinsic call;
    call.function_ = fi->fn;
    skip_ws();
    if (!consume(')')) {
      while (true) {
        auto arg = parse_arg(depth);
        if (!arg.ok()) return std::move(arg).error();
        call.args_.push_back(std::move(arg).value());
        skip_ws();
        if (consume(',')) continue;
        if (consume(')')) break;
        return syntax(s_, "expected ',' or ')' at position " + std::to_string(pos_));
      }
    }
    int n = static_cast<int>(call.args_.size());
    if (n < fi->min_args || (fi->max_args >= 0 && n > fi->max_args)) {
      std::string expected = fi->min_args == fi->max_args
                                 ? std::to_string(fi->min_args)
                                 : (fi->max_args < 0 ? "at least " + std::to_string(fi->min_args)
                                                     : std::to_string(fi->min_args) + " to " +
                                                           std::to_string(fi->max_args));
      return syntax(
          s_, std::string(name) + " takes " + expected + " argument(s), got " + std::to_string(n));
    }
    call.text_ = std::string(s_.substr(start, pos_ - start));
    return call;
  }

  bool at_end() {
    skip_ws();
    return pos_ >= s_.size();
  }
  std::size_t pos() const { return pos_; }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool consume_word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    std::size_t end = pos_ + w.size();
    if (end < s_.size() && s_[end] != ',' && s_[end] != ')' && !is_space(s_[end])) return false;
    pos_ = end;
    return true;
  }

  Result<IntrinsicArg> parse_arg(int depth) {
    skip_ws();
    IntrinsicArg arg;
    if (pos_ >= s_.size()) return syntax(s_, "unexpected end of text");
    char c = s_[pos_];
    if (c == '\'') {
      ++pos_;
      std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != '\'') {
        if (s_[pos_] == '\\') ++pos_;
        ++pos_;
      }
      if (pos_ >= s_.size()) return syntax(s_, "unterminated string literal");
      arg.raw = std::string(s_.substr(start, pos_ - start));
      arg.literal = Value(unescape(arg.raw));
      ++pos_;
      return arg;
    }
    if (c == '$') {
      std::size_t start = pos_;
      int depth_brackets = 0;
      char quote = 0;
      while (pos_ < s_.size()) {
        char d = s_[pos_];
        if (quote) {
          if (d == '\\') {
            ++pos_;
          } else if (d == quote) {
            quote = 0;
          }
        } else if (d == '\'' || d == '"') {
          if (depth_brackets > 0) quote = d;
        } else if (d == '[' || d == '(') {
          ++depth_brackets;
        } else if (d == ']' || (d == ')' && depth_brackets > 0)) {
          --depth_brackets;
        } else if (depth_brackets == 0 && (d == ',' || d == ')')) {
          break;
        }
        ++pos_;
      }
      std::string_view text = s_.substr(start, pos_ - start);
      while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
      auto path = JsonPath::parse(text);
      if (!path.ok()) return syntax(s_, path.error().message);
      arg.kind = IntrinsicArg::Kind::kPath;
      arg.path = std::move(path).value();
      return arg;
    }
    if (s_.substr(pos_, 7) == "States.") {
      auto call = parse_call(depth + 1);
      if (!call.ok()) return std::move(call).error();
      arg.kind = IntrinsicArg::Kind::kCall;
      arg.call = std::make_shared<const Intrinsic>(std::move(call).value());
      return arg;
    }
    if (consume_word("true")) {
      arg.literal = Value(true);
      return arg;
    }
    if (consume_word("false")) {
      arg.literal = Value(false);
      return arg;
    }
    if (consume_word("null")) return arg;
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ')' && !is_space(s_[pos_])) ++pos_;
    std::string_view num = s_.substr(start, pos_ - start);
    auto parsed = json::parse(num);
    if (num.empty() || !parsed.ok() || !parsed->is_number())
      return syntax(s_, "invalid argument '" + std::string(num) + "'");
    arg.literal = std::move(parsed).value();
    return arg;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string_view intrinsic_name(IntrinsicFunction f) {
  return info(f).name;
}

bool Intrinsic::is_call(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text.substr(0, 7) == "States.";
}

Result<Intrinsic> Intrinsic::parse(std::string_view text) {
  IntrinsicParser p(text);
  auto call = p.parse_call(1);
  if (!call.ok()) return call;
  if (!p.at_end()) return syntax(text, "unexpected text after the call");
  return call;
}

namespace {

// ----- helpers for the functions ---------------------------------------------------------

Result<int64_t> integer_arg(IntrinsicFunction f, const Value& v, std::string_view what) {
  if (!v.is_number() || !v.is_integral())
    return failure(f, std::string(what) + " must be an integer");
  return v.is_int() ? v.as_int() : static_cast<int64_t>(v.as_number());
}

// States.MathAdd and States.MathRandom take any number: the service (Java) rounds a non-integer
// half up, as Math.round does (1.5 -> 2, -1.5 -> -1, -1.51 -> -2), recorded against AWS.
Result<int64_t> rounded_arg(IntrinsicFunction f, const Value& v, std::string_view what) {
  if (!v.is_number()) return failure(f, std::string(what) + " must be a number");
  if (v.is_int()) return v.as_int();
  double rounded = std::floor(v.as_number() + 0.5);
  if (!std::isfinite(rounded) || rounded < -9.2e18 || rounded > 9.2e18)
    return failure(f, std::string(what) + " is out of range");
  return static_cast<int64_t>(rounded);
}

// How States.Format renders a value that is not a string: as the service's Java maps and lists
// print themselves ({Arg1=1, Arg2=[]}, [a, b]), strings inside them unquoted; numbers, booleans
// and null as JSON writes them.
void format_value(const Value& v, std::string& out) {
  if (v.is_string()) {
    out += v.as_string();
  } else if (v.is_array()) {
    out.push_back('[');
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ", ";
      first = false;
      format_value(item, out);
    }
    out.push_back(']');
  } else if (v.is_object()) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, item] : v.as_object()) {
      if (!first) out += ", ";
      first = false;
      out += key;
      out.push_back('=');
      format_value(item, out);
    }
    out.push_back('}');
  } else {
    json::serialize_to(v, out);
  }
}

std::string base64_encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i < in.size()) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;  // data after padding
        v[k] = value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

std::optional<std::string> hex_digest(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = nullptr;
  if (algorithm == "MD5") {
    md = EVP_md5();
  } else if (algorithm == "SHA-1") {
    md = EVP_sha1();
  } else if (algorithm == "SHA-256") {
    md = EVP_sha256();
  } else if (algorithm == "SHA-384") {
    md = EVP_sha384();
  } else if (algorithm == "SHA-512") {
    md = EVP_sha512();
  } else {
    return std::nullopt;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string uuid_v4() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    std::random_device rd;
    for (auto& x : b) x = static_cast<unsigned char>(rd());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

// States.Format: "{}" takes the next argument; \{ \} \\ \' are literal characters.
Result<Value> format(std::string_view raw, const std::vector<Value>& values) {
  std::string out;
  std::size_t next = 1;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      out.push_back(raw[++i]);
    } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '}') {
      if (next >= values.size())
        return failure(IntrinsicFunction::kFormat,
                       "the number of arguments does not match the number of placeholders");
      format_value(values[next++], out);
      ++i;
    } else {
      out.push_back(c);
    }
  }
  if (next != values.size())
    return failure(IntrinsicFunction::kFormat,
                   "the number of arguments does not match the number of placeholders");
  return Value(std::move(out));
}

}  // namespace

void Intrinsic::collect_variables(std::set<std::string>& names) const {
  for (const auto& arg : args_) {
    if (arg.kind == IntrinsicArg::Kind::kPath && arg.path.is_variable())
      names.insert(arg.path.variable());
    if (arg.kind == IntrinsicArg::Kind::kCall) arg.call->collect_variables(names);
  }
}

Result<Value> Intrinsic::evaluate(const Value& input, const EvalScope& scope) const {
  const IntrinsicFunction f = function_;
  std::vector<Value> v;
  v.reserve(args_.size());
  for (const auto& arg : args_) {
    switch (arg.kind) {
      case IntrinsicArg::Kind::kLiteral:
        v.push_back(arg.literal);
        break;
      case IntrinsicArg::Kind::kPath: {
        auto selected = arg.path.select(input, scope);
        if (!selected) {
          return make_error(ErrorCode::kStatesRuntime, "The JsonPath argument '" + arg.path.text() +
                                                           "' of " + std::string(info(f).name) +
                                                           " could not be found in the input");
        }
        v.push_back(std::move(*selected));
        break;
      }
      case IntrinsicArg::Kind::kCall: {
        auto r = arg.call->evaluate(input, scope);
        if (!r.ok()) return r;
        v.push_back(std::move(r).value());
        break;
      }
    }
  }

  switch (f) {
    case IntrinsicFunction::kFormat: {
      if (!v[0].is_string()) return failure(f, "the format template must be a string");
      const auto& first = args_[0];
      bool literal = first.kind == IntrinsicArg::Kind::kLiteral;
      return format(literal ? std::string_view(first.raw) : std::string_view(v[0].as_string()), v);
    }
    case IntrinsicFunction::kStringToJson: {
      if (!v[0].is_string()) return failure(f, "the argument must be a string");
      // A blank string is JSON's absence of a value to the service's parser: null, not an error.
      if (v[0].as_string().find_first_not_of(" \t\n\r") == std::string::npos) return Value();
      auto parsed = json::parse(v[0].as_string());
      if (!parsed.ok()) return failure(f, "the string is not valid JSON");
      return parsed;
    }
    case IntrinsicFunction::kJsonToString:
      return Value(json::serialize(v[0]));
    case IntrinsicFunction::kArray:
      return Value(Array(std::make_move_iterator(v.begin()), std::make_move_iterator(v.end())));
    case IntrinsicFunction::kArrayPartition: {
      if (!v[0].is_array()) return failure(f, "the first argument must be an array");
      auto size = integer_arg(f, v[1], "the chunk size");
      if (!size.ok()) return std::move(size).error();
      if (*size <= 0) return failure(f, "the chunk size must be positive");
      Array out, chunk;
      for (auto& item : v[0].as_array()) {
        chunk.push_back(std::move(item));
        if (static_cast<int64_t>(chunk.size()) == *size) {
          out.emplace_back(std::move(chunk));
          chunk = Array();
        }
      }
      if (!chunk.empty()) out.emplace_back(std::move(chunk));
      return Value(std::move(out));
    }
    case IntrinsicFunction::kArrayContains: {
      if (!v[0].is_array()) return failure(f, "the first argument must be an array");
      for (const auto& item : v[0].as_array()) {
        if (item == v[1]) return Value(true);
      }
      return Value(false);
    }
    case IntrinsicFunction::kArrayRange: {
      auto start = integer_arg(f, v[0], "the start");
      if (!start.ok()) return std::move(start).error();
      auto end = integer_arg(f, v[1], "the end");
      if (!end.ok()) return std::move(end).error();
      auto step = integer_arg(f, v[2], "the step");
      if (!step.ok()) return std::move(step).error();
      if (*step == 0) return failure(f, "the step must not be 0");
      // Count first (in floating point, to stay clear of overflow) so that a huge range fails
      // before anything is built.
      double count = std::floor((static_cast<double>(*end) - static_cast<double>(*start)) /
                                static_cast<double>(*step)) +
                     1;
      if (count > static_cast<double>(kMaxRangeItems))
        return failure(f, "the range has more than 1000 items");
      Array out;
      for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
        out.emplace_back(*start + i * *step);
      return Value(std::move(out));
    }
    case IntrinsicFunction::kArrayGetItem: {
      if (!v[0].is_array()) return failure(f, "the first argument must be an array");
      auto index = integer_arg(f, v[1], "the index");
      if (!index.ok()) return std::move(index).error();
      auto& a = v[0].as_array();
      if (*index < 0 || *index >= static_cast<int64_t>(a.size()))
        return failure(f, "the index is out of range");
      return std::move(a[static_cast<std::size_t>(*index)]);
    }
    case IntrinsicFunction::kArrayLength:
      if (!v[0].is_array()) return failure(f, "the argument must be an array");
      return Value(static_cast<int64_t>(v[0].as_array().size()));
    case IntrinsicFunction::kArrayUnique: {
      if (!v[0].is_array()) return failure(f, "the argument must be an array");
      Array out;
      for (auto& item : v[0].as_array()) {
        bool seen = false;
        for (const auto& kept : out) {
          if (kept == item) {
            seen = true;
            break;
          }
        }
        if (!seen) out.push_back(std::move(item));
      }
      return Value(std::move(out));
    }
    case IntrinsicFunction::kBase64Encode:
      if (!v[0].is_string()) return failure(f, "the argument must be a string");
      if (v[0].as_string().size() > kMaxBase64Input)
        return failure(f, "the input is longer than 10000 characters");
      return Value(base64_encode(v[0].as_string()));
    case IntrinsicFunction::kBase64Decode: {
      if (!v[0].is_string()) return failure(f, "the argument must be a string");
      if (v[0].as_string().size() > kMaxBase64Input)
        return failure(f, "the input is longer than 10000 characters");
      auto decoded = base64_decode(v[0].as_string());
      if (!decoded) return failure(f, "the input is not valid Base64");
      return Value(std::move(*decoded));
    }
    case IntrinsicFunction::kHash: {
      if (!v[1].is_string()) return failure(f, "the algorithm must be a string");
      if (v[0].is_null()) return failure(f, "the data to hash must not be null");
      std::string data = v[0].is_string() ? v[0].as_string() : json::serialize(v[0]);
      if (data.size() > kMaxHashInput)
        return failure(f, "the input is longer than 10000 characters");
      auto digest = hex_digest(v[1].as_string(), data);
      if (!digest)
        return failure(f, "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
      return Value(std::move(*digest));
    }
    case IntrinsicFunction::kJsonMerge: {
      if (!v[0].is_object() || !v[1].is_object())
        return failure(f, "the first two arguments must be objects");
      if (!v[2].is_bool()) return failure(f, "the third argument must be a boolean");
      if (v[2].as_bool()) return failure(f, "only shallow merging (false) is supported");
      Object out = std::move(v[0].as_object());
      for (auto& [key, value] : v[1].as_object()) out.set(key, std::move(value));
      return Value(std::move(out));
    }
    case IntrinsicFunction::kMathRandom: {
      auto start = rounded_arg(f, v[0], "the start");
      if (!start.ok()) return std::move(start).error();
      auto end = rounded_arg(f, v[1], "the end");
      if (!end.ok()) return std::move(end).error();
      if (*start >= *end) return failure(f, "the start must be less than the end");
      // The end is exclusive, as AWS documents.
      std::uniform_int_distribution<int64_t> dist(*start, *end - 1);
      if (v.size() == 3) {
        auto seed = rounded_arg(f, v[2], "the seed");
        if (!seed.ok()) return std::move(seed).error();
        std::mt19937_64 rng(static_cast<uint64_t>(*seed));
        return Value(dist(rng));
      }
      thread_local std::mt19937_64 rng{std::random_device{}()};
      return Value(dist(rng));
    }
    case IntrinsicFunction::kMathAdd: {
      auto a = rounded_arg(f, v[0], "the first argument");
      if (!a.ok()) return std::move(a).error();
      auto b = rounded_arg(f, v[1], "the second argument");
      if (!b.ok()) return std::move(b).error();
      int64_t sum = 0;
      if (__builtin_add_overflow(*a, *b, &sum)) return failure(f, "the sum overflows");
      return Value(sum);
    }
    case IntrinsicFunction::kStringSplit: {
      if (!v[0].is_string() || !v[1].is_string())
        return failure(f, "both arguments must be strings");
      const std::string& s = v[0].as_string();
      const std::string& delims = v[1].as_string();
      Array out;
      std::size_t start = 0;
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || delims.find(s[i]) != std::string::npos) {
          if (i > start) out.emplace_back(s.substr(start, i - start));
          start = i + 1;
        }
      }
      return Value(std::move(out));
    }
    case IntrinsicFunction::kUuid:
      return Value(uuid_v4());
  }
  return failure(f, "unknown function");
}

}  // namespace sluice::engine::asl
