// Editing the queue policy document: parse with simdjson's DOM (documents are small and edited
// rarely), keep every existing member as it was (minified), and write the new statement with the
// JsonWriter.
#include "broker/sqs/queue_policy.h"

#include <simdjson.h>

#include "broker/protocol/json_writer.h"
#include "broker/sqs/api/action.h"

namespace sluice::sqs {

namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxLabelLength = 80;
constexpr size_t kMaxActionsPerStatement = 7;
constexpr size_t kMaxStatements = 20;
// The policy language version AWS writes into a policy that AddPermission starts.
constexpr std::string_view kPolicyVersion = "2012-10-17";

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

Error label_error(std::string_view label, std::string_view reason) {
  return invalid("Value " + std::string(label) +
                 " for parameter Label is invalid. Reason: " + std::string(reason));
}

// The parts of a policy document: its Version and Id, its statements and any other members, each
// as minified JSON text so nothing of it is lost.
struct Document {
  std::string version;
  std::string id;
  std::vector<std::pair<std::string, std::string>> statements;  // (Sid, statement JSON)
  std::vector<std::pair<std::string, std::string>> others;      // (key, value JSON)
};

Result<Document> parse(std::string_view policy) {
  Document doc;
  if (policy.empty()) return doc;
  dom::parser parser;
  dom::object obj;
  if (parser.parse(policy.data(), policy.size(), true).get_object().get(obj) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kInvalidAttributeValue,
                      "Invalid value for the parameter Policy: the queue's policy is not a JSON "
                      "object.");
  }
  auto add_statement = [&](dom::element s) {
    std::string_view sid;
    if (s["Sid"].get_string().get(sid) != simdjson::SUCCESS) sid = {};
    doc.statements.emplace_back(std::string(sid), simdjson::minify(s));
  };
  for (auto field : obj) {
    std::string_view text;
    if (field.key == "Version" && field.value.get_string().get(text) == simdjson::SUCCESS) {
      doc.version = std::string(text);
    } else if (field.key == "Id" && field.value.get_string().get(text) == simdjson::SUCCESS) {
      doc.id = std::string(text);
    } else if (field.key == "Statement") {
      dom::array list;
      if (field.value.get_array().get(list) == simdjson::SUCCESS) {
        for (dom::element s : list) add_statement(s);
      } else {
        add_statement(field.value);
      }
    } else {
      doc.others.emplace_back(std::string(field.key), simdjson::minify(field.value));
    }
  }
  return doc;
}

std::string render(const Document& doc) {
  std::string out = "{\"Version\":";
  protocol::append_json_string(out, doc.version.empty() ? kPolicyVersion : doc.version);
  if (!doc.id.empty()) {
    out.append(",\"Id\":");
    protocol::append_json_string(out, doc.id);
  }
  out.append(",\"Statement\":[");
  for (size_t i = 0; i < doc.statements.size(); ++i) {
    if (i) out.push_back(',');
    out.append(doc.statements[i].second);
  }
  out.push_back(']');
  for (const auto& [key, value] : doc.others) {
    out.push_back(',');
    protocol::append_json_string(out, key);
    out.push_back(':');
    out.append(value);
  }
  out.push_back('}');
  return out;
}

// A single value as a string, several as an array: the shape SQS writes.
void one_or_many(protocol::JsonWriter& w, std::string_view key,
                 const std::vector<std::string>& values) {
  w.key(key);
  if (values.size() == 1) return w.string(values.front());
  w.begin_array();
  for (const auto& v : values) w.string(v);
  w.end_array();
}

// The actions a queue policy may grant to other accounts (AWS's AddPermission list).
bool is_grantable(std::string_view action) {
  static constexpr std::string_view kGrantable[] = {
      "*",           "ChangeMessageVisibility",    "DeleteMessage", "GetQueueAttributes",
      "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",    "ReceiveMessage",
      "SendMessage"};
  for (std::string_view a : kGrantable) {
    if (a == action) return true;
  }
  return false;
}

