// json::Value: the in-memory form of state data (execution input, state input/output, results,
// the context object). Integers stay exact as int64 and are kept apart from doubles, because AWS
// hands integer-looking numbers back unchanged (1 stays 1, 1.0 stays 1.0). Objects keep insertion
// order, as AWS output does. A Value is a plain value type: it is owned by whoever holds it and is
// touched by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::engine::json {

enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

// "null", "boolean", "integer", "number", "string", "array", "object": used in error messages.
std::string_view type_name(Type t);

class Value;
using Array = std::vector<Value>;

// An object whose members keep the order in which they were first set. Lookup is a linear scan:
// state-data objects are small, and order matters more than asymptotics here.
class Object {
 public:
  using Member = std::pair<std::string, Value>;
  using iterator = std::vector<Member>::iterator;
  using const_iterator = std::vector<Member>::const_iterator;

  Object() = default;
  Object(std::initializer_list<Member> members);

  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Replaces the value in place when the key exists (its position is kept), else appends.
  Value& set(std::string key, Value value);
  // Appends without looking for the key: the caller knows it is not there (a parser that
  // tracks the keys of a large object itself; set() would make building it quadratic).
  Value& append_new(std::string key, Value value);
  const Member& member(std::size_t i) const;
  bool erase(std::string_view key);

  std::size_t size() const;
  bool empty() const;
  void reserve(std::size_t n);
  iterator begin();
  iterator end();
  const_iterator begin() const;
  const_iterator end() const;

  // Order-insensitive: two objects are equal when they have the same keys with equal values.
  friend bool operator==(const Object& a, const Object& b);

 private:
  std::vector<Member> members_;
};

class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<int64_t>(i)) {}
  Value(int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_double() const { return type() == Type::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Accessors require the matching type (checked by assert in debug builds).
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  // Any number as a double (an int64 converts).
  double as_number() const;
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // True when the number has no fractional part and fits int64 (1 and 1.0 both qualify).
  bool is_integral() const;

  // Deep equality. Numbers compare by value across int/double (1 == 1.0); objects ignore order.
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_{nullptr};
};

// Object's inline members that touch its vector of (key, Value) pairs, here where Value is complete
// (clang instantiates them at their definition, and std::pair needs a complete Value).
inline const Object::Member& Object::member(std::size_t i) const {
  return members_[i];
}
inline std::size_t Object::size() const {
  return members_.size();
}
inline bool Object::empty() const {
  return members_.empty();
}
inline void Object::reserve(std::size_t n) {
  members_.reserve(n);
}
inline Object::iterator Object::begin() {
  return members_.begin();
}
inline Object::iterator Object::end() {
  return members_.end();
}
inline Object::const_iterator Object::begin() const {
  return members_.begin();
}
inline Object::const_iterator Object::end() const {
  return members_.end();
}

// Whether a and b would serialize to the same text: the same types (an int is not a double), the
// same values, object members in the same order. Stricter than ==, and cheaper than serializing
// both.
bool identical(const Value& a, const Value& b);

}  // namespace sluice::engine::json
