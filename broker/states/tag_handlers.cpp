// TagResource, UntagResource and ListTagsForResource, for state machines and activities (AWS does
// not tag versions, aliases or executions: ResourceNotFound).
#include "broker/states/catalog/catalog.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"

namespace sluice::states {

namespace {

void tag_resource(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("resourceArn", {true, 1, 256});
  auto tags = read_tags(f, "tags", true);
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto current = catalog.tags_of(*arn);
  if (!current) return reply(std::move(current).error());
  TagList merged = **current;
  merge_tags(merged, *tags);
  if (merged.size() > kMaxTags) return reply(too_many_tags(*arn));
  catalog.store_tags(*arn, std::move(merged), [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void untag_resource(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("resourceArn", {true, 1, 256});
  const json::Array* keys = f.array("tagKeys", true);
  std::vector<std::string> names;
  if (keys) {
    for (const json::Value& k : *keys) {
      if (!k.is_string()) {
        f.type_error("tagKeys", "a list of strings");
        break;
      }
      names.push_back(k.as_string());
    }
  }
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto current = catalog.tags_of(*arn);
  if (!current) return reply(std::move(current).error());
  TagList kept = **current;
  remove_tags(kept, names);
  catalog.store_tags(*arn, std::move(kept), [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void list_tags_for_resource(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("resourceArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  auto current = ctx.services.catalog->tags_of(*arn);
  if (!current) return reply(std::move(current).error());
  reply(render_object([&](protocol::JsonWriter& w) { tags_member(w, "tags", **current); }));
}

}  // namespace

void register_tag_actions(ActionTable& actions) {
  actions.add("TagResource", tag_resource);
  actions.add("UntagResource", untag_resource);
  actions.add("ListTagsForResource", list_tags_for_resource);
}

}  // namespace sluice::states
