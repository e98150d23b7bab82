// PipeCatalog: the pipes of this server -- their definitions and states, durable in LMDB
// (storage/pipes/pipe_store.h), and the PipeRunner of each -- and the semantics of every Pipes
// action on them. Handlers (pipe_handlers.cpp) decode and encode; everything a pipe is and does
// is decided here.
//
// Lifecycle, as AWS reports it, but at once: CreatePipe answers CREATING and the pipe is RUNNING
// (or STOPPED, with DesiredState STOPPED) as soon as its record commits; StartPipe answers
// STARTING, StopPipe STOPPING (the pipe lets the batches in flight finish and takes nothing more,
// then is STOPPED), UpdatePipe UPDATING (new batches use the new definition), DeletePipe DELETING
// (the batches in flight finish, so no message is lost, then the record goes and the pipe is
// gone). A pipe Sluice can tell is misconfigured before it runs -- its source queue missing, a
// STANDARD state machine target invoked REQUEST_RESPONSE, a STANDARD state machine as enrichment
// -- goes to CREATE_FAILED / UPDATE_FAILED / START_FAILED with a StateReason saying what to change.
// Every answer waits for the record it depends on to commit, so what a client was told survives
// a kill -9; after a restart RUNNING pipes consume again and a pipe that was being deleted is
// deleted.
//
// Thread: the reactor thread only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/pipes/api/pipe_spec.h"
#include "broker/pipes/api/pipes_request.h"
#include "broker/pipes/pipe_config.h"
#include "broker/pipes/pipe_runner.h"
#include "broker/pipes/pipe_services.h"
#include "storage/pipes/pipe_store.h"

namespace sluice::pipes {

// An action's answer: the response body (JSON), or the error.
using PipesReply = std::function<void(Result<std::string, PipesError>)>;

class PipeCatalog {
 public:
  // Pipes per account and region (AWS's default quota).
  static constexpr std::size_t kMaxPipes = 1000;

  explicit PipeCatalog(PipeServices& services);
  ~PipeCatalog();
  PipeCatalog(const PipeCatalog&) = delete;
  PipeCatalog& operator=(const PipeCatalog&) = delete;

  // Loads every stored pipe and starts the RUNNING ones. Call once, after the queue store and the
  // Step Functions side recovered.
  Status recover();
  // The server drains: every pipe stops taking messages.
  void shutdown();

  void create(const std::string& name, PipeSpec spec, PipesReply reply);
  void update(const std::string& name, const PipeUpdate& update, PipesReply reply);
  void start(const std::string& name, PipesReply reply);
  void stop(const std::string& name, PipesReply reply);
  void remove(const std::string& name, PipesReply reply);
  Result<std::string, PipesError> describe(const std::string& name) const;
  Result<std::string, PipesError> list(const ListPipesQuery& query) const;

  void tag(const std::string& resource_arn, const TagMap& tags, PipesReply reply);
  void untag(const std::string& resource_arn, const std::vector<std::string>& keys,
             PipesReply reply);
  Result<std::string, PipesError> list_tags(const std::string& resource_arn) const;

  // Visits every pipe (metrics).
  struct PipeFacts {
    const PipeStatus& status;
    const std::string& source_queue;
    const PipeStats& stats;
  };
  void for_each(const std::function<void(const PipeFacts&)>& visit) const;

 private:
  struct Pipe;

  Pipe* find(const std::string& name) const;
  Result<Pipe*, PipesError> existing(const std::string& name) const;
  Result<Pipe*, PipesError> by_arn(const std::string& resource_arn) const;
  // A pipe an action may change: it exists and is not being deleted (ConflictException).
  Result<Pipe*, PipesError> changeable(const std::string& name) const;
  // Stores a change already settled in memory; once it is durable, makes the runner match and
  // answers with `answering` (CREATING, UPDATING, STARTING: what AWS answers while a change takes
  // effect), or, unless even_if_failed, with a *_FAILED state as it is.
  void commit_settled(Pipe& p, const char* what, CurrentState answering, bool even_if_failed,
                      PipesReply reply);
  // Writes the pipe's record; `done` gets the commit's status.
  void persist(Pipe& p, std::function<void(Status)> done);
  // What keeps a valid definition from running, if anything Sluice can tell before it runs.
  std::optional<std::string> obstacle(const PipeConfig& config) const;
  // Makes the pipe's runner match its (new) definition and desired state; `failed` is the state
  // to report when it cannot run (CREATE_FAILED, UPDATE_FAILED, START_FAILED).
  void settle_state(Pipe& p, CurrentState failed);
  void set_reason(const std::string& name, const std::string& reason);
  std::unique_ptr<PipeRunner> make_runner(Pipe& p);
  void log(PipeLogLevel level, const std::string& text) const;
  int64_t now() const;

  PipeServices& services_;
  storage::PipeStore store_;
  std::map<std::string, std::unique_ptr<Pipe>> pipes_;
  // Runners of deleted pipes, kept until their batches in flight are settled.
  std::vector<std::unique_ptr<PipeRunner>> draining_;
};

}  // namespace sluice::pipes
