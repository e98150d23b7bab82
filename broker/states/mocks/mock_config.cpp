// See mock_config.h.
#include "broker/states/mocks/mock_config.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/json/json_parse.h"

namespace sluice::states::mocks {

namespace json = engine::json;

namespace {

Error invalid(const std::string& where, const std::string& why) {
  return make_error(ErrorCode::kInvalidParameterValue, where + ": " + why);
}

std::string quoted(std::string_view s) {
  std::string q;  // not "\"" + ...: GCC 12 warns falsely (-Wrestrict) on that
  q.reserve(s.size() + 2);
  q.push_back('"');
  q.append(s);
  q.push_back('"');
  return q;
}

// A whole decimal number, digits only.
std::optional<uint64_t> invocation_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;  // 10^9 invocations is plenty
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// "N" or "N-M" with N <= M.
Result<std::pair<uint64_t, uint64_t>> invocation_range(const std::string& where,
                                                       std::string_view key) {
  std::size_t dash = key.find('-');
  auto first = invocation_number(key.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : invocation_number(key.substr(dash + 1));
  if (!first || !last) {
    return invalid(where, "the key " + quoted(key) +
                              " is not an invocation number (\"0\") or an inclusive range of "
                              "them (\"1-2\")");
  }
  if (*last < *first) {
    return invalid(where, "the range " + quoted(key) + " ends before it starts");
  }
  return std::make_pair(*first, *last);
}

Result<MockAnswer> parse_answer(const std::string& where, const json::Value& v) {
  if (!v.is_object()) return invalid(where, "must be an object with Return or Throw");
  const json::Object& o = v.as_object();
  const json::Value* ret = o.find("Return");
  const json::Value* thr = o.find("Throw");
  if (o.size() != 1 || (ret == nullptr && thr == nullptr)) {
    return invalid(where, "must have exactly one field, Return or Throw");
  }
  MockAnswer a;
  if (ret != nullptr) {
    a.result = *ret;
    return a;
  }
  const std::string at = where + ".Throw";
  if (!thr->is_object()) return invalid(at, "must be an object with Error and Cause strings");
  for (const auto& [name, value] : thr->as_object()) {
    if (name != "Error" && name != "Cause") return invalid(at, "unknown field " + quoted(name));
    if (!value.is_string()) return invalid(at + "." + name, "must be a string");
  }
  const json::Value* error = thr->as_object().find("Error");
  const json::Value* cause = thr->as_object().find("Cause");
  if (error == nullptr) return invalid(at, "needs an Error");
  if (cause == nullptr) return invalid(at, "needs a Cause");
  if (error->as_string().empty()) return invalid(at + ".Error", "must not be empty");
  a.is_throw = true;
  a.error = error->as_string();
  a.cause = cause->as_string();
  return a;
}

Result<MockedResponse::Range> parse_range(const std::string& where, const std::string& key,
                                          const json::Value& v) {
  auto range = invocation_range(where, key);
  if (!range) return std::move(range).error();
  auto answer = parse_answer(where + "." + quoted(key), v);
  if (!answer) return std::move(answer).error();
  return MockedResponse::Range{range->first, range->second, std::move(*answer)};
}

}  // namespace

const MockAnswer* MockedResponse::at(uint64_t invocation) const {
  for (const Range& r : ranges_) {
    if (invocation >= r.first && invocation <= r.last) return &r.answer;
  }
  return nullptr;
}

const TestCase* MockConfig::test_case(std::string_view machine, std::string_view name) const {
  auto m = machines_.find(machine);
  if (m == machines_.end()) return nullptr;
  auto c = m->second.find(name);
  return c == m->second.end() ? nullptr : &c->second;
}

bool MockConfig::has_machine(std::string_view machine) const {
  return machines_.find(machine) != machines_.end();
}

Result<MockConfig> parse_mock_config(std::string_view text) {
  auto parsed = json::parse(text);
  if (!parsed) return invalid("the file", "is not JSON: " + parsed.error().message);
  if (!parsed->is_object()) return invalid("the file", "must be a JSON object");
  const json::Object& root = parsed->as_object();
  for (const auto& [name, value] : root) {
    (void)value;
    if (name != "StateMachines" && name != "MockedResponses") {
      return invalid("the file", "unknown top-level field " + quoted(name) +
                                     " (expected StateMachines and MockedResponses)");
    }
  }
  MockConfig config;

  if (const json::Value* responses = root.find("MockedResponses")) {
    if (!responses->is_object()) return invalid("MockedResponses", "must be an object");
    for (const auto& [name, value] : responses->as_object()) {
      const std::string where = "MockedResponses." + name;
      if (!value.is_object()) {
        return invalid(where, "must be an object of invocation numbers (\"0\", \"1-2\")");
      }
      MockedResponse response;
      for (const auto& [key, answer] : value.as_object()) {
        auto range = parse_range(where, key, answer);
        if (!range) return std::move(range).error();
        response.ranges_.push_back(std::move(*range));
      }
      std::sort(response.ranges_.begin(), response.ranges_.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t i = 1; i < response.ranges_.size(); ++i) {
        const auto& a = response.ranges_[i - 1];
        const auto& b = response.ranges_[i];
        if (b.first <= a.last) {
          return invalid(where, "invocation " + std::to_string(b.first) +
                                    " is answered by two keys (ranges overlap)");
        }
      }
      config.responses_.emplace(name, std::move(response));
    }
  }

  if (const json::Value* machines = root.find("StateMachines")) {
    if (!machines->is_object()) return invalid("StateMachines", "must be an object");
    for (const auto& [machine, entry] : machines->as_object()) {
      const std::string where = "StateMachines." + machine;
      if (!entry.is_object()) return invalid(where, "must be an object with TestCases");
      const json::Object& fields = entry.as_object();
      const json::Value* cases = fields.find("TestCases");
      if (fields.size() != 1 || cases == nullptr) {
        return invalid(where, "must have exactly one field, TestCases");
      }
      if (!cases->is_object()) return invalid(where + ".TestCases", "must be an object");
      auto& by_case = config.machines_[machine];
      for (const auto& [name, states] : cases->as_object()) {
        const std::string at = where + ".TestCases." + name;
        if (!states.is_object()) {
          return invalid(at, "must be an object of state name -> mocked response name");
        }
        TestCase test_case;
        for (const auto& [state, mock] : states.as_object()) {
          if (!mock.is_string()) {
            return invalid(at + "." + state, "must be the name of a mocked response (a string)");
          }
          auto r = config.responses_.find(mock.as_string());
          if (r == config.responses_.end()) {
            return invalid(at + "." + state, "names the mocked response " +
                                                 quoted(mock.as_string()) +
                                                 ", which MockedResponses does not define");
          }
          test_case.emplace(state, &r->second);
        }
        by_case.emplace(name, std::move(test_case));
      }
    }
  }
  return config;
}

Result<std::shared_ptr<const MockConfig>> load_mock_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      "cannot read " + path + ": " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto config = parse_mock_config(text.str());
  if (!config) {
    return make_error(ErrorCode::kInvalidParameterValue,
                      path + ": " + std::move(config).error().message);
  }
  return std::shared_ptr<const MockConfig>(std::make_shared<MockConfig>(std::move(config).value()));
}

}  // namespace sluice::states::mocks
