// The catalog's records: state machines with their revisions, versions and aliases, and
// activities. Plain values owned by the Catalog (reactor thread).
//
// A MachineRevision is one immutable configuration of a state machine: the definition text (as
// the client sent it, so DescribeStateMachine returns it unchanged), its compiled form, role,
// logging and tracing. The machine points at its current revision; versions and executions keep
// the revision they were made from, so an update never changes what a version or a running
// execution runs, and nothing is compiled twice.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/states/wire_format.h"
#include "engine/asl/definition.h"
#include "engine/json/json_value.h"

namespace sluice::states {

struct MachineRevision {
  uint64_t key = 0;  // LMDB key; unique for the life of the data directory
  bool express = false;
  std::string definition;
  std::shared_ptr<const engine::asl::StateMachine> compiled;
  std::string role_arn;
  json::Value logging;      // {level, includeExecutionData[, destinations]}: always set
  json::Value tracing;      // {enabled}: always set
  json::Value encryption;   // null unless given
  std::string revision_id;  // "" until the first UpdateStateMachine that changed something
  int64_t update_ms = 0;    // when this revision became current
};

using RevisionPtr = std::shared_ptr<const MachineRevision>;

struct VersionEntry {
  uint64_t number = 0;
  RevisionPtr revision;
  std::string description;
  int64_t creation_ms = 0;
};

struct AliasEntry {
  std::string name;
  std::string description;
  std::vector<std::pair<uint64_t, int64_t>> routing;  // (version number, weight)
  int64_t creation_ms = 0;
  int64_t update_ms = 0;
};

struct StateMachineEntry {
  std::string name;
  int64_t creation_ms = 0;
  bool deleting = false;
  TagList tags;
  RevisionPtr current;
  uint64_t next_version = 1;  // version numbers are never reused, even after deletes
  std::map<uint64_t, VersionEntry> versions;
  std::map<std::string, AliasEntry> aliases;

  bool express() const { return current->express; }
};

struct ActivityEntry {
  std::string name;
  int64_t creation_ms = 0;
  TagList tags;
  json::Value encryption;  // null unless given
};

}  // namespace sluice::states
