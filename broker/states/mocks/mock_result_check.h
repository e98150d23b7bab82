// TestState's mock.fieldValidationMode: a mocked result checked against the output shape of the
// API action the Task's resource names, for the services whose models Sluice carries (SQS, Step
// Functions; sdk_output_shapes.inc, generated from the models by tools/gen_sdk_output_shapes.py).
//  - STRICT: every required member present, and PRESENT's checks;
//  - PRESENT: every member present that the model knows has the model's JSON type (object, array,
//    string, number, boolean) and, for an enumeration, one of its values;
//  - members the model does not know are ignored in both modes, as AWS ignores them.
// The action of a resource: aws-sdk:sqs:ACTION and aws-sdk:sfn:ACTION, sqs:sendMessage
// (SendMessage), states:startExecution (StartExecution; .sync and .sync:2 poll DescribeExecution,
// so their result is that shape). A .waitForTaskToken result is the callback's, a resource of
// another service has no model here: neither is checked.
// Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/json/json_value.h"

namespace sluice::states::mocks {

namespace json = engine::json;

enum class FieldValidation : uint8_t { kStrict, kPresent, kNone };

// nullopt: the result passes (or is not checked); else the ValidationException's message.
std::optional<std::string> check_mock_result(std::string_view resource, const json::Value& result,
                                             FieldValidation mode);

// Whether the resource's result can be checked (its service's model is carried).
bool mock_result_checkable(std::string_view resource);

}  // namespace sluice::states::mocks
