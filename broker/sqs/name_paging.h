// Paging through a sorted list of queue names, as ListQueues and ListDeadLetterSourceQueues page:
// at most MaxResults names (1000 without it), and a NextToken (the base64 of the last name
// returned) only when MaxResults was given and more names follow. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/result.h"

namespace sluice::sqs {

struct NamePage {
  std::vector<std::string> names;
  std::string next_token;  // empty: the last page
};

// `names` sorted; `next_token` as the client sent it (InvalidParameterValue if it is not ours).
Result<NamePage> page_of_names(const std::vector<std::string>& names,
                               const std::optional<std::string>& next_token,
                               std::optional<int64_t> max_results);

}  // namespace sluice::sqs
