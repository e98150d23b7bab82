// Template text -> json::Value. A CloudFormation or SAM template is JSON or YAML; YAML is read by
// yaml-cpp (Debian's libyaml-cpp), and CloudFormation's short-form tags become their long forms:
//   !Ref X          -> {"Ref": "X"}
//   !GetAtt A.B     -> {"Fn::GetAtt": ["A", "B"]}   (split at the first '.'; a list stays a list)
//   !Condition C    -> {"Condition": "C"}
//   !Sub, !Join, !Select, !Split, !If, !Equals, !Not, !And, !Or, !FindInMap, !Base64,
//   !GetAZs, !ImportValue, !Cidr, !ToJsonString, !Length -> {"Fn::<Name>": value}
// An unknown '!' tag is an error naming it (a template that uses one would not deploy either).
// Plain (unquoted) scalars follow YAML 1.2's core schema: null, true/false, integers and decimals;
// quoted scalars are always strings. JSON text (a document starting with '{') is read by the
// server's JSON parser. Errors carry "FILE:LINE:COLUMN: what" when the position is known.
// Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::templates {

namespace json = engine::json;

// `file` names the source in error messages only.
Result<json::Value> read_template_text(std::string_view text, const std::string& file);

// Reads the whole file and then read_template_text().
Result<json::Value> read_template_file(const std::string& path);

}  // namespace sluice::templates
