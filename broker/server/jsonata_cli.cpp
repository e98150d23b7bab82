// See jsonata_cli.h.
#include "broker/server/jsonata_cli.h"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json/json_parse.h"
#include "engine/json/json_serialize.h"
#include "engine/jsonata/jsonata.h"

namespace sluice::server {

namespace {

namespace jn = sluice::engine::jsonata;
namespace json = sluice::engine::json;
using jn::ObjectBindings;

constexpr const char* kUsage =
    "usage: sluice jsonata EXPRESSION [--bindings JSON] < input.json\n"
    "       sluice jsonata --jsonl < requests.jsonl\n";

// The error as the reference's protocol writes it (tests/jsonata/reference/reference.mjs): the
// position and token only when JSONata gives them, so the differential harness can tell which
// sub-expression failed.
std::string error_json(const jn::JsonataError& e, bool with_position) {
  std::string out = "{\"code\":";
  json::append_quoted(e.code, out);
  out += ",\"message\":";
  json::append_quoted(e.message, out);
  if (with_position && e.position >= 0) {
    out += ",\"position\":";
    out += std::to_string(e.position);
  }
  if (with_position && !e.token.empty()) {
    out += ",\"token\":";
    json::append_quoted(e.token, out);
  }
  out += "}";
  return out;
}

// A request line the protocol cannot take: code BADREQUEST, never a JSONata code.
std::string bad_request(std::string message) {
  jn::JsonataError e;
  e.code = "BADREQUEST";
  e.message = std::move(message);
  return "{\"error\":" + error_json(e, false) + "}";
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// One request of the --jsonl protocol; returns the response line.
std::string answer(std::string_view line) {
  auto request = json::parse(line);
  if (!request.ok() || !request->is_object()) {
    return bad_request("invalid request: " +
                       (request.ok() ? std::string("not an object") : request.error().message));
  }
  const json::Object& req = request->as_object();
  const json::Value* expr = req.find("expr");
  if (expr == nullptr || !expr->is_string()) {
    return bad_request("invalid request: \"expr\" must be a string");
  }
  jn::Limits limits;
  // Without "depth" the reference has no depth limit: allow deep recursion (the C++ stack is
  // guarded separately).
  limits.max_depth = 100000;
  if (const json::Value* d = req.find("depth"); d != nullptr && d->is_number()) {
    limits.max_depth = static_cast<std::size_t>(d->as_number());
  }
  if (const json::Value* t = req.find("timelimit"); t != nullptr && t->is_number()) {
    limits.time_limit_ms = static_cast<int64_t>(t->as_number());
  }
  auto compiled = jn::Expression::compile(expr->as_string());
  if (!compiled.ok()) return "{\"error\":" + error_json(compiled.error(), true) + "}";
  ObjectBindings bindings(req.find("bindings"));
  auto result = compiled->evaluate(req.find("data"), &bindings, limits);
  if (!result.ok()) return "{\"error\":" + error_json(result.error(), true) + "}";
  if (!result->has_value()) return "{\"undefined\":true}";
  return "{\"result\":" + jn::to_json_text(**result) + "}";
}

int run_jsonl() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (blank(line)) continue;
    std::string out = answer(line);
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int run_jsonata_cli(int argc, char** argv) {
  std::optional<std::string> expression;
  std::optional<std::string> bindings_text;
  bool jsonl = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--jsonl") {
      jsonl = true;
    } else if (a == "--bindings" && i + 1 < argc) {
      bindings_text = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!expression) {
      expression = std::string(a);
    } else {
      std::fputs(kUsage, stderr);
      return 2;
    }
  }
  if (jsonl) return run_jsonl();
  if (!expression) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::optional<json::Value> bindings_value;
  if (bindings_text) {
    auto parsed = json::parse(*bindings_text);
    if (!parsed.ok() || !parsed->is_object()) {
      std::fprintf(stderr, "sluice jsonata: --bindings must be a JSON object\n");
      return 2;
    }
    bindings_value = std::move(parsed).value();
  }
  std::string input_text((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  std::optional<json::Value> input;
  if (!blank(input_text)) {
    auto parsed = json::parse(input_text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "sluice jsonata: invalid input JSON: %s\n",
                   parsed.error().message.c_str());
      return 2;
    }
    input = std::move(parsed).value();
  }
  auto compiled = jn::Expression::compile(*expression);
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", error_json(compiled.error(), true).c_str());
    return 1;
  }
  ObjectBindings bindings(bindings_value ? &*bindings_value : nullptr);
  jn::Limits limits;
  limits.max_depth = 100000;
  auto result = compiled->evaluate(input ? &*input : nullptr, &bindings, limits);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", error_json(result.error(), true).c_str());
    return 1;
  }
  if (result->has_value()) std::printf("%s\n", jn::to_json_text(**result).c_str());
  return 0;
}

}  // namespace sluice::server
