// See catalog.h.
#include "broker/states/catalog/catalog.h"

#include <algorithm>

#include "broker/states/catalog/catalog_codec.h"
#include "broker/states/request_fields.h"
#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/random_id.h"

namespace sluice::states {

namespace codec = catalog_codec;

namespace {

SfnError machine_missing(std::string_view arn) {
  return sfn_error("StateMachineDoesNotExist",
                   "State Machine Does Not Exist: '" + std::string(arn) + "'");
}

SfnError machine_deleting(std::string_view arn) {
  return sfn_error("StateMachineDeleting",
                   "State Machine is being deleted: '" + std::string(arn) + "'");
}

SfnError resource_not_found(std::string_view arn) {
  SfnError e = sfn_error("ResourceNotFound", "Resource not found: '" + std::string(arn) + "'");
  e.extra.set("resourceName", json::Value(arn));
  return e;
}

}  // namespace

Catalog::Catalog(StatesServices& services, StatesIdentity identity,
                 const engine::executor::Clock& clock)
    : services_(services),
      identity_(std::move(identity)),
      clock_(clock),
      rng_(std::random_device{}()) {}

std::string Catalog::arn_of(const StateMachineEntry& m) const {
  return state_machine_arn(identity_, m.name);
}

std::string Catalog::arn_of(const ActivityEntry& a) const {
  return activity_arn(identity_, a.name);
}

StateMachineEntry* Catalog::find_machine(std::string_view name) {
  auto it = machines_.find(name);
  return it == machines_.end() ? nullptr : &it->second;
}

ActivityEntry* Catalog::find_activity(std::string_view name) {
  auto it = activities_.find(name);
  return it == activities_.end() ? nullptr : &it->second;
}

RevisionPtr Catalog::revision(uint64_t key) const {
  auto it = revisions_.find(key);
  return it == revisions_.end() ? nullptr : it->second;
}

const VersionEntry* Catalog::version_of_revision(const StateMachineEntry& m,
                                                 const RevisionPtr& r) const {
  for (const auto& [n, v] : m.versions) {
    if (v.revision == r) return &v;
  }
  return nullptr;
}

DefinitionCheck Catalog::check(std::string_view definition, bool express) const {
  return check_definition(definition, express, services_.check_resource);
}

// ---------------------------------------------------------------------------------------------
// Recovery.

Status Catalog::recover() {
  storage::ReadTxn txn(*services_.env);
  if (int rc = txn.begin()) return storage::lmdb_error(rc, "states catalog: begin");
  storage::Cursor c(txn.get(), txn.dbs().machines);
  if (!c.ok()) return make_error(ErrorCode::kInternal, "states catalog: cursor");
  struct PendingVersion {
    std::string machine;
    VersionEntry v;
    uint64_t revision;
  };
  std::vector<std::pair<StateMachineEntry, uint64_t>> machines;
  std::vector<PendingVersion> versions;
  std::vector<std::pair<std::string, AliasEntry>> aliases;
  MDB_val k, v;
  int rc = mdb_cursor_get(c.get(), &k, &v, MDB_FIRST);
  for (; rc == 0; rc = mdb_cursor_get(c.get(), &k, &v, MDB_NEXT)) {
    std::string_view key = storage::from_val(k);
    std::string_view value = storage::from_val(v);
    if (key.empty()) continue;
    char kind = key[0];
    std::string_view rest = key.substr(1);
    if (kind == 'R' && rest.size() == 8) {
      uint64_t rk = codec::read_u64be(rest);
      auto r = codec::decode_revision(rk, value);
      if (!r) return make_error(ErrorCode::kInternal, "states catalog: corrupt revision");
      // Compiled once here; an unparsable stored definition (an engine change) stays describable
      // but cannot start executions.
      r->compiled = engine::asl::parse_definition(r->definition).machine;
      revisions_[rk] = std::make_shared<const MachineRevision>(std::move(*r));
      next_revision_key_ = std::max(next_revision_key_, rk + 1);
    } else if (kind == 'M') {
      uint64_t rk = 0;
      auto m = codec::decode_machine(rest, value, &rk);
      if (!m) return make_error(ErrorCode::kInternal, "states catalog: corrupt state machine");
      machines.emplace_back(std::move(*m), rk);
    } else if (kind == 'V') {
      std::size_t z = rest.find('\0');
      if (z == std::string_view::npos || rest.size() - z - 1 != 8) continue;
      uint64_t rk = 0;
      auto ver = codec::decode_version(codec::read_u64be(rest.substr(z + 1)), value, &rk);
      if (!ver) return make_error(ErrorCode::kInternal, "states catalog: corrupt version");
      versions.push_back({std::string(rest.substr(0, z)), std::move(*ver), rk});
    } else if (kind == 'A') {
      std::size_t z = rest.find('\0');
      if (z == std::string_view::npos) continue;
      auto a = codec::decode_alias(rest.substr(z + 1), value);
      if (!a) return make_error(ErrorCode::kInternal, "states catalog: corrupt alias");
      aliases.emplace_back(std::string(rest.substr(0, z)), std::move(*a));
    } else if (kind == 'C') {
      auto a = codec::decode_activity(rest, value);
      if (!a) return make_error(ErrorCode::kInternal, "states catalog: corrupt activity");
      activities_[a->name] = std::move(*a);
    }
  }
  for (auto& [m, rk] : machines) {
    m.current = revision(rk);
    if (!m.current) return make_error(ErrorCode::kInternal, "states catalog: missing revision");
    std::string name = m.name;
    machines_[name] = std::move(m);
  }
  for (auto& pv : versions) {
    StateMachineEntry* m = find_machine(pv.machine);
    if (!m) continue;
    pv.v.revision = revision(pv.revision);
    if (!pv.v.revision) continue;
    m->versions[pv.v.number] = std::move(pv.v);
  }
  for (auto& [name, a] : aliases) {
    if (StateMachineEntry* m = find_machine(name)) m->aliases[a.name] = std::move(a);
  }
  return {};
}

void Catalog::after_recovery(const std::set<uint64_t>& in_use) {
  std::vector<std::string> done;
  for (auto& [name, m] : machines_) {
    if (m.deleting && (!hooks_.running_executions || hooks_.running_executions(name) == 0)) {
      done.push_back(name);
    } else if (m.deleting && hooks_.machine_deleting) {
      hooks_.machine_deleting(name);
    }
  }
  for (const auto& name : done) finish_delete(name);

  std::set<uint64_t> used = in_use;
  for (const auto& [name, m] : machines_) {
    used.insert(m.current->key);
    for (const auto& [n, v] : m.versions) used.insert(v.revision->key);
  }
  std::vector<Write> drops;
  for (auto it = revisions_.begin(); it != revisions_.end();) {
    if (used.count(it->first)) {
      ++it;
      continue;
    }
    drops.push_back({codec::revision_key(it->first), std::nullopt});
    it = revisions_.erase(it);
  }
  if (!drops.empty())
    persist(
        std::move(drops), [] {}, [](std::optional<SfnError>) {});
}

// ---------------------------------------------------------------------------------------------
// Persistence.

void Catalog::persist(std::vector<Write> writes, std::function<void()> undo, Done done) {
  storage::Mutation m;
  m.apply = [writes = std::move(writes)](storage::WriteTxn& txn) {
    for (const auto& w : writes) {
      int rc = w.value ? txn.put(txn.dbs().machines, w.key, *w.value)
                       : txn.del(txn.dbs().machines, w.key);
      if (rc != 0) return rc;
    }
    return 0;
  };
  m.done = [undo = std::move(undo), done = std::move(done)](Status st) {
    if (!st) {
      undo();
      return done(internal_failure(st.error().message));
    }
    done(std::nullopt);
  };
  services_.committer->submit(std::move(m));
}

RevisionPtr Catalog::make_revision(bool express, std::string definition,
                                   std::shared_ptr<const engine::asl::StateMachine> compiled,
                                   std::string role_arn, json::Value logging, json::Value tracing,
                                   json::Value encryption, std::string revision_id,
                                   int64_t update_ms) {
  auto r = std::make_shared<MachineRevision>();
  r->key = next_revision_key_++;
  r->express = express;
  r->definition = std::move(definition);
  r->compiled = std::move(compiled);
  r->role_arn = std::move(role_arn);
  r->logging = std::move(logging);
  r->tracing = std::move(tracing);
  r->encryption = std::move(encryption);
  r->revision_id = std::move(revision_id);
  r->update_ms = update_ms;
  revisions_[r->key] = r;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Lookups by ARN.

SfnResult<StateMachineEntry*> Catalog::machine_for_arn(std::string_view arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind != ArnKind::kStateMachine) return machine_missing(arn);
  StateMachineEntry* m = find_machine(parsed->machine);
  if (!m || parsed->region != identity_.region || parsed->account != identity_.account_id) {
    return machine_missing(arn);
  }
  return m;
}

SfnResult<Catalog::Target> Catalog::resolve_target(std::string_view arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  const StatesArn& a = *parsed;
  if (a.kind != ArnKind::kStateMachine && a.kind != ArnKind::kStateMachineVersion &&
      a.kind != ArnKind::kStateMachineAlias) {
    return wrong_arn_kind(a.kind);
  }
  StateMachineEntry* m = find_machine(a.machine);
  if (!m || a.region != identity_.region || a.account != identity_.account_id) {
    return machine_missing(arn);
  }
  if (m->deleting) return machine_deleting(arn_of(*m));
  Target t;
  t.machine = m;
  uint64_t number = 0;
  if (a.kind == ArnKind::kStateMachine) {
    t.revision = m->current;
    return t;
  }
  if (a.kind == ArnKind::kStateMachineVersion) {
    number = a.version;
  } else {
    auto al = m->aliases.find(a.qualifier);
    if (al == m->aliases.end()) return machine_missing(arn);
    int64_t total = 0;
    for (const auto& [v, w] : al->second.routing) total += w;
    int64_t pick = total > 0 ? static_cast<int64_t>(rng_() % static_cast<uint64_t>(total)) : 0;
    for (const auto& [v, w] : al->second.routing) {
      if (pick < w) {
        number = v;
        break;
      }
      pick -= w;
    }
    if (number == 0 && !al->second.routing.empty()) number = al->second.routing.front().first;
    t.alias_arn = std::string(arn);
  }
  auto ver = m->versions.find(number);
  if (ver == m->versions.end()) return machine_missing(arn);
  t.version = number;
  t.version_arn = version_arn(arn_of(*m), number);
  t.revision = ver->second.revision;
  return t;
}

// ---------------------------------------------------------------------------------------------
// State machines.

void Catalog::create_machine(NewMachine req, std::function<void(SfnResult<Created>)> done) {
  if (StateMachineEntry* existing = find_machine(req.name)) {
    std::string arn = arn_of(*existing);
    if (existing->deleting) return done(machine_deleting(arn));
    const MachineRevision& cur = *existing->current;
    bool same = cur.definition == req.definition && cur.express == req.express &&
                cur.logging == req.logging && cur.tracing == req.tracing &&
                cur.encryption == req.encryption;
    Created out{arn, existing->creation_ms, {}};
    if (same && req.publish) {
      const VersionEntry* v = version_of_revision(*existing, existing->current);
      same = v != nullptr && v->description == req.version_description;
      if (v) out.version_arn = version_arn(arn, v->number);
    }
    if (!same) {
      return done(
          sfn_error("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'"));
    }
    return done(std::move(out));
  }
  int64_t now = clock_.now_ms();
  StateMachineEntry m;
  m.name = req.name;
  m.creation_ms = now;
  m.tags = std::move(req.tags);
  m.current = make_revision(req.express, std::move(req.definition), std::move(req.compiled),
                            std::move(req.role_arn), std::move(req.logging), std::move(req.tracing),
                            std::move(req.encryption), "", now);
  std::vector<Write> writes;
  writes.push_back({codec::revision_key(m.current->key), codec::encode_revision(*m.current)});
  Created out{arn_of(m), now, {}};
  if (req.publish) {
    VersionEntry v{m.next_version++, m.current, std::move(req.version_description), now};
    writes.push_back({codec::version_key(m.name, v.number), codec::encode_version(v)});
    out.version_arn = version_arn(out.arn, v.number);
    m.versions[v.number] = std::move(v);
  }
  writes.push_back({codec::machine_key(m.name), codec::encode_machine(m)});
  std::string name = m.name;
  uint64_t rk = m.current->key;
  machines_[name] = std::move(m);
  persist(
      std::move(writes),
      [this, name, rk] {
        machines_.erase(name);
        revisions_.erase(rk);
      },
      [done = std::move(done), out = std::move(out)](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(out);
      });
}

void Catalog::update_machine(StateMachineEntry& m, MachineUpdate u,
                             std::function<void(SfnResult<Updated>)> done) {
  std::string arn = arn_of(m);
  if (m.deleting) return done(machine_deleting(arn));
  const MachineRevision& cur = *m.current;
  bool changed =
      (u.definition && *u.definition != cur.definition) ||
      (u.role_arn && *u.role_arn != cur.role_arn) || (u.logging && *u.logging != cur.logging) ||
      (u.tracing && *u.tracing != cur.tracing) || (u.encryption && *u.encryption != cur.encryption);
  int64_t now = clock_.now_ms();
  RevisionPtr before = m.current;
  uint64_t next_version_before = m.next_version;
  std::vector<Write> writes;
  std::optional<uint64_t> new_revision;
  if (changed) {
    bool new_definition = u.definition && *u.definition != cur.definition;
    m.current = make_revision(
        cur.express, new_definition ? std::move(*u.definition) : cur.definition,
        new_definition ? std::move(u.compiled) : cur.compiled,
        u.role_arn ? std::move(*u.role_arn) : cur.role_arn,
        u.logging ? std::move(*u.logging) : cur.logging,
        u.tracing ? std::move(*u.tracing) : cur.tracing,
        u.encryption ? std::move(*u.encryption) : cur.encryption, storage::random_uuid(), now);
    new_revision = m.current->key;
    writes.push_back({codec::revision_key(m.current->key), codec::encode_revision(*m.current)});
  }
  Updated out{now, m.current->revision_id, {}};
  std::optional<uint64_t> new_version;
  if (u.publish) {
    if (const VersionEntry* existing = version_of_revision(m, m.current)) {
      out.version_arn = version_arn(arn, existing->number);
    } else {
      VersionEntry v{m.next_version++, m.current, std::move(u.version_description), now};
      writes.push_back({codec::version_key(m.name, v.number), codec::encode_version(v)});
      out.version_arn = version_arn(arn, v.number);
      new_version = v.number;
      m.versions[v.number] = std::move(v);
    }
  }
  if (writes.empty()) return done(std::move(out));
  writes.push_back({codec::machine_key(m.name), codec::encode_machine(m)});
  std::string name = m.name;
  persist(
      std::move(writes),
      [this, name, before, next_version_before, new_revision, new_version] {
        StateMachineEntry* e = find_machine(name);
        if (!e) return;
        e->current = before;
        e->next_version = next_version_before;
        if (new_version) e->versions.erase(*new_version);
        if (new_revision) revisions_.erase(*new_revision);
      },
      [done = std::move(done), out = std::move(out)](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(out);
      });
}

void Catalog::delete_machine(StateMachineEntry& m, Done done) {
  if (m.deleting) return done(std::nullopt);
  std::size_t running = hooks_.running_executions ? hooks_.running_executions(m.name) : 0;
  if (running == 0) return erase_machine(m, std::move(done));
  m.deleting = true;
  std::string name = m.name;
  persist(
      {{codec::machine_key(m.name), codec::encode_machine(m)}},
      [this, name] {
        if (StateMachineEntry* e = find_machine(name)) e->deleting = false;
      },
      std::move(done));
  if (hooks_.machine_deleting) hooks_.machine_deleting(name);
}

void Catalog::finish_delete(const std::string& name) {
  StateMachineEntry* m = find_machine(name);
  if (m && m->deleting) erase_machine(*m, [](std::optional<SfnError>) {});
}

void Catalog::erase_machine(StateMachineEntry& m, Done done) {
  std::vector<Write> writes;
  writes.push_back({codec::machine_key(m.name), std::nullopt});
  for (const auto& [n, v] : m.versions) writes.push_back({codec::version_key(m.name, n), {}});
  for (const auto& [a, e] : m.aliases) writes.push_back({codec::alias_key(m.name, a), {}});
  auto node = machines_.extract(m.name);
  auto saved = std::make_shared<decltype(node)>(std::move(node));
  persist(
      std::move(writes),
      [this, saved] {
        if (!saved->empty()) machines_.insert(std::move(*saved));
      },
      std::move(done));
}

// ---------------------------------------------------------------------------------------------
// Versions.

void Catalog::publish_version(StateMachineEntry& m, std::optional<std::string> revision_id,
                              std::string description,
                              std::function<void(SfnResult<Published>)> done) {
  std::string arn = arn_of(m);
  if (m.deleting) return done(machine_deleting(arn));
  if (revision_id && *revision_id != m.current->revision_id) {
    return done(sfn_error("ConflictException",
                          "Failed to publish the State Machine version for revision " +
                              *revision_id + ". The current State Machine revision is " +
                              m.current->revision_id + "."));
  }
  if (const VersionEntry* v = version_of_revision(m, m.current)) {
    return done(Published{version_arn(arn, v->number), v->creation_ms});
  }
  int64_t now = clock_.now_ms();
  VersionEntry v{m.next_version++, m.current, std::move(description), now};
  Published out{version_arn(arn, v.number), now};
  std::vector<Write> writes{{codec::version_key(m.name, v.number), codec::encode_version(v)},
                            {codec::machine_key(m.name), codec::encode_machine(m)}};
  uint64_t number = v.number;
  m.versions[number] = std::move(v);
  std::string name = m.name;
  persist(
      std::move(writes),
      [this, name, number] {
        if (StateMachineEntry* e = find_machine(name)) {
          e->versions.erase(number);
          if (e->next_version == number + 1) e->next_version = number;
        }
      },
      [done = std::move(done), out = std::move(out)](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(out);
      });
}

void Catalog::delete_version(StateMachineEntry& m, uint64_t number, Done done) {
  auto it = m.versions.find(number);
  if (it == m.versions.end()) return done(std::nullopt);
  std::string referencing;
  for (const auto& [name, a] : m.aliases) {
    for (const auto& [v, w] : a.routing) {
      if (v == number) {
        if (!referencing.empty()) referencing += ", ";
        referencing += name;
        break;
      }
    }
  }
  if (!referencing.empty()) {
    return done(sfn_error("ConflictException",
                          "Version to be deleted must not be referenced by an alias. Current list "
                          "of aliases referencing this version: [" +
                              referencing + "]"));
  }
  VersionEntry saved = std::move(it->second);
  m.versions.erase(it);
  std::string name = m.name;
  persist(
      {{codec::version_key(name, number), std::nullopt}},
      [this, name, saved] {
        if (StateMachineEntry* e = find_machine(name)) e->versions[saved.number] = saved;
      },
      std::move(done));
}

// ---------------------------------------------------------------------------------------------
// Aliases.

void Catalog::create_alias(StateMachineEntry& m, AliasEntry alias,
                           std::function<void(SfnResult<Published>)> done) {
  std::string arn = alias_arn(arn_of(m), alias.name);
  if (m.deleting) return done(machine_deleting(arn_of(m)));
  auto it = m.aliases.find(alias.name);
  if (it != m.aliases.end()) {
    if (it->second.routing == alias.routing && it->second.description == alias.description) {
      return done(Published{arn, it->second.creation_ms});
    }
    return done(sfn_error("ConflictException",
                          "Failed to create alias because an alias with the same name and a "
                          "different routing configuration already exists."));
  }
  int64_t now = clock_.now_ms();
  alias.creation_ms = now;
  alias.update_ms = now;
  std::string name = m.name;
  std::string alias_name = alias.name;
  std::vector<Write> writes{{codec::alias_key(name, alias_name), codec::encode_alias(alias)}};
  m.aliases[alias_name] = std::move(alias);
  persist(
      std::move(writes),
      [this, name, alias_name] {
        if (StateMachineEntry* e = find_machine(name)) e->aliases.erase(alias_name);
      },
      [done = std::move(done), out = Published{arn, now}](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(out);
      });
}

void Catalog::update_alias(StateMachineEntry& m, const std::string& alias,
                           std::optional<std::string> description,
                           std::optional<std::vector<std::pair<uint64_t, int64_t>>> routing,
                           std::function<void(SfnResult<int64_t>)> done) {
  if (m.deleting) return done(machine_deleting(arn_of(m)));
  auto it = m.aliases.find(alias);
  if (it == m.aliases.end()) {
    return done(
        sfn_error("ResourceNotFound", "Request references a resource that does not exist."));
  }
  AliasEntry saved = it->second;
  if (description) it->second.description = std::move(*description);
  if (routing) it->second.routing = std::move(*routing);
  int64_t now = clock_.now_ms();
  it->second.update_ms = now;
  std::string name = m.name;
  persist(
      {{codec::alias_key(name, alias), codec::encode_alias(it->second)}},
      [this, name, saved] {
        if (StateMachineEntry* e = find_machine(name)) e->aliases[saved.name] = saved;
      },
      [done = std::move(done), now](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(now);
      });
}

void Catalog::delete_alias(StateMachineEntry& m, const std::string& alias, Done done) {
  auto it = m.aliases.find(alias);
  if (it == m.aliases.end()) return done(std::nullopt);
  AliasEntry saved = std::move(it->second);
  m.aliases.erase(it);
  std::string name = m.name;
  persist(
      {{codec::alias_key(name, alias), std::nullopt}},
      [this, name, saved] {
        if (StateMachineEntry* e = find_machine(name)) e->aliases[saved.name] = saved;
      },
      std::move(done));
}

// ---------------------------------------------------------------------------------------------
// Activities.

void Catalog::create_activity(std::string name, TagList tags, json::Value encryption,
                              std::function<void(SfnResult<CreatedActivity>)> done) {
  if (ActivityEntry* a = find_activity(name)) {
    // Idempotent on the name; different tags are ignored, as AWS does.
    if (a->encryption != encryption) {
      return done(
          sfn_error("ActivityAlreadyExists", "Activity already exists: '" + arn_of(*a) + "'"));
    }
    return done(CreatedActivity{arn_of(*a), a->creation_ms});
  }
  ActivityEntry a;
  a.name = name;
  a.creation_ms = clock_.now_ms();
  a.tags = std::move(tags);
  a.encryption = std::move(encryption);
  CreatedActivity out{arn_of(a), a.creation_ms};
  std::vector<Write> writes{{codec::activity_key(name), codec::encode_activity(a)}};
  activities_[name] = std::move(a);
  persist(
      std::move(writes), [this, name] { activities_.erase(name); },
      [done = std::move(done), out = std::move(out)](std::optional<SfnError> err) {
        if (err) return done(std::move(*err));
        done(out);
      });
}

void Catalog::delete_activity(const std::string& name, Done done) {
  auto node = activities_.extract(name);
  if (node.empty()) return done(std::nullopt);
  auto saved = std::make_shared<decltype(node)>(std::move(node));
  persist(
      {{codec::activity_key(name), std::nullopt}},
      [this, saved] { activities_.insert(std::move(*saved)); }, std::move(done));
}

// ---------------------------------------------------------------------------------------------
// Tags.

SfnResult<TagList*> Catalog::tags_of(std::string_view arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  bool ours = parsed->region == identity_.region && parsed->account == identity_.account_id;
  if (parsed->kind == ArnKind::kStateMachine) {
    StateMachineEntry* m = find_machine(parsed->machine);
    if (m && ours) return &m->tags;
  } else if (parsed->kind == ArnKind::kActivity) {
    ActivityEntry* a = find_activity(parsed->activity);
    if (a && ours) return &a->tags;
  }
  return resource_not_found(arn);
}

void Catalog::store_tags(std::string_view arn, TagList tags, Done done) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return done(std::move(parsed).error());
  if (parsed->kind == ArnKind::kStateMachine) {
    StateMachineEntry* m = find_machine(parsed->machine);
    if (!m) return done(resource_not_found(arn));
    TagList saved = std::move(m->tags);
    m->tags = std::move(tags);
    std::string name = m->name;
    return persist(
        {{codec::machine_key(name), codec::encode_machine(*m)}},
        [this, name, saved] {
          if (StateMachineEntry* e = find_machine(name)) e->tags = saved;
        },
        std::move(done));
  }
  ActivityEntry* a = parsed->kind == ArnKind::kActivity ? find_activity(parsed->activity) : nullptr;
  if (!a) return done(resource_not_found(arn));
  TagList saved = std::move(a->tags);
  a->tags = std::move(tags);
  std::string name = a->name;
  persist(
      {{codec::activity_key(name), codec::encode_activity(*a)}},
      [this, name, saved] {
        if (ActivityEntry* e = find_activity(name)) e->tags = saved;
      },
      std::move(done));
}

}  // namespace sluice::states
