// Credentials: the access keys the server accepts (--credentials FILE), each with its secret key
// and the account it belongs to. A key of another account than the server's (--account-id) is a
// different principal: queue policies decide what it may do (broker/sqs/policy_evaluation.h).
//
// The file is INI, shaped like ~/.aws/credentials with one more key per profile:
//
//   # comment (also ';')
//   [alice]
//   aws_access_key_id = AKIDALICE
//   aws_secret_access_key = alice-secret
//   account_id = 111111111111        ; optional: the server's --account-id when absent
//
// Profile names are labels only. Plain data after loading; read from any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/result.h"

namespace sluice::auth {

struct AccessKey {
  std::string secret;
  std::string account_id;  // 12 digits
  std::string profile;     // the [section] it came from, for messages
};

class Credentials {
 public:
  // Parses the INI text. Errors (kInvalidParameterValue, fit for stderr) name the line: a line
  // that is neither a section, a key = value pair, a comment nor blank; a profile without both
  // keys; an account_id that is not 12 digits; the same access key twice; no profile at all.
  static Result<Credentials> parse(std::string_view text, std::string_view default_account);

  const AccessKey* find(std::string_view access_key_id) const;
  size_t size() const { return keys_.size(); }

 private:
  std::unordered_map<std::string, AccessKey> keys_;
};

}  // namespace sluice::auth
