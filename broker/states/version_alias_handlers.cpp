// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion and the alias
// actions (Create/Describe/Update/Delete/ListStateMachineAliases): decoding, the routing
// configuration rules with AWS's messages, the catalog call, the output.
#include <algorithm>
#include <set>

#include "broker/states/catalog/catalog.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/states_arn.h"

namespace sluice::states {

namespace {

using Routing = std::vector<std::pair<uint64_t, int64_t>>;

SfnError no_such_alias() {
  return sfn_error("ResourceNotFound", "Request references a resource that does not exist.");
}

// The routingConfiguration member: 1-2 distinct versions of one state machine, weights 0-100
// summing to 100. On success `machine` is the state machine they belong to.
std::optional<Routing> read_routing(RequestFields& f, Catalog& catalog, bool required,
                                    StateMachineEntry** machine, const SfnReply& reply) {
  const json::Array* list = f.array("routingConfiguration", required);
  if (!f.ok() || list == nullptr) {
    if (!f.ok()) reply(f.error());
    return std::nullopt;
  }
  std::vector<std::pair<std::string, int64_t>> items;
  std::size_t i = 0;
  for (const json::Value& item : *list) {
    ++i;
    if (!item.is_object()) {
      f.type_error("routingConfiguration", "a list of routing configuration items");
      break;
    }
    RequestFields g(item.as_object());
    auto arn = g.string("stateMachineVersionArn", {true, 1, 256});
    auto weight = g.integer("weight", std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), true);
    if (!g.ok()) return reply(g.error()), std::nullopt;
    std::string at = "routingConfiguration." + std::to_string(i) + ".member.weight";
    if (*weight < 0) {
      f.violation(
          constraint_text(std::to_string(*weight), at, "have value greater than or equal to 0"));
    } else if (*weight > 100) {
      f.violation(
          constraint_text(std::to_string(*weight), at, "have value less than or equal to 100"));
    }
    items.emplace_back(*arn, *weight);
  }
  if (items.empty() && f.ok()) {
    f.violation(
        constraint_text("[]", "routingConfiguration", "have length greater than or equal to 1"));
  }
  if (items.size() > 2) {
    std::string repr = "[";
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k) repr += ", ";
      repr += "RoutingConfigurationListItem(stateMachineVersionArn=" + items[k].first +
              ", weight=" + std::to_string(items[k].second) + ")";
    }
    repr += "]";
    f.violation(
        constraint_text(repr, "routingConfiguration", "have length less than or equal to 2"));
  }
  if (!f.ok()) return reply(f.error()), std::nullopt;
  std::string arns = "[";
  for (std::size_t k = 0; k < items.size(); ++k) arns += (k ? ", " : "") + items[k].first;
  arns += "]";
  std::set<std::string> distinct;
  for (const auto& it : items) distinct.insert(it.first);
  if (distinct.size() != items.size()) {
    reply(validation_error(
        "Routing configuration must contain distinct state machine version ARNs. Received: " + arns,
        "INVALID_ROUTING_CONFIGURATION"));
    return std::nullopt;
  }
  int64_t sum = 0;
  std::string weights = "[";
  for (std::size_t k = 0; k < items.size(); ++k) {
    sum += items[k].second;
    weights += (k ? ", " : "") + std::to_string(items[k].second);
  }
  weights += "]";
  if (sum != 100) {
    reply(validation_error(
        "Sum of routing configuration weights must equal 100. Received: " + weights,
        "INVALID_ROUTING_CONFIGURATION"));
    return std::nullopt;
  }
  Routing routing;
  StateMachineEntry* owner = nullptr;
  for (const auto& [arn, weight] : items) {
    auto parsed = parse_states_arn(arn);
    StateMachineEntry* m = nullptr;
    if (parsed && parsed->kind == ArnKind::kStateMachineVersion && catalog.is_local(*parsed)) {
      m = catalog.find_machine(parsed->machine);
      if (m && !m->versions.count(parsed->version)) m = nullptr;
    }
    if (!m) {
      reply(validation_error(
          "Routing configuration must contain state machine version ARNs. Received: " + arns,
          "INVALID_ROUTING_CONFIGURATION"));
      return std::nullopt;
    }
    if (owner && owner != m) {
      reply(validation_error(
          "Routing configuration must contain versions of the same state machine. Received: " +
              arns,
          "INVALID_ROUTING_CONFIGURATION"));
      return std::nullopt;
    }
    owner = m;
    routing.emplace_back(parsed->version, weight);
  }
  *machine = owner;
  return routing;
}

// The alias an alias ARN names (machine and alias name), or the error to answer.
struct AliasRef {
  StateMachineEntry* machine = nullptr;
  std::string alias;
};
SfnResult<AliasRef> alias_ref(Catalog& catalog, const std::string& arn) {
  auto parsed = parse_states_arn(arn);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind != ArnKind::kStateMachineAlias) {
    return sfn_error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " +
                                       std::string(arn_kind_word(parsed->kind)) + "'");
  }
  AliasRef ref;
  ref.machine = catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  ref.alias = parsed->qualifier;
  return ref;
}

