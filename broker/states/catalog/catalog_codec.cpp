// See catalog_codec.h.
#include "broker/states/catalog/catalog_codec.h"

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::states::catalog_codec {

namespace {

using json::Array;
using json::Object;
using json::Value;

void append_u64be(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

std::optional<Object> parse_object(std::string_view text) {
  auto v = json::parse(text);
  if (!v || !v->is_object()) return std::nullopt;
  return std::move(v->as_object());
}

std::string str(const Object& o, std::string_view k) {
  const Value* v = o.find(k);
  return (v && v->is_string()) ? v->as_string() : std::string();
}

int64_t num(const Object& o, std::string_view k) {
  const Value* v = o.find(k);
  return (v && v->is_int()) ? v->as_int() : 0;
}

Value tags_value(const TagList& tags) {
  Array a;
  for (const auto& [k, v] : tags) a.push_back(Value(Array{Value(k), Value(v)}));
  return Value(std::move(a));
}

TagList tags_of(const Object& o) {
  TagList out;
  const Value* v = o.find("tags");
  if (!v || !v->is_array()) return out;
  for (const Value& t : v->as_array()) {
    if (t.is_array() && t.as_array().size() == 2 && t.as_array()[0].is_string() &&
        t.as_array()[1].is_string()) {
      out.emplace_back(t.as_array()[0].as_string(), t.as_array()[1].as_string());
    }
  }
  return out;
}

Value member_or_null(const Object& o, std::string_view k) {
  const Value* v = o.find(k);
  return v ? *v : Value();
}

}  // namespace

uint64_t read_u64be(std::string_view bytes) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return v;
}

std::string revision_key(uint64_t key) {
  std::string k = "R";
  append_u64be(k, key);
  return k;
}

namespace {
// kind + name; built by appending (GCC 12 misreports `"M" + std::string(name)` as overlapping).
std::string kind_key(char kind, std::string_view name) {
  std::string k;
  k.reserve(name.size() + 10);
  k.push_back(kind);
  k.append(name);
  return k;
}
}  // namespace

std::string machine_key(std::string_view name) {
  return kind_key('M', name);
}

std::string version_key(std::string_view name, uint64_t number) {
  std::string k = kind_key('V', name);
  k.push_back('\0');
  append_u64be(k, number);
  return k;
}

std::string alias_key(std::string_view name, std::string_view alias) {
  std::string k = kind_key('A', name);
  k.push_back('\0');
  k += alias;
  return k;
}

std::string activity_key(std::string_view name) {
  return kind_key('C', name);
}

std::string encode_revision(const MachineRevision& r) {
  Object o;
  o.set("express", Value(r.express));
  o.set("definition", Value(r.definition));
  o.set("roleArn", Value(r.role_arn));
  o.set("logging", r.logging);
  o.set("tracing", r.tracing);
  if (!r.encryption.is_null()) o.set("encryption", r.encryption);
  o.set("revisionId", Value(r.revision_id));
  o.set("updateMs", Value(r.update_ms));
  return json::serialize(Value(std::move(o)));
}

std::optional<MachineRevision> decode_revision(uint64_t key, std::string_view value) {
  auto o = parse_object(value);
  if (!o) return std::nullopt;
  MachineRevision r;
  r.key = key;
  const Value* ex = o->find("express");
  r.express = ex && ex->is_bool() && ex->as_bool();
  r.definition = str(*o, "definition");
  r.role_arn = str(*o, "roleArn");
  r.logging = member_or_null(*o, "logging");
  r.tracing = member_or_null(*o, "tracing");
  r.encryption = member_or_null(*o, "encryption");
  r.revision_id = str(*o, "revisionId");
  r.update_ms = num(*o, "updateMs");
  return r;
}

std::string encode_machine(const StateMachineEntry& m) {
  Object o;
  o.set("creationMs", Value(m.creation_ms));
  o.set("deleting", Value(m.deleting));
  o.set("tags", tags_value(m.tags));
  o.set("revision", Value(static_cast<int64_t>(m.current ? m.current->key : 0)));
  o.set("nextVersion", Value(static_cast<int64_t>(m.next_version)));
  return json::serialize(Value(std::move(o)));
}

std::optional<StateMachineEntry> decode_machine(std::string_view name, std::string_view value,
                                                uint64_t* current_revision) {
  auto o = parse_object(value);
  if (!o) return std::nullopt;
  StateMachineEntry m;
  m.name = std::string(name);
  m.creation_ms = num(*o, "creationMs");
  const Value* d = o->find("deleting");
  m.deleting = d && d->is_bool() && d->as_bool();
  m.tags = tags_of(*o);
  *current_revision = static_cast<uint64_t>(num(*o, "revision"));
  m.next_version = static_cast<uint64_t>(num(*o, "nextVersion"));
  if (m.next_version == 0) m.next_version = 1;
  return m;
}

std::string encode_version(const VersionEntry& v) {
  Object o;
  o.set("revision", Value(static_cast<int64_t>(v.revision ? v.revision->key : 0)));
  o.set("description", Value(v.description));
  o.set("creationMs", Value(v.creation_ms));
  return json::serialize(Value(std::move(o)));
}

std::optional<VersionEntry> decode_version(uint64_t number, std::string_view value,
                                           uint64_t* revision) {
  auto o = parse_object(value);
  if (!o) return std::nullopt;
  VersionEntry v;
  v.number = number;
  *revision = static_cast<uint64_t>(num(*o, "revision"));
  v.description = str(*o, "description");
  v.creation_ms = num(*o, "creationMs");
  return v;
}

std::string encode_alias(const AliasEntry& a) {
  Object o;
  o.set("description", Value(a.description));
  Array routing;
  for (const auto& [version, weight] : a.routing) {
    routing.push_back(Value(Array{Value(static_cast<int64_t>(version)), Value(weight)}));
  }
  o.set("routing", Value(std::move(routing)));
  o.set("creationMs", Value(a.creation_ms));
  o.set("updateMs", Value(a.update_ms));
  return json::serialize(Value(std::move(o)));
}

std::optional<AliasEntry> decode_alias(std::string_view name, std::string_view value) {
  auto o = parse_object(value);
  if (!o) return std::nullopt;
  AliasEntry a;
  a.name = std::string(name);
  a.description = str(*o, "description");
  const Value* r = o->find("routing");
  if (r && r->is_array()) {
    for (const Value& item : r->as_array()) {
      if (item.is_array() && item.as_array().size() == 2 && item.as_array()[0].is_int() &&
          item.as_array()[1].is_int()) {
        a.routing.emplace_back(static_cast<uint64_t>(item.as_array()[0].as_int()),
                               item.as_array()[1].as_int());
      }
    }
  }
  a.creation_ms = num(*o, "creationMs");
  a.update_ms = num(*o, "updateMs");
  return a;
}

std::string encode_activity(const ActivityEntry& a) {
  Object o;
  o.set("creationMs", Value(a.creation_ms));
  o.set("tags", tags_value(a.tags));
  if (!a.encryption.is_null()) o.set("encryption", a.encryption);
  return json::serialize(Value(std::move(o)));
}

std::optional<ActivityEntry> decode_activity(std::string_view name, std::string_view value) {
  auto o = parse_object(value);
  if (!o) return std::nullopt;
  ActivityEntry a;
  a.name = std::string(name);
  a.creation_ms = num(*o, "creationMs");
  a.tags = tags_of(*o);
  a.encryption = member_or_null(*o, "encryption");
  return a;
}

}  // namespace sluice::states::catalog_codec
