// See execution_index.h.
#include "broker/states/executions/execution_index.h"

namespace sluice::states {

ExecutionSummary& ExecutionIndex::add(ExecutionSummary s) {
  auto owned = std::make_unique<ExecutionSummary>(std::move(s));
  ExecutionSummary* p = owned.get();
  by_machine_[p->machine][p->id] = p;
  by_arn_[p->arn] = std::move(owned);
  return *p;
}

void ExecutionIndex::remove(std::string_view arn) {
  auto it = by_arn_.find(std::string(arn));
  if (it == by_arn_.end()) return;
  auto m = by_machine_.find(it->second->machine);
  if (m != by_machine_.end()) {
    m->second.erase(it->second->id);
    if (m->second.empty()) by_machine_.erase(m);
  }
  by_arn_.erase(it);
}

ExecutionSummary* ExecutionIndex::find(std::string_view arn) {
  auto it = by_arn_.find(std::string(arn));
  return it == by_arn_.end() ? nullptr : it->second.get();
}

void ExecutionIndex::newest_first(const std::string& machine, uint64_t before,
                                  const std::function<bool(const ExecutionSummary&)>& visit) const {
  auto m = by_machine_.find(machine);
  if (m == by_machine_.end()) return;
  const auto& ids = m->second;
  auto it = before == 0 ? ids.end() : ids.lower_bound(before);
  while (it != ids.begin()) {
    --it;
    if (!it->second->committed) continue;
    if (!visit(*it->second)) return;
  }
}

void ExecutionIndex::for_each(const std::function<void(ExecutionSummary&)>& visit) {
  for (auto& [arn, s] : by_arn_) visit(*s);
}

}  // namespace sluice::states
