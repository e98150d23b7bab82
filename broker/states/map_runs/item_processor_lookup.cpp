// See item_processor_lookup.h.
#include "broker/states/map_runs/item_processor_lookup.h"

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"

namespace sluice::states {

using engine::asl::MapMode;
using engine::asl::StateMachine;

const engine::asl::State* find_distributed_map(const StateMachine& machine,
                                               std::string_view label) {
  for (const auto& st : machine.states) {
    if (st.item_processor) {
      if (st.map_mode == MapMode::kDistributed && st.label == label) return &st;
      if (const auto* inner = find_distributed_map(*st.item_processor, label)) return inner;
    }
    for (const auto& branch : st.branches) {
      if (const auto* inner = find_distributed_map(*branch, label)) return inner;
    }
  }
  return nullptr;
}

std::shared_ptr<const StateMachine> find_item_processor(const StateMachine& machine,
                                                        std::string_view label) {
  const engine::asl::State* st = find_distributed_map(machine, label);
  return st ? st->item_processor : nullptr;
}

namespace {

using engine::json::Object;
using engine::json::Value;

std::string string_of(const Object& o, std::string_view key) {
  const Value* v = o.find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

const Value* processor_in(const Value& machine, std::string_view label) {
  if (!machine.is_object()) return nullptr;
  const Value* states = machine.as_object().find("States");
  if (states == nullptr || !states->is_object()) return nullptr;
  for (const auto& [name, state] : states->as_object()) {
    if (!state.is_object()) continue;
    const Object& s = state.as_object();
    const Value* proc = s.find("ItemProcessor");
    if (proc == nullptr) proc = s.find("Iterator");
    if (proc != nullptr && proc->is_object()) {
      const Value* cfg = proc->as_object().find("ProcessorConfig");
      bool distributed = cfg != nullptr && cfg->is_object() &&
                         string_of(cfg->as_object(), "Mode") == "DISTRIBUTED";
      std::string own = string_of(s, "Label");
      if (distributed && (own.empty() ? name : own) == label) return proc;
      if (const Value* inner = processor_in(*proc, label)) return inner;
    }
    if (const Value* branches = s.find("Branches"); branches && branches->is_array()) {
      for (const auto& b : branches->as_array()) {
        if (const Value* inner = processor_in(b, label)) return inner;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> item_processor_definition(std::string_view definition,
                                                     std::string_view label) {
  auto parsed = engine::json::parse(definition);
  if (!parsed) return std::nullopt;
  const Value* proc = processor_in(*parsed, label);
  if (proc == nullptr) return std::nullopt;
  return engine::json::serialize(*proc);
}

std::string_view map_run_label_of(std::string_view child_machine) {
  auto slash = child_machine.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : child_machine.substr(slash + 1);
}

}  // namespace sluice::states
