// See signature.h.
#include "engine/jsonata/signature.h"

#include "engine/jsonata/error.h"

namespace sluice::engine::jsonata {

char type_letter(const Val& v) {
  switch (v.kind()) {
    case Kind::kFunction:
      return 'f';
    case Kind::kString:
      return 's';
    case Kind::kNumber:
      return 'n';
    case Kind::kBool:
      return 'b';
    case Kind::kNull:
      return 'l';
    case Kind::kArray:
      return 'a';
    case Kind::kObject:
    case Kind::kTuple:
      return 'o';
    case Kind::kUndefined:
      return 'm';
  }
  return 'm';
}

namespace {

uint32_t letter_bit(char c) {
  return uint32_t{1} << (static_cast<unsigned char>(c) & 31);
}

std::size_t closing(std::string_view s, std::size_t start, char open, char close) {
  int depth = 1;
  std::size_t pos = start;
  while (pos < s.size()) {
    ++pos;
    if (pos >= s.size()) break;
    if (s[pos] == close) {
      if (--depth == 0) break;
    } else if (s[pos] == open) {
      ++depth;
    }
  }
  return pos;
}

// value by const reference: see throw_value_error in error.h.
[[noreturn]] void signature_error(const char* code, const std::string& value, std::size_t offset) {
  EvalError e;
  e.code = code;
  e.value = Val::string(value);
  e.position = static_cast<int64_t>(offset);
  throw e;
}

}  // namespace

Signature Signature::parse(std::string_view text) {
  Signature sig;
  sig.text_ = std::string(text);
  Param param;
  Param* prev = nullptr;
  auto next = [&] {
    sig.params_.push_back(param);
    param = Param();
    prev = &sig.params_.back();
  };
  Param dummy;  // JSONata's "previous parameter" before any exists
  std::size_t pos = 1;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ':') break;  // the return type is not checked
    Param& p = prev != nullptr ? *prev : dummy;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.allowed.assign(1, c);
        param.allowed.push_back('m');
        param.type = c;
        next();
        break;
      case 'a':
        param.allowed = "asnblfom";
        param.type = 'a';
        next();
        break;
      case 'f':
        param.allowed.assign(1, 'f');
        param.type = 'f';
        next();
        break;
      case 'j':
        param.allowed = "asnblom";
        param.type = 'j';
        next();
        break;
      case 'x':
        param.allowed = "asnblfom";
        param.type = 'x';
        next();
        break;
      case '-':
        p.context = true;
        p.context_allowed = p.allowed;
        p.optional = true;
        break;
      case '?':
        p.optional = true;
        break;
      case '+':
        p.repeat = true;
        break;
      case '(': {
        std::size_t end = closing(text, pos, '(', ')');
        std::string_view choice =
            text.substr(pos + 1, end > pos + 1 ? std::min(end, text.size()) - pos - 1 : 0);
        if (choice.find('<') != std::string_view::npos) {
          signature_error("S0402", std::string(choice), pos);
        }
        param.allowed.assign(choice);
        param.allowed.push_back('m');
        param.type = '(';
        pos = end;
        next();
        break;
      }
      case '<': {
        if (p.type == 'a' || p.type == 'f') {
          std::size_t end = closing(text, pos, '<', '>');
          p.subtype = std::string(
              text.substr(pos + 1, end > pos + 1 ? std::min(end, text.size()) - pos - 1 : 0));
          pos = end;
        } else {
          signature_error("S0401", std::string(1, p.type), pos);
        }
        break;
      }
      default:
        break;
    }
    ++pos;
  }
  for (Param& p : sig.params_) {
    for (char c : p.allowed) p.allowed_mask |= letter_bit(c);
  }
  return sig;
}

bool Signature::pass_through(std::vector<Val>& args) const {
  std::size_t n = args.size();
  if (n > params_.size()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const Param& p = params_[i];
    char letter = type_letter(args[i]);
    if (p.repeat || (p.allowed_mask & letter_bit(letter)) == 0) return false;
    // An `a` parameter wraps a non-array and checks an a<..> item type: the matcher's path.
    if (p.type == 'a' && (letter != 'a' || !p.subtype.empty())) return false;
  }
  for (std::size_t i = n; i < params_.size(); ++i) {
    const Param& p = params_[i];
    if (!p.optional || p.context || p.repeat) return false;
  }
  args.resize(params_.size());
  return true;
}