void write_routing(protocol::JsonWriter& w, const std::string& machine_arn, const Routing& r) {
  w.key("routingConfiguration");
  w.begin_array();
  for (const auto& [version, weight] : r) {
    w.begin_object();
    w.string_member("stateMachineVersionArn", version_arn(machine_arn, version));
    w.integer_member("weight", weight);
    w.end_object();
  }
  w.end_array();
}

void publish_state_machine_version(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  auto revision = f.string("revisionId");
  auto description = f.string("description", {false, 0, 256, true});
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto m = catalog.machine_for_arn(*arn);
  if (!m) return reply(std::move(m).error());
  catalog.publish_version(**m, std::move(revision), description.value_or(""),
                          [reply](SfnResult<Catalog::Published> r) {
                            if (!r) return reply(std::move(r).error());
                            reply(render_object([&](protocol::JsonWriter& w) {
                              timestamp_member(w, "creationDate", r->creation_ms);
                              w.string_member("stateMachineVersionArn", r->arn);
                            }));
                          });
}

void list_state_machine_versions(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  auto token = f.string("nextToken", {false, 1, 1024});
  auto max = f.integer("maxResults", 0, 1000);
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto m = catalog.machine_for_arn(*arn);
  if (!m) return reply(std::move(m).error());
  uint64_t below = UINT64_MAX;
  if (token) {
    auto pos = decode_page_token("versions", *token);
    if (!pos || pos->empty() || pos->find_first_not_of("0123456789") != std::string::npos) {
      return reply(invalid_token());
    }
    below = std::stoull(*pos);
  }
  std::size_t limit = page_size(max);
  std::string base = catalog.arn_of(**m);
  const auto& versions = (*m)->versions;
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("stateMachineVersions");
    w.begin_array();
    std::size_t n = 0;
    uint64_t last = 0;
    bool more = false;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {  // newest first
      if (it->first >= below) continue;
      if (n == limit) {
        more = true;
        break;
      }
      w.begin_object();
      w.string_member("stateMachineVersionArn", version_arn(base, it->first));
      timestamp_member(w, "creationDate", it->second.creation_ms);
      w.end_object();
      last = it->first;
      ++n;
    }
    w.end_array();
    if (more) w.string_member("nextToken", encode_page_token("versions", std::to_string(last)));
  }));
}

void delete_state_machine_version(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineVersionArn", {true, 1, 2000});
  if (reply_if_invalid(f, reply)) return;
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind != ArnKind::kStateMachineVersion) {
    return reply(validation_error("Invalid state machine version ARN: '" + *arn + "'"));
  }
  Catalog& catalog = *ctx.services.catalog;
  StateMachineEntry* m =
      catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  if (!m) return reply(empty_output());
  catalog.delete_version(*m, parsed->version, [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void create_state_machine_alias(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto description = f.string("description", {false, 0, 256, true});
  auto name = f.string("name", {true, 1, 80});
  if (reply_if_invalid(f, reply)) return;
  bool has_letter = false, charset = true;
  for (char c : *name) {
    bool digit = c >= '0' && c <= '9';
    bool ok = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
              c == '.';
    charset = charset && ok;
    has_letter = has_letter || (ok && !digit);
  }
  if (!charset || !has_letter) {
    f.violation(constraint_text(
        *name, "name",
        "satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$"));
    return reply(f.error());
  }
  Catalog& catalog = *ctx.services.catalog;
  StateMachineEntry* m = nullptr;
  auto routing = read_routing(f, catalog, true, &m, reply);
  if (!routing) return;
  AliasEntry alias;
  alias.name = *name;
  alias.description = description.value_or("");
  alias.routing = std::move(*routing);
  catalog.create_alias(*m, std::move(alias), [reply](SfnResult<Catalog::Published> r) {
    if (!r) return reply(std::move(r).error());
    reply(render_object([&](protocol::JsonWriter& w) {
      w.string_member("stateMachineAliasArn", r->arn);
      timestamp_member(w, "creationDate", r->creation_ms);
    }));
  });
}

void describe_state_machine_alias(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineAliasArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto ref = alias_ref(catalog, *arn);
  if (!ref) return reply(std::move(ref).error());
  if (!ref->machine) return reply(no_such_alias());
  auto it = ref->machine->aliases.find(ref->alias);
  if (it == ref->machine->aliases.end()) return reply(no_such_alias());
  const AliasEntry& a = it->second;
  std::string machine_arn = catalog.arn_of(*ref->machine);
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("stateMachineAliasArn", *arn);
    w.string_member("name", a.name);
    w.optional_string_member("description", a.description);
    write_routing(w, machine_arn, a.routing);
    timestamp_member(w, "creationDate", a.creation_ms);
    timestamp_member(w, "updateDate", a.update_ms);
  }));
}

