// See definition_check.h.
#include "broker/states/catalog/definition_check.h"

namespace sluice::states {

namespace {

using engine::asl::Diagnostic;
using engine::asl::StateMachine;
using engine::asl::StateType;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void walk(const StateMachine& m, const std::string& at, bool express, const ResourceCheck& check,
          std::vector<Diagnostic>& out) {
  for (const auto& st : m.states) {
    std::string loc = at + "/States/" + st.name;
    if (st.type == StateType::kTask) {
      std::string rloc = loc + "/Resource";
      const std::string& r = st.resource;
      if (express) {
        // AWS's own texts, trailing space included for .waitForTaskToken.
        if (ends_with(r, ".waitForTaskToken")) {
          out.push_back({"SCHEMA_VALIDATION_FAILED",
                         "Express state machine does not support '.waitForTaskToken' service "
                         "integration ",
                         rloc});
          continue;
        }
        if (ends_with(r, ".sync") || r.find(".sync:") != std::string::npos) {
          out.push_back({"SCHEMA_VALIDATION_FAILED",
                         "Express state machine does not support '.sync' service integration",
                         rloc});
          continue;
        }
        if (r.find(":activity:") != std::string::npos) {
          out.push_back({"SCHEMA_VALIDATION_FAILED",
                         "Express state machine does not support Activity ARN", rloc});
          continue;
        }
      }
      if (check) {
        if (auto problem = check(r)) out.push_back({"SCHEMA_VALIDATION_FAILED", *problem, rloc});
      }
    }
    for (std::size_t i = 0; i < st.branches.size(); ++i) {
      walk(*st.branches[i], loc + "/Branches/" + std::to_string(i), express, check, out);
    }
    if (st.item_processor) walk(*st.item_processor, loc + "/ItemProcessor", express, check, out);
  }
}

}  // namespace

DefinitionCheck check_definition(std::string_view text, bool express,
                                 const ResourceCheck& check_resource) {
  auto parsed = engine::asl::parse_definition(text);
  DefinitionCheck out;
  out.diagnostics = std::move(parsed.diagnostics);
  if (!out.diagnostics.empty()) return out;
  walk(*parsed.machine, "", express, check_resource, out.diagnostics);
  if (out.diagnostics.empty()) out.machine = std::move(parsed.machine);
  return out;
}

}  // namespace sluice::states
