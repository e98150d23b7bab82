// AddPermission and RemovePermission: edit the queue's Policy attribute (see queue_policy.h) and
// store it as SetQueueAttributes would. The read-edit-write happens in one reactor turn, so two
// requests on the same queue cannot lose each other's statement.
#include "broker/sqs/handlers.h"
#include "broker/sqs/queue_policy.h"

namespace sluice::sqs {

namespace {

storage::Callback<Status> empty_reply(Reply reply) {
  return [reply = std::move(reply)](Status st) {
    if (!st) return reply(std::move(st).error());
    reply(AnyResult(EmptyResult{}));
  };
}

}  // namespace

void handle(HandlerContext& ctx, AddPermissionRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto q = ctx.store.get_queue(name);
    if (!q) return reply(std::move(q).error());
    PermissionGrant grant{std::move(req.label), std::move(req.aws_account_ids),
                          std::move(req.actions)};
    if (auto st = validate_grant(grant); !st) return reply(std::move(st).error());
    auto policy =
        add_permission_statement(q->attributes.policy, queue_arn(ctx.identity, name), grant);
    if (!policy) return reply(std::move(policy).error());
    ctx.store.set_attributes(name, {{"Policy", std::move(*policy)}}, empty_reply(std::move(reply)));
  });
}

void handle(HandlerContext& ctx, RemovePermissionRequest&& req, Reply reply) {
  with_queue(ctx, req.queue_url, reply, [&](const std::string& name) {
    auto q = ctx.store.get_queue(name);
    if (!q) return reply(std::move(q).error());
    auto policy = remove_permission_statement(q->attributes.policy, req.label);
    if (!policy) return reply(std::move(policy).error());
    ctx.store.set_attributes(name, {{"Policy", std::move(*policy)}}, empty_reply(std::move(reply)));
  });
}

}  // namespace sluice::sqs
