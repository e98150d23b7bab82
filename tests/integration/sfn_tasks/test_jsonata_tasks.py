"""Task resources in JSONata states: the HTTP Task and Lambda functions (Arguments built from
$states.input and variables, Output and Assign from $states.result, a function's error read back
through $states.errorOutput, whose Cause is JSON text that $parse reads, Retry), activities and
callbacks that fail or time out (TimeoutSeconds and HeartbeatSeconds from expressions), nested
executions (.sync, .sync:2, .waitForTaskToken) and TestState of an HTTP Task with variables."""

import json
import time

import botocore.exceptions
import pytest

from conftest import ROLE, unique
from sfn_helpers import event_types, history, run, wait_for_end
from test_test_state import call as call_test_state


def jsonata(states, start):
    return {"QueryLanguage": "JSONata", "StartAt": start, "States": states}


def test_lambda_invoke_with_arguments_output_and_assign(sfn, state_machine):
    arn = state_machine(jsonata({
        "Set": {"Type": "Pass", "Assign": {"fn": "greet"}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Arguments": {"FunctionName": "{% $fn %}",
                               "Payload": {"who": "{% $states.input.who %}"}},
                 "Output": {"greeting": "{% $states.result.Payload %}",
                            "status": "{% $states.result.StatusCode %}"},
                 "Assign": {"version": "{% $states.result.ExecutedVersion %}"}, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True,
                 "Output": "{% $merge([$states.input, {'version': $version}]) %}"}}, "Set"))
    d = run(sfn, arn, {"who": "ann"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"greeting": {"hello": {"who": "ann"}}, "status": 200,
                                       "version": "$LATEST"}
    scheduled = next(e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskScheduled")
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"]) == {
        "FunctionName": "greet", "Payload": {"who": "ann"}}


def test_a_function_error_through_the_error_output(sfn, state_machine):
    why = "{% $parse($states.errorOutput.Cause).errorMessage %}"
    arn = state_machine(jsonata({
        "Call": {"Type": "Task",
                 "Resource": "arn:aws:lambda:us-east-1:000000000000:function:broken",
                 "Catch": [{"ErrorEquals": ["OrderNotFound"], "Next": "Explain",
                            "Assign": {"why": why},
                            "Output": {"error": "{% $states.errorOutput.Error %}"}}],
                 "End": True},
        "Explain": {"Type": "Pass", "End": True,
                    "Output": "{% $states.input.error & ': ' & $why %}"}}, "Call"))
    d = run(sfn, arn)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == "OrderNotFound: no such order"


def test_http_task_with_jsonata_arguments(sfn, state_machine, backend):
    arn = state_machine(jsonata({"Post": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
        "Arguments": {"ApiEndpoint": f"{backend.url}/api/items", "Method": "POST",
                      "RequestBody": {"sku": "{% $uppercase($states.input.sku) %}",
                                      "qty": "{% $states.input.qty * 2 %}"}},
        "Output": {"code": "{% $states.result.StatusCode %}",
                   "echo": "{% $states.result.ResponseBody %}"}}}, "Post"))
    before = len(backend.seen("/api/items"))
    d = run(sfn, arn, {"sku": "tea", "qty": 3})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"code": 201, "echo": {"sku": "TEA", "qty": 6}}
    sent = backend.seen("/api/items")[before:]
    assert [(r["method"], json.loads(r["body"])) for r in sent] == [("POST", {"sku": "TEA",
                                                                               "qty": 6})]


# --- activities and callbacks -------------------------------------------------------------------

