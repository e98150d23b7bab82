// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines and ValidateStateMachineDefinition: request decoding, the catalog call, the
// output. The rules (idempotency, revisions, versions) live in the Catalog.
#include "broker/states/catalog/catalog.h"
#include "broker/states/catalog/machine_config.h"
#include "broker/states/handler_support.h"
#include "broker/states/handlers.h"
#include "broker/states/resource_name.h"
#include "broker/states/states_arn.h"
#include "engine/asl/diagnostic.h"

namespace sluice::states {

namespace {

constexpr std::size_t kMaxDefinition = 1048576;

SfnError invalid_definition(const std::vector<engine::asl::Diagnostic>& diagnostics) {
  return sfn_error("InvalidDefinition", engine::asl::invalid_definition_message(diagnostics));
}

SfnError invalid_role(std::string_view arn) {
  return sfn_error("InvalidArn", "Invalid Role Arn: '" + std::string(arn) + "'");
}

// Reads a configuration member; on error answers and returns false.
bool read_config(std::optional<SfnResult<json::Value>> read, std::optional<json::Value>& into,
                 const SfnReply& reply) {
  if (!read) return true;
  if (!read->ok()) {
    reply(std::move(*read).error());
    return false;
  }
  into = std::move(**read);
  return true;
}

void create_state_machine(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto name = f.string("name", {true, 1, 80});
  auto definition = f.string("definition", {true, 1, kMaxDefinition, true});
  auto role = f.string("roleArn", {true, 1, 256});
  auto type = f.enumeration("type", {"STANDARD", "EXPRESS"}, "[STANDARD, EXPRESS]");
  auto tags = read_tags(f, "tags");
  auto publish = f.boolean("publish");
  auto description = f.string("versionDescription", {false, 0, 256, true});
  if (reply_if_invalid(f, reply)) return;
  if (description && !publish.value_or(false)) {
    return reply(validation_error("Version description can only be set when publish is true"));
  }
  if (!is_valid_resource_name(*name)) return reply(invalid_name(*name));
  if (!is_role_arn(*role)) return reply(invalid_role(*role));
  std::optional<json::Value> logging, tracing, encryption;
  if (!read_config(read_logging(f), logging, reply) ||
      !read_config(read_tracing(f), tracing, reply) ||
      !read_config(read_encryption(f), encryption, reply)) {
    return;
  }
  if (tags && tags->size() > kMaxTags) {
    return reply(too_many_tags(state_machine_arn(ctx.identity, *name)));
  }
  Catalog& catalog = *ctx.services.catalog;
  bool express = type.value_or("STANDARD") == "EXPRESS";
  auto checked = catalog.check(*definition, express);
  if (!checked.diagnostics.empty()) return reply(invalid_definition(checked.diagnostics));

  Catalog::NewMachine m;
  m.name = std::move(*name);
  m.definition = std::move(*definition);
  m.compiled = std::move(checked.machine);
  m.express = express;
  m.role_arn = std::move(*role);
  m.logging = logging ? std::move(*logging) : default_logging();
  m.tracing = tracing ? std::move(*tracing) : default_tracing();
  m.encryption = encryption ? std::move(*encryption) : json::Value();
  m.tags = tags ? std::move(*tags) : TagList{};
  m.publish = publish.value_or(false);
  m.version_description = description.value_or("");
  catalog.create_machine(std::move(m), [reply](SfnResult<Catalog::Created> r) {
    if (!r) return reply(std::move(r).error());
    reply(render_object([&](protocol::JsonWriter& w) {
      w.string_member("stateMachineArn", r->arn);
      timestamp_member(w, "creationDate", r->creation_ms);
      w.optional_string_member("stateMachineVersionArn", r->version_arn);
    }));
  });
}

void describe_state_machine(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  f.enumeration("includedData", {"ALL_DATA", "METADATA_ONLY"}, "[ALL_DATA, METADATA_ONLY]");
  if (reply_if_invalid(f, reply)) return;
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  Catalog& catalog = *ctx.services.catalog;
  auto missing = [&] {
    reply(sfn_error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + *arn + "'"));
  };
  switch (parsed->kind) {
    case ArnKind::kStateMachine:
    case ArnKind::kStateMachineVersion:
    case ArnKind::kStateMachineAlias:
      break;
    default:
      return reply(wrong_arn_kind(parsed->kind));
  }
  StateMachineEntry* m =
      catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  if (!m || parsed->kind == ArnKind::kStateMachineAlias) return missing();
  const VersionEntry* version = nullptr;
  if (parsed->kind == ArnKind::kStateMachineVersion) {
    auto it = m->versions.find(parsed->version);
    if (it == m->versions.end()) return missing();
    version = &it->second;
  }
  const MachineRevision& r = version ? *version->revision : *m->current;
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("stateMachineArn", *arn);
    w.string_member("name", m->name);
    w.string_member("status", m->deleting ? "DELETING" : "ACTIVE");
    write_revision_config(w, r);
    w.string_member("type", r.express ? "EXPRESS" : "STANDARD");
    timestamp_member(w, "creationDate", version ? version->creation_ms : m->creation_ms);
    w.optional_string_member("revisionId", r.revision_id);
    if (version) w.optional_string_member("description", version->description);
  }));
}

