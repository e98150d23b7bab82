// EventPattern: an Amazon EventBridge event pattern (the JSON rule language of EventBridge rules,
// Pipes FilterCriteria and Lambda event filtering), compiled once and then matched against many
// events. The reference is AWS's own matcher, aws/event-ruler (JsonRuleCompiler and
// ACFinder): its semantics and its refusal messages are reproduced here.
//
// Pattern language (both dialects):
//   {"a": [v1, v2]}        a leaf is a non-empty array of alternatives (OR); fields are ANDed;
//   {"a": {"b": [..]}}     nested objects name nested event fields;
//   "s", 5, true, null     exact match. Strings match character for character (a string that is an
//                          IP address literal also matches other spellings of the same address);
//                          numbers match numerically (5 matches 5.0 and 5e0); null matches only
//                          null and "" only the empty string;
//   {"prefix": "s"}, {"prefix": {"equals-ignore-case": "s"}}, {"suffix": "s"},
//   {"suffix": {"equals-ignore-case": "s"}}, {"equals-ignore-case": "s"}   string values only;
//   {"anything-but": "s" | 5 | ["s", ..] | [5, ..]}   any value (string, number, boolean, null)
//                          except the listed ones; a list holds only strings or only numbers;
//   {"numeric": ["=", 5]}, {"numeric": ["<", 5]}, (also <=, >, >=) and a range
//                          {"numeric": [">" | ">=", lo, "<" | "<=", hi]}: number values only;
//   {"exists": true}       the field is present with a leaf value (a string, number, boolean or
//                          null, or an array holding one); {"exists": false}: it is not (a field
//                          whose value is an object, {} or [] does not "exist": only leaves do);
//   {"cidr": "10.0.0.0/24"} string values that are IPv4/IPv6 addresses inside the block;
//   {"$or": [{..}, {..}, ..]} at least two objects, any of which may match (at any level).
// Only in the kEventBus dialect (the Pipes documentation's operator table marks them unsupported
// for pipes, so kPipes refuses them): {"anything-but": {"prefix" | "suffix" |
// "equals-ignore-case" | "wildcard": "s" | ["s", ..]}}, {"wildcard": "a*b"} and event-ruler's
// {"exactly": "s"}.
//
// Matching (event-ruler's, "array-consistent"): when an event value on the way to a field is an
// array, each element is tried; all fields of one match must come from the same element of any
// array they share, so {"a": {"b": ["x"], "c": ["y"]}} does not match
// {"a": [{"b": "x"}, {"c": "y"}]}. A leaf array matches when any element does. Like event-ruler,
// fields are considered in the sorted order of their dotted paths, and {"exists": false} asks
// whether the field occurs anywhere consistent with the array elements chosen by the fields
// sorted before it.
//
// Numbers: numeric comparisons (numeric, anything-but with numbers) follow EventBridge's
// documented limits, values in [-5.0e9, 5.0e9] with at most six digits after the decimal point.
// A pattern outside them is refused; an event value outside them never satisfies a numeric
// comparison (anything-but with numbers treats it as "not in the list"). Exact number matches
// have no such limit (event-ruler also matches the literal, e.g. a 12-digit account id).
//
// Not reproduced: event-ruler treats a dot in a key like nesting ({"a.b": [1]} would also match
// {"a": {"b": 1}}), which it documents as not to be relied upon; here keys are matched
// structurally. equals-ignore-case folds ASCII letters only. kEventBus does not run
// event-ruler's wildcard complexity evaluator (only its "Consecutive wildcard characters" and
// escape checks).
//
// Errors: compile() refuses an invalid pattern with ErrorCode::kInvalidParameterValue and the
// reason event-ruler gives, e.g. "Filter is not an object", "\"a\" must be an object or an array",
// "Unrecognized match type foo". EventBridge's rule APIs put that reason after "Event pattern is
// not valid. Reason: " (without event-ruler's " at [Source: ...; line: 1, column: N]" suffix, which
// is not reproduced); the API layer chooses the wrapping. Sluice adds two guards of its own: text
// over 4096 characters (the Pipes model's limit on Filter.Pattern; the API layer should normally
// have refused it first with AWS's constraint message) and more than kMaxBranches $or
// combinations ("Rule is too complex - ...").
//
// For the caller (Pipes with an SQS source): match the record Pipes would deliver ({"messageId",
// "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody"}; the fields Pipes adds
// while polling, eventSource, eventSourceARN, awsRegion and the like, cannot be filtered on, so
// leave them out) with "body" replaced by its parsed value when the body is JSON. AWS then drops
// a message whose body format disagrees with the pattern: a plain-string body when the pattern
// names fields inside "body", a JSON body when the pattern treats "body" as a plain value.
// field_use("body") tells the caller which case applies; with kUnused, no check is made.
//
// A compiled EventPattern is immutable; copies share the compiled form, and it may be used by any
// number of threads at once. Matching does not allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::engine::pipes {

enum class PatternDialect : uint8_t {
  kPipes,     // Pipes FilterCriteria (and Lambda event filtering): the operators pipes support
  kEventBus,  // EventBridge rules: every operator event-ruler knows
};

// How a pattern uses one top-level event field.
enum class FieldUse : uint8_t {
  kUnused = 0,
  kValue = 1,   // "body": [...]: matched as a leaf value
  kObject = 2,  // "body": {...}: fields inside it are matched
  kBoth = 3,    // both, in different $or branches
};

class EventPattern {
 public:
  // Sluice's cap on the number of combinations $or expands into (event-ruler expands every $or
  // into separate sub-rules; nested $or multiply).
  static constexpr std::size_t kMaxBranches = 1000;
  static constexpr std::size_t kMaxPatternLength = 4096;

  // Compiles one pattern (JSON text). On error returns Error{kInvalidParameterValue, reason}.
  static Result<EventPattern> compile(std::string_view pattern_json,
                                      PatternDialect dialect = PatternDialect::kPipes);

  // True when `event` matches.
  bool matches(const json::Value& event) const;

  FieldUse field_use(std::string_view top_level_field) const;

  struct Compiled;  // internal to event_pattern.cpp

 private:
  explicit EventPattern(std::shared_ptr<const Compiled> compiled)
      : compiled_(std::move(compiled)) {}

  std::shared_ptr<const Compiled> compiled_;
};

// FilterCriteria semantics: an event passes when any pattern matches; with no patterns, every
// event passes.
bool matches_any(const std::vector<EventPattern>& patterns, const json::Value& event);

}  // namespace sluice::engine::pipes