def test_worker_and_consumer_failures_are_caught_through_the_error_output(sfn, sqs, state_machine,
                                                                         activity):
    """SendTaskFailure from an activity worker and from a callback consumer: the Catch reads the
    worker's error and cause from $states.errorOutput and assigns them for the next state."""
    act = activity()
    url = sqs.create_queue(QueueName=unique("jsonata-work"))["QueueUrl"]
    catch = [{"ErrorEquals": ["Worker.Crashed", "OutOfStock"], "Next": "Report",
              "Output": "{% $states.errorOutput %}",
              "Assign": {"failures": "{% $append($failures, [$states.errorOutput.Error]) %}"}}]
    arn = state_machine(jsonata({
        "Set": {"Type": "Pass", "Assign": {"failures": []}, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": act, "Arguments": {"job": "{% $states.input.job %}"},
                 "Catch": catch, "Next": "Report"},
        "Report": {"Type": "Pass", "Next": "Ship",
                   "Assign": {"first": "{% $states.input %}"}},
        "Ship": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Arguments": {"QueueUrl": url,
                               "MessageBody": {"token": "{% $states.context.Task.Token %}",
                                               "failures": "{% $failures %}"}},
                 "Catch": [dict(catch[0], Next="Done")], "Next": "Done"},
        "Done": {"Type": "Pass", "End": True,
                 "Output": {"first": "{% $first %}", "second": "{% $states.input %}",
                            "failures": "{% $failures %}"}}}, "Set"))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"job": 7}))["executionArn"]
    t = sfn.get_activity_task(activityArn=act, workerName="w")
    assert json.loads(t["input"]) == {"job": 7}
    sfn.send_task_failure(taskToken=t["taskToken"], error="Worker.Crashed", cause="segfault")
    msgs = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10).get("Messages", [])
    assert msgs, "the state machine's message never arrived"
    body = json.loads(msgs[0]["Body"])
    assert body["failures"] == ["Worker.Crashed"]
    sfn.send_task_failure(taskToken=body["token"], error="OutOfStock", cause="no more")
    d = wait_for_end(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {
        "first": {"Error": "Worker.Crashed", "Cause": "segfault"},
        "second": {"Error": "OutOfStock", "Cause": "no more"},
        "failures": ["Worker.Crashed", "OutOfStock"]}
    types = event_types(sfn, ex)
    assert "ActivityFailed" in types and "TaskFailed" in types


def test_timeouts_from_expressions(sfn, sqs, state_machine, activity):
    """TimeoutSeconds and HeartbeatSeconds computed by JSONata: nobody works on the activity, the
    consumer never heartbeats; both executions run at once (about a second each)."""
    act = activity()
    url = sqs.create_queue(QueueName=unique("jsonata-hb"))["QueueUrl"]
    timed = state_machine(jsonata({
        "Work": {"Type": "Task", "Resource": act, "TimeoutSeconds": "{% $states.input.t %}",
                 "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late",
                            "Output": {"error": "{% $states.errorOutput.Error %}"}}],
                 "End": True},
        "Late": {"Type": "Pass", "End": True}}, "Work"))
    beating = state_machine(jsonata({
        "Set": {"Type": "Pass", "Assign": {"hb": "{% $states.input.t %}"}, "Next": "Ship"},
        "Ship": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Arguments": {"QueueUrl": url, "MessageBody": "{% $states.context.Task.Token %}"},
                 "HeartbeatSeconds": "{% $hb %}", "TimeoutSeconds": "{% $hb * 60 %}",
                 "End": True}}, "Set"))
    first = sfn.start_execution(stateMachineArn=timed, input='{"t": 1}')["executionArn"]
    second = sfn.start_execution(stateMachineArn=beating, input='{"t": 1}')["executionArn"]

    d = wait_for_end(sfn, first, timeout_s=10)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"error": "States.Timeout"}
    events = history(sfn, first)
    scheduled = next(e for e in events if e["type"] == "ActivityScheduled")
    assert scheduled["activityScheduledEventDetails"]["timeoutInSeconds"] == 1
    assert "ActivityTimedOut" in [e["type"] for e in events]

    d = wait_for_end(sfn, second, timeout_s=10)
    assert (d["status"], d["error"]) == ("FAILED", "States.Timeout"), d
    scheduled = next(e for e in history(sfn, second) if e["type"] == "TaskScheduled")
    details = scheduled["taskScheduledEventDetails"]
    assert (details["heartbeatInSeconds"], details["timeoutInSeconds"]) == (1, 60)
    token = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"][0]["Body"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{}")
    assert e.value.response["Error"]["Code"] == "TaskTimedOut"


# --- nested executions --------------------------------------------------------------------------

