// See variable_references.h.
#include "engine/asl/variable_references.h"

#include <set>

namespace sluice::engine::asl {

namespace {

void add_path(const std::optional<JsonPath>& p, std::set<std::string>& names) {
  if (p && p->is_variable()) names.insert(p->variable());
}

void add_field(const PathField& f, std::set<std::string>& names) {
  if (f.mode == PathField::Mode::kPath && f.path.is_variable()) names.insert(f.path.variable());
}

void add_template(const std::optional<JsonataTemplate>& t, std::set<std::string>& names) {
  if (t) t->collect_variables(names);
}

void collect(const StateMachine& m, std::map<std::string, std::vector<std::string>>& out) {
  for (const State& st : m.states) {
    std::set<std::string> names;
    add_field(st.io.input_path, names);
    add_field(st.io.output_path, names);
    if (st.io.parameters) st.io.parameters->collect_variables(names);
    if (st.io.result_selector) st.io.result_selector->collect_variables(names);
    for (const auto* p : {&st.timeout_seconds_path, &st.heartbeat_seconds_path, &st.seconds_path,
                          &st.timestamp_path, &st.items_path, &st.max_concurrency_path,
                          &st.tolerated_failure_count_path, &st.tolerated_failure_percentage_path})
      add_path(*p, names);
    for (const auto* f : {&st.error_path, &st.cause_path}) {
      if (!*f) continue;
      add_path((*f)->path, names);
      if ((*f)->call) (*f)->call->collect_variables(names);
    }
    if (st.assign) st.assign->collect_references(names);
    const JsonataFields& j = st.jsonata;
    for (const auto* t :
         {&j.arguments, &j.output, &j.items, &j.item_selector, &j.seconds, &j.timestamp, &j.error,
          &j.cause, &j.timeout_seconds, &j.heartbeat_seconds, &j.max_concurrency,
          &j.tolerated_failure_count, &j.tolerated_failure_percentage})
      add_template(*t, names);
    for (const ChoiceBranch& b : st.choices) {
      if (!b.condition) b.rule.collect_variables(names);
      add_template(b.condition, names);
      add_template(b.output, names);
      if (b.assign) b.assign->collect_references(names);
    }
    for (const Catcher& c : st.catchers) {
      add_template(c.output, names);
      if (c.assign) c.assign->collect_references(names);
    }
    if (!names.empty()) out[st.name] = std::vector<std::string>(names.begin(), names.end());
    for (const auto& b : st.branches) collect(*b, out);
    if (st.item_processor) collect(*st.item_processor, out);
  }
}

}  // namespace

std::map<std::string, std::vector<std::string>> variable_references(const StateMachine& machine) {
  std::map<std::string, std::vector<std::string>> out;
  collect(machine, out);
  return out;
}

}  // namespace sluice::engine::asl
