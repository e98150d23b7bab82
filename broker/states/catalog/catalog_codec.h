// How the catalog's records sit in LMDB's `machines` database. Keys start with a one-letter kind:
//   'R' u64be                   -> MachineRevision (definition text, role, configurations)
//   'M' name                    -> state machine (creation date, status, tags, current revision)
//   'V' name '\0' u64be         -> version (revision key, description, creation date)
//   'A' name '\0' alias         -> alias (description, routing, dates)
//   'C' name                    -> activity
// Names never contain '\0' (control characters are invalid), so a name's versions and aliases
// sort together after it. Values are compact JSON: the catalog changes rarely and JSON keeps the
// records readable and easy to extend. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/states/catalog/catalog_records.h"

namespace sluice::states::catalog_codec {

std::string revision_key(uint64_t key);
std::string machine_key(std::string_view name);
std::string version_key(std::string_view name, uint64_t number);
std::string alias_key(std::string_view name, std::string_view alias);
std::string activity_key(std::string_view name);

std::string encode_revision(const MachineRevision& r);
// Everything but `compiled` (the caller compiles the definition).
std::optional<MachineRevision> decode_revision(uint64_t key, std::string_view value);

// The machine's revision is written as its key; decoding leaves `current` null and reports the key.
std::string encode_machine(const StateMachineEntry& m);
std::optional<StateMachineEntry> decode_machine(std::string_view name, std::string_view value,
                                                uint64_t* current_revision);

std::string encode_version(const VersionEntry& v);
std::optional<VersionEntry> decode_version(uint64_t number, std::string_view value,
                                           uint64_t* revision);

std::string encode_alias(const AliasEntry& a);
std::optional<AliasEntry> decode_alias(std::string_view name, std::string_view value);

std::string encode_activity(const ActivityEntry& a);
std::optional<ActivityEntry> decode_activity(std::string_view name, std::string_view value);

// A key's parts.
uint64_t read_u64be(std::string_view bytes);

}  // namespace sluice::states::catalog_codec
