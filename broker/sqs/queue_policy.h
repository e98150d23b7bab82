// The queue access policy that AddPermission and RemovePermission edit: a JSON policy document in
// the shape SQS generates ({"Version":"2012-10-17","Id":"<queue arn>/SQSDefaultPolicy",
// "Statement":[{"Sid":<label>,"Effect":"Allow","Principal":{"AWS":<account root ARNs>},
// "Action":<"SQS:<Action>" ...>,"Resource":<queue arn>}]}). A policy set with SetQueueAttributes
// is edited in place: its other statements and members are kept. With --auth sigv4 the policy is
// enforced for callers of other accounts (policy_evaluation.h). Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/result.h"

namespace sluice::sqs {

struct PermissionGrant {
  std::string label;
  std::vector<std::string> account_ids;
  std::vector<std::string> actions;  // action names without the "SQS:" prefix, or "*"
};

// Checks a grant as AddPermission does (label, accounts, action names, the 7-action limit).
Status validate_grant(const PermissionGrant& grant);

// `policy` with a statement for `grant` appended; an empty `policy` starts a new document.
// Errors: a label already used (InvalidParameterValue), too many statements (OverLimit).
Result<std::string> add_permission_statement(std::string_view policy, std::string_view queue_arn,
                                             const PermissionGrant& grant);

// `policy` without the statement labelled `label`; empty when no statement is left (the Policy
// attribute then disappears). InvalidParameterValue when no statement has that label.
Result<std::string> remove_permission_statement(std::string_view policy, std::string_view label);

}  // namespace sluice::sqs
