// Evaluator: one evaluation of a compiled Program. It walks the AST with JSONata's semantics
// (sequences and their flattening, tuple streams for @ # %, predicates, group-by, order-by,
// lambdas with tail calls on a trampoline, partial application, chains, transforms) and keeps the
// limits: evaluation depth, wall-clock time and the C++ stack itself. Built-in functions call
// back into it to apply the functions they are given.
//
// An Evaluator lives for one Expression::evaluate call, on one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

class Evaluator {
 public:
  Evaluator(const Program& program, const Bindings* bindings, const Limits& limits);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Evaluates the whole expression on input (nullptr: undefined).
  Val run(const json::Value* input);

  Val eval(const Node* n, const Val& input, Env* env);

  // JSONata's apply: validates against the signature, runs the function, and trampolines tail
  // calls. `input` is the context value (for `-` parameters); `env` the caller's frame.
  Val apply(const Val& proc, std::vector<Val>& args, const Val& input, Env* env);
  // A callback from a higher-order built-in (JSONata applies those with no context value).
  Val call(const Val& fn, std::vector<Val> args, Env* env);

  // How many arguments a higher-order function passes to fn.
  static int arity(const Val& fn);

  // Called on long loops inside built-ins: enforces the time limit.
  void tick() {
    if (++ticks_ % 1024 == 0) check_time();
  }
  // The evaluation's instant ($now, $millis, $toMillis defaults): read once, when first needed.
  int64_t timestamp_ms();
  // The generator behind $random, $shuffle and $uuid: the evaluation's own when Limits gives a
  // seed, else one per thread, seeded once.
  std::mt19937_64& rng();
  bool seeded() const { return limits_.random_seed.has_value(); }
  const Program& program() const { return program_; }

  // Keeps a document built during the evaluation ($parse) and returns a view of it.
  Val adopt_document(json::Value v) {
    documents_.push_back(std::move(v));
    return Val::from_json(documents_.back());
  }

  // Function-valued helpers the built-ins share.
  Val apply_regex(const Regex* re, const Val& subject, std::size_t from);

 private:
  struct Seq;
  Val eval_path(const Node* n, const Val& input, Env* env);
  Val eval_path_from(const Node* n, Seq input_seq, std::size_t start, Env* env);
  Val eval_step(const Node* step, const Seq& input, Env* env, bool last);
  Val eval_tuple_step(const Node* step, const Seq& input, const Val& tuples, Env* env);
  Val eval_stages(const std::vector<Stage>& stages, Val input, Env* env);
  Val eval_filter(const Node* predicate, const Val& input, Env* env);
  Val eval_binary(const Node* n, const Val& input, Env* env);
  Val eval_bool_op(const Node* n, const Val& input, Env* env);
  Val eval_negate(const Node* n, const Val& input, Env* env);
  Val eval_array(const Node* n, const Val& input, Env* env);
  Val eval_group(const std::vector<std::pair<Node*, Node*>>& pairs, int position, const Val& input,
                 Env* env);
  Val eval_sort(const Node* n, const Val& input, Env* env);
  Val eval_variable(const Node* n, const Val& input, Env* env);
  Val eval_function(const Node* n, const Val& input, Env* env, const Val* applyto);
  Val eval_partial(const Node* n, const Val& input, Env* env);
  Val eval_apply(const Node* n, const Val& input, Env* env);
  Val eval_wildcard(const Val& input);
  Val eval_descendants(const Val& input);
  Val eval_block(const Node* n, const Val& input, Env* env);

  Val apply_inner(const Val& proc, std::vector<Val>& args, const Val& input, Env* env);
  // Applies the tail calls (thunks) a function returned, until a value comes back.
  Val finish_tail_calls(Val result, const Val& input, Env* env);
  // The built-in `$name` names here, when no variable shadows it; else nullptr.
  const Builtin* direct_builtin(const Node* procedure, Env* env);
  Val apply_transform(FnNode* f, const Val& obj);
  Val lookup_variable(uint32_t id, Env* env);
  Val builtin_value(const Builtin* b);
  EnvRef tuple_frame(const Val& tuple, Env* env);
  void enter();
  void check_time();
  [[noreturn]] void fail_depth();

  const Program& program_;
  const Bindings* bindings_;
  Limits limits_;
  // What this evaluation's values hold (value.h); installed as the thread's budget while the
  // evaluator lives, the one it displaced restored after.
  MemoryBudget budget_;
  MemoryBudget* outer_budget_ = nullptr;
  Val root_input_;
  std::size_t depth_ = 0;
  uint64_t ticks_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  bool deadline_set_ = false;  // the clock is read at the first check_time(), see the constructor
  const char* stack_limit_ = nullptr;
  int64_t timestamp_ms_ = -1;
  std::unique_ptr<std::mt19937_64> seeded_rng_;  // 2.5 KB of state: only when drawn from
  // External bindings, looked up once per evaluation (kUnknown until then), by variable id; the
  // first ids live inline, so a typical evaluation allocates nothing for them.
  const json::Value* const* binding(uint32_t id);
  static constexpr std::size_t kInlineBindings = 16;
  const json::Value* binding_inline_[kInlineBindings];
  std::vector<const json::Value*> binding_overflow_;
  // Built-in function values handed out during this evaluation.
  std::vector<std::pair<const Builtin*, Val>> builtin_values_;
  // A list, not a deque: stable addresses, and nothing allocated until $parse keeps a document
  // (a deque allocates when constructed, on every evaluation).
  std::list<json::Value> documents_;
  // Frames that `$f := function...` bound a closure over themselves into (frame -> closure ->
  // frame: a cycle that counting never frees, as in any recursive function); ~Evaluator empties
  // them.
  std::vector<EnvRef> cyclic_frames_;
  // Objects a transform set a member of that leads back to the object itself (`|$|{'me': $}|`):
  // the same kind of cycle, which ~Evaluator breaks by emptying them.
  std::vector<Val> cyclic_objects_;
  // How many emptied argument vectors of finished built-in calls a thread keeps for the next
  // calls (eval_function).
  static constexpr std::size_t kArgPoolSize = 8;
};

}  // namespace sluice::engine::jsonata
