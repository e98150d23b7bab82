"""Nested executions: states:startExecution and its .sync / .sync:2 / .waitForTaskToken forms."""

import json
import time

from sfn_helpers import run, task, wait_for_end


def child_machine(state_machine, definition=None):
    return state_machine(definition or {
        "StartAt": "Double", "States": {"Double": {
            "Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}}})


def test_sync_returns_the_childs_output_as_text(sfn, state_machine):
    child = child_machine(state_machine)
    parent = state_machine(task("arn:aws:states:::states:startExecution.sync",
                                {"StateMachineArn": child, "Input": {"n.$": "$.n"}}))
    d = run(sfn, parent, {"n": 4})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["Status"] == "SUCCEEDED"
    assert json.loads(out["Output"]) == {"doubled": 8}
    assert out["StateMachineArn"] == child
    # AWS's shape: the DescribeExecution members the SDK for Java models, keys sorted, dates in
    # epoch milliseconds, InputDetails/OutputDetails, and no redrive members.
    assert list(out) == ["ExecutionArn", "Input", "InputDetails", "Name", "Output",
                         "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate"]
    assert json.loads(out["Input"]) == {"n": 4}
    assert out["InputDetails"] == out["OutputDetails"] == {"Included": True}
    child_d = sfn.describe_execution(executionArn=out["ExecutionArn"])
    assert out["StartDate"] == round(child_d["startDate"].timestamp() * 1000)
    assert out["StopDate"] == round(child_d["stopDate"].timestamp() * 1000)
    assert out["Name"] == child_d["name"]


def test_sync2_returns_the_childs_output_as_json(sfn, state_machine):
    child = child_machine(state_machine)
    parent = state_machine(task("arn:aws:states:::states:startExecution.sync:2",
                                {"StateMachineArn": child, "Input": {"n": 5}}))
    d = run(sfn, parent)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    # .sync:2 parses Input and Output; everything else as .sync.
    assert out["Output"] == {"doubled": 10}
    assert out["Input"] == {"n": 5}
    assert list(out) == ["ExecutionArn", "Input", "InputDetails", "Name", "Output",
                         "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate"]
    assert "RedriveCount" not in out


def test_a_failing_child_fails_the_parent_task(sfn, state_machine):
    child = child_machine(state_machine, {
        "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Child.Failed", "Cause": "why"}}})
    parent = state_machine(task("arn:aws:states:::states:startExecution.sync",
                                {"StateMachineArn": child}))
    d = run(sfn, parent)
    assert d["status"] == "FAILED"
    assert d["error"] == "States.TaskFailed"
    cause = json.loads(d["cause"])
    assert (cause["Error"], cause["Cause"], cause["Status"]) == ("Child.Failed", "why", "FAILED")
    assert list(cause) == ["Cause", "Error", "ExecutionArn", "Input", "InputDetails", "Name",
                           "StartDate", "StateMachineArn", "Status", "StopDate"]


def test_request_response_and_a_missing_machine(sfn, state_machine):
    child = child_machine(state_machine)
    parent = state_machine(task("arn:aws:states:::states:startExecution",
                                {"StateMachineArn": child, "Name": "kid-1", "Input": {"n": 1}}))
    d = run(sfn, parent)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["ExecutionArn"].endswith(":kid-1")
    assert list(out) == ["ExecutionArn", "StartDate", "SdkHttpMetadata", "SdkResponseMetadata"]
    # Content-Length is StartExecution's response body as this server sends it.
    body = len(json.dumps({"executionArn": out["ExecutionArn"], "startDate": 0.0},
                          separators=(",", ":"))) - len("0.0")
    body += len(f"{out['StartDate'] // 1000}.{out['StartDate'] % 1000:03d}")
    headers = out["SdkHttpMetadata"]["HttpHeaders"]
    assert headers["Content-Length"] == str(body)
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert wait_for_end(sfn, out["ExecutionArn"])["status"] == "SUCCEEDED"

    missing = child.rsplit(":", 1)[0] + ":no-such-machine"
    d = run(sfn, state_machine(task("arn:aws:states:::states:startExecution",
                                    {"StateMachineArn": missing})))
    assert d["status"] == "FAILED"
    assert d["error"] == "StepFunctions.StateMachineDoesNotExistException"


def test_wait_for_task_token_answered_by_the_child(sfn, state_machine):
    child = state_machine({"StartAt": "Answer", "States": {"Answer": {
        "Type": "Pass", "End": True}}})
    parent = state_machine(task("arn:aws:states:::states:startExecution.waitForTaskToken",
                                {"StateMachineArn": child,
                                 "Input": {"token.$": "$$.Task.Token"}}))
    execution = sfn.start_execution(stateMachineArn=parent, input="{}")
    # The child got the token in its input; a client answers for it.
    deadline = time.monotonic() + 10
    while not (kids := sfn.list_executions(stateMachineArn=child)["executions"]):
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    token = json.loads(sfn.describe_execution(executionArn=kids[0]["executionArn"])["input"])["token"]
    sfn.send_task_success(taskToken=token, output=json.dumps({"from": "child"}))
    d = wait_for_end(sfn, execution["executionArn"])
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {"from": "child"}
