// See json_parse.h.
#include "engine/json/json_parse.h"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_set>

namespace sluice::engine::json {

namespace {

constexpr std::size_t kSmallObject = 16;  // below this a linear duplicate check is cheaper

Value convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Array out;
      simdjson::dom::array a = e.get_array().value_unsafe();
      out.reserve(a.size());
      for (simdjson::dom::element child : a) out.push_back(convert(child));
      return Value(std::move(out));
    }
    case simdjson::dom::element_type::OBJECT: {
      Object out;
      simdjson::dom::object o = e.get_object().value_unsafe();
      std::size_t n = o.size();
      out.reserve(n);
      if (n <= kSmallObject) {
        for (auto field : o) out.set(std::string(field.key), convert(field.value));
        return Value(std::move(out));
      }
      // A duplicate key keeps its first position and takes the last value, as set() does; a
      // hash of the keys seen keeps that linear (a definition's "States" can hold thousands).
      std::unordered_set<std::string_view> seen;
      seen.reserve(n);
      for (auto field : o) {
        if (seen.insert(field.key).second) {
          out.append_new(std::string(field.key), convert(field.value));
        } else {
          out.set(std::string(field.key), convert(field.value));
        }
      }
      return Value(std::move(out));
    }
    case simdjson::dom::element_type::INT64:
      return Value(e.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      // Only values above INT64_MAX land here; Value has no uint64, so they lose exactness.
      return Value(static_cast<double>(e.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return Value(e.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING:
      return Value(std::string(e.get_string().value_unsafe()));
    case simdjson::dom::element_type::BOOL:
      return Value(e.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return Value();
  }
  return Value();
}

}  // namespace

Result<Value> parse(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto error = parser.parse(padded).get(root);
  if (error) {
    return make_error(ErrorCode::kSerialization,
                      std::string("Invalid JSON: ") + simdjson::error_message(error));
  }
  return convert(root);
}

}  // namespace sluice::engine::json
