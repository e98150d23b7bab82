"""A mocked test case (--mock-config, StartExecution on ARN#CASE) survives a SIGKILL: a Standard
execution killed in the middle of a retry interval resumes with the same test case after the
restart, and its next attempt is answered by the mocked response for the next invocation number
(the count of attempts is rebuilt from the history, not started again), so "fail once, then
succeed" still succeeds. Had the restart lost the test case, the unmocked DynamoDB task would fail
with States.Runtime; had it lost the count, invocation 0 would throw again and exhaust the Retry."""

import json
import time

from sfn_helpers import ROLE, sfn_client, wait_until

MOCKS = {
    "StateMachines": {"crash-mocked": {"TestCases": {"FailOnceThenSucceed": {
        "Save": "SaveOk", "Confirm": "ConfirmFailsOnce"}}}},
    "MockedResponses": {
        "SaveOk": {"0": {"Return": {"saved": True}}},
        "ConfirmFailsOnce": {
            "0": {"Throw": {"Error": "DynamoDB.ConditionalCheckFailedException",
                            "Cause": "not yet"}},
            "1": {"Return": {"confirmed": "after the restart"}}}},
}

DEFINITION = json.dumps({"StartAt": "Save", "States": {
    "Save": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
             "Parameters": {"TableName": "t", "Item": {}}, "ResultPath": "$.save",
             "Next": "Confirm"},
    "Confirm": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:updateItem",
                "Parameters": {"TableName": "t", "Key": {}}, "ResultPath": "$.confirm",
                # MaxAttempts 1: a second failure would end the execution.
                "Retry": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                           "IntervalSeconds": 4, "MaxAttempts": 1}],
                "End": True}}})


def types(sfn, arn):
    return [e["type"] for e in
            sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]]


def test_a_mocked_execution_resumes_with_its_test_case(servers, tmp_path):
    config = tmp_path / "mocks.json"
    config.write_text(json.dumps(MOCKS))
    data = tmp_path / "data"
    server = servers(data, "--mock-config", str(config))
    sfn = sfn_client(server.endpoint)
    arn = sfn.create_state_machine(name="crash-mocked", definition=DEFINITION,
                                   roleArn=ROLE)["stateMachineArn"]
    runs = [sfn.start_execution(stateMachineArn=arn + "#FailOnceThenSucceed", name=f"run-{i}",
                                input=json.dumps({"i": i}))["executionArn"] for i in range(3)]
    # Kill once every execution's first Confirm attempt has failed: each waits out its retry.
    assert wait_until(lambda: all("TaskFailed" in types(sfn, r) for r in runs), timeout=10)
    killed_at = time.monotonic()
    server.kill()

    server = servers(data, "--mock-config", str(config))
    sfn = sfn_client(server.endpoint)
    for i, run in enumerate(runs):
        assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
    finished = wait_until(
        lambda: [sfn.describe_execution(executionArn=r) for r in runs]
        if all(sfn.describe_execution(executionArn=r)["status"] != "RUNNING" for r in runs)
        else None, timeout=20)
    assert finished
    assert time.monotonic() - killed_at < 20
    for i, d in enumerate(finished):
        assert d["status"] == "SUCCEEDED", d
        assert json.loads(d["output"]) == {"i": i, "save": {"saved": True},
                                           "confirm": {"confirmed": "after the restart"}}
        t = types(sfn, d["executionArn"])
        assert t.count("TaskScheduled") == 3 and t.count("TaskFailed") == 1, t
        assert t.count("ExecutionStarted") == 1
