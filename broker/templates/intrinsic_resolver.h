// IntrinsicResolver: evaluates CloudFormation's intrinsic functions in one template's values:
// Ref, Fn::GetAtt, Fn::Sub (both forms), Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals,
// Fn::Not, Fn::And, Fn::Or, Condition, Fn::FindInMap, Fn::Base64, Fn::ToJsonString, Fn::Length,
// and the pseudo parameters AWS::Region, AWS::AccountId, AWS::Partition, AWS::StackName,
// AWS::StackId, AWS::URLSuffix, AWS::NotificationARNs and AWS::NoValue (which removes the member
// or list element it stands for). Other functions (Fn::GetAZs, Fn::ImportValue, Fn::Cidr) are
// errors: there is no account or stack around to answer them.
//
// Resources are resolved in creation order; each created one is added with add_resource (what its
// Ref and attributes are), so a reference to a resource not added yet means the resource is not
// in the template or its Condition left it out: an error.
//
// Errors carry the path inside the value that failed in Error::location ("RedrivePolicy.
// deadLetterTargetArn"), relative to what resolve() was given. Thread: one at a time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "broker/states/states_services.h"
#include "broker/templates/template_model.h"
#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::templates {

// The region and account of every ARN (--region, --account-id); the partition is always "aws",
// as in every ARN the server hands out.
using StackIdentity = states::StatesIdentity;
inline constexpr std::string_view kPartition = "aws";

// What a created (or stood-in) resource answers to Ref and Fn::GetAtt.
struct ResourceFacts {
  json::Value ref;
  std::map<std::string, json::Value> attributes;
  bool any_attribute = false;  // a resource Sluice does not serve: any attribute is its ref
};

class IntrinsicResolver {
 public:
  // `parameters`: every declared parameter's value (see resolve_parameters).
  IntrinsicResolver(const Template& t, StackIdentity identity,
                    std::map<std::string, json::Value> parameters);

  void add_resource(const std::string& logical_id, ResourceFacts facts);

  // A copy of `value` with every intrinsic function evaluated.
  Result<json::Value> resolve(const json::Value& value);
  // A named condition of the template (evaluated once).
  Result<bool> condition(const std::string& name);

 private:
  Result<json::Value> eval(const json::Value& v, const std::string& path, bool& removed);
  Result<json::Value> ref(const std::string& name, const std::string& path, bool& removed);
  Result<json::Value> get_att(const std::string& id, const std::string& attr,
                              const std::string& path);
  Result<json::Value> sub(const json::Value& arg, const std::string& path);
  Result<json::Value> function(const std::string& name, const json::Value& arg,
                               const std::string& path, bool& removed);
  Result<bool> boolean(const json::Value& v, const std::string& path);

  const Template& template_;
  StackIdentity identity_;
  std::map<std::string, json::Value> parameters_;
  std::map<std::string, ResourceFacts> resources_;
  std::map<std::string, bool> conditions_;
  std::set<std::string> evaluating_;  // conditions being evaluated (cycles)
};

// The value of every parameter the template declares: an override from `given` (KEY=VALUE from
// the command line), else its Default; one with neither is an error, as is a value outside
// AllowedValues or AllowedPattern. List types (CommaDelimitedList, List<...>) become lists.
Result<std::map<std::string, json::Value>> resolve_parameters(
    const Template& t, const std::map<std::string, std::string>& given);

// A scalar as the text Fn::Sub and Fn::Join put in a string; nullopt for lists and objects.
std::optional<std::string> scalar_text(const json::Value& v);

}  // namespace sluice::templates
