"""Mocked service integrations (--mock-config, the AWS Step Functions Local format) through boto3:
StartExecution and StartSyncExecution on STATE_MACHINE_ARN#CASE answer the Task states the test
case lists from their mocked responses, by invocation number (retries count), and run the others
for real; the executions and their histories look as they do for real calls."""

import json
import time

import botocore.exceptions
import pytest

from mock_helpers import PUT_OK, ROLE, client, unique, wait_for_end
from sfn_helpers import json10

ACCOUNT = "000000000000"

ORDERS = {
    "StartAt": "Put",
    "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
                "ResultPath": "$.put",
                "Catch": [{"ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"],
                           "ResultPath": "$.error", "Next": "Throttled"}],
                "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:000000000000:orders",
                                  "Message.$": "$.id"},
                   "ResultSelector": {"messageId.$": "$.MessageId"}, "ResultPath": "$.notified",
                   "End": True},
        "Throttled": {"Type": "Pass", "End": True},
    },
}

RETRY = {
    "StartAt": "Call",
    "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "not-deployed", "Payload.$": "$"},
                 "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"],
                            "IntervalSeconds": 1, "BackoffRate": 1.0, "MaxAttempts": 3}],
                 "OutputPath": "$.Payload", "End": True},
    },
}


def history(sfn, arn):
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def run(sfn, arn, case, payload=None):
    started = sfn.start_execution(stateMachineArn=f"{arn}#{case}", name=unique("run"),
                                  input=json.dumps(payload or {}))
    return wait_for_end(sfn, started["executionArn"])


def types(events):
    return [e["type"] for e in events]


def test_return_answers_the_listed_task_states(sfn, machine):
    arn = machine("mocked-orders", ORDERS)
    d = run(sfn, arn, "Happy", {"id": "order-1"})
    assert d["status"] == "SUCCEEDED", d
    # Executions look as usual: the machine's ARN (no #CASE), the execution's own name.
    assert d["stateMachineArn"] == arn
    assert d["executionArn"].startswith(f"arn:aws:states:us-east-1:{ACCOUNT}:execution:mocked-orders:")
    assert json.loads(d["output"]) == {"id": "order-1", "put": PUT_OK,
                                       "notified": {"messageId": "mocked-message-id"}}
    events = history(sfn, d["executionArn"])
    assert types(events) == [
        "ExecutionStarted",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "ExecutionSucceeded"]
    scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"]
    assert [(s["resourceType"], s["resource"]) for s in scheduled] == [
        ("dynamodb", "putItem"), ("sns", "publish")]
    # The parameters are the state's real effective input.
    assert json.loads(scheduled[0]["parameters"]) == {"TableName": "orders",
                                                      "Item": {"id": {"S": "order-1"}}}
    succeeded = [e["taskSucceededEventDetails"] for e in events if e["type"] == "TaskSucceeded"]
    assert json.loads(succeeded[0]["output"]) == PUT_OK
    assert succeeded[1]["resourceType"] == "sns" and succeeded[1]["resource"] == "publish"


def test_throw_fails_the_task_and_catch_sees_the_mocked_error(sfn, machine):
    arn = machine("mocked-orders", ORDERS)
    d = run(sfn, arn, "Throttled", {"id": "order-2"})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["error"] == {
        "Error": "DynamoDB.ProvisionedThroughputExceededException",
        "Cause": "The level of configured provisioned throughput for the table was exceeded."}
    failed = [e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskFailed"]
    assert len(failed) == 1
    details = failed[0]["taskFailedEventDetails"]
    assert details["resourceType"] == "dynamodb" and details["resource"] == "putItem"
    assert details["error"] == "DynamoDB.ProvisionedThroughputExceededException"


def test_fail_twice_then_succeed_exercises_retry(sfn, machine):
    arn = machine("mocked-retry", RETRY)
    begin = time.monotonic()
    d = run(sfn, arn, "FailTwiceThenSucceed", {"n": 1})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"attempt": "third"}
    assert time.monotonic() - begin >= 2.0  # two real 1-second retry intervals
    events = history(sfn, d["executionArn"])
    task_events = [e["type"] for e in events if e["type"].startswith("Task") and
                   not e["type"].startswith("TaskState")]
    assert task_events == ["TaskScheduled", "TaskStarted", "TaskFailed",
                           "TaskScheduled", "TaskStarted", "TaskFailed",
                           "TaskScheduled", "TaskStarted", "TaskSucceeded"]
    failures = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == ["Lambda.TooManyRequestsException"] * 2
    assert [f["cause"] for f in failures] == ["Rate exceeded"] * 2


