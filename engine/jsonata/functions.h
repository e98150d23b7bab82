// The built-in function library: JSONata 2.0.6's functions (without $eval, which Step Functions
// does not offer) and the ones Step Functions adds ($partition, $range, $hash, $random with a
// seed, $uuid, $parse). Each file functions_*.cpp registers one family; find_builtin() looks a
// name up once, at compile time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/signature.h"
#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

class Evaluator;

// What a built-in sees besides its arguments: the context value of the call and the frame it was
// called from (so the callbacks it applies run where JSONata runs them).
struct CallInfo {
  const Val& input;
  Env* env;
};

using BuiltinImpl = Val (*)(Evaluator& ev, std::vector<Val>& args, const CallInfo& call);

struct Builtin {
  std::string name;
  Signature signature;
  // The number of parameters JSONata's implementation declares: higher-order functions pass a
  // callback only as many arguments (value, index, array) as it takes.
  int arity = 1;
  BuiltinImpl impl = nullptr;
};

const Builtin* find_builtin(std::string_view name);

// Registration, one per family.
void add_builtin(std::vector<Builtin>& table, const char* name, const char* signature, int arity,
                 BuiltinImpl impl);
void register_aggregate_functions(std::vector<Builtin>& t);
void register_string_functions(std::vector<Builtin>& t);
void register_regex_functions(std::vector<Builtin>& t);
void register_encoding_functions(std::vector<Builtin>& t);
void register_numeric_functions(std::vector<Builtin>& t);
void register_boolean_functions(std::vector<Builtin>& t);
void register_array_functions(std::vector<Builtin>& t);
void register_object_functions(std::vector<Builtin>& t);
void register_hof_functions(std::vector<Builtin>& t);
void register_datetime_functions(std::vector<Builtin>& t);
void register_aws_functions(std::vector<Builtin>& t);

}  // namespace sluice::engine::jsonata
