// See name_paging.h.
#include "broker/sqs/name_paging.h"

#include <algorithm>

#include "broker/protocol/base64.h"

namespace sluice::sqs {

namespace {
constexpr size_t kDefaultMaxResults = 1000;
}  // namespace

Result<NamePage> page_of_names(const std::vector<std::string>& names,
                               const std::optional<std::string>& next_token,
                               std::optional<int64_t> max_results) {
  auto begin = names.begin();
  if (next_token && !next_token->empty()) {
    std::string after;
    if (!protocol::base64_decode(*next_token, after)) {
      return make_error(ErrorCode::kInvalidParameterValue, "Invalid NextToken value.");
    }
    begin = std::upper_bound(names.begin(), names.end(), after);
  }
  const size_t limit = max_results ? static_cast<size_t>(*max_results) : kDefaultMaxResults;
  const auto end = begin + static_cast<std::ptrdiff_t>(
                               std::min(limit, static_cast<size_t>(names.end() - begin)));
  NamePage page;
  page.names.assign(begin, end);
  if (max_results && end != names.end() && !page.names.empty()) {
    page.next_token = protocol::base64_encode(page.names.back());
  }
  return page;
}

}  // namespace sluice::sqs
