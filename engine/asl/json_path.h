// JsonPath: a JSONPath expression as the Amazon States Language (JSONPath query language) uses
// it, parsed once into a compiled form and then evaluated against state data many times.
//
// Syntax (Jayway JsonPath, which AWS uses, minus functions): "$" is the state input, "$$" the
// context object and "$name" the workflow variable `name` (Assign); then any of  .name  ['name']
// ["name"]  [0]  [-1]  [0,2]  ['a','b']  .*  [*] [start:end:step]  ..name  ..*  [?(filter)].
// Filters compare @-relative or $-rooted paths with literals (== != < <= > >= =~ /regex/, && || !,
// parentheses, bare paths as existence tests).
//
// A definite path (names and single indexes only) selects at most one node: a missing node is
// "no result", which AWS turns into States.Runtime. Any other path selects a list: the result is
// always an array of the matches, possibly empty. Reference paths (ResultPath, ItemsPath, Choice
// Variable) are definite paths with non-negative indexes; only they can be assigned through.
//
// A compiled JsonPath is immutable and may be shared by any number of threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/asl/eval_scope.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::asl {

struct PathFilter;  // compiled [?(...)] expression, internal to json_path.cpp

struct PathSegment {
  enum class Kind : uint8_t { kNames, kIndexes, kWildcard, kSlice, kFilter };
  Kind kind = Kind::kNames;
  bool recursive = false;  // reached through ".."
  std::vector<std::string> names;
  std::vector<int64_t> indexes;
  std::optional<int64_t> slice_start, slice_end;
  int64_t slice_step = 1;
  std::shared_ptr<const PathFilter> filter;
};

class JsonPath {
 public:
  // Fails with ErrorCode::kInvalidDefinition; the message says what is wrong (callers add the
  // field and location).
  static Result<JsonPath> parse(std::string_view text);

  const std::string& text() const { return text_; }
  bool is_context() const { return context_; }
  // Rooted at a variable ("$name..."): the name, else empty.
  const std::string& variable() const { return variable_; }
  bool is_variable() const { return !variable_.empty(); }
  bool is_root() const { return segments_.empty(); }  // "$", "$$" or "$name"
  // Exactly "$": selects the input itself.
  bool is_input() const { return segments_.empty() && !context_ && variable_.empty(); }
  bool is_definite() const { return definite_; }
  bool is_reference() const { return reference_; }
  const std::vector<PathSegment>& segments() const { return segments_; }

  // Jayway's normalised form, used in AWS error messages: $['a']['b'][0].
  std::string canonical() const;

  // Definite paths only: the selected node inside root, or nullptr when there is none.
  const json::Value* find(const json::Value& root) const;
  // Every node selected, in document order (definite paths: zero or one).
  void collect(const json::Value& root, std::vector<const json::Value*>& out) const;
  // Definite: a copy of the node, or nullopt. Indefinite: an array of the matches.
  std::optional<json::Value> select(const json::Value& root) const;
  // The document the path starts from: input for "$", the context for "$$", the variable for
  // "$name" (nullptr when no such variable is visible).
  const json::Value* root_of(const json::Value& input, const EvalScope& scope) const {
    if (context_) return &scope.context;
    if (!variable_.empty()) return scope.variable(variable_);
    return &input;
  }
  // select() from the root the path's prefix names; nullopt also for an unknown variable.
  std::optional<json::Value> select(const json::Value& input, const EvalScope& scope) const {
    const json::Value* root = root_of(input, scope);
    if (root == nullptr) return std::nullopt;
    return select(*root);
  }

  // Reference paths only: stores value at the path inside root, creating missing object members
  // on the way. Fails with kStatesResultPathMatchFailure when the way is blocked (a non-object
  // where a member is needed, an index outside an array). "$" replaces root.
  Status assign(json::Value& root, json::Value value) const;

 private:
  std::string text_;
  std::vector<PathSegment> segments_;
  bool context_ = false;
  std::string variable_;
  bool definite_ = true;
  bool reference_ = true;
};

}  // namespace sluice::engine::asl
