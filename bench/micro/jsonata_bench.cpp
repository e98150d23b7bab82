// Micro-benchmarks of native JSONata over the differential corpus (tests/jsonata/corpus/*.jsonl):
// one benchmark JsonataCorpus/<id> per usable corpus case, timing Expression::evaluate of the
// expression compiled once (outside the loop, as the engine compiles once per state-machine
// definition) on its input parsed once (inline "data" or documents/<doc>.json; "bindings" and
// "bind_docs" bound as $name). The result is built and destroyed inside the loop.
// bench/jsonata/compare times the reference (npm jsonata, bench/jsonata/reference_bench.mjs) on
// the same cases and reports the ratio.
//
// Usable: a case that is neither an expected error ("error"), nor native-only ("expect", e.g.
// corpus/aws_functions.jsonl), nor nondeterministic ("nondeterministic", "shape", or a call of
// $now $millis $random $uuid); cases that do not compile or evaluate here are reported as skipped
// (SkipWithError) on their first run. reference_bench.mjs applies the same rules.
// Limits: the ones Step Functions states evaluate with (engine/asl state_expression_limits:
// depth 1000, 1 s), a case's own "depth"/"timelimit" when it gives them.
// Corpus: $SLUICE_JSONATA_CORPUS (the corpus directory; its documents are ../documents), else
// tests/jsonata/corpus of the source tree this file was compiled from.
// Thread: each benchmark runs on one thread.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json/json_parse.h"
#include "engine/json/json_value.h"
#include "engine/jsonata/jsonata.h"

namespace sluice::microbench {
namespace {

namespace fs = std::filesystem;
namespace json = sluice::engine::json;
namespace jn = sluice::engine::jsonata;
using jn::ObjectBindings;

struct CorpusCase {
  std::string id;
  std::string expr;
  std::optional<json::Value> input;  // nullopt: no input
  std::optional<json::Value> bindings;
  jn::Limits limits;
  // Filled on the first run.
  bool prepared = false;
  std::string failure;  // non-empty: compile or evaluation failed
  std::optional<jn::Expression> compiled;
};

fs::path corpus_dir() {
  if (const char* env = std::getenv("SLUICE_JSONATA_CORPUS"); env != nullptr && *env != '\0') {
    return env;
  }
  // bench/micro/jsonata_bench.cpp -> the source root (CMake compiles with absolute paths).
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "tests/jsonata/corpus";
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool nondeterministic(const json::Object& c) {
  if (const json::Value* v = c.find("nondeterministic");
      v != nullptr && v->is_bool() && v->as_bool()) {
    return true;
  }
  if (c.contains("shape")) return true;
  static const std::regex kCalls(R"(\$(now|millis|random|uuid)\b)");
  const json::Value* e = c.find("expr");
  return e != nullptr && e->is_string() && std::regex_search(e->as_string(), kCalls);
}

void prepare(CorpusCase& c) {
  c.prepared = true;
  auto compiled = jn::Expression::compile(c.expr);
  if (!compiled.ok()) {
    c.failure = "compile: " + compiled.error().code + " " + compiled.error().message;
    return;
  }
  c.compiled.emplace(std::move(compiled).value());
  ObjectBindings bindings(c.bindings ? &*c.bindings : nullptr);
  auto r = c.compiled->evaluate(c.input ? &*c.input : nullptr, &bindings, c.limits);
  if (!r.ok()) c.failure = "evaluate: " + r.error().code + " " + r.error().message;
}

void run_case(benchmark::State& state, CorpusCase* c) {
  if (!c->prepared) prepare(*c);
  if (!c->failure.empty()) {
    state.SkipWithError(c->failure.c_str());
    return;
  }
  const jn::Expression& expr = *c->compiled;
  const json::Value* input = c->input ? &*c->input : nullptr;
  ObjectBindings bindings(c->bindings ? &*c->bindings : nullptr);
  for (auto _ : state) {
    auto r = expr.evaluate(input, &bindings, c->limits);
    benchmark::DoNotOptimize(r);
  }
}

// Loads the corpus and registers a benchmark per usable case. Cases live for the whole run.
int register_corpus() {
  const fs::path dir = corpus_dir();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (std::getenv("SLUICE_JSONATA_CORPUS") != nullptr) {
      std::fprintf(stderr, "jsonata_bench: no corpus directory %s\n", dir.c_str());
    }
    return 0;
  }
  std::map<std::string, json::Value> documents;
  if (fs::is_directory(dir.parent_path() / "documents", ec)) {
    for (const auto& f : fs::directory_iterator(dir.parent_path() / "documents")) {
      if (f.path().extension() != ".json") continue;
      auto text = read_file(f.path());
      if (!text) continue;
      auto v = json::parse(*text);
      if (v.ok()) documents.emplace(f.path().stem().string(), std::move(v).value());
    }
  }
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() == ".jsonl") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  int registered = 0;
  for (const fs::path& file : files) {
    if (file.stem() == "aws_functions")
      continue;  // Step Functions' functions: the reference lacks them
    auto text = read_file(file);
    if (!text) continue;
    std::istringstream lines(*text);
    std::string line;
    while (std::getline(lines, line)) {
      std::string_view s = line;
      auto first = s.find_first_not_of(" \t\r");
      if (first == std::string_view::npos || s[first] == '#') continue;
      auto parsed = json::parse(s);
      if (!parsed.ok() || !parsed->is_object()) continue;
      const json::Object& o = parsed->as_object();
      const json::Value* id = o.find("id");
      const json::Value* expr = o.find("expr");
      if (id == nullptr || !id->is_string() || expr == nullptr || !expr->is_string()) continue;
      if (o.contains("error") || o.contains("expect") || nondeterministic(o)) continue;
      auto c = std::make_unique<CorpusCase>();
      c->id = id->as_string();
      c->expr = expr->as_string();
      if (const json::Value* doc = o.find("doc"); doc != nullptr && doc->is_string()) {
        auto it = documents.find(doc->as_string());
        if (it == documents.end()) continue;
        c->input = it->second;
      } else if (const json::Value* data = o.find("data")) {
        c->input = *data;
      }
      json::Object bindings;
      if (const json::Value* b = o.find("bindings"); b != nullptr && b->is_object()) {
        for (const auto& [name, value] : b->as_object()) bindings.set(name, value);
      }
      if (const json::Value* b = o.find("bind_docs"); b != nullptr && b->is_object()) {
        bool missing = false;
        for (const auto& [name, doc] : b->as_object()) {
          auto it = doc.is_string() ? documents.find(doc.as_string()) : documents.end();
          if (it == documents.end()) {
            missing = true;
            break;
          }
          bindings.set(name, it->second);
        }
        if (missing) continue;
      }
      if (!bindings.empty()) c->bindings = json::Value(std::move(bindings));
      c->limits.max_depth = 1000;
      c->limits.time_limit_ms = 1000;
      if (const json::Value* d = o.find("depth"); d != nullptr && d->is_number()) {
        c->limits.max_depth = static_cast<std::size_t>(d->as_number());
      }
      if (const json::Value* t = o.find("timelimit"); t != nullptr && t->is_number()) {
        c->limits.time_limit_ms = static_cast<int64_t>(t->as_number());
      }
      CorpusCase* raw = c.release();  // lives as long as the process
      benchmark::RegisterBenchmark(("JsonataCorpus/" + raw->id).c_str(),
                                   [raw](benchmark::State& st) { run_case(st, raw); });
      ++registered;
    }
  }
  return registered;
}

[[maybe_unused]] const int kRegistered = register_corpus();

}  // namespace
}  // namespace sluice::microbench
