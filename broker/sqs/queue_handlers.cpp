// Queue administration handlers: thin adapters between typed requests and the QueueStore.
#include <algorithm>
#include <set>

#include "broker/sqs/api/validation.h"
#include "broker/sqs/handlers.h"
#include "broker/sqs/name_paging.h"

namespace sluice::sqs {

Result<std::string> HandlerContext::queue_name_of(std::string_view url) const {
  auto name = queue_name_from_url(url, identity.account_id);
  if (!name) {
    return make_error(ErrorCode::kQueueDoesNotExist, "");
  }
  return std::move(*name);
}

namespace {

// Replies with EmptyResult once the store's Status arrives.
storage::Callback<Status> empty_reply(Reply reply) {
  return [reply = std::move(reply)](Status st) {
    if (!st) return reply(std::move(st).error());
    reply(AnyResult(EmptyResult{}));
  };
}

constexpr std::size_t kMaxTags = 50;  // per queue
constexpr std::size_t kMaxTagKeyLength = 128;
constexpr std::size_t kMaxTagValueLength = 256;

Error invalid_tag_key() {
  return make_error(ErrorCode::kInvalidParameterValue,
                    "Tag keys must be between 1 and 128 characters in length.");
}

// The tags of a CreateQueue or TagQueue, with AWS's texts. More than 50 in one request fails
// here; the store checks the queue's total after the merge (same text).
Status validate_tags(const TagList& tags, std::string_view queue_name) {
  if (tags.size() > kMaxTags) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      "Too many tags added for queue " + std::string(queue_name) + ".");
  }
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > kMaxTagKeyLength) return invalid_tag_key();
    if (v.size() > kMaxTagValueLength) {
      return make_error(ErrorCode::kInvalidParameterValue,
                        "Tag values must be between 0 and 256 characters in length.");
    }
  }
  return {};
}

storage::Tags to_tags(const TagList& list) {
  storage::Tags tags;
  for (const auto& [k, v] : list) tags[k] = v;
  return tags;
}

}  // namespace

void handle(HandlerContext& ctx, CreateQueueRequest&& req, Reply reply) {
  // The name must agree with FifoQueue: "x.fifo" without FifoQueue=true is an invalid standard
  // name, FifoQueue=true without ".fifo" an invalid FIFO name (AWS's two messages).
  const bool fifo = std::any_of(req.attributes.begin(), req.attributes.end(), [](auto& a) {
    return a.first == "FifoQueue" && a.second == "true";
  });
  if (auto st = validate_queue_name(req.queue_name, fifo); !st) {
    return reply(std::move(st).error());
  }
  if (auto st = validate_tags(req.tags, req.queue_name); !st) return reply(std::move(st).error());
  std::string name = req.queue_name;
  ctx.store.create_queue(
      std::move(req.queue_name), req.attributes, to_tags(req.tags),
      [url = ctx.url_of(name), reply = std::move(reply)](Result<storage::QueueView> q) {
        if (!q) return reply(std::move(q).error());
        reply(AnyResult(CreateQueueResult{url}));
      });
}

void handle(HandlerContext& ctx, GetQueueUrlRequest&& req, Reply reply) {
  auto q = ctx.store.get_queue(req.queue_name);
  if (!q) return reply(std::move(q).error());
  reply(AnyResult(GetQueueUrlResult{ctx.url_of(q->name)}));
}

void handle(HandlerContext& ctx, ListQueuesRequest&& req, Reply reply) {
  if (auto st = validate_request(req); !st) return reply(std::move(st).error());
  auto page = page_of_names(ctx.store.list_queues(req.queue_name_prefix.value_or("")),
                            req.next_token, req.max_results);
  if (!page) return reply(std::move(page).error());
  ListQueuesResult result;
  for (const auto& name : page->names) result.queue_urls.push_back(ctx.url_of(name));
  result.next_token = std::move(page->next_token);
  reply(AnyResult(std::move(result)));
}

