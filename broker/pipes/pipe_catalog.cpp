// See pipe_catalog.h.
#include "broker/pipes/pipe_catalog.h"

#include <algorithm>

#include "broker/pipes/targets/state_machine_target.h"
#include "broker/protocol/base64.h"
#include "broker/states/catalog/catalog.h"
#include "engine/executor/clock.h"
#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "storage/queue/queue_store.h"

namespace sluice::pipes {

namespace {

constexpr int64_t kDefaultListLimit = 100;

PipesError pipe_missing(const std::string& name) {
  return not_found_exception("Pipe " + name + " does not exist.");
}

PipesError pipe_conflict(const std::string& name, const std::string& why) {
  return conflict_exception(why, name, "pipe");
}

PipesError internal(const Error& e) {
  return internal_exception("The pipe could not be stored: " + e.message);
}

// AWS's wording for a pipe that fails after it was accepted (a CREATE_FAILED StateReason as the
// service writes it: "Input parameter is invalid from the request due to : ...").
std::string invalid_input(const std::string& why) {
  return "Input parameter is invalid from the request due to : " + why;
}

}  // namespace

// Starts or stops the runner to match a settled state (after the record committed).
static void apply_state(PipeRunner* runner, CurrentState state) {
  if (!runner) return;
  if (state == CurrentState::kRunning) {
    runner->start();
  } else if (runner->running()) {
    runner->stop({});
  }
}

struct PipeCatalog::Pipe {
  PipeSpec spec;
  PipeStatus status;
  std::shared_ptr<const PipeConfig> config;  // null: the stored definition no longer compiles
  std::unique_ptr<PipeRunner> runner;
};

PipeCatalog::PipeCatalog(PipeServices& services) : services_(services), store_(*services.env) {}

PipeCatalog::~PipeCatalog() = default;

int64_t PipeCatalog::now() const {
  return services_.clock->now_ms();
}

void PipeCatalog::log(PipeLogLevel level, const std::string& text) const {
  if (services_.log) services_.log(level, text);
}

PipeCatalog::Pipe* PipeCatalog::find(const std::string& name) const {
  auto it = pipes_.find(name);
  return it == pipes_.end() ? nullptr : it->second.get();
}

Result<PipeCatalog::Pipe*, PipesError> PipeCatalog::existing(const std::string& name) const {
  Pipe* p = find(name);
  if (!p) return pipe_missing(name);
  return p;
}

Result<PipeCatalog::Pipe*, PipesError> PipeCatalog::changeable(const std::string& name) const {
  Pipe* p = find(name);
  if (!p) return pipe_missing(name);
  if (p->status.current_state == CurrentState::kDeleting) {
    return pipe_conflict(name, "Pipe " + name + " is being deleted.");
  }
  return p;
}

void PipeCatalog::commit_settled(Pipe& p, const char* what, CurrentState answering,
                                 bool even_if_failed, PipesReply reply) {
  const std::string name = p.status.name;
  persist(p, [this, name, what, answering, even_if_failed, reply = std::move(reply)](Status st) {
    Pipe* p = find(name);
    if (!p) return reply(pipe_missing(name));
    if (!st) {
      // A pipe whose creation did not commit does not exist.
      if (answering == CurrentState::kCreating) pipes_.erase(name);
      return reply(internal(st.error()));
    }
    log(PipeLogLevel::kInfo,
        "pipe " + name + ": " + what + ", " + std::string(to_string(p->status.current_state)) +
            (p->status.state_reason.empty() ? "" : ": " + p->status.state_reason));
    apply_state(p->runner.get(), p->status.current_state);
    PipeStatus answer = p->status;
    const bool settled = answer.current_state == CurrentState::kRunning ||
                         answer.current_state == CurrentState::kStopped;
    if (settled || even_if_failed) answer.current_state = answering;
    reply(render_pipe_state(answer));
  });
}

Result<PipeCatalog::Pipe*, PipesError> PipeCatalog::by_arn(const std::string& arn) const {
  auto name = local_pipe_name(arn, services_.identity);
  Pipe* p = name ? find(*name) : nullptr;
  if (!p) return not_found_exception("Pipe " + arn + " does not exist.");
  return p;
}

void PipeCatalog::persist(Pipe& p, std::function<void(Status)> done) {
  storage::PipeRecord r;
  r.definition = engine::json::serialize(to_json(p.spec));
  r.desired_state = static_cast<uint8_t>(p.status.desired_state);
  r.current_state = static_cast<uint8_t>(p.status.current_state);
  r.state_reason = p.status.state_reason;
  r.created_ms = p.status.creation_time_ms;
  r.modified_ms = p.status.last_modified_time_ms;
  services_.committer->submit(storage::PipeStore::put(p.status.name, r, std::move(done)));
}

std::optional<std::string> PipeCatalog::obstacle(const PipeConfig& c) const {
  if (!services_.queues->get_queue(c.source.name)) {
    return invalid_input("The source queue " + c.source.arn + " does not exist");
  }
  if (c.target.kind == ResourceKind::kStateMachine) {
    auto machine = services_.machines->machine_for_arn(c.target.arn);
    if (machine && !(*machine)->express() && c.invocation == InvocationType::kRequestResponse) {
      return invalid_input(standard_request_response_reason(c.target.arn));
    }
  }
  if (c.enrichment && c.enrichment->kind == ResourceKind::kStateMachine) {
    auto machine = services_.machines->machine_for_arn(c.enrichment->arn);
    if (machine && !(*machine)->express()) {
      return invalid_input("The enrichment " + c.enrichment->arn +
                           " is a STANDARD state machine: an enrichment must be an EXPRESS "
                           "state machine (it runs synchronously)");
    }
  }
  return std::nullopt;
}

std::unique_ptr<PipeRunner> PipeCatalog::make_runner(Pipe& p) {
  const std::string name = p.status.name;
  PipeRunner::Hooks hooks;
  hooks.trouble = [this, name](const std::string& reason) { set_reason(name, reason); };
  hooks.recovered = [this, name] { set_reason(name, ""); };
  return std::make_unique<PipeRunner>(services_, p.config, std::move(hooks));
}

void PipeCatalog::set_reason(const std::string& name, const std::string& reason) {
  Pipe* p = find(name);
  if (!p || p->status.state_reason == reason) return;
  p->status.state_reason = reason;
  persist(*p, [](Status) {});
}

void PipeCatalog::settle_state(Pipe& p, CurrentState failed) {
  if (!p.config) {
    p.status.current_state = failed;
    return;
  }
  if (!p.runner) p.runner = make_runner(p);
  p.runner->reconfigure(p.config);
  if (auto why = obstacle(*p.config)) {
    p.status.current_state = failed;
    p.status.state_reason = *why;
    if (p.runner->running()) p.runner->stop({});
    return;
  }
  p.status.state_reason.clear();
  if (p.status.desired_state == DesiredState::kRunning) {
    p.status.current_state = CurrentState::kRunning;
  } else {
    p.status.current_state = CurrentState::kStopped;
  }
}

Status PipeCatalog::recover() {
  std::vector<std::string> deleted;
  auto st = store_.scan([&](std::string_view name_view, storage::PipeRecord&& r) {
    std::string name(name_view);
    auto p = std::make_unique<Pipe>();
    p->status.arn = pipe_arn(services_.identity, name);
    p->status.name = name;
    p->status.desired_state = static_cast<DesiredState>(r.desired_state);
    p->status.current_state = static_cast<CurrentState>(r.current_state);
    p->status.state_reason = r.state_reason;
    p->status.creation_time_ms = r.created_ms;
    p->status.last_modified_time_ms = r.modified_ms;
    if (p->status.desired_state == DesiredState::kDeleted) {
      deleted.push_back(name);  // its delete was answered: finish it
      return;
    }
    auto body = engine::json::parse(r.definition);
    auto spec =
        body ? parse_pipe_spec(*body) : Result<PipeSpec, PipesError>(internal_exception(""));
    if (!spec) {
      log(PipeLogLevel::kError, "pipe " + name + ": its stored definition cannot be read");
      return;
    }
    p->spec = std::move(*spec);
    auto endpoints = validate_pipe_spec(p->spec, services_.identity);
    if (endpoints) {
      auto config = compile_pipe(name, p->spec, *endpoints, services_.identity);
      if (config) p->config = std::make_shared<const PipeConfig>(std::move(*config));
    }
    if (!p->config) {
      p->status.current_state = CurrentState::kStartFailed;
      p->status.state_reason =
          invalid_input("the pipe's definition does not fit this server (--region, --account-id)");
    }
    pipes_.emplace(name, std::move(p));
  });
  if (!st) return st;
  for (const auto& name : deleted) {
    services_.committer->submit(storage::PipeStore::remove(name, [](Status) {}));
  }
  for (auto& [name, p] : pipes_) {
    if (!p->config) continue;
    const CurrentState was = p->status.current_state;
    const bool failed = was == CurrentState::kCreateFailed || was == CurrentState::kUpdateFailed ||
                        was == CurrentState::kStartFailed;
    if (failed) continue;  // stays failed until updated or started again
    p->runner = make_runner(*p);
    p->status.current_state = p->status.desired_state == DesiredState::kRunning
                                  ? CurrentState::kRunning
                                  : CurrentState::kStopped;
    apply_state(p->runner.get(), p->status.current_state);
  }
  return {};
}

void PipeCatalog::shutdown() {
  for (auto& [name, p] : pipes_) {
    if (p->runner && p->runner->running()) p->runner->stop({});
  }
}

void PipeCatalog::create(const std::string& name, PipeSpec spec, PipesReply reply) {
  if (find(name)) return reply(pipe_conflict(name, "Pipe " + name + " already exists."));
  if (pipes_.size() >= kMaxPipes) {
    return reply(service_quota_exceeded_exception(
        "Quota exceeded for the number of pipes in this account and Region (" +
            std::to_string(kMaxPipes) + ").",
        name, "pipe", "pipes", "L-pipes-per-account"));
  }
  auto endpoints = validate_pipe_spec(spec, services_.identity);
  if (!endpoints) return reply(std::move(endpoints).error());
  auto config = compile_pipe(name, spec, *endpoints, services_.identity);
  if (!config) return reply(std::move(config).error());
  auto owned = std::make_unique<Pipe>();
  Pipe& p = *owned;
  p.spec = std::move(spec);
  p.config = std::make_shared<const PipeConfig>(std::move(*config));
  p.status.arn = pipe_arn(services_.identity, name);
  p.status.name = name;
  p.status.desired_state = p.spec.desired_state.value_or(DesiredState::kRunning);
  p.status.creation_time_ms = p.status.last_modified_time_ms = now();
  settle_state(p, CurrentState::kCreateFailed);
  pipes_.emplace(name, std::move(owned));
  commit_settled(p, "created", CurrentState::kCreating, true, std::move(reply));
}

void PipeCatalog::update(const std::string& name, const PipeUpdate& update, PipesReply reply) {
  auto found = changeable(name);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  auto spec = update_pipe_spec(p.spec, update, services_.identity);
  if (!spec) return reply(std::move(spec).error());
  auto endpoints = validate_pipe_spec(*spec, services_.identity);
  if (!endpoints) return reply(std::move(endpoints).error());
  auto config = compile_pipe(name, *spec, *endpoints, services_.identity);
  if (!config) return reply(std::move(config).error());
  p.spec = std::move(*spec);
  p.config = std::make_shared<const PipeConfig>(std::move(*config));
  if (update.desired_state) p.status.desired_state = *update.desired_state;
  p.status.last_modified_time_ms = now();
  settle_state(p, CurrentState::kUpdateFailed);
  commit_settled(p, "updated", CurrentState::kUpdating, true, std::move(reply));
}

void PipeCatalog::start(const std::string& name, PipesReply reply) {
  auto found = changeable(name);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  p.status.desired_state = DesiredState::kRunning;
  p.status.last_modified_time_ms = now();
  settle_state(p, CurrentState::kStartFailed);
  commit_settled(p, "started", CurrentState::kStarting, false, std::move(reply));
}

void PipeCatalog::stop(const std::string& name, PipesReply reply) {
  auto found = changeable(name);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  p.status.desired_state = DesiredState::kStopped;
  p.status.current_state = CurrentState::kStopped;  // as stored: a restart finds it stopped
  p.status.last_modified_time_ms = now();
  persist(p, [this, name, reply = std::move(reply)](Status st) {
    Pipe* p = find(name);
    if (!p) return reply(pipe_missing(name));
    if (!st) return reply(internal(st.error()));
    PipeStatus answer = p->status;
    answer.desired_state = DesiredState::kStopped;
    answer.current_state = CurrentState::kStopping;
    // A StartPipe or UpdatePipe that arrived before this commit completed set the pipe's state
    // since, and its own commit (after this one) applies it: only a pipe still meant to be
    // stopped is stopped here.
    if (p->status.desired_state == DesiredState::kStopped && p->runner && p->runner->running()) {
      // STOPPING until the batches in flight are settled.
      p->status.current_state = CurrentState::kStopping;
      p->runner->stop([this, name] {
        Pipe* q = find(name);
        if (q && q->status.current_state == CurrentState::kStopping) {
          q->status.current_state = CurrentState::kStopped;
          log(PipeLogLevel::kInfo, "pipe " + name + ": STOPPED");
        }
      });
    }
    log(PipeLogLevel::kInfo, "pipe " + name + ": stopping");
    reply(render_pipe_state(answer));
  });
}

void PipeCatalog::remove(const std::string& name, PipesReply reply) {
  auto found = changeable(name);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  p.status.desired_state = DesiredState::kDeleted;
  p.status.current_state = CurrentState::kDeleting;
  p.status.last_modified_time_ms = now();
  persist(p, [this, name, reply = std::move(reply)](Status st) {
    Pipe* p = find(name);
    if (!p) return reply(pipe_missing(name));
    if (!st) return reply(internal(st.error()));
    reply(render_pipe_state(p->status));
    log(PipeLogLevel::kInfo, "pipe " + name + ": deleting");
    // The record goes once no batch of the pipe is in flight: none of its messages is lost.
    auto gone = [this, name] {
      services_.committer->submit(storage::PipeStore::remove(name, [this, name](Status st) {
        if (!st) {
          log(PipeLogLevel::kError, "pipe " + name + ": deleting failed: " + st.error().message);
          if (Pipe* q = find(name)) q->status.current_state = CurrentState::kDeleteFailed;
          return;
        }
        auto it = pipes_.find(name);
        if (it == pipes_.end()) return;
        if (it->second->runner) draining_.push_back(std::move(it->second->runner));
        pipes_.erase(it);
        log(PipeLogLevel::kInfo, "pipe " + name + ": deleted");
        // Free drained runners later, never from inside one of their own callbacks.
        services_.timers->schedule(now(), [this] {
          draining_.erase(std::remove_if(draining_.begin(), draining_.end(),
                                         [](const auto& r) { return r->in_flight() == 0; }),
                          draining_.end());
        });
      }));
    };
    if (p->runner) {
      p->runner->stop(gone);
    } else {
      gone();
    }
  });
}

Result<std::string, PipesError> PipeCatalog::describe(const std::string& name) const {
  auto found = existing(name);
  if (!found) return std::move(found).error();
  return render_describe_pipe((*found)->spec, (*found)->status);
}

Result<std::string, PipesError> PipeCatalog::list(const ListPipesQuery& q) const {
  auto starts = [](const std::string& s, const std::optional<std::string>& prefix) {
    return !prefix || s.compare(0, prefix->size(), *prefix) == 0;
  };
  std::string from;
  if (q.next_token) {
    if (!protocol::base64_decode(*q.next_token, from) || from.empty()) {
      return validation_exception("Invalid NextToken: " + *q.next_token);
    }
  }
  const int64_t limit = q.limit.value_or(kDefaultListLimit);
  std::vector<PipeListEntry> page;
  std::string next;
  for (auto it = from.empty() ? pipes_.begin() : pipes_.lower_bound(from); it != pipes_.end();
       ++it) {
    const Pipe& p = *it->second;
    if (!starts(it->first, q.name_prefix) || !starts(p.spec.source, q.source_prefix) ||
        !starts(p.spec.target, q.target_prefix)) {
      continue;
    }
    if (q.desired_state && to_string(p.status.desired_state) != *q.desired_state) continue;
    if (q.current_state && to_string(p.status.current_state) != *q.current_state) continue;
    if (static_cast<int64_t>(page.size()) == limit) {
      next = protocol::base64_encode(it->first);
      break;
    }
    page.push_back({&p.spec, &p.status});
  }
  return render_list_pipes(page, next);
}

void PipeCatalog::tag(const std::string& resource_arn, const TagMap& tags, PipesReply reply) {
  auto found = by_arn(resource_arn);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  auto merged = merge_tags(p.spec.tags, tags);
  if (!merged) return reply(std::move(merged).error());
  TagMap before = std::move(p.spec.tags);
  p.spec.tags = std::move(*merged);
  persist(p, [this, name = p.status.name, before = std::move(before),
              reply = std::move(reply)](Status st) mutable {
    if (!st) {
      if (Pipe* q = find(name)) q->spec.tags = std::move(before);
      return reply(internal(st.error()));
    }
    reply(std::string("{}"));
  });
}

void PipeCatalog::untag(const std::string& resource_arn, const std::vector<std::string>& keys,
                        PipesReply reply) {
  auto found = by_arn(resource_arn);
  if (!found) return reply(std::move(found).error());
  Pipe& p = **found;
  TagMap before = p.spec.tags;
  p.spec.tags = remove_tags(p.spec.tags, keys);
  persist(p, [this, name = p.status.name, before = std::move(before),
              reply = std::move(reply)](Status st) mutable {
    if (!st) {
      if (Pipe* q = find(name)) q->spec.tags = std::move(before);
      return reply(internal(st.error()));
    }
    reply(std::string("{}"));
  });
}

Result<std::string, PipesError> PipeCatalog::list_tags(const std::string& resource_arn) const {
  auto found = by_arn(resource_arn);
  if (!found) return std::move(found).error();
  return render_tags((*found)->spec.tags);
}

void PipeCatalog::for_each(const std::function<void(const PipeFacts&)>& visit) const {
  static const PipeStats kNone;
  for (const auto& [name, p] : pipes_) {
    visit(PipeFacts{p->status, p->config ? p->config->source.name : name,
                    p->runner ? p->runner->stats() : kNone});
  }
}

}  // namespace sluice::pipes