def test_nested_sync_wait_for_token_and_a_failing_child(sfn, state_machine):
    double = state_machine(jsonata({"Double": {"Type": "Pass", "End": True, "Output": {
        "doubled": "{% $states.input.n * 2 %}"}}}, "Double"))
    failing = state_machine(jsonata({"F": {"Type": "Fail", "Error": "Child.Failed",
                                           "Cause": "{% 'n was ' & $string($states.input.n) %}"}},
                                    "F"))
    answering = state_machine(jsonata({"Answer": {"Type": "Pass", "End": True}}, "Answer"))
    parent = state_machine(jsonata({
        "Sync": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
                 "Arguments": {"StateMachineArn": double, "Input": {"n": "{% $states.input.n %}"}},
                 # .sync returns the child's output as JSON text: $parse reads it.
                 "Assign": {"doubled": "{% $parse($states.result.Output).doubled %}",
                            "status": "{% $states.result.Status %}"},
                 "Next": "Fails"},
        "Fails": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                  "Arguments": {"StateMachineArn": failing, "Input": {"n": "{% $doubled %}"}},
                  "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Token",
                             "Assign": {"child": "{% $parse($states.errorOutput.Cause) %}"}}],
                  "End": True},
        "Token": {"Type": "Task",
                  "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
                  "Arguments": {"StateMachineArn": answering,
                                "Input": {"token": "{% $states.context.Task.Token %}"}},
                  "Output": {"doubled": "{% $doubled %}", "status": "{% $status %}",
                             "childError": "{% $child.Error %}",
                             "childCause": "{% $child.Cause %}",
                             "answer": "{% $states.result %}"},
                  "End": True}}, "Sync"))
    ex = sfn.start_execution(stateMachineArn=parent, input='{"n": 4}')["executionArn"]
    deadline = time.monotonic() + 10
    while not (kids := sfn.list_executions(stateMachineArn=answering)["executions"]):
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    kid = sfn.describe_execution(executionArn=kids[0]["executionArn"])
    sfn.send_task_success(taskToken=json.loads(kid["input"])["token"], output='{"from": "kid"}')
    d = wait_for_end(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"doubled": 8, "status": "SUCCEEDED",
                                       "childError": "Child.Failed", "childCause": "n was 8",
                                       "answer": {"from": "kid"}}


# --- Lambda Retry, TestState --------------------------------------------------------------------

def test_a_retried_function_gets_the_same_arguments(sfn, state_machine, backend):
    """Each attempt evaluates Arguments again with the variables of the state's entry; the Catch
    sees the last attempt's error."""
    arn = state_machine(jsonata({
        "Set": {"Type": "Pass", "Assign": {"order": "{% $states.input.order %}"}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Arguments": {"FunctionName": "broken",
                               "Payload": {"order": "{% $order %}",
                                           "attempt": "{% $states.context.State.RetryCount %}"}},
                 "Retry": [{"ErrorEquals": ["OrderNotFound"], "MaxAttempts": 1,
                            "IntervalSeconds": 1}],
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gave up",
                            "Output": "{% $states.errorOutput.Error %}"}],
                 "End": True},
        "Gave up": {"Type": "Pass", "End": True}}, "Set"))
    before = len(backend.seen("/lambda/broken"))
    d = run(sfn, arn, {"order": "o-1"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == "OrderNotFound"
    sent = [json.loads(r["body"]) for r in backend.seen("/lambda/broken")[before:]]
    assert sent == [{"order": "o-1", "attempt": 0}, {"order": "o-1", "attempt": 1}]
    types = event_types(sfn, d["executionArn"])
    assert types.count("TaskScheduled") == 2 and types.count("TaskFailed") == 2, types


def test_test_state_of_a_jsonata_http_task(sfn_server, backend):
    state = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::http:invoke",
             "Arguments": {"ApiEndpoint": "{% $base & '/api/items' %}", "Method": "POST",
                           "RequestBody": {"sku": "{% $states.input.sku %}"}},
             "Output": {"code": "{% $states.result.StatusCode %}",
                        "body": "{% $states.result.ResponseBody %}"},
             "Assign": {"posted": "{% $states.result.ResponseBody.sku %}"}, "End": True}
    before = len(backend.seen("/api/items"))
    out = call_test_state(sfn_server.endpoint, {
        "definition": json.dumps(state), "input": '{"sku": "tea-7"}', "inspectionLevel": "DEBUG",
        "variables": json.dumps({"base": backend.url}), "roleArn": ROLE})
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"code": 201, "body": {"sku": "tea-7"}}
    inspection = out["inspectionData"]
    assert json.loads(inspection["afterArguments"]) == {
        "ApiEndpoint": f"{backend.url}/api/items", "Method": "POST",
        "RequestBody": {"sku": "tea-7"}}
    assert json.loads(inspection["result"])["StatusCode"] == 201
    assert json.loads(inspection["variables"]) == {"base": backend.url, "posted": "tea-7"}
    seen = backend.seen("/api/items")[before:]
    assert [(r["method"], json.loads(r["body"])) for r in seen] == [("POST", {"sku": "tea-7"})]
