"""RedriveExecution through raw JSON 1.0 (Debian's botocore predates it), with boto3 for the rest:
a failed execution re-runs from the state that failed, DescribeExecution and ListExecutions show
the redrive members, the history gains ExecutionRedriven, and the refusals use AWS's words."""

import json

from sfn_helpers import PREFIX, definition, wait_until
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)

# Fails in Check on the first run (no choice matches); a redrive re-runs Check, which then
# matches on $$.Execution.RedriveCount.
FLAKY = definition({
    "Prepare": {"Type": "Pass", "Result": {"prepared": True}, "ResultPath": "$.p",
                "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$$.Execution.RedriveCount", "NumericGreaterThanEquals": 1,
         "Next": "Done"}]},
    "Done": {"Type": "Pass", "End": True},
}, "Prepare")


def finished(sfn, arn):
    def done():
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" else None
    d = wait_until(done, timeout=10)
    assert d, f"{arn} never finished"
    return d


def test_redrive_a_failed_execution(sfn, raw, machine):
    arn = machine(FLAKY)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"k": 1}')["executionArn"]
    d = finished(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.NoChoiceMatched", d
    status, body = raw("DescribeExecution", {"executionArn": ex})
    assert body["redriveStatus"] == "REDRIVABLE" and body["redriveCount"] == 0, body
    assert "redriveStatusReason" not in body and "redriveDate" not in body

    status, body = raw("RedriveExecution", {"executionArn": ex, "clientToken": "once"})
    assert status == 200, body
    assert set(body) == {"redriveDate"} and isinstance(body["redriveDate"], (int, float))
    redrive_date = body["redriveDate"]
    d = finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"k": 1, "p": {"prepared": True}}
    status, body = raw("DescribeExecution", {"executionArn": ex})
    assert body["redriveCount"] == 1 and body["redriveDate"] == redrive_date, body
    assert body["redriveStatus"] == "NOT_REDRIVABLE"
    assert body["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"

    # Raw: Debian's botocore drops executionRedrivenEventDetails, a member it does not know.
    status, body = raw("GetExecutionHistory", {"executionArn": ex})
    events = body["events"]
    types = [e["type"] for e in events]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    # The successful Prepare is not re-run; Check, where it failed, continues after the redrive.
    assert types == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                     "ChoiceStateEntered", "ExecutionFailed", "ExecutionRedriven",
                     "ChoiceStateExited", "PassStateEntered", "PassStateExited",
                     "ExecutionSucceeded"], types
    redriven = events[types.index("ExecutionRedriven")]
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert types[-1] == "ExecutionSucceeded"

    # The same clientToken is answered as before, without a second redrive.
    status, body = raw("RedriveExecution", {"executionArn": ex, "clientToken": "once"})
    assert status == 200 and body["redriveDate"] == redrive_date, body
    status, body = raw("RedriveExecution", {"executionArn": ex, "clientToken": "twice"})
    assert status == 400 and body["__type"].endswith("ExecutionNotRedrivable"), body
    assert body["message"] == "Execution is SUCCEEDED and cannot be redriven"

    # ListExecutions: redriveFilter and the redrive members of each item.
    other = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    finished(sfn, other)
    status, body = raw("ListExecutions", {"stateMachineArn": arn, "redriveFilter": "REDRIVEN"})
    assert [e["executionArn"] for e in body["executions"]] == [ex], body
    assert body["executions"][0]["redriveCount"] == 1
    assert body["executions"][0]["redriveDate"] == redrive_date
    status, body = raw("ListExecutions", {"stateMachineArn": arn,
                                          "redriveFilter": "NOT_REDRIVEN"})
    assert [e["executionArn"] for e in body["executions"]] == [other], body
    assert body["executions"][0]["redriveCount"] == 0
    status, body = raw("ListExecutions", {"stateMachineArn": arn, "redriveFilter": "SOME"})
    assert status == 400 and body["__type"].endswith("ValidationException"), body


def test_redrive_refusals(sfn, raw, machine, name):
    running = sfn.start_execution(
        stateMachineArn=machine(definition({"W": {"Type": "Wait", "Seconds": 60, "End": True}},
                                           "W")))["executionArn"]
    status, body = raw("RedriveExecution", {"executionArn": running})
    assert status == 400 and body["__type"].endswith("ExecutionNotRedrivable"), body
    assert body["message"] == "Execution is RUNNING and cannot be redriven"
    status, body = raw("DescribeExecution", {"executionArn": running})
    assert body["redriveStatus"] == "NOT_REDRIVABLE"
    assert body["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven"
    sfn.stop_execution(executionArn=running)
    # An aborted execution can be redriven: it runs the Wait again.
    status, body = raw("RedriveExecution", {"executionArn": running})
    assert status == 200, body
    assert sfn.describe_execution(executionArn=running)["status"] == "RUNNING"
    sfn.stop_execution(executionArn=running)

    missing = f"{PREFIX}execution:{name()}:nope"
    status, body = raw("RedriveExecution", {"executionArn": missing})
    assert status == 400 and body["__type"].endswith("ExecutionDoesNotExist"), body
    status, body = raw("RedriveExecution", {"executionArn": "nope"})
    assert status == 400 and body["__type"].endswith("InvalidArn"), body
    status, body = raw("RedriveExecution", {})
    assert status == 400 and body["__type"].endswith("ValidationException"), body
