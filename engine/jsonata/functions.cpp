// See functions.h: the table of built-ins, built once.
#include "engine/jsonata/functions.h"

#include <unordered_map>

namespace sluice::engine::jsonata {

void add_builtin(std::vector<Builtin>& table, const char* name, const char* signature, int arity,
                 BuiltinImpl impl) {
  Builtin b;
  b.name = name;
  b.signature = Signature::parse(signature);
  b.arity = arity;
  b.impl = impl;
  table.push_back(std::move(b));
}

namespace {

struct Table {
  std::vector<Builtin> builtins;
  std::unordered_map<std::string_view, const Builtin*> by_name;
  Table() {
    register_aggregate_functions(builtins);
    register_string_functions(builtins);
    register_regex_functions(builtins);
    register_encoding_functions(builtins);
    register_numeric_functions(builtins);
    register_boolean_functions(builtins);
    register_array_functions(builtins);
    register_object_functions(builtins);
    register_hof_functions(builtins);
    register_datetime_functions(builtins);
    // Step Functions' own, last: its $random (with a seed) replaces JSONata's.
    register_aws_functions(builtins);
    for (const Builtin& b : builtins) by_name[b.name] = &b;
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

const Builtin* find_builtin(std::string_view name) {
  const Table& t = table();
  auto it = t.by_name.find(name);
  return it == t.by_name.end() ? nullptr : it->second;
}

}  // namespace sluice::engine::jsonata
