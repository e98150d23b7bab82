// $append, $reverse, $shuffle, $distinct, $sort, $zip.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/function_util.h"
#include "engine/jsonata/functions.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

Val fn_append(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  return append(arg(args, 0), arg(args, 1));
}

Val fn_reverse(Evaluator&, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.size() <= 1) return a;
  ArrNode* out = copy_array(a);
  std::reverse(out->items.begin(), out->items.end());
  return Val::adopt_array(out);
}

Val fn_shuffle(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.size() <= 1) return a;
  // The "inside-out" Fisher-Yates, as JSONata.
  std::size_t n = a.size();
  ArrNode* out = new_array();
  out->items.resize(n);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    auto j = static_cast<std::size_t>(std::floor(unit(ev.rng()) * static_cast<double>(i + 1)));
    if (j > i) j = i;
    if (i != j) out->items[i] = out->items[j];
    out->items[j] = a.at(i);
  }
  return Val::adopt_array(out);
}

// A hashable identity for scalars (deep equality of scalars is identity of this key).
bool scalar_key(const Val& v, std::string& key) {
  key.clear();
  switch (v.kind()) {
    case Kind::kNull:
      key.push_back('l');
      return true;
    case Kind::kBool:
      key.push_back(v.as_bool() ? 't' : 'f');
      return true;
    case Kind::kNumber: {
      double d = v.as_number();
      if (std::isnan(d)) return false;  // NaN equals nothing
      if (d == 0) d = 0;                // -0 equals 0
      key.push_back('n');
      key.append(reinterpret_cast<const char*>(&d), sizeof d);
      return true;
    }
    case Kind::kString:
      key.push_back('s');
      key += v.str();
      return true;
    default:
      return false;
  }
}

Val fn_distinct(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (!a.is_array() || a.size() <= 1) return a;
  ArrNode* out = a.is_sequence() ? new_sequence() : new_array();
  Val result = Val::adopt_array(out);
  std::unordered_set<std::string> seen;
  std::vector<Val> structured;  // objects and arrays kept so far (compared deeply)
  std::string key;
  std::size_t n = a.size();
  for (std::size_t i = 0; i < n; ++i) {
    Val v = a.at(i);
    ev.tick();
    if (scalar_key(v, key)) {
      if (seen.insert(key).second) out->items.push_back(std::move(v));
      continue;
    }
    bool found = false;
    for (const Val& s : structured) {
      if (deep_equal(s, v, &ev)) {
        found = true;
        break;
      }
    }
    if (!found) {
      if (v.is_array() || v.is_object()) structured.push_back(v);
      out->items.push_back(std::move(v));
    }
  }
  return result;
}

// JSONata's merge sort: top-down, the comparator says whether a must come after b.
template <class After>
void merge_sort(ValVector& v, ValVector& tmp, std::size_t lo, std::size_t hi, After& after,
                Evaluator& ev) {
  if (hi - lo <= 1) return;
  std::size_t mid = lo + (hi - lo) / 2;
  merge_sort(v, tmp, lo, mid, after, ev);
  merge_sort(v, tmp, mid, hi, after, ev);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    ev.tick();
    if (after(v[i], v[j])) {
      tmp[k++] = v[j++];
    } else {
      tmp[k++] = v[i++];
    }
  }
  while (i < mid) tmp[k++] = v[i++];
  while (j < hi) tmp[k++] = v[j++];
  for (std::size_t x = lo; x < hi; ++x) v[x] = std::move(tmp[x]);
}

Val fn_sort(Evaluator& ev, std::vector<Val>& args, const CallInfo& call) {
  const Val& a = arg(args, 0);
  if (a.is_undefined()) return Val();
  if (a.size() <= 1) return a;
  std::size_t n = a.size();
  ValVector items;
  items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) items.push_back(a.at(i));
  ValVector tmp(n);
  const Val& comparator = arg(args, 1);
  if (comparator.is_undefined()) {
    bool numbers = true, strings = true;
    for (const Val& v : items) {
      if (!is_numeric(v)) numbers = false;
      if (!v.is_string()) strings = false;
    }
    if (!numbers && !strings) fail("D3070", std::nullopt, 1);
    auto after = [&](const Val& x, const Val& y) {
      if (numbers) return x.as_number() > y.as_number();
      return compare_utf16(x.str(), y.str()) > 0;
    };
    merge_sort(items, tmp, 0, n, after, ev);
  } else {
    auto after = [&](const Val& x, const Val& y) {
      return js_truthy(ev.call(comparator, {x, y}, call.env));
    };
    merge_sort(items, tmp, 0, n, after, ev);
  }
  ArrNode* out = new_array();
  out->items = std::move(items);
  return Val::adopt_array(out);
}

Val fn_zip(Evaluator& ev, std::vector<Val>& args, const CallInfo&) {
  ArrNode* out = new_array();
  Val result = Val::adopt_array(out);
  std::size_t length = SIZE_MAX;
  for (const Val& a : args) length = std::min(length, a.is_array() ? a.size() : std::size_t{0});
  if (args.empty()) length = 0;
  for (std::size_t i = 0; i < length; ++i) {
    ArrNode* tuple = new_array();
    for (const Val& a : args) tuple->items.push_back(a.at(i));
    out->items.push_back(Val::adopt_array(tuple));
    ev.tick();
  }
  return result;
}

}  // namespace

void register_array_functions(std::vector<Builtin>& t) {
  add_builtin(t, "append", "<xx:a>", 2, fn_append);
  add_builtin(t, "reverse", "<a:a>", 1, fn_reverse);
  add_builtin(t, "shuffle", "<a:a>", 1, fn_shuffle);
  add_builtin(t, "distinct", "<x:x>", 1, fn_distinct);
  add_builtin(t, "sort", "<af?:a>", 2, fn_sort);
  add_builtin(t, "zip", "<a+>", 0, fn_zip);
}

}  // namespace sluice::engine::jsonata
