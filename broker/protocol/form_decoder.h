// Form decoding for the query protocol: application/x-www-form-urlencoded bodies and URL query
// strings ("a=1&b=x+y%21") into an ordered list of (name, value) pairs. Protocol-generic; no SQS
// knowledge. Pure functions and a plain container; any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/result.h"

namespace sluice::protocol {

// Decoded parameters in wire order. Duplicate names are kept; find() returns the first.
class FormParams {
 public:
  using Entry = std::pair<std::string, std::string>;

  void add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
  }
  const std::string* find(std::string_view name) const;
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& entries() { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// Appends the pairs of `text` to `out`: '&' separates pairs, the first '=' separates name from
// value (a pair without '=' has an empty value; empty pairs are skipped), '+' is a space, %XX is
// the byte 0xXX. A '%' not followed by two hex digits is ErrorCode::kMalformedQueryString.
// Call it twice (query string, then body) to merge both sources as AWS does.
Status decode_form(std::string_view text, FormParams& out);

// Percent-decodes one component ('+' -> space) into `out` (appending). False on a bad escape.
bool percent_decode(std::string_view in, std::string& out);

}  // namespace sluice::protocol
