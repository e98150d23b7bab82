// See pipe_handlers.h.
#include "broker/pipes/pipe_handlers.h"

namespace sluice::pipes {

void create_pipe(PipeCatalog& pipes, const PipesIdentity& id, PipesRequest&& req,
                 PipesReply reply) {
  auto spec = parse_create_pipe(req.body, id);
  if (!spec) return reply(std::move(spec).error());
  pipes.create(req.name, std::move(*spec), std::move(reply));
}

void describe_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  reply(pipes.describe(req.name));
}

void update_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  auto update = parse_update_pipe(req.body);
  if (!update) return reply(std::move(update).error());
  pipes.update(req.name, *update, std::move(reply));
}

void delete_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  pipes.remove(req.name, std::move(reply));
}

void list_pipes(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  reply(pipes.list(req.list));
}

void start_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  pipes.start(req.name, std::move(reply));
}

void stop_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  pipes.stop(req.name, std::move(reply));
}

void tag_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  auto tags = parse_tag_resource(req.body);
  if (!tags) return reply(std::move(tags).error());
  pipes.tag(req.resource_arn, *tags, std::move(reply));
}

void untag_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  auto keys = parse_untag_keys(req.tag_keys);
  if (!keys) return reply(std::move(keys).error());
  pipes.untag(req.resource_arn, *keys, std::move(reply));
}

void list_tags_for_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply) {
  reply(pipes.list_tags(req.resource_arn));
}

}  // namespace sluice::pipes
