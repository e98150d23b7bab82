// SigV4: the pieces of AWS Signature Version 4 a server needs to recompute a client's signature
// (AWS IAM User Guide, "Create a signed AWS API request" and "Elements of an AWS API request
// signature"): the canonical request, the string to sign, the signing key and the signature.
// Pure functions over bytes; HMAC-SHA256 and SHA-256 from OpenSSL. Any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::auth {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// RFC 3986 percent-encoding as SigV4 wants it: A-Z a-z 0-9 - _ . ~ stay, every other byte is
// %XX (upper-case hex); '/' stays when `keep_slash`.
std::string uri_encode(std::string_view bytes, bool keep_slash);

// Percent-decodes %XX sequences ('+' stays '+': SigV4 does not form-decode). A malformed escape is
// kept as it stands.
std::string percent_decode(std::string_view text);

// The name=value pairs of a raw query string, each percent-decoded, in order ("flag" alone has
// an empty value; empty pairs are skipped).
std::vector<std::pair<std::string, std::string>> decode_query(std::string_view raw_query);

// The canonical URI of a raw request path for services other than S3: dot segments removed, then
// each byte URI-encoded (slashes kept) a second time on top of the client's own encoding. An
// empty path is "/".
std::string canonical_uri(std::string_view raw_path);

// The canonical query string: each name=value pair percent-decoded then URI-encoded, sorted by
// name then value, joined with '&'. `skip` names a parameter left out (X-Amz-Signature, for a
// presigned URL); empty: none.
std::string canonical_query(std::string_view raw_query, std::string_view skip = {});

// A header value as it is signed: leading and trailing blanks trimmed, runs of blanks inside
// squeezed to one space.
std::string canonical_header_value(std::string_view value);

struct CanonicalRequest {
  std::string_view method;
  std::string_view raw_path;
  std::string_view raw_query;
  std::string_view skip_query_param;  // "X-Amz-Signature" for presigned URLs
  // The signed headers in SignedHeaders order (lower-case names, sorted), each with its value(s)
  // as received; several values of one header are joined with ','.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view payload_hash;  // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

// The canonical request text (method, URI, query, headers, signed header list, payload hash).
std::string canonical_request(const CanonicalRequest& request);

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>", where scope is
// "<date>/<region>/<service>/aws4_request".
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request_text);

// The signing key: HMAC chain over date, region, service and "aws4_request" from "AWS4"+secret.
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);

// Lower-case hex HMAC-SHA256(key, string_to_sign).
std::string signature_hex(std::string_view key, std::string_view string_to_sign);

// Equal-length strings compared in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sluice::auth
