"""The callback pattern through real clients: a state machine sends a message with its task token
(sqs:sendMessage.waitForTaskToken, served in-process), a consumer receives it and answers with
SendTaskSuccess / SendTaskFailure; plus the token errors a client sees."""

import json
import threading

import botocore.exceptions
import pytest

from conftest import unique
from sfn_helpers import event_types, history, run, task, wait_for_end, wait_for_event


def callback_machine(queue_url, **fields):
    return task("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                {"QueueUrl": queue_url,
                 "MessageBody": {"order.$": "$.order", "token.$": "$$.Task.Token"}}, **fields)


def consume_one(sqs, queue_url):
    msgs = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10).get("Messages", [])
    assert msgs, "the state machine's message never arrived"
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=msgs[0]["ReceiptHandle"])
    return json.loads(msgs[0]["Body"])


def test_consumer_answers_with_send_task_success(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("work"))["QueueUrl"]
    arn = state_machine(callback_machine(url))
    result = {}

    def consumer():
        body = consume_one(sqs, url)
        result["order"] = body["order"]
        sfn.send_task_success(taskToken=body["token"], output=json.dumps({"shipped": body["order"]}))

    t = threading.Thread(target=consumer)
    t.start()
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": 42}))
    t.join(20)
    d = wait_for_end(sfn, execution["executionArn"])
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {"shipped": 42}
    assert result["order"] == 42
    types = event_types(sfn, execution["executionArn"])
    assert types.index("TaskSubmitted") < types.index("TaskSucceeded")


def test_consumer_answers_with_send_task_failure(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("work"))["QueueUrl"]
    arn = state_machine(callback_machine(url))
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": 1}))
    body = consume_one(sqs, url)
    sfn.send_task_failure(taskToken=body["token"], error="OutOfStock", cause="no more")
    d = wait_for_end(sfn, execution["executionArn"])
    assert d["status"] == "FAILED"
    assert d["error"] == "OutOfStock"
    assert d["cause"] == "no more"


def test_heartbeats_and_a_stale_token(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("work"))["QueueUrl"]
    arn = state_machine(callback_machine(url, HeartbeatSeconds=2))
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": 1}))
    token = consume_one(sqs, url)["token"]
    sfn.send_task_heartbeat(taskToken=token)
    d = wait_for_end(sfn, execution["executionArn"], timeout_s=10)
    assert d["status"] == "FAILED"
    # AWS records a lapsed heartbeat as States.Timeout; States.HeartbeatTimeout is a name only
    # Retry and Catch see.
    assert d["error"] == "States.Timeout"
    timed_out = [e for e in history(sfn, execution["executionArn"]) if e["type"] == "TaskTimedOut"]
    assert len(timed_out) == 1
    assert timed_out[0]["taskTimedOutEventDetails"] == {
        "error": "States.Timeout", "resource": "sendMessage.waitForTaskToken",
        "resourceType": "sqs"}
    # The token of a task that timed out: TaskTimedOut, HTTP 400, for every task-token action.
    for call in (lambda: sfn.send_task_success(taskToken=token, output="{}"),
                 lambda: sfn.send_task_failure(taskToken=token, error="E"),
                 lambda: sfn.send_task_heartbeat(taskToken=token)):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "TaskTimedOut"
        assert e.value.response["Error"]["Message"] == \
            "Task Timed Out: 'Provided task does not exist anymore'"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_malformed_tokens_are_invalid(sfn, sfn_server):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.send_task_success(taskToken="not-a-token", output="{}")
    assert e.value.response["Error"]["Code"] == "InvalidToken"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.send_task_success(taskToken="a" * 64, output="{not json")
    assert e.value.response["Error"]["Code"] == "InvalidOutput"


def test_send_message_request_response(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("plain"))["QueueUrl"]
    arn = state_machine(task("arn:aws:states:::sqs:sendMessage",
                             {"QueueUrl": url, "MessageBody.$": "$",
                              "MessageAttributes": {"kind": {"DataType": "String",
                                                             "StringValue": "order"}}}))
    d = run(sfn, arn, {"id": 7})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert {"MD5OfMessageBody", "MessageId", "MD5OfMessageAttributes"} <= set(out)
    msgs = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                               WaitTimeSeconds=1)["Messages"]
    assert json.loads(msgs[0]["Body"]) == {"id": 7}
    assert msgs[0]["MessageId"] == out["MessageId"]
    assert msgs[0]["MessageAttributes"]["kind"]["StringValue"] == "order"


def test_missing_queue_is_caught_by_its_sdk_error_name(sfn, state_machine, sfn_server):
    definition = task("arn:aws:states:::sqs:sendMessage",
                      {"QueueUrl": f"{sfn_server.endpoint}/000000000000/{unique('none')}",
                       "MessageBody": "x"},
                      Catch=[{"ErrorEquals": ["SQS.QueueDoesNotExistException"], "Next": "Gone"}])
    definition["States"]["Gone"] = {"Type": "Pass", "End": True}
    d = run(sfn, state_machine(definition))
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"])["Error"] == "SQS.QueueDoesNotExistException"


@pytest.mark.parametrize("resource", ["arn:aws:states:::sqs:receiveMessage",
                                      "arn:aws:states:::dynamodb",
                                      "arn:aws:states:::aws-sdk:s3:getObject.sync"])
def test_unsupported_resources_are_refused_at_creation(sfn, state_machine, resource):
    state_machine(task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "x"}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.create_state_machine(name=unique("bad"), roleArn="arn:aws:iam::000000000000:role/r",
                                 definition=json.dumps(task(resource, {})))
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    assert resource in e.value.response["Error"]["Message"]


def test_waiting_execution_is_stopped(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("work"))["QueueUrl"]
    arn = state_machine(callback_machine(url))
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": 1}))
    wait_for_event(sfn, execution["executionArn"], "TaskSubmitted")
    token = consume_one(sqs, url)["token"]
    sfn.stop_execution(executionArn=execution["executionArn"], error="Stop", cause="user")
    assert wait_for_end(sfn, execution["executionArn"])["status"] == "ABORTED"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{}")
    assert e.value.response["Error"]["Code"] == "TaskTimedOut"


def test_a_lapsed_heartbeat_is_caught_as_states_heartbeat_timeout(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("work"))["QueueUrl"]
    machine = {"StartAt": "Ship", "States": {
        "Ship": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Parameters": {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"},
                 "HeartbeatSeconds": 1, "TimeoutSeconds": 60,
                 # States.TaskFailed does not take a timeout; the heartbeat's own name does.
                 "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Wrong"},
                           {"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.err",
                            "Next": "Done"}],
                 "End": True},
        "Wrong": {"Type": "Fail", "Error": "Wrong"},
        "Done": {"Type": "Pass", "End": True}}}
    arn = state_machine(machine)
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")
    d = wait_for_end(sfn, execution["executionArn"], timeout_s=10)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"])["err"] == {"Error": "States.Timeout"}
    assert "Wrong" not in [e.get("stateEnteredEventDetails", {}).get("name")
                           for e in history(sfn, execution["executionArn"])]
