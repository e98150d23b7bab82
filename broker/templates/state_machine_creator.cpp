// AWS::StepFunctions::StateMachine, AWS::Serverless::StateMachine and
// AWS::StepFunctions::Activity, through the Step Functions action handlers (CreateStateMachine,
// UpdateStateMachine, CreateActivity), so a definition is checked as CreateStateMachine checks it.
//
// The definition comes from Definition (an object), DefinitionString (CloudFormation) or
// DefinitionUri (SAM: a local JSON or YAML file, relative to the template's directory); then
// every "${key}" of DefinitionSubstitutions is replaced in its text, as AWS does. A machine that
// exists already (the same name) gets the template's definition and role (UpdateStateMachine:
// a new revision only when something changed). Properties Sluice has no use for (SAM's Events and
// Policies, logging, tracing) are accepted and named in a warning.
#include "broker/states/catalog/catalog.h"
#include "broker/states/states_arn.h"
#include "broker/states/states_endpoint.h"
#include "broker/templates/resource_creator.h"
#include "broker/templates/template_reader.h"
#include "engine/json/json_serialize.h"

namespace sluice::templates {

namespace {

struct Dialect {
  bool sam = false;
  const char* name_property;
  const char* type_property;
  const char* role_property;
};

const Dialect kCloudFormation{false, "StateMachineName", "StateMachineType", "RoleArn"};
const Dialect kSam{true, "Name", "Type", "Role"};

const std::set<std::string> kIgnoredCloudFormation = {
    "LoggingConfiguration", "TracingConfiguration", "EncryptionConfiguration"};
const std::set<std::string> kIgnoredSam = {"Events",
                                           "Policies",
                                           "PermissionsBoundary",
                                           "Logging",
                                           "Tracing",
                                           "AutoPublishAlias",
                                           "DeploymentPreference",
                                           "RolePath",
                                           "UseAliasAsEventTarget"};

Error sfn_failure(const std::string& action, const states::SfnError& e) {
  // InvalidDefinition concerns the definition; the rest name their field in the message.
  std::string property = e.type == "InvalidDefinition" ? "Definition" : "";
  return property_error(property, action + " failed: " + e.type + ": " + e.message);
}

// The definition's text, before substitutions.
Result<std::string> definition_text(const ResourceRequest& r, const Dialect& d) {
  const json::Object& p = r.properties;
  if (const json::Value* def = p.find("Definition"); def && !def->is_null()) {
    if (def->is_object()) return json::serialize(*def);
    if (def->is_string()) return def->as_string();
    return property_error("Definition", "must be an object");
  }
  if (!d.sam) {
    if (const json::Value* def = p.find("DefinitionString"); def && !def->is_null()) {
      if (!def->is_string()) return property_error("DefinitionString", "must be a string");
      return def->as_string();
    }
    if (p.contains("DefinitionS3Location")) {
      return property_error("DefinitionS3Location",
                            "S3 is not served; use Definition or DefinitionString");
    }
    return property_error("Definition", "Definition or DefinitionString is required");
  }
  const json::Value* uri = p.find("DefinitionUri");
  if (!uri || uri->is_null())
    return property_error("Definition", "Definition or DefinitionUri is required");
  if (!uri->is_string()) {
    return property_error("DefinitionUri", "must be a local file path (S3 is not served)");
  }
  std::string path = uri->as_string();
  if (path.empty() || path[0] != '/') path = r.tmpl->directory + "/" + path;
  auto doc = read_template_file(path);
  if (!doc) return property_error("DefinitionUri", doc.error().message);
  return json::serialize(*doc);
}

Result<std::string> substitute(std::string text, const json::Object& props) {
  const json::Value* subs = props.find("DefinitionSubstitutions");
  if (!subs || subs->is_null()) return text;
  if (!subs->is_object()) return property_error("DefinitionSubstitutions", "must be a mapping");
  for (const auto& [key, value] : subs->as_object()) {
    auto replacement = scalar_text(value);
    if (!replacement) {
      return property_error("DefinitionSubstitutions." + key, "must be a string or number");
    }
    std::string token = "${" + key + "}";
    for (size_t pos = 0; (pos = text.find(token, pos)) != std::string::npos;) {
      text.replace(pos, token.size(), *replacement);
      pos += replacement->size();
    }
  }
  return text;
}

ResourceFacts named_arn_facts(const std::string& arn, const std::string& name,
                              const char* name_attribute) {
  ResourceFacts f;
  f.ref = json::Value(arn);
  f.attributes["Arn"] = json::Value(arn);
  f.attributes["Name"] = json::Value(name);
  if (name_attribute) f.attributes[name_attribute] = json::Value(name);
  return f;
}

json::Value wire_tags(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::Array out;
  for (const auto& [k, v] : tags) out.push_back(json::Object{{"key", k}, {"value", v}});
  return out;
}

}  // namespace

void create_state_machine(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  const Dialect& d = r.resource->type == "AWS::Serverless::StateMachine" ? kSam : kCloudFormation;
  std::set<std::string> known = {"Definition",    "DefinitionSubstitutions", "Tags",
                                 d.name_property, d.type_property,           d.role_property};
  const std::set<std::string>& ignored = d.sam ? kIgnoredSam : kIgnoredCloudFormation;
  known.insert(ignored.begin(), ignored.end());
  if (d.sam) {
    known.insert("DefinitionUri");
  } else {
    known.insert({"DefinitionString", "DefinitionS3Location"});
  }
  if (auto st = only_known(r.properties, known); !st) return done(std::move(st).error());
  std::string skipped;
  for (const auto& [k, v] : r.properties) {
    if (!ignored.count(k)) continue;
    if (!skipped.empty()) skipped += ", ";
    skipped += k;
  }
  if (!skipped.empty() && s.warn) {
    s.warn(r.tmpl->file + ": resource " + r.resource->logical_id + " (" + r.resource->type +
           "): ignoring " + skipped + " (not used by a local server)");
  }
  auto text = definition_text(r, d);
  if (!text) return done(std::move(text).error());
  auto definition = substitute(std::move(*text), r.properties);
  if (!definition) return done(std::move(definition).error());
  auto name = string_property(r.properties, d.name_property);
  if (!name) return done(std::move(name).error());
  std::string machine = name->value_or(r.resource->logical_id);
  auto type = string_property(r.properties, d.type_property);
  if (!type) return done(std::move(type).error());
  auto role = string_property(r.properties, d.role_property);
  if (!role) return done(std::move(role).error());
  // SAM makes a role when none is given; the API needs one, so a stand-in is named after the id.
  std::string role_arn =
      role->value_or("arn:" + std::string(kPartition) + ":iam::" + s.identity.account_id +
                     ":role/" + r.resource->logical_id + "Role");
  auto tags = tags_property(r.properties, "Tags");
  if (!tags) return done(std::move(tags).error());

  std::string arn = states::state_machine_arn(s.identity, machine);
  auto answer = [done, arn, machine](const char* action) {
    return [done, arn, machine, action](states::SfnOutcome out) {
      if (!out.ok()) return done(sfn_failure(action, out.error()));
      done(named_arn_facts(arn, machine, "StateMachineName"));
    };
  };
  if (states::StateMachineEntry* m = s.catalog->find_machine(machine)) {
    const bool express = type->value_or("STANDARD") == "EXPRESS";
    if (m->express() != express) {
      return done(property_error(d.type_property, "state machine " + machine +
                                                      " exists already as " +
                                                      (m->express() ? "EXPRESS" : "STANDARD") +
                                                      "; its type cannot change"));
    }
    json::Object req{{"stateMachineArn", arn}, {"definition", *definition}, {"roleArn", role_arn}};
    return s.states->invoke("UpdateStateMachine", std::move(req), answer("UpdateStateMachine"));
  }
  json::Object req{{"name", machine}, {"definition", *definition}, {"roleArn", role_arn}};
  if (*type) req.set("type", **type);
  if (!tags->empty()) req.set("tags", wire_tags(*tags));
  s.states->invoke("CreateStateMachine", std::move(req), answer("CreateStateMachine"));
}

void create_activity(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  if (auto st = only_known(r.properties, {"Name", "Tags", "EncryptionConfiguration"}); !st) {
    return done(std::move(st).error());
  }
  auto name = string_property(r.properties, "Name");
  if (!name) return done(std::move(name).error());
  std::string activity = name->value_or(r.resource->logical_id);
  auto tags = tags_property(r.properties, "Tags");
  if (!tags) return done(std::move(tags).error());
  json::Object req{{"name", activity}};
  if (!tags->empty()) req.set("tags", wire_tags(*tags));
  std::string arn = states::activity_arn(s.identity, activity);
  s.states->invoke("CreateActivity", std::move(req), [done, arn, activity](states::SfnOutcome out) {
    if (!out.ok()) return done(sfn_failure("CreateActivity", out.error()));
    done(named_arn_facts(arn, activity, nullptr));
  });
}

}  // namespace sluice::templates
