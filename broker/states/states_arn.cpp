// See states_arn.h.
#include "broker/states/states_arn.h"

#include <vector>

namespace sluice::states {

namespace {

SfnError invalid_arn(std::string detail) {
  return sfn_error("InvalidArn", "Invalid Arn: '" + detail + "'");
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool valid_region(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// CharacterRestrictedName: [a-zA-Z0-9_.-]+ with at least one character that is not a digit.
bool valid_alias_name(std::string_view s) {
  if (s.empty() || s.size() > 80) return false;
  bool non_digit = false;
  for (char c : s) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '_' && c != '-' && c != '.') return false;
    if (!(c >= '0' && c <= '9')) non_digit = true;
  }
  return non_digit;
}

std::string prefix(const StatesIdentity& id) {
  return "arn:aws:states:" + id.region + ":" + id.account_id + ":";
}

}  // namespace

std::string_view arn_kind_word(ArnKind kind) {
  switch (kind) {
    case ArnKind::kStateMachine:
    case ArnKind::kStateMachineVersion:
    case ArnKind::kStateMachineAlias:
      return "stateMachine";
    case ArnKind::kActivity:
      return "activity";
    case ArnKind::kExecution:
      return "execution";
    case ArnKind::kExpressExecution:
      return "express";
    case ArnKind::kMapRun:
      return "mapRun";
  }
  return "stateMachine";
}

SfnError wrong_arn_kind(ArnKind kind) {
  return invalid_arn("Resource type not valid in this context: " +
                     std::string(arn_kind_word(kind)));
}

SfnResult<StatesArn> parse_states_arn(std::string_view text) {
  auto parts = split(text, ':');
  if (parts.size() < 6 || parts[0] != "arn" || parts[1].substr(0, 3) != "aws" ||
      parts[2] != "states") {
    return invalid_arn("Invalid ARN prefix: " + std::string(text));
  }
  StatesArn a;
  a.partition = std::string(parts[1]);
  a.region = std::string(parts[3]);
  a.account = std::string(parts[4]);
  auto malformed = [&] { return invalid_arn("Unable to parse resource: " + std::string(text)); };
  if (!valid_region(a.region) || a.account.size() != 12 || !all_digits(a.account)) {
    return malformed();
  }
  std::string_view type = parts[5];
  std::vector<std::string_view> rest(parts.begin() + 6, parts.end());
  for (auto p : rest) {
    if (p.empty()) return malformed();
  }
  if (type == "stateMachine") {
    if (rest.empty() || rest.size() > 2) return malformed();
    a.machine = std::string(rest[0]);
    if (rest.size() == 1) {
      a.kind = ArnKind::kStateMachine;
    } else if (all_digits(rest[1])) {
      if (rest[1].size() > 18 || rest[1][0] == '0') return malformed();
      a.kind = ArnKind::kStateMachineVersion;
      a.qualifier = std::string(rest[1]);
      a.version = std::stoull(a.qualifier);
    } else {
      if (!valid_alias_name(rest[1])) return malformed();
      a.kind = ArnKind::kStateMachineAlias;
      a.qualifier = std::string(rest[1]);
    }
  } else if (type == "activity") {
    if (rest.size() != 1) return malformed();
    a.kind = ArnKind::kActivity;
    a.activity = std::string(rest[0]);
  } else if (type == "execution") {
    if (rest.size() != 2) return malformed();
    a.kind = ArnKind::kExecution;
    a.machine = std::string(rest[0]);
    a.execution = std::string(rest[1]);
  } else if (type == "express") {
    if (rest.size() != 3) return malformed();
    a.kind = ArnKind::kExpressExecution;
    a.machine = std::string(rest[0]);
    a.execution = std::string(rest[1]);
    a.run_id = std::string(rest[2]);
  } else if (type == "mapRun") {
    if (rest.size() != 2) return malformed();
    a.kind = ArnKind::kMapRun;
    a.machine = std::string(rest[0]);
    a.run_id = std::string(rest[1]);
  } else {
    return invalid_arn("Resource type not valid in this context: " + std::string(type));
  }
  return a;
}

std::string state_machine_arn(const StatesIdentity& id, std::string_view name) {
  return prefix(id) + "stateMachine:" + std::string(name);
}

std::string version_arn(std::string_view machine_arn, uint64_t version) {
  return std::string(machine_arn) + ":" + std::to_string(version);
}

std::string alias_arn(std::string_view machine_arn, std::string_view alias) {
  return std::string(machine_arn) + ":" + std::string(alias);
}

std::string activity_arn(const StatesIdentity& id, std::string_view name) {
  return prefix(id) + "activity:" + std::string(name);
}

std::string execution_arn(const StatesIdentity& id, std::string_view machine,
                          std::string_view name) {
  return prefix(id) + "execution:" + std::string(machine) + ":" + std::string(name);
}

std::string express_execution_arn(const StatesIdentity& id, std::string_view machine,
                                  std::string_view name, std::string_view uuid) {
  return prefix(id) + "express:" + std::string(machine) + ":" + std::string(name) + ":" +
         std::string(uuid);
}

std::string_view unqualified_arn(std::string_view qualified) {
  std::size_t at = qualified.rfind(':');
  return at == std::string_view::npos ? qualified : qualified.substr(0, at);
}

bool is_role_arn(std::string_view text) {
  auto parts = split(text, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[1].substr(0, 3) != "aws" ||
      parts[2] != "iam" || !parts[3].empty()) {
    return false;
  }
  if (parts[4].size() != 12 || !all_digits(parts[4])) return false;
  std::string_view res = parts[5];
  return res.size() > 5 && res.substr(0, 5) == "role/";
}

}  // namespace sluice::states
