// WireResponse: what a codec hands back to the HTTP layer (status, content type, extra headers,
// body), and Protocol: which of the two SQS wire protocols a request arrived in. Plain values;
// built and consumed on the reactor thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice::protocol {

// kQuery: form-encoded request, XML response. kJson: AWS JSON 1.0 (X-Amz-Target).
enum class Protocol { kQuery, kJson };

struct WireResponse {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

}  // namespace sluice::protocol
