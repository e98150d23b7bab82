// AWS::Pipes::Pipe through the Pipes action handlers (CreatePipe, UpdatePipe): CloudFormation's
// properties are the API's members under the same names, so the resolved Properties (without
// Name) are the request body. A pipe named Name, else its logical id, that exists already is
// updated (UpdatePipe takes everything but Source and Tags).
#include "broker/pipes/pipe_handlers.h"
#include "broker/templates/resource_creator.h"

namespace sluice::templates {

namespace {

const std::set<std::string> kPipeProperties = {"Name",
                                               "Description",
                                               "DesiredState",
                                               "Enrichment",
                                               "EnrichmentParameters",
                                               "KmsKeyIdentifier",
                                               "LogConfiguration",
                                               "RoleArn",
                                               "Source",
                                               "SourceParameters",
                                               "Target",
                                               "TargetParameters",
                                               "Tags"};

Error pipes_failure(const std::string& action, const pipes::PipesError& e) {
  std::string property;
  std::string detail;
  for (const auto& f : e.field_list) {
    if (property.empty()) property = f.name;
    detail += "; " + f.name + ": " + f.message;
  }
  return property_error(property, action + " failed: " + e.type + ": " + e.message + detail);
}

}  // namespace

void create_pipe(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  if (auto st = only_known(r.properties, kPipeProperties); !st) return done(std::move(st).error());
  auto name = string_property(r.properties, "Name");
  if (!name) return done(std::move(name).error());
  std::string pipe = name->value_or(r.resource->logical_id);
  json::Object body = r.properties;
  body.erase("Name");
  if (const json::Value* tags = body.find("Tags"); tags && !tags->is_object()) {
    return done(property_error("Tags", "must be a mapping of key to value"));
  }
  std::string arn = pipes::pipe_arn(s.pipes_identity, pipe);
  auto answer = [done, arn, pipe](const char* action) {
    return [done, arn, pipe, action](Result<std::string, pipes::PipesError> out) {
      if (!out) return done(pipes_failure(action, out.error()));
      ResourceFacts f;
      f.ref = json::Value(pipe);
      f.attributes["Arn"] = json::Value(arn);
      f.attributes["Name"] = json::Value(pipe);
      done(std::move(f));
    };
  };
  pipes::PipesRequest req;
  req.name = pipe;
  if (s.pipes->describe(pipe)) {
    body.erase("Source");
    body.erase("Tags");
    req.action = pipes::PipesAction::kUpdatePipe;
    req.body = std::move(body);
    return pipes::update_pipe(*s.pipes, std::move(req), answer("UpdatePipe"));
  }
  req.action = pipes::PipesAction::kCreatePipe;
  req.body = std::move(body);
  pipes::create_pipe(*s.pipes, s.pipes_identity, std::move(req), answer("CreatePipe"));
}

}  // namespace sluice::templates