void update_state_machine_alias(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineAliasArn", {true, 1, 256});
  auto description = f.string("description", {false, 0, 256, true});
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto ref = alias_ref(catalog, *arn);
  if (!ref) return reply(std::move(ref).error());
  if (!description && f.find("routingConfiguration") == nullptr) {
    return reply(sfn_error("MissingRequiredParameter",
                           "Either the description or the RoutingConfiguration must be specified"));
  }
  std::optional<Routing> routing;
  if (f.find("routingConfiguration") != nullptr) {
    StateMachineEntry* owner = nullptr;
    routing = read_routing(f, catalog, true, &owner, reply);
    if (!routing) return;
    if (ref->machine && owner != ref->machine) {
      return reply(validation_error(
          "Routing configuration must contain versions of the alias's state machine",
          "INVALID_ROUTING_CONFIGURATION"));
    }
  }
  if (!ref->machine) return reply(no_such_alias());
  catalog.update_alias(*ref->machine, ref->alias, std::move(description), std::move(routing),
                       [reply](SfnResult<int64_t> r) {
                         if (!r) return reply(std::move(r).error());
                         reply(render_object([&](protocol::JsonWriter& w) {
                           timestamp_member(w, "updateDate", *r);
                         }));
                       });
}

void delete_state_machine_alias(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineAliasArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  Catalog& catalog = *ctx.services.catalog;
  auto ref = alias_ref(catalog, *arn);
  if (!ref) return reply(std::move(ref).error());
  if (!ref->machine) return reply(empty_output());
  catalog.delete_alias(*ref->machine, ref->alias, [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void list_state_machine_aliases(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  auto token = f.string("nextToken", {false, 1, 1024});
  auto max = f.integer("maxResults", 0, 1000);
  if (reply_if_invalid(f, reply)) return;
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind != ArnKind::kStateMachine && parsed->kind != ArnKind::kStateMachineVersion) {
    return reply(wrong_arn_kind(parsed->kind));
  }
  Catalog& catalog = *ctx.services.catalog;
  StateMachineEntry* m =
      catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  if (!m ||
      (parsed->kind == ArnKind::kStateMachineVersion && !m->versions.count(parsed->version))) {
    return reply(
        sfn_error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + *arn + "'"));
  }
  if (m->deleting) {
    return reply(sfn_error("StateMachineDeleting",
                           "State Machine is being deleted: '" + catalog.arn_of(*m) + "'"));
  }
  std::vector<const AliasEntry*> list;
  for (const auto& [name, a] : m->aliases) {
    bool routes = parsed->kind == ArnKind::kStateMachine;
    for (const auto& [v, w] : a.routing) routes = routes || v == parsed->version;
    if (routes) list.push_back(&a);
  }
  std::sort(list.begin(), list.end(), [](const AliasEntry* a, const AliasEntry* b) {
    return a->creation_ms != b->creation_ms ? a->creation_ms < b->creation_ms : a->name < b->name;
  });
  std::size_t start = 0;
  if (token) {
    auto pos = decode_page_token("aliases", *token);
    if (!pos) return reply(invalid_token());
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const AliasEntry* a) { return a->name == *pos; });
    if (it == list.end()) return reply(invalid_token());
    start = static_cast<std::size_t>(it - list.begin()) + 1;
  }
  std::size_t limit = page_size(max);
  std::string machine_arn = catalog.arn_of(*m);
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("stateMachineAliases");
    w.begin_array();
    std::size_t i = start;
    for (; i < list.size() && i - start < limit; ++i) {
      w.begin_object();
      w.string_member("stateMachineAliasArn", alias_arn(machine_arn, list[i]->name));
      timestamp_member(w, "creationDate", list[i]->creation_ms);
      w.end_object();
    }
    w.end_array();
    if (i < list.size()) {
      w.string_member("nextToken", encode_page_token("aliases", list[i - 1]->name));
    }
  }));
}

}  // namespace

void register_version_alias_actions(ActionTable& actions) {
  actions.add("PublishStateMachineVersion", publish_state_machine_version);
  actions.add("ListStateMachineVersions", list_state_machine_versions);
  actions.add("DeleteStateMachineVersion", delete_state_machine_version);
  actions.add("CreateStateMachineAlias", create_state_machine_alias);
  actions.add("DescribeStateMachineAlias", describe_state_machine_alias);
  actions.add("UpdateStateMachineAlias", update_state_machine_alias);
  actions.add("DeleteStateMachineAlias", delete_state_machine_alias);
  actions.add("ListStateMachineAliases", list_state_machine_aliases);
}

}  // namespace sluice::states
