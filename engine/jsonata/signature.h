// Function signatures: `<s-nn?:s>` and friends. A signature says which argument types a function
// accepts (s string, n number, b boolean, l null, o object, a array, f function, j any JSON value,
// x anything, (..) a choice), which may be omitted (?), repeated (+) or taken from the context
// value (-), and the item type of an array (a<n>). JSONata matches the types of the supplied
// arguments against the signature as a regular expression over one letter per argument; this
// matcher does the same backtracking by hand, so the arguments it accepts, the context it
// substitutes and the argument it blames in T0410 are JSONata's.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

class Signature {
 public:
  // Throws EvalError S0401/S0402 (position: the offset of the fault within text).
  static Signature parse(std::string_view text);

  // Checks args (undefined allowed where the signature allows it) and turns them, in place, into
  // the arguments the function receives: the context value substituted for a missing `-`
  // argument, a non-array wrapped for an `a` parameter. Throws T0410, T0411 or T0412 (index and
  // value set; the caller adds position and token), leaving args as they were.
  void validate(std::vector<Val>& args, const Val& context) const;

  const std::string& text() const { return text_; }
  std::size_t param_count() const { return params_.size(); }

 private:
  struct Param {
    std::string allowed;  // type letters accepted, 'm' (missing) included where JSONata has it
    uint32_t allowed_mask = 0;    // the same letters as bits (letter_bit)
    std::string context_allowed;  // for `-`: the letters the context value may have
    char type = 'x';              // the letter (or '(' for a choice)
    bool optional = false;
    bool repeat = false;
    bool context = false;
    std::string subtype;  // a<..> / f<..>
  };
  // The common call, settled without the matcher: each argument taken by the parameter in its
  // position, unchanged, and the parameters after the last argument optional (padded with
  // undefined). The matcher would choose the same (it is greedy, one argument per parameter
  // first); false when the call is not of that kind and the matcher must decide.
  bool pass_through(std::vector<Val>& args) const;
  // Matches the type letters against params [0, count): the length each parameter consumed, or
  // false. `whole` requires the letters to be used up (JSONata's `$` anchor).
  bool match(std::string_view letters, std::size_t count, bool whole,
             std::vector<std::size_t>& lengths) const;
  bool match_from(std::string_view letters, std::size_t pi, std::size_t pos, std::size_t count,
                  bool whole, std::vector<std::size_t>& lengths) const;

  std::string text_;
  std::vector<Param> params_;
};

// The signature letter of a value: s n b l o a f, or m for undefined.
char type_letter(const Val& v);

}  // namespace sluice::engine::jsonata
