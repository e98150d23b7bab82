// See batch_item_failures.h.
#include "engine/pipes/batch_item_failures.h"

#include <algorithm>

namespace sluice::engine::pipes {

ItemFailures read_batch_item_failures(const json::Value& output,
                                      const std::vector<std::string>& message_ids) {
  ItemFailures out;
  if (!output.is_object()) return out;
  const json::Value* list = output.as_object().find("batchItemFailures");
  if (!list || list->is_null()) return out;
  if (!list->is_array()) {
    out.whole_batch = true;
    return out;
  }
  std::vector<bool> failed(message_ids.size(), false);
  for (const json::Value& item : list->as_array()) {
    const json::Value* id = item.is_object() ? item.as_object().find("itemIdentifier") : nullptr;
    if (!id || !id->is_string() || id->as_string().empty()) {
      out.whole_batch = true;
      return out;
    }
    auto it = std::find(message_ids.begin(), message_ids.end(), id->as_string());
    if (it == message_ids.end()) {
      out.whole_batch = true;
      return out;
    }
    failed[static_cast<std::size_t>(it - message_ids.begin())] = true;
  }
  for (std::size_t i = 0; i < failed.size(); ++i) {
    if (failed[i]) out.failed.push_back(i);
  }
  return out;
}

}  // namespace sluice::engine::pipes
