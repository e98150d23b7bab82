// SigV4 verification. Message texts are AWS's where AWS's wording is known (README.md lists the
// sources); each API renders the AuthErrorKind in its own shape (auth_error.h).
#include "broker/auth/verifier.h"

#include <ctime>
#include <optional>
#include <vector>

#include "broker/auth/sigv4.h"

namespace sluice::auth {

namespace {

constexpr std::string_view kMissingTokenMessage =
    "The request must contain either a valid (registered) AWS access key ID or X.509 "
    "certificate.";
constexpr std::string_view kUnknownKeyMessage =
    "The security token included in the request is invalid.";
constexpr std::string_view kBadSignatureMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

AuthError fail(AuthErrorKind kind, std::string message) {
  return AuthError{kind, std::move(message)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What a signature names, from either form.
struct SignedParts {
  std::string credential;          // AKID/date/region/service/aws4_request
  std::string signed_headers;      // "host;x-amz-date"
  std::string signature;           // hex
  std::string amz_date;            // X-Amz-Date
  std::optional<int64_t> expires;  // presigned only
  bool presigned = false;
};

// A query parameter's decoded value (the first of its name).
std::optional<std::string> query_param(
    const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." with the date header.
Result<SignedParts, AuthError> parse_header(const std::string& header,
                                            const http::Request& request) {
  SignedParts parts;
  std::string_view rest = trim(header);
  std::string_view algorithm = rest.substr(0, rest.find(' '));
  if (algorithm != kAlgorithm) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "Unsupported AWS 'algorithm': '" + std::string(algorithm) + "'");
  }
  rest.remove_prefix(algorithm.size());
  size_t start = 0;
  while (start < rest.size()) {
    size_t comma = rest.find(',', start);
    if (comma == std::string_view::npos) comma = rest.size();
    std::string_view item = trim(rest.substr(start, comma - start));
    start = comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = item.substr(0, eq), value = trim(item.substr(eq + 1));
    if (key == "Credential") parts.credential = std::string(value);
    if (key == "SignedHeaders") parts.signed_headers = std::string(value);
    if (key == "Signature") parts.signature = std::string(value);
  }
  const std::string* date = request.header("x-amz-date");
  if (date) parts.amz_date = *date;
  // AWS lists every missing part, then quotes the header.
  std::string missing;
  if (parts.credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (parts.signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (parts.signed_headers.empty()) {
    missing += "Authorization header requires 'SignedHeaders' parameter. ";
  }
  if (!date) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) {
    return fail(AuthErrorKind::kIncompleteSignature, missing + "Authorization=" + header);
  }
  return parts;
}

Result<SignedParts, AuthError> parse_presigned(
    const std::vector<std::pair<std::string, std::string>>& query) {
  SignedParts parts;
  parts.presigned = true;
  auto algorithm = query_param(query, "X-Amz-Algorithm");
  auto credential = query_param(query, "X-Amz-Credential");
  auto date = query_param(query, "X-Amz-Date");
  auto signed_headers = query_param(query, "X-Amz-SignedHeaders");
  auto signature = query_param(query, "X-Amz-Signature");
  auto expires = query_param(query, "X-Amz-Expires");
  if (!algorithm || !credential || !date || !signed_headers || !signature) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the "
                "query-string parameters.");
  }
  if (*algorithm != kAlgorithm) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "Unsupported AWS 'algorithm': '" + *algorithm + "'");
  }
  if (expires) {
    int64_t seconds = 0;
    bool digits = !expires->empty() && expires->size() <= 9;
    for (char c : *expires) {
      digits = digits && c >= '0' && c <= '9';
      if (digits) seconds = seconds * 10 + (c - '0');
    }
    if (!digits || seconds > kMaxPresignedExpirySeconds) {
      return fail(AuthErrorKind::kIncompleteSignature,
                  "X-Amz-Expires must be a whole number of seconds from 0 to 604800 (a week), "
                  "got '" +
                      *expires + "'");
    }
    parts.expires = seconds;
  }
  parts.credential = std::move(*credential);
  parts.signed_headers = std::move(*signed_headers);
  parts.signature = std::move(*signature);
  parts.amz_date = std::move(*date);
  return parts;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

// The values of header `name` as signed: all of them, in order, joined with ','.
std::string header_values(const http::Request& request, std::string_view name) {
  std::string out;
  bool first = true;
  for (const auto& h : request.headers) {
    if (h.name != name) continue;
    if (!first) out.push_back(',');
    out.append(canonical_header_value(h.value));
    first = false;
  }
  return out;
}

// "Signature expired: ..." / "Signature not yet current: ..." as AWS words them.
std::optional<std::string> outside_window(std::string_view amz_date, int64_t signed_at, int64_t now,
                                          const SignedParts& parts) {
  if (signed_at < now - kMaxClockSkewSeconds) {
    return "Signature expired: " + std::string(amz_date) + " is now earlier than " +
           format_amz_date(now - kMaxClockSkewSeconds) + " (" + format_amz_date(now) +
           " - 15 min.)";
  }
  if (signed_at > now + kMaxClockSkewSeconds) {
    return "Signature not yet current: " + std::string(amz_date) + " is still later than " +
           format_amz_date(now + kMaxClockSkewSeconds) + " (" + format_amz_date(now) +
           " + 15 min.)";
  }
  if (parts.expires && signed_at + *parts.expires < now) {
    return "Signature expired: " + std::string(amz_date) + " is now earlier than " +
           format_amz_date(now - *parts.expires) + " (" + format_amz_date(now) + " - " +
           std::to_string(*parts.expires) + " sec.)";
  }
  return std::nullopt;
}

}  // namespace

