// Function declarations (resource_creator.h).
#include "broker/templates/resource_creator.h"

namespace sluice::templates {

// AWS::Lambda::Function and AWS::Serverless::Function: nothing to create (a --lambda-endpoint
// serves the function); only what Ref (the name) and Fn::GetAtt Arn answer.
void declare_function(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  auto name = string_property(r.properties, "FunctionName");
  if (!name) return done(std::move(name).error());
  std::string function = name->value_or(r.resource->logical_id);
  if (s.warn && s.lambda_endpoints && !s.lambda_endpoints->count(function)) {
    s.warn(r.tmpl->file + ": resource " + r.resource->logical_id + " (" + r.resource->type +
           "): function " + function +
           " has no --lambda-endpoint; tasks that call it fail with "
           "Lambda.ResourceNotFoundException");
  }
  ResourceFacts f;
  f.ref = json::Value(function);
  f.attributes["Arn"] =
      json::Value("arn:" + std::string(kPartition) + ":lambda:" + s.identity.region + ":" +
                  s.identity.account_id + ":function:" + function);
  done(std::move(f));
}

}  // namespace sluice::templates
