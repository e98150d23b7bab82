// MockedTasks: the TaskHandler of an execution that runs a mocked test case (StartExecution on
// STATE_MACHINE_ARN#CASE with --mock-config). A Task state the test case lists is answered from
// its mocked response, by the attempt's invocation number (TaskRequest::invocation: every attempt
// of the state in this execution counts, retries and Map iterations included), without calling
// anything: Return succeeds the task with that value, Throw fails it with that Error and Cause,
// and an invocation no key covers fails it with States.Runtime, as Step Functions Local does.
// Every other Task goes to the real handler (the task router).
//
// The history is the one a real call makes: TaskScheduled (LambdaFunctionScheduled,
// ActivityScheduled), the Started event, then Succeeded or Failed. A mocked .waitForTaskToken
// task gets its token as usual ($$.Task.Token), and its Return is the task's result: nobody has
// to call SendTaskSuccess (Step Functions Local does the same).
//
// Holds no state of its own (the invocation number comes from the engine, which rebuilds it when
// a Standard execution resumes after a restart), so one instance serves every execution of its
// test case. Thread: the reactor thread, as the engine calls it.
#pragma once

#include <memory>

#include "broker/states/mocks/mock_config.h"
#include "engine/executor/task_handler.h"

namespace sluice::states::mocks {

class MockedTasks final : public engine::executor::TaskHandler {
 public:
  // `real` and `test_case` must outlive this handler and the executions that use it.
  MockedTasks(engine::executor::TaskHandler& real, const TestCase& test_case)
      : real_(real), test_case_(test_case) {}

  void start(const engine::executor::TaskRequest& request,
             std::shared_ptr<engine::executor::TaskHandle> handle) override;
  void resume(const engine::executor::TaskRequest& request,
              const engine::executor::TaskProgress& progress,
              std::shared_ptr<engine::executor::TaskHandle> handle) override;
  void cancel(const engine::executor::TaskHandle& handle) override { real_.cancel(handle); }

 private:
  // Answers the attempt from the test case; false when the state is not mocked.
  bool answer(const engine::executor::TaskRequest& request,
              const std::shared_ptr<engine::executor::TaskHandle>& handle) const;

  engine::executor::TaskHandler& real_;
  const TestCase& test_case_;
};

}  // namespace sluice::states::mocks
