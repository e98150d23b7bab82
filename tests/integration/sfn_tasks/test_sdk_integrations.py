"""The AWS SDK integrations Sluice serves in-process: arn:aws:states:::aws-sdk:sqs:ACTION against
its own queues and arn:aws:states:::aws-sdk:sfn:ACTION against its own state machines. Parameters
and results use the SDK's PascalCase members; errors are Sqs.<Exception> / Sfn.<Exception> with
the SDK exception's message as the cause (docs/parity/states.md). A mocked test case still answers
an aws-sdk task from its mock."""

import hashlib
import json
import os
import re
import tempfile

import pytest

from conftest import ROLE, client, unique
from sfn_helpers import history, run, task, wait_for_end
from sluice_server import running_server

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z"
SQS = "arn:aws:states:::aws-sdk:sqs:"
SFN = "arn:aws:states:::aws-sdk:sfn:"


def step(resource, parameters, result_path, next_state=None):
    s = {"Type": "Task", "Resource": resource, "Parameters": parameters, "ResultPath": result_path}
    if next_state:
        s["Next"] = next_state
    else:
        s["End"] = True
    return s


def test_a_queue_is_created_sent_to_received_from_and_emptied(sfn, sqs, state_machine):
    name = unique("sdkq")
    arn = state_machine({"StartAt": "Create", "States": {
        "Create": step(SQS + "createQueue", {"QueueName.$": "$.name"}, "$.created", "Send"),
        "Send": step(SQS + "sendMessage",
                     {"QueueUrl.$": "$.created.QueueUrl", "MessageBody": "hello sdk"},
                     "$.sent", "Receive"),
        "Receive": step(SQS + "receiveMessage",
                        {"QueueUrl.$": "$.created.QueueUrl", "MaxNumberOfMessages": 1,
                         "WaitTimeSeconds": 5, "MessageSystemAttributeNames": ["All"]},
                        "$.received", "Delete"),
        "Delete": step(SQS + "deleteMessage",
                       {"QueueUrl.$": "$.created.QueueUrl",
                        "ReceiptHandle.$": "$.received.Messages[0].ReceiptHandle"},
                       "$.deleted", "Count"),
        "Count": step(SQS + "getQueueAttributes",
                      {"QueueUrl.$": "$.created.QueueUrl",
                       "AttributeNames": ["ApproximateNumberOfMessages", "QueueArn"]},
                      "$.attributes")}})
    d = run(sfn, arn, {"name": name})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    assert out["created"] == {"QueueUrl": url}
    # SendMessage's SDK result: no SdkHttpMetadata, unlike the optimized sqs:sendMessage.
    assert list(out["sent"]) == ["MD5OfMessageBody", "MessageId"]
    assert out["sent"]["MD5OfMessageBody"] == hashlib.md5(b"hello sdk").hexdigest()
    [message] = out["received"]["Messages"]
    assert message["Body"] == "hello sdk"
    assert message["MessageId"] == out["sent"]["MessageId"]
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"
    assert out["deleted"] == {}
    assert out["attributes"]["Attributes"]["ApproximateNumberOfMessages"] == "0"
    assert out["attributes"]["Attributes"]["QueueArn"].endswith(":" + name)
    assert "Messages" not in sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)


def test_jsonata_arguments_batch_list_tag_and_delete(sfn, sqs, state_machine):
    name = unique("sdkj")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = state_machine({"QueryLanguage": "JSONata", "StartAt": "Batch", "States": {
        "Batch": {"Type": "Task", "Resource": SQS + "sendMessageBatch",
                  "Arguments": {"QueueUrl": "{% $states.input.url %}", "Entries": [
                      {"Id": "a", "MessageBody": "{% $string($states.input.n) %}"},
                      {"Id": "b", "MessageBody": "two", "DelaySeconds": 0}]},
                  "Assign": {"batch": "{% $states.result %}", "url": "{% $states.input.url %}",
                             "name": "{% $states.input.name %}"},
                  "Next": "Tag"},
        "Tag": {"Type": "Task", "Resource": SQS + "tagQueue",
                "Arguments": {"QueueUrl": "{% $url %}", "Tags": {"team": "core"}},
                "Next": "Tags"},
        "Tags": {"Type": "Task", "Resource": SQS + "listQueueTags",
                 "Arguments": {"QueueUrl": "{% $url %}"},
                 "Assign": {"tags": "{% $states.result.Tags %}"}, "Next": "List"},
        "List": {"Type": "Task", "Resource": SQS + "listQueues",
                 "Arguments": {"QueueNamePrefix": "{% $name %}"},
                 "Assign": {"listed": "{% $states.result.QueueUrls %}"}, "Next": "Purge"},
        "Purge": {"Type": "Task", "Resource": SQS + "purgeQueue",
                  "Arguments": {"QueueUrl": "{% $url %}"}, "Next": "Drop"},
        "Drop": {"Type": "Task", "Resource": SQS + "deleteQueue",
                 "Arguments": {"QueueUrl": "{% $url %}"},
                 "Output": "{% {'batch': $batch, 'tags': $tags, 'listed': $listed,"
                           " 'deleted': $states.result} %}",
                 "End": True}}})
    d = run(sfn, arn, {"url": url, "name": name, "n": 1})
    assert d["status"] == "SUCCEEDED", (d.get("error"), d.get("cause"))
    out = json.loads(d["output"])
    assert sorted(e["Id"] for e in out["batch"]["Successful"]) == ["a", "b"]
    assert out["batch"]["Failed"] == []
    assert out["tags"] == {"team": "core"}
    assert out["listed"] == [url]
    assert out["deleted"] == {}
    assert name not in json.dumps(sqs.list_queues(QueueNamePrefix=name))


