// CreateActivity, DescribeActivity, DeleteActivity and ListActivities. Workers (GetActivityTask,
// SendTask*) belong to the task integrations.
#include "broker/states/catalog/catalog.h"
#include "broker/states/catalog/machine_config.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/resource_name.h"
#include "broker/states/states_arn.h"

namespace sluice::states {

namespace {

// The activity an activity ARN names (null when there is none), or the InvalidArn to answer.
SfnResult<ActivityEntry*> activity_for(Catalog& catalog, const std::string& arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind != ArnKind::kActivity) return wrong_arn_kind(parsed->kind);
  return catalog.is_local(*parsed) ? catalog.find_activity(parsed->activity) : nullptr;
}

void create_activity(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto name = f.string("name", {true, 1, 80});
  auto tags = read_tags(f, "tags");
  if (reply_if_invalid(f, reply)) return;
  if (!is_valid_resource_name(*name)) return reply(invalid_name(*name));
  json::Value encryption;
  if (auto e = read_encryption(f)) {
    if (!*e) return reply(std::move(*e).error());
    encryption = std::move(**e);
  }
  if (tags && tags->size() > kMaxTags) {
    return reply(too_many_tags(activity_arn(ctx.identity, *name)));
  }
  ctx.services.catalog->create_activity(std::move(*name), tags ? std::move(*tags) : TagList{},
                                        std::move(encryption),
                                        [reply](SfnResult<Catalog::CreatedActivity> r) {
                                          if (!r) return reply(std::move(r).error());
                                          reply(render_object([&](protocol::JsonWriter& w) {
                                            w.string_member("activityArn", r->arn);
                                            timestamp_member(w, "creationDate", r->creation_ms);
                                          }));
                                        });
}

void describe_activity(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("activityArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  auto a = activity_for(*ctx.services.catalog, *arn);
  if (!a) return reply(std::move(a).error());
  if (*a == nullptr) {
    return reply(sfn_error("ActivityDoesNotExist", "Activity Does Not Exist: '" + *arn + "'"));
  }
  const ActivityEntry& act = **a;
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("activityArn", *arn);
    w.string_member("name", act.name);
    timestamp_member(w, "creationDate", act.creation_ms);
    if (!act.encryption.is_null()) value_member(w, "encryptionConfiguration", act.encryption);
  }));
}

void delete_activity(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("activityArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  auto a = activity_for(*ctx.services.catalog, *arn);
  if (!a) return reply(std::move(a).error());
  if (*a == nullptr) return reply(empty_output());  // deleting what is not there succeeds
  ctx.services.catalog->delete_activity((*a)->name, [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void list_activities(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto max = f.integer("maxResults", 0, 1000);
  auto token = f.string("nextToken", {false, 1, 1024});
  if (reply_if_invalid(f, reply)) return;
  std::string after;
  if (token) {
    auto pos = decode_page_token("activities", *token);
    if (!pos) return reply(invalid_token());
    after = std::move(*pos);
  }
  Catalog& catalog = *ctx.services.catalog;
  const auto& all = catalog.activities();
  auto it = token ? all.upper_bound(after) : all.begin();
  std::size_t limit = page_size(max);
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("activities");
    w.begin_array();
    std::size_t n = 0;
    std::string last;
    for (; it != all.end() && n < limit; ++it, ++n) {
      w.begin_object();
      w.string_member("activityArn", catalog.arn_of(it->second));
      w.string_member("name", it->second.name);
      timestamp_member(w, "creationDate", it->second.creation_ms);
      w.end_object();
      last = it->first;
    }
    w.end_array();
    if (it != all.end()) w.string_member("nextToken", encode_page_token("activities", last));
  }));
}

}  // namespace

void register_activity_actions(ActionTable& actions) {
  actions.add("CreateActivity", create_activity);
  actions.add("DescribeActivity", describe_activity);
  actions.add("DeleteActivity", delete_activity);
  actions.add("ListActivities", list_activities);
}

}  // namespace sluice::states