int64_t parse_amz_date(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') return -1;
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
      tm.tm_sec > 60) {
    return -1;
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::string format_amz_date(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Result<Principal, AuthError> Verifier::verify(const http::Request& request,
                                              std::string_view service, int64_t now) const {
  const std::string* header = request.header("authorization");
  std::string_view query = request.query();
  Result<SignedParts, AuthError> parsed =
      fail(AuthErrorKind::kMissingAuthenticationToken, std::string(kMissingTokenMessage));
  if (header) {
    parsed = parse_header(*header, request);
  } else if (auto params = decode_query(query);
             query_param(params, "X-Amz-Algorithm") || query_param(params, "X-Amz-Signature")) {
    parsed = parse_presigned(params);
  }
  if (!parsed) return std::move(parsed).error();
  const SignedParts& parts = *parsed;

  std::vector<std::string_view> scope = split(parts.credential, '/');
  if (scope.size() != 5) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                "keyid/date/region/service/term, got '" +
                    parts.credential + "'");
  }
  const AccessKey* key = credentials_.find(scope[0]);
  if (!key) return fail(AuthErrorKind::kInvalidClientTokenId, std::string(kUnknownKeyMessage));

  const int64_t signed_at = parse_amz_date(parts.amz_date);
  if (signed_at < 0) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "Date must be in ISO-8601 'basic format'. Got '" + parts.amz_date +
                    "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (auto expired = outside_window(parts.amz_date, signed_at, now, parts)) {
    return fail(AuthErrorKind::kSignatureDoesNotMatch, std::move(*expired));
  }
  if (scope[4] != kTerminator) {
    return fail(AuthErrorKind::kSignatureDoesNotMatch,
                "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                    std::string(scope[4]) + "'. ");
  }
  if (scope[1] != std::string_view(parts.amz_date).substr(0, 8)) {
    return fail(AuthErrorKind::kSignatureDoesNotMatch,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    std::string(scope[1]) + "' != '" + parts.amz_date.substr(0, 8) + "', from '" +
                    parts.amz_date + "'.");
  }
  if (scope[2] != region_) {
    return fail(AuthErrorKind::kSignatureDoesNotMatch,
                "Credential should be scoped to a valid region. ");
  }
  if (scope[3] != service) {
    return fail(AuthErrorKind::kSignatureDoesNotMatch,
                "Credential should be scoped to correct service: '" + std::string(service) + "'. ");
  }

  CanonicalRequest canonical;
  canonical.method = request.method;
  canonical.raw_path = request.path();
  canonical.raw_query = query;
  if (parts.presigned) canonical.skip_query_param = "X-Amz-Signature";
  bool host_signed = false;
  for (std::string_view name : split(parts.signed_headers, ';')) {
    host_signed = host_signed || name == "host";
    canonical.headers.emplace_back(std::string(name), header_values(request, name));
  }
  if (!host_signed) {
    return fail(AuthErrorKind::kIncompleteSignature,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  // The payload hash: the x-amz-content-sha256 header when sent (it must then be the body's),
  // else the body's; a presigned URL may also have been signed with UNSIGNED-PAYLOAD.
  const std::string body_hash = sha256_hex(request.body);
  std::vector<std::string_view> payload_hashes;
  const std::string* content_sha = request.header("x-amz-content-sha256");
  if (content_sha && *content_sha != kUnsignedPayload) {
    if (*content_sha != body_hash) {
      return fail(AuthErrorKind::kSignatureDoesNotMatch,
                  "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    payload_hashes.push_back(body_hash);
  } else if (content_sha) {
    payload_hashes.push_back(kUnsignedPayload);
  } else {
    payload_hashes.push_back(body_hash);
    if (parts.presigned) payload_hashes.push_back(kUnsignedPayload);
  }

  const std::string key_bytes = signing_key(key->secret, scope[1], scope[2], scope[3]);
  bool matched = false;
  std::string detail;
  for (std::string_view payload_hash : payload_hashes) {
    canonical.payload_hash = payload_hash;
    const std::string creq = canonical_request(canonical);
    const std::string sts =
        string_to_sign(parts.amz_date, parts.credential.substr(scope[0].size() + 1), creq);
    matched = constant_time_equal(signature_hex(key_bytes, sts), parts.signature) || matched;
    detail += "canonical request:\n" + creq + "\nstring to sign:\n" + sts + "\n";
  }
  if (!matched) {
    AuthError e = fail(AuthErrorKind::kSignatureDoesNotMatch, std::string(kBadSignatureMessage));
    e.detail = std::move(detail);
    return e;
  }
  return Principal{std::string(scope[0]), key->account_id};
}

}  // namespace sluice::auth