void update_state_machine(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  auto definition = f.string("definition", {false, 1, kMaxDefinition, true});
  auto role = f.string("roleArn", {false, 1, 256});
  auto publish = f.boolean("publish");
  auto description = f.string("versionDescription", {false, 0, 256, true});
  if (reply_if_invalid(f, reply)) return;
  std::optional<json::Value> logging, tracing, encryption;
  if (!read_config(read_logging(f), logging, reply) ||
      !read_config(read_tracing(f), tracing, reply) ||
      !read_config(read_encryption(f), encryption, reply)) {
    return;
  }
  Catalog& catalog = *ctx.services.catalog;
  auto m = catalog.machine_for_arn(*arn);
  if (!m) return reply(std::move(m).error());
  if (!definition && !role && !logging && !tracing && !encryption) {
    return reply(sfn_error("MissingRequiredParameter",
                           "Either the definition, the role ARN, the LoggingConfiguration, or the "
                           "TracingConfiguration must be specified"));
  }
  if (description && !publish.value_or(false)) {
    return reply(validation_error("Version description can only be set when publish is true"));
  }
  if (role && !is_role_arn(*role)) return reply(invalid_role(*role));
  Catalog::MachineUpdate u;
  if (definition) {
    auto checked = catalog.check(*definition, (*m)->express());
    if (!checked.diagnostics.empty()) return reply(invalid_definition(checked.diagnostics));
    u.definition = std::move(*definition);
    u.compiled = std::move(checked.machine);
  }
  u.role_arn = std::move(role);
  u.logging = std::move(logging);
  u.tracing = std::move(tracing);
  u.encryption = std::move(encryption);
  u.publish = publish.value_or(false);
  u.version_description = description.value_or("");
  catalog.update_machine(**m, std::move(u), [reply](SfnResult<Catalog::Updated> r) {
    if (!r) return reply(std::move(r).error());
    reply(render_object([&](protocol::JsonWriter& w) {
      timestamp_member(w, "updateDate", r->update_ms);
      w.optional_string_member("revisionId", r->revision_id);
      w.optional_string_member("stateMachineVersionArn", r->version_arn);
    }));
  });
}

