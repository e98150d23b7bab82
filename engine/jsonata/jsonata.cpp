// See jsonata.h. The boundary where internal EvalError exceptions become JsonataError values.
#include "engine/jsonata/jsonata.h"

#include <cmath>
#include <new>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/error.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/parse_tree.h"
#include "engine/jsonata/regex.h"
#include "engine/jsonata/utf8.h"
#include "engine/jsonata/value_ops.h"

namespace sluice::engine::jsonata {

namespace {

JsonataError to_public(const EvalError& e, std::string_view text) {
  JsonataError out;
  out.code = e.code;
  out.message = error_message(e);
  if (e.position >= 0) {
    auto pos = static_cast<std::size_t>(e.position);
    out.position = static_cast<int64_t>(utf16_length(text.substr(0, std::min(pos, text.size()))) +
                                        (pos > text.size() ? pos - text.size() : 0));
  }
  if (e.token) {
    if (e.token->is_string()) {
      out.token = e.token->str();
    } else if (e.token->is_number()) {
      out.token = js_number(e.token->as_number());
    } else {
      append_json(*e.token, out.token);
    }
  }
  return out;
}

JsonataError out_of_memory() {
  JsonataError e;
  e.code = "U1001";
  e.message = "Out of memory: the expression needs more memory than is available";
  return e;
}

void append_text(const json::Value& v, std::string& out) {
  switch (v.type()) {
    case json::Type::kNull:
      out += "null";
      break;
    case json::Type::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case json::Type::kInt:
      out += std::to_string(v.as_int());
      break;
    case json::Type::kDouble:
      if (std::isfinite(v.as_number())) {
        append_js_number(v.as_number(), out);
      } else {
        out += "null";
      }
      break;
    case json::Type::kString:
      append_json_string(v.as_string(), out);
      break;
    case json::Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (const json::Value& item : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_text(item, out);
      }
      out.push_back(']');
      break;
    }
    case json::Type::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, m] : v.as_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(k, out);
        out.push_back(':');
        append_text(m, out);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string to_json_text(const json::Value& v) {
  std::string out;
  append_text(v, out);
  return out;
}

Result<Expression, JsonataError> Expression::compile(std::string_view text) {
  auto program = std::make_shared<Program>();
  try {
    ParseTree tree;
    parse_tree(text, tree);
    program->root = post_parse(tree.root, *program);
  } catch (const EvalError& e) {
    return to_public(e, text);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
  Expression expr;
  expr.program_ = std::move(program);
  expr.text_ = std::make_shared<const std::string>(text);
  return expr;
}

Result<std::optional<json::Value>, JsonataError> Expression::evaluate(const json::Value* input,
                                                                      const Bindings* bindings,
                                                                      const Limits& limits) const {
  try {
    Evaluator ev(*program_, bindings, limits);
    Val result = ev.run(input);
    return to_json(result, &ev);
  } catch (const EvalError& e) {
    return to_public(e, *text_);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
}

}  // namespace sluice::engine::jsonata