def test_an_invocation_past_the_listed_ones_fails_the_execution(sfn, machine):
    # "0-1" covers two attempts; the third (invocation 2) has no answer: as in Step Functions
    # Local, the execution fails (States.Runtime, which no Retry or Catch takes).
    arn = machine("mocked-retry", RETRY)
    d = run(sfn, arn, "RunsOut")
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.Runtime"
    assert "invocation 2" in d["cause"] and "'Call'" in d["cause"], d["cause"]
    events = history(sfn, d["executionArn"])
    assert types(events).count("TaskScheduled") == 3


LAMBDA = {
    "StartAt": "Function",
    "States": {
        "Function": {"Type": "Task",
                     "Resource": "arn:aws:lambda:us-east-1:000000000000:function:not-deployed",
                     "ResultPath": "$.function", "Next": "Invoke"},
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "not-deployed-either", "Payload.$": "$"},
                   "ResultSelector": {"body.$": "$.Payload.body"}, "ResultPath": "$.invoke",
                   "End": True},
    },
}


def test_mocked_lambda_function_and_lambda_invoke(sfn, machine):
    # Neither function has a --lambda-endpoint: unmocked, both would fail.
    arn = machine("mocked-lambda", LAMBDA)
    d = run(sfn, arn, "Happy", {"x": 1})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"x": 1,
                                       "function": {"greeting": "hello from a mocked function"},
                                       "invoke": {"body": "mocked invoke"}}
    t = types(history(sfn, d["executionArn"]))
    assert t[1:6] == ["TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                      "LambdaFunctionSucceeded", "TaskStateExited"]
    assert t[6:11] == ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                       "TaskStateExited"]


def test_mocked_wait_for_task_token_returns_without_a_callback(sfn, machine, mock_server):
    sqs = client("sqs", mock_server.endpoint)
    url = sqs.create_queue(QueueName=unique("approvals"))["QueueUrl"]
    definition = {
        "StartAt": "Ask",
        "States": {"Ask": {"Type": "Task",
                           "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                           "Parameters": {"QueueUrl": url,
                                          "MessageBody": {"token.$": "$$.Task.Token"}},
                           "TimeoutSeconds": 60, "End": True}},
    }
    arn = machine("mocked-callback", definition)
    d = run(sfn, arn, "Approved")
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"approved": True, "by": "mock"}
    # The mock answered: nothing was sent to the queue.
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    scheduled = [e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskScheduled"]
    assert scheduled[0]["taskScheduledEventDetails"]["resource"] == "sendMessage.waitForTaskToken"
    # The token was made as usual: the parameters carry it.
    token = json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
    assert len(token) >= 16


def test_unlisted_states_run_for_real(sfn, machine, mock_server):
    sqs = client("sqs", mock_server.endpoint)
    url = sqs.create_queue(QueueName=unique("restock"))["QueueUrl"]
    definition = {
        "StartAt": "Lookup",
        "States": {
            "Lookup": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                       "Parameters": {"TableName": "stock", "Key": {"sku": {"S": "sku-42"}}},
                       "ResultSelector": {"sku.$": "$.Item.sku.S", "stock.$": "$.Item.stock.N"},
                       "Next": "Send"},
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Parameters": {"QueueUrl": url, "MessageBody.$": "$"}, "End": True},
        },
    }
    arn = machine("mocked-hybrid", definition)
    d = run(sfn, arn, "LookupOnly")
    assert d["status"] == "SUCCEEDED", d
    # Send really sent the mocked lookup's result.
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"]
    assert json.loads(messages[0]["Body"]) == {"sku": "sku-42", "stock": "7"}
    assert json.loads(d["output"])["MessageId"] == messages[0]["MessageId"]
    scheduled = [e["taskScheduledEventDetails"] for e in history(sfn, d["executionArn"])
                 if e["type"] == "TaskScheduled"]
    # An SDK integration is reported as AWS reports it.
    assert (scheduled[0]["resourceType"], scheduled[0]["resource"]) == ("aws-sdk:dynamodb",
                                                                        "getItem")


