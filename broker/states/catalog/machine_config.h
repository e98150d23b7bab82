// The configuration members of CreateStateMachine/UpdateStateMachine (loggingConfiguration,
// tracingConfiguration, encryptionConfiguration): read from a request, checked and normalised the
// way DescribeStateMachine returns them (logging defaults to level OFF without execution data,
// tracing to disabled), and written back out. Pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "broker/protocol/json_writer.h"
#include "broker/states/catalog/catalog_records.h"
#include "broker/states/request_fields.h"
#include "broker/states/sfn_result.h"

namespace sluice::states {

// nullopt when the member is absent. Errors: InvalidLoggingConfiguration, ValidationException.
std::optional<SfnResult<json::Value>> read_logging(RequestFields& fields);
std::optional<SfnResult<json::Value>> read_tracing(RequestFields& fields);
std::optional<SfnResult<json::Value>> read_encryption(RequestFields& fields);

json::Value default_logging();
json::Value default_tracing();

// definition, roleArn, loggingConfiguration, tracingConfiguration[, encryptionConfiguration]
// [, variableReferences].
void write_revision_config(protocol::JsonWriter& w, const MachineRevision& r);

// A JSON value as a member (stored configuration objects).
void value_member(protocol::JsonWriter& w, std::string_view name, const json::Value& v);

}  // namespace sluice::states