def test_a_missing_queue_is_caught_as_sqs_queue_does_not_exist(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    missing = url.rsplit("/", 1)[0] + "/" + unique("gone")
    send = step(SQS + "sendMessage", {"QueueUrl": missing, "MessageBody": "x"}, "$.sent")
    missing_queue = ["Sqs.QueueDoesNotExistException"]
    send["Retry"] = [{"ErrorEquals": missing_queue, "IntervalSeconds": 1, "MaxAttempts": 1}]
    send["Catch"] = [{"ErrorEquals": missing_queue, "ResultPath": "$.err", "Next": "Caught"}]
    arn = state_machine({"StartAt": "Send",
                         "States": {"Send": send, "Caught": {"Type": "Pass", "End": True}}})
    d = run(sfn, arn, {"in": 1})
    assert d["status"] == "SUCCEEDED", d
    # Retried once, then caught: the same error both times.
    failed = [e["taskFailedEventDetails"] for e in history(sfn, d["executionArn"])
              if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failed] == ["Sqs.QueueDoesNotExistException"] * 2
    assert failed[0]["resourceType"] == "aws-sdk:sqs" and failed[0]["resource"] == "sendMessage"
    err = json.loads(d["output"])["err"]
    assert err["Error"] == "Sqs.QueueDoesNotExistException"
    assert re.fullmatch(r"The specified queue does not exist\. \(Service: Sqs, Status Code: 400, "
                        r"Request ID: " + UUID + r"\)", err["Cause"]), err["Cause"]


def test_uncaught_errors_fail_the_execution_with_the_sdk_names(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    empty_batch = state_machine(task(SQS + "sendMessageBatch", {"QueueUrl": url, "Entries": []}))
    d = run(sfn, empty_batch)
    assert d["status"] == "FAILED", d
    assert d["error"] == "Sqs.EmptyBatchRequestException"
    # A member of the wrong type cannot be sent at all: the definition is wrong.
    bad_type = state_machine(task(SQS + "receiveMessage",
                                  {"QueueUrl": url, "MaxNumberOfMessages": "ten"}))
    d = run(sfn, bad_type)
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.Runtime"


def test_a_machine_starts_another_and_describes_its_execution(sfn, state_machine):
    child = state_machine({"StartAt": "Echo", "States": {
        "Echo": {"Type": "Pass", "Parameters": {"got.$": "$.x"}, "End": True}}})
    name = unique("run")
    parent = state_machine({"StartAt": "Start", "States": {
        "Start": step(SFN + "startExecution",
                      {"StateMachineArn": child, "Name": name,
                       "Input.$": "States.JsonToString($.payload)"}, "$.started", "Describe"),
        "Describe": step(SFN + "describeExecution",
                         {"ExecutionArn.$": "$.started.ExecutionArn"}, "$.described", "Done?"),
        "Done?": {"Type": "Choice", "Choices": [
            {"Variable": "$.described.Status", "StringEquals": "RUNNING", "Next": "Later"}],
            "Default": "End"},
        "Later": {"Type": "Wait", "Seconds": 1, "Next": "Describe"},
        "End": {"Type": "Pass", "End": True}}})
    d = run(sfn, parent, {"payload": {"x": 7}})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert sorted(out["started"]) == ["ExecutionArn", "StartDate"]
    assert out["started"]["ExecutionArn"].endswith(":" + name)
    assert re.fullmatch(ISO, out["started"]["StartDate"]), out["started"]
    described = out["described"]
    assert described["ExecutionArn"] == out["started"]["ExecutionArn"]
    assert described["StateMachineArn"] == child
    assert described["Name"] == name
    assert described["Status"] == "SUCCEEDED"
    assert json.loads(described["Input"]) == {"x": 7}
    assert json.loads(described["Output"]) == {"got": 7}
    assert re.fullmatch(ISO, described["StopDate"])
    real = sfn.describe_execution(executionArn=described["ExecutionArn"])
    assert real["status"] == "SUCCEEDED" and real["input"] == described["Input"]


def test_describe_and_list_state_machines_in_jsonata(sfn, state_machine):
    name = unique("listed")
    target = state_machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                           name=name)
    arn = state_machine({"QueryLanguage": "JSONata", "StartAt": "Describe", "States": {
        "Describe": {"Type": "Task", "Resource": SFN + "describeStateMachine",
                     "Arguments": {"StateMachineArn": target},
                     "Assign": {"described": "{% $states.result %}"}, "Next": "List"},
        "List": {"Type": "Task", "Resource": SFN + "listStateMachines",
                 "Arguments": {"MaxResults": 1000},
                 "Output": "{% {'described': $described,"
                           " 'listed': $states.result.StateMachines[Name = '" + name + "']} %}",
                 "End": True}}})
    d = run(sfn, arn)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["described"]["Name"] == name
    assert out["described"]["StateMachineArn"] == target
    assert out["described"]["Type"] == "STANDARD"
    assert json.loads(out["described"]["Definition"])["StartAt"] == "P"
    assert re.fullmatch(ISO, out["described"]["CreationDate"])
    assert out["listed"]["StateMachineArn"] == target
    assert re.fullmatch(ISO, out["listed"]["CreationDate"])


def test_a_missing_execution_is_caught_as_sfn_execution_does_not_exist(sfn, state_machine):
    parent = state_machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    missing = parent.replace(":stateMachine:", ":execution:") + ":" + unique("none")
    arn = state_machine({"StartAt": "Describe", "States": {
        "Describe": {"Type": "Task", "Resource": SFN + "describeExecution",
                     "Parameters": {"ExecutionArn": missing},
                     "Catch": [{"ErrorEquals": ["Sfn.ExecutionDoesNotExistException"],
                                "Next": "Caught"}],
                     "End": True},
        "Caught": {"Type": "Pass", "End": True}}})
    d = run(sfn, arn)
    assert d["status"] == "SUCCEEDED", d
    err = json.loads(d["output"])
    assert err["Error"] == "Sfn.ExecutionDoesNotExistException"
    assert re.fullmatch(r".*" + re.escape(missing) + r".* \(Service: Sfn, Status Code: 400, "
                        r"Request ID: " + UUID + r"\)", err["Cause"]), err["Cause"]


def test_a_callback_over_sqs_is_answered_by_send_task_success(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("tokens"))["QueueUrl"]
    waiter = state_machine(task(SQS + "sendMessage.waitForTaskToken",
                                {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"}))
    waiting = sfn.start_execution(stateMachineArn=waiter, input="{}")["executionArn"]
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10).get("Messages", [])
    assert messages, "the waiting task sent no token"
    token = messages[0]["Body"]
    sender = state_machine(task(SFN + "sendTaskSuccess",
                                {"TaskToken.$": "$.token", "Output": "{\"ok\":true}"}))
    d = run(sfn, sender, {"token": token})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {}
    w = wait_for_end(sfn, waiting)
    assert w["status"] == "SUCCEEDED", w
    assert json.loads(w["output"]) == {"ok": True}
    # The token is spent: a second answer is Sfn.TaskTimedOutException.
    d = run(sfn, sender, {"token": token})
    assert d["status"] == "FAILED" and d["error"] == "Sfn.TaskTimedOutException", d


MOCKED = "SdkMocked"


@pytest.fixture(scope="module")
def mocked_server():
    config = {"StateMachines": {MOCKED: {"TestCases": {"Happy": {"Send": "SentOk"}}}},
              "MockedResponses": {"SentOk": {"0": {"Return": {"MessageId": "from-the-mock"}}}}}
    fd, path = tempfile.mkstemp(prefix="sluice-sdk-mocks-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(config, f)
    try:
        with running_server(["--mock-config", path]) as server:
            yield server
    finally:
        os.remove(path)


def test_a_mocked_sdk_task_answers_from_its_mock(mocked_server):
    sfn = client("stepfunctions", mocked_server.endpoint)
    arn = sfn.create_state_machine(name=MOCKED, roleArn=ROLE, definition=json.dumps({
        "StartAt": "Send", "States": {"Send": {
            "Type": "Task", "Resource": SQS + "sendMessage",
            "Parameters": {"QueueUrl": "http://localhost/000000000000/no-such-queue",
                           "MessageBody": "x"}, "End": True}}}))["stateMachineArn"]
    mocked = run(sfn, arn + "#Happy")
    assert mocked["status"] == "SUCCEEDED", mocked
    assert json.loads(mocked["output"]) == {"MessageId": "from-the-mock"}
    # Without the test case the same task runs for real, against a queue that does not exist.
    real = run(sfn, arn)
    assert real["status"] == "FAILED" and real["error"] == "Sqs.QueueDoesNotExistException", real
