// Catalog: the Step Functions resources that are not executions: state machines (with their
// revisions, versions and aliases) and activities. It owns them in memory, writes every change to
// LMDB through the GroupCommitter and rebuilds itself from LMDB in recover(). Handlers decode and
// validate requests, call the catalog, and render what it returns.
//
// Thread: the reactor thread only. Promises:
//  - A mutation's callback runs after its change is durable (or with InternalFailure when the
//    commit failed; the in-memory change is then undone).
//  - Changes are visible to other requests at once (before the commit), like the queue store's
//    catalog operations; a crash before the commit loses only changes nobody was told about.
//  - Every definition is compiled exactly once: on create/update, or at recover().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/states/catalog/catalog_records.h"
#include "broker/states/catalog/definition_check.h"
#include "broker/states/sfn_result.h"
#include "broker/states/states_arn.h"
#include "broker/states/states_services.h"
#include "engine/executor/clock.h"
#include "storage/result.h"

namespace sluice::states {

using Done = std::function<void(std::optional<SfnError>)>;

class Catalog {
 public:
  // What the catalog needs from the execution runner (wired by StatesService).
  struct Hooks {
    // How many executions of the machine are RUNNING.
    std::function<std::size_t(const std::string& machine)> running_executions;
    // The machine is being deleted: the runner stops its running executions and calls
    // finish_delete() once none runs.
    std::function<void(const std::string& machine)> machine_deleting;
  };

  Catalog(StatesServices& services, StatesIdentity identity, const engine::executor::Clock& clock);
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  void set_hooks(Hooks hooks) { hooks_ = std::move(hooks); }
  // Loads every record and compiles every revision once.
  Status recover();
  // After the runner recovered: completes deletes that no running execution holds up any more and
  // drops revisions nothing refers to (`in_use`: the revisions executions refer to).
  void after_recovery(const std::set<uint64_t>& in_use);

  const StatesIdentity& identity() const { return identity_; }
  int64_t now_ms() const { return clock_.now_ms(); }

  // ---- lookups ----
  std::string arn_of(const StateMachineEntry& m) const;
  std::string arn_of(const ActivityEntry& a) const;
  StateMachineEntry* find_machine(std::string_view name);
  ActivityEntry* find_activity(std::string_view name);
  const std::map<std::string, StateMachineEntry, std::less<>>& machines() const {
    return machines_;
  }
  const std::map<std::string, ActivityEntry, std::less<>>& activities() const {
    return activities_;
  }
  RevisionPtr revision(uint64_t key) const;
  // Whether an ARN names this server's region and account (others name nothing here).
  bool is_local(const StatesArn& arn) const {
    return arn.region == identity_.region && arn.account == identity_.account_id;
  }
  // A revision's version ARN, when a version of `m` was published from it.
  const VersionEntry* version_of_revision(const StateMachineEntry& m, const RevisionPtr& r) const;

  // The state machine (unqualified ARN) that `arn` names; InvalidArn for other kinds of ARN and
  // StateMachineDoesNotExist when there is none.
  SfnResult<StateMachineEntry*> machine_for_arn(std::string_view arn);

  // What StartExecution runs for a state machine, version or alias ARN. An alias picks one of its
  // versions by weight. StateMachineDeleting when the machine is being deleted.
  struct Target {
    StateMachineEntry* machine = nullptr;
    RevisionPtr revision;
    uint64_t version = 0;  // 0: the unqualified machine
    std::string version_arn;
    std::string alias_arn;
  };
  SfnResult<Target> resolve_target(std::string_view arn);

  DefinitionCheck check(std::string_view definition, bool express) const;

