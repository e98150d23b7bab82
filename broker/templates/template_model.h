// Template: one CloudFormation/SAM template as read from its file, split into the sections the
// loader uses (Parameters, Mappings, Conditions, Resources), with the order its resources must be
// created in: a resource comes after every resource it names through Ref, Fn::GetAtt, Fn::Sub
// or DependsOn (Kahn's algorithm; among resources that are ready, file order). A cycle is an
// error naming the resources in it. Pure data and functions; any thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::templates {

namespace json = engine::json;

struct TemplateResource {
  std::string logical_id;
  std::string type;
  json::Value properties = json::Object{};  // as written (intrinsics unresolved)
  std::optional<std::string> condition;
  std::vector<std::string> depends_on;
};

struct Template {
  std::string file;        // as given on the command line (error messages)
  std::string directory;   // for relative paths in the template (DefinitionUri)
  std::string stack_name;  // AWS::StackName: the file's name without directory and extension
  json::Object parameters, mappings, conditions;
  std::vector<TemplateResource> resources;  // in file order
};

// Splits a template document. Errors name the file and the section or resource.
Result<Template> parse_template(json::Value document, const std::string& file);

// The logical ids `value` refers to through Ref, Fn::GetAtt and Fn::Sub (names that are not
// resources, such as parameters, are included; the caller filters).
void collect_references(const json::Value& value, std::set<std::string>& out);

// Indexes into t.resources, dependencies first.
Result<std::vector<size_t>> creation_order(const Template& t);

}  // namespace sluice::templates
