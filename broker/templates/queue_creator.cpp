// AWS::SQS::Queue and AWS::SQS::QueuePolicy, through the SQS action handlers (CreateQueue,
// SetQueueAttributes, TagQueue), so names, attribute values and redrive policies are checked
// exactly as the API checks them.
//
// A queue is named by QueueName, else by its logical id (".fifo" added for a FIFO queue), not by
// CloudFormation's STACK-LogicalId-RANDOM: a restart must find the queue it made. A queue that
// exists already gets the template's attributes (SetQueueAttributes) and tags (TagQueue).
#include <algorithm>
#include <memory>

#include "broker/sqs/handlers.h"
#include "broker/templates/resource_creator.h"
#include "engine/json/json_serialize.h"

namespace sluice::templates {

namespace {

// Properties that are queue attributes under the same name.
const std::set<std::string> kAttributeProperties = {"ContentBasedDeduplication",
                                                    "DeduplicationScope",
                                                    "DelaySeconds",
                                                    "FifoQueue",
                                                    "FifoThroughputLimit",
                                                    "KmsDataKeyReusePeriodSeconds",
                                                    "KmsMasterKeyId",
                                                    "MaximumMessageSize",
                                                    "MessageRetentionPeriod",
                                                    "ReceiveMessageWaitTimeSeconds",
                                                    "RedriveAllowPolicy",
                                                    "RedrivePolicy",
                                                    "SqsManagedSseEnabled",
                                                    "VisibilityTimeout"};

sqs::HandlerContext context(TemplateServices& s) {
  return sqs::HandlerContext{*s.queues, *s.messages, s.sqs_identity, s.host, [] { return true; }};
}

// The SQS handler's error, named by the property it most likely concerns.
Error sqs_failure(const std::string& action, const Error& e, const sqs::AttributeList& attrs) {
  std::string property;
  for (const auto& [name, value] : attrs) {
    if (e.message.find(name) != std::string::npos) property = name;
  }
  return property_error(property, action + " failed: " + e.message);
}

ResourceFacts queue_facts(TemplateServices& s, const std::string& name) {
  ResourceFacts f;
  std::string url = sqs::queue_url(s.sqs_identity, s.host, name);
  f.ref = json::Value(url);
  f.attributes["Arn"] = json::Value(sqs::queue_arn(s.sqs_identity, name));
  f.attributes["QueueName"] = json::Value(name);
  f.attributes["QueueUrl"] = json::Value(url);
  return f;
}

// One SetQueueAttributes per queue, in order.
void set_policies(TemplateServices& s, std::shared_ptr<const std::vector<std::string>> urls,
                  std::string policy, size_t i, std::string id, CreatorDone done) {
  if (i == urls->size()) {
    ResourceFacts f;
    f.ref = json::Value(std::move(id));
    return done(std::move(f));
  }
  auto ctx = context(s);
  sqs::handle(ctx, sqs::SetQueueAttributesRequest{(*urls)[i], {{"Policy", policy}}},
              [&s, urls, policy, i, id, done](Result<sqs::AnyResult> res) {
                if (!res) {
                  return done(property_error(
                      "Queues[" + std::to_string(i) + "]",
                      "SetQueueAttributes of " + (*urls)[i] + " failed: " + res.error().message));
                }
                set_policies(s, urls, policy, i + 1, id, done);
              });
}

// What SetQueueAttributes must set on a queue that exists so that it ends up as the template says:
// every attribute the template leaves out goes back to its default (dead-letter policies and the
// KMS key are removed), as CloudFormation does on an update. Policy is the QueuePolicy
// resource's, and FifoQueue cannot change: both are left alone.
sqs::AttributeList reset_attributes(const storage::QueueView& existing,
                                    const sqs::AttributeList& from_template) {
  storage::QueueAttributes defaults;
  defaults.fifo_queue = existing.attributes.fifo_queue;
  sqs::AttributeList out;
  for (auto& [k, v] : defaults.to_pairs()) {
    if (k != "FifoQueue") out.emplace_back(k, v);
  }
  if (existing.attributes.redrive_policy) out.emplace_back("RedrivePolicy", "");
  if (existing.attributes.redrive_allow_policy) out.emplace_back("RedriveAllowPolicy", "");
  if (!existing.attributes.kms_master_key_id.empty()) out.emplace_back("KmsMasterKeyId", "");
  for (const auto& [k, v] : from_template) {
    if (k == "FifoQueue") continue;
    auto same = std::find_if(out.begin(), out.end(), [&k](const auto& a) { return a.first == k; });
    if (same != out.end()) {
      same->second = v;
    } else {
      out.emplace_back(k, v);
    }
  }
  return out;
}

}  // namespace

void create_queue(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  std::set<std::string> known = kAttributeProperties;
  known.insert({"QueueName", "Tags"});
  if (auto st = only_known(r.properties, known); !st) return done(std::move(st).error());
  sqs::AttributeList attrs;
  bool fifo = false;
  for (const auto& [k, v] : r.properties) {
    if (!kAttributeProperties.count(k) || v.is_null()) continue;
    std::string text;
    if ((k == "RedrivePolicy" || k == "RedriveAllowPolicy") && v.is_object()) {
      text = json::serialize(v);
    } else if (auto t = scalar_text(v)) {
      text = *t;
    } else {
      return done(property_error(k, "must be a string, number or boolean"));
    }
    if (k == "FifoQueue") fifo = text == "true";
    attrs.emplace_back(k, std::move(text));
  }
  auto name_prop = string_property(r.properties, "QueueName");
  if (!name_prop) return done(std::move(name_prop).error());
  std::string name = name_prop->value_or(r.resource->logical_id);
  if (!*name_prop && fifo) name += ".fifo";
  auto tags = tags_property(r.properties, "Tags");
  if (!tags) return done(std::move(tags).error());

  auto ctx = context(s);
  auto existing = s.queues->get_queue(name);
  if (!existing) {
    sqs::CreateQueueRequest req{name, attrs, std::move(*tags)};
    return sqs::handle(ctx, std::move(req), [&s, name, attrs, done](Result<sqs::AnyResult> res) {
      if (!res) return done(sqs_failure("CreateQueue", res.error(), attrs));
      done(queue_facts(s, name));
    });
  }
  // It exists: a queue's kind cannot change; everything else is set again.
  if (existing->attributes.fifo_queue != fifo) {
    return done(
        property_error("FifoQueue", "queue " + name + " exists already as a " +
                                        (existing->attributes.fifo_queue ? "FIFO" : "standard") +
                                        " queue; FifoQueue cannot change"));
  }
  sqs::AttributeList settable = reset_attributes(*existing, attrs);
  std::string url = sqs::queue_url(s.sqs_identity, s.host, name);
  // settable is never empty (the defaults are in it), so SetQueueAttributes always runs.
  auto tag_then_done = [&s, name, url, tags = std::move(*tags), done]() {
    if (tags.empty()) return done(queue_facts(s, name));
    auto tag_ctx = context(s);
    sqs::handle(tag_ctx, sqs::TagQueueRequest{url, tags},
                [&s, name, done](Result<sqs::AnyResult> res) {
                  if (!res) {
                    return done(property_error("Tags", "TagQueue failed: " + res.error().message));
                  }
                  done(queue_facts(s, name));
                });
  };
  sqs::handle(ctx, sqs::SetQueueAttributesRequest{url, settable},
              [settable, done, tag_then_done](Result<sqs::AnyResult> res) {
                if (!res) return done(sqs_failure("SetQueueAttributes", res.error(), settable));
                tag_then_done();
              });
}

void create_queue_policy(TemplateServices& s, ResourceRequest r, CreatorDone done) {
  if (auto st = only_known(r.properties, {"PolicyDocument", "Queues"}); !st) {
    return done(std::move(st).error());
  }
  const json::Value* doc = r.properties.find("PolicyDocument");
  if (!doc || !(doc->is_object() || doc->is_string())) {
    return done(property_error("PolicyDocument", "a policy document (object) is required"));
  }
  const json::Value* queues = r.properties.find("Queues");
  if (!queues || !queues->is_array() || queues->as_array().empty()) {
    return done(property_error("Queues", "a list of queue URLs is required"));
  }
  std::string policy = doc->is_string() ? doc->as_string() : json::serialize(*doc);
  auto urls = std::make_shared<std::vector<std::string>>();
  for (const auto& q : queues->as_array()) {
    if (!q.is_string()) return done(property_error("Queues", "a queue URL must be a string"));
    urls->push_back(q.as_string());
  }
  set_policies(s, urls, std::move(policy), 0, r.resource->logical_id, std::move(done));
}

}  // namespace sluice::templates
