// Queue policy evaluation: whether a queue's access policy (the Policy attribute, as written by
// AddPermission or SetQueueAttributes) lets a caller of another account run an action on the
// queue. Used only with --auth sigv4, and only for callers whose account is not the queue's
// owner: the owner account's keys are always allowed, as Sluice has no IAM identity policies.
//
// Rules (the IAM policy evaluation logic, reduced to resource policies): an explicit Deny that
// matches wins; else an Allow that matches allows; else the request is denied (implicitly). A
// statement matches when its Principal names the caller's account ("*", {"AWS": "*"}, the account
// id, "arn:aws:iam::<account>:root" or any other arn:aws:iam::<account>: ARN), its Action names
// the action ("sqs:SendMessage", "SQS:*", wildcards * and ?, case-insensitive) and its Resource
// the queue ARN (wildcards; no Resource matches). Statements with NotPrincipal, NotAction or
// NotResource, and Conditions, are not evaluated: such an Allow never matches and such a Deny
// always does (the safe side). Pure; any thread.
#pragma once

#include <string_view>

namespace sluice::sqs {

enum class PolicyDecision { kAllow, kExplicitDeny, kImplicitDeny };

// `action` is the SQS action name ("SendMessage"); `policy` the JSON document (empty: none,
// implicit deny; malformed: implicit deny).
PolicyDecision evaluate_queue_policy(std::string_view policy, std::string_view caller_account,
                                     std::string_view action, std::string_view queue_arn);

// Glob match with '*' (any run) and '?' (one character); case-insensitive when asked.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case);

}  // namespace sluice::sqs
