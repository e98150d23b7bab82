"""A Standard parent runs a named Standard child with startExecution.sync:2. A kill after the
child was started (durably) and had ended, but before the parent's TaskSubmitted (or even its
TaskScheduled) was durable, must not change the parent's outcome: after the restart the parent
follows the child it already started and succeeds with its output.

Found by the fault loop (tests/integration/faults, seed 202): the parent's events and the
child's start commit in different batches, so the child can be durable while the parent's
history ends before TaskSubmitted. After the restart the attempt is sent again, StartExecution
met the ended child and answered ExecutionAlreadyExists, and the parent FAILED with
StepFunctions.ExecutionAlreadyExistsException. Now a parent resumed after a restart follows a
child of its name and input instead (broker/states/tasks/start_execution_task.h). The kill has
to land in a window of milliseconds, so each round starts a burst of parents (whose children end
at once) and kills right after; before the fix it showed in the first rounds."""

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor

from crash_helpers import crashable  # noqa: F401 - fixture
from sfn_helpers import ROLE, definition, json10, sfn_client, wait_until

ROUNDS = 10
PARENTS = 24

CHILD = definition({"Mark": {"Type": "Pass", "Parameters": {"me.$": "$$.Execution.Name"},
                             "End": True}}, "Mark")


def parent_definition(child_arn):
    return definition({"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child_arn, "Name.$": "$$.Execution.Name",
                       "Input": {}},
        "End": True}}, "Run")


def test_named_child_that_ended_before_task_submitted_survives_a_kill(crashable):
    srv = crashable()
    sfn = sfn_client(srv.endpoint())
    child = sfn.create_state_machine(name="child", roleArn=ROLE,
                                     definition=CHILD)["stateMachineArn"]
    parent = sfn.create_state_machine(name="parent", roleArn=ROLE,
                                      definition=parent_definition(child))["stateMachineArn"]
    rng = random.Random(14)
    failed = []
    for r in range(ROUNDS):
        ep = srv.endpoint()

        def start(k):
            status, body = json10(ep, "StartExecution", {"stateMachineArn": parent,
                                                         "name": f"p{r}-{k}"})
            assert status == 200, body
            return body["executionArn"]

        with ThreadPoolExecutor(max_workers=4) as pool:
            arns = list(pool.map(start, range(PARENTS)))
        time.sleep(rng.uniform(0, 0.004))
        srv.kill()
        srv.start()
        ep = srv.endpoint()

        def ended(arn):
            _, d = json10(ep, "DescribeExecution", {"executionArn": arn})
            return d if d["status"] != "RUNNING" else None

        for arn in arns:
            d = wait_until(lambda: ended(arn), timeout=20)
            assert d, f"{arn} still running"
            if d["status"] != "SUCCEEDED":
                failed.append((arn, d["status"], d.get("error")))
            else:
                assert json.loads(d["output"])["Output"] == {"me": arn.rsplit(":", 1)[1]}
        if failed:
            break
    assert not failed, failed
