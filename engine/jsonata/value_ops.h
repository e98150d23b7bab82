// Operations on Vals that JSONata defines once and uses everywhere: its notion of truth, of
// equality, of appending sequences, of looking a field up, of numbers; the conversion of a result
// to json::Value; and JSON text as JavaScript's JSON.stringify writes it ($string, `&`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/json/json_value.h"
#include "engine/jsonata/value.h"

namespace sluice::engine::jsonata {

class Evaluator;

// JSONata's $boolean: nullopt for undefined. A function value held raw (in an array, or as a
// condition) is true, as JSONata's function objects are; `as_argument`: the value was passed to
// a function, where JSONata hands functions over as plain JavaScript functions, which are false.
std::optional<bool> to_boolean(const Val& v, bool as_argument = false);
// Undefined is false.
inline bool truthy(const Val& v) {
  return to_boolean(v).value_or(false);
}

// JavaScript's truthiness (the result of a $sort comparator).
bool js_truthy(const Val& v);

// Whether v is a number JSONata accepts as one; throws D1001 for ±Infinity (NaN is not numeric).
bool is_numeric(const Val& v);

// JSONata's deep equality. With ev, the walk counts against the evaluation's time limit (two
// structures that share their parts can be far larger walked than held).
bool deep_equal(const Val& a, const Val& b, Evaluator* ev = nullptr);

// JSONata's append: undefined sides disappear; otherwise both become arrays and are
// concatenated into a new plain array.
Val append(Val a, Val b);

// fn.lookup: the field of an object, or of every object in an array (results flattened one
// level into a sequence).
Val lookup(const Val& input, std::string_view key, int depth = 0);

// Deep flatten (the wildcard's).
void flatten_into(const Val& v, ArrNode* out, int depth = 0);

// The guard of recursive walks over a value's structure: U1001 (JSONata's stack overflow) when
// depth goes beyond what the C++ stack is trusted with.
void check_value_depth(int depth);

// A plain owned copy of an array's items (borrowed arrays are materialised).
ArrNode* copy_array(const Val& a);

// The number as JavaScript prints it (Number.prototype.toString).
void append_js_number(double d, std::string& out);
std::string js_number(double d);
// Number(d.toPrecision(15)).
double to_precision_15(double d);

// JSON.stringify with JSONata's replacer ($string): numbers to 15 significant digits (D1001 for
// ±Infinity inside a structure), functions as "", undefined members skipped. `pretty`: two-space
// indentation.
// `ev` (the walks below take it too): the evaluation whose time limit the walk keeps, value by
// value, for the structures that grow to millions of values.
std::string stringify(const Val& v, bool pretty, Evaluator* ev = nullptr);
// JSON text of a result, as JSON.stringify writes it (no rounding).
void append_json(const Val& v, std::string& out);
void append_json_string(std::string_view s, std::string& out);

// fn.string without the prettify argument: strings as they are, functions as "", D3001 for a
// non-finite number, everything else JSON.
std::string to_js_string(const Val& v, Evaluator* ev = nullptr);

// A result as a json::Value: integral numbers within ±2^53 become int64, others double;
// non-finite numbers are D1001; functions become "" (as $string renders them). nullopt for
// undefined.
std::optional<json::Value> to_json(const Val& v, Evaluator* ev = nullptr);

// Deep copy as owned objects and arrays (JSONata's $clone: a JSON round trip).
Val clone_value(const Val& v);

}  // namespace sluice::engine::jsonata