void handle(HandlerContext& ctx, DeleteQueueRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    ctx.store.delete_queue(name, empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, GetQueueAttributesRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto q = ctx.store.get_queue(name);
    if (!q) return reply(std::move(q).error());
    AttributeList computed = {
        {"QueueArn", queue_arn(ctx.identity, q->name)},
        {"ApproximateNumberOfMessages", std::to_string(q->counts.visible)},
        {"ApproximateNumberOfMessagesNotVisible", std::to_string(q->counts.in_flight)},
        {"ApproximateNumberOfMessagesDelayed", std::to_string(q->counts.delayed)},
        {"CreatedTimestamp", std::to_string(q->created_s)},
        {"LastModifiedTimestamp", std::to_string(q->last_modified_s)},
    };
    AttributeList settable = q->attributes.to_pairs();
    static const std::set<std::string_view> kKnown = {"All",
                                                      "Policy",
                                                      "VisibilityTimeout",
                                                      "MaximumMessageSize",
                                                      "MessageRetentionPeriod",
                                                      "ApproximateNumberOfMessages",
                                                      "ApproximateNumberOfMessagesNotVisible",
                                                      "CreatedTimestamp",
                                                      "LastModifiedTimestamp",
                                                      "QueueArn",
                                                      "ApproximateNumberOfMessagesDelayed",
                                                      "DelaySeconds",
                                                      "ReceiveMessageWaitTimeSeconds",
                                                      "RedrivePolicy",
                                                      "FifoQueue",
                                                      "ContentBasedDeduplication",
                                                      "KmsMasterKeyId",
                                                      "KmsDataKeyReusePeriodSeconds",
                                                      "DeduplicationScope",
                                                      "FifoThroughputLimit",
                                                      "RedriveAllowPolicy",
                                                      "SqsManagedSseEnabled"};
    GetQueueAttributesResult result;
    std::set<std::string_view> wanted;
    bool all = false;
    for (const auto& n : req.attribute_names) {
      if (!kKnown.count(n)) {
        return reply(make_error(ErrorCode::kInvalidAttributeName, "Unknown Attribute " + n + "."));
      }
      if (n == "All") all = true;
      wanted.insert(n);
    }
    for (const AttributeList* list : {&computed, &settable}) {
      for (const auto& [k, v] : *list) {
        if (all || wanted.count(k)) result.attributes.emplace_back(k, v);
      }
    }
    reply(AnyResult(std::move(result)));
  });
}

void handle(HandlerContext& ctx, SetQueueAttributesRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    if (req.attributes.empty()) {
      return reply(make_error(ErrorCode::kMissingParameter,
                              "The request must contain the parameter Attribute.1.Name."));
    }
    ctx.store.set_attributes(name, req.attributes, empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, PurgeQueueRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    ctx.store.purge_queue(name, empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, TagQueueRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    if (req.tags.empty()) {
      return reply(
          make_error(ErrorCode::kMissingParameter, "The request must contain the parameter Tags."));
    }
    if (auto st = validate_tags(req.tags, name); !st) return reply(std::move(st).error());
    ctx.store.tag_queue(name, to_tags(req.tags), empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, UntagQueueRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    // No keys at all reads to AWS as one empty key.
    if (req.tag_keys.empty()) return reply(invalid_tag_key());
    for (const auto& k : req.tag_keys) {
      if (k.empty() || k.size() > kMaxTagKeyLength) return reply(invalid_tag_key());
    }
    ctx.store.untag_queue(name, req.tag_keys, empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, ListQueueTagsRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto q = ctx.store.get_queue(name);
    if (!q) return reply(std::move(q).error());
    ListQueueTagsResult result;
    for (const auto& [k, v] : q->tags) result.tags.emplace_back(k, v);
    reply(AnyResult(std::move(result)));
  });
}

}  // namespace sluice::sqs
