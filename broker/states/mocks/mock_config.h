// MockConfig: the mock configuration file of AWS Step Functions Local (MockConfigFile.json, the
// format other local Step Functions tools reuse), parsed once at start (--mock-config,
// SFN_MOCK_CONFIG) and immutable afterwards:
//
//   {"StateMachines": {MACHINE: {"TestCases": {CASE: {STATE: MOCK, ...}}}},
//    "MockedResponses": {MOCK: {"0": {"Return": ANY_JSON},
//                               "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}
//
// A test case maps Task state names to mocked responses. A mocked response answers each
// invocation of the state (0 is the first; every attempt counts, retries included) from the key
// that covers that number: "N" or an inclusive range "N-M". Each answer has exactly one of
// Return (the task's result, any JSON) or Throw (its error, Error and Cause strings).
//
// Parsing is strict where Step Functions Local's meaning is unambiguous (shapes, key syntax,
// overlapping ranges, a test case naming a mocked response that is not there) so that a
// mistake stops the server at start with a message naming where it is; an invocation no key
// covers is not a file error: as in Step Functions Local, the state fails when it gets there.
// Pure; immutable after parse, so any thread may read it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json/json_value.h"
#include "storage/result.h"

namespace sluice::states::mocks {

class MockConfig;
// The file's text -> MockConfig. The error (kInvalidParameterValue) names the field at fault,
// e.g. "MockedResponses.MockedLambdaRetry: ranges \"0-2\" and \"2\" overlap".
Result<MockConfig> parse_mock_config(std::string_view text);

// One answer of a mocked Task: Return (the result) or Throw (the error).
struct MockAnswer {
  bool is_throw = false;
  engine::json::Value result;  // Return's value
  std::string error;           // Throw's Error
  std::string cause;           // Throw's Cause
};

// A mocked response: answers by invocation number.
class MockedResponse {
 public:
  struct Range {
    uint64_t first = 0;
    uint64_t last = 0;  // inclusive
    MockAnswer answer;
  };
  // The answer for the invocation-th call (0-based); null when no key covers it.
  const MockAnswer* at(uint64_t invocation) const;
  // Ranges in ascending order, never overlapping.
  const std::vector<Range>& ranges() const { return ranges_; }

 private:
  friend Result<MockConfig> parse_mock_config(std::string_view text);
  std::vector<Range> ranges_;
};

// A test case: Task state name -> the mocked response that answers it.
using TestCase = std::map<std::string, const MockedResponse*, std::less<>>;

class MockConfig {
 public:
  MockConfig() = default;
  MockConfig(MockConfig&&) = default;
  MockConfig& operator=(MockConfig&&) = default;
  MockConfig(const MockConfig&) = delete;
  MockConfig& operator=(const MockConfig&) = delete;

  // The test case CASE of the state machine named MACHINE; null when there is none.
  const TestCase* test_case(std::string_view machine, std::string_view test_case) const;
  bool has_machine(std::string_view machine) const;

 private:
  friend Result<MockConfig> parse_mock_config(std::string_view text);
  // Owned here; TestCase entries point into it (std::map nodes do not move).
  std::map<std::string, MockedResponse, std::less<>> responses_;
  std::map<std::string, std::map<std::string, TestCase, std::less<>>, std::less<>> machines_;
};

// Reads and parses the file at `path`; the error names the file.
Result<std::shared_ptr<const MockConfig>> load_mock_config(const std::string& path);

}  // namespace sluice::states::mocks
