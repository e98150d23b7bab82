// ActionTable: the Step Functions actions this server serves, by name (the X-Amz-Target suffix).
// Each group of handlers registers itself (register_*_actions in handlers.h); an action of the
// API that no group registered answers UnknownOperationException, as a target AWS does not know.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "broker/states/sfn_context.h"
#include "broker/states/sfn_error.h"

namespace sluice::states {

// `request` is the decoded JSON body (always an object).
using SfnHandler = std::function<void(SfnContext& ctx, json::Value request, SfnReply reply)>;

class ActionTable {
 public:
  void add(std::string name, SfnHandler handler) {
    handlers_[std::move(name)] = std::move(handler);
  }
  const SfnHandler* find(std::string_view name) const {
    auto it = handlers_.find(std::string(name));
    return it == handlers_.end() ? nullptr : &it->second;
  }
  std::size_t size() const { return handlers_.size(); }

 private:
  std::unordered_map<std::string, SfnHandler> handlers_;
};

}  // namespace sluice::states
