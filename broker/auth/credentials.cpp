// The credentials file's INI reader: small and strict, so a typo stops the server at start.
#include "broker/auth/credentials.h"

#include <optional>

namespace sluice::auth {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool twelve_digits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Error bad(size_t line, const std::string& why) {
  return make_error(ErrorCode::kInvalidParameterValue, "line " + std::to_string(line) + ": " + why);
}

struct Section {
  std::string name;
  size_t line = 0;
  std::string key_id, secret, account;
};

}  // namespace

Result<Credentials> Credentials::parse(std::string_view text, std::string_view default_account) {
  Credentials out;
  std::optional<Section> current;
  auto finish = [&]() -> Status {
    if (!current) return {};
    Section& s = *current;
    if (s.key_id.empty() || s.secret.empty()) {
      return bad(s.line,
                 "profile [" + s.name + "] needs aws_access_key_id and aws_secret_access_key");
    }
    std::string account = s.account.empty() ? std::string(default_account) : s.account;
    if (out.keys_.count(s.key_id) != 0) {
      return bad(s.line, "access key " + s.key_id + " is listed twice");
    }
    out.keys_.emplace(s.key_id, AccessKey{s.secret, account, s.name});
    current.reset();
    return {};
  };
  size_t number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++number;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) return bad(number, "expected [profile]");
      if (auto st = finish(); !st) return std::move(st).error();
      current = Section{std::string(trim(line.substr(1, line.size() - 2))), number, {}, {}, {}};
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad(number, "expected key = value");
    if (!current) return bad(number, "key = value before any [profile]");
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (key == "aws_access_key_id") {
      current->key_id = std::string(value);
    } else if (key == "aws_secret_access_key") {
      current->secret = std::string(value);
    } else if (key == "account_id") {
      if (!twelve_digits(value)) {
        return bad(number, "account_id must be 12 digits, got '" + std::string(value) + "'");
      }
      current->account = std::string(value);
    } else {
      return bad(number, "unknown key '" + std::string(key) +
                             "' (aws_access_key_id, aws_secret_access_key, account_id)");
    }
  }
  if (auto st = finish(); !st) return std::move(st).error();
  if (out.keys_.empty()) {
    return make_error(ErrorCode::kInvalidParameterValue, "no [profile] with an access key");
  }
  return out;
}

const AccessKey* Credentials::find(std::string_view access_key_id) const {
  auto it = keys_.find(std::string(access_key_id));
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace sluice::auth
