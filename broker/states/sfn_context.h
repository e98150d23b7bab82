// SfnContext: what a Step Functions action handler gets besides its request: the services it may
// call (StatesServices), who we are (region, account), and whether the caller is still there.
// Valid only during the handler call: a handler that answers later copies what it needs (the
// services outlive every request; the reply may outlive the call).
#pragma once

#include <functional>
#include <string>

#include "broker/states/states_services.h"

namespace sluice::states {

struct SfnContext {
  StatesServices& services;
  const StatesIdentity& identity;
  std::function<bool()> still_wanted;  // false once the client connection is gone
};

}  // namespace sluice::states
