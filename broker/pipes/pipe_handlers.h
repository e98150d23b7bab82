// Every EventBridge Pipes action this server answers, in one place. Each handler takes its decoded
// request (api/pipes_request.h), checks what the wire layer checks (api/pipe_spec.h), calls the
// PipeCatalog, and replies with the response body or the error. No pipe logic here.
#pragma once

#include "broker/pipes/api/pipes_request.h"
#include "broker/pipes/pipe_catalog.h"

namespace sluice::pipes {

void create_pipe(PipeCatalog& pipes, const PipesIdentity& id, PipesRequest&& req, PipesReply reply);
void describe_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void update_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void delete_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void list_pipes(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void start_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void stop_pipe(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void tag_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void untag_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);
void list_tags_for_resource(PipeCatalog& pipes, PipesRequest&& req, PipesReply reply);

}  // namespace sluice::pipes