bool is_account_id(std::string_view id) {
  if (id.size() != 12) return false;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Status validate_grant(const PermissionGrant& grant) {
  if (grant.label.empty() || grant.label.size() > kMaxLabelLength ||
      grant.label.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                    "-_") != std::string::npos) {
    return label_error(grant.label,
                       "Can only include alphanumeric characters, hyphens, or underscores. 1 to "
                       "80 in length.");
  }
  // AWS's order: the actions are asked for, then the principals, then the action count, then
  // each action's name.
  if (grant.actions.empty()) {
    return make_error(ErrorCode::kMissingParameter,
                      "The request must contain the parameter Actions.");
  }
  if (grant.account_ids.empty()) {
    return invalid("Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.");
  }
  for (const auto& id : grant.account_ids) {
    if (!is_account_id(id)) {
      return invalid("Value " + id +
                     " for parameter PrincipalId is invalid. Reason: Unable to verify.");
    }
  }
  if (grant.actions.size() > kMaxActionsPerStatement) {
    return make_error(ErrorCode::kOverLimit, std::to_string(grant.actions.size()) +
                                                 " Actions were found, maximum allowed is " +
                                                 std::to_string(kMaxActionsPerStatement) + ".");
  }
  for (const auto& action : grant.actions) {
    if (is_grantable(action)) continue;
    // An action of the API that only the owner may call, or a name that is none (the batch
    // actions are granted with their single forms, so they are not names here either).
    const bool owner_only = action_from_name(action) && !action.ends_with("Batch");
    return invalid("Value SQS:" + action + " for parameter ActionName is invalid. Reason: " +
                   (owner_only ? "Only the queue owner is allowed to invoke this action."
                               : "Please refer to the appropriate WSDL for a list of valid "
                                 "actions."));
  }
  return {};
}

Result<std::string> add_permission_statement(std::string_view policy, std::string_view queue_arn,
                                             const PermissionGrant& grant) {
  auto doc = parse(policy);
  if (!doc) return doc.error();
  for (const auto& [sid, statement] : doc->statements) {
    if (sid == grant.label) return label_error(grant.label, "Already exists.");
  }
  if (doc->statements.size() >= kMaxStatements) {
    return make_error(ErrorCode::kOverLimit,
                      "The queue's policy already has " + std::to_string(kMaxStatements) +
                          " statements, the most an Amazon SQS policy can have.");
  }
  if (doc->version.empty()) doc->version = std::string(kPolicyVersion);
  if (doc->id.empty()) doc->id = std::string(queue_arn) + "/SQSDefaultPolicy";
  std::vector<std::string> principals, actions;
  for (const auto& id : grant.account_ids) principals.push_back("arn:aws:iam::" + id + ":root");
  for (const auto& a : grant.actions) actions.push_back("SQS:" + a);
  std::string statement;
  protocol::JsonWriter w(statement);
  w.begin_object();
  w.string_member("Sid", grant.label);
  w.string_member("Effect", "Allow");
  w.key("Principal");
  w.begin_object();
  one_or_many(w, "AWS", principals);
  w.end_object();
  one_or_many(w, "Action", actions);
  w.string_member("Resource", queue_arn);
  w.end_object();
  doc->statements.emplace_back(grant.label, std::move(statement));
  return render(*doc);
}

Result<std::string> remove_permission_statement(std::string_view policy, std::string_view label) {
  auto doc = parse(policy);
  if (!doc) return doc.error();
  auto& statements = doc->statements;
  const size_t before = statements.size();
  std::erase_if(statements, [&](const auto& s) { return s.first == label; });
  if (statements.size() == before)
    return label_error(label, "can't find label on existing policy.");
  if (statements.empty() && doc->others.empty()) return std::string();
  return render(*doc);
}

}  // namespace sluice::sqs
