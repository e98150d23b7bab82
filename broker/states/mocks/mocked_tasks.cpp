// See mocked_tasks.h.
#include "broker/states/mocks/mocked_tasks.h"

#include <string>

namespace sluice::states::mocks {

using engine::executor::TaskHandle;
using engine::executor::TaskProgress;
using engine::executor::TaskRequest;

bool MockedTasks::answer(const TaskRequest& request,
                         const std::shared_ptr<TaskHandle>& handle) const {
  auto it = test_case_.find(request.state_name);
  if (it == test_case_.end()) return false;
  handle->started();
  const MockAnswer* a = it->second->at(static_cast<uint64_t>(request.invocation));
  if (a == nullptr) {
    handle->fail("States.Runtime",
                 "The mocked response of state '" + request.state_name +
                     "' has no answer for invocation " + std::to_string(request.invocation) +
                     " (0 is the first; every attempt, retries included, counts): add a key "
                     "that covers it to its MockedResponses entry");
    return true;
  }
  if (a->is_throw) {
    handle->fail(a->error, a->cause);
  } else {
    handle->succeed(a->result);
  }
  return true;
}

void MockedTasks::start(const TaskRequest& request, std::shared_ptr<TaskHandle> handle) {
  if (!answer(request, handle)) real_.start(request, std::move(handle));
}

void MockedTasks::resume(const TaskRequest& request, const TaskProgress& progress,
                         std::shared_ptr<TaskHandle> handle) {
  // A mocked answer is the same every time: one that had not been recorded is given again.
  if (!answer(request, handle)) real_.resume(request, progress, std::move(handle));
}

}  // namespace sluice::states::mocks