void delete_state_machine(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto arn = f.string("stateMachineArn", {true, 1, 256});
  if (reply_if_invalid(f, reply)) return;
  auto parsed = parse_states_arn(*arn);
  if (!parsed) return reply(std::move(parsed).error());
  if (parsed->kind == ArnKind::kStateMachineVersion ||
      parsed->kind == ArnKind::kStateMachineAlias ||
      (parsed->kind == ArnKind::kStateMachine && parsed->machine.find('/') != std::string::npos)) {
    return reply(
        validation_error("Qualified state machine ARNs cannot be deleted with "
                         "DeleteStateMachine: '" +
                         *arn + "'"));
  }
  if (parsed->kind != ArnKind::kStateMachine) return reply(wrong_arn_kind(parsed->kind));
  Catalog& catalog = *ctx.services.catalog;
  StateMachineEntry* m =
      catalog.is_local(*parsed) ? catalog.find_machine(parsed->machine) : nullptr;
  if (!m) return reply(empty_output());  // AWS answers success for a machine that is not there
  catalog.delete_machine(*m, [reply](std::optional<SfnError> err) {
    if (err) return reply(std::move(*err));
    reply(empty_output());
  });
}

void list_state_machines(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto max = f.integer("maxResults", 0, 1000);
  auto token = f.string("nextToken", {false, 1, 1024});
  if (reply_if_invalid(f, reply)) return;
  std::string after;
  if (token) {
    auto pos = decode_page_token("machines", *token);
    if (!pos) return reply(invalid_token());
    after = std::move(*pos);
  }
  Catalog& catalog = *ctx.services.catalog;
  std::size_t limit = page_size(max);
  const auto& all = catalog.machines();
  auto it = token ? all.upper_bound(after) : all.begin();
  reply(render_object([&](protocol::JsonWriter& w) {
    w.key("stateMachines");
    w.begin_array();
    std::size_t n = 0;
    std::string last;
    for (; it != all.end() && n < limit; ++it, ++n) {
      const StateMachineEntry& m = it->second;
      w.begin_object();
      w.string_member("stateMachineArn", catalog.arn_of(m));
      w.string_member("name", m.name);
      w.string_member("type", m.express() ? "EXPRESS" : "STANDARD");
      timestamp_member(w, "creationDate", m.creation_ms);
      w.end_object();
      last = m.name;
    }
    w.end_array();
    if (it != all.end()) w.string_member("nextToken", encode_page_token("machines", last));
  }));
}

void validate_state_machine_definition(SfnContext& ctx, json::Value request, SfnReply reply) {
  RequestFields f(request);
  auto definition = f.string("definition", {true, 1, kMaxDefinition, true});
  auto type = f.enumeration("type", {"STANDARD", "EXPRESS"}, "[STANDARD, EXPRESS]");
  f.enumeration("severity", {"ERROR", "WARNING"}, "[ERROR, WARNING]");
  auto max = f.integer("maxResults", 0, 100);
  if (reply_if_invalid(f, reply)) return;
  auto checked = ctx.services.catalog->check(*definition, type.value_or("STANDARD") == "EXPRESS");
  std::size_t limit = (!max || *max == 0) ? 100 : static_cast<std::size_t>(*max);
  reply(render_object([&](protocol::JsonWriter& w) {
    w.string_member("result", checked.diagnostics.empty() ? "OK" : "FAIL");
    w.key("diagnostics");
    w.begin_array();
    std::size_t n = 0;
    for (const auto& d : checked.diagnostics) {
      if (n++ == limit) break;
      w.begin_object();
      w.string_member("severity", "ERROR");
      w.string_member("code", d.code);
      w.string_member("message", d.message);
      w.optional_string_member("location", d.location);
      w.end_object();
    }
    w.end_array();
    w.boolean_member("truncated", checked.diagnostics.size() > limit);
  }));
}

}  // namespace

void register_state_machine_actions(ActionTable& actions) {
  actions.add("CreateStateMachine", create_state_machine);
  actions.add("DescribeStateMachine", describe_state_machine);
  actions.add("UpdateStateMachine", update_state_machine);
  actions.add("DeleteStateMachine", delete_state_machine);
  actions.add("ListStateMachines", list_state_machines);
  actions.add("ValidateStateMachineDefinition", validate_state_machine_definition);
}

}  // namespace sluice::states
