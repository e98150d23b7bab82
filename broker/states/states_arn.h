// StatesArn: the ARNs of the Step Functions API, parsed and built as AWS spells them:
//   arn:aws:states:REGION:ACCOUNT:stateMachine:NAME            a state machine
//   arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:7          version 7 of it
//   arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:PROD       its alias PROD
//   arn:aws:states:REGION:ACCOUNT:activity:NAME                an activity
//   arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME       a Standard execution
//   arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:UUID    an Express execution
//   arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:UUID    a Distributed Map run
// A version qualifier is all digits; an alias name must contain a letter, '_', '-' or '.', so
// the two never collide. Parsing checks shape only: whether the resource exists is the
// catalog's business. Errors are the API's InvalidArn with AWS's message texts.
// Pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/states/sfn_result.h"
#include "broker/states/states_services.h"

namespace sluice::states {

enum class ArnKind : uint8_t {
  kStateMachine,
  kStateMachineVersion,
  kStateMachineAlias,
  kActivity,
  kExecution,
  kExpressExecution,
  kMapRun,
};

struct StatesArn {
  ArnKind kind = ArnKind::kStateMachine;
  std::string partition, region, account;
  std::string machine;    // state machine name (all kinds but kActivity)
  std::string activity;   // kActivity
  std::string qualifier;  // version number text or alias name
  uint64_t version = 0;   // kStateMachineVersion
  std::string execution;  // execution name (kExecution, kExpressExecution)
  std::string run_id;     // kExpressExecution's UUID, kMapRun's id
};

// The resource-type word AWS uses in "Resource type not valid in this context: ..." messages.
std::string_view arn_kind_word(ArnKind kind);

// Parses any Step Functions ARN. Failure: InvalidArn "Invalid Arn: 'Invalid ARN prefix: X'" for
// text that is not a states ARN, "Invalid Arn: 'Unable to parse resource: X'" for a malformed one.
SfnResult<StatesArn> parse_states_arn(std::string_view text);

// InvalidArn "Invalid Arn: 'Resource type not valid in this context: WORD'".
SfnError wrong_arn_kind(ArnKind kind);

// Builders.
std::string state_machine_arn(const StatesIdentity& id, std::string_view name);
std::string version_arn(std::string_view machine_arn, uint64_t version);
std::string alias_arn(std::string_view machine_arn, std::string_view alias);
std::string activity_arn(const StatesIdentity& id, std::string_view name);
std::string execution_arn(const StatesIdentity& id, std::string_view machine,
                          std::string_view name);
std::string express_execution_arn(const StatesIdentity& id, std::string_view machine,
                                  std::string_view name, std::string_view uuid);

// The unqualified state machine ARN of a version or alias ARN (text before the last ':').
std::string_view unqualified_arn(std::string_view qualified);

// An IAM role ARN as CreateStateMachine wants it: arn:PARTITION:iam::ACCOUNT:role/NAME.
bool is_role_arn(std::string_view text);

}  // namespace sluice::states
