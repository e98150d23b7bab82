// RequestFields: reads the members of a Step Functions request body (a JSON object) with the
// model's types and constraints, collecting what is wrong the way AWS reports it: a member of the
// wrong JSON type is a SerializationException; broken constraints (missing required members,
// lengths, ranges, enums) are gathered into one ValidationException, "1 validation error
// detected: Value 'x' at 'name' failed to satisfy constraint: Member must ..." ("N validation
// errors detected: a; b" for several). Sensitive members (definitions, inputs) are never echoed.
// A JSON null counts as an absent member, as the SDKs never send one.
// Lives for one request on the reactor thread.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/states/sfn_error.h"
#include "engine/json/json_value.h"

namespace sluice::states {

struct StringRule {
  bool required = false;
  std::size_t min = 0;
  std::size_t max = std::numeric_limits<std::size_t>::max();
  bool sensitive = false;
};

class RequestFields {
 public:
  explicit RequestFields(const json::Value& body);  // `body` must outlive this
  explicit RequestFields(const json::Object& body) : body_(&body) {}

  std::optional<std::string> string(std::string_view name, StringRule rule = {});
  std::optional<int64_t> integer(std::string_view name, int64_t min, int64_t max,
                                 bool required = false);
  std::optional<bool> boolean(std::string_view name);
  // One of `allowed`; `display` is how AWS lists the set in its message ("[STANDARD, EXPRESS]").
  std::optional<std::string> enumeration(std::string_view name,
                                         const std::vector<std::string_view>& allowed,
                                         std::string_view display, bool required = false);
  const json::Object* object(std::string_view name, bool required = false);
  const json::Array* array(std::string_view name, bool required = false, std::size_t min = 0,
                           std::size_t max = std::numeric_limits<std::size_t>::max());

  // Records a constraint failure found by the caller ("Value '...' at 'x' failed to ...").
  void violation(std::string text) { violations_.push_back(std::move(text)); }
  void type_error(std::string_view name, std::string_view expected);

  bool ok() const { return !serialization_ && violations_.empty(); }
  SfnError error() const;

  // The member itself (null when absent), for callers that read nested shapes.
  const json::Value* find(std::string_view name) const;

 private:
  const json::Object* body_;
  std::optional<std::string> serialization_;
  std::vector<std::string> violations_;
};

// "Value 'v' at 'member' failed to satisfy constraint: Member must <rule>".
std::string constraint_text(std::string_view value, std::string_view member, std::string_view rule,
                            bool sensitive = false);

// The ValidationException for one custom message (no "validation error detected" prefix).
SfnError validation_error(std::string message, std::string_view reason = {});

}  // namespace sluice::states