  // ---- state machines ----
  struct NewMachine {
    std::string name;
    std::string definition;
    std::shared_ptr<const engine::asl::StateMachine> compiled;
    bool express = false;
    std::string role_arn;
    json::Value logging, tracing, encryption;
    TagList tags;
    bool publish = false;
    std::string version_description;
  };
  struct Created {
    std::string arn;
    int64_t creation_ms = 0;
    std::string version_arn;  // when published
  };
  // Idempotent: the same name with the same definition, type, logging, tracing, encryption and
  // publish request returns the existing machine; any difference is StateMachineAlreadyExists.
  void create_machine(NewMachine request, std::function<void(SfnResult<Created>)> done);

  struct MachineUpdate {
    std::optional<std::string> definition;
    std::shared_ptr<const engine::asl::StateMachine> compiled;
    std::optional<std::string> role_arn;
    std::optional<json::Value> logging, tracing, encryption;
    bool publish = false;
    std::string version_description;
  };
  struct Updated {
    int64_t update_ms = 0;
    std::string revision_id;  // "" when the machine never changed
    std::string version_arn;  // when published
  };
  // A new revision only when something changed; `publish` returns the version of the (new or
  // current) revision, publishing one if there is none.
  void update_machine(StateMachineEntry& m, MachineUpdate update,
                      std::function<void(SfnResult<Updated>)> done);
  // Deletes now when nothing runs; else marks the machine DELETING and finishes later.
  void delete_machine(StateMachineEntry& m, Done done);
  // The runner's signal that the last running execution of a DELETING machine ended.
  void finish_delete(const std::string& name);

  // ---- versions ----
  struct Published {
    std::string arn;
    int64_t creation_ms = 0;
  };
  void publish_version(StateMachineEntry& m, std::optional<std::string> revision_id,
                       std::string description, std::function<void(SfnResult<Published>)> done);
  void delete_version(StateMachineEntry& m, uint64_t number, Done done);

  // ---- aliases ----
  // Routing must already be valid (1-2 distinct existing versions of `m`, weights summing to 100).
  void create_alias(StateMachineEntry& m, AliasEntry alias,
                    std::function<void(SfnResult<Published>)> done);
  void update_alias(StateMachineEntry& m, const std::string& alias,
                    std::optional<std::string> description,
                    std::optional<std::vector<std::pair<uint64_t, int64_t>>> routing,
                    std::function<void(SfnResult<int64_t>)> done);
  void delete_alias(StateMachineEntry& m, const std::string& alias, Done done);

  // ---- activities ----
  struct CreatedActivity {
    std::string arn;
    int64_t creation_ms = 0;
  };
  void create_activity(std::string name, TagList tags, json::Value encryption,
                       std::function<void(SfnResult<CreatedActivity>)> done);
  void delete_activity(const std::string& name, Done done);

  // ---- tags (state machines and activities) ----
  // The tag list of the resource `arn` names, or ResourceNotFound / InvalidArn.
  SfnResult<TagList*> tags_of(std::string_view arn);
  // Replaces the tags of the resource `arn` names (already merged/removed by the caller).
  void store_tags(std::string_view arn, TagList tags, Done done);

 private:
  struct Write {
    std::string key;
    std::optional<std::string> value;  // nullopt: delete
  };
  // Commits `writes` in one mutation. On failure runs `undo` and answers InternalFailure.
  void persist(std::vector<Write> writes, std::function<void()> undo, Done done);
  RevisionPtr make_revision(bool express, std::string definition,
                            std::shared_ptr<const engine::asl::StateMachine> compiled,
                            std::string role_arn, json::Value logging, json::Value tracing,
                            json::Value encryption, std::string revision_id, int64_t update_ms);
  void erase_machine(StateMachineEntry& m, Done done);

  StatesServices& services_;
  StatesIdentity identity_;
  const engine::executor::Clock& clock_;
  Hooks hooks_;
  std::map<std::string, StateMachineEntry, std::less<>> machines_;
  std::map<std::string, ActivityEntry, std::less<>> activities_;
  std::unordered_map<uint64_t, RevisionPtr> revisions_;
  uint64_t next_revision_key_ = 1;
  std::mt19937_64 rng_;  // alias routing by weight
};

}  // namespace sluice::states
