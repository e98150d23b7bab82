// $now, $millis, $fromMillis, $toMillis. One timestamp per evaluation: every $now() and
// $millis() of an evaluation gives the same instant, as in JSONata. The pictures are format/'s.
#include <cmath>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/format/datetime_format.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"

namespace sluice::engine::jsonata {

namespace {

[[noreturn]] void fail_format(const format::FormatError& f) {
  EvalError e;
  e.code = f.code;
  e.message = f.message;
  e.preformatted = true;
  throw e;
}

std::optional<std::string_view> opt_string(const Val& v) {
  if (v.is_string()) return v.sv();
  return std::nullopt;
}

Val format_millis(double millis, const Val& picture, const Val& timezone) {
  auto r = (std::floor(millis) == millis && std::fabs(millis) < 9.2e18)
               ? format::format_datetime(static_cast<int64_t>(millis), opt_string(picture),
                                         opt_string(timezone))
               : format::format_datetime_number(millis, opt_string(picture), opt_string(timezone));
  if (!r.ok()) fail_format(r.error());
  return str_val(std::move(r).value());
}

Val fn_now(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  return format_millis(static_cast<double>(ev.timestamp_ms()), arg(args, 0), arg(args, 1));
}

Val fn_millis(Evaluator& ev, std::vector<Val>&, const CallInfo&) {
  return num_val(static_cast<double>(ev.timestamp_ms()));
}

Val fn_from_millis(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& m = arg(args, 0);
  if (m.is_undefined()) return Val();
  return format_millis(m.as_number(), arg(args, 1), arg(args, 2));
}

Val fn_to_millis(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& t = arg(args, 0);
  if (t.is_undefined()) return Val();
  auto r = format::parse_datetime(t.str(), opt_string(arg(args, 1)), ev.timestamp_ms());
  if (!r.ok()) fail_format(r.error());
  if (!r.value()) return Val();
  return num_val(*r.value());
}

}  // namespace

void register_datetime_functions(std::vector<Builtin>& t) {
  add_builtin(t, "now", "<s?s?:s>", 2, fn_now);
  add_builtin(t, "millis", "<:n>", 0, fn_millis);
  add_builtin(t, "fromMillis", "<n-s?s?:s>", 3, fn_from_millis);
  add_builtin(t, "toMillis", "<s-s?:n>", 2, fn_to_millis);
}

}  // namespace sluice::engine::jsonata