bool Signature::match_from(std::string_view letters, std::size_t pi, std::size_t pos,
                           std::size_t count, bool whole, std::vector<std::size_t>& lengths) const {
  if (pi == count) return !whole || pos == letters.size();
  const Param& p = params_[pi];
  // How many letters this parameter can take from pos, greedy first.
  std::size_t avail = 0;
  while (pos + avail < letters.size() &&
         p.allowed.find(letters[pos + avail]) != std::string::npos) {
    ++avail;
    if (!p.repeat) break;
  }
  std::size_t max = p.repeat ? avail : std::min<std::size_t>(avail, 1);
  std::size_t min = p.optional ? 0 : 1;
  for (std::size_t n = max + 1; n-- > min;) {
    lengths[pi] = n;
    if (match_from(letters, pi + 1, pos + n, count, whole, lengths)) return true;
    if (n == 0) break;
  }
  return false;
}

bool Signature::match(std::string_view letters, std::size_t count, bool whole,
                      std::vector<std::size_t>& lengths) const {
  lengths.assign(params_.size(), 0);
  return match_from(letters, 0, 0, count, whole, lengths);
}

void Signature::validate(std::vector<Val>& args, const Val& context) const {
  if (pass_through(args)) return;
  std::string letters;
  letters.reserve(args.size());
  for (const Val& a : args) letters.push_back(type_letter(a));
  // Every built-in call comes through here: the lengths live in a per-thread buffer (match()
  // never re-enters validate()), and the common call, whose arguments pass through unchanged,
  // is settled in place below without building a second vector.
  thread_local std::vector<std::size_t> lengths;
  if (!match(letters, params_.size(), true, lengths)) {
    // Blame the first argument that a growing prefix of the signature cannot match.
    std::size_t good_to = 0;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      std::vector<std::size_t> partial;
      if (!match(letters, i + 1, false, partial)) break;
      good_to = 0;
      for (std::size_t k = 0; k <= i; ++k) good_to += partial[k];
    }
    EvalError e;
    e.code = "T0410";
    e.value = good_to < args.size() ? args[good_to] : Val();
    e.index = static_cast<int>(good_to) + 1;
    throw e;
  }
  std::size_t passed_through = 0;
  bool unchanged = true;
  for (std::size_t pi = 0; pi < params_.size() && unchanged; ++pi) {
    const Param& p = params_[pi];
    if (lengths[pi] == 0) {
      if (p.context && !p.context_allowed.empty()) unchanged = false;
      ++passed_through;
    } else if (p.type == 'a' &&
               !(p.subtype.empty() && lengths[pi] == 1 && letters[passed_through] == 'a')) {
      unchanged = false;
    } else {
      passed_through += lengths[pi];
    }
  }
  if (unchanged) {
    // The loop below would copy args[0, passed_through) and pad with undefined: do that in place.
    args.resize(passed_through);
    return;
  }
  std::vector<Val> out;
  out.reserve(params_.size() + 1);
  std::size_t arg_index = 0;
  for (std::size_t pi = 0; pi < params_.size(); ++pi) {
    const Param& p = params_[pi];
    Val arg = arg_index < args.size() ? args[arg_index] : Val();
    if (lengths[pi] == 0) {
      if (p.context && !p.context_allowed.empty()) {
        if (p.context_allowed.find(type_letter(context)) != std::string::npos) {
          out.push_back(context);
        } else {
          EvalError e;
          e.code = "T0411";
          e.value = context;
          e.index = static_cast<int>(arg_index) + 1;
          throw e;
        }
      } else {
        out.push_back(std::move(arg));
        ++arg_index;
      }
      continue;
    }
    for (std::size_t k = 0; k < lengths[pi]; ++k) {
      char single = letters[arg_index];
      if (p.type == 'a') {
        Val item;
        if (single != 'm') {
          item = args[arg_index];
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' &&
                !(lengths[pi] == 1 && p.subtype.size() == 1 && p.subtype[0] == single)) {
              ok = false;
            } else if (single == 'a' && item.size() > 0) {
              char item_type = type_letter(item.at(0));
              if (item_type != p.subtype[0]) {
                ok = false;
              } else {
                for (std::size_t j = 1; j < item.size(); ++j) {
                  if (type_letter(item.at(j)) != item_type) {
                    ok = false;
                    break;
                  }
                }
              }
            }
          }
          if (!ok) {
            static const char* const kNames[][2] = {{"a", "arrays"},    {"b", "booleans"},
                                                    {"f", "functions"}, {"n", "numbers"},
                                                    {"o", "objects"},   {"s", "strings"}};
            EvalError e;
            e.code = "T0412";
            e.value = item;
            e.index = static_cast<int>(arg_index) + 1;
            for (const auto& n : kNames) {
              if (p.subtype == n[0]) e.type = n[1];
            }
            throw e;
          }
          if (single != 'a') {
            ArrNode* wrap = new_array();
            wrap->items.push_back(std::move(item));
            item = Val::adopt_array(wrap);
          }
        }
        out.push_back(std::move(item));
      } else {
        out.push_back(arg);
      }
      ++arg_index;
    }
  }
  args.swap(out);
}

}  // namespace sluice::engine::jsonata
