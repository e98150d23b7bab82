// What a resource creator gets and gives back. One creator per served resource type
// (queue_creator.cpp, state_machine_creator.cpp, ...): it reads the resource's resolved
// Properties, creates or updates the resource through the same entry points the AWS API uses
// (the SQS handlers, the Step Functions action table, the Pipes handlers), so every rule and
// error message is the API's, and answers with what Ref and Fn::GetAtt return for it.
//
// Names are deterministic (the name property, else the logical id), so loading a template again
// after a restart finds the resources it made and updates them instead of making new ones.
// Thread: the reactor thread; `done` is called once, now or after the change committed.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "broker/pipes/api/pipe_arn.h"
#include "broker/sqs/api/queue_url.h"
#include "broker/templates/intrinsic_resolver.h"
#include "broker/templates/template_model.h"
#include "storage/result.h"

namespace sluice::storage {
class QueueStore;
}
namespace sluice::sqs {
class MessageService;
}
namespace sluice::states {
class StatesEndpoint;
class Catalog;
}  // namespace sluice::states
namespace sluice::pipes {
class PipeCatalog;
}

namespace sluice::templates {

struct TemplateServices {
  storage::QueueStore* queues = nullptr;
  sqs::MessageService* messages = nullptr;
  sqs::ServiceIdentity sqs_identity;
  std::string host;  // HOST:PORT of queue URLs when sqs_identity.public_url is empty
  states::StatesEndpoint* states = nullptr;
  states::Catalog* catalog = nullptr;
  pipes::PipeCatalog* pipes = nullptr;
  pipes::PipesIdentity pipes_identity;
  StackIdentity identity;
  // --lambda-endpoint/--lambda-config: a function the template declares without one is warned of.
  const std::map<std::string, std::string>* lambda_endpoints = nullptr;
  std::function<void(const std::string&)> warn;  // one line, to the log
  std::function<void(const std::string&)> info;
};

struct ResourceRequest {
  const Template* tmpl = nullptr;
  const TemplateResource* resource = nullptr;
  json::Object properties;  // resolved
};

// An Error's `location` names the property that is wrong, when one is.
using CreatorDone = std::function<void(Result<ResourceFacts>)>;
using Creator = std::function<void(TemplateServices&, ResourceRequest, CreatorDone)>;

// The creator for a resource type, or nullptr when Sluice does not serve the type.
const Creator* creator_for(const std::string& type);

// What an unserved resource answers (Ref: its logical id; Arn: a made-up ARN of its service).
ResourceFacts stand_in_facts(const TemplateServices& s, const TemplateResource& r);

void create_queue(TemplateServices& s, ResourceRequest r, CreatorDone done);
void create_queue_policy(TemplateServices& s, ResourceRequest r, CreatorDone done);
void create_state_machine(TemplateServices& s, ResourceRequest r, CreatorDone done);
void create_activity(TemplateServices& s, ResourceRequest r, CreatorDone done);
void create_pipe(TemplateServices& s, ResourceRequest r, CreatorDone done);
void declare_function(TemplateServices& s, ResourceRequest r, CreatorDone done);

// --- helpers the creators share (property_reader.cpp) ---

Error property_error(const std::string& property, std::string what);
// An error naming the first property not in `known`.
Status only_known(const json::Object& props, const std::set<std::string>& known);
// A string property (numbers and booleans are written as their text, as CloudFormation does).
Result<std::optional<std::string>> string_property(const json::Object& props,
                                                   const std::string& name);
// Tags as a list of {Key, Value} (CloudFormation) or a mapping (SAM), in order.
Result<std::vector<std::pair<std::string, std::string>>> tags_property(const json::Object& props,
                                                                       const std::string& name);

}  // namespace sluice::templates