def test_map_iterations_count_as_invocations_of_one_state(sfn, machine):
    definition = {
        "StartAt": "Each",
        "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Put", "States": {
                "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {"TableName": "t", "Item.$": "$"}, "End": True}}},
            "End": True}},
    }
    arn = machine("mocked-map", definition)
    d = run(sfn, arn, "EachItem", {"items": [{"a": 1}, {"a": 2}, {"a": 3}]})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == ["first", "second or third", "second or third"]


def distributed(execution_type):
    """A Distributed Map whose item processor calls an integration Sluice does not serve (so an
    unmocked child fails)."""
    return {"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": True,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
            "StartAt": "Put", "States": {
                "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {"TableName": "t", "Item.$": "$"},
                        "ResultSelector": {"mocked.$": "$.mocked", "item.$": "$$.Execution.Input"},
                        "End": True}}}}}}


@pytest.mark.parametrize("name,execution_type", [("mocked-distributed", "STANDARD"),
                                                 ("mocked-distributed-express", "EXPRESS")])
def test_a_distributed_maps_children_run_the_test_case(sfn, machine, name, execution_type):
    arn = machine(name, distributed(execution_type))
    items = [{"n": 1}, {"n": 2}, {"n": 3}]
    d = run(sfn, arn, "EachChild", {"items": items})
    assert d["status"] == "SUCCEEDED", d
    # Each child is an execution of its own: its first Put is its invocation 0.
    assert json.loads(d["output"]) == [{"mocked": "in a child execution", "item": i}
                                       for i in items]
    map_run = sfn.list_map_runs(executionArn=d["executionArn"])["mapRuns"][0]["mapRunArn"]
    if execution_type == "STANDARD":
        children = sfn.list_executions(mapRunArn=map_run)["executions"]
        assert sorted(c["status"] for c in children) == ["SUCCEEDED"] * 3
        events = history(sfn, children[0]["executionArn"])
        assert "TaskSucceeded" in types(events)

    # Without the test case the children call the unserved integration for real, and fail.
    started = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"items": items}))
    d = wait_for_end(sfn, started["executionArn"])
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.ExceedToleratedFailureThreshold"


