"""sqs:sendMessage as a request-response task, as AWS records it: the SendMessage result with
the SDK's SdkHttpMetadata and SdkResponseMetadata, and the Error/Cause a Catch sees when the call
fails (docs/parity/states.md)."""

import json
import re

from conftest import unique
from sfn_helpers import history, run, task

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_send_message_returns_the_sdk_metadata(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    arn = state_machine(task("arn:aws:states:::sqs:sendMessage",
                             {"QueueUrl": url, "MessageBody": "test_message_body"}))
    d = run(sfn, arn)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert list(out) == ["MD5OfMessageBody", "MessageId", "SdkHttpMetadata", "SdkResponseMetadata"]
    meta = out["SdkHttpMetadata"]
    request_id = out["SdkResponseMetadata"]["RequestId"]
    assert re.fullmatch(UUID, request_id)
    # AllHttpHeaders in the order AWS sends them, each a list; HttpHeaders sorted ignoring case.
    assert list(meta["AllHttpHeaders"]) == ["x-amzn-RequestId", "connection", "Content-Length",
                                            "Date", "Content-Type"]
    assert list(meta["HttpHeaders"]) == ["connection", "Content-Length", "Content-Type", "Date",
                                         "x-amzn-RequestId"]
    assert meta["AllHttpHeaders"]["Content-Length"] == ["106"]  # SendMessage's JSON body
    assert meta["HttpHeaders"] == {
        "connection": "keep-alive", "Content-Length": "106",
        "Content-Type": "application/x-amz-json-1.0", "Date": meta["HttpHeaders"]["Date"],
        "x-amzn-RequestId": request_id}
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT",
                        meta["HttpHeaders"]["Date"])
    assert meta["HttpStatusCode"] == 200
    succeeded = next(e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskSucceeded")
    assert json.loads(succeeded["taskSucceededEventDetails"]["output"]) == out


def test_a_failed_send_is_caught_with_awss_error_and_cause(sfn, sqs, state_machine):
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    missing = url.rsplit("/", 1)[0] + "/" + unique("gone")
    arn = state_machine({"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "Parameters": {"QueueUrl": missing, "MessageBody": "x"},
                 "Catch": [{"ErrorEquals": ["SQS.QueueDoesNotExistException"],
                            "ResultPath": "$.err", "Next": "Caught"}],
                 "End": True},
        "Caught": {"Type": "Pass", "End": True}}})
    d = run(sfn, arn, {"in": 1})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["in"] == 1
    assert list(out["err"]) == ["Error", "Cause"]
    assert out["err"]["Error"] == "SQS.QueueDoesNotExistException"
    assert re.fullmatch(
        r"The specified queue does not exist\. \(Service: AmazonSQS; Status Code: 400; "
        r"Error Code: AWS\.SimpleQueueService\.NonExistentQueue; Request ID: " + UUID +
        r"; Proxy: null\)", out["err"]["Cause"]), out["err"]["Cause"]
    failed = next(e for e in history(sfn, d["executionArn"]) if e["type"] == "TaskFailed")
    assert failed["taskFailedEventDetails"] == {
        "error": "SQS.QueueDoesNotExistException", "cause": out["err"]["Cause"],
        "resource": "sendMessage", "resourceType": "sqs"}
