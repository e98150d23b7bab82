// Queue policy evaluation over simdjson's DOM (policies are small; parsed per foreign request).
#include "broker/sqs/policy_evaluation.h"

#include <simdjson.h>

#include <cctype>
#include <string>

namespace sluice::sqs {

namespace {

namespace dom = simdjson::dom;

char fold(char c, bool ignore_case) {
  return ignore_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Calls fn(string) for a string member or each string of an array member; false when the member
// is absent or holds something else.
template <class Fn>
bool each_string(dom::element value, Fn&& fn) {
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) {
    fn(s);
    return true;
  }
  dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS) return false;
  for (dom::element item : items) {
    if (item.get_string().get(s) == simdjson::SUCCESS) fn(s);
  }
  return true;
}

bool principal_names(std::string_view p, std::string_view account) {
  if (p == "*" || p == account) return true;
  std::string prefix = "arn:aws:iam::" + std::string(account) + ":";
  return p.substr(0, prefix.size()) == prefix;
}

bool principal_matches(dom::element principal, std::string_view account) {
  bool hit = false;
  std::string_view star;
  if (principal.get_string().get(star) == simdjson::SUCCESS) return star == "*";
  dom::element aws;
  if (principal["AWS"].get(aws) != simdjson::SUCCESS) return false;
  each_string(aws, [&](std::string_view p) { hit = hit || principal_names(p, account); });
  return hit;
}

bool action_matches(dom::element actions, std::string_view action) {
  const std::string wanted = "sqs:" + std::string(action);
  bool hit = false;
  each_string(actions, [&](std::string_view a) {
    hit = hit || a == "*" || wildcard_match(a, wanted, true);
  });
  return hit;
}

bool resource_matches(dom::element resources, std::string_view arn) {
  bool hit = false;
  each_string(resources, [&](std::string_view r) { hit = hit || wildcard_match(r, arn, false); });
  return hit;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || fold(pattern[p], ignore_case) == fold(text[t], ignore_case))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

PolicyDecision evaluate_queue_policy(std::string_view policy, std::string_view caller_account,
                                     std::string_view action, std::string_view queue_arn) {
  if (policy.empty()) return PolicyDecision::kImplicitDeny;
  dom::parser parser;
  dom::element doc;
  if (parser.parse(policy.data(), policy.size(), true).get(doc) != simdjson::SUCCESS) {
    return PolicyDecision::kImplicitDeny;
  }
  dom::element statements;
  if (doc["Statement"].get(statements) != simdjson::SUCCESS) return PolicyDecision::kImplicitDeny;
  std::vector<dom::element> list;
  dom::array array;
  if (statements.get_array().get(array) == simdjson::SUCCESS) {
    for (dom::element s : array) list.push_back(s);
  } else {
    list.push_back(statements);
  }
  bool allowed = false;
  for (dom::element s : list) {
    std::string_view effect;
    if (s["Effect"].get_string().get(effect) != simdjson::SUCCESS) continue;
    const bool deny = effect == "Deny";
    if (!deny && effect != "Allow") continue;
    dom::element unused;
    const bool unsupported = s["NotPrincipal"].get(unused) == simdjson::SUCCESS ||
                             s["NotAction"].get(unused) == simdjson::SUCCESS ||
                             s["NotResource"].get(unused) == simdjson::SUCCESS ||
                             s["Condition"].get(unused) == simdjson::SUCCESS;
    if (unsupported) {
      if (deny) return PolicyDecision::kExplicitDeny;
      continue;
    }
    dom::element principal, actions, resources;
    if (s["Principal"].get(principal) != simdjson::SUCCESS ||
        !principal_matches(principal, caller_account)) {
      continue;
    }
    if (s["Action"].get(actions) != simdjson::SUCCESS || !action_matches(actions, action)) continue;
    if (s["Resource"].get(resources) == simdjson::SUCCESS &&
        !resource_matches(resources, queue_arn)) {
      continue;
    }
    if (deny) return PolicyDecision::kExplicitDeny;
    allowed = true;
  }
  return allowed ? PolicyDecision::kAllow : PolicyDecision::kImplicitDeny;
}

}  // namespace sluice::sqs