NESTED_CHILD = {"StartAt": "Put", "States": {
    "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "t", "Item": {}}, "End": True}}}


def nested_parent(child_arn):
    return {"StartAt": "StartChild", "States": {"StartChild": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn.$": "$.child", "Input": {}},
        "OutputPath": "$.Output", "End": True}}}


def test_a_nested_execution_runs_the_test_case_its_arn_names(sfn, machine):
    child = machine("mocked-nested-child", NESTED_CHILD)
    parent = machine("mocked-nested-parent", nested_parent(child))
    # As in Step Functions Local, a test case belongs to the execution started on ARN#CASE: the
    # child started on CHILD_ARN#Happy runs the child machine's test case Happy.
    d = run(sfn, parent, "ChildRunsItsOwnCase", {"child": f"{child}#Happy"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"mocked": "in a child execution"}

    # The parent's test case does not reach the child: its Put is not mocked (though the
    # parent's case names a state "Put"), so the child calls the unserved integration and fails.
    d = run(sfn, parent, "ChildUnmocked", {"child": child})
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.TaskFailed"

    # The startExecution Task itself can be mocked like any integration: no child runs.
    before = len(sfn.list_executions(stateMachineArn=child)["executions"])
    d = run(sfn, parent, "TaskMocked", {"child": child})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"from": "the mocked task"}
    assert len(sfn.list_executions(stateMachineArn=child)["executions"]) == before


EXPRESS = {"StartAt": "Put", "States": {
    "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "orders", "Item": {}}, "End": True}}}


def test_start_sync_execution_runs_a_test_case(sfn, machine):
    arn = machine("mocked-express", EXPRESS, type="EXPRESS")
    d = sfn.start_sync_execution(stateMachineArn=f"{arn}#Happy", input="{}")
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == PUT_OK
    assert d["stateMachineArn"] == arn
    # Without the test case the unserved integration fails, naming the resource.
    d = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Runtime"
    assert "arn:aws:states:::dynamodb:putItem" in d["cause"]
    # StartExecution on an Express machine takes a test case too.
    started = sfn.start_execution(stateMachineArn=f"{arn}#Happy", input="{}")
    assert ":express:mocked-express:" in started["executionArn"]


@pytest.mark.parametrize("suffix,missing", [("#NoSuchCase", "no test case 'NoSuchCase'"),
                                            ("#", "no test case ''")])
def test_an_unknown_test_case_is_refused(sfn, machine, suffix, missing):
    arn = machine("mocked-orders", ORDERS)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=arn + suffix, input="{}")
    error = e.value.response["Error"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Code"] == "InvalidArn"
    assert arn + suffix in error["Message"] and missing in error["Message"], error["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.start_sync_execution(stateMachineArn=arn + suffix, input="{}")
    assert e.value.response["Error"]["Code"] == "InvalidArn"


def test_a_state_machine_the_configuration_does_not_know_is_refused(sfn):
    arn = sfn.create_state_machine(name=unique("unmocked"), roleArn=ROLE,
                                   definition=json.dumps(EXPRESS))["stateMachineArn"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=arn + "#Happy", input="{}")
    assert e.value.response["Error"]["Code"] == "InvalidArn"
    assert "no state machine" in e.value.response["Error"]["Message"]
    # A machine that does not exist at all is still StateMachineDoesNotExist.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=arn + "-gone#Happy", input="{}")
    assert e.value.response["Error"]["Code"] == "StateMachineDoesNotExist"


def test_an_unmocked_unserved_integration_fails_saying_how_to_mock_it(sfn, machine):
    arn = machine("mocked-orders", ORDERS)
    # Created as AWS accepts it; without a test case, Put really runs, and Sluice serves no
    # DynamoDB.
    started = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"id": "x"}))
    d = wait_for_end(sfn, started["executionArn"])
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.Runtime"
    assert "arn:aws:states:::dynamodb:putItem" in d["cause"]
    assert "--mock-config" in d["cause"] and "StateMachines.mocked-orders.TestCases" in d["cause"]
    # A test case that mocks Put but not Notify: Notify runs for real and fails the same way.
    d = run(sfn, arn, "OnlyPut", {"id": "y"})
    assert d["status"] == "FAILED" and "arn:aws:states:::sns:publish" in d["cause"], d
    failed = [e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskFailed"]
    assert failed[-1]["taskFailedEventDetails"]["resource"] == "publish"


def test_a_redriven_execution_keeps_its_test_case_and_count(sfn, machine, mock_server):
    definition = {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:purgeQueue",
                 "Parameters": {"QueueUrl": "q"}, "End": True}}}
    arn = machine("mocked-redrive", definition)
    d = run(sfn, arn, "FailsThenFixed")
    assert d["status"] == "FAILED" and d["error"] == "Broken", d
    # Debian's boto3 predates RedriveExecution: the raw JSON 1.0 call.
    status, body = json10(mock_server.endpoint, "RedriveExecution",
                          {"executionArn": d["executionArn"]})
    assert status == 200, body
    d = wait_for_end(sfn, d["executionArn"])
    # The redriven Call is the state's second invocation: answered by "1".
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"fixed": True}
